"""The professional consultations' report section (chapter 六, orders 20–29) and indicator,
in seed 001's sentence form: 「本處與臺北市建築師公會合作，…免費提供民眾建築專業諮詢服務，
114年上半年共計受理665件（含面對面諮詢317件、電話諮詢348件），各月服務情形詳如下表：」
with the table of face-to-face and phone consultations by month and their total."""

from __future__ import annotations

from decimal import Decimal

from secretariat.core import roc
from secretariat.core.roc import Period
from secretariat.reports.structure import Column, Figure, Indicator, Section, SectionData, Table
from secretariat.service import selectors
from secretariat.service.models import Mode, Profession
from secretariat.service.reports import month_row, period_month_columns

CONSULTATIONS = "service.professional_consultations"


def professional_consultations(period: Period) -> SectionData:
    """（二）專業諮詢服務: by association, face to face and by phone, by month."""
    months, month_columns = period_month_columns(period)
    found = selectors.consultations_by_month(period.start, period.end)
    associations = [entry.association for entry in found] or list(selectors.associations())
    fields = [
        label
        for value, label in Profession.choices
        if value in {a.profession for a in associations}
    ]
    kinds = "、".join(fields)
    total = sum(entry.total() for entry in found)
    face = sum(entry.total(Mode.FACE_TO_FACE) for entry in found)
    phone = sum(entry.total(Mode.PHONE) for entry in found)
    partners = "、".join(a.name for a in associations) or "專業公會"
    sentence = (
        f"本處與{partners}合作，強化公私協力夥伴關係，免費提供民眾{kinds}專業諮詢服務，"
        f"{period.label}共計受理{roc.format_count(total, '件')}"
        f"（含面對面諮詢{roc.format_count(face, '件')}、電話諮詢{roc.format_count(phone, '件')}）"
    )
    sentence += "，各月服務情形詳如下表：" if total else "。"
    paragraphs = [sentence]
    if len(found) > 1:
        paragraphs.append(
            "其中"
            + "、".join(f"{e.association.name}{roc.format_count(e.total(), '件')}" for e in found)
            + "。"
        )
    columns = (Column("kind", "類別"), *month_columns, Column("total", "總計", "件"))
    rows = []
    for entry in found:
        prefix = f"{entry.association.name}" if len(found) > 1 else ""
        for mode, label in Mode.choices:
            rows.append(month_row("kind", prefix + label, months, entry.by_mode.get(mode, {})))
    summed = {"kind": "合計"}
    for column in [*month_columns, Column("total", "")]:
        summed[column.key] = sum(row[column.key] for row in rows)
    heading_kind = kinds if len(fields) == 1 else ""
    return SectionData(
        key="service.professional_consultations",
        heading=f"（二）{heading_kind}專業諮詢服務",
        paragraphs=tuple(paragraphs),
        figures=(
            Figure("consultations", "專業諮詢服務", total, "件"),
            Figure("face", "面對面諮詢", face, "件"),
            Figure("phone", "電話諮詢", phone, "件"),
        ),
        tables=(
            Table(
                key="by_mode",
                caption=f"{period.label}{kinds}專業諮詢服務情形",
                columns=columns,
                rows=tuple(rows),
                total=summed,
            ),
        )
        if rows
        else (),
        has_records=bool(total),
    )


def consultations_count(period: Period) -> Decimal | None:
    """專業諮詢服務件數; None (no figure) for a period without records."""
    found = selectors.consultations_by_month(period.start, period.end)
    return Decimal(sum(entry.total() for entry in found)) or None


SECTIONS = (
    Section(
        "service.professional_consultations",
        chapter="六",
        order=20,
        compute=professional_consultations,
    ),
)
INDICATORS = (Indicator(CONSULTATIONS, "專業諮詢服務件數", "件", consultations_count),)
