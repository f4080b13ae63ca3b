"""Page input of the professional consultations and the volunteers (zh-Hant labels; the
services check every rule)."""

from __future__ import annotations

from django import forms

from secretariat.core import roc
from secretariat.core.forms import DomainErrorForm, RocDateField, RocTimeField, optional_text
from secretariat.service.models import (
    CAPACITY_MAX,
    LEAFLETS_MAX,
    PEOPLE_MAX,
    TOPIC_MAX_LENGTH,
    Mode,
    Profession,
)

WEEKDAYS = "一二三四五六日"


def session_label(session) -> str:
    """A session as a citizen chooses it: 115/12/08（二）14:00–17:00 臺北律師公會 面對面諮詢（…）."""
    free = getattr(session, "free", None)
    left = f"，尚餘{free}名" if free is not None else ""
    return (
        f"{roc.format_date(session.day, 'slash')}（{WEEKDAYS[session.day.weekday()]}）"
        f"{session.starts:%H:%M}–{session.ends:%H:%M} {session.association.name}"
        f" {session.get_mode_display()}（{session.place}{left}）"
    )


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return session_label(obj)


class BookingForm(DomainErrorForm):
    """預約: a session, a name and a phone — nothing else is asked."""

    session = SessionChoiceField(label="諮詢時段", queryset=None, required=False)
    name = optional_text("姓名", 30, required=True)
    phone = optional_text("聯絡電話", 20, required=True)

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        from secretariat.service.models import ConsultSession

        ids = [s.pk for s in sessions]
        field = self.fields["session"]
        field.queryset = ConsultSession.objects.filter(pk__in=ids).select_related("association")
        by_id = {s.pk: s for s in sessions}
        field.choices = [("", "請選擇時段")] + [
            (s.pk, field.label_from_instance(by_id[s.pk])) for s in sessions
        ]
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"


class WalkInForm(DomainErrorForm):
    """現場諮詢."""

    association = forms.ModelChoiceField(label="公會", queryset=None, required=False)
    mode = forms.ChoiceField(label="方式", choices=Mode.choices)
    topic = optional_text("諮詢主題（勿填諮詢內容）", TOPIC_MAX_LENGTH)

    def __init__(self, *args, associations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations


class AssociationForm(DomainErrorForm):
    name = optional_text("公會名稱", 40, required=True)
    profession = forms.ChoiceField(label="專業領域", choices=Profession.choices)
    email = forms.EmailField(label="聯絡信箱（選填）", max_length=120, required=False)


class ProfessionalForm(DomainErrorForm):
    association = forms.ModelChoiceField(label="公會", queryset=None, required=False)
    name = optional_text("姓名", 40, required=True)
    email = forms.EmailField(label="信箱（選填，提醒用）", max_length=120, required=False)

    def __init__(self, *args, associations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations


class SessionForm(DomainErrorForm):
    association = forms.ModelChoiceField(label="公會", queryset=None, required=False)
    day = RocDateField(label="日期", required=False)
    starts = RocTimeField(label="開始時間", required=False)
    ends = RocTimeField(label="結束時間", required=False)
    mode = forms.ChoiceField(label="方式", choices=Mode.choices)
    place = optional_text("地點或電話專線", 40, required=True)
    capacity = forms.IntegerField(label="名額", min_value=1, max_value=CAPACITY_MAX, initial=6)

    def __init__(self, *args, associations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations


class SignInForm(DomainErrorForm):
    """簽到 (nothing to enter: the time is now)."""


class SignOutForm(DomainErrorForm):
    """簽退: the shift's people served and leaflets handed out."""

    people_served = forms.IntegerField(label="服務人次", min_value=0, max_value=PEOPLE_MAX)
    leaflets = forms.IntegerField(label="發送文宣", min_value=0, max_value=LEAFLETS_MAX)


class SwapForm(DomainErrorForm):
    to = forms.ModelChoiceField(label="代班志工", queryset=None, required=False)
    reason = optional_text("原因（選填）", 60)

    def __init__(self, *args, volunteers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = volunteers


class VolunteerForm(DomainErrorForm):
    name = optional_text("姓名", 30, required=True)
    phone = optional_text("聯絡電話", 20, required=True)
    email = forms.EmailField(label="電子郵件（選填）", max_length=120, required=False)
    address = optional_text("通訊地址（選填）", 100)
    birth_date = RocDateField(label="出生日期（選填）", required=False)
    emergency_contact = optional_text("緊急聯絡人及電話（選填）", 60)
    joined_on = RocDateField(label="加入日期（空白為今天）", required=False)


class PostForm(DomainErrorForm):
    name = optional_text("崗位名稱", 30, required=True)
    sort_order = forms.IntegerField(label="排序", min_value=0, max_value=1000, initial=100)


class ShiftForm(DomainErrorForm):
    post = forms.ModelChoiceField(label="崗位", queryset=None, required=False)
    volunteer = forms.ModelChoiceField(label="志工", queryset=None, required=False)
    day = RocDateField(label="日期", required=False)
    starts = RocTimeField(label="開始時間", required=False)
    ends = RocTimeField(label="結束時間", required=False)

    def __init__(self, *args, posts=None, volunteers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts
        self.fields["volunteer"].queryset = volunteers


class TrainingForm(DomainErrorForm):
    title = optional_text("課程名稱", 60, required=True)
    held_on = RocDateField(label="日期", required=False)
    hours = forms.DecimalField(
        label="時數", min_value=0, max_value=24, max_digits=4, decimal_places=1, required=False
    )


class AttendanceForm(DomainErrorForm):
    training = forms.ModelChoiceField(label="課程", queryset=None)
    volunteers = forms.ModelMultipleChoiceField(label="參訓志工", queryset=None)

    def __init__(self, *args, trainings=None, volunteers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = trainings
        self.fields["volunteers"].queryset = volunteers
