"""文件智取櫃's report section (chapter 二, order 20) and indicators, in seed 001's sentence
form (「…並已有62個機關運用作為文件交換平臺。截至114年6月底，累計透過智取櫃傳遞文件總數達3萬507
包。」) with the period's packages by month and the average time from deposit to pickup (the
002 report compares it with hand delivery: 「約可提早1小時取得文件」)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from secretariat.core import roc
from secretariat.core.roc import Period
from secretariat.lockers import selectors
from secretariat.reports.structure import Column, Figure, Indicator, Section, SectionData, Table

AGENCIES_USING = "lockers.agencies_using"
PACKAGES = "lockers.packages"


def _month_end_label(day: dt.date) -> str:
    return f"{roc.roc_year(day)}年{day.month}月底"


def _hours(minutes: Decimal | None) -> Decimal | None:
    return None if minutes is None else (minutes / 60).quantize(Decimal("0.1"))


def lockers(period: Period) -> SectionData:
    """（二）擴展智取櫃運用，提升文件傳遞效能."""
    f = selectors.figures(period.start, period.end)
    paragraphs = [
        "為提高紙本文件交換流程透明度、提升公文傳遞效能，本處導入「文件智取櫃系統」，"
        f"並已有{roc.format_count(f.agencies, '個')}機關運用作為文件交換平臺。"
        f"截至{_month_end_label(period.end)}，累計透過智取櫃傳遞文件總數達"
        f"{roc.format_count(f.cumulative, '包')}。"
    ]
    hours = _hours(f.average_minutes)
    text = f"{period.label}透過智取櫃傳遞文件{roc.format_count(f.packages, '包')}"
    if hours is not None:
        text += f"，自投遞至取件平均{hours}小時"
    paragraphs.append(text + "，各月情形如下表：")
    rows = tuple(
        {"month": roc.format_month(m.month.year, m.month.month), "packages": m.packages}
        for m in f.months
    )
    return SectionData(
        key="lockers.lockers",
        heading="（二）擴展智取櫃運用，提升文件傳遞效能",
        paragraphs=tuple(paragraphs),
        figures=(
            Figure("agencies", "運用機關", f.agencies, "個"),
            Figure("cumulative", "累計傳遞", f.cumulative, "包"),
            Figure("packages", "本期傳遞", f.packages, "包"),
            Figure("average_hours", "投遞至取件平均時間", hours, "小時"),
        ),
        tables=(
            Table(
                key="by_month",
                caption=f"{period.label}智取櫃傳遞包數",
                columns=(Column("month", "月份"), Column("packages", "包數", "包")),
                rows=rows,
                total={"month": "合計", "packages": f.packages},
            ),
        ),
        has_records=bool(f.cumulative),
    )


def agencies_using(period: Period) -> Decimal | None:
    """運用機關數 up to the period's end; None (「—」) before any package at all."""
    figures = selectors.figures(period.start, period.end)
    return Decimal(figures.agencies) if figures.cumulative else None


def packages(period: Period) -> Decimal | None:
    """本期傳遞包數; None (「—」) before any package at all."""
    figures = selectors.figures(period.start, period.end)
    return Decimal(figures.packages) if figures.cumulative else None


SECTIONS = (Section("lockers.lockers", chapter="二", order=20, compute=lockers),)
INDICATORS = (
    Indicator(AGENCIES_USING, "智取櫃運用機關數", "個", agencies_using),
    Indicator(PACKAGES, "智取櫃傳遞包數", "包", packages),
)
