"""Importing the history of 府級會議: the example files (meetings with their counts, the
e-meeting system's monthly tallies, directives as cases on the shared case columns), every
bad row reported with nothing written, importing again changes nothing, XLSX too."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from secretariat.cases.models import Case, CaseStatus
from secretariat.core.importing import run_import
from secretariat.meetings.models import Directive, Meeting, MeetingStatus, PaperlessTally

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import"


def read(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_the_example_files_import_and_again_change_nothing(council, chiefs):
    meetings = run_import("meetings", read("meetings.csv"))
    assert meetings.ok, meetings.problems
    assert meetings.created == 30
    first = Meeting.objects.get(series=council, held_on="2025-01-07")
    assert (first.title, first.district, first.status, first.imported) == (
        "第2,310次市政會議（行動市政會議：北投區）",
        "北投區",
        MeetingStatus.HELD,
        True,
    )
    assert (first.report_items, first.lectures) == (2, 1)
    tallies = run_import("meeting-tallies", read("meeting-tallies.csv"))
    assert tallies.ok and tallies.created == 30
    directives = run_import("meeting-directives", read("meeting-directives.csv"))
    assert directives.ok, directives.problems
    assert directives.created == 4
    released = Case.objects.get(number="裁114000001")
    assert released.status == CaseStatus.REPLIED and released.channel == "meeting"
    lead = released.assignments.get(role="lead")
    assert lead.release_reason == "交通維持計畫已核定並執行。"
    record = Directive.objects.get(case=released)
    assert record.meeting == first and record.kind == "directive"
    assert Directive.objects.get(case__number="裁114000003").kind == "resolution"
    again = [
        run_import(t, read(f"{t}.csv"))
        for t in ("meetings", "meeting-tallies", "meeting-directives")
    ]
    assert [(o.created, o.unchanged) for o in again] == [(0, 30), (0, 30), (0, 4)]


def test_bad_rows_are_all_reported_and_nothing_is_written(council):
    header = rows_of(read("meetings.csv"))[0]
    bad = csv_bytes(
        [
            header,
            ["市政會議", "1", "114/01/07", "09:00", "08:00", "市政大樓", "", "3", "", "", "", "是"],
            ["不存在的會議", "", "114/01/14", "", "", "市政大樓", "", "", "", "", "", ""],
            ["市政會議", "", "114/13/40", "", "", "市政大樓", "板橋區", "-1", "", "", "", "也許"],
            ["市政會議", "", "114/01/07", "", "", "市政大樓", "", "", "", "", "", ""],
        ]
    )
    outcome = run_import("meetings", bad)
    assert not outcome.ok and not Meeting.objects.exists()
    problems = [str(p) for p in outcome.problems]
    assert "第2列「結束時間」：結束時間須晚於開始時間。" in problems
    assert any(p.startswith("第3列「會議系列」：找不到會議系列「不存在的會議」") for p in problems)
    assert "第4列「日期」：114年13月40日不存在（月份為1至12）。" in problems
    assert "第4列「行政區」：「板橋區」不是臺北市的行政區。" in problems
    assert "第4列「報告案」：須為0至1,000的整數：「-1」。" in problems
    assert any(p.startswith("第4列「電子化」：「也許」不是可用的值") for p in problems)
    assert "第5列「日期」：與第2列是同一會議系列、同一天的會議。" in problems


def test_a_directive_needs_its_meeting_and_a_release_its_reason(council):
    rows = rows_of(read("meeting-directives.csv"))
    header, first = rows[0], rows[1]
    no_reason = list(first)
    no_reason[header.index("解除列管理由")] = ""
    outcome = run_import("meeting-directives", csv_bytes([header, first, no_reason]))
    problems = [str(p) for p in outcome.problems]
    assert (
        "第2列「會議日期」：找不到市政會議於114年1月7日的會議，請先匯入會議（meetings）。"
        in problems
    )
    assert "第3列「解除列管理由」：已解除列管的事項，請填寫解除列管理由。" in problems
    assert not Case.objects.exists()


def test_an_xlsx_tally_and_a_tally_that_contradicts_the_imported_one(registry):
    book = Workbook()
    sheet = book.active
    for row in rows_of(read("meeting-tallies.csv"))[:3]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    assert run_import("meeting-tallies", buffer.getvalue()).created == 2
    changed = csv_bytes(
        [["機關", "月份", "會議場次", "電子化會議場次"], ["民政局", "106年1月", "9", "10"]]
    )
    outcome = run_import("meeting-tallies", changed)
    assert [str(p) for p in outcome.problems] == [
        "第2列「電子化會議場次」：電子化會議場次不可多於會議場次。"
    ]
    changed = csv_bytes(
        [["機關", "月份", "會議場次", "電子化會議場次"], ["民政局", "106/01", "9", "8"]]
    )
    outcome = run_import("meeting-tallies", changed)
    assert [str(p) for p in outcome.problems] == [
        "第2列「月份」：民政局106年1月的統計已匯入且數字不同；匯入不會修改既有資料。"
    ]
    assert PaperlessTally.objects.count() == 2
