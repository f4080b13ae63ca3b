from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "secretariat.core"
    label = "core"
    verbose_name = "核心（機關、人員、行事曆、稽核）"

    def ready(self) -> None:
        from secretariat.core import audit, checks, modules  # noqa: F401 (checks registers)

        audit.connect_signals()
        modules.register_core()
        from secretariat.core import views_imports

        views_imports.register()
