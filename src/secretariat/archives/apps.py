from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "secretariat.archives"
    label = "archives"
    verbose_name = "檔案管理"

    def ready(self) -> None:
        from secretariat.archives.permissions import signed_in
        from secretariat.core.modules import NavItem, register_nav

        register_nav(
            NavItem(
                "archives",
                "檔案管理",
                "archives:home",
                order=45,
                visible=signed_in,
                section="archives:",
            )
        )
