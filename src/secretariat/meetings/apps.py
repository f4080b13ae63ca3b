from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "secretariat.meetings"
    label = "meetings"
    verbose_name = "府級會議"

    def ready(self) -> None:
        from secretariat.cases import kinds as case_kinds
        from secretariat.core import importing
        from secretariat.core.modules import NavItem, register_demo, register_nav, register_pending
        from secretariat.meetings import kinds, reports, selectors
        from secretariat.meetings.demo import load_demo
        from secretariat.meetings.importers import IMPORTERS
        from secretariat.meetings.permissions import signed_in
        from secretariat.reports.registry import register_indicator, register_section

        case_kinds.register(kinds.KIND)
        register_nav(
            NavItem(
                "meetings",
                "府級會議",
                "meetings:home",
                order=35,
                visible=signed_in,
                section="meetings:",
            )
        )
        register_pending("meetings", "府級會議", selectors.pending_for)
        register_demo("meetings", "府級會議示範資料", load_demo)
        for section in reports.SECTIONS:
            register_section(section)
        for indicator in reports.INDICATORS:
            register_indicator(indicator)
        for importer in IMPORTERS:
            importing.register(importer)
