"""Django admin of the documents workflow's settings: each agency's profile and 發文代字, the
分層負責明細表, and who signs at which level (代理, 監印). Documents, their trails and the
registers are read-only here — they change only through the workflow's steps, which sign
them — and are never deleted. Every model edited here is Audited."""

from django.contrib import admin

from secretariat.documents.models import (
    AgencyProfile,
    Document,
    HistoryTally,
    IssuingCode,
    MatterCategory,
    SealUse,
    Signer,
    VerificationRun,
)


@admin.register(AgencyProfile)
class AgencyProfileAdmin(admin.ModelAdmin):
    list_display = ("agency", "letterhead", "head_title", "head_name", "allow_classified_exchange")
    list_filter = ("allow_classified_exchange",)
    search_fields = ("agency__name", "agency__short_name")


@admin.register(IssuingCode)
class IssuingCodeAdmin(admin.ModelAdmin):
    list_display = ("prefix", "agency", "unit", "in_government_name")
    search_fields = ("prefix", "agency__short_name")


@admin.register(MatterCategory)
class MatterCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "agency", "level", "active")
    list_filter = ("level", "active")
    search_fields = ("code", "name", "agency__short_name")


@admin.register(Signer)
class SignerAdmin(admin.ModelAdmin):
    list_display = ("user", "level", "deputy_for", "keeps_seals", "token_label", "certificate")
    list_filter = ("level", "keeps_seals")
    search_fields = ("user__username", "user__display_name", "token_label")
    raw_id_fields = ("user", "deputy_for")
    # The certificate is registered by its holder with the card's PIN (「我的憑證卡」).
    readonly_fields = ("certificate",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of the workflow: looked at here, changed only through the workflow."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "agency", "doc_type", "status", "secrecy", "received_on")
    list_filter = ("status", "secrecy", "doc_type", "signing_mode")
    search_fields = ("number", "agency__short_name")
    # The text is never shown here: a confidential one is sealed, and openings are audited on
    # the document's page only.
    exclude = ("subject", "sealed_subject", "wrapped_key")


@admin.register(SealUse)
class SealUseAdmin(ReadOnlyAdmin):
    list_display = ("document", "used_on", "seal", "impressions", "keeper")
    exclude = ("sealed_pdf",)


@admin.register(HistoryTally)
class HistoryTallyAdmin(ReadOnlyAdmin):
    list_display = ("date", "agency", "doc_type", "speed", "origin", "signing_mode", "count")
    list_filter = ("origin", "signing_mode", "speed")


@admin.register(VerificationRun)
class VerificationRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "document", "checked", "broken")
