"""人民陳情's report section: petitions to the mayor received in the period, by lead agency
(the seeds' 「（一）妥處市民送交市長之陳情案件」 table)."""

from __future__ import annotations

from secretariat.cases import selectors as case_selectors
from secretariat.cases.models import Case
from secretariat.core import roc
from secretariat.core.roc import Period
from secretariat.petitions.services import KIND
from secretariat.reports.structure import Column, Figure, Section, SectionData, Table


def by_agency(period: Period) -> SectionData:
    received = Case.objects.filter(kind=KIND, received_on__range=(period.start, period.end))
    total = received.count()
    counts = case_selectors.count_by_lead_agency(KIND, period.start, period.end)
    table = Table(
        key="by_agency",
        caption=f"{period.label}市民送交市長之陳情案件受理件數（依主辦機關）",
        columns=(Column("agency", "機關名稱"), Column("count", "件數", "件")),
        rows=tuple({"agency": label, "count": n} for label, n in counts.items()),
        pairs=True,
    )
    return SectionData(
        key="petitions.by_agency",
        heading="（一）妥處市民送交市長之陳情案件",
        paragraphs=(f"{period.label}受理案件計{roc.format_count(total, '件')}，詳如下表：",),
        figures=(Figure("received", "受理案件", total, "件"),),
        tables=(table,),
    )


SECTIONS = (Section("petitions.by_agency", chapter="三", order=10, compute=by_agency),)
