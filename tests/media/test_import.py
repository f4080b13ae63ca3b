"""Importing 媒體聯繫's history and the monitoring export: the example files, a malformed
file reported row by row with nothing saved, a second import changing nothing, the
importance rule of imported deadlines — and seed 001's chapter 五 (114年上半年) reproduced
from imported records."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest

from secretariat.cases.models import Case
from secretariat.core.errors import PermissionDenied
from secretariat.core.importing import run_import
from secretariat.core.models import IndicatorTarget
from secretariat.core.roc import parse_period
from secretariat.media.models import (
    CaptureSource,
    Importance,
    OpinionItem,
    PressEvent,
    PressRelease,
    SocialPost,
)
from secretariat.media.reports import ON_TIME_INDICATOR
from secretariat.reports.selectors import build_report

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import"


def csv_bytes(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.mark.parametrize(
    ("type_code", "model", "count"),
    [
        ("opinion-items", OpinionItem, 3),
        ("press-releases", PressRelease, 3),
        ("press-events", PressEvent, 3),
        ("social-posts", SocialPost, 3),
    ],
)
def test_the_example_files_import_once(registry, type_code, model, count):
    data = (EXAMPLES / f"{type_code}.csv").read_bytes()
    outcome = run_import(type_code, data)
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert (outcome.created, model.objects.count()) == (count, count)
    again = run_import(type_code, data)
    assert (again.created, again.unchanged) == (0, count)


def test_imported_items_keep_their_state_and_their_deadline_by_importance(registry):
    run_import("opinion-items", (EXAMPLES / "opinion-items.csv").read_bytes())
    major = OpinionItem.objects.get(case__number="輿114000003")
    assert major.importance == Importance.MAJOR and major.source == CaptureSource.IMPORT
    (part,) = major.case.assignments.all()
    # 重大: the same working day (2025-03-07, a Friday).
    assert part.due_on == dt.date(2025, 3, 7) and part.replied_on == dt.date(2025, 3, 7)
    normal = Case.objects.get(number="輿114000002")
    # 一般: nine working hours from Wednesday's opening end on Wednesday's closing.
    assert {p.due_on for p in normal.assignments.all()} == {dt.date(2025, 3, 5)}
    assert normal.status == "replied"
    assert Case.objects.get(number="輿114000001").status == "closed"


def test_a_malformed_file_is_reported_row_by_row_and_nothing_is_saved(registry):
    header = [
        "案號",
        "收件日期",
        "主旨",
        "媒體來源",
        "連結",
        "重要性",
        "傾向",
        "主辦機關",
        "主辦回應日期",
    ]
    rows = [
        ["輿114000101", "114/03/03", "社宅租金", "臺北日報", "https://n.example/1", "一般", "負面", "都發局", "114/03/03"],
        ["輿114000102", "114/13/40", "違停", "北市電視", "", "一般", "負面", "警察局", ""],
        ["輿114000103", "114/03/05", "停電", "", "ftp://x", "緊急", "生氣", "不存在局", ""],
        ["輿114000101", "114/03/06", "重複", "臺北日報", "https://n.example/1", "一般", "中性", "都發局", ""],
        ["輿114000104", "114/03/06", "=HYPERLINK(\"x\")", "臺北日報", "", "一般", "中性", "都發局", "114/03/01"],
    ]  # fmt: skip
    outcome = run_import("opinion-items", csv_bytes(header, rows))
    assert not outcome.ok
    where = {(problem.row, problem.column) for problem in outcome.problems}
    assert {
        (3, "收件日期"),
        (4, "媒體來源"),
        (4, "連結"),
        (4, "重要性"),
        (4, "傾向"),
        (4, "主辦機關"),
        (5, "案號"),
        (5, "連結"),
        (6, "主旨"),
    } <= where
    assert all(problem.row is not None for problem in outcome.problems)
    assert str(outcome.problems[0]).startswith("第3列「收件日期」：")
    assert not Case.objects.exists() and not OpinionItem.objects.exists()


def test_the_monitoring_export_is_the_press_offices(press_people):
    data = (EXAMPLES / "opinion-monitoring.csv").read_bytes()
    with pytest.raises(PermissionDenied):
        run_import("opinion-monitoring", data, by=press_people["udd_press"])
    outcome = run_import("opinion-monitoring", data, by=press_people["press"])
    assert outcome.ok and outcome.created == 2
    items = OpinionItem.objects.order_by("pk")
    assert [item.source for item in items] == [CaptureSource.MONITORING] * 2
    assert all(
        item.case.status == "pending" and item.case.created_by == press_people["press"]
        for item in items
    )
    again = run_import("opinion-monitoring", data, by=press_people["press"])
    assert (again.created, again.unchanged) == (0, 2)


def test_a_malformed_monitoring_export_captures_nothing(press_people):
    header = ["標題", "媒體來源", "報導日期", "連結", "傾向"]
    rows = [
        ["垃圾車收運", "網路論壇", "115/12/04", "https://f.example/1", "負面"],
        ["", "網路論壇", "115/12/40", "not a link", "很好"],
    ]
    outcome = run_import("opinion-monitoring", csv_bytes(header, rows), by=press_people["press"])
    assert {(p.row, p.column) for p in outcome.problems} == {
        (3, "標題"),
        (3, "報導日期"),
        (3, "連結"),
        (3, "傾向"),
    }
    assert not OpinionItem.objects.exists()


# --- Seed 001 §五: 114年上半年 ---------------------------------------------------------------

SECRETARIAT = [16, 25, 32, 32, 26, 40]  # 171
GOVERNMENT = [660, 541, 605, 575, 651, 598]  # 3,630
OTHERS = ("都發局", "警察局", "交通局", "衛生局", "教育局")


def seed_files() -> dict[str, bytes]:
    releases = []
    for month, (own, whole) in enumerate(zip(SECRETARIAT, GOVERNMENT, strict=True), start=1):
        for n in range(whole):
            agency = "秘書處" if n < own else OTHERS[n % len(OTHERS)]
            day = f"114/{month:02d}/{1 + n % 28:02d}"
            releases.append([day, f"{9 + n % 8}:00", agency, f"{month}月新聞稿{n + 1}", ""])
    events = [["府級記者會", f"114/0{m}/1{m}", f"重大議題說明{m}", "市長"] for m in range(1, 7)]
    events += [
        ["媒體專訪市長", "114/03/15", "市政願景專訪", ""],
        ["媒體專訪市長", "114/05/20", "城市外交專訪", ""],
    ]
    posts = [
        [
            "Facebook" if n % 2 else "YouTube",
            f"114/0{1 + n % 6}/{1 + n % 28:02d}",
            "影音",
            f"影音貼文{n}",
        ]
        for n in range(212)
    ]
    items = []
    for n in range(1234):
        day = dt.date(2025, 1, 2) + dt.timedelta(days=n % 170)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        replied = day + dt.timedelta(days=7 if n % 50 == 0 else 0)
        items.append(
            [f"輿114{n + 1:06d}", day.isoformat(), f"輿情{n + 1}", "臺北日報",
             OTHERS[n % len(OTHERS)], replied.isoformat()]
        )  # fmt: skip
    return {
        "press-releases": csv_bytes(["發布日期", "發布時間", "發布機關", "標題", "內容"], releases),
        "press-events": csv_bytes(["類別", "日期", "主題", "主持人"], events),
        "social-posts": csv_bytes(["平台", "發布日期", "類型", "標題"], posts),
        "opinion-items": csv_bytes(
            ["案號", "收件日期", "主旨", "媒體來源", "主辦機關", "主辦回應日期"], items
        ),
    }


def test_seed_001_chapter_five_comes_from_imported_records(registry):
    for type_code, data in seed_files().items():
        outcome = run_import(type_code, data)
        assert outcome.ok, [str(p) for p in outcome.problems[:5]]
    report = build_report(parse_period("114H1"))
    (chapter,) = [c for c in report.chapters if c.code == "五"]
    sections = {section.key: section for section in chapter.sections}

    releases = sections["media.press_releases"]
    assert (
        "114年上半年本處與全府各發布新聞稿171則及3,630則，各月資訊如下表。"
        in releases.paragraphs[0]
    )
    by_month = releases.tables[0]
    months = [column.key for column in by_month.columns[1:-1]]
    assert [by_month.rows[0][m] for m in months] + [by_month.rows[0]["total"]] == [
        *SECRETARIAT,
        171,
    ]
    assert [by_month.rows[1][m] for m in months] + [by_month.rows[1]["total"]] == [
        *GOVERNMENT,
        3630,
    ]
    assert [column.label for column in by_month.columns[1:-1]] == [
        "114年1月",
        "2月",
        "3月",
        "4月",
        "5月",
        "6月",
    ]
    assert "計發布貼文212則，其中影音貼文212則" in releases.paragraphs[1]

    events = sections["media.press_events"]
    assert "114年上半年召開6場府級記者會" in events.paragraphs[0]
    assert "114年上半年安排媒體專訪市長計2次" in events.paragraphs[1]

    responses = sections["media.opinion_responses"]
    figures = {figure.key: figure.value for figure in responses.figures}
    assert figures["responses"] == 1234 and figures["on_time"] == 1234 - 25
    assert "本府114年上半年計主動回應1,234則輿情" in responses.paragraphs[1]
    table = responses.tables[0]
    assert table.total["responses"] == 1234 == sum(row["responses"] for row in table.rows)

    # The indicator against the year's target (core.IndicatorTarget, entered by administrators).
    (indicator,) = [i for i in report.indicators if i.key == ON_TIME_INDICATOR]
    assert indicator.actual == Decimal("97.97") and indicator.target is None
    IndicatorTarget.objects.create(indicator=ON_TIME_INDICATOR, year=114, value=98)
    (indicator,) = [
        i for i in build_report(parse_period("114H1")).indicators if i.key == ON_TIME_INDICATOR
    ]
    assert indicator.target == Decimal("98") and indicator.met is False
    assert indicator.achievement == Decimal("99.97")

    # A period without records says so.
    empty = build_report(parse_period("113H1"))
    (chapter,) = [c for c in empty.chapters if c.code == "五"]
    assert all(not section.has_records for section in chapter.sections)
