"""The report sections reproduce the published figures from imported records: seed 001
§二(五) (114年上半年: 569 案（1萬9,567 卷）及 128萬8,356 件; 2萬8,200餘公尺 since 110年) and
the issue's 106年上半年 form for the Secretariat's own files (seed 000 is not in the
repository: its figures are the issue's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from secretariat.archives import reports
from secretariat.archives.models import (
    DestructionEntry,
    DestructionList,
    FilingStatus,
    Folder,
    Item,
    ListStatus,
    RecordStatus,
    Retention,
    Transfer,
)
from secretariat.core import importing
from secretariat.core.roc import Period

pytestmark = pytest.mark.django_db
HEADER = (
    "機關,來文字號,收件日期,件數,案數,卷數,排架長度,審查結果,審畢日期,核准文號,核准日期,銷毀日期\n"
)


def test_seed_001_review_and_shelf_metres(registry, admin):
    rows = [
        # 110–113: destroyed earlier (shelf metres only count toward the cumulative figure)
        "警察局,R110,110/03/01,100000,50,2000,9000.4,轉陳,110/03/20,檔110,110/05/01,110/07/01",
        "教育局,R112,112/03/01,200000,80,3000,12000,轉陳,112/03/20,檔112,112/05/01,112/06/30",
        # 114年上半年: 569 案（1萬9,567 卷）、128萬8,356 件 sent on; 7,234.2 m destroyed
        "警察局,R114A,114/01/10,600000,260,9000,4000,轉陳,114/01/31,檔114A,114/02/20,114/04/30",
        "教育局,R114B,114/02/10,688356,309,10567,3234.2,轉陳,114/03/05,檔114B,114/04/10,114/06/20",
        # received but not yet reviewed: not counted
        "工務局,R114C,114/06/25,999,9,99,10,,,,,",
    ]
    outcome = importing.run_import(
        "destruction-reviews", (HEADER + "\n".join(rows) + "\n").encode(), by=admin
    )
    assert outcome.ok, [str(p) for p in outcome.problems]
    data = reports.review(Period.half(114, 1))
    assert data.paragraphs[1] == (
        "114年截至6月底止，全府已送審569案（1萬9,567卷）及128萬8,356件擬銷毀檔案目錄至"
        "檔案管理局審核，自110年起至114年6月止累計銷毀實體檔案長度達2萬8,200餘公尺。"
    )
    assert data.paragraphs[0] == (
        "114年上半年初審本府各機關屆期檔案銷毀目錄計128萬8,356件、569案、1萬9,567卷。"
    )
    figures = {f.key: f.value for f in data.figures}
    assert figures["shelf_metres"] == Decimal("28234.6")
    assert (figures["approved"], figures["on_time"], figures["late"]) == (2, 2, 0)


def test_the_secretariats_own_catalogue_transfer_and_destruction(registry, agency, admin):
    """106年上半年: 7,632 件 catalogued, 30 案 (32 卷) transferred, 8 案 (104 卷) destroyed."""
    sec = agency("秘書處")
    day = dt.date(2017, 3, 15)
    folder = Folder.objects.create(
        agency=sec,
        year=106,
        class_code="0102",
        case_no=1,
        file_code="106-0102-001-001",
        title="工作報告",
        retention=Retention.Y10,
    )
    Item.objects.bulk_create(
        Item(
            agency=sec,
            folder=folder,
            item_no=n,
            file_code=f"106-0102-001-001-{n:06d}",
            title=f"件{n}",
            retention=Retention.Y10,
            filing=FilingStatus.FILED,
            checked_on=day,
            imported=True,
        )
        for n in range(1, 7633)
    )
    Transfer.objects.create(
        agency=sec,
        title="106年移轉",
        approval_number="檔移1",
        transferred_on=day,
        cases=30,
        volumes=32,
    )
    listing = DestructionList.objects.create(
        agency=sec,
        title="95年屆期",
        expiry_year=2016,
        proposed_by=admin,
        status=ListStatus.DESTROYED,
        approval_number="檔徵1",
        destroyed_on=day,
    )
    for case in range(1, 9):
        for volume in range(1, 14):
            gone = Folder.objects.create(
                agency=sec,
                year=95,
                class_code="0302",
                case_no=case,
                volume_no=volume,
                file_code=f"095-0302-{case:03d}-{volume:03d}",
                title="車輛管理",
                retention=Retention.Y10,
                status=RecordStatus.DESTROYED,
            )
            DestructionEntry.objects.create(
                destruction_list=listing,
                folder=gone,
                file_code=gone.file_code,
                title=gone.title,
                retention=gone.retention,
            )
    data = reports.catalogue(Period.half(106, 1))
    assert data.paragraphs == (
        "106年上半年本處檔案立案編目計7,632件；移轉國家檔案30案（32卷）；"
        "依核准之銷毀目錄銷毀屆期檔案8案（104卷）。",
    )
    assert reports.catalogue(Period.half(106, 2)).has_records is False


def test_shelf_metres_are_written_as_the_seed_writes_them():
    assert reports.metres_text(Decimal("28234.6")) == "2萬8,200餘公尺"
    assert reports.metres_text(Decimal("19200")) == "1萬9,200公尺"
    assert reports.metres_text(Decimal("0")) == "0公尺"
