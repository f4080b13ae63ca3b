"""The demo's meetings stay in the current half-year whatever the day, so the work report
shows every 府級會議 section there — in a half-year's first days too (a holiday, the first
working day)."""

import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from secretariat.core.roc import TAIPEI, Period
from secretariat.reports.selectors import build_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", [dt.date(2027, 1, 1), dt.date(2027, 7, 2)])
def test_the_demo_fills_the_meetings_sections_on_the_half_year_s_first_days(day):
    moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=TAIPEI)
    with mock.patch.object(timezone, "now", return_value=moment):
        call_command("demo", verbosity=0)
        report = build_report(Period.half_containing(day))
    sections = [s for c in report.chapters for s in c.sections if s.key.startswith("meetings.")]
    assert len(sections) == 4
    assert [s.key for s in sections if not s.has_records] == []
