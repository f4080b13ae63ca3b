from django.apps import AppConfig


class LockersConfig(AppConfig):
    name = "secretariat.lockers"
    label = "lockers"
    verbose_name = "文件智取櫃"

    def ready(self) -> None:
        from secretariat.core import importing
        from secretariat.core.modules import NavItem, register_demo, register_nav, register_pending
        from secretariat.lockers import reports, selectors, tasks
        from secretariat.lockers.demo import load_demo
        from secretariat.lockers.importers import IMPORTERS
        from secretariat.lockers.views import may_use_lockers
        from secretariat.reports.registry import register_indicator, register_section

        register_nav(
            NavItem(
                "lockers",
                "文件智取櫃",
                "lockers:home",
                order=37,
                visible=may_use_lockers,
                section="lockers:",
            )
        )
        register_pending("lockers", "文件智取櫃", selectors.pending_for)
        register_demo("lockers", "文件智取櫃示範資料", load_demo)
        for section in reports.SECTIONS:
            register_section(section)
        for indicator in reports.INDICATORS:
            register_indicator(indicator)
        for importer in IMPORTERS:
            importing.register(importer)
        tasks.register()
