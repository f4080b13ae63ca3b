"""Forms of 媒體聯繫's pages. They only parse input: the services check the rules (required
text, lengths, links, who may)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from secretariat.core.forms import (
    AgencyChoiceField,
    DomainErrorForm,
    RocDateField,
    RocTimeField,
    TextForm,
    agencies_in_force,
    optional_text,
    required_text,
)
from secretariat.media.models import (
    ContactRole,
    Importance,
    Platform,
    PostKind,
    PressContact,
    PressEventKind,
    Tone,
)


class ScheduleItemForm(DomainErrorForm):
    day = RocDateField(
        label="日期", help_text="例：115/08/16。", error_messages={"required": "請填寫日期。"}
    )
    starts_at = RocTimeField(label="時間", error_messages={"required": "請填寫時間。"})
    title = optional_text("行程", 200, required=True)
    place = optional_text("地點", 200)

    def __init__(self, *args, day: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = day or timezone.localdate()


def _moment(day: dt.date | None, at: dt.time | None) -> dt.datetime | None:
    """A date and an optional time (default 09:00) as an aware moment; None without a date."""
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, at or dt.time(9, 0)))


class PublishAtMixin:
    """發布日期 and 發布時間 (empty: when approved)."""

    def publish_at(self) -> dt.datetime | None:
        return _moment(self.cleaned_data.get("publish_on"), self.cleaned_data.get("publish_time"))


class ReleaseForm(PublishAtMixin, DomainErrorForm):
    title = optional_text("標題", 200, required=True)
    body = required_text("內容", rows=12)
    in_mayors_name = forms.BooleanField(label="以市長名義發布（另經秘書處核定）", required=False)
    publish_on = RocDateField(
        label="發布日期（選填）", required=False, help_text="空白為核定時發布。"
    )
    publish_time = RocTimeField(label="發布時間（選填）", required=False)
    contact_name = optional_text("新聞聯絡人（選填）", 60)
    contact_phone = optional_text("聯絡電話（選填）", 40)

    def release_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "in_mayors_name": data["in_mayors_name"],
            "publish_at": self.publish_at(),
            "contact_name": data["contact_name"],
            "contact_phone": data["contact_phone"],
        }


class ApproveForm(PublishAtMixin, DomainErrorForm):
    publish_on = RocDateField(
        label="發布日期（選填）", required=False, help_text="空白依原訂時間或立即發布。"
    )
    publish_time = RocTimeField(label="發布時間（選填）", required=False)


class ReturnForm(DomainErrorForm):
    reason = optional_text("退回理由", 200, required=True)


class CorrectForm(DomainErrorForm):
    title = optional_text("更正後標題", 200, required=True)
    body = required_text("更正後內容", rows=10)
    note = optional_text("更正說明", 200, required=True)


class ReleaseFileForm(DomainErrorForm):
    file = forms.FileField(label="照片或附件", error_messages={"required": "請選擇檔案。"})
    caption = optional_text("說明（照片的替代文字）", 200)


class EventForm(DomainErrorForm):
    kind = forms.ChoiceField(label="類別", choices=PressEventKind.choices)
    held_on = RocDateField(label="日期", required=False)
    topic = optional_text("主題", 200, required=True)
    host = optional_text("主持人（選填）", 60)
    outlet = optional_text("媒體（專訪必填）", 100)
    journalist = optional_text("記者（選填）", 60)
    place = optional_text("地點（選填）", 200)
    agencies = forms.ModelMultipleChoiceField(
        label="相關機關（選填）", queryset=PressContact.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies_in_force()
        self.fields["agencies"].label_from_instance = lambda agency: agency.short_name


class PostForm(DomainErrorForm):
    platform = forms.ChoiceField(label="平台", choices=Platform.choices)
    posted_on = RocDateField(label="發布日期", required=False)
    kind = forms.ChoiceField(label="類型", choices=PostKind.choices)
    title = optional_text("標題", 200, required=True)
    link = optional_text("連結（選填）", 500)


class CaptureForm(DomainErrorForm):
    title = optional_text("標題", 200, required=True)
    summary = required_text("摘要", rows=4)
    outlet = optional_text("媒體來源", 100, required=True)
    link = optional_text("連結（選填）", 500)
    reported_on = RocDateField(label="報導日期（選填）", required=False, help_text="空白為今天。")
    tone = forms.ChoiceField(label="傾向", choices=Tone.choices, initial=Tone.NEUTRAL)
    importance = forms.ChoiceField(
        label="重要性", choices=Importance.choices, initial=Importance.NORMAL
    )


class ClassifyForm(DomainErrorForm):
    tone = forms.ChoiceField(label="傾向", choices=Tone.choices)
    importance = forms.ChoiceField(label="重要性", choices=Importance.choices)


class ClarificationForm(DomainErrorForm):
    published = forms.BooleanField(label="已公開澄清（新聞稿、社群或回應媒體）", required=False)
    published_on = RocDateField(label="公開日期（選填）", required=False)
    link = optional_text("公開連結（選填）", 500)


class FeedForm(DomainErrorForm):
    url = optional_text("RSS 網址", 500)
    file = forms.FileField(label="或上傳 RSS／Atom 檔案", required=False)
    outlet = optional_text("媒體來源（選填，條目未載明時使用）", 100)


class MonitoringForm(DomainErrorForm):
    file = forms.FileField(
        label="監測服務匯出檔（CSV 或 XLSX）", error_messages={"required": "請選擇檔案。"}
    )


class DayForm(TextForm):
    day = RocDateField(label="日期", required=False)


class ContactForm(DomainErrorForm):
    role = forms.ChoiceField(label="職務", choices=ContactRole.choices)
    name = optional_text("姓名", 60, required=True)
    job_title = optional_text("職稱（選填）", 60)
    office_phone = optional_text("公務電話", 40)
    mobile = optional_text("行動電話（僅核准記者及機關人員可見）", 40)
    email = optional_text("電子郵件", 254)
    line_id = optional_text("LINE ID（僅核准記者及機關人員可見）", 60)
    topics = optional_text("業務範圍（供記者依議題查詢，以「、」分隔）", 200)
    backup = forms.ModelChoiceField(
        label="代理人（選填）", queryset=PressContact.objects.none(), required=False
    )

    def __init__(self, *args, agency=None, choose_agency: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_agency:
            self.fields["agency"] = AgencyChoiceField(label="機關", queryset=agencies_in_force())
            self.order_fields(["agency"])
        if agency is not None:
            self.fields["backup"].queryset = PressContact.objects.filter(agency=agency)
        self.fields["backup"].label_from_instance = lambda c: f"{c.name}（{c.get_role_display()}）"

    def contact_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("agency", None)
        return data


class ContactSearchForm(TextForm):
    q = forms.CharField(label="機關或議題", max_length=60, required=False)
    agency = AgencyChoiceField(label="機關", queryset=PressContact.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_in_force()
        self.fields["agency"].empty_label = "全部機關"


class SignupForm(DomainErrorForm):
    username = forms.CharField(label="帳號", max_length=150)
    password = forms.CharField(
        label="密碼", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="再次輸入密碼", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    name = optional_text("姓名", 60, required=True)
    outlet = optional_text("服務媒體", 100, required=True)
    job_title = optional_text("職稱（選填）", 60)
    phone = optional_text("聯絡電話", 40, required=True)
    email = optional_text("電子郵件", 254, required=True)
    beat = optional_text("採訪路線（選填）", 200)
    receives_releases = forms.BooleanField(
        label="以電子郵件接收本府新聞稿", required=False, initial=True
    )
    consent = forms.BooleanField(
        label="同意本府為審核及聯繫之目的蒐集、處理上述個人資料",
        error_messages={"required": "請勾選同意個人資料之蒐集及處理。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What a phone's keyboard and autofill need.
        for name, hint, mode in (
            ("username", "username", "text"),
            ("name", "name", "text"),
            ("outlet", "organization", "text"),
            ("job_title", "organization-title", "text"),
            ("phone", "tel", "tel"),
            ("email", "email", "email"),
        ):
            self.fields[name].widget.attrs.update(autocomplete=hint, inputmode=mode)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "兩次輸入的密碼不同。")
        return data

    def journalist_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("password2", "consent"):
            data.pop(name)
        return data


class DecisionForm(DomainErrorForm):
    note = optional_text("說明（選填）", 200)
