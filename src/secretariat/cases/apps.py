from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "secretariat.cases"
    label = "cases"
    verbose_name = "分辦列管"

    def ready(self) -> None:
        from secretariat.cases import registrations

        registrations.register()
