"""Importing the service desk's history (``secretariat import <type> FILE``; docs/import.md):

* ``service-desk-log`` (服務台服務紀錄): one row per day, kind, category, agency and referral
  with the number of citizens served (件數) — a day's tally, or a single visit;
* ``service-dispatches`` (派員通知紀錄): one row per call, with the arrival time;
* ``service-nursing-rooms`` (哺集乳室使用人次): one row per room and day.

Every file is checked whole first: nothing is written if any row is wrong. Importing the same
file again changes nothing (rows already imported are counted as unchanged)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cached_property

from django.utils import timezone

from secretariat.core import importing, roc
from secretariat.core.importing import Column, Importer, Plan, Problems, Row
from secretariat.core.registry import AgencyIndex
from secretariat.service import services
from secretariat.service.models import (
    NOTE_MAX_LENGTH,
    ArrivalBy,
    ConsultationCategory,
    DeskVisit,
    Dispatch,
    NursingRoom,
    NursingRoomUse,
    Referral,
    VisitKind,
    VisitSource,
)
from secretariat.service.permissions import is_desk_supervisor

DATE = "日期"
KIND = "類型"
CATEGORY = "類別"
AGENCY = "機關"
REFERRAL = "轉介"
COUNT = "件數"
NOTE = "備註"
KINDS = {label: value for value, label in VisitKind.choices}
REFERRALS = {label: value for value, label in Referral.choices if value}
# A day's tally of one category: far above what one desk serves in a day.
MAX_COUNT = 10_000
# Imported visits of a day are placed at noon: the report counts days and months only.
NOON = dt.time(12, 0)


def read_count(text_: str, row: Row, column: str, problems: Problems, bound: int) -> int | None:
    if not text_:
        return 1 if column == COUNT else None
    value = importing.parse_positive(text_, row.number, column, problems)
    if value is not None and value > bound:
        problems.add(row.number, column, f"不可超過 {bound:,}。")
        return None
    return value


def _moment(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


class DeskImporter(Importer):
    @classmethod
    def allowed(cls, user) -> bool:
        """The desk supervisor captures the desk's history, as administrators may."""
        return importing.may_import(user) or is_desk_supervisor(user)

    @cached_property
    def agencies(self) -> AgencyIndex:
        return AgencyIndex.build()


class CategoryIndex:
    """Every category by its code and by each of its names with the days the name was in
    force (a row names a category as it was called on the row's date)."""

    def __init__(self) -> None:
        self.by_code: dict[str, ConsultationCategory] = {}
        self.by_name: dict[str, list[ConsultationCategory]] = {}
        for category in ConsultationCategory.objects.prefetch_related("names"):
            self.by_code[row_key(category.code)] = category
            for name in category.names.all():
                self.by_name.setdefault(row_key(name.name), []).append(category)

    def find(self, text_: str, on: dt.date | None) -> tuple[ConsultationCategory | None, str]:
        """The category and "" — or None and why not."""
        key = row_key(text_)
        if key in self.by_code:
            return self.by_code[key], ""
        found = self.by_name.get(key, [])
        if on is not None:
            in_force = [c for c in found if row_key(c.name_on(on)) == key]
            if in_force:
                return in_force[0], ""
        if found:
            names = "、".join(sorted({c.name_on(on) for c in found})) if on else ""
            return None, f"「{text_}」於該日不是此類別的名稱（當時名稱：{names}）。"
        return None, f"找不到類別「{text_}」（請用類別名稱或代號）。"


def row_key(text_: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text_).split()).lower()


class DeskLogImporter(DeskImporter):
    type = "service-desk-log"
    label = "服務台服務紀錄"
    columns = (
        Column(DATE, True, f"服務日期（{importing.DATE_FORMS}）。"),
        Column(KIND, True, "諮詢服務或陳情服務（協處陳情）。"),
        Column(CATEGORY, False, "諮詢類別：當日的名稱或代號；諮詢服務必填。"),
        Column(AGENCY, False, "相關機關：全銜、簡稱或舊名。"),
        Column(REFERRAL, False, "轉介1999手語視訊或轉介機關櫃檯；空白為無。"),
        Column(COUNT, False, f"人次（件數）；空白為1，至多 {MAX_COUNT:,}。"),
        Column(NOTE, False, "備註（不含個人資料）。", max_length=NOTE_MAX_LENGTH),
    )

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        today = timezone.localdate()
        categories = CategoryIndex()
        seen: dict[tuple, int] = {}
        read: list[tuple[Row, tuple, int, DeskVisit]] = []
        for row in rows:
            found = len(problems)
            day = importing.parse_date(row[DATE], row.number, DATE, problems, not_after=today)
            kind = importing.parse_choice(row[KIND], row.number, KIND, problems, KINDS)
            category = None
            if row[CATEGORY]:
                category, why = categories.find(row[CATEGORY], day)
                if why:
                    problems.add(row.number, CATEGORY, why)
            agency = importing.parse_agency(
                self.agencies, row[AGENCY], row.number, AGENCY, problems, day, record="紀錄"
            )
            referral = importing.parse_choice(
                row[REFERRAL], row.number, REFERRAL, problems, REFERRALS
            )
            count = read_count(row[COUNT], row, COUNT, problems, MAX_COUNT)
            if kind is not None and len(problems) == found:
                errors: dict[str, list[str]] = {}
                services.validate_visit(
                    kind=kind, category=category, referral=referral or "", errors=errors, live=False
                )
                for messages in errors.values():
                    for message in messages:
                        problems.add(row.number, CATEGORY, message)
            if len(problems) == found:
                visit = DeskVisit(
                    served_at=_moment(day, NOON),
                    kind=kind,
                    category=category,
                    agency=agency,
                    referral=referral or "",
                    note=row[NOTE],
                    source=VisitSource.IMPORT,
                )
                key = (day, kind, category and category.pk, agency and agency.pk, visit.referral)
                # A day's kind, category, agency and referral is one row (件數 says how many).
                if key in seen:
                    problems.add(
                        row.number, DATE, f"與第{seen[key]}列是同一日、類型、類別、機關與轉介。"
                    )
                else:
                    seen[key] = row.number
                    read.append((row, key, count, visit))
            tick()
        return self._plan(read, problems)

    def _plan(self, read, problems: Problems) -> Plan:
        plan = Plan()
        if not read:
            return plan
        days = [key[0] for _, key, _, _ in read]
        first, last = min(days), max(days)
        existing = Counter(
            (
                timezone.localdate(v.served_at),
                v.kind,
                v.category_id,
                v.agency_id,
                v.referral,
            )
            for v in DeskVisit.objects.filter(
                source=VisitSource.IMPORT,
                served_at__gte=_moment(first, dt.time.min),
                served_at__lt=_moment(last + dt.timedelta(days=1), dt.time.min),
            )
        )
        for row, key, count, visit in read:
            before = existing.get(key, 0)
            if before == count:
                plan.unchanged += 1
            elif before:
                problems.add(
                    row.number,
                    COUNT,
                    f"{roc.format_date(key[0])}的這筆紀錄已匯入{before}件，與本列{count}件不同；"
                    "匯入不會修改既有資料。",
                )
            else:
                plan.new.extend(DeskVisit(**_fields(visit)) for _ in range(count))
        return plan

    def write(self, plan: Plan, *, by) -> None:
        services.import_visits(plan.new)


def _fields(visit: DeskVisit) -> dict:
    return {
        "served_at": visit.served_at,
        "kind": visit.kind,
        "category": visit.category,
        "agency": visit.agency,
        "referral": visit.referral,
        "note": visit.note,
        "source": visit.source,
    }


CALLED_ON = "通知日期"
CALLED_AT = "通知時間"
ARRIVED_AT = "到場時間"
PURPOSE = "事由"
CONTACT = "受話人員"


def _time(text_: str, row: Row, column: str, problems: Problems) -> dt.time | None:
    if not text_:
        return None
    try:
        return roc.parse_time(text_)
    except roc.RocDateError:
        problems.add(row.number, column, f"時間格式不正確：「{text_}」（例：14:05、下午2時5分）。")
        return None


class DispatchImporter(DeskImporter):
    type = "service-dispatches"
    label = "派員通知紀錄"
    columns = (
        Column(CALLED_ON, True, f"通知日期（{importing.DATE_FORMS}）。"),
        Column(CALLED_AT, True, "通知時間，例：14:05。"),
        Column(AGENCY, True, "通知機關：全銜、簡稱或舊名。"),
        Column(PURPOSE, True, "事由（不含個人資料）。", max_length=200),
        Column(CONTACT, False, "受話人員。", max_length=60),
        Column(ARRIVED_AT, False, "到場時間，例：14:12；空白為未到場。當日跨夜不適用。"),
    )

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        today = timezone.localdate()
        seen: dict[tuple, int] = {}
        read: list[tuple[Row, Dispatch]] = []
        for row in rows:
            found = len(problems)
            day = importing.parse_date(
                row[CALLED_ON], row.number, CALLED_ON, problems, not_after=today
            )
            called = _time(row[CALLED_AT], row, CALLED_AT, problems)
            arrived = _time(row[ARRIVED_AT], row, ARRIVED_AT, problems)
            agency = importing.parse_agency(
                self.agencies, row[AGENCY], row.number, AGENCY, problems, day, record="通知"
            )
            if called is not None and arrived is not None and arrived < called:
                problems.add(row.number, ARRIVED_AT, "到場時間不可早於通知時間。")
            key = (agency and agency.pk, day, called)
            if len(problems) == found and key in seen:
                problems.add(row.number, CALLED_AT, f"與第{seen[key]}列是同一機關、同一通知時間。")
            elif len(problems) == found:
                seen[key] = row.number
                read.append(
                    (
                        row,
                        Dispatch(
                            agency=agency,
                            called_at=_moment(day, called),
                            arrived_at=_moment(day, arrived) if arrived else None,
                            arrival_by=ArrivalBy.IMPORT if arrived else "",
                            purpose=row[PURPOSE],
                            contact=row[CONTACT],
                        ),
                    )
                )
            tick()
        plan = Plan()
        existing = {
            (d.agency_id, d.called_at): d
            for d in Dispatch.objects.filter(called_at__in=[d.called_at for _, d in read])
        }
        for row, dispatch in read:
            before = existing.get((dispatch.agency_id, dispatch.called_at))
            if before is None:
                plan.new.append(dispatch)
            elif (before.arrived_at, before.purpose) == (dispatch.arrived_at, dispatch.purpose):
                plan.unchanged += 1
            else:
                problems.add(
                    row.number,
                    CALLED_AT,
                    "此機關此時間的通知已匯入且內容不同；匯入不會修改既有資料。",
                )
        return plan

    def write(self, plan: Plan, *, by) -> None:
        services.import_dispatches(plan.new)


ROOM = "哺集乳室"
USES = "使用人次"


class NursingRoomImporter(DeskImporter):
    type = "service-nursing-rooms"
    label = "哺集乳室使用人次"
    columns = (
        Column(DATE, True, f"日期（{importing.DATE_FORMS}）。"),
        Column(ROOM, True, "哺集乳室名稱（須已設定）。"),
        Column(USES, True, "當日使用人次。"),
    )

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        today = timezone.localdate()
        rooms = {row_key(room.name): room for room in NursingRoom.objects.all()}
        seen: dict[tuple, int] = {}
        read: list[tuple[Row, NursingRoomUse]] = []
        for row in rows:
            found = len(problems)
            day = importing.parse_date(row[DATE], row.number, DATE, problems, not_after=today)
            room = rooms.get(row_key(row[ROOM])) if row[ROOM] else None
            if row[ROOM] and room is None:
                known = "、".join(r.name for r in rooms.values()) or "（尚未設定）"
                problems.add(row.number, ROOM, f"找不到哺集乳室「{row[ROOM]}」（可用：{known}）。")
            uses = read_count(row[USES], row, USES, problems, services.MAX_ROOM_USES)
            key = (room and room.pk, day)
            if len(problems) == found and key in seen:
                problems.add(row.number, DATE, f"與第{seen[key]}列是同一哺集乳室、同一日。")
            elif len(problems) == found:
                seen[key] = row.number
                read.append((row, NursingRoomUse(room=room, used_on=day, count=uses)))
            tick()
        plan = Plan()
        existing = {
            (u.room_id, u.used_on): u.count
            for u in NursingRoomUse.objects.filter(used_on__in=[u.used_on for _, u in read])
        }
        for row, use in read:
            before = existing.get((use.room_id, use.used_on))
            if before is None:
                plan.new.append(use)
            elif before == use.count:
                plan.unchanged += 1
            else:
                problems.add(
                    row.number, USES, f"此日已登錄{before}人次，與本列不同；匯入不會修改既有資料。"
                )
        return plan

    def write(self, plan: Plan, *, by) -> None:
        services.import_room_uses(plan.new)


IMPORTERS = (DeskLogImporter, DispatchImporter, NursingRoomImporter)
