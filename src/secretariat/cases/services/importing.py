"""匯入: cases from the systems this platform replaces, each written as it stands — its old
number, dates, parts with their deadlines, 改分 and 展期 history, and its state."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

from secretariat.cases import kinds
from secretariat.cases.deadlines import days_deadline
from secretariat.cases.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseSequence,
    CaseStatus,
    Extension,
    Requester,
    RequestStatus,
)
from secretariat.cases.services.common import field_error, require
from secretariat.cases.services.intake import next_number
from secretariat.core import audit
from secretariat.core.errors import DomainError
from secretariat.core.models import Agency
from secretariat.core.permissions import is_administrator

# Sent with ``cases`` (the created rows) when import_cases wrote cases in bulk, without
# post_save: whatever derives from cases (the search index) catches up in the same transaction.
cases_imported = Signal()

ENDED_STATUSES = (CaseStatus.FILED, CaseStatus.WITHDRAWN)


@dataclass(frozen=True)
class ImportedExtension:
    """展期 as the old system recorded it: on ``decided_on`` the deadline became ``due_on``."""

    decided_on: dt.date
    due_on: dt.date


@dataclass(frozen=True)
class ImportedPart:
    """One agency's part of an imported case as the old system recorded it. Without
    ``due_on`` the deadline is the kind's working days from ``assigned_on`` (before any
    extension). ``withdrawn_on``: the part was moved to another agency (改分) that day.
    ``extensions``: its 展期, in order; the last one's deadline is the part's.
    ``release_reason``: a tracked part (列管) released (解除列管) on ``replied_on``."""

    agency: Agency
    role: str
    assigned_on: dt.date
    due_on: dt.date | None = None
    replied_on: dt.date | None = None
    withdrawn_on: dt.date | None = None
    extensions: tuple[ImportedExtension, ...] = ()
    release_reason: str = ""


@dataclass(frozen=True)
class ImportedCase:
    """A case as the old system recorded it: ``number`` None gets the next number.
    ``ended`` is 存查 or 撤回 (``CaseStatus.FILED`` / ``WITHDRAWN``) on ``closed_on`` with
    ``ended_reason``; such a case may have no part at all."""

    number: str | None
    subject: str
    body: str
    channel: str
    received_on: dt.date
    parts: tuple[ImportedPart, ...] = ()
    closed_on: dt.date | None = None
    requester: dict[str, str] | None = None
    ended: str | None = None
    ended_reason: str = ""

    @property
    def current_parts(self) -> tuple[ImportedPart, ...]:
        return tuple(part for part in self.parts if part.withdrawn_on is None)

    @property
    def lead(self) -> ImportedPart | None:
        return next((p for p in self.current_parts if p.role == AssignmentRole.LEAD), None)

    @property
    def status(self) -> str:
        """存查/撤回 as recorded; 結案 with a closing date; 已回復 when every part in force
        replied; 辦理中 with parts."""
        if self.ended is not None:
            return self.ended
        current = self.current_parts
        if self.closed_on is not None:
            return CaseStatus.CLOSED
        if current and all(part.replied_on for part in current):
            return CaseStatus.REPLIED
        return CaseStatus.IN_PROGRESS if current else CaseStatus.PENDING


def _check_imported(imported: ImportedCase, kind: kinds.CaseKind) -> None:
    current, number = imported.current_parts, imported.number or imported.subject
    if imported.ended is not None:
        if imported.ended not in ENDED_STATUSES:
            raise field_error("status", f"{number}：未知的狀態 {imported.ended}。")
        if imported.closed_on is None:
            raise field_error("closed_on", f"{number}：存查或撤回的案件須有日期。")
    elif current and sum(part.role == AssignmentRole.LEAD for part in current) != 1:
        raise field_error("parts", f"{number}：匯入案件須有一個主辦機關。")
    if len({part.agency.pk for part in current}) != len(current):
        raise field_error("parts", f"{number}：主辦與協辦機關重複。")
    if (
        imported.ended is None
        and imported.closed_on
        and not (current and all(part.replied_on for part in current))
    ):
        raise field_error("closed_on", f"{number}：已結案的案件，各機關都須有回復日期。")
    if kind.deadline is not None and any(part.due_on is None for part in imported.parts):
        raise field_error("parts", f"{number}：{kind.label}須提供每個機關的回復期限。")


def _import_numbers(kind: kinds.CaseKind, cases: Sequence[ImportedCase]) -> list[str]:
    """The cases' own numbers, and new ones for those without. Each yearly sequence is first
    raised to the highest number of the kind's own form (陳114000123) among them, so neither
    the new numbers nor later cases collide with an imported one."""
    given = [imported.number for imported in cases if imported.number]
    if len(set(given)) != len(given):
        raise DomainError("duplicate_number", "匯入的案件中有重複的案號。")
    for start in range(0, len(given), 500):
        taken = Case.objects.filter(number__in=given[start : start + 500]).first()
        if taken is not None:
            raise DomainError("number_taken", f"案號 {taken.number} 已存在。")
    highest: dict[int, int] = {}
    pattern = re.compile(rf"{re.escape(kind.prefix)}(\d{{3}})(\d{{6}})")
    for number in given:
        if match := pattern.fullmatch(number):
            year = int(match[1])
            highest[year] = max(highest.get(year, 0), int(match[2]))
    for year, last in highest.items():
        sequence, _ = CaseSequence.objects.select_for_update().get_or_create(
            prefix=kind.prefix, roc_year=year
        )
        if sequence.last < last:
            sequence.last = last
            sequence.save(update_fields=["last"])
    return [imported.number or next_number(kind.code, imported.received_on) for imported in cases]


def _part_status(part: ImportedPart, ended: bool) -> str:
    if part.withdrawn_on is not None:
        return AssignmentStatus.WITHDRAWN
    if part.replied_on is not None:
        return AssignmentStatus.REPLIED
    return AssignmentStatus.WITHDRAWN if ended else AssignmentStatus.ASSIGNED


@transaction.atomic
def import_cases(
    kind: str, cases: Sequence[ImportedCase], *, label: str = "import", by=None
) -> list[Case]:
    """匯入: cases from a system this platform replaces, each created as it stands in one go —
    its old number, dates, parts and state (``ImportedCase.status``: by the dates). This
    bypasses the live transitions on purpose: nobody is notified or mailed and no related
    cases are linked. ``routed_on`` is the first part's date; ``replied_on`` the last reply
    when every part in force replied. A part's deadline is its ``due_on``, or the kind's
    working days from its assignment; each 展期 is kept as an approved ``Extension`` and the
    last one's deadline is the part's. Parts moved by 改分 are kept withdrawn. Records are
    written in bulk and each gets its audit entry under ``label`` (importers:
    ``import:<type>``; the case's entry names its lead agency). The CLI (``by`` None) and
    administrators may import. Importers check each row first; this guards the engine's
    invariants only. Returns the cases in the order given."""
    require(by is None or is_administrator(by), "只有系統管理者或秘書處管理者可以匯入案件。")
    kind_rules = kinds.get(kind)
    for imported in cases:
        _check_imported(imported, kind_rules)
    numbers = _import_numbers(kind_rules, cases)
    created_by = by if getattr(by, "is_authenticated", False) else None

    def replied_on(imported: ImportedCase) -> dt.date | None:
        if imported.status not in (CaseStatus.REPLIED, CaseStatus.CLOSED):
            return None
        return max(part.replied_on for part in imported.current_parts)

    rows = Case.objects.bulk_create(
        Case(
            kind=kind,
            number=number,
            subject=imported.subject,
            body=imported.body,
            channel=imported.channel,
            received_on=imported.received_on,
            routed_on=min((p.assigned_on for p in imported.parts), default=None),
            replied_on=replied_on(imported),
            closed_on=imported.closed_on,
            status=imported.status,
            filed_reason=imported.ended_reason,
            created_by=created_by,
        )
        for number, imported in zip(numbers, cases, strict=True)
    )
    cache: dict[dt.date, dt.date] = {}

    def first_due(part: ImportedPart) -> dt.date:
        if part.due_on is not None:
            return part.due_on
        return days_deadline(kind, part.assigned_on, cache)

    pairs = [
        (case, part, imported.ended is not None)
        for case, imported in zip(rows, cases, strict=True)
        for part in imported.parts
    ]
    parts = Assignment.objects.bulk_create(
        Assignment(
            case=case,
            agency=part.agency,
            role=part.role,
            assigned_on=part.assigned_on,
            due_on=part.extensions[-1].due_on if part.extensions else first_due(part),
            status=_part_status(part, ended),
            replied_on=part.replied_on,
            release_reason=part.release_reason,
        )
        for case, part, ended in pairs
    )
    extensions = Extension.objects.bulk_create(
        Extension(
            assignment=row,
            reason="（匯入）",
            requested_on=extension.decided_on,
            requested_due_on=extension.due_on,
            previous_due_on=previous,
            status=RequestStatus.APPROVED,
            decided_on=extension.decided_on,
        )
        for row, (_, part, _) in zip(parts, pairs, strict=True)
        for extension, previous in zip(
            part.extensions,
            [first_due(part), *(e.due_on for e in part.extensions[:-1])],
            strict=False,  # no extension: one deadline and nothing to pair it with
        )
    )
    requesters = Requester.objects.bulk_create(
        Requester(case=case, **imported.requester)
        for case, imported in zip(rows, cases, strict=True)
        if imported.requester
    )
    leads = {
        case.pk: imported.lead.agency.pk if imported.lead else None
        for case, imported in zip(rows, cases, strict=True)
    }
    with audit.action(label):
        audit.record_created(rows, agency_of=lambda case: leads[case.pk])
        audit.record_created(parts)
        audit.record_created(extensions)
        audit.record_created(requesters)
    cases_imported.send(sender=Case, cases=rows)
    return rows
