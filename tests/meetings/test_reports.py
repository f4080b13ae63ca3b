"""The chapter 三 sections of 府級會議 and the paperless indicators: seed 001's figures for
114年上半年 reproduced from imported records (市政會議 weekly with 行動市政會議 and a lecture
monthly, 主秘會報 monthly, the rules revised on 2月25日), the issue's 106年上半年 電子化會議
(2萬9,710, 94.13% against 90%), directives by agency; every sentence states its table's
total, and a period without records says so."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest

from secretariat.core.importing import run_import
from secretariat.core.models import IndicatorTarget
from secretariat.core.roc import Period
from secretariat.meetings import reports, services
from secretariat.reports.selectors import build_report, indicator_results

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import"
H1_114 = Period.half(114, 1)


@pytest.fixture
def history(council, chiefs, people):
    chiefs.report_text = (
        "由秘書長主持，邀集各一級機關主任秘書與會，就共同性事項及需跨機關橫向聯繫事務進行討論與協調"
    )
    chiefs.save()
    for name in ("meetings", "meeting-tallies", "meeting-directives"):
        assert run_import(name, (EXAMPLES / f"{name}.csv").read_bytes()).ok
    staff = people["staff"]
    services.revise_rules(
        council,
        title="臺北市政府市政會議議事規則",
        text="第一條…",
        issued_on=dt.date(2019, 3, 5),
        by=staff,
    )
    services.revise_rules(
        council,
        title="臺北市政府市政會議議事規則",
        text="第一條…（修正）",
        issued_on=dt.date(2025, 2, 25),
        by=staff,
    )


def test_seed_001_figures_from_imported_meetings(history):
    section = reports.meetings(H1_114)
    assert section.has_records
    assert section.paragraphs[0] == (
        "114年上半年共召開府級會議30次，審議報告案、討論案及臨時動議計109案，辦理專題演講6場，詳如下表："
    )
    assert section.paragraphs[1] == (
        "1、市政會議：114年上半年計召開24次（含行動市政會議6次），由市長親自主持，"
        "針對本府重大政策或議題進行跨機關橫向聯繫與溝通；另邀請專家學者或業界知名人士進行專題演講6場。"
    )
    assert section.paragraphs[2] == (
        "2、主秘會報：114年上半年計召開6次，由秘書長主持，邀集各一級機關主任秘書與會，"
        "就共同性事項及需跨機關橫向聯繫事務進行討論與協調。"
    )
    assert (
        section.paragraphs[3]
        == "3、修正市政會議議事規則：於2月25日修正發布「臺北市政府市政會議議事規則」。"
    )
    (table,) = section.tables
    assert table.total["meetings"] == sum(row["meetings"] for row in table.rows) == 30
    items = table.total["report_items"] + table.total["discussion_items"] + table.total["motions"]
    rows = list(csv.DictReader(io.StringIO((EXAMPLES / "meetings.csv").read_text("utf-8-sig"))))
    assert items == sum(int(r[k]) for r in rows for k in ("報告案", "討論案", "臨時動議")) == 109
    assert table.total["lectures"] == 6


def test_directives_by_agency_state_the_table_total(history):
    section = reports.directives(H1_114)
    (table,) = section.tables
    assert {r["agency"]: (r["issued"], r["released"], r["open"]) for r in table.rows} == {
        "秘書處": (1, 1, 0),
        "衛生局": (1, 0, 1),
        "警察局": (1, 1, 0),
        "都發局": (1, 1, 0),
    }
    assert table.total["issued"] == 4
    assert section.paragraphs[0].startswith(
        "114年上半年府級會議裁示（決議）須辦理事項計4項，交由主辦機關辦理並由研考會列管追蹤；"
        "截至114年6月30日已解除列管3項、持續列管1項，其中逾期未提報進度1項"
    )


def test_paperless_figures_and_the_indicator_against_the_target(history):
    IndicatorTarget.objects.create(indicator=reports.PAPERLESS_RATE, year=106, value=Decimal("90"))
    period = Period.half(106, 1)
    section = reports.paperless(period)
    assert section.paragraphs[0].startswith(
        "106年上半年本府各機關召開會議3萬1,563場，其中電子化會議2萬9,710場，電子化比率94.13%，"
        "已達年度目標90%"
    )
    assert section.tables[0].total["paperless"] == 29_710
    results = {r.key: r for r in indicator_results(period)}
    assert results[reports.PAPERLESS_RATE].actual == Decimal("94.13")
    assert results[reports.PAPERLESS_RATE].met is True
    assert results[reports.PAPERLESS_COUNT].actual == Decimal(29_710)


def test_a_period_without_records_says_so(registry):
    period = Period.half(110, 1)
    for compute in (
        reports.meetings,
        reports.minutes_assist,
        reports.directives,
        reports.paperless,
    ):
        assert compute(period).has_records is False
    report = build_report(period)
    chapter = next(c for c in report.chapters if c.code == "三")
    keys = [s.key for s in chapter.sections]
    assert keys.index("meetings.meetings") < keys.index("meetings.paperless")


def test_assisted_minutes_are_measured_against_the_approved_text(today_meeting, people):
    from secretariat.meetings import selectors
    from secretariat.meetings.demo import TRANSCRIPT

    staff = people["staff"]
    minutes = services.close_meeting(today_meeting, by=staff)
    services.draft_from_transcript(minutes, TRANSCRIPT, by=staff)
    services.send_for_review(minutes, by=staff)
    for entry in selectors.entries(minutes):
        who = (
            people["udd_officer"]
            if entry.item.agency.short_name == "都發局"
            else people["police_officer"]
        )
        services.review_entry(entry, confirmed=True, by=who)
    services.submit_minutes(minutes, by=staff)
    services.approve_minutes(minutes, by=people["mayor_office"])
    day = today_meeting.held_on
    section = reports.minutes_assist(Period.between(day, day))
    figures = {f.key: f.value for f in section.figures}
    # Approved unedited: everything approved was in the draft.
    assert (
        figures["meetings"] == 1
        and figures["items"] == 2
        and figures["recall"] == Decimal("100.00")
    )
    assert "平均為100%" in section.paragraphs[0]
