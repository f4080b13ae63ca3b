"""Deadlines in working hours (工作時數): office hours of working days, by the same calendar as
working days, in Taipei time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from secretariat.core import services, workdays
from secretariat.core.models import DayKind

pytestmark = pytest.mark.django_db

TAIPEI = ZoneInfo("Asia/Taipei")


def at(year, month, day, hour=0, minute=0, tz=TAIPEI) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=tz)


def test_default_office_hours_are_0830_to_1730_with_lunch_counted():
    assert workdays.office_hours() == ((dt.time(8, 30), dt.time(17, 30)),)
    # A whole working day is 9 hours: from the opening to the closing of the same day.
    assert workdays.add_working_hours(at(2025, 3, 3, 8, 30), 9) == at(2025, 3, 3, 17, 30)
    assert workdays.working_hours_between(at(2025, 3, 3, 0), at(2025, 3, 4, 0)) == 9.0
    # 4 hours from 11:00 run through the lunch hour: 15:00.
    assert workdays.add_working_hours(at(2025, 3, 3, 11), 4) == at(2025, 3, 3, 15)


def test_across_a_weekend():
    # Fri 2025-03-07 16:00 + 4 h: 1.5 h on Friday, then Mon 03-10 from 08:30 for 2.5 h.
    assert workdays.add_working_hours(at(2025, 3, 7, 16), 4) == at(2025, 3, 10, 11)
    assert workdays.working_hours_between(at(2025, 3, 7, 16), at(2025, 3, 10, 11)) == 4.0


def test_across_a_holiday():
    # Thu 2017-01-26 16:00 + 4 h: 1.5 h, then 除夕 .. 補假 (01-27 .. 02-01) are off → Thu 02-02.
    assert workdays.add_working_hours(at(2017, 1, 26, 16), 4) == at(2017, 2, 2, 11)


def test_a_make_up_saturday_counts():
    # Fri 2025-02-07 17:00 + 1 h: half an hour on Friday, then the 補行上班 Saturday 02-08.
    assert workdays.add_working_hours(at(2025, 2, 7, 17), 1) == at(2025, 2, 8, 9)
    # An ordinary Saturday does not count: Fri 2025-02-14 17:00 + 1 h → Mon 02-17 09:00.
    assert workdays.add_working_hours(at(2025, 2, 14, 17), 1) == at(2025, 2, 17, 9)


def test_a_typhoon_closure_does_not_count():
    services.set_calendar_day(
        by=None, date=dt.date(2025, 7, 29), kind=DayKind.CLOSURE, reason="颱風", city="臺北市"
    )
    assert workdays.add_working_hours(at(2025, 7, 28, 17), 2) == at(2025, 7, 30, 10)


def test_a_start_outside_office_hours_counts_from_the_next_opening():
    # An evening start: Mon 20:15 + 2 h → Tue 10:30.
    assert workdays.add_working_hours(at(2025, 3, 3, 20, 15), 2) == at(2025, 3, 4, 10, 30)
    # Before the opening the same day: 07:00 + 2 h → 10:30.
    assert workdays.add_working_hours(at(2025, 3, 4, 7), 2) == at(2025, 3, 4, 10, 30)
    # Exactly at the closing: nothing left that day.
    assert workdays.add_working_hours(at(2025, 3, 4, 17, 30), 0.5) == at(2025, 3, 5, 9)
    # On a Sunday: the Monday opening.
    assert workdays.add_working_hours(at(2025, 3, 9, 10), 1.5) == at(2025, 3, 10, 10)


def test_fractions_and_zero():
    assert workdays.add_working_hours(at(2025, 3, 3, 9), 0.25) == at(2025, 3, 3, 9, 15)
    evening = at(2025, 3, 3, 20)
    assert workdays.add_working_hours(evening, 0) == evening  # like 0 working days
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="工作時數"):
            workdays.add_working_hours(evening, bad)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="時區"):
        workdays.add_working_hours(dt.datetime(2025, 3, 3, 9), 1)
    with pytest.raises(ValueError, match="時區"):
        workdays.working_hours_between(at(2025, 3, 3, 9), dt.datetime(2025, 3, 3, 10))


def test_asia_taipei_has_no_daylight_saving_time():
    # Given in New York time across the US change to summer time (Sun 2025-03-09), the count
    # is in Taipei, where every working day keeps 9 hours and the offset stays +08:00.
    new_york = ZoneInfo("America/New_York")
    start = at(2025, 3, 6, 20, 30, tz=new_york)  # Fri 2025-03-07 09:30 in Taipei
    due = workdays.add_working_hours(start, 18)
    assert due == at(2025, 3, 11, 9, 30)
    assert due.utcoffset() == dt.timedelta(hours=8)
    assert due.tzinfo == TAIPEI
    utc_start = start.astimezone(dt.UTC)
    assert workdays.add_working_hours(utc_start, 18) == due
    assert workdays.working_hours_between(utc_start, due) == 18.0


def test_between_is_zero_when_the_end_is_not_later():
    assert workdays.working_hours_between(at(2025, 3, 3, 12), at(2025, 3, 3, 12)) == 0.0
    assert workdays.working_hours_between(at(2025, 3, 3, 12), at(2025, 3, 3, 9)) == 0.0
    # Both outside office hours on the same evening.
    assert workdays.working_hours_between(at(2025, 3, 3, 18), at(2025, 3, 3, 23)) == 0.0


def test_a_configured_lunch_break_is_not_counted(settings):
    settings.OFFICE_BREAK = ("12:30", "13:30")
    assert workdays.office_hours() == (
        (dt.time(8, 30), dt.time(12, 30)),
        (dt.time(13, 30), dt.time(17, 30)),
    )
    assert workdays.add_working_hours(at(2025, 3, 3, 11), 4) == at(2025, 3, 3, 16)
    assert workdays.add_working_hours(at(2025, 3, 3, 11), 1.5) == at(2025, 3, 3, 12, 30)
    assert workdays.add_working_hours(at(2025, 3, 3, 12, 45), 1) == at(2025, 3, 3, 14, 30)
    assert workdays.working_hours_between(at(2025, 3, 3, 0), at(2025, 3, 4, 0)) == 8.0


def test_configured_office_hours(settings):
    settings.OFFICE_HOURS = ("09:00", "18:00")
    assert workdays.add_working_hours(at(2025, 3, 3, 8), 1) == at(2025, 3, 3, 10)
    settings.OFFICE_HOURS = ("17:30", "08:30")
    with pytest.raises(ImproperlyConfigured):
        workdays.office_hours()
    settings.OFFICE_HOURS = ("8點", "17:30")
    with pytest.raises(ImproperlyConfigured, match="HH:MM"):
        workdays.office_hours()
    settings.OFFICE_HOURS = ("08:30", "17:30")
    settings.OFFICE_BREAK = ("07:00", "08:00")
    with pytest.raises(ImproperlyConfigured, match="OFFICE_BREAK"):
        workdays.office_hours()


def test_long_counts_read_the_calendar_in_one_query(django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        due = workdays.add_working_hours(at(2025, 1, 2, 9), 9 * 200)
    with django_assert_max_num_queries(1):
        assert workdays.working_hours_between(at(2025, 1, 2, 9), due) == 9 * 200


def test_outside_the_calendar_warns():
    last = workdays.known_range()[1]
    with pytest.warns(workdays.CalendarWarning):
        workdays.add_working_hours(at(last.year, 12, 31, 17), 4)
    with pytest.warns(workdays.CalendarWarning):
        workdays.working_hours_between(at(last.year, 12, 31, 17), at(last.year + 1, 1, 3, 12))


minutes = st.integers(min_value=0, max_value=60 * 24 * 400).map(
    lambda n: at(2024, 1, 1) + dt.timedelta(minutes=n)
)


@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(start=minutes, minutes_=st.integers(min_value=1, max_value=60 * 9 * 30))
def test_add_and_between_agree(start, minutes_):
    hours = minutes_ / 60
    due = workdays.add_working_hours(start, hours)
    assert due > start
    assert workdays.working_hours_between(start, due) == pytest.approx(hours, abs=1e-9)
    # The deadline lies in office hours of a working day (its closing time included).
    assert workdays.is_working_day(due.date())
    opening, closing = workdays.office_hours()[0]
    assert opening < due.time() <= closing
    # Round trip from the result's count back to the same moment.
    assert workdays.add_working_hours(start, workdays.working_hours_between(start, due)) == due
