"""Forms of the council-relations pages: liaisons, their meetings, engagements with their
commitments. They only parse input: the services check the
rules and their messages are put beside the fields they name (``add_domain_error``)."""

from __future__ import annotations

from django import forms

from secretariat.core import roc
from secretariat.core.forms import (
    AgencyChoiceField,
    DomainErrorForm,
    RocDateField,
    TextForm,
    optional_text,
)
from secretariat.core.models import Agency
from secretariat.council.models import (
    Attendance,
    Councillor,
    EngagementKind,
    LiaisonMeetingKind,
    Term,
)

PERIOD_HELP = "例：115年、115年上半年、115年1月至6月。"


class PeriodForm(TextForm):
    """The period a list covers (GET); an unreadable period is shown with its field and the
    default is used."""

    period = forms.CharField(label="期間", required=False, max_length=40, help_text=PERIOD_HELP)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)

    def clean_period(self) -> roc.Period | None:
        text = self.cleaned_data["period"].strip()
        if not text:
            return None
        try:
            return roc.parse_period(text)
        except roc.RocDateError as error:
            raise forms.ValidationError(str(error), code="invalid") from error

    def period_or(self, default: roc.Period) -> roc.Period:
        if self.is_bound and self.is_valid() and self.cleaned_data["period"] is not None:
            return self.cleaned_data["period"]
        return default


# --- Liaisons --------------------------------------------------------------------------------


class LiaisonForm(DomainErrorForm):
    """派兼 a liaison: the agencies offered are those the person may appoint for."""

    agency = AgencyChoiceField(
        label="機關",
        queryset=Agency.objects.none(),
        empty_label="請選擇",
        error_messages={"required": "請選擇機關。"},
    )
    name = optional_text("姓名", 40, required=True)
    title = optional_text("職稱", 60)
    phone = optional_text("電話", 40)
    mobile = optional_text("手機", 40)
    email = optional_text("電子郵件", 254)
    start_on = RocDateField(
        label="派兼日",
        help_text="前任聯絡人任至前一日。例：115/08/16。",
        error_messages={"required": "請填寫派兼日。"},
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0]


class EndLiaisonForm(DomainErrorForm):
    end_on = RocDateField(
        label="卸任日（最後在任日）",
        help_text="例：115/08/16。",
        error_messages={"required": "請填寫卸任日。"},
    )


class LiaisonMeetingForm(DomainErrorForm):
    kind = forms.ChoiceField(
        label="類別",
        choices=[("", "請選擇"), *LiaisonMeetingKind.choices],
        required=False,
    )
    title = optional_text("名稱", 120, required=True)
    held_on = RocDateField(
        label="日期",
        help_text="當日在任的府會聯絡人均列為受邀。例：115/08/16。",
        error_messages={"required": "請填寫日期。"},
    )
    place = optional_text("地點", 120)


class AttendanceForm(DomainErrorForm):
    attended = forms.TypedMultipleChoiceField(
        label="出席人員",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="勾選出席者；未勾選者記為未出席。",
    )

    def __init__(self, *args, attendances: list[Attendance], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (row.liaison_id, f"{row.liaison.agency.short_name}　{row.liaison.name}")
            for row in attendances
        ]
        self.fields["attended"].initial = [row.liaison_id for row in attendances if row.attended]


# --- Engagements -----------------------------------------------------------------------------


class CouncillorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.caucus}）" if obj.caucus else obj.name


def _latest_term_councillors():
    # The councillors of the latest term are the ones the mayor meets; earlier terms' would
    # only lengthen the list.
    term = Term.objects.first()
    return Councillor.objects.filter(term=term).order_by("caucus", "name")


class EngagementForm(DomainErrorForm):
    kind = forms.ChoiceField(
        label="類別", choices=[("", "請選擇"), *EngagementKind.choices], required=False
    )
    held_on = RocDateField(
        label="日期", help_text="例：115/08/16。", error_messages={"required": "請填寫日期。"}
    )
    topic = optional_text("主題", 200, required=True)
    caucus = forms.ChoiceField(label="黨團（市長赴黨團溝通）", required=False)
    councillors = CouncillorsField(
        label="出席議員（議員與市長座談會）",
        queryset=Councillor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    officials = optional_text("本府出席", 300)
    notes = optional_text("紀要", None, rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        councillors = _latest_term_councillors()
        caucuses = sorted({c.caucus for c in councillors if c.caucus})
        self.fields["caucus"].choices = [("", "不適用"), *((c, c) for c in caucuses)]
        self.fields["councillors"].queryset = councillors


class CommitmentForm(DomainErrorForm):
    subject = optional_text("主旨", 200, required=True)
    text = optional_text("承諾內容", None, required=True, rows=4)
