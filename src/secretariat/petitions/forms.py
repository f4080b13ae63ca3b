"""Petition forms. They only read the input: every rule (required fields, e-mail format,
attachments, consent) is checked by the services, whose field errors are shown next to the
fields through :meth:`ServiceErrorsMixin.show`."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from secretariat.cases.selectors import BODY_MAX_LENGTH, Channel
from secretariat.core import uploads
from secretariat.core.errors import DomainError
from secretariat.core.forms import MultipleFileField, RocDateField, TextForm
from secretariat.petitions.catalogue import (
    CATEGORIES,
    CONSENT_LABEL,
    DEFAULT_CATEGORY,
    PUBLICATION_LABEL,
)
from secretariat.petitions.services import MAX_ATTACHMENTS, STAFF_CHANNELS


class ServiceErrorsMixin:
    """Show a service's DomainError: field messages beside their fields, the rest on top."""

    def show(self, error: DomainError) -> None:
        shown = False
        for name, messages in error.fields.items():
            if name in self.fields:
                for message in messages:
                    self.add_error(name, message)
                shown = True
        if not shown:
            self.add_error(None, error.message)


def _required(field: forms.Field) -> forms.Field:
    field.label = f"{field.label}（必填）"
    field.widget.attrs["aria-required"] = "true"
    return field


def _attachment_help() -> str:
    kinds = uploads.accepted_extensions()
    limit = uploads.max_upload_bytes() // (1024 * 1024)
    return f"最多 {MAX_ATTACHMENTS} 個檔案，每個不超過 {limit} MB；接受 {kinds}。"


class PetitionFields(ServiceErrorsMixin, TextForm):
    category = forms.ChoiceField(label="陳情類別", choices=[(c.code, c.name) for c in CATEGORIES])
    subject = forms.CharField(label="主旨", required=False, max_length=200)
    body = forms.CharField(
        label="陳情內容",
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    address_string = forms.CharField(label="問題發生地點（選填）", required=False, max_length=200)
    name = forms.CharField(label="姓名", required=False, max_length=60)
    email = forms.CharField(
        label="電子郵件",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="電話（選填）",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    address = forms.CharField(label="通訊地址（選填）", required=False, max_length=200)
    attachments = MultipleFileField(label="附件（選填）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].initial = DEFAULT_CATEGORY
        self.fields["attachments"].help_text = _attachment_help()
        for name in ("subject", "body"):
            _required(self.fields[name])

    def content_fields(self) -> list[forms.BoundField]:
        names = (
            "channel",
            "received_on",
            "category",
            "subject",
            "body",
            "address_string",
            "attachments",
        )
        return [self[name] for name in names if name in self.fields]

    def contact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "email", "phone", "address")]

    def petition_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "category": data["category"],
            "subject": data["subject"],
            "body": data["body"],
            "address_string": data["address_string"],
            "requester": {k: data[k] for k in ("name", "email", "phone", "address")},
            "attachments": data["attachments"],
        }


class PublicPetitionForm(PetitionFields):
    """The citizen's web form (no sign-in)."""

    consent = forms.BooleanField(label=CONSENT_LABEL, required=False)
    publish = forms.BooleanField(label=PUBLICATION_LABEL, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self.fields["name"])
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].label = "電子郵件（建議填寫，以收受理及回復通知）"
        self.fields["consent"].widget.attrs["aria-required"] = "true"

    def petition_fields(self) -> dict:
        data = self.cleaned_data
        return {**super().petition_fields(), "consent": data["consent"], "publish": data["publish"]}


class StaffIntakeForm(PetitionFields):
    """Staff register a letter, e-mail, phone call or counter visit (收件登錄)."""

    channel = forms.ChoiceField(
        label="來源管道",
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        initial=Channel.LETTER,
    )
    received_on = RocDateField(label="收件日期", required=False)

    def __init__(self, *args, counter_only: bool = False, channel: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if counter_only:
            self.fields["channel"].choices = [(Channel.COUNTER.value, Channel.COUNTER.label)]
        if counter_only or channel in dict(self.fields["channel"].choices):
            self.fields["channel"].initial = Channel.COUNTER if counter_only else channel
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["name"].label = "陳情人姓名（匿名陳情免填）"
        self.fields["email"].label = "陳情人電子郵件（選填）"

    def petition_fields(self) -> dict:
        data = self.cleaned_data
        return {
            **super().petition_fields(),
            "channel": data["channel"],
            "received_on": data["received_on"],
        }


class LookupForm(ServiceErrorsMixin, TextForm):
    number = forms.CharField(
        label="案件編號",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "例：陳115000123", "autocomplete": "off"}),
    )
    password = forms.CharField(
        label="查詢密碼",
        required=False,
        max_length=40,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


RATINGS = [
    ("5", "5 分：非常滿意"),
    ("4", "4 分：滿意"),
    ("3", "3 分：普通"),
    ("2", "2 分：不滿意"),
    ("1", "1 分：非常不滿意"),
]


class SurveyForm(ServiceErrorsMixin, TextForm):
    rating = forms.ChoiceField(
        label="您對本案處理結果的滿意度", choices=RATINGS, required=False, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="其他意見（選填）",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
