"""Dates typed into forms (RocDateField): 西元 with a four-digit year, a day that does not exist
named as read, and any refusal of a date saying how it was read when that is not plain."""

import datetime as dt

from django import forms

from secretariat.core.forms import RocDateField, TextForm, check_date_range


class RangeForm(TextForm):
    start = RocDateField(label="起日")
    end = RocDateField(label="迄日")

    def clean(self):
        check_date_range(self, "start", "end")


def test_a_four_digit_year_is_gregorian():
    form = RangeForm({"start": "2024/03/05", "end": "113/03/06"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == dt.date(2024, 3, 5)


def test_a_day_that_does_not_exist_is_named_not_called_a_bad_format():
    form = RangeForm({"start": "115/02/30", "end": "2024/02/30"})
    assert not form.is_valid()
    assert form.errors == {
        "start": ["115年2月30日不存在（該月只有28天）"],
        "end": ["西元2024年2月30日不存在（該月只有29天）"],
    }


def test_an_unreadable_date_names_what_was_typed():
    form = RangeForm({"start": "3月5日", "end": "115/03/05"})
    assert not form.is_valid()
    assert form["start"].errors == ["無法辨識的日期：3月5日"]


def test_a_refusal_says_how_a_gregorian_or_digits_only_date_was_read():
    form = RangeForm({"start": "1150310", "end": "2026/03/05"})
    assert not form.is_valid()
    assert form["end"].errors == [
        "迄日不可早於起日。您輸入的「2026/03/05」讀作西元，即115年3月5日。"
    ]
    # The field's error list keeps its id, which the input's aria-describedby cites.
    assert 'id="id_end_error"' in str(form["end"].errors)
    assert 'aria-describedby="id_end_error"' in str(form["end"])
    # A plain 民國 date needs no explaining.
    form = RangeForm({"start": "115/03/10", "end": "115/03/05"})
    form.is_valid()
    assert form["end"].errors == ["迄日不可早於起日。"]


def test_an_error_added_later_is_explained_too():
    form = RangeForm({"start": "1150305", "end": "1150306"})
    assert form.is_valid()
    form.add_error("start", forms.ValidationError("起日須為上班日。"))
    assert form["start"].errors == ["起日須為上班日。您輸入的「1150305」讀作115年3月5日。"]
