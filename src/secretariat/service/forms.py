"""Page input for the service desk (zh-Hant labels; the services check every rule)."""

from __future__ import annotations

from django import forms

from secretariat.core.forms import (
    AgencyChoiceField,
    DomainErrorForm,
    RocDateField,
    agencies_in_force,
    optional_text,
)
from secretariat.service.models import NOTE_MAX_LENGTH, Referral


class VisitForm(DomainErrorForm):
    """The counter's form: the optional agency, referral and note, then the category button
    (its value) logs the visit."""

    agency = AgencyChoiceField(label="相關機關（選填）", queryset=None, required=False)
    referral = forms.ChoiceField(label="轉介（選填）", choices=Referral.choices, required=False)
    note = optional_text("備註（選填，勿填個人資料）", NOTE_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_in_force()


class CallForm(DomainErrorForm):
    """派員通知: the agency phoned, for what, and who answered."""

    agency = AgencyChoiceField(label="通知機關", queryset=None, required=False)
    purpose = optional_text("事由（勿填個人資料）", 200, required=True)
    contact = optional_text("受話人員（選填）", 60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_in_force()


class CategoryForm(DomainErrorForm):
    code = forms.CharField(label="代號（英數字）", max_length=40, required=False)
    name = optional_text("名稱", 20, required=True)
    sort_order = forms.IntegerField(label="排序", min_value=0, max_value=1000, initial=100)


class RenameForm(DomainErrorForm):
    name = optional_text("新名稱", 20, required=True)
    valid_from = RocDateField(label="生效日", required=False)


class RoomForm(DomainErrorForm):
    name = optional_text("名稱", 40, required=True)
    place = optional_text("位置（選填）", 60)
