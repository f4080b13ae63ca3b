"""公文's part of chapter 二 「文書 e 化及檔案管理」: online signing for the whole government
and for the Secretariat (the seeds' two tables), 收文, 發文 and 用印, and 公文時效 by 速別 and
by agency; and the indicators with their yearly targets. Every figure comes from
``selectors`` (documents and imported history alike), so a sentence and its table agree."""

from __future__ import annotations

from decimal import Decimal

from secretariat.core import roc
from secretariat.core.models import Agency
from secretariat.core.permissions import SECRETARIAT_CODE
from secretariat.core.roc import Period
from secretariat.documents import selectors
from secretariat.reports.structure import Column, Figure, Indicator, Section, SectionData, Table

ONLINE_RATE = "documents.online_signing_rate"
PAPER_ONLINE_RATE = "documents.paper_received_online_rate"
ON_TIME_RATE = "documents.on_time_rate"


def _secretariat_ids() -> list[int]:
    return list(Agency.objects.filter(code=SECRETARIAT_CODE).values_list("pk", flat=True))


def _rate(value: Decimal | None) -> str:
    """A percentage (99.93) as the report prints it; format_percent takes the ratio."""
    return roc.format_percent(value / 100) if value is not None else "—"


def _performance_table(key: str, caption: str, who: str, figures) -> Table:
    return Table(
        key=key,
        caption=caption,
        columns=(
            Column("item", "項次"),
            Column("work", "業務內容"),
            Column("count", f"{who}績效", "件"),
            Column("rate", "比率", "%"),
        ),
        rows=(
            {
                "item": 1,
                "work": "公文線上簽核",
                "count": figures.online,
                "rate": figures.online_rate,
            },
            {
                "item": 2,
                "work": "紙本來文採線上簽核",
                "count": figures.paper_received_online,
                "rate": figures.paper_received_rate,
            },
        ),
    )


def online_signing(period: Period) -> SectionData:
    """（一）持續精進文書電子化: the seed's sentence and its two tables."""
    city = selectors.signing_figures(period.start, period.end)
    own = selectors.signing_figures(period.start, period.end, agency_ids=_secretariat_ids())
    end = period.end
    paragraph = (
        f"本府公文線上簽核比率截至{roc.roc_year(end)}年{end.month}月底已達"
        f"{_rate(city.online_rate)}，紙本轉線上簽核比率亦達{_rate(city.paper_received_rate)}，"
        f"公文採線上簽核數量計{roc.format_count(city.online, '件')}。"
        f"截至{roc.roc_year(end)}年{end.month}月底本府與本處公文 e 化成效分述如下："
    )
    return SectionData(
        key="documents.online_signing",
        heading="（一）持續精進文書電子化，落實減碳高效目標",
        paragraphs=(paragraph,),
        figures=(
            Figure("city_online", "全府公文線上簽核", city.online, "件"),
            Figure("city_online_rate", "全府公文線上簽核比率", city.online_rate, "%"),
            Figure("city_paper_online", "全府紙本來文採線上簽核", city.paper_received_online, "件"),
            Figure(
                "city_paper_online_rate",
                "全府紙本來文採線上簽核比率",
                city.paper_received_rate,
                "%",
            ),
            Figure("secretariat_online", "秘書處公文線上簽核", own.online, "件"),
            Figure("secretariat_online_rate", "秘書處公文線上簽核比率", own.online_rate, "%"),
            Figure(
                "secretariat_paper_online",
                "秘書處紙本來文採線上簽核",
                own.paper_received_online,
                "件",
            ),
            Figure(
                "secretariat_paper_online_rate",
                "秘書處紙本來文採線上簽核比率",
                own.paper_received_rate,
                "%",
            ),
        ),
        tables=(
            _performance_table("city", f"{period.label}全府公文 e 化成效", "全府", city),
            _performance_table("secretariat", f"{period.label}秘書處公文 e 化成效", "秘書處", own),
        ),
        has_records=city.total > 0,
    )


def volume(period: Period) -> SectionData:
    """（五）收發文及公文用印."""
    city = selectors.volume_figures(period.start, period.end)
    own = selectors.volume_figures(period.start, period.end, agency_ids=_secretariat_ids())
    paragraph = (
        f"{period.label}本府各機關收文{roc.format_count(city.received, '件')}、"
        f"發文{roc.format_count(city.dispatched, '件')}，公文用印"
        f"{roc.format_count(city.impressions, '次')}；其中本處收文"
        f"{roc.format_count(own.received, '件')}、發文{roc.format_count(own.dispatched, '件')}、"
        f"用印{roc.format_count(own.impressions, '次')}。"
    )
    return SectionData(
        key="documents.volume",
        heading="（五）辦理本府及本處收發文與公文用印",
        paragraphs=(paragraph,),
        figures=(
            Figure("city_received", "全府收文", city.received, "件"),
            Figure("city_dispatched", "全府發文", city.dispatched, "件"),
            Figure("city_impressions", "全府公文用印", city.impressions, "次"),
            Figure("secretariat_received", "秘書處收文", own.received, "件"),
            Figure("secretariat_dispatched", "秘書處發文", own.dispatched, "件"),
            Figure("secretariat_impressions", "秘書處公文用印", own.impressions, "次"),
        ),
        has_records=bool(city.received or city.dispatched or city.impressions),
    )


def _timeliness_table(key: str, caption: str, label: str, rows, total=None) -> Table:
    return Table(
        key=key,
        caption=caption,
        columns=(
            Column("label", label),
            Column("closed", "辦結", "件"),
            Column("on_time", "如期", "件"),
            Column("late", "逾期", "件"),
            Column("rate", "如期比率", "%"),
        ),
        rows=tuple(
            {
                "label": row.label,
                "closed": row.closed,
                "on_time": row.on_time,
                "late": row.late,
                "rate": row.on_time_rate,
            }
            for row in rows
        ),
        total=None
        if total is None
        else {
            "label": "合計",
            "closed": total.closed,
            "on_time": total.on_time,
            "late": total.late,
            "rate": total.on_time_rate,
        },
    )


def timeliness(period: Period) -> SectionData:
    """（六）公文時效: received documents closed in the period, on time or late."""
    figures = selectors.timeliness(period.start, period.end)
    total = figures.total
    paragraph = (
        f"{period.label}收文辦結{roc.format_count(total.closed, '件')}，如期辦結"
        f"{roc.format_count(total.on_time, '件')}（{_rate(total.on_time_rate)}），逾期"
        f"{roc.format_count(total.late, '件')}。各速別及機關辦理情形如下表："
    )
    tables = [
        _timeliness_table(
            "by_speed", f"{period.label}公文時效（依速別）", "速別", figures.by_speed, total
        ),
        _timeliness_table(
            "by_agency", f"{period.label}公文時效（依機關）", "機關", figures.by_agency
        ),
    ]
    if figures.by_unit:
        tables.append(
            _timeliness_table(
                "by_unit", f"{period.label}公文時效（依承辦單位）", "承辦單位", figures.by_unit
            )
        )
    return SectionData(
        key="documents.timeliness",
        heading="（六）掌握公文處理時效",
        paragraphs=(paragraph,),
        figures=(
            Figure("closed", "收文辦結", total.closed, "件"),
            Figure("on_time", "如期辦結", total.on_time, "件"),
            Figure("late", "逾期辦結", total.late, "件"),
            Figure("on_time_rate", "如期辦結比率", total.on_time_rate, "%"),
        ),
        tables=tuple(tables),
        has_records=total.closed > 0,
    )


def online_rate(period: Period) -> Decimal | None:
    return selectors.signing_figures(period.start, period.end).online_rate


def paper_online_rate(period: Period) -> Decimal | None:
    return selectors.signing_figures(period.start, period.end).paper_received_rate


def on_time_rate(period: Period) -> Decimal | None:
    return selectors.timeliness(period.start, period.end).total.on_time_rate


SECTIONS = (
    Section("documents.online_signing", chapter="二", order=10, compute=online_signing),
    Section("documents.volume", chapter="二", order=50, compute=volume),
    Section("documents.timeliness", chapter="二", order=60, compute=timeliness),
)
INDICATORS = (
    Indicator(ONLINE_RATE, "全府公文線上簽核比率", "%", online_rate),
    Indicator(PAPER_ONLINE_RATE, "全府紙本來文採線上簽核比率", "%", paper_online_rate),
    Indicator(ON_TIME_RATE, "公文如期辦結比率", "%", on_time_rate),
)
