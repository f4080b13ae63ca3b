"""分辦: routing a case to a lead assignee and co-assignees — agencies, units of agencies or
contractors — with each part's deadline; naming a part's officer; the Secretariat's own 改分
and deadline changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from secretariat.cases import kinds, notices, suggest
from secretariat.cases.deadlines import Deadline, part_deadline
from secretariat.cases.models import Assignment, AssignmentRole, AssignmentStatus, Case
from secretariat.cases.permissions import acts_for, is_router
from secretariat.cases.services.common import (
    field_error,
    guard,
    moment,
    notify_holders,
    require,
    required_reason,
    resolve,
    transition,
)
from secretariat.core import audit, roc, workdays
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError
from secretariat.core.models import Agency, Contractor, RoleCode, Unit, User


@dataclass(frozen=True)
class Assignee:
    """Who holds a part: an agency, one of its units, or a contractor it manages."""

    agency: Agency
    unit: Unit | None = None
    contractor: Contractor | None = None

    @property
    def key(self) -> tuple[int, int | None, int | None]:
        return (
            self.agency.pk,
            self.unit.pk if self.unit else None,
            self.contractor.pk if self.contractor else None,
        )

    @property
    def name(self) -> str:
        if self.contractor is not None:
            return str(self.contractor)
        if self.unit is not None:
            return f"{self.agency.short_name} {self.unit.name}"
        return self.agency.short_name


def as_assignee(holder: Agency | Unit | Contractor | Assignee) -> Assignee:
    """An agency, a unit or a contractor as the assignee of a part."""
    if isinstance(holder, Assignee):
        return holder
    if isinstance(holder, Unit):
        return Assignee(holder.agency, unit=holder)
    if isinstance(holder, Contractor):
        if not holder.is_active:
            raise field_error("lead", f"承攬廠商「{holder.name}」已停用。")
        return Assignee(holder.agency, unit=holder.unit, contractor=holder)
    return Assignee(holder)


def _deadline(case: Case, at: dt.datetime, due: Deadline | None) -> Deadline:
    return due if due is not None else part_deadline(case, at)


def new_part(
    case: Case, holder: Assignee, role: str, at: dt.datetime, due: Deadline | None = None
) -> Assignment:
    """A part for ``holder`` assigned at ``at``, with the kind's deadline (or ``due``)."""
    deadline = _deadline(case, at, due)
    return Assignment.objects.create(
        case=case,
        agency=holder.agency,
        unit=holder.unit,
        contractor=holder.contractor,
        role=role,
        assigned_on=timezone.localdate(at),
        assigned_at=at,
        due_on=deadline.due_on,
        due_at=deadline.due_at,
    )


def _check_due(due: Deadline, assigned_on: dt.date, field: str = "due_on") -> None:
    if due.due_on < assigned_on:
        raise field_error(field, f"期限不可早於分辦日期 {roc.format_date(assigned_on)}。")
    if not workdays.is_working_day(due.due_on):
        raise field_error(field, f"{roc.format_date(due.due_on)} 不是上班日。")


@transaction.atomic
def route_case(
    case: Case,
    lead: Agency | Unit | Contractor | Assignee,
    co_agencies: Iterable[Agency | Unit | Contractor | Assignee] = (),
    *,
    by,
    on: dt.date | None = None,
    due: Deadline | dt.date | None = None,
    due_reason: str = "",
) -> list[Assignment]:
    """分辦: route to one lead assignee and any co-assignees (agencies, units or contractors).
    Each part gets the kind's deadline for parts assigned now (or on ``on``); ``due`` sets
    another deadline for every part, with ``due_reason`` (audited)."""
    require(is_router(by, case.kind), "只有秘書處分辦人員可以分辦案件。")
    lead = as_assignee(lead)
    co = [as_assignee(holder) for holder in co_agencies]
    co = [holder for holder in co if holder.key != lead.key]
    if len({holder.key for holder in co}) != len(co):
        raise field_error("co_agencies", "協辦機關重複。")
    case = Case.objects.select_for_update().get(pk=case.pk)
    guard(case, "route", {}, by)
    at = moment(on)
    override = None
    if due is not None:
        override = due if isinstance(due, Deadline) else Deadline(due)
        _check_due(override, timezone.localdate(at))
        due_reason = required_reason(due_reason, "due_reason", "變更期限時請說明理由。")
    with audit.action("transition:route"):
        transition(case, case.start, "分辦")
        case.routed_on = timezone.localdate(at)
        case.save()
    created = [new_part(case, lead, AssignmentRole.LEAD, at, override)]
    created += [new_part(case, holder, AssignmentRole.CO, at, override) for holder in co]
    if override is not None:
        for part in created:
            audit.record(
                part, "set_due_date_reason", {"reason": due_reason}, actor=audit.actor_of(by)
            )
    for part in created:
        notify_holders(part, notices.new_part(part))
    # The suggester learns from the agencies chosen.
    suggest.record(case, lead.agency, [holder.agency for holder in co], by=by)
    return created


# Bulk routing takes at most this many cases in one step: a day's mail is a few pages of the
# list, and one transaction holding a hundred cases' locks is already long.
BULK_ROUTE_MAX = 100


def route_cases(
    cases: Iterable[Case],
    lead: Agency | Unit | Contractor | Assignee,
    co_agencies: Iterable[Agency | Unit | Contractor | Assignee] = (),
    *,
    by,
    due: Deadline | dt.date | None = None,
    due_reason: str = "",
) -> list[Assignment]:
    """分辦 several cases in one step: the same lead, co-assignees and (optionally) deadline
    for each, each through :func:`route_case`. All or nothing: when any case is refused, no
    case is routed and the error lists every refusal (「陳115000123：…」)."""
    cases, co = list(cases), list(co_agencies)
    if not cases:
        raise field_error("cases", "請勾選要分辦的案件。")
    if len(cases) > BULK_ROUTE_MAX:
        raise field_error("cases", f"一次最多分辦 {BULK_ROUTE_MAX} 件（已勾選 {len(cases)} 件）。")
    created: list[Assignment] = []
    refusals: list[str] = []
    fields: dict[str, list[str]] = {}
    with transaction.atomic():
        for case in cases:
            try:
                with transaction.atomic():
                    created += route_case(case, lead, co, by=by, due=due, due_reason=due_reason)
            except DomainError as error:
                refusals.append(f"{case.number}：{error.message}")
                for name, messages in error.fields.items():
                    known = fields.setdefault(name, [])
                    known += [message for message in messages if message not in known]
        if refusals:
            fields["cases"] = refusals
            summary = "；".join(refusals)
            raise DomainError(
                "bulk_refused",
                f"{len(refusals)} 件不能分辦，本次勾選的 {len(cases)} 件都未分辦：{summary}",
                fields,
            )
    return created


@transaction.atomic
def assign_officer(assignment: Assignment, officer: User, *, by) -> Assignment:
    """指定承辦人: a router, or the part's holder's supervisors (or 收發), names its officer."""
    kind = assignment.case.kind
    supervisors = kinds.get(kind).approver_roles | {RoleCode.REGISTRY_CLERK}
    require(is_router(by, kind) or acts_for(by, assignment, supervisors))
    if not acts_for(officer, assignment, {RoleCode.CASE_OFFICER, *supervisors}):
        raise field_error("officer", "承辦人必須是受分辦者的人員。")
    assignment.officer = officer
    assignment.save()
    title, body = notices.officer_named(assignment)
    core_services.notify(
        officer,
        title,
        body,
        url=assignment.case.get_absolute_url(),
        mail=True,
        subject=assignment,
    )
    return assignment


@transaction.atomic
def take_part(assignment: Assignment, *, by) -> Assignment:
    """指定由我承辦: one of the part's holders who may handle it (承辦人, or the supervisors
    and 收發 who may name its officer) becomes its officer — of a part nobody handles yet, or,
    for a supervisor, of any unanswered part of theirs."""
    assignment = Assignment.objects.select_for_update().select_related("case").get(pk=assignment.pk)
    supervisors = kinds.get(assignment.case.kind).approver_roles | {RoleCode.REGISTRY_CLERK}
    require(
        acts_for(by, assignment, {RoleCode.CASE_OFFICER, *supervisors}),
        "只有受分辦者的承辦人或主管可以承辦此分辦。",
    )
    if not assignment.is_active:
        raise DomainError("assignment_closed", "此分辦已回復或已改分。")
    if assignment.officer_id == by.pk:
        raise DomainError("already_officer", "您已是此分辦的承辦人。")
    if assignment.officer_id is not None and not acts_for(by, assignment, supervisors):
        raise DomainError(
            "officer_taken", f"此分辦已由{assignment.officer}承辦；如需改派，請洽主管指定。"
        )
    assignment.officer = by
    with audit.action("take_part"):
        assignment.save()
    return assignment


def active_part(assignment: Assignment) -> Assignment:
    assignment = Assignment.objects.select_for_update().select_related("case").get(pk=assignment.pk)
    if not assignment.is_active:
        raise DomainError("assignment_closed", "此分辦已回復或已改分，不能再申請。")
    return assignment


def move_part(old: Assignment, holder: Agency | Unit | Contractor | Assignee, on) -> Assignment:
    """Withdraw ``old`` and give its role to ``holder`` with a fresh deadline."""
    holder = as_assignee(holder)
    case = old.case
    taken = {
        (part.agency_id, part.unit_id, part.contractor_id)
        for part in case.assignments.current().exclude(pk=old.pk)
    }
    if holder.key in taken:
        raise field_error("new_agency", f"{holder.name} 已是本案的受分辦者。")
    old.status = AssignmentStatus.WITHDRAWN
    old.save()
    resolve(old)
    new = new_part(case, holder, old.role, moment(on))
    notify_holders(new, notices.moved_part(new))
    return new


@transaction.atomic
def reroute_part(
    assignment: Assignment,
    new_agency: Agency | Unit | Contractor | Assignee,
    reason: str,
    *,
    by,
    on: dt.date | None = None,
) -> Assignment:
    """改分 decided by the Secretariat itself (e.g. settling a dispute over which agency owns
    the matter): the part moves to ``new_agency`` with a fresh deadline."""
    assignment = active_part(assignment)
    require(is_router(by, assignment.case.kind), "只有秘書處分辦人員可以改分。")
    reason = required_reason(reason, "reason", "請說明改分理由。")
    holder = as_assignee(new_agency)
    with audit.action("transition:reroute"):
        new = move_part(assignment, holder, on)
    audit.record(
        assignment.case,
        "reroute",
        {"from": assignment.assignee_name, "to": holder.name, "reason": reason},
        actor=audit.actor_of(by),
    )
    return new


@transaction.atomic
def set_due_date(
    assignment: Assignment, due_on: dt.date | Deadline, reason: str, *, by
) -> Assignment:
    """The Secretariat sets a part's deadline (e.g. after settling a dispute), with a reason."""
    assignment = active_part(assignment)
    require(is_router(by, assignment.case.kind), "只有秘書處分辦人員可以調整期限。")
    reason = required_reason(reason, "reason", "請說明調整期限的理由。")
    due = due_on if isinstance(due_on, Deadline) else Deadline(due_on)
    _check_due(due, assignment.assigned_on)
    assignment.due_on, assignment.due_at = due.due_on, due.due_at
    with audit.action("set_due_date"):
        assignment.save()
    audit.record(assignment, "set_due_date_reason", {"reason": reason}, actor=audit.actor_of(by))
    return assignment
