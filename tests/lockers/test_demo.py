"""The demo's lockers: a simulated bank, a package waiting for 警察局, a letter waiting to be
packed, and the half-year's earlier months as imported counts — in the current half-year
whatever the day, so the report's locker section has records."""

import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from secretariat.core.models import User
from secretariat.core.roc import TAIPEI, Period
from secretariat.lockers import selectors
from secretariat.lockers.models import Package, Status
from secretariat.reports.selectors import build_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", [dt.date(2027, 1, 4), dt.date(2027, 5, 12)])
def test_the_demo_fills_the_locker_section(day):
    moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=TAIPEI)
    with mock.patch.object(timezone, "now", return_value=moment):
        call_command("demo", verbosity=0)
        report = build_report(Period.half_containing(day))
        (package,) = Package.objects.all()
        assert package.status == Status.DEPOSITED
        clerk = User.objects.get(username="police-clerk")
        assert list(selectors.pending_pickups(clerk)) == [package]
        assert selectors.packable(User.objects.get(username="sec-clerk")).count() == 1
    (section,) = [s for c in report.chapters for s in c.sections if s.key == "lockers.lockers"]
    assert section.has_records
    assert section.figures[1].value >= 1  # cumulative packages
