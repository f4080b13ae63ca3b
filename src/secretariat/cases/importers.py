"""What the importers of case kinds share (匯入): reading the case columns — 案號, the received
date, 主旨, 內容, the agencies with their reply dates, 分辦日期, 回復期限 (one for every part, or
one per part), the parts' 改分 and 展期 history, 結案日期 and 存查/撤回 — checking them,
comparing a row with a case imported before, and writing through ``services.import_cases``.
Each kind's importer (``petitions/importers.py``, ``council/importers.py``) adds its own
columns and record, and chooses which of the optional shared columns it takes."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from django.utils import timezone

from secretariat.cases import deadlines, kinds
from secretariat.cases import services as case_services
from secretariat.cases.models import (
    BODY_MAX_LENGTH,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseStatus,
    Channel,
    Requester,
)
from secretariat.cases.services import ImportedCase, ImportedExtension, ImportedPart
from secretariat.core import audit, importing, roc, workdays
from secretariat.core.audit import Audited
from secretariat.core.importing import Column, Importer, Plan, Problems, Row
from secretariat.core.models import Agency
from secretariat.core.registry import AgencyIndex

NUMBER = "案號"
RECEIVED = "收件日期"
SUBJECT = "主旨"
BODY = "內容"
LEAD = "主辦機關"
CO = "協辦機關"
ROUTED = "分辦日期"
DUE = "回復期限"
REPLIED = "回復日期"
CLOSED = "結案日期"
MOVES = "改分紀錄"
EXTENSIONS = "展期紀錄"
STATUS = "狀態"
ENDED_REASON = "存查撤回理由"
# Entries of a history column are separated by 「；」; an arrow separates from and to.
ENTRY_SEPARATORS = ("；", ";")
ARROWS = ("→", "->", "＞", ">")
ENDED = {"存查": CaseStatus.FILED, "撤回": CaseStatus.WITHDRAWN}

MAX_NUMBER = Case._meta.get_field("number").max_length
# The requester's fields and their lengths, for the kinds that import a requester.
REQUESTER_LIMITS = {
    field: Requester._meta.get_field(field).max_length
    for field in ("name", "email", "phone", "address")
}
MAX_SUBJECT = Case._meta.get_field("subject").max_length
# Existing cases are looked up this many numbers per query.
LOOKUP_CHUNK = 500

COLUMN_NUMBER = Column(NUMBER, True, "原系統案號（自然鍵），最長 20 字。")
COLUMN_SUBJECT = Column(SUBJECT, True, "最長 200 字。")
COLUMN_BODY = Column(
    BODY, False, f"案件內容，最長 {BODY_MAX_LENGTH:,} 字。", BODY_MAX_LENGTH, multiline=True
)
COLUMN_ROUTED = Column(ROUTED, False, "空白時為收件日期。")
COLUMN_DUE = Column(
    DUE,
    False,
    "一個日期代表全部機關，或依主辦、協辦順序以「、」分隔；空白時依工作天計算（展期前）。",
)
COLUMN_CLOSED = Column(CLOSED, False, "填寫時案件為「結案」，各機關都須有回復日期。")
COLUMN_MOVES = Column(
    MOVES,
    False,
    "改分：「114/01/06 工務局→交通局」，多筆以「；」分隔；主辦、協辦機關欄填改分後的機關。",
)
COLUMN_EXTENSIONS = Column(
    EXTENSIONS,
    False,
    "展期：「114/01/15 工務局→114/01/30」（核准日、機關、新期限），多筆以「；」分隔。",
)
COLUMN_STATUS = Column(
    STATUS,
    False,
    "空白依日期判斷；「存查」或「撤回」時主辦機關可空白，結案日期填存查或撤回之日。",
)
COLUMN_ENDED_REASON = Column(
    ENDED_REASON,
    False,
    "存查或撤回的理由。",
    Case._meta.get_field("filed_reason").max_length,
)


@dataclass
class PartRow:
    """An agency's part as read from a row, with the column its reply date came from."""

    agency: Agency
    role: str
    replied_on: dt.date | None
    reply_column: str


@dataclass(frozen=True)
class Move:
    """改分 read from a row: on ``on`` the part of ``source`` went to ``target``."""

    on: dt.date
    source: Agency
    target: Agency


@dataclass(frozen=True)
class ExtensionRow:
    """展期 read from a row: on ``on`` the part of ``agency`` got the deadline ``due_on``."""

    on: dt.date
    agency: Agency
    due_on: dt.date


@dataclass
class CaseRecord:
    """One row read as a case, with the kind's own values (keyed by their column names and
    compared as they are with a case imported before)."""

    row: int
    case: ImportedCase
    due_given: bool
    own: dict[str, Any] = field(default_factory=dict)

    @property
    def lead_agency_id(self) -> int | None:
        return self.case.lead.agency.pk if self.case.lead else None


class CaseImporter(Importer):
    """Base of the importers of a case kind. Subclasses set ``kind``, the columns, and
    implement :meth:`read` (a row → a CaseRecord, or None when it has problems),
    :meth:`own_record` (the kind's record beside the case) and :meth:`own_values` (the kind's
    values of a case imported before, keyed as ``CaseRecord.own``)."""

    kind: ClassVar[str]
    received_column: ClassVar[str] = RECEIVED
    unique = (NUMBER,)
    # Relations loaded with cases imported before, for the comparison.
    related: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.today = timezone.localdate()
        self._due: dict[tuple[dt.date, int], dt.date] = {}

    # --- Reading values

    @cached_property
    def agencies(self) -> AgencyIndex:
        return AgencyIndex.build()

    def kind_due(self, assigned_on: dt.date) -> dt.date:
        """The engine's deadline for the kind of a part assigned on a day (its working days,
        or its working hours from that day's opening), cached: rows share their dates."""
        key = (assigned_on, None)
        if key not in self._due:
            self._due[key] = deadlines.kind_deadline(self.kind, assigned_on).due_on
        return self._due[key]

    def working_days(self, start: dt.date, days: int) -> dt.date:
        """``days`` working days after ``start`` (cached: rows share their dates)."""
        key = (start, days)
        if key not in self._due:
            self._due[key] = workdays.add_working_days(start, days)
        return self._due[key]

    def date(self, row: Row, column: str, problems: Problems) -> dt.date | None:
        return importing.parse_date(row[column], row.number, column, problems, not_after=self.today)

    def number(self, row: Row, problems: Problems) -> str | None:
        number = "".join(unicodedata.normalize("NFKC", row[NUMBER]).split())
        if len(number) > MAX_NUMBER:
            problems.add(row.number, NUMBER, f"案號最長 {MAX_NUMBER} 字。")
        return number or None

    def subject(self, row: Row, problems: Problems) -> str:
        subject = row[SUBJECT]
        if len(subject) > MAX_SUBJECT:
            problems.add(
                row.number, SUBJECT, f"主旨最長 {MAX_SUBJECT} 字（本列 {len(subject)} 字）。"
            )
        return subject

    def agency(
        self, name: str, row: Row, column: str, on: dt.date | None, problems: Problems
    ) -> Agency | None:
        """The agency a full, short or former name meant on ``on`` (the received date); None
        for a blank name (a blank required value is reported already)."""
        return importing.parse_agency(self.agencies, name, row.number, column, problems, on)

    def agency_list(
        self, row: Row, column: str, on: dt.date | None, problems: Problems
    ) -> list[Agency | None]:
        names = importing.split_list(row[column])
        if "" in names:
            problems.add(row.number, column, "機關名稱之間有空白項目。")
        return [self.agency(name, row, column, on, problems) for name in names if name]

    # --- A whole case

    def ended(self, row: Row, problems: Problems) -> str | None:
        """存查 or 撤回 (``CaseStatus.FILED`` / ``WITHDRAWN``) from the 狀態 column, if the kind
        takes it; None for a case whose state follows its dates."""
        if STATUS not in row.values or not row[STATUS]:
            return None
        return importing.parse_choice(row[STATUS], row.number, STATUS, problems, ENDED)

    def parts(
        self,
        row: Row,
        problems: Problems,
        received_on: dt.date | None,
        reply_dates: Callable[[int], list[tuple[dt.date | None, str]] | None],
        lead_column: str = LEAD,
        ended: str | None = None,
    ) -> list[PartRow] | None:
        """The lead and co-agencies in force (after any 改分) with their reply dates:
        ``reply_dates(co_count)`` gives (date, column) for the lead and then each co-agency,
        or None after a problem. A case ended by 存查 or 撤回 may have no lead (no parts)."""
        if not row[lead_column]:
            if ended is not None:
                return []
            if not any(c.name == lead_column and c.required for c in self.columns):
                problems.add(row.number, lead_column, "必填（存查或撤回的案件除外）。")
            return None  # a blank required column is reported already
        lead = self.agency(row[lead_column], row, lead_column, received_on, problems)
        co = self.agency_list(row, CO, received_on, problems) if CO in row.values else []
        replies = reply_dates(len(co))
        if lead is None or None in co or replies is None:
            return None
        ids = [lead.pk] + [agency.pk for agency in co]
        if len(set(ids)) != len(ids):
            problems.add(row.number, CO, "協辦機關重複，或與主辦機關相同。")
            return None
        roles = [AssignmentRole.LEAD] + [AssignmentRole.CO] * len(co)
        return [
            PartRow(agency, role, replied_on, column)
            for agency, role, (replied_on, column) in zip([lead, *co], roles, replies, strict=True)
        ]

    def _entries(self, row: Row, column: str) -> list[str]:
        text = row[column] if column in row.values else ""
        for separator in ENTRY_SEPARATORS[1:]:
            text = text.replace(separator, ENTRY_SEPARATORS[0])
        return [entry.strip() for entry in text.split(ENTRY_SEPARATORS[0]) if entry.strip()]

    def _arrow(self, row: Row, column: str, entry: str, problems: Problems):
        """「114/01/06 工務局→交通局」 → (date, "工務局", "交通局"), or None after a problem."""
        for arrow in ARROWS:
            entry = entry.replace(arrow, ARROWS[0])
        head, _, target = entry.partition(ARROWS[0])
        day_text, _, source = head.strip().partition(" ")
        if not (target.strip() and source.strip() and day_text):
            example = "114/01/06 工務局→交通局" if column == MOVES else "114/01/15 工務局→114/01/30"
            problems.add(row.number, column, f"「{entry}」格式不正確，應如「{example}」。")
            return None
        day = importing.parse_date(day_text, row.number, column, problems, not_after=self.today)
        return (day, source.strip(), target.strip()) if day else None

    def moves(self, row: Row, problems: Problems, received_on: dt.date) -> list[Move] | None:
        """改分紀錄, in date order; None after a problem."""
        found, moves = len(problems), []
        for entry in self._entries(row, MOVES):
            read = self._arrow(row, MOVES, entry, problems)
            if read is None:
                continue
            day, source, target = read
            old = self.agency(source, row, MOVES, received_on, problems)
            new = self.agency(target, row, MOVES, day, problems)
            if old is not None and new is not None:
                moves.append(Move(day, old, new))
        return None if len(problems) > found else sorted(moves, key=lambda move: move.on)

    def extensions(self, row: Row, problems: Problems, received_on) -> list[ExtensionRow] | None:
        """展期紀錄, in date order; None after a problem."""
        found, extensions = len(problems), []
        for entry in self._entries(row, EXTENSIONS):
            read = self._arrow(row, EXTENSIONS, entry, problems)
            if read is None:
                continue
            day, name, due_text = read
            agency = self.agency(name, row, EXTENSIONS, received_on, problems)
            due = importing.parse_date(due_text, row.number, EXTENSIONS, problems)
            if agency is not None and due is not None:
                extensions.append(ExtensionRow(day, agency, due))
        return None if len(problems) > found else sorted(extensions, key=lambda e: e.on)

    def _given_due(self, row: Row, problems: Problems, count: int) -> list[dt.date | None]:
        """回復期限: one date for every part in force, or one per part (lead first)."""
        texts = importing.split_list(row[DUE]) if DUE in row.values else []
        if len(texts) > 1 and len(texts) != count:
            problems.add(
                row.number,
                DUE,
                f"有 {len(texts)} 個期限，但受分辦機關有 {count} 個；請依主辦、協辦順序逐一"
                "填寫，或只填一個日期代表全部。",
            )
            return [None] * count
        dates = [importing.parse_date(text, row.number, DUE, problems) for text in texts]
        return dates * count if len(dates) == 1 else dates or [None] * count

    def case_record(
        self,
        row: Row,
        problems: Problems,
        *,
        parts: list[PartRow] | None,
        received_on: dt.date | None,
        channel: str = Channel.COUNCIL,
        due_rule: Callable[[dt.date], dt.date | None] | None = None,
        requester: dict[str, str] | None = None,
        own: dict[str, Any] | None = None,
        ended: str | None = None,
    ) -> CaseRecord | None:
        """The row's case after the checks every kind shares: the date order 收件 ≤ 分辦 ≤
        改分 ≤ 回復 ≤ 結案, a closed case replied by every agency, 改分 from an agency that
        held a part, 展期 of a part to a later deadline. A part's deadline is the file's, or
        ``due_rule(assigned_on)`` (a kind's own rule; None leaves it to the engine), or the
        engine's count for the kind (``deadlines.kind_deadline``) from the day it was assigned
        (分辦日期, or its 改分 date). None when the row has problems."""
        found = len(problems)
        number = self.number(row, problems)
        subject = self.subject(row, problems)
        routed_on = self.date(row, ROUTED, problems) or received_on
        closed_on = self.date(row, CLOSED, problems)
        if received_on is None or parts is None or len(problems) > found:
            return None
        moves = self.moves(row, problems, received_on)
        extensions = self.extensions(row, problems, received_on)
        given = self._given_due(row, problems, len(parts))
        if moves is None or extensions is None or len(problems) > found:
            return None
        if ended is not None:
            if closed_on is None:
                problems.add(row.number, CLOSED, f"{STATUS}為存查或撤回時，請填寫其日期。")
            elif closed_on < routed_on:
                self._too_early(row, CLOSED, ROUTED, routed_on, problems)
        if routed_on < received_on:
            self._too_early(row, ROUTED, self.received_column, received_on, problems)
        held = self._history(row, problems, parts, moves, routed_on)
        if held is None or len(problems) > found:
            return None
        for part, due in zip(parts, given, strict=True):
            assigned_on = held[part.agency.pk][0]
            if due is not None and due < assigned_on:
                self._too_early(row, DUE, ROUTED, assigned_on, problems)
            if part.replied_on is not None and part.replied_on < assigned_on:
                self._too_early(row, part.reply_column, ROUTED, assigned_on, problems)
        if closed_on is not None and ended is None:
            replies = [part.replied_on for part in parts]
            if None in replies:
                problems.add(row.number, CLOSED, "已結案的案件，各機關都須有回復日期。")
            elif closed_on < max(replies):
                self._too_early(row, CLOSED, REPLIED, max(replies), problems)
        if len(problems) > found:
            return None

        def deadline(assigned_on: dt.date, due: dt.date | None) -> dt.date:
            if due is not None:
                return due
            own = due_rule(assigned_on) if due_rule is not None else None
            return own if own is not None else self.kind_due(assigned_on)

        imported_parts = []
        for part, due in zip(parts, given, strict=True):
            assigned_on, role = held[part.agency.pk][0], part.role
            imported_parts.append(
                (part.agency, role, assigned_on, deadline(assigned_on, due), part.replied_on, None)
            )
        for assigned_on, role, withdrawn_on, agency in held.values():
            if withdrawn_on is not None:
                imported_parts.append(
                    (agency, role, assigned_on, deadline(assigned_on, None), None, withdrawn_on)
                )
        built = self._with_extensions(row, problems, imported_parts, extensions)
        if built is None:
            return None
        case = ImportedCase(
            number=number,
            subject=subject,
            body=row[BODY],
            channel=channel,
            received_on=received_on,
            parts=built,
            closed_on=closed_on,
            requester=requester,
            ended=ended,
            ended_reason=row[ENDED_REASON] if ENDED_REASON in row.values else "",
        )
        return CaseRecord(row.number, case, any(due is not None for due in given), own or {})

    def _history(self, row, problems, parts, moves, routed_on):
        """Who held which part when: {agency pk: (assigned_on, role, withdrawn_on or None,
        agency)} for the parts in force and every agency a 改分 took a part from. The moves
        are walked back from the parts in force to where each part began."""
        held = {part.agency.pk: (routed_on, part.role, None, part.agency) for part in parts}
        for move in reversed(moves):
            current = held.get(move.target.pk)
            if current is None or (current[2] is not None and current[2] < move.on):
                problems.add(
                    row.number,
                    MOVES,
                    f"改分後的機關「{move.target.short_name}」須是主辦或協辦機關（或其後"
                    "再改分前的機關）。",
                )
                return None
            if move.source.pk in held:
                problems.add(
                    row.number, MOVES, f"「{move.source.short_name}」不能同時是改分前後的機關。"
                )
                return None
            if move.on < routed_on:
                self._too_early(row, MOVES, ROUTED, routed_on, problems)
                return None
            _, role, withdrawn_on, target = current
            held[move.target.pk] = (move.on, role, withdrawn_on, target)
            held[move.source.pk] = (routed_on, role, move.on, move.source)
        return held

    def _with_extensions(self, row, problems, parts, extensions):
        """The parts as ImportedPart, each with its 展期 in date order (every new deadline
        later than the one before, approved on or after the part was assigned)."""
        by_agency: dict[int, list[ExtensionRow]] = {}
        for extension in extensions:
            by_agency.setdefault(extension.agency.pk, []).append(extension)
        known = {agency.pk for agency, *_ in parts}
        for agency_pk, items in by_agency.items():
            if agency_pk not in known:
                name = items[0].agency.short_name
                problems.add(row.number, EXTENSIONS, f"「{name}」不是本案的受分辦機關。")
                return None
        built = []
        for agency, role, assigned_on, due, replied_on, withdrawn_on in parts:
            previous, kept = due, []
            for extension in by_agency.get(agency.pk, []):
                if extension.on < assigned_on:
                    self._too_early(row, EXTENSIONS, ROUTED, assigned_on, problems)
                    return None
                if extension.due_on <= previous:
                    problems.add(
                        row.number,
                        EXTENSIONS,
                        f"「{agency.short_name}」展期後的期限須晚於原期限"
                        f"（{roc.format_date(previous)}）。",
                    )
                    return None
                kept.append(ImportedExtension(extension.on, extension.due_on))
                previous = extension.due_on
            built.append(
                ImportedPart(
                    agency,
                    role,
                    assigned_on,
                    due,
                    replied_on,
                    withdrawn_on=withdrawn_on,
                    extensions=tuple(kept),
                )
            )
        return tuple(built)

    @staticmethod
    def _calendar_note(records: list[CaseRecord]) -> str | None:
        """What the working-day calendar says about the deadlines counted for these cases
        (e.g. a year before 民國95 is counted by weekends only)."""
        days = [
            day
            for record in records
            for part in record.case.parts
            for day in (part.assigned_on, part.due_on)
            if day is not None
        ]
        return workdays.calendar_note(min(days), max(days)) if days else None

    @staticmethod
    def _too_early(row: Row, column: str, other: str, day: dt.date, problems: Problems) -> None:
        # A 西元 or digits-only date says how it was read (2024/03/05 is 113年3月5日).
        problems.add(
            row.number,
            column,
            f"{importing.how_read(row[column])}不可早於{other}（{roc.format_date(day)}）。",
        )

    # --- Cases imported before

    def existing_cases(self, numbers: Iterable[str | None]) -> dict[str, Case]:
        wanted = sorted({number for number in numbers if number})
        found: dict[str, Case] = {}
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            chunk = wanted[start : start + LOOKUP_CHUNK]
            cases = (
                Case.objects.filter(number__in=chunk)
                .select_related("requester", *self.related)
                .prefetch_related("assignments")
            )
            found.update((case.number, case) for case in cases)
        return found

    def differences(self, record: CaseRecord, case: Case) -> list[str]:
        """The columns whose values differ from the case imported before. Deadlines the file
        leaves to the calendar are not compared (the rules may have changed since)."""
        imported, differ = record.case, []
        for column, mine, theirs in (
            (SUBJECT, imported.subject, case.subject),
            (BODY, imported.body, case.body),
            (self.received_column, imported.received_on, case.received_on),
            (CLOSED, imported.closed_on, case.closed_on),
        ):
            if mine != theirs:
                differ.append(column)
        if imported.channel != case.channel:
            differ.append("來源管道")
        differ += self._part_differences(record, case)
        if imported.requester != _requester_values(case):
            differ.append("陳情人")
        theirs = self.own_values(case)
        differ += [column for column, value in record.own.items() if theirs.get(column) != value]
        return differ

    def _part_differences(self, record: CaseRecord, case: Case) -> list[str]:
        parts = list(case.assignments.all())
        live = [a for a in parts if a.status != AssignmentStatus.WITHDRAWN]
        theirs = {(a.agency_id, a.role): a for a in live}
        mine = {(part.agency.pk, part.role): part for part in record.case.current_parts}
        if set(theirs) != set(mine):
            return [LEAD + "或" + CO]
        moved = {part.agency.pk for part in record.case.parts if part.withdrawn_on}
        withdrawn = {a.agency_id for a in parts if a.status == AssignmentStatus.WITHDRAWN}
        if record.case.ended is None and moved != withdrawn:
            return [MOVES]
        differ = set()
        for key, part in mine.items():
            other = theirs[key]
            if part.assigned_on != other.assigned_on:
                differ.add(ROUTED)
            if record.due_given and part.due_on != other.due_on:
                differ.add(DUE)
            if part.replied_on != other.replied_on:
                differ.add(REPLIED)
        return sorted(differ)

    def conflicts(self, record: CaseRecord, case: Case, problems: Problems) -> bool:
        """Report a row whose case was imported before with other data (or is of another
        kind): an import never changes a case."""
        if case.kind != self.kind:
            label = kinds.KINDS[case.kind].label if case.kind in kinds.KINDS else case.kind
            problems.add(record.row, NUMBER, f"案號 {case.number} 已是另一類別的案件（{label}）。")
            return True
        differ = self.differences(record, case)
        if differ:
            problems.add(
                record.row,
                NUMBER,
                f"案件 {case.number} 已匯入，但{'、'.join(differ)}與檔案不同；匯入不會修改"
                "既有案件，請在系統中更正或修改檔案。",
            )
        return bool(differ)

    # --- The import

    def read(self, row: Row, problems: Problems) -> CaseRecord | None:
        raise NotImplementedError

    def own_values(self, case: Case) -> dict[str, Any]:
        raise NotImplementedError

    def own_record(self, case: Case, record: CaseRecord) -> Audited:
        """The kind's record beside a new case (unsaved)."""
        raise NotImplementedError

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        records = []
        for row in rows:
            record = self.read(row, problems)
            if record is not None:
                records.append(record)
            tick()
        existing = self.existing_cases(record.case.number for record in records)
        plan = Plan()
        if note := self._calendar_note(records):
            plan.notes.append(f"注意：{note}")
        for record in records:
            case = existing.get(record.case.number)
            if case is None:
                plan.new.append(record)
            elif not self.conflicts(record, case, problems):
                plan.unchanged += 1
        return plan

    def write_cases(self, records: list[CaseRecord], *, by) -> list[Case]:
        return case_services.import_cases(
            self.kind, [record.case for record in records], label=self.action, by=by
        )

    def save_own(self, rows: list[Audited], records: list[CaseRecord]) -> None:
        """Bulk-create the kind's records (one per case record) with their audit entries."""
        if not rows:
            return
        type(rows[0]).objects.bulk_create(rows)
        leads = {id(row): record.lead_agency_id for row, record in zip(rows, records, strict=True)}
        audit.record_created(rows, agency_of=lambda row: leads[id(row)])

    def write(self, plan: Plan, *, by) -> None:
        cases = self.write_cases(plan.new, by=by)
        own = [self.own_record(c, r) for c, r in zip(cases, plan.new, strict=True)]
        self.save_own(own, plan.new)


def _requester_values(case: Case) -> dict[str, str] | None:
    try:
        requester = case.requester
    except Case.requester.RelatedObjectDoesNotExist:
        return None
    return {key: getattr(requester, key) for key in ("name", "email", "phone", "address")}
