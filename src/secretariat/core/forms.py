"""Forms with zh-Hant labels and messages; dates are entered in 民國 form (115/08/16)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone

from secretariat.core import roc, text
from secretariat.core.auth import LoginThrottled
from secretariat.core.errors import DomainError
from secretariat.core.models import DayKind


class TextValidator:
    """``core.text``'s rule as a form validator: no control characters (line breaks and tabs
    only in multi-line fields), the message naming the field."""

    def __init__(self, label: str, *, multiline: bool) -> None:
        self.label, self.multiline = label, multiline

    def __call__(self, value) -> None:
        problem = text.text_problem(str(value), self.label, multiline=self.multiline)
        if problem:
            raise ValidationError(problem, code="control_characters")


# A label's trailing note (「（必填）」, 「（選填）」…) is not part of the field's name.
_LABEL_NOTE = re.compile(r"（[^（）]*）$")


class TextChecksMixin:
    """Put in front of every form (``class MyForm(TextChecksMixin, forms.Form)``, or derive
    from :class:`TextForm`): each text field gets :class:`TextValidator`, multi-line when its
    widget is a Textarea. It replaces Django's English-only check for NUL."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField):
                continue
            label = _LABEL_NOTE.sub("", str(field.label or name))
            multiline = isinstance(field.widget, forms.Textarea)
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ] + [TextValidator(label, multiline=multiline)]


class TextForm(TextChecksMixin, forms.Form):
    """A plain form with the text checks."""


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the services check each one's type and size."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


def required_text(label: str, rows: int = 4) -> forms.CharField:
    """A multi-line text the service requires (it says what is missing: one place for the
    rule)."""
    return optional_text(label, None, required=True, rows=rows)


class DomainErrorForm(TextForm):
    """A form that shows a service's DomainError beside the fields it names."""

    def add_domain_error(self, error: DomainError) -> None:
        placed = False
        for field, messages in error.fields.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
                placed = True
        if not placed:
            self.add_error(None, error.message)


def optional_text(
    label: str, max_length: int | None, *, required: bool = False, rows: int = 0
) -> forms.CharField:
    """A text field the service checks (``required`` only marks it for assistive technology)."""
    # Required text is checked by the service (one place for the rule); aria-required tells
    # assistive technology which fields must be filled in.
    attrs = {"aria-required": "true"} if required else {}
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs)
    return forms.CharField(label=label, max_length=max_length, required=False, widget=widget)


class RocTimeField(forms.TimeField):
    """Accepts 08:30, 14時30分 or 上午8時30分."""

    widget = forms.TextInput(attrs={"placeholder": "例：08:30 或 上午8時30分"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.time):
            return value
        try:
            return roc.parse_time(str(value))
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from error

    def prepare_value(self, value):
        if isinstance(value, dt.time):
            return f"{value:%H:%M}"
        return value


class ReadDateBoundField(forms.BoundField):
    """A date field whose errors say how the date was read when that is not plain to see
    (a 西元 year, digits only): 「收件日期119年1月1日晚於今天。您輸入的「2030/01/01」讀作西元，
    即119年1月1日。」 Every error gets it, whoever found it (the field, the form or a
    service's DomainError shown beside the field)."""

    @property
    def errors(self):
        errors = super().errors
        if not errors or not isinstance(self.data, str):
            return errors
        try:
            reading = roc.read_date(self.data)
        except roc.RocDateError:
            return errors
        if not reading.needs_explaining:
            return errors
        explained = errors.copy()  # keeps the class and renderer; not the id the field cites
        explained.field_id = errors.field_id
        explained.data = [f"{message}{reading.explanation()}" for message in errors]
        return explained


class RocDateField(forms.DateField):
    """Accepts 115/08/16, 115.08.16, 115-08-16, 1150816, 中華民國115年8月16日, and 西元 with a
    four-digit year (2026/08/16, 2026-08-16, 20260816): ``roc.read_date``. A day that does not
    exist is named (「115年2月30日不存在（該月只有28天）」)."""

    widget = forms.TextInput(attrs={"placeholder": "例：115/08/16", "inputmode": "numeric"})
    bound_field_class = ReadDateBoundField

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


class LoginForm(TextChecksMixin, AuthenticationForm):
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


class TotpForm(TextForm):
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


class CalendarDayForm(TextForm):
    date = RocDateField(label="日期")
    kind = forms.ChoiceField(label="類別", choices=DayKind.choices)
    city = forms.CharField(label="縣市（空白表示全國）", max_length=10, required=False)
    reason = forms.CharField(label="事由", max_length=100)


class WorkdayCalculatorForm(TextForm):
    start = RocDateField(label="起算日（收文日）")
    days = forms.IntegerField(label="工作天數", min_value=0, max_value=400)
    end = RocDateField(label="迄日（選填，計算兩日間工作天）", required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "calc_%s")
        super().__init__(*args, **kwargs)
        self.fields["start"].initial = self.fields["start"].initial or timezone.localdate()
