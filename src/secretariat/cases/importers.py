"""What the importers of case kinds share (匯入): reading the case columns — 案號, the received
date, 主旨, 內容, the agencies with their reply dates, 分辦日期, 回復期限, 結案日期 — checking
them, comparing a row with a case imported before, and writing through
``services.import_case``. Each kind's importer (``petitions/importers.py``,
``council/importers.py``) adds its own columns and record."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from django.utils import timezone

from secretariat.cases import kinds
from secretariat.cases import services as case_services
from secretariat.cases.models import (
    BODY_MAX_LENGTH,
    AssignmentRole,
    AssignmentStatus,
    Case,
    Channel,
)
from secretariat.cases.services import ImportedCase, ImportedPart
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

MAX_NUMBER = Case._meta.get_field("number").max_length
MAX_SUBJECT = Case._meta.get_field("subject").max_length
# Existing cases are looked up this many numbers per query.
LOOKUP_CHUNK = 500

COLUMN_NUMBER = Column(NUMBER, True, "原系統案號（自然鍵），最長 20 字。")
COLUMN_SUBJECT = Column(SUBJECT, True, "最長 200 字。")
COLUMN_BODY = Column(
    BODY, False, f"案件內容，最長 {BODY_MAX_LENGTH:,} 字。", BODY_MAX_LENGTH, multiline=True
)
COLUMN_ROUTED = Column(ROUTED, False, "空白時為收件日期。")
COLUMN_DUE = Column(DUE, False, "每個機關的回復期限；空白時依工作天計算。")
COLUMN_CLOSED = Column(CLOSED, False, "填寫時案件為「結案」，各機關都須有回復日期。")


@dataclass
class PartRow:
    """An agency's part as read from a row, with the column its reply date came from."""

    agency: Agency
    role: str
    replied_on: dt.date | None
    reply_column: str


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

    @cached_property
    def reply_days(self) -> int:
        return kinds.rules_for(self.kind).reply_days

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
        if not name:
            return None
        found = self.agencies.find(name, on)
        if found is None:
            problems.add(
                row.number,
                column,
                f"找不到機關「{name}」（請用全銜、簡稱或舊名，且不可同時指多個機關）。",
            )
        return found

    def agency_list(
        self, row: Row, column: str, on: dt.date | None, problems: Problems
    ) -> list[Agency | None]:
        names = importing.split_list(row[column])
        if "" in names:
            problems.add(row.number, column, "機關名稱之間有空白項目。")
        return [self.agency(name, row, column, on, problems) for name in names if name]

    # --- A whole case

    def parts(
        self,
        row: Row,
        problems: Problems,
        received_on: dt.date | None,
        reply_dates: Callable[[int], list[tuple[dt.date | None, str]] | None],
        lead_column: str = LEAD,
    ) -> list[PartRow] | None:
        """The lead and co-agencies with their reply dates: ``reply_dates(co_count)`` gives
        (date, column) for the lead and then each co-agency, or None after a problem."""
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

    def case_record(
        self,
        row: Row,
        problems: Problems,
        *,
        parts: list[PartRow] | None,
        received_on: dt.date | None,
        channel: str = Channel.COUNCIL,
        due_rule: Callable[[dt.date], dt.date] | None = None,
        requester: dict[str, str] | None = None,
        own: dict[str, Any] | None = None,
    ) -> CaseRecord | None:
        """The row's case after the checks every kind shares: the date order 收件 ≤ 分辦 ≤
        回復 ≤ 結案 and a closed case replied by every agency. Without a 回復期限 in the file
        the deadline is ``due_rule(routed_on)`` (a kind's own rule) or the kind's working days.
        None when the row has problems."""
        found = len(problems)
        number = self.number(row, problems)
        subject = self.subject(row, problems)
        routed_on = self.date(row, ROUTED, problems) or received_on
        given_due = self.date(row, DUE, problems)
        closed_on = self.date(row, CLOSED, problems)
        if received_on is None or parts is None or len(problems) > found:
            return None
        if routed_on < received_on:
            self._too_early(row, ROUTED, self.received_column, received_on, problems)
        if given_due is not None and given_due < routed_on:
            self._too_early(row, DUE, ROUTED, routed_on, problems)
        for part in parts:
            if part.replied_on is not None and part.replied_on < routed_on:
                self._too_early(row, part.reply_column, ROUTED, routed_on, problems)
        if closed_on is not None:
            replies = [part.replied_on for part in parts]
            if None in replies:
                problems.add(row.number, CLOSED, "已結案的案件，各機關都須有回復日期。")
            elif closed_on < max(replies):
                self._too_early(row, CLOSED, REPLIED, max(replies), problems)
        if len(problems) > found:
            return None
        if given_due is not None:
            due = given_due
        elif due_rule is not None:
            due = due_rule(routed_on)
        else:
            due = self.working_days(routed_on, self.reply_days)
        case = ImportedCase(
            number=number,
            subject=subject,
            body=row[BODY],
            channel=channel,
            received_on=received_on,
            parts=tuple(
                ImportedPart(part.agency, part.role, routed_on, due, part.replied_on)
                for part in parts
            ),
            closed_on=closed_on,
            requester=requester,
        )
        return CaseRecord(row.number, case, given_due is not None, own or {})

    @staticmethod
    def _too_early(row: Row, column: str, other: str, day: dt.date, problems: Problems) -> None:
        problems.add(row.number, column, f"不可早於{other}（{roc.format_date(day)}）。")

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
        live = [a for a in case.assignments.all() if a.status != AssignmentStatus.WITHDRAWN]
        theirs = {(a.agency_id, a.role): a for a in live}
        mine = {(part.agency.pk, part.role): part for part in record.case.parts}
        if set(theirs) != set(mine):
            return [LEAD + "或" + CO]
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
