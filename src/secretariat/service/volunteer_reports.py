"""The volunteers' report section (chapter 六, orders 30–39) and indicator, in seed 001's
sentence form: 「114年上半年共計提供民眾簡易諮詢、洽公引導及臨櫃取號等服務12萬3,859人次、
發送1萬7,306件文宣資料。」 with the people served and leaflets by post (the seed prints
no table; the report adds the posts' shares)."""

from __future__ import annotations

from decimal import Decimal

from secretariat.core import roc
from secretariat.core.roc import Period
from secretariat.reports.structure import Column, Figure, Indicator, Section, SectionData, Table
from secretariat.service import selectors
from secretariat.service.selectors import PEOPLE_SERVED


def volunteers(period: Period) -> SectionData:
    """（三）志工便民服務."""
    figures = selectors.shift_figures(period.start, period.end)
    paragraphs = (
        "本處為擴大社會參與，賡續積極召募志工，運用民間力量強化市政大樓便民服務，"
        "讓蒞府民眾獲得優質服務。"
        f"{period.label}共計提供民眾簡易諮詢、洽公引導及臨櫃取號等服務"
        f"{roc.format_count(figures.people, '人次')}、"
        f"發送{roc.format_count(figures.leaflets, '件')}文宣資料。",
    )
    return SectionData(
        key="service.volunteers",
        heading="（三）志工便民服務",
        paragraphs=paragraphs,
        figures=(
            Figure("people", "志工服務", figures.people, "人次"),
            Figure("leaflets", "發送文宣資料", figures.leaflets, "件"),
        ),
        tables=(
            Table(
                key="by_post",
                caption=f"{period.label}志工服務崗位統計",
                columns=(
                    Column("post", "服務崗位"),
                    Column("people", "服務", "人次"),
                    Column("leaflets", "發送文宣", "件"),
                ),
                rows=tuple(
                    {"post": post, "people": people, "leaflets": leaflets}
                    for post, people, leaflets in figures.by_post
                ),
                total={"post": "合計", "people": figures.people, "leaflets": figures.leaflets},
            ),
        )
        if figures.by_post
        else (),
        has_records=bool(figures.people or figures.leaflets),
    )


def people_served(period: Period) -> Decimal | None:
    """志工服務人次; None (no figure) for a period without records."""
    return Decimal(selectors.shift_figures(period.start, period.end).people) or None


SECTIONS = (Section("service.volunteers", chapter="六", order=30, compute=volunteers),)
INDICATORS = (Indicator(PEOPLE_SERVED, "志工服務人次", "人次", people_served),)
