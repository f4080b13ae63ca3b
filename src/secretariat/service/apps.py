from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "secretariat.service"
    label = "service"
    verbose_name = "市民諮詢及志工服務"

    def ready(self) -> None:
        from secretariat.core.modules import NavItem, register_nav
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
