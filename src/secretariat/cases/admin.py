"""Django admin for the case engine's settings: the routing keyword table (分辦關鍵字, what
the suggester reads) and the per-kind rules (回復期限 in working days or hours, 改分申請期限,
期限前提醒)."""

from django import forms
from django.contrib import admin

from secretariat.cases import kinds
from secretariat.cases.models import KindSetting, RoutingKeyword


@admin.register(RoutingKeyword)
class RoutingKeywordAdmin(admin.ModelAdmin):
    list_display = ("keyword", "agency", "weight")
    list_editable = ("agency", "weight")
    list_filter = ("agency",)
    search_fields = ("keyword", "agency__name", "agency__short_name")
    autocomplete_fields = ("agency",)
    ordering = ("keyword", "agency__sort_order")


class KindSettingForm(forms.ModelForm):
    kind = forms.ChoiceField(label="案件類別")

    class Meta:
        model = KindSetting
        fields = ["kind", "reply_days", "reply_hours", "reassign_days", "remind_days_before"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.label) for k in kinds.KINDS.values()]


@admin.register(KindSetting)
class KindSettingAdmin(admin.ModelAdmin):
    form = KindSettingForm
    list_display = (
        "kind",
        "kind_label",
        "reply_days",
        "reply_hours",
        "reassign_days",
        "remind_days_before",
    )

    @admin.display(description="名稱")
    def kind_label(self, setting: KindSetting) -> str:
        return kinds.label(setting.kind)
