"""數位化、檔案應用、考評 report sections (chapter 二, orders 35–37) and the digitization
indicator, in the issue's sentence form 「推動永久保存紙本檔案數位化，累計完成132萬8,759件，
完成率73.13%」 and seed 001 §二(三)'s 「辦理本市各區公所檔案實地考評，並針對…進行…複評」."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from secretariat.archives.models import InspectionKind
from secretariat.archives.selectors import use as selectors
from secretariat.core import roc
from secretariat.core.roc import Period
from secretariat.reports.structure import Column, Figure, Indicator, Section, SectionData, Table

COMPLETION_RATE = "archives.digitization_rate"


def _as_of(period: Period):
    return min(period.end, timezone.localdate())


def digitization(period: Period) -> SectionData:
    """（五）推動永久保存紙本檔案數位化: cumulative passed 件 and the rate as of the period's
    end, and the per-agency table."""
    as_of = _as_of(period)
    total = selectors.completion(as_of)
    rows = selectors.completion_by_agency(as_of)
    in_period = (
        selectors.completion(as_of).scanned
        - selectors.completion(period.start - dt.timedelta(days=1)).scanned
    )
    rate = roc.format_rate(total.scanned, total.target) if total.target else "—"
    paragraph = (
        f"推動本府各機關永久保存紙本檔案數位化，{period.label}完成掃描"
        f"{roc.format_count(in_period, '件')}，截至{roc.format_date(as_of, 'long')}累計完成"
        f"{roc.format_count(total.scanned, '件')}（影像{roc.format_count(total.pages, '頁')}），"
        f"完成率{rate}。"
    )
    return SectionData(
        key="archives.digitization",
        heading="（五）推動永久保存紙本檔案數位化",
        paragraphs=(paragraph,),
        figures=(
            Figure("scanned_in_period", "本期完成掃描", in_period, "件"),
            Figure("scanned", "累計完成", total.scanned, "件"),
            Figure("pages", "累計影像", total.pages, "頁"),
            Figure("target", "應數位化", total.target, "件"),
            Figure("rate", "完成率", total.rate, "%"),
        ),
        tables=(
            Table(
                "archives.digitization.agencies",
                "各機關永久保存紙本檔案數位化完成率",
                (
                    Column("agency", "機關"),
                    Column("target", "應數位化", "件"),
                    Column("scanned", "累計完成", "件"),
                    Column("rate", "完成率", "%"),
                ),
                tuple(
                    {"agency": c.agency, "target": c.target, "scanned": c.scanned, "rate": c.rate}
                    for c in rows
                ),
            ),
        ),
        has_records=bool(total.scanned),  # nothing scanned by the period's end: 本期無資料
    )


def use(period: Period) -> SectionData:
    """（六）檔案應用: applications received in the period and their decisions."""
    figures = selectors.use_figures(period.start, period.end)
    paragraph = (
        f"{period.label}受理民眾及機關申請應用檔案{roc.format_count(figures.applications, '件')}"
        f"（{roc.format_count(figures.records, '筆')}檔案），准予應用"
        f"{roc.format_count(figures.approved, '筆')}、部分提供{roc.format_count(figures.partly, '筆')}、"
        f"依檔案法第18條駁回{roc.format_count(figures.refused, '筆')}；已准駁"
        f"{roc.format_count(figures.decided, '件')}，其中於法定期限內准駁"
        f"{roc.format_count(figures.on_time, '件')}，收取應用費用{roc.format_amount(figures.fees)}。"
    )
    return SectionData(
        key="archives.use",
        heading="（六）提供檔案應用服務",
        paragraphs=(paragraph,),
        figures=(
            Figure("applications", "受理申請", figures.applications, "件"),
            Figure("records", "申請檔案", figures.records, "筆"),
            Figure("approved", "准予應用", figures.approved, "筆"),
            Figure("partly", "部分提供", figures.partly, "筆"),
            Figure("refused", "駁回", figures.refused, "筆"),
            Figure("decided", "已准駁", figures.decided, "件"),
            Figure("on_time", "法定期限內准駁", figures.on_time, "件"),
            Figure("fees", "應用費用", figures.fees, "元"),
        ),
        has_records=bool(figures.applications),
    )


def inspections(period: Period) -> SectionData:
    """（七）檔案管理考評: the seed's sentence — the 實地考評 and the 複評/輔導 — and the table
    of scores and follow-up items."""
    rows = selectors.inspections_in(period.start, period.end)
    field = [r.agency for r in rows if r.kind == InspectionKind.FIELD]
    other = [r.agency for r in rows if r.kind != InspectionKind.FIELD]
    follow_ups = sum(r.follow_ups for r in rows)
    done = sum(r.done for r in rows)
    sentences = []
    if field:
        sentences.append(
            "依「臺北市政府檔案管理考評作業要點」辦理"
            f"{_names(field)}等{roc.format_count(len(field), '個機關')}檔案實地考評"
        )
    if other:
        sentences.append(f"並針對{_names(other)}進行檔管業務個別機關輔導與檔案複評作業")
    paragraph = (
        f"{period.label}"
        + "，".join(sentences)
        + f"，提出改善事項{roc.format_count(follow_ups, '項')}"
        f"，已改善完成{roc.format_count(done, '項')}。"
        if rows
        else f"{period.label}未辦理檔案管理考評。"
    )
    return SectionData(
        key="archives.inspections",
        heading="（七）辦理檔案管理考評",
        paragraphs=(paragraph,),
        figures=(
            Figure("field", "實地考評", len(field), "個機關"),
            Figure("reviews", "複評及輔導", len(other), "個機關"),
            Figure("follow_ups", "改善事項", follow_ups, "項"),
            Figure("follow_ups_done", "已改善完成", done, "項"),
        ),
        tables=(
            Table(
                "archives.inspections.results",
                "檔案管理考評結果",
                (
                    Column("agency", "受評機關"),
                    Column("kind", "類別"),
                    Column("points", "得分", "分"),
                    Column("full_marks", "配分", "分"),
                    Column("follow_ups", "改善事項", "項"),
                    Column("done", "已完成", "項"),
                ),
                tuple(
                    {
                        "agency": r.agency,
                        "kind": InspectionKind(r.kind).label,
                        "points": r.points,
                        "full_marks": r.full_marks,
                        "follow_ups": r.follow_ups,
                        "done": r.done,
                    }
                    for r in rows
                ),
            ),
        ),
        has_records=bool(rows),
    )


def _names(agencies: list[str]) -> str:
    """「甲、乙及丙」 as the seed lists agencies."""
    unique = list(dict.fromkeys(agencies))
    return unique[0] if len(unique) == 1 else "、".join(unique[:-1]) + "及" + unique[-1]


def completion_rate(period: Period) -> Decimal | None:
    return selectors.completion(_as_of(period)).rate


SECTIONS = (
    Section("archives.digitization", chapter="二", order=35, compute=digitization),
    Section("archives.use", chapter="二", order=36, compute=use),
    Section("archives.inspections", chapter="二", order=37, compute=inspections),
)
INDICATORS = (Indicator(COMPLETION_RATE, "永久保存紙本檔案數位化完成率", "%", completion_rate),)
