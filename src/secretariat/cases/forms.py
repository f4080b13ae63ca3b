"""Forms of the case pages. They only parse input: the engine's services validate the rules and
their DomainError messages are put next to the fields they name (``add_domain_error``)."""

from __future__ import annotations

from django import forms

from secretariat.cases import kinds, selectors
from secretariat.cases.models import CaseStatus
from secretariat.core.forms import (
    AgencyChoiceField,
    DomainErrorForm,
    MultipleFileField,
    RocDateField,
    TextForm,
    agencies_in_force,
    check_date_range,
    optional_text,
    required_text,
)

ORDER_CHOICES = [
    ("-received", "收件日期（新到舊）"),
    ("received", "收件日期（舊到新）"),
    ("due", "回復期限（近到遠）"),
    ("-due", "回復期限（遠到近）"),
    ("number", "案號（小到大）"),
    ("-number", "案號（大到小）"),
]
DECISIONS = [("approve", "核准"), ("refuse", "駁回")]


class AgenciesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.short_name


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj}（{obj.job_title}）" if obj.job_title else str(obj)


class CaseFilterForm(TextForm):
    """The list's filters (GET). Agencies do not get the agency filter: they see their own."""

    text = forms.CharField(label="案號或主旨關鍵字", required=False, max_length=100)
    kind = forms.ChoiceField(label="案件類別", required=False)
    status = forms.ChoiceField(label="狀態", required=False)
    agency = AgencyChoiceField(
        label="受分辦機關", queryset=None, required=False, to_field_name="code", empty_label="全部"
    )
    overdue = forms.BooleanField(label="僅列已逾期", required=False)
    received_from = RocDateField(label="收件日期（起）", required=False)
    received_to = RocDateField(label="收件日期（迄）", required=False)
    order = forms.ChoiceField(label="排序", choices=ORDER_CHOICES, required=False)

    def __init__(self, *args, sees_all: bool, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        if self.is_bound and "status" not in self.data:
            # A link with other parameters only (a page number) still means the open cases.
            self.data = self.data.copy()
            self.data["status"] = "open"
        self.fields["kind"].choices = [("", "全部")] + [
            (kind.code, kind.label) for kind in kinds.KINDS.values()
        ]
        open_label = "未結案件" if sees_all else "本機關待辦"
        self.fields["status"].choices = [("open", open_label), ("", "全部"), *CaseStatus.choices]
        self.fields["status"].initial = "open"
        if sees_all:
            self.fields["agency"].queryset = agencies_in_force()
        else:
            del self.fields["agency"]

    def clean(self):
        data = super().clean()
        check_date_range(self, "received_from", "received_to")
        return data

    def filters(self) -> dict:
        """The valid filters as keyword arguments of the list selectors (an invalid one is
        left out and shown with its field)."""
        data = {"status": "open"}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        filters = {
            "text": (data.get("text") or "").strip(),
            "kind": data.get("kind") or "",
            "status": data.get("status", "open"),
            "overdue": bool(data.get("overdue")),
            "received_from": data.get("received_from"),
            "received_to": data.get("received_to"),
            "order": data.get("order") or "-received",
        }
        if "agency" in self.fields:
            filters["agency"] = data.get("agency")
        return filters


class RouteForm(DomainErrorForm):
    """分辦: one lead agency and any co-agencies."""

    lead = AgencyChoiceField(
        label="主辦機關",
        queryset=None,
        empty_label="請選擇",
        error_messages={"required": "請選擇主辦機關。"},
    )
    co_agencies = AgenciesChoiceField(
        label="協辦機關（可複選）",
        queryset=None,
        required=False,
        help_text="按住 Ctrl（Mac 為 ⌘）可選擇多個機關。",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = agencies_in_force()
        self.fields["co_agencies"].queryset = agencies_in_force()


class OfficerForm(DomainErrorForm):
    officer = OfficerChoiceField(
        label="承辦人",
        queryset=None,
        empty_label="請選擇",
        error_messages={"required": "請選擇承辦人。"},
    )

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = selectors.assignable_officers(assignment)


class ReplyForm(DomainErrorForm):
    reply_text = required_text("回復內容", rows=8)


class DraftReplyForm(ReplyForm):
    attachments = MultipleFileField(label="回復附件（選填）", required=False)
    document_number = forms.CharField(
        label="回復公文文號（選填，已發文之公文）", max_length=10, required=False
    )


class ReassignmentRequestForm(DomainErrorForm):
    reason = required_text("改分理由")
    suggested_agency = AgencyChoiceField(
        label="建議改分機關（選填）", queryset=None, required=False, empty_label="未建議"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggested_agency"].queryset = agencies_in_force()


class ExtensionRequestForm(DomainErrorForm):
    reason = required_text("展期理由")
    requested_due_on = RocDateField(
        label="申請展延至",
        help_text="須為上班日，例：115/08/16。",
        error_messages={"required": "請填寫展延日期。"},
    )


class DecisionForm(DomainErrorForm):
    decision = forms.ChoiceField(
        label="核定結果",
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "請選擇核准或駁回。"},
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class ReassignmentDecisionForm(DecisionForm):
    new_agency = AgencyChoiceField(
        label="改分後機關（核准時）", queryset=None, required=False, empty_label="依申請建議"
    )
    note = forms.CharField(label="核定說明（選填）", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_agency"].queryset = agencies_in_force()


class CloseForm(DomainErrorForm):
    """結案: nothing to fill in, but what the kind asks for (its ``close_form``'s fields)."""

    @classmethod
    def for_kind(cls, kind) -> type[CloseForm]:
        if kind is None or kind.close_form is None:
            return cls
        return type("KindCloseForm", (cls, kind.close_form), {})


class WithdrawForm(DomainErrorForm):
    filed_reason = optional_text("撤回原因", 200, required=True)


class ProgressForm(DomainErrorForm):
    """進度報告 of a tracked part (列管)."""

    text = required_text("辦理情形", rows=6)
    asks_release = forms.BooleanField(label="已辦結，建議解除列管", required=False)


class ReleaseForm(DomainErrorForm):
    """解除列管."""

    reason = optional_text("解除列管理由", 200, required=True)


class FileForm(DomainErrorForm):
    filed_reason = optional_text("存查理由", 200, required=True)


# --- Internal notes, reply templates, 併案, the requester search --------------------------


class NoteForm(DomainErrorForm):
    """內部註記: for everyone involved, or for one agency involved."""

    text = required_text("註記內容", rows=3)
    for_agency = AgencyChoiceField(
        label="可見範圍",
        queryset=None,
        required=False,
        empty_label="本案所有相關機關",
        help_text="選「僅限」某機關時，只有該機關、您的機關與秘書處分辦人員看得到。",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = [agency.pk for agency in selectors.note_agencies(case)]
        field = self.fields["for_agency"]
        field.queryset = agencies_in_force().filter(pk__in=agencies)
        field.label_from_instance = lambda agency: f"僅限 {agency.short_name}"


class MergeForm(DomainErrorForm):
    """併案: the number of the case this one joins, and why."""

    into = optional_text("併入案號", selectors.FIELD_LIMITS["number"], required=True)
    into.help_text = "同類別、未存查或撤回的案件，例：陳115000123。"
    reason = optional_text("併案理由", 200, required=True)


class ReplyTemplateForm(DomainErrorForm):
    """回復範本: a title, the text, and the kind it is for (or every kind)."""

    title = optional_text("範本名稱", 60, required=True)
    kind = forms.ChoiceField(label="適用案件類別", required=False)
    text = required_text("範本內容", rows=8)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "所有類別")] + [
            (kind.code, kind.label) for kind in kinds.KINDS.values()
        ]


class RequesterSearchForm(DomainErrorForm):
    """陳情人查詢: a name or a phone number (sent by POST, so it stays out of addresses,
    browser history and server logs)."""

    requester = optional_text("陳情人姓名或電話", 60, required=True)
    requester.help_text = "姓名至少 2 個字，電話至少 8 位數字；每次查詢皆記錄於稽核紀錄。"
