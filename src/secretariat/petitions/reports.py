"""人民陳情's report section: petitions to the mayor received in the period, by lead agency
(the seeds' 「（一）妥處市民送交市長之陳情案件」 table). The sentence and the table come from
one count: the table sums the routed petitions, and the sentence says how many were received
and what the table leaves out (存查, 撤回, 尚未分辦)."""

from __future__ import annotations

from secretariat.cases import selectors as case_selectors
from secretariat.core import roc
from secretariat.core.roc import Period
from secretariat.petitions.services import KIND
from secretariat.reports.structure import Column, Figure, Section, SectionData, Table

HEADING = "（一）妥處市民送交市長之陳情案件"


def sentence(period: Period, counts: case_selectors.LeadCounts) -> str:
    """「114年上半年受理案件計978件，詳如下表：」, or with petitions outside the table
    「…受理案件計11件，其中分辦8件，詳如下表；另存查2件、尚未分辦1件。」"""
    others = counts.without_lead_phrases()
    if not others:
        return f"{period.label}受理案件計{roc.format_count(counts.total, '件')}，詳如下表："
    return (
        f"{period.label}受理案件計{roc.format_count(counts.received, '件')}，其中分辦"
        f"{roc.format_count(counts.total, '件')}，詳如下表；另{'、'.join(others)}。"
    )


def by_agency(period: Period) -> SectionData:
    counts = case_selectors.count_by_lead_agency(KIND, period.start, period.end)
    table = Table(
        key="by_agency",
        caption=f"{period.label}市民送交市長之陳情案件受理件數（依主辦機關）",
        columns=(Column("agency", "機關名稱"), Column("count", "件數", "件")),
        rows=tuple({"agency": label, "count": n} for label, n in counts.rows.items()),
        pairs=True,
    )
    return SectionData(
        key="petitions.by_agency",
        heading=HEADING,
        paragraphs=(sentence(period, counts),),
        figures=(
            Figure("received", "受理案件", counts.received, "件"),
            Figure("routed", "分辦案件", counts.total, "件"),
        ),
        tables=(table,),
        has_records=counts.received > 0,
    )


SECTIONS = (Section("petitions.by_agency", chapter="三", order=10, compute=by_agency),)
