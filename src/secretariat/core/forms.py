"""Forms with zh-Hant labels and messages; dates are entered in 民國 form (115/08/16)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from secretariat.core import roc
from secretariat.core.auth import LoginThrottled
from secretariat.core.models import DayKind


class RocDateField(forms.DateField):
    """Accepts 115/08/16, 115.08.16, 1150816, 中華民國115年8月16日 or ISO 2026-08-16."""

    widget = forms.TextInput(attrs={"placeholder": "例：115/08/16", "inputmode": "numeric"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return roc.parse_date(str(value))
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from error

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return roc.format_date(value, "slash")
        return value


def agencies_in_force():
    """Agencies in force today, in the registry's order (the choices of an agency field)."""
    from secretariat.core import selectors

    return selectors.agencies().in_force_on(timezone.localdate()).order_by("sort_order", "code")


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.short_name


def check_date_range(form: forms.Form, start_field: str, end_field: str) -> None:
    """A form's date range: the end may not come before the start (the error on the end)."""
    start, end = form.cleaned_data.get(start_field), form.cleaned_data.get(end_field)
    if start and end and start > end:
        form.add_error(end_field, "迄日不可早於起日。")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "帳號或密碼錯誤。連續錯誤多次將暫停受理登入。",
        "inactive": "此帳號已停用。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "帳號"
        self.fields["password"].label = "密碼"

    def clean(self):
        try:
            return super().clean()
        except LoginThrottled as throttled:
            raise forms.ValidationError(throttled.message, code="throttled") from throttled


class TotpForm(forms.Form):
    """A 6-digit code; whether it is right is the service's to say (it counts wrong ones)."""

    code = forms.CharField(
        label="驗證碼（6 位數字）",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError("驗證碼為 6 位數字。", code="invalid")
        return code


class CalendarDayForm(forms.Form):
    date = RocDateField(label="日期")
    kind = forms.ChoiceField(label="類別", choices=DayKind.choices)
    city = forms.CharField(label="縣市（空白表示全國）", max_length=10, required=False)
    reason = forms.CharField(label="事由", max_length=100)


class WorkdayCalculatorForm(forms.Form):
    start = RocDateField(label="起算日（收文日）")
    days = forms.IntegerField(label="工作天數", min_value=0, max_value=400)
    end = RocDateField(label="迄日（選填，計算兩日間工作天）", required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "calc_%s")
        super().__init__(*args, **kwargs)
        self.fields["start"].initial = self.fields["start"].initial or timezone.localdate()
