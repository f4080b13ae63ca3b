"""The demo's desk records stay in the current half-year whatever the day, so the work report
shows every 服務台 section — on a half-year's first day too; running it again adds nothing."""

import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from secretariat.core.roc import TAIPEI, Period
from secretariat.reports.selectors import build_report
from secretariat.service.models import DeskVisit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", [dt.date(2027, 1, 1), dt.date(2026, 12, 7)])
def test_the_demo_fills_the_desk_sections(day):
    moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=TAIPEI)
    with mock.patch.object(timezone, "now", return_value=moment):
        call_command("demo", verbosity=0)
        report = build_report(Period.half_containing(day))
        count = DeskVisit.objects.count()
        call_command("demo", verbosity=0)
    assert DeskVisit.objects.count() == count
    sections = [s for c in report.chapters for s in c.sections if s.key.startswith("service.")]
    assert [s.key for s in sections] == [
        "service.consultations",
        "service.dispatch",
        "service.nursing_rooms",
        "service.professional_consultations",
        "service.volunteers",
    ]
    assert [s.key for s in sections if not s.has_records] == []
