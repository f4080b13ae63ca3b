from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """公文交換: electronic exchange of documents in the DI/SW format (docs/exchange.md)."""

    name = "secretariat.exchange"
    label = "exchange"
    verbose_name = "公文交換"

    def ready(self) -> None:
        from secretariat.core.modules import NavItem, register_demo, register_nav, register_pending
        from secretariat.documents.services import document_dispatched
        from secretariat.exchange import demo, reports, selectors, services
        from secretariat.reports.registry import register_indicator, register_section

        document_dispatched.connect(services.on_dispatched, dispatch_uid="exchange.send")
        register_nav(
            NavItem(
                "exchange",
                "公文交換",
                "exchange:home",
                order=16,
                section="exchange:",
                visible=selectors.is_staff,
            )
        )
        register_pending("exchange", "公文交換", selectors.pending_items)
        for section in reports.SECTIONS:
            register_section(section)
        for indicator in reports.INDICATORS:
            register_indicator(indicator)
        register_demo("exchange", "公文交換示範資料", demo.load_demo)
