from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "secretariat.service"
    label = "service"
    verbose_name = "市民諮詢及志工服務"

    def ready(self) -> None:
        from secretariat.core import importing
        from secretariat.core.modules import NavItem, register_demo, register_nav, register_setup
        from secretariat.reports.registry import register_indicator, register_section
        from secretariat.service import reports, services
        from secretariat.service.demo import load_demo
        from secretariat.service.importers import IMPORTERS
        from secretariat.service.permissions import sees_service

        register_nav(
            NavItem(
                "service",
                "市民諮詢",
                "service:desk",
                order=37,
                visible=sees_service,
                section="service:",
            )
        )
        register_setup("service_categories", "服務台諮詢類別", services.load_default_categories)
        register_demo("service", "服務台示範資料", load_demo)
        for section in reports.SECTIONS:
            register_section(section)
        for indicator in reports.INDICATORS:
            register_indicator(indicator)
        for importer in IMPORTERS:
            importing.register(importer)
        from secretariat.service import consult_registrations  # noqa: F401
