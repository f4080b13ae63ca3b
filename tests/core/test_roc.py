"""民國 dates, periods, times and report-style numbers (pure unit tests, no database)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secretariat.core import roc
from secretariat.core.roc import Period, RocDateError, RocNumberError

AUG_16 = dt.date(2026, 8, 16)
FIRST_ROC_DAY = dt.date(1912, 1, 1)
LAST_COMPACT_DAY = dt.date(1911 + 999, 12, 31)


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("long", "中華民國115年8月16日"),
        ("short", "115年8月16日"),
        ("slash", "115/08/16"),
        ("dot", "115.08.16"),
        ("compact", "1150816"),
    ],
)
def test_format_date_styles(style, expected):
    assert roc.format_date(AUG_16, style) == expected


def test_short_is_the_default_style():
    assert roc.format_date(AUG_16) == "115年8月16日"


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2010, 1, 1), "0990101"),
        (dt.date(1912, 1, 1), "0010101"),
        (dt.date(2011, 12, 31), "1001231"),
        (LAST_COMPACT_DAY, "9991231"),
    ],
)
def test_compact_pads_the_year_to_three_digits(date, expected):
    assert roc.format_date(date, "compact") == expected


def test_slash_and_dot_do_not_pad_the_year():
    assert roc.format_date(dt.date(2010, 1, 1), "slash") == "99/01/01"
    assert roc.format_date(dt.date(2010, 1, 1), "dot") == "99.01.01"


def test_compact_cannot_express_roc_year_1000():
    with pytest.raises(RocDateError):
        roc.format_date(LAST_COMPACT_DAY + dt.timedelta(days=1), "compact")


def test_dates_before_roc_year_1_are_refused():
    with pytest.raises(RocDateError, match="1911-12-31"):
        roc.format_date(dt.date(1911, 12, 31))
    with pytest.raises(RocDateError):
        roc.roc_year(dt.date(1911, 12, 31))


def test_unknown_style_is_refused():
    with pytest.raises(ValueError, match="未知的日期格式"):
        roc.format_date(AUG_16, "iso")


def test_aware_datetimes_are_shown_in_taipei_time():
    late_utc = dt.datetime(2026, 8, 15, 16, 30, tzinfo=dt.UTC)
    assert roc.format_date(late_utc) == "115年8月16日"


def test_roc_year_and_month():
    assert roc.roc_year(AUG_16) == 115
    assert roc.roc_year(FIRST_ROC_DAY) == 1
    assert roc.format_month(2026, 8) == "115年8月"


@pytest.mark.parametrize(("year", "month"), [(2026, 13), (2026, 0), (115, 8)])
def test_format_month_refuses_bad_months_and_roc_years(year, month):
    with pytest.raises(RocDateError):
        roc.format_month(year, month)


@pytest.mark.parametrize(
    "text",
    [
        "中華民國115年8月16日",
        "民國115年8月16日",
        "115年8月16日",
        "115 年 8 月 16 日",
        " 中華民國 115 年 08 月 16 日 ",
        "115/08/16",
        "115/8/16",
        "民國115/08/16",
        "115.08.16",
        "1150816",
        "１１５／０８／１６",
        "１１５年８月１６日",
        "2026-08-16",
        "2026-8-16",
        "115-08-16",
        "2026/08/16",
        "20260816",
    ],
)
def test_parse_date_forms(text):
    assert roc.parse_date(text) == AUG_16


def test_parse_date_seed_form_with_spaces():
    assert roc.parse_date("114 年 1 月 1 日") == dt.date(2025, 1, 1)


def test_compact_year_below_100():
    assert roc.parse_date("0990101") == dt.date(2010, 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "2025/03/05",
        "2025.03.05",
        "2025-03-05",
        "2025-3-5",
        "2025年3月5日",
        "20250305",
        "２０２５／０３／０５",
    ],
)
def test_a_four_digit_year_from_1912_is_gregorian(text):
    # No 民國 year has four digits yet: 2025/03/05 can only mean 114年3月5日.
    reading = roc.read_date(text)
    assert reading.day == dt.date(2025, 3, 5) and reading.gregorian


def test_a_leading_zero_keeps_a_roc_year():
    assert roc.parse_date("0114/03/05") == dt.date(2025, 3, 5)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2024/03/05", "2024/03/05（西元，即113年3月5日）"),
        ("2024-03-05", "2024-03-05（西元，即113年3月5日）"),
        ("1130305", "1130305（即113年3月5日）"),
        ("113/03/05", "113年3月5日"),
        ("民國113年3月5日", "113年3月5日"),
    ],
)
def test_a_reading_says_how_the_date_was_read(text, shown):
    reading = roc.read_date(text)
    assert str(reading) == shown
    assert reading.needs_explaining == (shown != "113年3月5日")


def test_the_explanation_follows_a_message():
    assert (
        roc.read_date("2030/01/01").explanation()
        == "您輸入的「2030/01/01」讀作西元，即119年1月1日。"
    )
    assert roc.read_date("1190101").explanation() == "您輸入的「1190101」讀作119年1月1日。"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("115年2月30日", "115年2月30日不存在（該月只有28天）"),
        ("114/02/30", "114年2月30日不存在（該月只有28天）"),
        ("114年2月29日", "114年2月29日不存在（該月只有28天）"),
        ("2024/02/30", "西元2024年2月30日不存在（該月只有29天）"),
        ("2026-02-30", "西元2026年2月30日不存在（該月只有28天）"),
        ("115/13/01", "115年13月1日不存在（月份為1至12）"),
        ("115/03/00", "115年3月0日不存在（日期從1日起）"),
        ("0/01/01", "民國0年不存在（民國元年為西元1912年）"),
        ("1911/12/31", "西元1911年早於民國元年（1912年），無法以民國紀年表示"),
        (
            "民國2024年3月5日",
            "民國2024年不存在（民國紀年尚無四位數的年份；西元2024年為民國113年）",
        ),
        (
            "民國2026-08-16",
            "民國2026年不存在（民國紀年尚無四位數的年份；西元2026年為民國115年）",
        ),
    ],
)
def test_a_date_that_does_not_exist_is_named_as_read(text, message):
    with pytest.raises(roc.NonexistentDate) as error:
        roc.parse_date(text)
    assert str(error.value) == message
    assert isinstance(error.value, RocDateError)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "garbage",
        "115/08",
        "115/08.16",
        "115/08/16/01",
        "12345678901",
    ],
)
def test_parse_date_refuses(text):
    with pytest.raises(RocDateError, match="無法辨識的日期") as error:
        roc.parse_date(text)
    assert not isinstance(error.value, roc.NonexistentDate)


def test_parse_date_error_names_the_text():
    with pytest.raises(RocDateError) as error:
        roc.parse_date("115/08.16")
    assert str(error.value) == "無法辨識的日期：115/08.16"
    assert isinstance(error.value, ValueError)


# A 民國 year of four digits (民國1000年, 西元2911年) would read back as 西元: none exists yet.
LAST_THREE_DIGIT_DAY = dt.date(1911 + 999, 12, 31)


@given(
    st.dates(min_value=FIRST_ROC_DAY, max_value=LAST_THREE_DIGIT_DAY),
    st.sampled_from([style for style in roc.DATE_STYLES if style != "compact"]),
)
def test_dates_round_trip(date, style):
    assert roc.parse_date(roc.format_date(date, style)) == date


@given(st.dates(min_value=FIRST_ROC_DAY, max_value=LAST_COMPACT_DAY))
def test_compact_dates_round_trip(date):
    text = roc.format_date(date, "compact")
    assert len(text) == 7
    assert roc.parse_date(text) == date


# ---------------------------------------------------------------- periods


def test_half_years():
    first = Period.half(115, 1)
    assert (first.start, first.end, first.label) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 30),
        "115年上半年",
    )
    second = Period.half(115, 2)
    assert (second.start, second.end, second.label) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 12, 31),
        "115年下半年",
    )
    with pytest.raises(RocDateError):
        Period.half(115, 3)


def test_year_months_between():
    assert Period.year(115) == Period.between(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert Period.year(115).label == "115年"
    months = Period.months(115, 1, 6)
    assert (months.start, months.end, months.label) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 30),
        "115年1月至6月",
    )
    assert Period.months(115, 2, 2).end == dt.date(2026, 2, 28)
    assert Period.months(115, 8, 8).label == "115年8月"
    assert Period.months(115, 12, 12).end == dt.date(2026, 12, 31)
    assert Period.months(9999 - 1911, 12, 12).end == dt.date.max
    assert Period.between(dt.date(2026, 1, 1), dt.date(2026, 6, 30)).label == "115年1月1日至6月30日"
    assert (
        Period.between(dt.date(2025, 12, 1), dt.date(2026, 1, 31)).label
        == "114年12月1日至115年1月31日"
    )
    assert Period.between(AUG_16, AUG_16).label == "115年8月16日"


def test_periods_are_equal_when_they_cover_the_same_days():
    assert Period.half(115, 1) == Period.months(115, 1, 6)
    assert str(Period.half(115, 1)) == "115年上半年"


@pytest.mark.parametrize(
    "make",
    [
        lambda: Period.months(115, 6, 1),
        lambda: Period.months(115, 0, 1),
        lambda: Period.months(115, 1, 13),
        lambda: Period.year(0),
        lambda: Period.between(dt.date(2026, 2, 1), dt.date(2026, 1, 1)),
    ],
)
def test_bad_periods_are_refused(make):
    with pytest.raises(RocDateError):
        make()


def test_contains():
    half = Period.half(115, 1)
    assert half.contains(dt.date(2026, 1, 1))
    assert half.contains(dt.date(2026, 6, 30))
    assert not half.contains(dt.date(2026, 7, 1))
    assert not half.contains(dt.date(2025, 12, 31))
    # 2026-06-30 16:30 UTC is already 7月1日 in Taipei.
    assert not half.contains(dt.datetime(2026, 6, 30, 16, 30, tzinfo=dt.UTC))
    assert half.contains(dt.datetime(2026, 6, 30, 23, 59))


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("114H1", dt.date(2025, 1, 1), dt.date(2025, 6, 30), "114年上半年"),
        ("114h2", dt.date(2025, 7, 1), dt.date(2025, 12, 31), "114年下半年"),
        ("114", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "114年"),
        ("114年上半年", dt.date(2025, 1, 1), dt.date(2025, 6, 30), "114年上半年"),
        ("114年下半年", dt.date(2025, 7, 1), dt.date(2025, 12, 31), "114年下半年"),
        ("114年", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "114年"),
        ("114年度", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "114年"),
        ("民國114年", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "114年"),
        ("114年1月至6月", dt.date(2025, 1, 1), dt.date(2025, 6, 30), "114年1月至6月"),
        ("114 年 8 月", dt.date(2025, 8, 1), dt.date(2025, 8, 31), "114年8月"),
        (
            "2025-01-01..2025-06-30",
            dt.date(2025, 1, 1),
            dt.date(2025, 6, 30),
            "114年1月1日至6月30日",
        ),
        (
            "114/12/01..115/01/31",
            dt.date(2025, 12, 1),
            dt.date(2026, 1, 31),
            "114年12月1日至115年1月31日",
        ),
        ("114年1月1日至6月30日", dt.date(2025, 1, 1), dt.date(2025, 6, 30), "114年1月1日至6月30日"),
    ],
)
def test_parse_period(text, start, end, label):
    period = roc.parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "114H3",
        "114年13月",
        "114年6月至1月",
        "2025-06-30..2025-01-01",
        "2025-01-01..",
        "上半年",
        "garbage",
    ],
)
def test_parse_period_refuses(text):
    with pytest.raises(RocDateError, match="無法辨識的期間"):
        roc.parse_period(text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2025", "114年"),
        ("2025H1", "114年上半年"),
        ("2025年下半年", "114年下半年"),
        ("2025年3月", "114年3月"),
    ],
)
def test_a_period_of_a_four_digit_year_is_gregorian(text, label):
    assert roc.parse_period(text).label == label


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "民國0年不存在（民國元年為西元1912年）"),
        ("114年2月30日", "114年2月30日不存在（該月只有28天）"),
        ("1911H1", "西元1911年早於民國元年（1912年），無法以民國紀年表示"),
    ],
)
def test_a_period_naming_a_day_or_year_that_does_not_exist_says_so(text, message):
    with pytest.raises(roc.NonexistentDate) as error:
        roc.parse_period(text)
    assert str(error.value) == message


_roc_years = st.integers(min_value=1, max_value=999)


@st.composite
def periods(draw):
    kind = draw(st.sampled_from(["half", "year", "months", "between"]))
    if kind == "half":
        return Period.half(draw(_roc_years), draw(st.sampled_from([1, 2])))
    if kind == "year":
        return Period.year(draw(_roc_years))
    if kind == "months":
        first = draw(st.integers(1, 12))
        return Period.months(draw(_roc_years), first, draw(st.integers(first, 12)))
    start = draw(st.dates(min_value=FIRST_ROC_DAY, max_value=LAST_THREE_DIGIT_DAY))
    return Period.between(start, draw(st.dates(min_value=start, max_value=LAST_THREE_DIGIT_DAY)))


@given(periods())
def test_periods_round_trip_through_their_labels(period):
    parsed = roc.parse_period(period.label)
    assert parsed == period
    assert parsed.label == period.label


# ---------------------------------------------------------------- times


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        (dt.time(8, 30), "上午8時30分"),
        (dt.time(14, 5), "下午2時5分"),
        (dt.time(12, 0), "中午12時"),
        (dt.time(12, 30), "中午12時30分"),
        (dt.time(0, 0), "上午0時"),
        (dt.time(8, 0), "上午8時"),
        (dt.time(13, 0), "下午1時"),
        (dt.time(23, 59), "下午11時59分"),
        (dt.time(8, 30, 59), "上午8時30分"),
    ],
)
def test_format_time(time, expected):
    assert roc.format_time(time) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("上午8時30分", dt.time(8, 30)),
        ("下午2時", dt.time(14, 0)),
        ("中午12時", dt.time(12, 0)),
        ("中午12時30分", dt.time(12, 30)),
        ("上午0時", dt.time(0, 0)),
        ("08:30", dt.time(8, 30)),
        ("8:30", dt.time(8, 30)),
        ("08:30:15", dt.time(8, 30, 15)),
        ("１４：０５", dt.time(14, 5)),
        ("14時30分", dt.time(14, 30)),
        ("下午 2 時 5 分", dt.time(14, 5)),
    ],
)
def test_parse_time(text, expected):
    assert roc.parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "上午12時", "下午12時", "下午0時", "中午1時", "25:00", "08:60", "上午8時60分", "八點"],
)
def test_parse_time_refuses(text):
    with pytest.raises(RocDateError, match="無法辨識的時間"):
        roc.parse_time(text)


@given(st.times().map(lambda t: t.replace(second=0, microsecond=0)))
def test_times_round_trip(time):
    assert roc.parse_time(roc.format_time(time)) == time


def test_format_datetime():
    assert roc.format_datetime(dt.datetime(2026, 8, 16, 8, 30)) == "115年8月16日上午8時30分"
    utc = dt.datetime(2026, 8, 16, 0, 30, tzinfo=dt.UTC)
    assert roc.format_datetime(utc) == "115年8月16日上午8時30分"
    assert (
        roc.format_datetime(dt.datetime(2026, 8, 15, 16, 0, tzinfo=dt.UTC)) == "115年8月16日上午0時"
    )


def test_format_deadline():
    assert roc.format_deadline(dt.date(2026, 12, 7)) == "115年12月7日"
    moment = dt.datetime(2026, 12, 7, 7, 30, tzinfo=dt.UTC)  # 15:30 in Taipei
    assert roc.format_deadline(moment) == "115年12月7日下午3時30分"
    assert roc.format_deadline(dt.datetime(2026, 12, 7, 17, 30)) == "115年12月7日下午5時30分"


def test_roc_datetime_filter_shows_deadlines_of_either_kind():
    from django.template import engines

    template = engines["django"].from_string("{{ due|roc_datetime }}")
    assert template.render({"due": dt.date(2026, 12, 7)}) == "115年12月7日"
    moment = dt.datetime(2026, 12, 7, 7, 30, tzinfo=dt.UTC)
    assert template.render({"due": moment}) == "115年12月7日下午3時30分"


# ---------------------------------------------------------------- counts and amounts


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0"),
        (978, "978"),
        (6476, "6,476"),
        (9999, "9,999"),
        (10000, "1萬"),
        (30507, "3萬507"),
        (46011, "4萬6,011"),
        (594684, "59萬4,684"),
        (2311878, "231萬1,878"),
        (100000000, "1億"),
        (100000005, "1億5"),
        (123456789, "1億2,345萬6,789"),
        (10**12 + 5, "1兆5"),
        (-46011, "-4萬6,011"),
        (-978, "-978"),
        (Decimal("46011"), "4萬6,011"),
    ],
)
def test_format_count(n, expected):
    assert roc.format_count(n) == expected


def test_format_count_appends_the_unit():
    assert roc.format_count(46011, "件") == "4萬6,011件"
    assert roc.format_count(978, "人") == "978人"


def test_format_count_refuses_fractions():
    with pytest.raises(RocNumberError):
        roc.format_count(1.5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4萬6,011件", 46011),
        ("231萬1,878", 2311878),
        ("1億2,345萬6,789", 123456789),
        ("1億5", 100000005),
        ("46,011", 46011),
        ("46011", 46011),
        ("978人", 978),
        ("1萬", 10000),
        ("-4萬6,011", -46011),
        ("−978", -978),
        ("４萬６，０１１件", 46011),
        ("2,706萬元", 27060000),
    ],
)
def test_parse_count(text, expected):
    assert roc.parse_count(text) == expected


@pytest.mark.parametrize(
    "text", ["", "件", "萬", "-", "4萬12345", "4,6011", "1萬萬", "abc", "12kg"]
)
def test_parse_count_refuses(text):
    with pytest.raises(RocNumberError, match="無法辨識的數量"):
        roc.parse_count(text)


@given(st.integers(min_value=-(10**16), max_value=10**16), st.sampled_from(["", "件", "人", "元"]))
def test_counts_round_trip(n, unit):
    assert roc.parse_count(roc.format_count(n, unit)) == n


@pytest.mark.parametrize(
    ("n", "unit", "expected"),
    [
        (27060000, "萬元", "2,706萬元"),
        (27065000, "萬元", "2,706.5萬元"),
        (27065432, "萬元", "2,706.54萬元"),
        (27065450, "萬元", "2,706.55萬元"),
        (1234, "元", "1,234元"),
        (1234.5, "元", "1,234.5元"),
        (123456, "千元", "123.46千元"),
        (250000000, "億元", "2.5億元"),
        (-27060000, "萬元", "-2,706萬元"),
        (-1, "萬元", "0萬元"),
    ],
)
def test_format_amount(n, unit, expected):
    assert roc.format_amount(n, unit) == expected


def test_format_amount_defaults_to_yuan_and_refuses_unknown_units():
    assert roc.format_amount(1234) == "1,234元"
    with pytest.raises(ValueError, match="未知的金額單位"):
        roc.format_amount(1234, "美元")


# ---------------------------------------------------------------- percentages


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (0.9993, "99.93%"),
        (0.86444, "86.44%"),
        (0.99935, "99.94%"),
        (0.9986, "99.86%"),
        (1.0, "100%"),
        (1, "100%"),
        (0.999, "99.90%"),
        (0, "0%"),
        (Decimal("0.5"), "50%"),
        (-0.00001, "0%"),
        (12.345, "1,234.50%"),
    ],
)
def test_format_percent(x, expected):
    assert roc.format_percent(x) == expected


def test_format_percent_places():
    assert roc.format_percent(0.99935, places=0) == "100%"
    assert roc.format_percent(0.123456, places=3) == "12.346%"


def test_format_rate_and_percent_value():
    assert roc.format_rate(9993, 10000) == "99.93%"
    assert roc.format_rate(5, 5) == "100%"
    assert roc.format_rate(1, 0) == "—"
    assert roc.format_rate(0, 0) == "—"
    assert roc.percent_value(9993, 10000) == Decimal("99.93")
    assert roc.percent_value(99935, 100000) == Decimal("99.94")
    assert roc.percent_value(1, 1) == Decimal("100.00")
    with pytest.raises(ZeroDivisionError):
        roc.percent_value(1, 0)


def test_rates_round_half_up_exactly():
    # 2/3 is 66.666…% and 1/8 is exactly 12.5%; neither may be rounded twice.
    assert roc.format_rate(2, 3) == "66.67%"
    assert roc.format_rate(1, 8) == "12.50%"
    assert roc.format_rate(1, 800) == "0.13%"


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2026, 12, 6), "115年下半年"),
        (dt.date(2026, 7, 1), "115年下半年"),
        (dt.date(2026, 6, 30), "115年上半年"),
        (dt.date(2026, 1, 1), "115年上半年"),
    ],
)
def test_the_half_year_a_day_falls_in(day, label):
    half = Period.half_containing(day)
    assert half.label == label and half.contains(day)


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"), (99, "九十九")],
)
def test_item_numbers_are_written_in_chinese(n, text):
    assert roc.chinese_numeral(n) == text


@pytest.mark.parametrize("n", [0, 100, -1])
def test_item_numbers_are_bounded(n):
    with pytest.raises(RocNumberError):
        roc.chinese_numeral(n)
