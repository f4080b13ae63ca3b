"""Working days (工作天) by the Taiwan government administrative calendar and the administrators'
adjustments.

Two sources decide whether a day is a working day (上班日), highest precedence first:

1. :class:`~secretariat.core.models.CalendarAdjustment` rows entered by administrators: a
   closure (停止上班, e.g. a typhoon day) or an extra holiday means "not working", a workday
   (補班) means "working". Only adjustments for the city asked about (by default
   ``settings.CALENDAR_CITY``, 臺北市) or for every city (``city == ""``) apply; when both exist
   for a day the city-specific one wins.
2. The central government administrative calendar (行政機關辦公日曆表) published by the
   Directorate-General of Personnel Administration, read from the CSV files shipped in the
   ``taiwan-holidays`` package (民國 108, 109 and 111–116; 110 is missing). ``是否放假`` 2 is a
   day off, 0 a working day, including make-up Saturdays (補行上班).

For a day in a year the published calendar does not cover (e.g. 民國 110 or 117), the
**weekend rule** applies: Saturday and Sunday off, Monday to Friday working. Administrators fill
such a year in through adjustments (national holidays as ``holiday``, make-up Saturdays as
``workday``).

Counting convention (「自次一工作日起算」): something received on ``start`` with N working days
is due on the N-th working day strictly after ``start``; ``start`` itself never counts, even when
it is a working day. :func:`working_days_between` counts the same way (``start < d <= end``), so
``add_working_days(s, n) == e`` implies ``working_days_between(s, e) == n``.

Every public function reads the adjustments with one query (a second one only when a count runs
past a generous first window); the published calendar is parsed once per process.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources
from typing import Literal

DEFAULT_CITY = "臺北市"
CALENDAR_PACKAGE = "taiwan_holidays"
DAY_OFF = "2"

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


@functools.cache
def _published() -> dict[dt.date, tuple[bool, str]]:
    """{date: (working, 備註)} from every 辦公日曆表 CSV in the ``taiwan-holidays`` package."""
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


def published_years() -> frozenset[int]:
    """Gregorian years the published calendar covers (others fall back to the weekend rule)."""
    return frozenset(day.year for day in _published())


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
        return day.weekday() < 5


def _as_date(day: dt.date) -> dt.date:
    if isinstance(day, dt.datetime):
        return day.date()
    return day


# --- Public API -----------------------------------------------------------------------------


def day_info(day: dt.date, city: str | None = None) -> DayInfo:
    """Whether ``day`` is a working day in ``city`` (default ``settings.CALENDAR_CITY``), with
    the note and the source of the answer. Years without published data use the weekend rule."""
    day = _as_date(day)
    return _Days(city, day, day).info(day)


def is_working_day(day: dt.date, city: str | None = None) -> bool:
    """True when ``day`` is a working day (上班日) in ``city``; see :func:`day_info`."""
    return day_info(day, city).working


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
    return [total - counted[(start - earliest).days] if start < end else 0 for start in starts]


def month_view(year: int, month: int, city: str | None = None) -> list[list[DayInfo | None]]:
    """The month as weeks of seven cells, Monday first, for a calendar grid; cells outside the
    month are None."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    days = _Days(city, first, last)
    return [[days.info(day) if day.month == month else None for day in week] for week in weeks]
