from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "secretariat.council"
    label = "council"
    verbose_name = "府會事務"

    def ready(self) -> None:
        from secretariat.cases import kinds as case_kinds
        from secretariat.core.modules import NavItem, register_demo, register_nav
        from secretariat.council import kinds, reports
        from secretariat.council.demo import load_demo
        from secretariat.reports.registry import register_indicator, register_section

        for kind in kinds.KINDS:
            case_kinds.register(kind)
        register_nav(NavItem("council", "府會事務", "council:home", order=30, section="council:"))
        register_demo("council", "府會事務示範資料", load_demo)
        for section in reports.SECTIONS:
            register_section(section)
        for indicator in reports.INDICATORS:
            register_indicator(indicator)
        from secretariat.core import importing
        from secretariat.council.importers import IMPORTERS

        for importer in IMPORTERS:
            importing.register(importer)
