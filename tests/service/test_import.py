"""Importing the desk's history: the example files reproduce the 106年上半年 consultation
table (six categories × six months, 3,598 in all — issue 23's figures), seed 001's 114年上半年
897 consultations and 99 petitions assisted by month, and seed 002's 112年 59 calls with 8
late; bad rows are all reported with nothing written; importing again changes nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from secretariat.core.importing import run_import
from secretariat.core.roc import Period
from secretariat.service import reports, services
from secretariat.service.models import DeskVisit, Dispatch, NursingRoomUse

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import"


def read(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_the_106_first_half_table_is_reproduced(categories):
    outcome = run_import("service-desk-log", read("service-desk-log.csv"))
    assert outcome.ok, outcome.problems
    section = reports.consultations(Period.half(106, 1))
    assert section.paragraphs[1] == (
        "106年上半年共計提供市政業務諮詢服務3,598件、協處民眾陳情0件，各月服務情形詳如下表："
    )
    table = section.tables[1]
    assert [c.label for c in table.columns] == [
        "類別",
        "1月",
        "2月",
        "3月",
        "4月",
        "5月",
        "6月",
        "合計",
    ]
    assert [row["category"] for row in table.rows] == [
        "民政",
        "財政建設",
        "教育",
        "交通",
        "工務",
        "警政衛生",
    ]
    expected = {row[2]: 0 for row in csv.reader(io.StringIO(read("service-desk-log.csv").decode()))}
    for row in csv.reader(io.StringIO(read("service-desk-log.csv").decode())):
        if row[0].startswith("106/"):
            expected[row[2]] += int(row[5])
    assert {row["category"]: row["total"] for row in table.rows} == {
        name: count for name, count in expected.items() if count
    }
    assert table.total["total"] == 3598
    assert table.total["m201701"] == sum(row["m201701"] for row in table.rows)


def test_the_114_first_half_897_and_99_are_reproduced(categories):
    assert run_import("service-desk-log", read("service-desk-log.csv")).ok
    section = reports.consultations(Period.half(114, 1))
    assert section.paragraphs[1] == (
        "114年上半年共計提供市政業務諮詢服務897件、協處民眾陳情99件，各月服務情形詳如下表："
    )
    by_kind = section.tables[0]
    months = [f"m2025{m:02d}" for m in range(1, 7)]
    consulted, petitions = by_kind.rows
    assert [consulted[m] for m in months] == [86, 107, 172, 156, 185, 191]
    assert [petitions[m] for m in months] == [5, 9, 17, 20, 20, 28]
    assert (consulted["total"], petitions["total"]) == (897, 99)
    assert "另轉介1999手語視訊服務1件" in section.paragraphs[2]


def test_importing_again_changes_nothing(categories):
    first = run_import("service-desk-log", read("service-desk-log.csv"))
    count = DeskVisit.objects.count()
    again = run_import("service-desk-log", read("service-desk-log.csv"))
    # Created counts visits; unchanged counts rows (a row is a day's tally).
    assert first.created == 3598 + 897 + 99
    assert again.ok and again.created == 0 and again.unchanged == 79
    assert DeskVisit.objects.count() == count == 3598 + 897 + 99


def test_every_bad_row_is_reported_and_nothing_written(categories):
    data = csv_bytes(
        [
            ["日期", "類型", "類別", "機關", "轉介", "件數"],
            ["114/02/30", "諮詢服務", "民政", "", "", "3"],
            ["114/03/01", "諮詢服務", "", "", "", "2"],
            ["114/03/01", "閒聊", "民政", "", "", ""],
            ["114/03/02", "諮詢服務", "觀光", "", "", "1"],
            ["114/03/02", "諮詢服務", "民政", "不存在局", "", "1"],
            ["114/03/03", "諮詢服務", "民政", "", "", "20000"],
            ["114/03/04", "諮詢服務", "民政", "", "", "1"],
        ]
    )
    outcome = run_import("service-desk-log", data)
    assert not outcome.ok
    rows = sorted({p.row for p in outcome.problems})
    assert rows == [2, 3, 4, 5, 6, 7]
    assert not DeskVisit.objects.exists()


def test_a_category_is_named_as_it_was_on_the_rows_date(categories, desk_supervisor):
    import datetime as dt

    services.rename_category(
        categories["civil"], by=desk_supervisor, name="民政及戶政", valid_from=dt.date(2025, 7, 1)
    )
    data = csv_bytes(
        [
            ["日期", "類型", "類別", "件數"],
            ["114/03/01", "諮詢服務", "民政", "2"],
            ["114/08/01", "諮詢服務", "民政及戶政", "1"],
            ["114/08/02", "諮詢服務", "民政", "1"],
        ]
    )
    outcome = run_import("service-desk-log", data)
    assert [(p.row, p.column) for p in outcome.problems] == [(4, "類別")]
    assert "當時名稱：民政及戶政" in outcome.problems[0].message


def test_xlsx_is_read_too(categories):
    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "類型", "類別", "件數"])
    sheet.append(["114/03/01", "陳情服務", "", 4])
    out = io.BytesIO()
    book.save(out)
    outcome = run_import("service-desk-log", out.getvalue())
    assert outcome.ok, outcome.problems
    assert DeskVisit.objects.filter(kind="petition").count() == 4


def test_the_dispatch_example_is_59_calls_8_late(agency):
    outcome = run_import("service-dispatches", read("service-dispatches.csv"))
    assert outcome.ok, outcome.problems
    assert Dispatch.objects.count() == 59
    section = reports.dispatch(Period.year(112))
    assert section.figures[1].value == 8
    assert str(section.figures[2].value) == "86.44"
    again = run_import("service-dispatches", read("service-dispatches.csv"))
    assert again.ok and again.created == 0 and again.unchanged == 59


def test_nursing_rooms_168_uses_in_106_first_half(desk_supervisor):
    for name in ("1樓哺集乳室", "2樓哺集乳室", "B1哺集乳室"):
        services.add_room(by=desk_supervisor, name=name)
    outcome = run_import("service-nursing-rooms", read("service-nursing-rooms.csv"))
    assert outcome.ok, outcome.problems
    assert sum(NursingRoomUse.objects.values_list("count", flat=True)) == 168
    section = reports.nursing_rooms(Period.half(106, 1))
    assert "哺集乳室3間，106年上半年共計使用168人次" in section.paragraphs[0]


def test_the_desk_supervisor_may_import_desk_staff_may_not(desk, desk_supervisor, categories):
    from secretariat.core.errors import PermissionDenied

    data = csv_bytes([["日期", "類型", "件數"], ["114/03/01", "陳情服務", "1"]])
    assert run_import("service-desk-log", data, by=desk_supervisor).ok
    with pytest.raises(PermissionDenied):
        run_import("service-desk-log", data, by=desk)
