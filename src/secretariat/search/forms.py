"""The search page's form (GET): the query and its filters, dates in 民國 form."""

from __future__ import annotations

from django import forms

from secretariat.core.forms import (
    AgencyChoiceField,
    RocDateField,
    TextForm,
    agencies_in_force,
    check_date_range,
)
from secretariat.search import registry
from secretariat.search.selectors import ORDERS, Filters
from secretariat.search.text import MAX_QUERY_LENGTH


class SearchForm(TextForm):
    q = forms.CharField(label="搜尋字詞", required=False, max_length=MAX_QUERY_LENGTH)
    kind = forms.ChoiceField(label="類別", required=False)
    status = forms.ChoiceField(label="狀態", required=False)
    agency = AgencyChoiceField(
        label="主辦機關", queryset=None, required=False, to_field_name="code", empty_label="全部"
    )
    date_from = RocDateField(label="日期（起）", required=False)
    date_to = RocDateField(label="日期（迄）", required=False)
    order = forms.ChoiceField(label="排序", choices=list(ORDERS.items()), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "search-%s")
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": '例：違規停車　"公園 樹木"'}
        )
        self.fields["kind"].choices = [("", "全部"), *registry.kind_labels().items()]
        self.fields["status"].choices = [("", "全部"), *registry.status_labels().items()]
        self.fields["agency"].queryset = agencies_in_force()

    def clean(self):
        data = super().clean()
        check_date_range(self, "date_from", "date_to")
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            kinds=(data["kind"],) if data.get("kind") else (),
            statuses=(data["status"],) if data.get("status") else (),
            agency_id=data["agency"].pk if data.get("agency") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            order=data.get("order") or "newest",
        )
