"""府級會議's report sections (chapter 三) and indicators, in the seeds' sentence forms:
meetings held per series with their items by kind and lectures, the rules of procedure
revised, the minutes drafted with the offline assistance, the directives tracked by 研考會 by
agency, and 電子化會議 (count and rate against the year's target). Each sentence states its
table's total; a period without records says 「本期無資料」 (``has_records=False``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from secretariat.assist import selectors as assist_selectors
from secretariat.core import roc
from secretariat.core import selectors as core_selectors
from secretariat.core.roc import Period
from secretariat.meetings import selectors
from secretariat.reports.structure import Column, Figure, Indicator, Section, SectionData, Table

PAPERLESS_RATE = "meetings.paperless_rate"
PAPERLESS_COUNT = "meetings.paperless_meetings"
_NUMBERS = "一二三四五六七八九十"


def _md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _numbered(index: int, text: str) -> str:
    return f"{index}、{text}"


def meetings(period: Period) -> SectionData:
    """（二）辦理府級會議工作: a paragraph per series as the seed writes 市政會議 and 主秘會報,
    the rules revised, and the table of meetings and items per series with its total."""
    figures = selectors.meetings_by_series(period.start, period.end)
    revised = list(selectors.rules_issued(period.start, period.end))
    total = sum(f.meetings for f in figures)
    lectures = sum(f.lectures for f in figures)
    items = sum(f.report_items + f.discussion_items + f.motions for f in figures)
    paragraphs = [
        f"{period.label}共召開府級會議{roc.format_count(total, '次')}，"
        f"審議報告案、討論案及臨時動議計{roc.format_count(items, '案')}，"
        f"辦理專題演講{roc.format_count(lectures, '場')}，詳如下表："
    ]
    number = 0
    for figure in figures:
        number += 1
        series = figure.series
        text = f"{series.name}：{period.label}計召開{roc.format_count(figure.meetings, '次')}"
        if figure.mobile:
            text += f"（含行動{series.name}{roc.format_count(figure.mobile, '次')}）"
        if series.report_text:
            text += f"，{series.report_text.rstrip('。')}"
        if figure.lectures:
            text += f"；另邀請專家學者或業界知名人士進行專題演講{roc.format_count(figure.lectures, '場')}"
        paragraphs.append(_numbered(number, text + "。"))
    for version in revised:
        number += 1
        verb = "修正發布" if version.version > 1 else "訂定發布"
        paragraphs.append(
            _numbered(
                number,
                f"{'修正' if version.version > 1 else '訂定'}{version.series.name}議事規則："
                f"於{_md(version.issued_on)}{verb}「{version.title}」。",
            )
        )
    rows = tuple(
        {
            "series": f.series.name,
            "meetings": f.meetings,
            "mobile": f.mobile,
            "report_items": f.report_items,
            "discussion_items": f.discussion_items,
            "lectures": f.lectures,
            "motions": f.motions,
        }
        for f in figures
    )
    total_row = {
        "series": "合計",
        **{
            key: sum(row[key] for row in rows)
            for key in (
                "meetings",
                "mobile",
                "report_items",
                "discussion_items",
                "lectures",
                "motions",
            )
        },
    }
    return SectionData(
        key="meetings.meetings",
        heading="（二）辦理府級會議工作",
        paragraphs=tuple(paragraphs),
        figures=(
            Figure("meetings", "府級會議", total, "次"),
            Figure("items", "報告案、討論案及臨時動議", items, "案"),
            Figure("lectures", "專題演講", lectures, "場"),
            Figure("rules_revised", "議事規則訂定或修正", len(revised), "次"),
        ),
        tables=(
            Table(
                key="by_series",
                caption=f"{period.label}府級會議召開情形",
                columns=(
                    Column("series", "會議"),
                    Column("meetings", "召開次數", "次"),
                    Column("mobile", "行動會議", "次"),
                    Column("report_items", "報告案", "案"),
                    Column("discussion_items", "討論案", "案"),
                    Column("lectures", "專題演講", "場"),
                    Column("motions", "臨時動議", "案"),
                ),
                rows=rows,
                total=total_row,
            ),
        )
        if rows
        else (),
        has_records=bool(figures or revised),
    )


def minutes_assist(period: Period) -> SectionData:
    """（三）驗證 AI 與議事記錄協作流程: the items whose minutes the offline assistance drafted,
    and how much of the approved text the drafts already had (ROUGE-L recall)."""
    entries = list(selectors.assisted_minutes(period.start, period.end))
    meetings_drafted = len({entry.minutes_id for entry in entries})
    recalls = []
    for entry in entries:
        approved = "\n".join(p for p in (entry.report, entry.discussion, entry.resolution) if p)
        recalls.append(assist_selectors.rouge(approved, entry.draft).rl[0])
    recall = (
        roc.percent_value(round(sum(recalls) / len(recalls) * 10_000), 10_000) if recalls else None
    )
    paragraph = (
        f"{period.label}以離線智慧輔助（逐字稿自動分段、摘要及擬列裁示事項）協助草擬"
        f"{roc.format_count(meetings_drafted, '場')}會議、{roc.format_count(len(entries), '案')}"
        f"議案紀錄，經議事人員修訂後核定；核定紀錄內容已見於草稿之比率（ROUGE-L 召回率）"
        f"平均為{roc.format_percent(recall / 100) if recall is not None else '—'}。"
    )
    return SectionData(
        key="meetings.minutes_assist",
        heading="（三）驗證 AI 與議事記錄協作流程",
        paragraphs=(paragraph,),
        figures=(
            Figure("meetings", "智慧輔助草擬紀錄之會議", meetings_drafted, "場"),
            Figure("items", "智慧輔助草擬紀錄之議案", len(entries), "案"),
            Figure("recall", "核定紀錄內容見於草稿比率（ROUGE-L）", recall, "%"),
        ),
        has_records=bool(entries),
    )


def directives(period: Period) -> SectionData:
    """（四）列管府級會議裁示事項: the directives of the period's meetings by lead agency —
    issued, released (解除列管), still tracked and overdue — as of the period's end (or today)."""
    as_of = min(period.end, timezone.localdate())
    rows = selectors.directives_by_agency(period.start, period.end, as_of)
    issued = sum(r.issued for r in rows)
    released = sum(r.released for r in rows)
    overdue = sum(r.overdue for r in rows)
    still = issued - released
    table_rows = tuple(
        {
            "agency": r.agency,
            "issued": r.issued,
            "released": r.released,
            "open": r.open,
            "overdue": r.overdue,
        }
        for r in rows
    )
    paragraph = (
        f"{period.label}府級會議裁示（決議）須辦理事項計{roc.format_count(issued, '項')}，"
        f"交由主辦機關辦理並由研考會列管追蹤；截至{roc.format_date(as_of)}已解除列管"
        f"{roc.format_count(released, '項')}、持續列管{roc.format_count(still, '項')}"
        + (
            f"，其中逾期未提報進度{roc.format_count(overdue, '項')}"
            if overdue
            else "，均依限提報辦理進度"
        )
        + "，各主辦機關辦理情形如下表："
    )
    return SectionData(
        key="meetings.directives",
        heading="（四）列管府級會議裁示事項",
        paragraphs=(paragraph,),
        figures=(
            Figure("issued", "裁示（決議）列管事項", issued, "項"),
            Figure("released", "已解除列管", released, "項"),
            Figure("open", "持續列管", still, "項"),
            Figure("overdue", "逾期未提報進度", overdue, "項"),
        ),
        tables=(
            Table(
                key="by_agency",
                caption=f"{period.label}府級會議裁示事項列管情形（依主辦機關）",
                columns=(
                    Column("agency", "主辦機關"),
                    Column("issued", "列管事項", "項"),
                    Column("released", "已解除列管", "項"),
                    Column("open", "持續列管", "項"),
                    Column("overdue", "逾期", "項"),
                ),
                rows=table_rows,
                total={
                    "agency": "合計",
                    "issued": issued,
                    "released": released,
                    "open": still,
                    "overdue": overdue,
                },
            ),
        )
        if table_rows
        else (),
        has_records=bool(table_rows),
    )


def paperless(period: Period) -> SectionData:
    """（五）賡續推動會議電子化作業: the city's meetings, the paperless ones and their rate
    against the year's target, by agency."""
    rows = selectors.paperless_by_agency(period.start, period.end)
    total = sum(r.meetings for r in rows)
    done = sum(r.paperless for r in rows)
    sheets = sum(r.sheets_saved for r in rows)
    rate = roc.percent_value(done, total) if total else None
    target = core_selectors.indicator_target(PAPERLESS_RATE, period.end)
    sentence = (
        f"{period.label}本府各機關召開會議{roc.format_count(total, '場')}，其中電子化會議"
        f"{roc.format_count(done, '場')}，電子化比率{roc.format_rate(done, total)}"
    )
    if target is not None and rate is not None:
        verdict = "已達" if rate >= target else "未達"
        sentence += f"，{verdict}年度目標{roc.format_percent(target / 100)}"
    if sheets:
        sentence += f"，節省A4紙張約{roc.format_count(sheets, '張')}"
    sentence += "，各機關情形如下表："
    return SectionData(
        key="meetings.paperless",
        heading="（五）賡續推動會議電子化作業",
        paragraphs=(sentence,),
        figures=(
            Figure("meetings", "會議", total, "場"),
            Figure("paperless", "電子化會議", done, "場"),
            Figure("rate", "電子化比率", rate, "%"),
            Figure("sheets_saved", "節省A4紙張", sheets, "張"),
        ),
        tables=(
            Table(
                key="by_agency",
                caption=f"{period.label}各機關電子化會議情形",
                columns=(
                    Column("agency", "機關"),
                    Column("meetings", "會議", "場"),
                    Column("paperless", "電子化會議", "場"),
                    Column("rate", "電子化比率", "%"),
                ),
                rows=tuple(
                    {
                        "agency": r.agency,
                        "meetings": r.meetings,
                        "paperless": r.paperless,
                        "rate": r.rate,
                    }
                    for r in rows
                ),
                total={"agency": "合計", "meetings": total, "paperless": done, "rate": rate},
            ),
        )
        if rows
        else (),
        has_records=bool(rows),
    )


def paperless_rate(period: Period) -> Decimal | None:
    rows = selectors.paperless_by_agency(period.start, period.end)
    total = sum(r.meetings for r in rows)
    return roc.percent_value(sum(r.paperless for r in rows), total) if total else None


def paperless_count(period: Period) -> Decimal | None:
    rows = selectors.paperless_by_agency(period.start, period.end)
    return Decimal(sum(r.paperless for r in rows)) if rows else None


SECTIONS = (
    Section("meetings.meetings", chapter="三", order=20, compute=meetings),
    Section("meetings.minutes_assist", chapter="三", order=30, compute=minutes_assist),
    Section("meetings.directives", chapter="三", order=40, compute=directives),
    Section("meetings.paperless", chapter="三", order=50, compute=paperless),
)
INDICATORS = (
    Indicator(PAPERLESS_RATE, "電子化會議比率", "%", paperless_rate),
    Indicator(PAPERLESS_COUNT, "電子化會議場次", "場", paperless_count),
)
