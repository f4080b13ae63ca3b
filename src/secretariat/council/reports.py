"""府會事務's report sections and indicator: questions routed by event kind, data requests,
liaison meetings, councillor service grades (and the A share against the year's target)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from secretariat.core import roc
from secretariat.core.roc import Period
from secretariat.council import selectors
from secretariat.council.models import EngagementKind, EventKind, Grade
from secretariat.reports.structure import Column, Figure, Indicator, Section, SectionData, Table


def _event_kind_label(row: selectors.EventKindRow) -> str:
    """「市政總質詢（9天）」; a budget report is named by its event (「市長報告114年度本市總預算
    第1次追加（減）預算」), as each one is a different budget."""
    if row.kind == EventKind.BUDGET_REPORT and row.titles:
        return "、".join(row.titles)
    return f"{row.label}（{row.sittings}{row.unit}）"


def questions(period: Period) -> SectionData:
    rows, total = selectors.questions_by_event_kind(period.start, period.end)
    table = Table(
        key="by_event_kind",
        caption=f"{period.label}議員質詢分辦題數（依質詢類別）",
        columns=(
            Column("number", "序號"),
            Column("kind", "類別"),
            Column("questions", "分辦題數", "題"),
        ),
        rows=tuple(
            {
                "number": index,
                "kind": _event_kind_label(row),
                "event_kind": row.kind,
                "sittings": row.sittings,
                "questions": row.questions,
            }
            for index, row in enumerate(rows, start=1)
        ),
        total={"number": "", "kind": "合計", "questions": total},
    )
    return SectionData(
        key="council.questions",
        heading="（一）掌握議員關注議題並分辦機關依限妥處",
        paragraphs=(f"{period.label}共分辦{roc.format_count(total, '題')}，各類質詢如下表：",),
        figures=(Figure("routed", "分辦題數", total, "題"),),
        tables=(table,),
        has_records=bool(rows),
    )


def data_requests(period: Period) -> SectionData:
    figures = selectors.data_request_figures(period.start, period.end, timezone.localdate())
    return SectionData(
        key="council.data_requests",
        heading="（二）檢討議員索資流程，適時提供議員問政資料",
        paragraphs=(f"{period.label}本處共辦理{figures.sentence()}。",),
        figures=(
            Figure("received", "議員索資", figures.received, "筆"),
            Figure("overdue", "逾期", figures.overdue, "筆"),
            Figure("open", "尚在辦理", figures.open, "筆"),
        ),
        has_records=figures.received > 0,
    )


def caucus_visits(period: Period) -> SectionData:
    figures = selectors.engagements_in(period.start, period.end)
    visits = figures.counts[EngagementKind.CAUCUS_VISIT]
    meetings = figures.counts[EngagementKind.MAYOR_MEETING]
    return SectionData(
        key="council.caucus_visits",
        heading="（三）辦理市長赴各黨團進行本府重大法議案溝通",
        paragraphs=(
            f"{period.label}安排市長率各相關首長赴市議會各黨團拜會溝通，"
            f"共{roc.format_count(visits, '場')}；另安排議員與市長座談會"
            f"{roc.format_count(meetings, '場')}。",
        ),
        figures=(
            Figure("caucus_visits", "市長赴黨團溝通", visits, "場"),
            Figure("mayor_meetings", "議員與市長座談會", meetings, "場"),
        ),
        has_records=visits + meetings > 0,
    )


def liaison_meetings(period: Period) -> SectionData:
    report = selectors.liaison_attendance(period.start, period.end)
    rows = tuple(
        {
            "held_on": row.meeting.held_on,
            "title": row.meeting.title,
            "invited": row.invited,
            "attended": row.attended,
            "rate": row.rate,
        }
        for row in report.meetings
    )
    return SectionData(
        key="council.liaison_meetings",
        heading="（四）促進府會互動關係",
        figures=(
            Figure("meetings", "府會聯絡人座談會及研習", len(rows), "場"),
            Figure("attendance_rate", "平均出席率", report.rate, "%"),
        ),
        tables=(
            Table(
                key="attendance",
                caption=f"{period.label}府會聯絡人座談會及研習出席情形",
                columns=(
                    Column("held_on", "日期"),
                    Column("title", "名稱"),
                    Column("invited", "應出席", "人"),
                    Column("attended", "實到", "人"),
                    Column("rate", "出席率", "%"),
                ),
                rows=rows,
            ),
        )
        if rows
        else (),
        has_records=bool(rows),
    )


def service_grades(period: Period) -> SectionData:
    shares = selectors.service_grade_shares(period.start, period.end)
    rows = tuple(
        {"grade": label, "count": shares.counts[code], "share": shares.share(code)}
        for code, label in Grade.choices
    )
    return SectionData(
        key="council.service_grades",
        heading="（五）議員服務案件處理等級",
        figures=(
            Figure("closed", "已結案議員服務案件", shares.total, "件"),
            Figure("grade_a_share", "A 級（辦理完成）比率", shares.share(Grade.A), "%"),
        ),
        tables=(
            Table(
                key="grades",
                caption=f"{period.label}已結案議員服務案件處理等級",
                columns=(
                    Column("grade", "處理等級"),
                    Column("count", "件數", "件"),
                    Column("share", "比率", "%"),
                ),
                rows=rows,
                total={"grade": "合計", "count": shares.total, "share": None},
            ),
        ),
        has_records=shares.total > 0,
    )


def grade_a_share(period: Period) -> Decimal | None:
    return selectors.service_grade_shares(period.start, period.end).share(Grade.A)


SECTIONS = (
    Section("council.questions", chapter="四", order=10, compute=questions),
    Section("council.data_requests", chapter="四", order=20, compute=data_requests),
    Section("council.caucus_visits", chapter="四", order=30, compute=caucus_visits),
    Section("council.liaison_meetings", chapter="四", order=40, compute=liaison_meetings),
    Section("council.service_grades", chapter="四", order=50, compute=service_grades),
)
INDICATORS = (
    Indicator(
        selectors.SERVICE_GRADE_A_INDICATOR,
        "已結案議員服務案件 A 級（辦理完成）比率",
        "%",
        grade_a_share,
    ),
)
