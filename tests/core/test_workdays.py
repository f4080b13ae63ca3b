"""The working-day calendar: the published 行政機關辦公日曆表, administrators' adjustments
(typhoon closures, holidays and make-up workdays) and deadline counting."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from secretariat.core import services, workdays
from secretariat.core.models import DayKind

pytestmark = pytest.mark.django_db

D = dt.date


def closure(day: dt.date, city: str = "臺北市", reason: str = "颱風停止上班"):
    return services.set_calendar_day(
        by=None, date=day, kind=DayKind.CLOSURE, reason=reason, city=city
    )


# --- The published calendar -----------------------------------------------------------------


def test_lunar_new_year_114_deadline():
    # 114 年辦公日曆表: 2025-01-25 (Sat) .. 2025-02-02 (Sun) are all 是否放假=2 (小年夜 01-27,
    # 農曆除夕 01-28, 春節 01-29..31, plus the weekends around them); 2025-02-08 (Sat) is
    # 補行上班 (是否放假=0). Received Fri 2025-01-24 (the receipt day never counts), 6 working
    # days: 02-03 Mon is the 1st, 02-04 2nd, 02-05 3rd, 02-06 4th, 02-07 Fri 5th and the
    # make-up Saturday 02-08 is the 6th.
    assert workdays.add_working_days(D(2025, 1, 24), 6) == D(2025, 2, 8)
    assert workdays.add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)
    assert workdays.add_working_days(D(2025, 1, 24), 7) == D(2025, 2, 10)  # 02-09 Sun is off
    assert workdays.working_days_between(D(2025, 1, 24), D(2025, 2, 8)) == 6
    assert workdays.next_working_day(D(2025, 1, 24)) == D(2025, 2, 3)
    for day in range(25, 32):
        assert not workdays.is_working_day(D(2025, 1, day))


def test_make_up_saturdays_are_working_days():
    assert workdays.is_working_day(D(2025, 2, 8))
    assert workdays.is_working_day(D(2024, 2, 17))
    info = workdays.day_info(D(2025, 2, 8))
    assert info == workdays.DayInfo(D(2025, 2, 8), True, "補行上班", "calendar")
    assert not workdays.is_working_day(D(2025, 2, 15))  # an ordinary Saturday


def test_holiday_notes_come_from_the_calendar():
    info = workdays.day_info(D(2026, 1, 1))
    assert (info.working, info.note, info.source) == (False, "開國紀念日", "calendar")
    assert workdays.day_info(D(2026, 1, 2)).working


def test_start_day_never_counts_even_when_working():
    # Mon 2025-03-03 is a working day; 1 working day from it is Tue, and from Fri it is Mon.
    assert workdays.add_working_days(D(2025, 3, 3), 1) == D(2025, 3, 4)
    assert workdays.add_working_days(D(2025, 3, 7), 1) == D(2025, 3, 10)
    assert workdays.next_working_day(D(2025, 3, 8)) == D(2025, 3, 10)


def test_zero_and_negative_days():
    assert workdays.add_working_days(D(2025, 2, 1), 0) == D(2025, 2, 1)  # even on a day off
    with pytest.raises(ValueError, match="負數"):
        workdays.add_working_days(D(2025, 2, 1), -1)


def test_working_days_between_excludes_start_and_includes_end():
    assert workdays.working_days_between(D(2025, 3, 3), D(2025, 3, 3)) == 0
    assert workdays.working_days_between(D(2025, 3, 7), D(2025, 3, 3)) == 0
    assert workdays.working_days_between(D(2025, 3, 3), D(2025, 3, 4)) == 1
    assert workdays.working_days_between(D(2025, 3, 3), D(2025, 3, 10)) == 5
    assert workdays.working_days_between(D(2025, 1, 1), D(2025, 12, 31)) == sum(
        workdays.is_working_day(D(2025, 1, 1) + dt.timedelta(days=i)) for i in range(1, 365)
    )


def test_datetimes_are_treated_as_their_date():
    moment = dt.datetime(2025, 1, 24, 16, 30)
    assert workdays.add_working_days(moment, 6) == D(2025, 2, 8)
    assert workdays.is_working_day(dt.datetime(2025, 2, 8, 9))


# --- Administrators' adjustments ------------------------------------------------------------


def test_typhoon_closure_for_the_city_moves_deadlines():
    typhoon = D(2025, 7, 29)  # a Tuesday, a working day in the published calendar
    assert workdays.add_working_days(D(2025, 7, 25), 5) == D(2025, 8, 1)
    closure(typhoon)
    assert not workdays.is_working_day(typhoon)
    info = workdays.day_info(typhoon)
    assert (info.working, info.note, info.source) == (False, "颱風停止上班", "adjustment")
    # Fri 07-25 + 5: 07-28 (1), 07-30 (2), 07-31 (3), 08-01 (4), Mon 08-04 (5).
    assert workdays.add_working_days(D(2025, 7, 25), 5) == D(2025, 8, 4)
    assert workdays.next_working_day(D(2025, 7, 28)) == D(2025, 7, 30)
    assert workdays.working_days_between(D(2025, 7, 25), D(2025, 8, 1)) == 4
    # Explicitly for 臺北市, and spelled 台北市.
    assert not workdays.is_working_day(typhoon, city="臺北市")
    assert not workdays.is_working_day(typhoon, city="台北市")


def test_closure_for_another_city_does_not_apply():
    typhoon = D(2025, 7, 29)
    closure(typhoon, city="高雄市")
    assert workdays.is_working_day(typhoon)  # default city 臺北市
    assert workdays.add_working_days(D(2025, 7, 25), 5) == D(2025, 8, 1)
    assert not workdays.is_working_day(typhoon, city="高雄市")
    assert workdays.add_working_days(D(2025, 7, 25), 5, city="高雄市") == D(2025, 8, 4)


def test_nationwide_closure_applies_to_every_city():
    day = D(2025, 7, 29)
    closure(day, city="", reason="全國停止上班")
    for city in (None, "臺北市", "高雄市", ""):
        info = workdays.day_info(day, city=city)
        assert (info.working, info.note) == (False, "全國停止上班")


def test_city_adjustment_wins_over_nationwide_one():
    day = D(2025, 7, 29)
    closure(day, city="")
    services.set_calendar_day(
        by=None, date=day, kind=DayKind.WORKDAY, reason="本市照常上班", city="臺北市"
    )
    assert workdays.day_info(day).note == "本市照常上班"
    assert workdays.is_working_day(day)
    assert not workdays.is_working_day(day, city="高雄市")


def test_configured_city_is_the_default(settings):
    day = D(2025, 7, 29)
    closure(day, city="高雄市")
    settings.CALENDAR_CITY = "高雄市"
    assert not workdays.is_working_day(day)
    assert workdays.is_working_day(day, city="臺北市")


def test_adjustment_overrides_a_published_holiday():
    services.set_calendar_day(
        by=None, date=D(2025, 2, 15), kind=DayKind.WORKDAY, reason="測試補班", city=""
    )
    assert workdays.is_working_day(D(2025, 2, 15))
    services.set_calendar_day(
        by=None, date=D(2025, 2, 8), kind=DayKind.HOLIDAY, reason="取消補班", city=""
    )
    assert not workdays.is_working_day(D(2025, 2, 8))


def test_year_without_published_data_uses_weekend_rule_and_adjustments():
    assert 2021 not in workdays.published_years()  # 民國 110
    assert {2019, 2020, 2022, 2025, 2027} <= workdays.published_years()
    # Weekend rule: Fri 2021-02-12 (春節 in reality) is "working", Sat 2021-02-20 is off.
    assert workdays.day_info(D(2021, 2, 12)) == workdays.DayInfo(
        D(2021, 2, 12), True, "", "weekend-rule"
    )
    assert not workdays.is_working_day(D(2021, 2, 20))
    assert workdays.add_working_days(D(2021, 2, 11), 1) == D(2021, 2, 12)

    services.set_calendar_day(by=None, date=D(2021, 2, 12), kind=DayKind.HOLIDAY, reason="春節")
    services.set_calendar_day(by=None, date=D(2021, 2, 20), kind=DayKind.WORKDAY, reason="補行上班")
    assert workdays.day_info(D(2021, 2, 12)) == workdays.DayInfo(
        D(2021, 2, 12), False, "春節", "adjustment"
    )
    assert workdays.is_working_day(D(2021, 2, 20))
    # Thu 02-11 + 1: 02-12 holiday, 02-13/14 weekend → Mon 02-15.
    assert workdays.add_working_days(D(2021, 2, 11), 1) == D(2021, 2, 15)
    # Fri 02-19 + 1 → the make-up Saturday 02-20.
    assert workdays.add_working_days(D(2021, 2, 19), 1) == D(2021, 2, 20)
    assert workdays.is_working_day(D(2021, 2, 22))  # other days still follow the weekend rule


# --- Efficiency -----------------------------------------------------------------------------


def test_adjustments_are_loaded_in_one_query(django_assert_max_num_queries):
    closure(D(2025, 7, 29))
    with django_assert_max_num_queries(1):
        due = workdays.add_working_days(D(2025, 1, 2), 250)
    with django_assert_max_num_queries(1):
        assert workdays.working_days_between(D(2025, 1, 2), due) == 250
    with django_assert_max_num_queries(1):
        workdays.month_view(2025, 7)
    with django_assert_max_num_queries(1):
        workdays.day_info(D(2025, 7, 29))


def test_counting_past_the_first_window_still_works(django_assert_max_num_queries):
    # Many adjustments make the first window too short: the module widens it (one more query).
    for i in range(60):
        day = D(2025, 3, 3) + dt.timedelta(days=i)
        services.set_calendar_day(by=None, date=day, kind=DayKind.HOLIDAY, reason="測試")
    with django_assert_max_num_queries(2):
        due = workdays.add_working_days(D(2025, 3, 2), 10)
    assert due > D(2025, 5, 1)
    assert workdays.working_days_between(D(2025, 3, 2), due) == 10
    assert workdays.is_working_day(due)


def test_250_working_days_is_fast():
    workdays.add_working_days(D(2025, 1, 2), 1)  # parse the published calendar once
    timings = []
    for _ in range(5):
        began = time.perf_counter()
        workdays.add_working_days(D(2025, 1, 2), 250)
        timings.append(time.perf_counter() - began)
    assert min(timings) < 0.05


# --- Consistency ----------------------------------------------------------------------------


@pytest.fixture
def some_closures():
    closure(D(2024, 7, 25))
    closure(D(2025, 7, 29), city="")
    closure(D(2025, 7, 30), city="高雄市")
    services.set_calendar_day(by=None, date=D(2021, 2, 12), kind=DayKind.HOLIDAY, reason="春節")


@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    start=st.dates(min_value=D(2019, 1, 1), max_value=D(2027, 12, 31)),
    n=st.integers(min_value=0, max_value=40),
)
def test_add_and_between_agree(some_closures, start, n):
    due = workdays.add_working_days(start, n)
    assert workdays.working_days_between(start, due) == n
    if n == 0:
        assert due == start
    else:
        assert due > start
        assert workdays.is_working_day(due)
        # The due date is the first day reaching n: one day earlier there were n - 1.
        assert workdays.working_days_between(start, due - dt.timedelta(days=1)) == n - 1
        assert workdays.add_working_days(workdays.add_working_days(start, 1), n - 1) == due


# --- Month grid -----------------------------------------------------------------------------


def test_month_view_february_2025():
    weeks = workdays.month_view(2025, 2)
    assert len(weeks) == 5
    assert all(len(week) == 7 for week in weeks)
    # 2025-02-01 is a Saturday: five padding cells Monday..Friday.
    assert weeks[0][:5] == [None] * 5
    assert weeks[0][5].date == D(2025, 2, 1)
    # 2025-02-28 is a Friday: Saturday and Sunday cells are padding.
    assert weeks[-1][4].date == D(2025, 2, 28) and weeks[-1][5:] == [None, None]
    cells = [cell for week in weeks for cell in week if cell is not None]
    assert [cell.date for cell in cells] == [D(2025, 2, day) for day in range(1, 29)]
    for week in weeks:
        for column, cell in enumerate(week):
            if cell is not None:
                assert cell.date.weekday() == column  # Monday first
    make_up = weeks[1][5]
    assert make_up.date == D(2025, 2, 8) and make_up.working and make_up.note == "補行上班"
    assert not weeks[1][6].working  # Sunday 02-09


def test_month_view_shows_adjustments():
    closure(D(2025, 7, 29))
    cells = {c.date: c for week in workdays.month_view(2025, 7) for c in week if c is not None}
    assert cells[D(2025, 7, 29)].source == "adjustment"
    assert not cells[D(2025, 7, 29)].working
    assert cells[D(2025, 7, 28)].working


def test_working_days_since_matches_one_by_one(registry):
    services.set_calendar_day(
        by=None, date=D(2025, 3, 5), kind=DayKind.CLOSURE, reason="颱風", city="臺北市"
    )
    end = D(2025, 3, 12)
    starts = [D(2025, 1, 24), D(2025, 3, 3), D(2025, 3, 11), D(2025, 3, 12), D(2025, 3, 20)]
    expected = [workdays.working_days_between(start, end) for start in starts]
    assert workdays.working_days_since(starts, end) == expected
    assert expected[1:] == [6, 1, 0, 0]
