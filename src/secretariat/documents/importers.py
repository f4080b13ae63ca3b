"""Importing document history (``secretariat import document-history FILE``): counts from the
document systems this platform replaces, so the report of a past half-year comes out of
records. Format: ``docs/import.md``.

One row is a **count**: how many documents of one agency on one day had the same 文別, 速別,
來源 and 簽核方式 (件數), and among them how many were closed late (逾期件數), dispatched
(發文件數) and how many seal impressions they took (用印次數). A half-year of the whole city —
2.3 million documents — is a few thousand such rows rather than a file of millions. The
whole file is checked first; nothing is written if any row is wrong, and every wrong row is
listed. A row already imported with the same counts is unchanged; one with other counts for
the same day and kind is refused (correct it in the system, not by importing twice).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from secretariat.core import audit, importing, registry
from secretariat.core.importing import Column, Importer, Plan, Problems, Row
from secretariat.documents.models import DocType, HistoryTally, Origin, SigningMode, Speed

DATE, AGENCY, DOC_TYPE, SPEED, ORIGIN, MODE = "日期", "機關", "文別", "速別", "來源", "簽核方式"
COUNT, LATE, DISPATCHED, IMPRESSIONS = "件數", "逾期件數", "發文件數", "用印次數"
COUNT_MAX = 10_000_000

DOC_TYPES = {label: code for code, label in DocType.choices}
SPEEDS = {label: code for code, label in Speed.choices}
ORIGINS = {label: code for code, label in Origin.choices}
MODES = {"線上": SigningMode.ONLINE, "紙本": SigningMode.PAPER} | {
    label: code for code, label in SigningMode.choices
}
KEY = ("date", "agency_id", "doc_type", "speed", "origin", "signing_mode")
COUNTS = ("count", "late", "dispatched", "impressions")


class HistoryImporter(Importer):
    type = "document-history"
    label = "公文歷史統計"
    columns = (
        Column(DATE, True, "決行（辦結）日期：民國 114/03/05 或西元 2025-03-05。"),
        Column(AGENCY, True, "機關全銜、簡稱或當時的舊名。"),
        Column(DOC_TYPE, True, "、".join(DOC_TYPES)),
        Column(SPEED, True, "、".join(SPEEDS)),
        Column(ORIGIN, True, "紙本來文、電子來文或創稿。"),
        Column(MODE, True, "線上或紙本（線上簽核、紙本簽核）。"),
        Column(COUNT, False, "件數；空白為 1。"),
        Column(LATE, False, "其中逾期辦結件數；空白為 0。"),
        Column(DISPATCHED, False, "其中發文件數；空白為 0。"),
        Column(IMPRESSIONS, False, "用印次數；空白為 0。"),
    )

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        index = registry.AgencyIndex.build()
        today = timezone.localdate()
        plan = Plan()
        seen: dict[tuple, int] = {}
        wanted: dict[tuple, HistoryTally] = {}
        for row in rows:
            tally = self._read(row, problems, index, today)
            tick()
            if tally is None:
                continue
            key = tuple(getattr(tally, name) for name in KEY)
            if key in seen:
                problems.add(
                    row.number,
                    "",
                    f"與第{seen[key]}列的日期、機關、文別、速別、來源與簽核方式相同；請合併為一列。",
                )
                continue
            seen[key] = row.number
            wanted[key] = (row.number, tally)
        if problems:
            return plan
        dates = {key[0] for key in wanted}
        existing = {}
        if dates:
            for stored in HistoryTally.objects.filter(date__gte=min(dates), date__lte=max(dates)):
                existing[tuple(getattr(stored, name) for name in KEY)] = stored
        for key, (number, tally) in wanted.items():
            stored = existing.get(key)
            if stored is None:
                plan.new.append(tally)
            elif all(getattr(stored, n) == getattr(tally, n) for n in COUNTS):
                plan.unchanged += 1
            else:
                problems.add(
                    number,
                    COUNT,
                    "此日期、機關與類別已匯入不同的件數；請於系統中更正，不可重複匯入。",
                )
        return plan

    def _read(self, row: Row, problems: Problems, index, today) -> HistoryTally | None:
        found = len(problems)
        day = importing.parse_date(row[DATE], row.number, DATE, problems, not_after=today)
        agency = importing.parse_agency(
            index, row[AGENCY], row.number, AGENCY, problems, day, record="公文"
        )
        doc_type = importing.parse_choice(row[DOC_TYPE], row.number, DOC_TYPE, problems, DOC_TYPES)
        speed = importing.parse_choice(row[SPEED], row.number, SPEED, problems, SPEEDS)
        origin = importing.parse_choice(row[ORIGIN], row.number, ORIGIN, problems, ORIGINS)
        mode = importing.parse_choice(row[MODE], row.number, MODE, problems, MODES)
        count = importing.parse_whole(
            row[COUNT], row.number, COUNT, problems, most=COUNT_MAX, blank=1
        )
        late = importing.parse_whole(row[LATE], row.number, LATE, problems, most=COUNT_MAX, blank=0)
        dispatched = importing.parse_whole(
            row[DISPATCHED], row.number, DISPATCHED, problems, most=COUNT_MAX, blank=0
        )
        impressions = importing.parse_whole(
            row[IMPRESSIONS], row.number, IMPRESSIONS, problems, most=COUNT_MAX, blank=0
        )
        if count is not None and count < 1:
            problems.add(row.number, COUNT, "件數至少為 1。")
        for column, value in ((LATE, late), (DISPATCHED, dispatched)):
            if value is not None and count is not None and value > count:
                problems.add(row.number, column, f"不可大於件數（{count:,}）。")
        if late and origin == Origin.CREATED:
            problems.add(row.number, LATE, "創稿沒有收文處理時限，逾期件數須為 0。")
        if len(problems) > found:
            return None
        return HistoryTally(
            date=day,
            agency=agency,
            doc_type=doc_type,
            speed=speed,
            origin=origin,
            signing_mode=mode,
            count=count,
            late=late,
            dispatched=dispatched,
            impressions=impressions,
        )

    def write(self, plan: Plan, *, by) -> None:
        created = HistoryTally.objects.bulk_create(plan.new, batch_size=1000)
        audit.record_created(created)
