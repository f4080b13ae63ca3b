"""The service desk's report sections (chapter 六 市政諮詢及志工服務, orders 10–19) and its
indicator, in the seeds' sentence forms: 市政業務諮詢服務 (consultations and petitions
assisted by month, seed 001 §六(一); consultations by category by month, the 106年 table of
seed 000 §五), the 10-minute arrival rate against the year's target (seed 002 速處輿情反映
(三)), and the nursing rooms' uses. Each sentence states its table's total; a period without
records says 「本期無資料」."""

from __future__ import annotations

from decimal import Decimal

from secretariat.core import roc
from secretariat.core import selectors as core_selectors
from secretariat.core.roc import Period
from secretariat.reports.structure import Column, Figure, Indicator, Section, SectionData, Table
from secretariat.service import selectors
from secretariat.service.selectors import DISPATCH_RATE


def period_month_columns(period: Period) -> tuple[list[tuple[int, int]], tuple[Column, ...]]:
    months = selectors.months_of(period.start, period.end)
    one_year = period.start.year == period.end.year
    columns = tuple(
        Column(
            f"m{year}{month:02d}", f"{month}月" if one_year else roc.format_month(year, month), "件"
        )
        for year, month in months
    )
    return months, columns


def month_row(label_key: str, label: str, months, counts: dict) -> dict:
    row = {label_key: label}
    for year, month in months:
        row[f"m{year}{month:02d}"] = counts.get((year, month), 0)
    row["total"] = sum(counts.get(m, 0) for m in months)
    return row


def consultations(period: Period) -> SectionData:
    """（一）市政業務諮詢服務: consultations and petitions assisted by month (seed 001's
    table), then consultations by category by month (the 106年 table), and referrals."""
    months, month_columns = period_month_columns(period)
    by_kind = selectors.visits_by_kind(period.start, period.end)
    consulted = sum(by_kind["consultation"].get(m, 0) for m in months)
    petitions = sum(by_kind["petition"].get(m, 0) for m in months)
    categories = selectors.consultations_by_category(period.start, period.end)
    referred = selectors.referrals(period.start, period.end)
    sign_language = referred.get("sign_language", 0)
    counters = referred.get("agency_counter", 0)
    paragraphs = [
        "本處於市府聯合服務中心設置綜合業務服務臺，提供民眾市政業務諮詢、洽公引導、陳情；"
        "提供聽語障民眾視訊設備，轉介1999手語視訊服務人員等多項貼心便民服務。",
        f"{period.label}共計提供市政業務諮詢服務{roc.format_count(consulted, '件')}、"
        f"協處民眾陳情{roc.format_count(petitions, '件')}，各月服務情形詳如下表：",
    ]
    if sign_language or counters:
        paragraphs.append(
            f"另轉介1999手語視訊服務{roc.format_count(sign_language, '件')}、"
            f"轉介各機關櫃檯{roc.format_count(counters, '件')}。"
        )
    kind_columns = (Column("kind", "類別"), *month_columns, Column("total", "總計", "件"))
    kind_rows = (
        month_row("kind", "諮詢服務", months, by_kind["consultation"]),
        month_row("kind", "陳情服務", months, by_kind["petition"]),
    )
    category_rows = tuple(
        month_row("category", c.name, months, c.by_month) for c in categories if c.total
    )
    category_total = {"category": "合計"}
    for key in [c.key for c in month_columns] + ["total"]:
        category_total[key] = sum(row[key] for row in category_rows)
    tables = [
        Table(
            key="by_kind",
            caption=f"{period.label}市政業務諮詢及陳情服務情形",
            columns=kind_columns,
            rows=kind_rows,
        )
    ]
    if category_rows:
        tables.append(
            Table(
                key="by_category",
                caption=f"{period.label}市政業務諮詢服務類別統計",
                columns=(Column("category", "類別"), *month_columns, Column("total", "合計", "件")),
                rows=category_rows,
                total=category_total,
            )
        )
    return SectionData(
        key="service.consultations",
        heading="（一）市政業務諮詢服務",
        paragraphs=tuple(paragraphs),
        figures=(
            Figure("consultations", "市政業務諮詢服務", consulted, "件"),
            Figure("petitions", "協處民眾陳情", petitions, "件"),
            Figure("sign_language", "轉介1999手語視訊服務", sign_language, "件"),
            Figure("agency_counter", "轉介各機關櫃檯", counters, "件"),
        ),
        tables=tuple(tables),
        has_records=bool(consulted or petitions),
    )


def dispatch(period: Period) -> SectionData:
    """（二）各機關10分鐘內派員到場: the calls, the late ones and the rate against the year's
    target (seed 002's sentence), by agency."""
    rows, total = selectors.dispatch_rates(period.start, period.end)
    target = core_selectors.indicator_target(DISPATCH_RATE, period.end)
    sentence = (
        f"{period.label}民眾臨櫃陳情，經本處通知主管機關派員到場服務案件共計"
        f"{roc.format_count(total.calls, '件')}。其中計有{roc.format_count(total.late, '件')}"
        f"超過10分鐘到場，達成率為{roc.format_rate(total.on_time, total.calls)}"
    )
    if target is not None and total.rate is not None:
        year = roc.roc_year(period.end)
        verdict = "已達" if total.rate >= target else "未達"
        sentence += f"，{verdict}{year}年度訂定之{roc.format_percent(target / 100)}目標值"
    sentence += "。"
    return SectionData(
        key="service.dispatch",
        heading="（二）機關接獲通知10分鐘內派員到場服務",
        paragraphs=(sentence,),
        figures=(
            Figure("calls", "通知派員到場", total.calls, "件"),
            Figure("late", "超過10分鐘到場", total.late, "件"),
            Figure("rate", "10分鐘到場達成率", total.rate, "%"),
        ),
        tables=(
            Table(
                key="by_agency",
                caption=f"{period.label}各機關10分鐘內派員到場情形",
                columns=(
                    Column("agency", "機關"),
                    Column("calls", "通知", "件"),
                    Column("on_time", "10分鐘內到場", "件"),
                    Column("late", "逾時到場", "件"),
                    Column("rate", "達成率", "%"),
                ),
                rows=tuple(
                    {
                        "agency": r.agency,
                        "calls": r.calls,
                        "on_time": r.on_time,
                        "late": r.late,
                        "rate": r.rate,
                    }
                    for r in rows
                ),
                total={
                    "agency": "合計",
                    "calls": total.calls,
                    "on_time": total.on_time,
                    "late": total.late,
                    "rate": total.rate,
                },
            ),
        )
        if rows
        else (),
        has_records=bool(total.calls),
    )


def nursing_rooms(period: Period) -> SectionData:
    """（三）哺集乳室: uses per room."""
    uses = selectors.room_uses(period.start, period.end)
    total = sum(count for _, count in uses)
    sentence = (
        f"市政大樓設置哺集乳室{roc.format_count(len(uses), '間')}，"
        f"{period.label}共計使用{roc.format_count(total, '人次')}，各室情形如下表："
    )
    return SectionData(
        key="service.nursing_rooms",
        heading="（三）提供哺集乳室服務",
        paragraphs=(sentence,),
        figures=(Figure("uses", "哺集乳室使用", total, "人次"),),
        tables=(
            Table(
                key="by_room",
                caption=f"{period.label}哺集乳室使用情形",
                columns=(
                    Column("room", "哺集乳室"),
                    Column("place", "位置"),
                    Column("uses", "使用", "人次"),
                ),
                rows=tuple({"room": r.name, "place": r.place, "uses": n} for r, n in uses),
                total={"room": "合計", "place": "", "uses": total},
            ),
        )
        if uses
        else (),
        has_records=bool(total),
    )


def dispatch_rate(period: Period) -> Decimal | None:
    return selectors.dispatch_rate(period.start, period.end)


SECTIONS = (
    Section("service.consultations", chapter="六", order=10, compute=consultations),
    Section("service.dispatch", chapter="六", order=12, compute=dispatch),
    Section("service.nursing_rooms", chapter="六", order=14, compute=nursing_rooms),
)
INDICATORS = (Indicator(DISPATCH_RATE, "機關10分鐘內派員到場達成率", "%", dispatch_rate),)
