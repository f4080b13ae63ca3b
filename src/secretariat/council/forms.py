"""Forms of the council pages (questions, data requests, disputes, service cases). They only
parse input; the services check the rules and their field errors are shown beside the fields
(``DomainErrorForm.add_domain_error``)."""

from __future__ import annotations

from django import forms

from secretariat.core.forms import (
    AgencyChoiceField,
    DomainErrorForm,
    RocDateField,
    agencies_in_force,
    required_text,
)
from secretariat.council.models import (
    Councillor,
    DisputeKind,
    DisputeOutcome,
    EventKind,
    Grade,
    Session,
    Urgency,
)


class CouncillorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Councillor) -> str:
        return f"{obj.name}（{obj.caucus}）" if obj.caucus else obj.name


class CouncillorField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Councillor) -> str:
        return f"{obj.name}（{obj.caucus}）" if obj.caucus else obj.name


def _councillors():
    return Councillor.objects.select_related("term").order_by("-term__number", "name")


class EventForm(DomainErrorForm):
    session = forms.ModelChoiceField(
        label="大會",
        queryset=Session.objects.select_related("term"),
        empty_label="請選擇",
        error_messages={"required": "請選擇大會。"},
    )
    kind = forms.ChoiceField(label="質詢類別", choices=EventKind.choices)
    title = forms.CharField(label="名稱", max_length=120, required=False)
    start_on = RocDateField(label="起日", error_messages={"required": "請填寫起日。"})
    end_on = RocDateField(label="迄日", error_messages={"required": "請填寫迄日。"})
    sittings = forms.IntegerField(label="天數／場數", min_value=1, initial=1)


class QuestionForm(DomainErrorForm):
    """The questioning councillor first (the compilation groups the question under them),
    then any who asked jointly."""

    councillor = CouncillorField(
        label="質詢議員", queryset=_councillors(), required=False, empty_label="請選擇"
    )
    joint = CouncillorsField(
        label="共同質詢議員（選填，可複選）",
        queryset=_councillors(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    asked_on = RocDateField(label="質詢日期", error_messages={"required": "請填寫質詢日期。"})
    subject = forms.CharField(label="主旨", max_length=200, required=False)
    text = required_text("質詢內容（側記）", rows=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["councillor"].queryset = _councillors()
        self.fields["joint"].queryset = _councillors()

    def question_fields(self) -> dict:
        data = dict(self.cleaned_data)
        first, joint = data.pop("councillor"), list(data.pop("joint"))
        data["councillors"] = ([first] if first else []) + joint
        return data

    def add_domain_error(self, error) -> None:
        # The service names the councillors as one field; here it is the first one's.
        if "councillors" in error.fields:
            error.fields["councillor"] = error.fields.pop("councillors")
        super().add_domain_error(error)


class DataRequestForm(DomainErrorForm):
    councillor = CouncillorField(
        label="議員",
        queryset=_councillors(),
        empty_label="請選擇",
        error_messages={"required": "請選擇議員。"},
    )
    subject = forms.CharField(label="索資題目", max_length=200, required=False)
    text = required_text("索資內容", rows=5)
    urgency = forms.ChoiceField(label="速別", choices=Urgency.choices)
    received_on = RocDateField(label="收件日期", error_messages={"required": "請填寫收件日期。"})
    custom_due_on = RocDateField(label="指定期限（選填，須短於速別期限）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["councillor"].queryset = _councillors()


class ServiceCaseForm(DomainErrorForm):
    councillor = CouncillorField(
        label="議員",
        queryset=_councillors(),
        empty_label="請選擇",
        error_messages={"required": "請選擇議員。"},
    )
    subject = forms.CharField(label="主旨", max_length=200, required=False)
    text = required_text("案情", rows=5)
    received_on = RocDateField(label="收件日期", error_messages={"required": "請填寫收件日期。"})
    name = forms.CharField(label="陳情民眾姓名（選填）", max_length=100, required=False)
    phone = forms.CharField(label="陳情民眾電話（選填）", max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["councillor"].queryset = _councillors()


class DisputeForm(DomainErrorForm):
    kind = forms.ChoiceField(label="爭議類別", choices=DisputeKind.choices)
    reason = required_text("爭議理由")


class DisputeDecisionForm(DomainErrorForm):
    outcome = forms.ChoiceField(
        label="處理結果", choices=[("", "請選擇"), *DisputeOutcome.choices], required=False
    )
    decision_note = required_text("處理說明")
    new_agency = AgencyChoiceField(
        label="改由機關（改由其他機關辦理時）",
        queryset=None,
        required=False,
        empty_label="不改分",
    )
    new_due_on = RocDateField(label="新期限（選填）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_agency"].queryset = agencies_in_force()


class GradeForm(DomainErrorForm):
    grade = forms.ChoiceField(
        label="處理等級", choices=[("", "請選擇"), *Grade.choices], required=False
    )
