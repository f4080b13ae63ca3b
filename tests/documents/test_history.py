"""History import (counts, docs/import.md) and the report of chapter 二: a file of 114年上半年
reproduces the seed's figures — 231萬1,878件 (99.93%) and 59萬4,684件 (99.86%) for the whole
government, 6,476件 (99.94%) and 707件 (100%) for the Secretariat — and the report prints
them; the figures of documents and of imported counts add up in one rule."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from secretariat.core import importing
from secretariat.core.models import IndicatorTarget
from secretariat.core.roc import Period
from secretariat.documents import reports, selectors
from secretariat.documents.importers import HistoryImporter
from secretariat.documents.models import HistoryTally
from secretariat.reports import render
from secretariat.reports.selectors import build_report

from .flow import whole_path

pytestmark = pytest.mark.django_db

HEADER = [column.name for column in HistoryImporter.columns]
MONTHS = [dt.date(2025, month, 15) for month in range(1, 7)]
OTHERS = ["民政局", "財政局", "教育局", "工務局", "警察局"]


def _spread(total: int, parts: int) -> list[int]:
    base, rest = divmod(total, parts)
    return [base + (1 if index < rest else 0) for index in range(parts)]


def seed_file() -> bytes:
    """114年上半年 as counts: the Secretariat's and five other agencies' rows, month by month.

    Whole government: 2,311,878 signed online of 2,313,478 decided (1,600 on paper) → 99.93%;
    paper 來文 594,684 online of 595,514 (830 on paper) → 99.86%. The Secretariat: 6,476 of
    6,480 → 99.94%; paper 來文 707 of 707 → 100%."""
    kinds = {
        # (origin, mode): (Secretariat, everyone else)
        ("紙本來文", "線上"): (707, 594_684 - 707),
        ("電子來文", "線上"): (4_000, 1_400_000),
        ("創稿", "線上"): (6_476 - 707 - 4_000, 2_311_878 - 6_476 - 594_684 + 707 - 1_400_000),
        ("紙本來文", "紙本"): (0, 830),
        ("創稿", "紙本"): (4, 1_600 - 4 - 830),
    }
    rows = []
    for (origin, mode), (own, others) in kinds.items():
        for agency, total in [("秘書處", own)] + list(
            zip(OTHERS, _spread(others, len(OTHERS)), strict=True)
        ):
            if not total:
                continue
            for day, count in zip(MONTHS, _spread(total, len(MONTHS)), strict=True):
                if count:
                    dispatched = count // 2
                    rows.append(
                        [day.isoformat(), agency, "函", "普通件", origin, mode, f"{count:,}",
                         "0", str(dispatched), str(dispatched)]
                    )  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def test_the_seed_figures_come_out_of_imported_records(admin):
    outcome = importing.run_import("document-history", seed_file(), by=admin)
    assert outcome.ok, outcome.problems
    assert outcome.created == HistoryTally.objects.count() > 100
    period = Period.half(114, 1)
    city = selectors.signing_figures(period.start, period.end)
    assert (city.online, city.online_rate) == (2_311_878, Decimal("99.93"))
    assert (city.paper_received_online, city.paper_received_rate) == (594_684, Decimal("99.86"))
    section = reports.online_signing(period)
    secretariat = section.tables[1].rows
    assert [(r["count"], r["rate"]) for r in secretariat] == [
        (6_476, Decimal("99.94")),
        (707, Decimal("100.00")),
    ]
    assert section.paragraphs[0].startswith(
        "本府公文線上簽核比率截至114年6月底已達99.93%，紙本轉線上簽核比率亦達99.86%，"
        "公文採線上簽核數量計231萬1,878件。"
    )

    IndicatorTarget.objects.create(indicator=reports.ONLINE_RATE, year=114, value=Decimal("99.9"))
    report = build_report(period)
    html = render.to_html(report)
    for printed in (
        "231萬1,878",
        "99.93%",
        "59萬4,684",
        "99.86%",
        "6,476",
        "99.94%",
        "707",
        "100%",
    ):
        assert printed in html, printed
    indicator = next(r for r in report.indicators if r.key == reports.ONLINE_RATE)
    assert (indicator.actual, indicator.target, indicator.met) == (
        Decimal("99.93"),
        Decimal("99.90"),
        True,
    )
    # importing the same file again changes nothing
    again = importing.run_import("document-history", seed_file(), by=admin)
    assert (again.created, again.unchanged) == (0, outcome.created)


def test_the_whole_file_is_checked_and_every_bad_row_listed(admin):
    data = "\n".join(
        [
            ",".join(HEADER),
            "2025-01-15,秘書處,函,普通件,紙本來文,線上,10,0,5,5",
            "2025-13-01,秘書處,函,普通件,紙本來文,線上,10,0,0,0",
            "2025-01-15,不存在局,函,普通件,紙本來文,線上,10,0,0,0",
            "2025-01-15,秘書處,公函,快件,郵寄,線上,10,0,0,0",
            "2025-01-16,秘書處,函,普通件,紙本來文,線上,10,11,0,0",
            "2025-01-15,秘書處,函,普通件,紙本來文,線上,3,0,0,0",
            "2025-01-17,秘書處,簽,普通件,創稿,線上,abc,1,0,0",
        ]
    ).encode()
    outcome = importing.run_import("document-history", data, by=admin)
    assert not outcome.ok
    where = [(p.row, p.column) for p in outcome.problems]
    assert (3, "日期") in where
    assert (4, "機關") in where
    assert {(5, "文別"), (5, "速別"), (5, "來源")} <= set(where)
    assert (6, "逾期件數") in where
    assert (7, "") in where  # the same day and kind as row 2
    assert (8, "件數") in where
    assert HistoryTally.objects.count() == 0


def test_documents_and_history_add_up_in_one_rule(office):
    document = whole_path(office)
    day = document.decided_on
    period = Period.between(day, day)
    before = selectors.signing_figures(day, day)
    assert (before.total, before.online, before.paper_received) == (1, 1, 1)
    HistoryTally.objects.create(
        date=day,
        agency=office.agency,
        doc_type="letter",
        speed="normal",
        origin="paper",
        signing_mode="paper",
        count=1,
        late=1,
        dispatched=1,
        impressions=3,
    )
    after = selectors.signing_figures(day, day)
    assert (after.total, after.online, after.paper_received, after.online_rate) == (
        2,
        1,
        2,
        Decimal("50.00"),
    )
    volume = selectors.volume_figures(day, day)
    assert (volume.received, volume.dispatched, volume.impressions) == (2, 2, 5)
    timeliness = reports.timeliness(period)
    assert timeliness.paragraphs[0].startswith(
        f"{period.label}收文辦結2件，如期辦結1件（50%），逾期1件"
    )
    by_speed = {row["label"]: row for row in timeliness.tables[0].rows}
    assert (by_speed["普通件"]["on_time"], by_speed["普通件"]["late"]) == (1, 1)
