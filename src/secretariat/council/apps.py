from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "secretariat.council"
    label = "council"
    verbose_name = "府會事務"

    def ready(self) -> None:
        from secretariat.cases import kinds as case_kinds
        from secretariat.core.modules import NavItem, register_nav
        from secretariat.council import kinds

        for kind in kinds.KINDS:
            case_kinds.register(kind)
        register_nav(NavItem("council", "府會事務", "council:home", order=30, section="council:"))
