"""民國 (ROC) calendar dates and the government report style for times, counts and percentages.

The one place that turns dates and numbers into the forms used in official documents
(中華民國115年8月16日, 115/08/16, 上午8時30分, 4萬6,011件, 2,706萬元, 99.93%) and reads them back.
Pure Python so that it can be used outside Django (imports, reports, the CLI).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")
ROC_OFFSET = 1911

DateStyle = Literal["long", "short", "slash", "dot", "compact"]
DATE_STYLES: tuple[DateStyle, ...] = ("long", "short", "slash", "dot", "compact")

# The compact form has room for three year digits only.
COMPACT_MAX_ROC_YEAR = 999


class RocDateError(ValueError):
    """A date, time or period that cannot be read or cannot be written in 民國 form."""


class RocNumberError(ValueError):
    """A count that cannot be read."""


def _clean(text: str) -> str:
    # NFKC folds full-width digits and punctuation (１１５／０８／１６) into ASCII; spaces are
    # dropped because the seeds write "114 年 1 月 1 日".
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _strip_era(text: str) -> tuple[str, bool]:
    stripped = re.sub(r"^(?:中華)?民國", "", text)
    return stripped, stripped != text


def _local(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(TAIPEI)
    return value


# ---------------------------------------------------------------- dates


def roc_year(d: dt.date) -> int:
    """The 民國 year of a date (Gregorian year − 1911); dates before 民國1年 are refused."""
    if d.year <= ROC_OFFSET:
        raise RocDateError(f"民國元年（1912年）以前的日期無法以民國紀年表示：{d.isoformat()}")
    return d.year - ROC_OFFSET


def format_date(d: dt.date, style: DateStyle = "short") -> str:
    """A date as 中華民國115年8月16日 (long), 115年8月16日 (short), 115/08/16 (slash),
    115.08.16 (dot) or 1150816 (compact). Aware datetimes are shown in Taipei time."""
    d = _local(d)
    year = roc_year(d)
    if style == "long":
        return f"中華民國{year}年{d.month}月{d.day}日"
    if style == "short":
        return f"{year}年{d.month}月{d.day}日"
    if style == "slash":
        return f"{year}/{d.month:02d}/{d.day:02d}"
    if style == "dot":
        return f"{year}.{d.month:02d}.{d.day:02d}"
    if style == "compact":
        if year > COMPACT_MAX_ROC_YEAR:
            raise RocDateError(f"民國999年以後的日期無法以7位數字表示：{format_date(d)}")
        return f"{year:03d}{d.month:02d}{d.day:02d}"
    raise ValueError(f"未知的日期格式：{style}")


# A year of four digits from 1912 (民國元年) on is 西元: no 民國 year has four digits yet
# (民國1000年 is 西元2911年), so 2024/03/05 can only mean 113年3月5日. Fewer digits, or a
# leading zero (0113), are a 民國 year.
FIRST_GREGORIAN_YEAR = ROC_OFFSET + 1

_DATE_PATTERNS = (
    re.compile(r"([0-9]{1,4})年([0-9]{1,2})月([0-9]{1,2})日"),
    # One separator throughout: 115/08/16, 115.08.16, 115-08-16, 2026-08-16 (not 115/08.16).
    re.compile(r"([0-9]{1,4})([/.\-])([0-9]{1,2})\2([0-9]{1,2})"),
    re.compile(r"([0-9]{3})([0-9]{2})([0-9]{2})"),  # 1150816
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"),  # 20260816
)
_COMPACT = re.compile(r"[0-9]{7,8}")


class NonexistentDate(RocDateError):
    """A date that was read but does not exist (115年2月30日, 民國0年, 民國2024年) or cannot be
    written in 民國 form (西元1911年): the message says what was read."""


def _year(digits: str, had_era: bool) -> tuple[int, bool]:
    """The Gregorian year written as ``digits``, and whether it was written as 西元."""
    year = int(digits)
    if len(digits) == 4 and digits[0] != "0":
        if had_era:
            hint = f"；西元{year}年為民國{year - ROC_OFFSET}年" if year > ROC_OFFSET else ""
            raise NonexistentDate(f"民國{year}年不存在（民國紀年尚無四位數的年份{hint}）")
        if year < FIRST_GREGORIAN_YEAR:
            raise NonexistentDate(f"西元{year}年早於民國元年（1912年），無法以民國紀年表示")
        return year, True
    if year < 1:
        raise NonexistentDate(f"民國{year}年不存在（民國元年為西元1912年）")
    return year + ROC_OFFSET, False


def _day(year: int, month: int, day: int, gregorian: bool) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        pass
    written = f"西元{year}年" if gregorian else f"{year - ROC_OFFSET}年"
    if not 1 <= month <= 12:
        why = "月份為1至12"
    elif day < 1:
        why = "日期從1日起"
    else:
        why = f"該月只有{calendar.monthrange(year, month)[1]}天"
    raise NonexistentDate(f"{written}{month}月{day}日不存在（{why}）")


@dataclass(frozen=True)
class DateReading:
    """A date as read from what someone wrote, and how it was read. ``gregorian``: the year
    was 西元 (four digits, e.g. ISO 2026-08-16); ``compact``: digits only (1150816)."""

    text: str
    day: dt.date
    gregorian: bool = False
    compact: bool = False

    @property
    def needs_explaining(self) -> bool:
        """Whether the text is not already a plain 民國 date (115/08/16, 115年8月16日)."""
        return self.gregorian or self.compact

    def explanation(self) -> str:
        """A sentence to put after a message about the date: 「您輸入的「2024/03/05」讀作西元，
        即113年3月5日。」"""
        era = "西元，即" if self.gregorian else ""
        return f"您輸入的「{self.text}」讀作{era}{format_date(self.day)}。"

    def __str__(self) -> str:
        """How it was read: 「2024/03/05（西元，即113年3月5日）」, 「1130305（即113年3月5日）」,
        or only 「113年3月5日」 when the text was already a 民國 date."""
        roc_day = format_date(self.day)
        if self.gregorian:
            return f"{self.text}（西元，即{roc_day}）"
        if self.compact:
            return f"{self.text}（即{roc_day}）"
        return roc_day


def _read_date(cleaned: str) -> tuple[dt.date, bool]:
    """The date and whether its year was 西元; ValueError when no form matches."""
    cleaned, had_era = _strip_era(cleaned)
    for pattern in _DATE_PATTERNS:
        if match := pattern.fullmatch(cleaned):
            groups = match.groups()
            year_digits, month, day = groups[0], groups[-2], groups[-1]
            year, gregorian = _year(year_digits, had_era)
            return _day(year, int(month), int(day), gregorian), gregorian
    raise ValueError(cleaned)


def read_date(text: str) -> DateReading:
    """Read a date as people write it, and say how it was read. Every form format_date
    writes (with or without 民國/中華民國, spaces, full-width digits), the same with a
    hyphen (115-08-16), and 西元 with a four-digit year of 1912 or later in any of them
    (2026/08/16, 2026年8月16日, 20260816, ISO 2026-08-16). An unreadable text raises
    RocDateError 「無法辨識的日期：…」; a date that does not exist raises NonexistentDate
    naming what was read (「115年2月30日不存在（該月只有28天）」)."""
    cleaned = _clean(text)
    try:
        day, gregorian = _read_date(cleaned)
    except NonexistentDate:
        raise
    except ValueError:
        raise RocDateError(f"無法辨識的日期：{text.strip() or '（空白）'}") from None
    compact = bool(_COMPACT.fullmatch(_strip_era(cleaned)[0]))
    return DateReading(text.strip(), day, gregorian, compact)


def parse_date(text: str) -> dt.date:
    """The date :func:`read_date` reads (115/08/16, 2026/08/16 and 2026-08-16 alike)."""
    return read_date(text).day


def format_month(year: int, month: int) -> str:
    """A month as 115年8月; `year` is Gregorian (as in date.year)."""
    if not 1 <= month <= 12:
        raise RocDateError(f"月份必須介於1至12：{month}")
    return f"{roc_year(dt.date(year, month, 1))}年{month}月"


# ---------------------------------------------------------------- periods


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _gregorian(roc_y: int) -> int:
    if roc_y < 1:
        raise RocDateError(f"民國年必須大於0：{roc_y}")
    return roc_y + ROC_OFFSET


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included, with its label in report style (115年上半年).
    Periods are equal when they cover the same days, whatever their labels."""

    start: dt.date
    end: dt.date
    label: str = field(compare=False)

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise RocDateError(
                f"起日不可晚於迄日：{format_date(self.start)}至{format_date(self.end)}"
            )

    def __str__(self) -> str:
        return self.label

    def contains(self, d: dt.date) -> bool:
        """Whether the day (of a datetime: in Taipei time) falls within the period."""
        d = _local(d)
        if isinstance(d, dt.datetime):
            d = d.date()
        return self.start <= d <= self.end

    @classmethod
    def half(cls, roc_year: int, half: int) -> Period:
        """上半年 (half 1: January–June) or 下半年 (half 2: July–December) of a 民國 year."""
        year = _gregorian(roc_year)
        if half == 1:
            return cls(dt.date(year, 1, 1), dt.date(year, 6, 30), f"{roc_year}年上半年")
        if half == 2:
            return cls(dt.date(year, 7, 1), dt.date(year, 12, 31), f"{roc_year}年下半年")
        raise RocDateError(f"半年度必須為1（上半年）或2（下半年）：{half}")

    @classmethod
    def half_containing(cls, d: dt.date) -> Period:
        """The half-year a day falls in: 2026-12-06 is in 115年下半年."""
        return cls.half(roc_year(d), 1 if d.month <= 6 else 2)

    @classmethod
    def year(cls, roc_year: int) -> Period:
        """A whole 民國 year (年度 is the calendar year)."""
        year = _gregorian(roc_year)
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{roc_year}年")

    @classmethod
    def months(cls, roc_year: int, first: int, last: int) -> Period:
        """Whole months of one 民國 year: 115年1月至6月, or 115年8月 for a single month."""
        year = _gregorian(roc_year)
        if not 1 <= first <= last <= 12:
            raise RocDateError(f"月份範圍不正確：{first}月至{last}月")
        label = f"{roc_year}年{first}月" if first == last else f"{roc_year}年{first}月至{last}月"
        return cls(dt.date(year, first, 1), _month_end(year, last), label)

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> Period:
        """Any span of days: 115年1月1日至6月30日, 114年12月1日至115年1月31日, or one day."""
        if start == end:
            label = format_date(start)
        elif start.year == end.year:
            label = f"{format_date(start)}至{end.month}月{end.day}日"
        else:
            label = f"{format_date(start)}至{format_date(end)}"
        return cls(start, end, label)


# A period's year follows the dates' rule: 114, 114H1, 114年上半年 are 民國; 2025, 2025H1,
# 2025年上半年 are 西元 (a four-digit year of 1912 or later).
_PERIOD_CODE_YEAR = re.compile(r"([0-9]{1,4})")
_PERIOD_CODE_HALF = re.compile(r"([0-9]{1,4})[Hh]([12])")
_PERIOD_HALF = re.compile(r"([0-9]{1,4})年([上下])半年")
_PERIOD_YEAR = re.compile(r"([0-9]{1,4})年度?")
_PERIOD_MONTHS = re.compile(r"([0-9]{1,4})年([0-9]{1,2})月(?:至([0-9]{1,2})月)?")
_PERIOD_DAYS = re.compile(
    r"([0-9]{1,4})年([0-9]{1,2})月([0-9]{1,2})日(?:至(?:([0-9]{1,4})年)?([0-9]{1,2})月([0-9]{1,2})日)?"
)


def _read_period(cleaned: str) -> Period:
    if ".." in cleaned:
        first, _, last = cleaned.partition("..")
        return Period.between(_read_date(first)[0], _read_date(last)[0])
    cleaned, had_era = _strip_era(cleaned)

    def roc_year_of(digits: str) -> int:
        return _year(digits, had_era)[0] - ROC_OFFSET

    def day_of(year: str, month: str, day: str) -> dt.date:
        gregorian_year, gregorian = _year(year, had_era)
        return _day(gregorian_year, int(month), int(day), gregorian)

    if match := _PERIOD_CODE_YEAR.fullmatch(cleaned) or _PERIOD_YEAR.fullmatch(cleaned):
        return Period.year(roc_year_of(match[1]))
    if match := _PERIOD_CODE_HALF.fullmatch(cleaned):
        return Period.half(roc_year_of(match[1]), int(match[2]))
    if match := _PERIOD_HALF.fullmatch(cleaned):
        return Period.half(roc_year_of(match[1]), 1 if match[2] == "上" else 2)
    if match := _PERIOD_MONTHS.fullmatch(cleaned):
        year, first, last = match.groups()
        return Period.months(roc_year_of(year), int(first), int(last or first))
    if match := _PERIOD_DAYS.fullmatch(cleaned):
        year, month, day, end_year, end_month, end_day = match.groups()
        start = day_of(year, month, day)
        if end_month is None:
            return Period.between(start, start)
        return Period.between(start, day_of(end_year or year, end_month, end_day))
    raise ValueError(cleaned)


def parse_period(text: str) -> Period:
    """Read a period: 114H1, 114H2, 114, 114年上半年, 114年下半年, 114年(度), 114年1月至6月,
    114年8月, 114年1月1日至6月30日, or a range of dates such as 2025-01-01..2025-06-30; a
    four-digit year of 1912 or later is 西元 (2025H1 is 114年上半年), as in dates. A day that
    does not exist is named (NonexistentDate). Every Period label of a 民國 year below 1000
    reads back to an equal Period with the same label."""
    try:
        return _read_period(_clean(text))
    except NonexistentDate:
        raise
    except ValueError:
        raise RocDateError(f"無法辨識的期間：{text.strip() or '（空白）'}") from None


# ---------------------------------------------------------------- times


def format_time(t: dt.time) -> str:
    """A time as 上午8時30分, 中午12時, 下午2時5分; whole hours omit 分, seconds are dropped."""
    if t.hour < 12:
        prefix, hour = "上午", t.hour
    elif t.hour == 12:
        prefix, hour = "中午", 12
    else:
        prefix, hour = "下午", t.hour - 12
    minutes = f"{t.minute}分" if t.minute else ""
    return f"{prefix}{hour}時{minutes}"


_TIME_WORDS = re.compile(r"(上午|中午|下午)?([0-9]{1,2})[時點](?:([0-9]{1,2})分)?")
_TIME_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
# Hours each prefix can be written with; 上午12時 and 下午12時 are ambiguous in practice.
_PREFIX_HOURS = {"上午": range(0, 12), "中午": range(12, 13), "下午": range(1, 12)}


def _read_time(cleaned: str) -> dt.time:
    if match := _TIME_CLOCK.fullmatch(cleaned):
        hour, minute, second = match.groups()
        return dt.time(int(hour), int(minute), int(second or 0))
    if match := _TIME_WORDS.fullmatch(cleaned):
        prefix, hour, minute = match[1], int(match[2]), int(match[3] or 0)
        if prefix is not None and hour not in _PREFIX_HOURS[prefix]:
            raise ValueError(cleaned)
        return dt.time(hour + 12 if prefix == "下午" else hour, minute)
    raise ValueError(cleaned)


def parse_time(text: str) -> dt.time:
    """Read 上午8時30分, 下午2時, 中午12時, 14時30分 or 08:30 (08:30:15)."""
    try:
        return _read_time(_clean(text))
    except ValueError:
        raise RocDateError(f"無法辨識的時間：{text.strip() or '（空白）'}") from None


def format_datetime(dt_: dt.datetime) -> str:
    """A moment as 115年8月16日上午8時30分; aware datetimes are shown in Taipei time,
    naive ones are taken to be Taipei time already."""
    local = _local(dt_)
    return format_date(local, "short") + format_time(local.time())


def format_deadline(value: dt.date | dt.datetime) -> str:
    """A deadline as it is written in a 公文: a date as 115年12月7日, a moment (a deadline in
    working hours) as 115年12月7日下午3時30分 in Taipei time (see :func:`format_datetime`)."""
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    return format_date(value, "short")


# ---------------------------------------------------------------- numbers

Number = int | Decimal | float

# Largest first; every group after the first must be under 10,000.
_MAGNITUDES = ((10**12, "兆"), (10**8, "億"), (10**4, "萬"), (1, ""))


def _exact(x: Number) -> Decimal:
    # repr() keeps the float that was written (0.99935), not its binary neighbour 0.99934999…
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def _whole(n: Number) -> int:
    value = int(n)
    if value != n:
        raise RocNumberError(f"數量必須為整數：{n}")
    return value


def format_count(n: Number, unit: str = "") -> str:
    """A count in report style: 6,476, 4萬6,011, 231萬1,878, 1億2,345萬6,789, 1億5, then the unit.
    Negative counts start with "-". Integral Decimals and floats are accepted."""
    value = _whole(n)
    sign, rest = ("-" if value < 0 else ""), abs(value)
    if rest < 10**4:
        return f"{sign}{rest:,}{unit}"
    parts = []
    for size, name in _MAGNITUDES:
        group, rest = divmod(rest, size)
        if group:
            parts.append(f"{group:,}{name}")
    return sign + "".join(parts) + unit


_DIGITS = "〇一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1–99 as the numbering of a report's items is written: 一, 十, 十一, 二十, 九十九."""
    if not 1 <= n <= 99:
        raise RocNumberError(f"編號須為1至99：{n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{_DIGITS[tens]}十")
    return head + (_DIGITS[ones] if ones else "")


_GROUP = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)"
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_COUNT = re.compile(
    rf"(-)?(?:({_GROUP})兆)?(?:({_GROUP})億)?(?:({_GROUP})萬)?({_GROUP})?"
    rf"((?![萬億兆])[{_CJK}]+)?"
)


def parse_count(text: str) -> int:
    """Read a count as format_count writes it (4萬6,011件, 1億2,345萬6,789, 46,011), dropping a
    unit of CJK characters. A unit starting with 萬/億/兆 is read as part of the number."""
    match = _COUNT.fullmatch(_clean(text).replace("−", "-"))
    if match is None or not any(match.group(2, 3, 4, 5)):
        raise RocNumberError(f"無法辨識的數量：{text.strip() or '（空白）'}")
    total, seen_higher = 0, False
    for (size, _), group in zip(_MAGNITUDES, match.group(2, 3, 4, 5), strict=True):
        if group is None:
            continue
        value = int(group.replace(",", ""))
        if seen_higher and value >= 10**4:
            raise RocNumberError(f"無法辨識的數量：{text.strip()}")
        total, seen_higher = total + value * size, True
    return -total if match[1] else total


_AMOUNT_UNITS = {"元": 1, "千元": 10**3, "萬元": 10**4, "億元": 10**8}


def format_amount(n: Number, unit: str = "元") -> str:
    """Money given in 元, shown in the unit: format_amount(27060000, "萬元") → 2,706萬元,
    27065000 → 2,706.5萬元 (at most 2 decimals, half-up); units 元, 千元, 萬元, 億元."""
    if unit not in _AMOUNT_UNITS:
        raise ValueError(f"未知的金額單位：{unit}（可用：{'、'.join(_AMOUNT_UNITS)}）")
    scaled = (_exact(n) / _AMOUNT_UNITS[unit]).quantize(Decimal("0.01"), ROUND_HALF_UP)
    # Adding zero turns a -0.00 left by rounding a tiny debit into 0.00.
    text = f"{scaled + 0:,.2f}"
    # Keep only the decimals that carry something: 2,706 / 2,706.5 / 2,706.54.
    return text.rstrip("0").rstrip(".") + unit


# ---------------------------------------------------------------- percentages


def _half_up(value: Fraction, places: int) -> Decimal:
    # Exact arithmetic: a Decimal quotient rounded to 28 digits could round twice.
    scaled = abs(value) * 10**places
    rounded = math.floor(scaled + Fraction(1, 2))
    return Decimal(-rounded if value < 0 else rounded).scaleb(-places)


def _ratio(x: Number | Fraction) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(_exact(x))


def format_percent(x: Number | Fraction, places: int = 2) -> str:
    """A ratio as a percentage rounded half-up: 0.9993 → 99.93%, 0.99935 → 99.94%, 1 → 100%.
    A result of exactly .00 drops its decimals; other results keep all `places` (99.90%)."""
    value = _half_up(_ratio(x) * 100, places)
    if value == value.to_integral_value():
        return f"{value:,.0f}%"
    return f"{value:,.{places}f}%"


def percent_value(num: Number, den: Number) -> Decimal:
    """num/den as a percentage with two decimals for storing and sorting: (9993, 10000) →
    Decimal("99.93"). Raises ZeroDivisionError when den is 0."""
    return _half_up(_ratio(num) / _ratio(den) * 100, 2)


def format_rate(num: Number, den: Number, places: int = 2) -> str:
    """num/den as format_percent shows it; 「—」 when den is 0."""
    if den == 0:
        return "—"
    return format_percent(_ratio(num) / _ratio(den), places)
