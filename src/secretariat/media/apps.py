from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "secretariat.media"
    label = "media"
    verbose_name = "媒體聯繫與新聞發布"

    def ready(self) -> None:
        import secretariat.media.tasks  # noqa: F401 (registers the daily jobs)
        from secretariat.cases import kinds as case_kinds
        from secretariat.core import importing
        from secretariat.core.modules import (
            NavItem,
            register_demo,
            register_nav,
            register_nav_limit,
            register_pending,
        )
        from secretariat.media import kinds, reports
        from secretariat.media.demo import load_demo
        from secretariat.media.importers import IMPORTERS
        from secretariat.media.pending import pending_for
        from secretariat.media.permissions import is_journalist_account, is_staff
        from secretariat.reports.registry import register_indicator, register_section

        case_kinds.register(kinds.OPINION_KIND)
        register_nav(
            NavItem(
                "media",
                "媒體聯繫",
                "media:home",
                order=35,
                section="media:",
                visible=is_staff,
            )
        )
        register_nav(
            NavItem(
                "press",
                "記者專區",
                "press:home",
                order=36,
                section="press:",
                visible=is_journalist_account,
            )
        )
        register_nav_limit(lambda user: {"press"} if is_journalist_account(user) else None)
        register_pending("media", "媒體聯繫", pending_for)
        register_demo("media", "媒體聯繫示範資料", load_demo)
        for section in reports.SECTIONS:
            register_section(section)
        for indicator in reports.INDICATORS:
            register_indicator(indicator)
        for importer in IMPORTERS:
            importing.register(importer)
