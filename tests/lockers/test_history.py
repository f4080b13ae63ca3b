"""History import (monthly counts, docs/import.md) and the report's section of chapter 二: a
file reproduces seed 001 (「並已有62個機關運用作為文件交換平臺。截至114年6月底，累計透過智取櫃
傳遞文件總數達3萬507包。」) and seed 002's pilot (112年12月: 8個機關, 221包), and packages
handled here add to the imported counts in one rule."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from secretariat.core import importing
from secretariat.core.models import Agency, IndicatorTarget
from secretariat.core.roc import Period
from secretariat.lockers import reports, selectors, services
from secretariat.lockers.importers import LockerHistoryImporter
from secretariat.lockers.models import PackageTally
from secretariat.reports import render
from secretariat.reports.selectors import build_report

pytestmark = pytest.mark.django_db

HEADER = [column.name for column in LockerHistoryImporter.columns]
PILOT, PILOT_PACKAGES = 8, 221  # 112年12月18日起 (seed 002)
AGENCIES, CUMULATIVE = 62, 30_507  # by 114年6月 (seed 001)
MONTHS = [dt.date(2024, m, 1) for m in range(1, 13)] + [dt.date(2025, m, 1) for m in range(1, 7)]


def _spread(total: int, parts: int) -> list[int]:
    base, rest = divmod(total, parts)
    return [base + (1 if index < rest else 0) for index in range(parts)]


def _agencies() -> list[str]:
    """The Secretariat and 61 agencies in force since before the pilot."""
    others = (
        Agency.objects.exclude(code="sec")
        .filter(abolished_on__isnull=True)
        .exclude(established_on__gt=dt.date(2023, 12, 1))
        .order_by("code")
        .values_list("name", flat=True)[: AGENCIES - 1]
    )
    names = list(others)
    assert len(names) == AGENCIES - 1
    return names


def seed_file() -> bytes:
    sec = Agency.objects.get(code="sec").name
    others = _agencies()
    rows = []
    pilot = others[: PILOT - 1]
    for name, count in zip(pilot, _spread(PILOT_PACKAGES, len(pilot)), strict=True):
        rows.append(["112年12月", sec, name, str(count), str(count), str(count * 100)])
    later = CUMULATIVE - PILOT_PACKAGES
    counts = iter(_spread(later, len(MONTHS) * len(others)))
    for month in MONTHS:
        for name in others:
            count = next(counts)
            rows.append([f"{month:%Y/%m/%d}", name, sec, f"{count:,}", str(count), str(count * 90)])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def test_the_seed_figures_come_out_of_imported_records(admin):
    outcome = importing.run_import("locker-history", seed_file(), by=admin)
    assert outcome.ok, outcome.problems
    assert outcome.created == PackageTally.objects.count() == PILOT - 1 + len(MONTHS) * 61

    pilot = selectors.figures(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert (pilot.agencies, pilot.packages, pilot.cumulative) == (PILOT, PILOT_PACKAGES, 221)

    period = Period.half(114, 1)
    figures = selectors.figures(period.start, period.end)
    assert (figures.agencies, figures.cumulative) == (AGENCIES, CUMULATIVE)
    section = reports.lockers(period)
    assert section.paragraphs[0] == (
        "為提高紙本文件交換流程透明度、提升公文傳遞效能，本處導入「文件智取櫃系統」，"
        "並已有62個機關運用作為文件交換平臺。截至114年6月底，累計透過智取櫃傳遞文件總數達3萬507包。"
    )
    months = section.tables[0].rows
    assert [row["month"] for row in months] == [f"114年{m}月" for m in range(1, 7)]
    assert sum(row["packages"] for row in months) == figures.packages
    assert "自投遞至取件平均1.5小時" in section.paragraphs[1]

    IndicatorTarget.objects.create(indicator=reports.AGENCIES_USING, year=114, value=60)
    report = build_report(period)
    html = render.to_html(report)
    for printed in ("62個機關", "3萬507包", "擴展智取櫃運用，提升文件傳遞效能"):
        assert printed in html, printed
    indicator = next(r for r in report.indicators if r.key == reports.AGENCIES_USING)
    assert (indicator.actual, indicator.target, indicator.met) == (Decimal(62), Decimal(60), True)

    again = importing.run_import("locker-history", seed_file(), by=admin)
    assert (again.created, again.unchanged) == (0, outcome.created)


def test_packages_handled_here_add_to_the_imported_counts(office, admin):
    data = f"{','.join(HEADER)}\n114年6月,秘書處,警察局,10,10,600\n".encode()
    assert importing.run_import("locker-history", data, by=admin).ok
    package = office.package()
    command = services.deposit(office.bank, package.token)
    services.acknowledge(office.bank, command.pk, opened=True)
    today = dt.date.today()
    figures = selectors.figures(dt.date(2025, 1, 1), today + dt.timedelta(days=1))
    assert figures.cumulative == 11
    assert figures.agencies == 2  # 秘書處 and 警察局, whichever way


def test_the_whole_file_is_checked_and_every_bad_row_listed(admin):
    data = "\n".join(
        [
            ",".join(HEADER),
            "114年6月,秘書處,警察局,10,10,600",
            "114年13月,秘書處,警察局,10,0,0",
            "114年6月,不存在局,警察局,10,0,0",
            "114年5月,秘書處,秘書處,10,0,0",
            "114年5月,秘書處,警察局,10,11,0",
            "114/06,秘書處,警察局,3,0,0",
            "114年4月,秘書處,警察局,abc,0,0",
            "114年3月,秘書處,警察局,5,0,30",
        ]
    ).encode()
    outcome = importing.run_import("locker-history", data, by=admin)
    assert not outcome.ok
    where = [(p.row, p.column) for p in outcome.problems]
    assert (3, "月份") in where
    assert (4, "發文機關") in where
    assert (5, "受文機關") in where
    assert (6, "已取件包數") in where
    assert (7, "") in where  # the same month and pair as row 2
    assert (8, "包數") in where
    assert (9, "取件總分鐘數") in where
    assert PackageTally.objects.count() == 0


def test_the_example_file_imports(admin):
    from pathlib import Path

    example = Path(__file__).parents[2] / "docs" / "import" / "locker-history.csv"
    outcome = importing.run_import("locker-history", example.read_bytes(), by=admin)
    assert outcome.ok, outcome.problems
    assert outcome.created == 4
    pilot = selectors.figures(dt.date(2023, 12, 1), dt.date(2023, 12, 31))
    assert (pilot.packages, pilot.agencies) == (59, 3)
