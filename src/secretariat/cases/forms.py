"""Forms of the case pages. They only parse input: the engine's services validate the rules and
their DomainError messages are put next to the fields they name (``add_domain_error``)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.urls import reverse

from secretariat.cases import kinds, selectors
from secretariat.cases.deadlines import Deadline
from secretariat.cases.models import CaseStatus
from secretariat.cases.selectors import assignees
from secretariat.core import roc, text
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
    queue = forms.ChoiceField(label="工作佇列", required=False)
    overdue = forms.BooleanField(label="僅列已逾期", required=False)
    received_from = RocDateField(label="收件日期（起）", required=False)
    received_to = RocDateField(label="收件日期（迄）", required=False)
    order = forms.ChoiceField(label="排序", choices=ORDER_CHOICES, required=False)

    def __init__(self, *args, sees_all: bool, queues=(), **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        if queues:
            labels = selectors.QUEUE_LABELS
            self.fields["queue"].choices = [("", "不限")] + [(key, labels[key]) for key in queues]
        else:
            del self.fields["queue"]
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
        if "queue" in self.fields:
            filters["queue"] = data.get("queue") or ""
        return filters

    def described(self) -> list[str]:
        """The filters in force, in words (「狀態「未結案件」」), for a list that found nothing."""
        self.filters()  # cleans a bound form
        data = self.cleaned_data if self.is_bound else {"status": "open"}
        shown = []
        for name, field in self.fields.items():
            value = data.get(name)
            if name == "order" or value in (None, "", False):
                continue
            if hasattr(value, "short_name"):
                value = value.short_name
            elif isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)
            elif isinstance(field, forms.BooleanField):
                value = "是"
            elif isinstance(value, dt.date):
                value = roc.format_date(value, "slash")
            shown.append(f"{field.label}「{value}」")
        return shown


# Names typed into a picker without choosing from its list (no JavaScript): several are
# separated by 、 or commas.
_NAME_SEPARATORS = re.compile(r"[、,，;；]+")
TYPED_MAX = 200


class AssigneePicker(forms.Widget):
    """A type-ahead picker of 受分辦者 (the ARIA combobox pattern): a text box whose typing
    asks the server for matches (htmx, ``cases:assignees``) shown in a listbox; arrow keys
    move, Enter chooses (``cases/static/cases/picker.js``, no inline script). The chosen
    assignees are hidden inputs named after the field; a name typed without choosing (no
    JavaScript) is sent as ``<name>_name`` and resolved by the field."""

    template_name = "cases/widgets/assignee_picker.html"

    def __init__(self, *, multiple: bool = False, attrs=None):
        super().__init__(attrs)
        self.multiple = multiple

    def value_from_datadict(self, data, files, name):
        chosen = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        if isinstance(chosen, str):
            chosen = [chosen]
        return [value for value in chosen if value], data.get(f"{name}_name", "")

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and f"{name}_name" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen, typed = _picked(value)
        options = [assignees.option(assignee) for assignee in chosen]
        context["widget"].update(
            {
                "multiple": self.multiple,
                "chosen": options,
                "typed": typed if self.multiple or not options else options[0].label,
                "search_url": reverse("cases:assignees"),
            }
        )
        return context

    def id_for_label(self, id_):
        return id_


def _picked(value) -> tuple[list, str]:
    """(the assignees chosen, the text typed) of a bound value, an initial assignee or a
    list of them."""
    if isinstance(value, tuple):
        values, typed = value
        found = [assignees.assignee_from_value(v) for v in values]
        return [a for a in found if a is not None], typed
    if value is None or value == "":
        return [], ""
    items = value if isinstance(value, list | tuple) else [value]
    return [item for item in items if not isinstance(item, str)], ""


class AssigneeField(forms.Field):
    """受分辦者 from the picker: an agency in force, a unit or an active contractor (several
    with ``multiple``). Chosen values are checked again; a typed name must be exact."""

    def __init__(self, *, multiple: bool = False, **kwargs):
        self.multiple = multiple
        kwargs.setdefault("widget", AssigneePicker(multiple=multiple))
        super().__init__(**kwargs)

    def clean(self, value):
        chosen, typed = value if isinstance(value, tuple) else ([], "")
        problem = text.text_problem(typed, str(self.label), max_length=TYPED_MAX)
        if problem:
            raise forms.ValidationError(problem, code="invalid")
        found = []
        for item in chosen:
            assignee = assignees.assignee_from_value(item)
            if assignee is None:
                raise forms.ValidationError("所選的受分辦者已不存在或已停用，請重新選擇。")
            found.append(assignee)
        names = _NAME_SEPARATORS.split(typed) if self.multiple else [typed]
        if not self.multiple and found:
            names = []  # the text box shows the chosen one's name
        for name in (n.strip() for n in names):
            if not name:
                continue
            assignee = assignees.assignee_by_name(name)
            if assignee is None:
                raise forms.ValidationError(
                    f"找不到名為「{name}」的機關、單位或承攬廠商，請從清單中選擇。"
                )
            found.append(assignee)
        unique = list({assignees.value_of(a): a for a in found}.values())
        if self.multiple:
            return unique
        if not unique:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        return unique[0]


class RouteForm(DomainErrorForm):
    """分辦: one lead and any co-assignees (agencies, units or contractors), and the deadline —
    by default the kind's rule (``deadlines.part_deadline``), changeable with a reason."""

    lead = AssigneeField(
        label="主辦機關",
        error_messages={"required": "請選擇主辦機關。"},
        help_text="輸入機關名稱的部分文字，以方向鍵選擇、Enter 確定。",
    )
    co_agencies = AssigneeField(
        label="協辦機關（可複選）",
        multiple=True,
        required=False,
        help_text="可加入多個機關；已加入的機關可按「移除」。",
    )
    due_on = RocDateField(label="回復期限", required=False)
    due_reason = forms.CharField(label="變更期限理由", required=False, max_length=200)

    def __init__(self, *args, case=None, default_due: Deadline | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_due = default_due
        if default_due is not None:
            self.fields["due_on"].initial = default_due.due_on
            self.fields["due_on"].help_text = (
                f"依規定為 {default_due}（{due_rule(case)}）；"
                "如變更，請填寫變更期限理由，期限須為上班日。"
            )

    def deadline(self) -> tuple[dt.date | None, str]:
        """The deadline asked for and its reason: None when it is the rule's default."""
        due_on = self.cleaned_data.get("due_on")
        if due_on is None or (self.default_due and due_on == self.default_due.due_on):
            return None, ""
        return due_on, self.cleaned_data.get("due_reason", "")


def due_rule(case) -> str:
    """How the kind's deadline is counted, in words (「6 個工作天，自分辦次日起算」)."""
    kind = kinds.get(case.kind)
    if kind.deadline is not None:
        return f"依{kind.label}的規定計算"
    rules = kinds.rules_for(case.kind)
    if rules.reply_hours:
        return f"{rules.reply_hours} 個上班小時，自分辦時起算"
    return f"{rules.reply_days} 個工作天，自分辦次日起算"


class BulkRouteForm(RouteForm):
    """分辦 the cases checked on the list at once (their numbers are sent as ``cases``), with
    the same assignees and deadline."""

    due_on = RocDateField(
        label="回復期限（選填）",
        required=False,
        help_text="留空時，各案依其類別規定計算期限；填寫時請一併填寫變更期限理由。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="bulk-%s", **kwargs)


class TakePartForm(DomainErrorForm):
    """指定由我承辦: nothing to fill in."""


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
