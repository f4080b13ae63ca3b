from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "secretariat.core"
    label = "core"
    verbose_name = "核心（機關、人員、行事曆、稽核）"

    def ready(self) -> None:
        from django.core import checks as django_checks

        from secretariat.core import audit, checks, jobs, modules  # noqa: F401 (checks registers)

        audit.connect_signals()
        django_checks.register(jobs.check_workers, "secretariat")
        modules.register_core()
        from secretariat.core import views_imports

        views_imports.register()
