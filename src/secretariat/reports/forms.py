"""The report page's form: a period in any form staff write it, and a format."""

from __future__ import annotations

from django import forms

from secretariat.core.forms import TextForm
from secretariat.core.roc import Period, RocDateError, parse_period
from secretariat.reports.render import FORMATS

PERIOD_HELP = (
    "例如：114H1、114年上半年、114（全年）、114年1月至3月，"
    "或日期區間 114年1月1日至3月31日（亦可寫 2025-01-01..2025-03-31）。"
)


class ReportForm(TextForm):
    period = forms.CharField(label="期間", max_length=60, help_text=PERIOD_HELP)
    format = forms.ChoiceField(
        label="格式",
        choices=[(f.code, f.label) for f in FORMATS.values()],
        initial="html",
        help_text="網頁直接顯示於本頁；其他格式於背景產製，完成後即可下載。",
    )

    def clean_period(self) -> Period:
        try:
            return parse_period(self.cleaned_data["period"])
        except RocDateError as error:
            raise forms.ValidationError(f"{error}（{PERIOD_HELP}）") from error
