"""Report runs in the Django admin, to follow or clear failed ones; read-only."""

from django.contrib import admin

from secretariat.reports.models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "requested_by", "created_at", "finished_at")
    list_filter = ("status", "format")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
