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
    said = load_demo()
    counts = (Item.objects.count(), Folder.objects.count(), DestructionReview.objects.count())
    assert f"案卷 {Folder.objects.filter(agency__code='sec').count()} 卷" in said
    assert "初審 2 件、移轉 1 次" in said
    assert load_demo() == "已存在"
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
