"""The demo records: made through the services, idempotent, and the report reads them."""

from __future__ import annotations

import datetime as dt

import pytest

from secretariat.archives import reports
from secretariat.archives.demo import load_demo
from secretariat.archives.models import (
    DestructionList,
    DestructionReview,
    Folder,
    Item,
    ListStatus,
    Transfer,
)
from secretariat.core.roc import Period

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_fills_the_half_year(registry):
    load_demo()
    counts = (Item.objects.count(), Folder.objects.count(), DestructionReview.objects.count())
    load_demo()
    assert (
        Item.objects.count(),
        Folder.objects.count(),
        DestructionReview.objects.count(),
    ) == counts
    assert DestructionList.objects.get().status == ListStatus.OPINIONS
    assert Transfer.objects.count() == 1
    half = Period.half_containing(dt.date.today())
    assert reports.catalogue(half).has_records
    assert reports.review(half).has_records
