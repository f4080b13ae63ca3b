"""Django admin for administrators: the registry, report grouping rules, people, calendar.
Every model here is Audited, so changes made in the admin land in the audit trail too."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from secretariat.core.models import (
    Agency,
    AgencyName,
    ApiToken,
    AuditEntry,
    CalendarAdjustment,
    Contractor,
    ImportRun,
    IndicatorTarget,
    ReportGroup,
    ReportGroupMembership,
    Role,
    Unit,
    User,
)


class AgencyNameInline(admin.TabularInline):
    model = AgencyName
    extra = 0
    fields = ("name", "short_name", "valid_from", "valid_to", "source", "verified")


# Fields whose change in the admin is a correction of the agency's dated history.
HISTORY_FIELDS = ("established_on", "abolished_on", "dates_source", "dates_verified")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "short_name",
        "official_code",
        "kind",
        "parent",
        "established_on",
        "abolished_on",
        "dates_verified",
        "history_corrected",
    )
    list_filter = ("kind", "dates_verified", "history_corrected", "name_history__verified")
    search_fields = (
        "name",
        "short_name",
        "code",
        "official_code",
        "name_history__name",
        "name_history__short_name",
    )
    inlines = [AgencyNameInline]

    def save_related(self, request, form, formsets, change) -> None:
        """A correction of dates, sources or names made here must survive the next registry
        load: mark the agency's history as corrected (the loader then leaves it alone)."""
        super().save_related(request, form, formsets, change)
        agency = form.instance
        corrected = any(name in form.changed_data for name in HISTORY_FIELDS) or any(
            formset.has_changed() for formset in formsets if formset.model is AgencyName
        )
        if (
            corrected
            and not agency.history_corrected
            and "history_corrected" not in (form.changed_data)
        ):
            agency.history_corrected = True
            agency.save(update_fields=["history_corrected"])


class MembershipFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """Two periods of the same agency in one group may not overlap (the rows are checked
        together, so new rows in the same form are compared too)."""
        super().clean()
        kept = [
            form.instance
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.instance.agency_id is not None
        ]
        for position, row in enumerate(kept):
            for other in kept[position + 1 :]:
                if row.agency_id == other.agency_id and row.overlaps(other):
                    raise ValidationError(
                        f"{row.agency.short_name}的兩段成員期間重疊，請調整起訖日期。"
                    )


class ReportGroupMembershipInline(admin.TabularInline):
    model = ReportGroupMembership
    formset = MembershipFormSet
    extra = 0
    fields = ("agency", "valid_from", "valid_to")
    autocomplete_fields = ("agency",)


@admin.register(ReportGroup)
class ReportGroupAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "sort_order")
    inlines = [ReportGroupMembershipInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "parent")
    list_filter = ("agency",)


@admin.register(Contractor)
class ContractorAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "agency",
        "unit",
        "contact_name",
        "phone",
        "contract_until",
        "is_active",
    )
    list_filter = ("agency", "is_active")
    search_fields = ("name", "contact_name")


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
                    "contractor",
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
