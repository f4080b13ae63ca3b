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
    assert 2029 not in workdays.published_years()  # 民國 118: not yet published
    # Weekend rule: Wed 2029-01-31 is "working", Sat 2029-02-10 is off.
    with pytest.warns(workdays.CalendarWarning):
        assert workdays.day_info(D(2029, 1, 31)) == workdays.DayInfo(
            D(2029, 1, 31), True, "", "weekend-rule"
        )
    with pytest.warns(workdays.CalendarWarning):
        assert not workdays.is_working_day(D(2029, 2, 10))
        assert workdays.add_working_days(D(2029, 1, 30), 1) == D(2029, 1, 31)

    services.set_calendar_day(by=None, date=D(2029, 1, 31), kind=DayKind.HOLIDAY, reason="春節")
    services.set_calendar_day(by=None, date=D(2029, 2, 10), kind=DayKind.WORKDAY, reason="補行上班")
    # An adjusted day is answered by the adjustment: no warning for it alone.
    assert workdays.day_info(D(2029, 1, 31)) == workdays.DayInfo(
        D(2029, 1, 31), False, "春節", "adjustment"
    )
    assert workdays.is_working_day(D(2029, 2, 10))
    with pytest.warns(workdays.CalendarWarning):
        # Tue 01-30 + 1: 01-31 holiday → Thu 02-01.
        assert workdays.add_working_days(D(2029, 1, 30), 1) == D(2029, 2, 1)
        # Fri 02-09 + 1 → the make-up Saturday 02-10.
        assert workdays.add_working_days(D(2029, 2, 9), 1) == D(2029, 2, 10)
        assert workdays.is_working_day(D(2029, 2, 12))  # other days still follow the weekend rule


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
    services.set_calendar_day(by=None, date=D(2021, 2, 8), kind=DayKind.HOLIDAY, reason="測試")


@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    start=st.dates(min_value=D(2006, 1, 1), max_value=D(2027, 10, 15)),
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


# --- History before 民國108: the bundled office calendar -----------------------------------


def test_the_calendar_is_known_from_2006_to_the_last_published_year():
    first, last = workdays.known_range()
    assert first == D(2006, 1, 1)
    assert last == D(max(workdays.published_years()), 12, 31) >= D(2027, 12, 31)
    assert set(range(2006, last.year + 1)) == set(workdays.published_years())
    assert workdays.is_known(D(2006, 1, 1)) and workdays.is_known(D(2021, 6, 30))
    assert not workdays.is_known(D(2005, 12, 31))
    assert not workdays.is_known(dt.datetime(last.year + 1, 1, 1, 9))


def test_lunar_new_year_106_deadline():
    # 106 年: 農曆除夕 Fri 01-27, 春節 Sat 01-28 .. Mon 01-30, 補假 Tue 01-31 and Wed 02-01
    # (for the weekend days of 除夕/春節). Received Wed 2017-01-25, 6 working days: Thu 01-26
    # is the 1st, then nothing until Thu 02-02 (2nd), 02-03 (3rd), 02-06 (4th), 02-07 (5th),
    # Wed 02-08 (6th).
    assert workdays.add_working_days(D(2017, 1, 25), 6) == D(2017, 2, 8)
    assert workdays.add_working_days(D(2017, 1, 25), 1) == D(2017, 1, 26)
    assert workdays.add_working_days(D(2017, 1, 25), 2) == D(2017, 2, 2)
    assert workdays.working_days_between(D(2017, 1, 25), D(2017, 2, 8)) == 6
    for day in (D(2017, 1, 27), D(2017, 1, 30), D(2017, 1, 31), D(2017, 2, 1)):
        assert not workdays.is_working_day(day), day
    assert workdays.day_info(D(2017, 1, 27)) == workdays.DayInfo(
        D(2017, 1, 27), False, "農曆除夕", "calendar"
    )
    assert workdays.day_info(D(2017, 1, 31)).note == "補假"


def test_make_up_saturday_106_counts():
    # Mon 2017-02-27 was a day off (調整放假, before 和平紀念日 Tue 02-28) made up on Sat 02-18.
    assert workdays.day_info(D(2017, 2, 18)) == workdays.DayInfo(
        D(2017, 2, 18), True, "補行上班", "calendar"
    )
    assert workdays.day_info(D(2017, 2, 27)) == workdays.DayInfo(
        D(2017, 2, 27), False, "調整放假", "calendar"
    )
    # Thu 02-16 + 2: Fri 02-17, then the make-up Saturday 02-18.
    assert workdays.add_working_days(D(2017, 2, 16), 2) == D(2017, 2, 18)
    # Fri 02-24 + 1: the weekend, 02-27 and 02-28 are off → Wed 03-01.
    assert workdays.add_working_days(D(2017, 2, 24), 1) == D(2017, 3, 1)


def test_lunar_new_year_107():
    # 107 年春節: 除夕 Thu 2018-02-15 .. 補假 Tue 02-20; Wed 02-21 is the first working day.
    off = [D(2018, 2, 15) + dt.timedelta(days=i) for i in range(6)]
    assert not any(workdays.is_working_day(day) for day in off)
    assert workdays.next_working_day(D(2018, 2, 14)) == D(2018, 2, 21)


def test_typhoon_days_are_not_in_the_office_calendar():
    # 2016 had typhoon closures in Taipei (e.g. 尼伯特, Fri 07-08; 梅姬, Tue 09-27). They were
    # announced per city, not in the 辦公日曆表: administrators enter them as closures.
    assert workdays.is_working_day(D(2016, 7, 8))
    assert workdays.is_working_day(D(2016, 9, 27))
    closure(D(2016, 9, 27), reason="梅姬颱風停止上班")
    assert not workdays.is_working_day(D(2016, 9, 27))
    assert workdays.add_working_days(D(2016, 9, 26), 1) == D(2016, 9, 28)


def test_a_95_date():
    # 95 年: 春節 Mon 2006-01-30, Tue 01-31, 補假 Wed 02-01 and Thu 02-02; Fri 02-03 works.
    assert workdays.add_working_days(D(2006, 1, 27), 1) == D(2006, 2, 3)
    # 國慶: Mon 10-09 調整放假 made up on Sat 10-14.
    assert not workdays.is_working_day(D(2006, 10, 9))
    assert workdays.is_working_day(D(2006, 10, 14))
    assert workdays.calendar_note(D(2006, 1, 1)) is None


def test_110_comes_from_the_bundled_calendar_too():
    # taiwan-holidays has no 110 (2021) file: the bundled data fills it.
    assert workdays.day_info(D(2021, 2, 10)) == workdays.DayInfo(
        D(2021, 2, 10), False, "調整放假", "calendar"
    )
    assert workdays.is_working_day(D(2021, 2, 20))  # its make-up Saturday
    assert not workdays.is_working_day(D(2021, 12, 31))  # 補假 for 開國紀念日 on a Saturday


def test_bundled_years_follow_the_weekend_rule_on_ordinary_days():
    for day in (D(2012, 5, 7), D(2012, 5, 11)):  # an ordinary Monday and Friday
        assert workdays.day_info(day) == workdays.DayInfo(day, True, "", "calendar")
    assert workdays.day_info(D(2012, 5, 12)) == workdays.DayInfo(
        D(2012, 5, 12), False, "", "calendar"
    )


def test_a_date_outside_the_calendar_warns_and_still_answers():
    with pytest.warns(workdays.CalendarWarning) as caught:
        due = workdays.add_working_days(D(2005, 12, 29), 2)
    assert due == D(2006, 1, 2)  # Fri 12-30, then Mon 01-02: the weekend rule for 2005
    assert caught[0].message.years == (2005,)
    assert str(caught[0].message) == "94年以前的辦公日曆表未收錄，期限僅排除週末，未計國定假日。"

    last = workdays.known_range()[1]
    after = last + dt.timedelta(days=1)
    with pytest.warns(workdays.CalendarWarning, match=f"{after.year - 1911}年以後"):
        assert workdays.working_days_between(last, after + dt.timedelta(days=6)) == 5
    with pytest.warns(workdays.CalendarWarning):
        workdays.month_view(after.year, 1)
    with pytest.warns(workdays.CalendarWarning):
        workdays.working_days_since([last], after + dt.timedelta(days=6))


def test_a_count_inside_the_calendar_does_not_warn():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", workdays.CalendarWarning)
        workdays.add_working_days(D(2006, 1, 2), 250)
        workdays.working_days_between(D(2006, 1, 1), D(2027, 12, 31))
        workdays.month_view(2017, 1)


def test_calendar_note():
    assert workdays.calendar_note(D(2017, 1, 25), D(2017, 2, 8)) is None
    last = workdays.known_range()[1]
    roc_after = last.year + 1 - 1911
    assert workdays.calendar_note(last + dt.timedelta(days=1)) == (
        f"{roc_after}年以後的辦公日曆表尚未收錄，期限僅排除週末，未計國定假日。"
    )
    # A count that runs past the end of the calendar gets the note too.
    assert workdays.calendar_note(last, last + dt.timedelta(days=20)) is not None
    assert workdays.calendar_note(D(1999, 3, 1)).startswith("94年以前")


def test_the_calendar_page_and_calculator_show_the_note(client, admin):
    client.force_login(admin)
    with pytest.warns(workdays.CalendarWarning):
        page = client.get("/calendar/", {"year": 2005, "month": 3}).content.decode()
    assert "94年以前的辦公日曆表未收錄" in page
    assert (
        "calendar-note" not in client.get("/calendar/", {"year": 2017, "month": 1}).content.decode()
    )
    result = client.get("/calendar/calculate/", {"start": "106/01/25", "days": 6}).content.decode()
    assert "106年2月8日" in result and "calendar-note" not in result
    with pytest.warns(workdays.CalendarWarning):
        result = client.get(
            "/calendar/calculate/", {"start": "116/12/28", "days": 6}
        ).content.decode()
    assert "117年以後的辦公日曆表尚未收錄" in result
