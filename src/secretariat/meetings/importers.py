"""Importing the history of 府級會議 (``secretariat import <type> FILE``; docs/import.md):

* ``meetings`` — meetings held, one row each, with their counts of items by kind (the old
  system's agenda is not carried over; the report reads the counts);
* ``meeting-tallies`` — the e-meeting system's monthly statistics per agency (電子化會議);
* ``meeting-directives`` — directives tracked by 研考會, as ``meeting_directive`` cases on
  the shared case columns (``cases.importers``), each pointing at an imported meeting.

Every file is checked whole first: nothing is written if any row is wrong."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.utils import timezone

from secretariat.cases.importers import (
    CO,
    COLUMN_BODY,
    COLUMN_CLOSED,
    COLUMN_DUE,
    COLUMN_EXTENSIONS,
    COLUMN_MOVES,
    COLUMN_NUMBER,
    COLUMN_ROUTED,
    COLUMN_SUBJECT,
    LEAD,
    CaseImporter,
    CaseRecord,
)
from secretariat.cases.selectors import Channel
from secretariat.core import importing, roc
from secretariat.core.importing import Column, Importer, Plan, Problems, Row
from secretariat.core.registry import AgencyIndex
from secretariat.meetings import kinds, services
from secretariat.meetings.models import (
    DISTRICTS,
    Directive,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    PaperlessTally,
    ResolutionKind,
)

SERIES = "會議系列"
NUMBER = "次別"
DATE = "日期"
STARTS = "開始時間"
ENDS = "結束時間"
PLACE = "地點"
DISTRICT = "行政區"
PAPERLESS = "電子化"
COUNT_COLUMNS = {
    "報告案": "report_items",
    "討論案": "discussion_items",
    "專題演講": "lectures",
    "臨時動議": "motions",
}
YES_NO = {"是": "yes", "否": "no"}
MAX_COUNT = 1000


def _count(text: str, row: Row, column: str, problems: Problems, most: int) -> int:
    """A whole number 0 … ``most`` (blank: 0; a wrong one is reported and read as 0)."""
    return importing.parse_whole(text, row.number, column, problems, most=most, blank=0) or 0


def _time(text: str, row: Row, column: str, problems: Problems, default: dt.time) -> dt.time:
    if not text:
        return default
    try:
        return roc.parse_time(text)
    except ValueError:
        problems.add(row.number, column, f"時間格式不正確：「{text}」（例：09:00 或上午9時）。")
        return default


class SeriesIndex:
    """Series by name or code."""

    def __init__(self) -> None:
        self.by_key = {}
        for series in MeetingSeries.objects.all():
            self.by_key[series.name] = series
            self.by_key[series.code] = series

    def find(self, text: str, row: Row, column: str, problems: Problems) -> MeetingSeries | None:
        if not text:
            return None
        found = self.by_key.get(text.strip())
        if found is None:
            known = "、".join(sorted({s.name for s in self.by_key.values()})) or "（尚無）"
            problems.add(
                row.number, column, f"找不到會議系列「{text}」（現有：{known}；請先於系統中設定）。"
            )
        return found


# --- meetings --------------------------------------------------------------------------------------


class MeetingImporter(Importer):
    type = "meetings"
    label = "府級會議"
    columns = (
        Column(SERIES, True, "會議系列的名稱或代號，例：市政會議（須先於系統中設定）。"),
        Column(NUMBER, False, "第幾次會議（正整數）。"),
        Column(DATE, True, "會議日期；同一會議系列一天一場（自然鍵：會議系列＋日期）。"),
        Column(STARTS, False, "空白為上午9時。"),
        Column(ENDS, False, "空白為中午12時。"),
        Column(PLACE, True, "最長 100 字。", 100),
        Column(DISTRICT, False, f"行動會議的行政區（{'、'.join(DISTRICTS)}）；空白為非行動會議。"),
        *(Column(name, False, "該次會議的案數（場數），空白為0。") for name in COUNT_COLUMNS),
        Column(PAPERLESS, False, "是或否；空白為是（電子化會議）。"),
    )

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        today = timezone.localdate()
        series_index = SeriesIndex()
        seen: dict[tuple[int, dt.date], int] = {}
        read = []
        for row in rows:
            found = len(problems)
            series = series_index.find(row[SERIES], row, SERIES, problems)
            held_on = importing.parse_date(row[DATE], row.number, DATE, problems, not_after=today)
            number = importing.parse_positive(row[NUMBER], row.number, NUMBER, problems)
            starts = _time(row[STARTS], row, STARTS, problems, dt.time(9, 0))
            ends = _time(row[ENDS], row, ENDS, problems, dt.time(12, 0))
            if starts >= ends:
                problems.add(row.number, ENDS, "結束時間須晚於開始時間。")
            district = row[DISTRICT]
            if district and district not in DISTRICTS:
                problems.add(row.number, DISTRICT, f"「{district}」不是臺北市的行政區。")
            counts = {
                field: _count(row[column], row, column, problems, MAX_COUNT)
                for column, field in COUNT_COLUMNS.items()
            }
            paperless = (
                importing.parse_choice(row[PAPERLESS], row.number, PAPERLESS, problems, YES_NO)
                or "yes"
            ) == "yes"
            if series is not None and held_on is not None:
                key = (series.pk, held_on)
                if key in seen:
                    problems.add(
                        row.number, DATE, f"與第{seen[key]}列是同一會議系列、同一天的會議。"
                    )
                seen.setdefault(key, row.number)
            if len(problems) == found:
                title = (
                    f"第{number:,}次{series.name}"
                    if number
                    else f"{roc.format_date(held_on)}{series.name}"
                )
                if district:
                    title += f"（行動{series.name}：{district}）"
                read.append(
                    (
                        row,
                        Meeting(
                            series=series,
                            number=number,
                            title=title,
                            held_on=held_on,
                            starts_at=starts,
                            ends_at=ends,
                            place=row[PLACE],
                            district=district,
                            status=MeetingStatus.HELD,
                            paperless=paperless,
                            imported=True,
                            **counts,
                        ),
                    )
                )
            tick()
        plan = Plan()
        existing = {
            (m.series_id, m.held_on): m
            for m in Meeting.objects.filter(held_on__in={m.held_on for _, m in read})
        }
        compared = ("number", "starts_at", "ends_at", "place", "district", "paperless", "status")
        compared += tuple(COUNT_COLUMNS.values())
        for row, meeting in read:
            before = existing.get((meeting.series_id, meeting.held_on))
            if before is None:
                plan.new.append(meeting)
                continue
            differ = [
                Meeting._meta.get_field(name).verbose_name
                for name in compared
                if getattr(before, name) != getattr(meeting, name)
            ]
            if differ:
                problems.add(
                    row.number,
                    DATE,
                    f"{meeting.series.name}於{roc.format_date(meeting.held_on)}的會議已存在，"
                    f"但{'、'.join(str(d) for d in differ)}與檔案不同；匯入不會修改既有會議。",
                )
            else:
                plan.unchanged += 1
        return plan

    def write(self, plan: Plan, *, by) -> None:
        services.import_meetings(plan.new)


# --- meeting-tallies -------------------------------------------------------------------------------

AGENCY = "機關"
MONTH = "月份"
MEETINGS = "會議場次"
PAPERLESS_MEETINGS = "電子化會議場次"
SHEETS = "節省A4紙張"
_ROC_MONTH = re.compile(r"(?:民國)?(\d{2,3})\s*[/.年-]\s*(\d{1,2})\s*月?")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def parse_month(text: str, row: Row, column: str, problems: Problems) -> dt.date | None:
    """115/07, 115年7月, 2026-07 (or any day of the month) → the month's first day."""
    folded = unicodedata.normalize("NFKC", text).strip()
    try:
        if match := _ISO_MONTH.fullmatch(folded):
            return dt.date(int(match[1]), int(match[2]), 1)
        if match := _ROC_MONTH.fullmatch(folded):
            return dt.date(int(match[1]) + 1911, int(match[2]), 1)
        return roc.parse_date(folded).replace(day=1)
    except ValueError:
        problems.add(row.number, column, f"月份格式不正確：「{text}」（例：115/07、115年7月）。")
        return None


class TallyImporter(Importer):
    type = "meeting-tallies"
    label = "電子化會議統計"
    columns = (
        Column(AGENCY, True, "機關全銜、簡稱或舊名（自然鍵：機關＋月份）。"),
        Column(MONTH, True, "例：115/07、115年7月。"),
        Column(MEETINGS, True, "該月會議場次（不含本平台召開的府級會議）。"),
        Column(PAPERLESS_MEETINGS, True, "其中電子化會議的場次。"),
        Column(SHEETS, False, "節省的A4紙張數；空白為0。"),
    )

    @cached_property
    def agencies(self) -> AgencyIndex:
        return AgencyIndex.build()

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        today = timezone.localdate()
        seen: dict[tuple[int, dt.date], int] = {}
        read = []
        for row in rows:
            found = len(problems)
            month = parse_month(row[MONTH], row, MONTH, problems)
            if month is not None and month > today:
                problems.add(row.number, MONTH, "月份不可晚於本月。")
            agency = importing.parse_agency(
                self.agencies, row[AGENCY], row.number, AGENCY, problems, month, record="統計"
            )
            meetings = _count(row[MEETINGS], row, MEETINGS, problems, 1_000_000)
            paperless = _count(
                row[PAPERLESS_MEETINGS], row, PAPERLESS_MEETINGS, problems, 1_000_000
            )
            sheets = _count(row[SHEETS], row, SHEETS, problems, 10**12)
            if paperless > meetings:
                problems.add(row.number, PAPERLESS_MEETINGS, "電子化會議場次不可多於會議場次。")
            if agency is not None and month is not None:
                key = (agency.pk, month)
                if key in seen:
                    problems.add(row.number, MONTH, f"與第{seen[key]}列是同一機關、同一月份。")
                seen.setdefault(key, row.number)
            if len(problems) == found:
                read.append(
                    (
                        row,
                        PaperlessTally(
                            agency=agency,
                            month=month,
                            meetings=meetings,
                            paperless=paperless,
                            sheets_saved=sheets,
                        ),
                    )
                )
            tick()
        plan = Plan()
        existing = {
            (t.agency_id, t.month): t
            for t in PaperlessTally.objects.filter(month__in={t.month for _, t in read})
        }
        for row, tally in read:
            before = existing.get((tally.agency_id, tally.month))
            if before is None:
                plan.new.append(tally)
            elif (before.meetings, before.paperless, before.sheets_saved) == (
                tally.meetings,
                tally.paperless,
                tally.sheets_saved,
            ):
                plan.unchanged += 1
            else:
                problems.add(
                    row.number,
                    MONTH,
                    f"{tally.agency.short_name}{roc.format_month(tally.month.year, tally.month.month)}"
                    "的統計已匯入且數字不同；匯入不會修改既有資料。",
                )
        return plan

    def write(self, plan: Plan, *, by) -> None:
        services.import_tallies(plan.new)


# --- meeting-directives ----------------------------------------------------------------------------

MEETING_DATE = "會議日期"
KIND = "類別"
LEAD_RELEASED = "主辦解除列管日期"
CO_RELEASED = "協辦解除列管日期"
RELEASE_REASON = "解除列管理由"
KINDS = {label: value for value, label in ResolutionKind.choices}


class DirectiveImporter(CaseImporter):
    type = "meeting-directives"
    label = "府級會議裁示事項"
    kind = kinds.DIRECTIVE
    received_column = MEETING_DATE
    related = ("meeting_directive",)
    columns = (
        COLUMN_NUMBER,
        Column(SERIES, True, "會議系列名稱或代號。"),
        Column(MEETING_DATE, True, "給予裁示之會議的日期（該會議須已存在，可先匯入 meetings）。"),
        Column(KIND, False, "裁示或決議；空白為裁示。"),
        COLUMN_SUBJECT,
        COLUMN_BODY,
        Column(LEAD, True, "主辦機關（改分後）。"),
        Column(CO, False, "多個以「、」分隔。"),
        COLUMN_ROUTED,
        Column(
            COLUMN_DUE.name,
            False,
            "下次進度報告期限：一個日期代表全部機關，或依主辦、協辦順序以「、」分隔；"
            f"空白為分辦日期後{kinds.FIRST_REPORT_DAYS}個工作天。",
        ),
        Column(LEAD_RELEASED, False, "主辦機關解除列管之日。"),
        Column(CO_RELEASED, False, "一個日期代表全部協辦機關，或依協辦機關順序以「、」分隔。"),
        Column(RELEASE_REASON, False, "有解除列管日期時必填。", 200),
        COLUMN_MOVES,
        COLUMN_EXTENSIONS,
        COLUMN_CLOSED,
    )

    @cached_property
    def series(self) -> SeriesIndex:
        return SeriesIndex()

    @cached_property
    def meetings(self) -> dict[tuple[int, dt.date], Meeting]:
        return {(m.series_id, m.held_on): m for m in Meeting.objects.all()}

    def read(self, row: Row, problems: Problems) -> CaseRecord | None:
        found = len(problems)
        held_on = self.date(row, MEETING_DATE, problems)
        series = self.series.find(row[SERIES], row, SERIES, problems)
        meeting = None
        if series is not None and held_on is not None:
            meeting = self.meetings.get((series.pk, held_on))
            if meeting is None:
                problems.add(
                    row.number,
                    MEETING_DATE,
                    f"找不到{series.name}於{roc.format_date(held_on)}的會議，請先匯入會議（meetings）。",
                )
        kind = (
            importing.parse_choice(row[KIND], row.number, KIND, problems, KINDS)
            if row[KIND]
            else ResolutionKind.DIRECTIVE
        )
        parts = self.parts(
            row, problems, held_on, lambda co_count: self._released(row, problems, co_count)
        )
        released = parts is not None and any(part.replied_on for part in parts)
        reason = row[RELEASE_REASON]
        if released and not reason:
            problems.add(row.number, RELEASE_REASON, "已解除列管的事項，請填寫解除列管理由。")
        record = self.case_record(
            row,
            problems,
            parts=parts,
            received_on=held_on,
            channel=Channel.MEETING,
            own={SERIES: meeting.pk if meeting else None, KIND: kind},
        )
        if record is None or len(problems) > found:
            return None
        with_reasons = tuple(
            dataclasses.replace(part, release_reason=reason if part.replied_on else "")
            for part in record.case.parts
        )
        record.case = dataclasses.replace(record.case, parts=with_reasons)
        return record

    def _released(self, row: Row, problems: Problems, co_count: int):
        found = len(problems)
        lead = self.date(row, LEAD_RELEASED, problems)
        texts = importing.split_list(row[CO_RELEASED])
        if texts and not co_count:
            problems.add(row.number, CO_RELEASED, "沒有協辦機關，不應填協辦解除列管日期。")
        elif len(texts) > 1 and len(texts) != co_count:
            problems.add(
                row.number,
                CO_RELEASED,
                f"有 {len(texts)} 個日期，但協辦機關有 {co_count} 個。",
            )
        if len(problems) > found:
            return None
        if len(texts) == 1:
            texts = texts * co_count
        co = [self.date_text(text, row, problems) for text in texts or [""] * co_count]
        if len(problems) > found:
            return None
        return [(lead, LEAD_RELEASED)] + [(day, CO_RELEASED) for day in co]

    def date_text(self, text: str, row: Row, problems: Problems) -> dt.date | None:
        return importing.parse_date(text, row.number, CO_RELEASED, problems, not_after=self.today)

    def own_values(self, case) -> dict[str, Any]:
        directive = getattr(case, "meeting_directive", None)
        if directive is None:
            return {SERIES: None, KIND: None}
        return {SERIES: directive.meeting_id, KIND: directive.kind}

    def own_record(self, case, record: CaseRecord) -> Directive:
        return Directive(case=case, meeting_id=record.own[SERIES], kind=record.own[KIND])


IMPORTERS = (MeetingImporter, TallyImporter, DirectiveImporter)
