from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "secretariat.reports"
    label = "reports"
    verbose_name = "工作報告"

    def ready(self) -> None:
        from secretariat.core.modules import NavItem, register_nav
        from secretariat.reports.views import may_use_reports

        register_nav(
            NavItem(
                "reports",
                "工作報告",
                "reports:page",
                order=40,
                visible=may_use_reports,
                section="reports:",
            )
        )
