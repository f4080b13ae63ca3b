"""Working days (工作天) and working hours by the Taiwan government administrative calendar and
the administrators' adjustments.

Two sources decide whether a day is a working day (上班日), highest precedence first:

1. :class:`~secretariat.core.models.CalendarAdjustment` rows entered by administrators: a
   closure (停止上班, e.g. a typhoon day) or an extra holiday means "not working", a workday
   (補班) means "working". Only adjustments for the city asked about (by default
   ``settings.CALENDAR_CITY``, 臺北市) or for every city (``city == ""``) apply; when both exist
   for a day the city-specific one wins.
2. The central government administrative calendar (行政機關辦公日曆表) published by the
   Directorate-General of Personnel Administration (行政院人事行政總處):

   - the CSV files shipped in the ``taiwan-holidays`` package (民國 108, 109 and 111–116);
     ``是否放假`` 2 is a day off, 0 a working day, including make-up Saturdays (補行上班);
   - for the other years from 民國 95 (2006) on (95–107 and 110), ``data/office_calendar.json``
     in this package: the weekdays off and the weekend workdays of each year, built by
     ``scripts/build_calendar_data.py`` (see docs/calendar.md).

   :func:`known_range` is the span the two cover (2006-01-01 to the end of 民國 116).

For a day outside the known calendar (before 2006, or after the last published year) the
**weekend rule** applies: Saturday and Sunday off, Monday to Friday working. The functions still
answer, but emit a :class:`CalendarWarning`; :func:`calendar_note` gives the zh-Hant sentence a
page or an importer shows beside such a deadline. Administrators can fill such a year in through
adjustments (national holidays as ``holiday``, make-up Saturdays as ``workday``).

Counting convention (「自次一工作日起算」): something received on ``start`` with N working days
is due on the N-th working day strictly after ``start``; ``start`` itself never counts, even when
it is a working day. :func:`working_days_between` counts the same way (``start < d <= end``), so
``add_working_days(s, n) == e`` implies ``working_days_between(s, e) == n``.

Working hours (:func:`add_working_hours`, :func:`working_hours_between`) count the office hours
(``settings.OFFICE_HOURS``, default 08:30–17:30, less ``settings.OFFICE_BREAK`` when one is set)
of working days only, in Taipei time.

Every public function reads the adjustments with one query (a second one only when a count runs
past a generous first window); the published calendar is parsed once per process.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import functools
import json
import math
import warnings
from dataclasses import dataclass
from importlib import resources
from typing import Literal
from zoneinfo import ZoneInfo

DEFAULT_CITY = "臺北市"
CALENDAR_PACKAGE = "taiwan_holidays"
DAY_OFF = "2"
# The office calendar this package ships for the years taiwan-holidays does not cover.
BUNDLED_CALENDAR = "office_calendar.json"
# Office hours are Taipei's whatever TIME_ZONE says: the calendar is the city government's.
TAIPEI = ZoneInfo("Asia/Taipei")
DEFAULT_OFFICE_HOURS = ("08:30", "17:30")

Source = Literal["calendar", "adjustment", "weekend-rule"]

ONE_DAY = dt.timedelta(days=1)
# Extra days fetched beyond the first estimate, and the size of each later extension.
_WINDOW_SLACK = 40
_WINDOW_EXTENSION = 366


@dataclass(frozen=True, slots=True)
class DayInfo:
    """Whether ``date`` is a working day, and why.

    ``note`` is the 備註 of the published calendar (e.g. 春節, 補行上班) or the reason of the
    administrator's adjustment; empty for ordinary days. ``source`` is ``"adjustment"``,
    ``"calendar"`` (the published calendar) or ``"weekend-rule"`` (a year without published data).
    """

    date: dt.date
    working: bool
    note: str
    source: Source


# --- The published calendar -----------------------------------------------------------------


class CalendarWarning(UserWarning):
    """A count used days outside the known office calendar, answered by the weekend rule.
    The message is the zh-Hant note of :func:`calendar_note`; ``years`` are the unknown years."""

    def __init__(self, message: str, years: tuple[int, ...]) -> None:
        super().__init__(message)
        self.years = years


@functools.cache
def _csv_calendar() -> dict[dt.date, tuple[bool, str]]:
    """{date: (working, 備註)} from every 辦公日曆表 CSV in the ``taiwan-holidays`` package
    (also read by scripts/build_calendar_data.py to check the bundled data's source)."""
    days: dict[dt.date, tuple[bool, str]] = {}
    folder = resources.files(CALENDAR_PACKAGE) / "data"
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith("辦公日曆表.csv"):
            continue
        with entry.open("r", encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                raw = (row.get("西元日期") or "").strip()
                if len(raw) != 8 or not raw.isdigit():
                    continue
                day = dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
                off = (row.get("是否放假") or "").strip() == DAY_OFF
                days[day] = (not off, (row.get("備註") or "").strip())
    return days


@functools.cache
def _bundled_calendar() -> dict[dt.date, tuple[bool, str]]:
    """{date: (working, 備註)} for every day of the years in ``data/office_calendar.json``: its
    weekdays off and weekend workdays, the weekend rule for the rest of each year."""
    data = json.loads(
        (resources.files("secretariat.core") / "data" / BUNDLED_CALENDAR).read_text("utf-8")
    )
    days: dict[dt.date, tuple[bool, str]] = {}
    for year in data["years"]:
        day = dt.date(year, 1, 1)
        while day.year == year:
            days[day] = (day.weekday() < 5, "")
            day += ONE_DAY
    for key, note in data["days_off"].items():
        days[dt.date.fromisoformat(key)] = (False, note)
    for key, note in data["workdays"].items():
        days[dt.date.fromisoformat(key)] = (True, note)
    return days


@functools.cache
def _published() -> dict[dt.date, tuple[bool, str]]:
    """The whole published calendar: the bundled years, then the CSVs (which win where both
    have a year; the build script never writes such a year)."""
    return {**_bundled_calendar(), **_csv_calendar()}


@functools.cache
def published_years() -> frozenset[int]:
    """Gregorian years the published calendar covers (others fall back to the weekend rule)."""
    return frozenset(day.year for day in _published())


def known_range() -> tuple[dt.date, dt.date]:
    """The first and the last day of the published calendar (2006-01-01 .. the end of the last
    year ``taiwan-holidays`` ships). Every year in between is covered."""
    years = published_years()
    return dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)


def is_known(day: dt.date) -> bool:
    """Whether the published calendar covers ``day`` (else the weekend rule answers for it)."""
    return _as_date(day).year in published_years()


def calendar_note(start: dt.date, end: dt.date | None = None) -> str | None:
    """The zh-Hant note to show beside a deadline counted over ``start`` .. ``end`` (or the day
    ``start`` alone) when part of it lies outside the published calendar, e.g.
    「117年以後的辦公日曆表尚未收錄，期限僅排除週末，未計國定假日。」; None when all of it is
    covered."""
    first_year = _as_date(start).year
    last_year = _as_date(end if end is not None else start).year
    first_year, last_year = min(first_year, last_year), max(first_year, last_year)
    years = published_years()
    unknown = [year for year in range(first_year, last_year + 1) if year not in years]
    return _note_for(unknown[0]) if unknown else None


def _note_for(year: int) -> str:
    tail = "辦公日曆表{}收錄，期限僅排除週末，未計國定假日。"
    known_first, known_last = known_range()
    if year > known_last.year:
        return f"{year - 1911}年以後的" + tail.format("尚未")
    if year < known_first.year:
        return f"{known_first.year - 1912}年以前的" + tail.format("未")
    return f"{year - 1911}年的" + tail.format("未")


# --- Adjustments ----------------------------------------------------------------------------


def _city(city: str | None) -> str:
    if city is None:
        from django.conf import settings

        city = getattr(settings, "CALENDAR_CITY", DEFAULT_CITY)
    return (city or "").strip()


def _spellings(city: str) -> set[str]:
    """The city as typed and with 臺/台 swapped, so 台北市 adjustments apply to 臺北市."""
    if not city:
        return set()
    return {city, city.replace("台", "臺"), city.replace("臺", "台")}


class _Days:
    """Resolves days for one city, with the adjustments of a date window loaded in one query
    (and the window widened by one more query if a caller walks past it)."""

    def __init__(self, city: str | None, first: dt.date, last: dt.date) -> None:
        self.city = _city(city)
        self.published = _published()
        self.adjustments: dict[dt.date, tuple[bool, str]] = {}
        self.guessed: set[int] = set()  # years some answer came from the weekend rule for
        self.first = first
        self.last = first - ONE_DAY  # empty window; _load widens it
        self._load(first, max(first, last))

    def _load(self, first: dt.date, last: dt.date) -> None:
        from secretariat.core.models import CalendarAdjustment, DayKind

        rows = CalendarAdjustment.objects.filter(
            date__range=(first, last), city__in=sorted({"", *_spellings(self.city)})
        ).values_list("date", "city", "kind", "reason")
        # City-wide ("") rows first, so that a city-specific row for the same day overrides.
        for day, _, kind, reason in sorted(rows, key=lambda row: row[1] != ""):
            self.adjustments[day] = (kind == DayKind.WORKDAY, reason)
        self.first, self.last = min(self.first, first), max(self.last, last)

    def _cover(self, day: dt.date) -> None:
        if day > self.last:
            end = self.last + dt.timedelta(days=_WINDOW_EXTENSION)
            self._load(self.last + ONE_DAY, max(day, min(end, dt.date.max)))
        elif day < self.first:
            begin = self.first - dt.timedelta(days=_WINDOW_EXTENSION)
            self._load(min(day, max(begin, dt.date.min)), self.first - ONE_DAY)

    def info(self, day: dt.date) -> DayInfo:
        if not self.first <= day <= self.last:
            self._cover(day)
        adjusted = self.adjustments.get(day)
        if adjusted is not None:
            return DayInfo(day, adjusted[0], adjusted[1], "adjustment")
        published = self.published.get(day)
        if published is not None:
            return DayInfo(day, published[0], published[1], "calendar")
        self.guessed.add(day.year)
        return DayInfo(day, day.weekday() < 5, "", "weekend-rule")

    def working(self, day: dt.date) -> bool:
        if not self.first <= day <= self.last:
            self._cover(day)
        adjusted = self.adjustments.get(day)
        if adjusted is not None:
            return adjusted[0]
        published = self.published.get(day)
        if published is not None:
            return published[0]
        self.guessed.add(day.year)
        return day.weekday() < 5

    def warn(self) -> None:
        """Emit a CalendarWarning if any answer came from the weekend rule."""
        if self.guessed:
            years = tuple(sorted(self.guessed))
            # stacklevel 3: the caller of the public function, not the function itself.
            warnings.warn(CalendarWarning(_note_for(years[0]), years), stacklevel=3)


def _as_date(day: dt.date) -> dt.date:
    if isinstance(day, dt.datetime):
        return day.date()
    return day


# --- Public API -----------------------------------------------------------------------------


def day_info(day: dt.date, city: str | None = None) -> DayInfo:
    """Whether ``day`` is a working day in ``city`` (default ``settings.CALENDAR_CITY``), with
    the note and the source of the answer. Days outside the published calendar use the weekend
    rule (and warn: :class:`CalendarWarning`)."""
    day = _as_date(day)
    days = _Days(city, day, day)
    info = days.info(day)
    days.warn()
    return info


def is_working_day(day: dt.date, city: str | None = None) -> bool:
    """True when ``day`` is a working day (上班日) in ``city``; see :func:`day_info`."""
    day = _as_date(day)
    days = _Days(city, day, day)
    working = days.working(day)
    days.warn()
    return working


def next_working_day(day: dt.date, city: str | None = None) -> dt.date:
    """The first working day strictly after ``day``."""
    return add_working_days(day, 1, city)


def add_working_days(start: dt.date, n: int, city: str | None = None) -> dt.date:
    """The due date of something received on ``start`` with ``n`` working days
    (「自次一工作日起算」): the ``n``-th working day strictly after ``start``. ``start`` itself
    never counts, even when it is a working day. ``n == 0`` returns ``start`` unchanged.

    Raises ValueError (zh-Hant message) when ``n`` is negative.
    """
    if n < 0:
        raise ValueError("工作天數不可為負數。")
    start = _as_date(start)
    if n == 0:
        return start
    # Five working days a week plus room for the longest holiday runs; widened if ever exceeded.
    estimate = n * 7 // 5 + _WINDOW_SLACK
    days = _Days(city, start + ONE_DAY, min(start + dt.timedelta(days=estimate), dt.date.max))
    day, remaining = start, n
    while remaining:
        day += ONE_DAY
        if days.working(day):
            remaining -= 1
    days.warn()
    return day


def working_days_between(start: dt.date, end: dt.date, city: str | None = None) -> int:
    """The number of working days ``d`` with ``start < d <= end`` (the start day excluded, the
    end day included; 「不含起日、含迄日」). 0 when ``end <= start``.

    Matches :func:`add_working_days`: ``add_working_days(s, n) == e`` implies
    ``working_days_between(s, e) == n``.
    """
    start, end = _as_date(start), _as_date(end)
    if end <= start:
        return 0
    days = _Days(city, start + ONE_DAY, end)
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if days.working(day):
            count += 1
    days.warn()
    return count


def working_days_since(starts: list[dt.date], end: dt.date, city: str | None = None) -> list[int]:
    """:func:`working_days_between` of each start and one ``end`` (e.g. how many working days
    each overdue part is late), reading the calendar once for the whole list."""
    starts = [_as_date(start) for start in starts]
    end = _as_date(end)
    earliest = min((start for start in starts if start < end), default=end)
    days = _Days(city, earliest + ONE_DAY, end)
    # counted[i]: working days from earliest + 1 up to and including earliest + i.
    counted, total, day = [0], 0, earliest
    while day < end:
        day += ONE_DAY
        total += days.working(day)
        counted.append(total)
    days.warn()
    return [total - counted[(start - earliest).days] if start < end else 0 for start in starts]


def month_view(year: int, month: int, city: str | None = None) -> list[list[DayInfo | None]]:
    """The month as weeks of seven cells, Monday first, for a calendar grid; cells outside the
    month are None."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    days = _Days(city, first, last)
    grid = [[days.info(day) if day.month == month else None for day in week] for week in weeks]
    days.warn()
    return grid


# --- Working hours --------------------------------------------------------------------------


def _clock(value: str | dt.time, setting: str) -> dt.time:
    from django.core.exceptions import ImproperlyConfigured

    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(value)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"{setting} 的時間「{value}」不是 HH:MM 格式。") from None


def office_hours() -> tuple[tuple[dt.time, dt.time], ...]:
    """The counted periods of a working day, in order: ``settings.OFFICE_HOURS`` (opening,
    closing; default 08:30–17:30) less ``settings.OFFICE_BREAK`` (e.g. ("12:30", "13:30"))
    when one is set. Without a break the lunch hour counts (see docs/calendar.md)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    raw = getattr(settings, "OFFICE_HOURS", DEFAULT_OFFICE_HOURS)
    opening, closing = (_clock(value, "OFFICE_HOURS") for value in raw)
    if not opening < closing:
        raise ImproperlyConfigured("OFFICE_HOURS 的上班時間必須早於下班時間。")
    pause = getattr(settings, "OFFICE_BREAK", None)
    if not pause:
        return ((opening, closing),)
    begin, end = (_clock(value, "OFFICE_BREAK") for value in pause)
    if not opening < begin < end < closing:
        raise ImproperlyConfigured("OFFICE_BREAK 必須在上班時間之內，且開始早於結束。")
    return ((opening, begin), (end, closing))


def _taipei(moment: dt.datetime, what: str) -> dt.datetime:
    if not isinstance(moment, dt.datetime) or moment.utcoffset() is None:
        raise ValueError(f"{what}必須是含時區的日期時間。")
    return moment.astimezone(TAIPEI)


def _periods_on(day: dt.date, periods) -> list[tuple[dt.datetime, dt.datetime]]:
    # Asia/Taipei has had no daylight saving time since 1979: wall-clock arithmetic is exact.
    return [
        (dt.datetime.combine(day, begin, TAIPEI), dt.datetime.combine(day, end, TAIPEI))
        for begin, end in periods
    ]


def add_working_hours(start: dt.datetime, hours: float, city: str | None = None) -> dt.datetime:
    """The moment ``hours`` working hours after ``start``: only the office hours of working
    days count (:func:`office_hours`, the same calendar as :func:`add_working_days`); a start
    outside office hours counts from the next opening. A deadline that uses up a day's hours
    exactly is that day's closing time, not the next opening. Counted to the second.

    ``start`` must be aware; the result is in Asia/Taipei. ``hours == 0`` returns ``start``
    (in Taipei time). Raises ValueError (zh-Hant message) for a naive ``start`` or negative or
    non-finite ``hours``.
    """
    local = _taipei(start, "起算時間")
    if not math.isfinite(hours) or hours < 0:
        raise ValueError("工作時數必須是不小於 0 的數字。")
    remaining = dt.timedelta(seconds=round(hours * 3600))
    if not remaining:
        return local
    periods = office_hours()
    per_day = sum(
        (
            dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, begin)
            for begin, end in periods
        ),
        dt.timedelta(),
    )
    estimate = math.ceil(remaining / per_day) * 7 // 5 + _WINDOW_SLACK
    day = local.date()
    days = _Days(city, day, min(day + dt.timedelta(days=estimate), dt.date.max))
    while True:
        if days.working(day):
            for opening, closing in _periods_on(day, periods):
                begin = max(opening, local)
                if begin >= closing:
                    continue
                if remaining <= closing - begin:
                    days.warn()
                    return begin + remaining
                remaining -= closing - begin
        day += ONE_DAY


def working_hours_between(start: dt.datetime, end: dt.datetime, city: str | None = None) -> float:
    """The working hours from ``start`` to ``end`` (office hours of working days only), e.g. how
    late a reply due at a time came; 0.0 when ``end <= start``. Both must be aware.

    Matches :func:`add_working_hours`: for an ``end`` inside office hours,
    ``add_working_hours(s, working_hours_between(s, e)) == e``.
    """
    start, end = _taipei(start, "起算時間"), _taipei(end, "結束時間")
    if end <= start:
        return 0.0
    periods = office_hours()
    days = _Days(city, start.date(), end.date())
    total = dt.timedelta()
    day = start.date()
    while day <= end.date():
        if days.working(day):
            for opening, closing in _periods_on(day, periods):
                span = min(closing, end) - max(opening, start)
                if span > dt.timedelta():
                    total += span
        day += ONE_DAY
    days.warn()
    return total.total_seconds() / 3600
