"""Django admin for administrators: the registry, report grouping rules, people, calendar.
Every model here is Audited, so changes made in the admin land in the audit trail too."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from secretariat.core.models import (
    Agency,
    AgencyName,
    ApiToken,
    AuditEntry,
    CalendarAdjustment,
    ImportRun,
    IndicatorTarget,
    ReportGroup,
    Role,
    Unit,
    User,
)


class AgencyNameInline(admin.TabularInline):
    model = AgencyName
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "parent", "established_on", "abolished_on")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "code", "name_history__name", "name_history__short_name")
    inlines = [AgencyNameInline]


@admin.register(ReportGroup)
class ReportGroupAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "sort_order")
    filter_horizontal = ("members",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "parent")
    list_filter = ("agency",)


@admin.register(User)
class PersonAdmin(UserAdmin):
    list_display = (
        "username",
        "display_name",
        "agency",
        "unit",
        "is_active",
        "totp_enabled",
    )
    list_filter = ("agency", "roles", "is_active")
    search_fields = ("username", "display_name", "email")
    filter_horizontal = ("roles", "groups", "user_permissions")
    fieldsets = UserAdmin.fieldsets + (
        (
            "機關與角色",
            {
                "fields": (
                    "display_name",
                    "agency",
                    "unit",
                    "job_title",
                    "phone",
                    "roles",
                    "is_system_account",
                )
            },
        ),
        ("登入安全", {"fields": ("totp_enabled",)}),
    )


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "sees_all_agencies")


@admin.register(CalendarAdjustment)
class CalendarAdjustmentAdmin(admin.ModelAdmin):
    list_display = ("date", "city", "kind", "reason")
    list_filter = ("kind", "city")


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only: what was imported, by whom, and the problems of refused files."""

    list_display = ("__str__", "status", "created", "unchanged", "requested_by", "requested_at")
    list_filter = ("status", "type")
    exclude = ("content",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ("year", "indicator", "value")
    list_filter = ("year",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = (
        "seq",
        "at",
        "actor_label",
        "ip",
        "action",
        "object_type",
        "object_id",
        "object_repr",
    )
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor_label", "object_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
