from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "secretariat.media"
    label = "media"
    verbose_name = "媒體聯繫與新聞發布"

    def ready(self) -> None:
        import secretariat.media.tasks  # noqa: F401 (registers the daily job)
        from secretariat.core.modules import NavItem, register_nav

        register_nav(NavItem("media", "市長公開行程", "media:schedule", order=35, section="media:"))
