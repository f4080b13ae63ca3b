from django.apps import AppConfig
from django.core import checks


class DocumentsConfig(AppConfig):
    """公文: official documents from receipt to dispatch, signed online (``signing``)."""

    name = "secretariat.documents"
    label = "documents"
    verbose_name = "公文"

    def ready(self) -> None:
        from secretariat.core import importing
        from secretariat.core.modules import NavItem, register_demo, register_nav, register_pending
        from secretariat.documents import demo, importers, reports, searchable, selectors, tasks
        from secretariat.documents.checks import master_token_reachable
        from secretariat.reports.registry import register_indicator, register_section

        register_nav(NavItem("documents", "公文", "documents:home", order=15, section="documents:"))
        register_pending("documents", "待辦公文", selectors.pending_items)
        searchable.register()
        tasks.register()
        for section in reports.SECTIONS:
            register_section(section)
        for indicator in reports.INDICATORS:
            register_indicator(indicator)
        importing.register(importers.HistoryImporter)
        register_demo("documents", "公文示範資料", demo.load_demo)
        demo.activate_demo_tokens()
        checks.register(master_token_reachable)
