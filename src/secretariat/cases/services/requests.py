"""改分 and 展期: a part's holder asks, with a reason; the Secretariat decides."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from secretariat.cases import kinds, notices
from secretariat.cases.models import Case, Extension, Reassignment, RequestStatus
from secretariat.cases.permissions import REPLY_ROLES, acts_for, is_router
from secretariat.cases.services.common import (
    advance,
    field_error,
    notify_routers,
    require,
    required_reason,
    resolve,
    today,
)
from secretariat.cases.services.routing import active_part, move_part
from secretariat.core import audit, roc, workdays
from secretariat.core.errors import DomainError
from secretariat.core.models import Agency


def _no_pending_request(case: Case) -> None:
    if (
        Reassignment.objects.filter(assignment__case=case, status=RequestStatus.PENDING).exists()
        or Extension.objects.filter(assignment__case=case, status=RequestStatus.PENDING).exists()
    ):
        raise DomainError("request_pending", f"案件 {case.number} 已有待核定的改分或展期申請。")


def reassign_until(assignment) -> dt.date:
    """The last day the holder may ask for 改分 (the kind's working days after routing)."""
    days = kinds.rules_for(assignment.case.kind).reassign_days
    return workdays.add_working_days(assignment.assigned_on, days)


@transaction.atomic
def request_reassignment(
    assignment,
    reason: str,
    *,
    by,
    suggested_agency: Agency | None = None,
    on: dt.date | None = None,
) -> Reassignment:
    """改分申請: the holder asks, with a reason, within the kind's limit (Taipei: by the next
    working day after routing)."""
    assignment = active_part(assignment)
    require(acts_for(by, assignment, REPLY_ROLES), "只有受分辦機關的人員可以申請改分。")
    reason = required_reason(reason, "reason", "請說明改分理由。")
    on = on or today()
    limit = reassign_until(assignment)
    if on > limit:
        raise DomainError(
            "reassign_too_late",
            f"改分申請期限為 {roc.format_date(limit)}，已逾期，請自行辦理或申請展期。",
            {"reason": ["已逾改分申請期限。"]},
        )
    case = assignment.case
    _no_pending_request(case)
    request = Reassignment.objects.create(
        assignment=assignment,
        reason=reason,
        suggested_agency=suggested_agency,
        requested_by=by,
        requested_on=on,
    )
    advance(case, "await_reassignment", "申請改分", "request_reassignment")
    suggested = f"建議改分機關：{suggested_agency.short_name}" if suggested_agency else ""
    notify_routers(
        request, notices.request_awaiting_decision("改分", assignment, reason, suggested)
    )
    return request


@transaction.atomic
def decide_reassignment(
    request: Reassignment,
    *,
    approve: bool,
    by,
    new_agency: Agency | None = None,
    note: str = "",
    on: dt.date | None = None,
) -> Reassignment:
    """The Secretariat approves (routing the part to ``new_agency``) or refuses a 改分 request."""
    require(is_router(by, request.assignment.case.kind), "只有秘書處分辦人員可以核定改分。")
    request = (
        Reassignment.objects.select_for_update()
        .select_related("assignment__case")
        .get(pk=request.pk)
    )
    if request.status != RequestStatus.PENDING:
        raise DomainError("already_decided", "此改分申請已核定。")
    on = on or today()
    case, old = request.assignment.case, request.assignment
    new_agency = new_agency or request.suggested_agency
    if approve and new_agency is None:
        raise field_error("new_agency", "核准改分時請選擇改分後的機關。")
    # One label for every record the decision changes: the history reads it as one step.
    with audit.action("transition:decide_reassignment"):
        if approve:
            request.new_assignment = move_part(old, new_agency, on)
        request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
        request.decided_by, request.decided_on, request.decision_note = by, on, note.strip()
        request.save()
        resolve(request)
        advance(case, "resume", "核定改分", "decide_reassignment")
    return request


@transaction.atomic
def request_extension(
    assignment, reason: str, new_due_on: dt.date, *, by, on: dt.date | None = None
) -> Extension:
    """展期申請: a later deadline, with a reason."""
    assignment = active_part(assignment)
    require(acts_for(by, assignment, REPLY_ROLES), "只有受分辦機關的人員可以申請展期。")
    reason = required_reason(reason, "reason", "請說明展期理由。")
    if new_due_on <= assignment.due_on:
        raise field_error(
            "requested_due_on", f"展延日期必須晚於原期限 {roc.format_date(assignment.due_on)}。"
        )
    if not workdays.is_working_day(new_due_on):
        raise field_error("requested_due_on", f"{roc.format_date(new_due_on)} 不是上班日。")
    case = assignment.case
    _no_pending_request(case)
    extension = Extension.objects.create(
        assignment=assignment,
        reason=reason,
        requested_due_on=new_due_on,
        requested_by=by,
        requested_on=on or today(),
    )
    advance(case, "await_extension", "申請展期", "request_extension")
    asked = f"申請展延至：{roc.format_date(new_due_on)}"
    notify_routers(extension, notices.request_awaiting_decision("展期", assignment, reason, asked))
    return extension


@transaction.atomic
def decide_extension(
    extension: Extension, *, approve: bool, by, on: dt.date | None = None
) -> Extension:
    """The Secretariat approves (the part's deadline becomes the day asked for, to the end of
    that day) or refuses a 展期 request."""
    require(is_router(by, extension.assignment.case.kind), "只有秘書處分辦人員可以核定展期。")
    extension = (
        Extension.objects.select_for_update()
        .select_related("assignment__case")
        .get(pk=extension.pk)
    )
    if extension.status != RequestStatus.PENDING:
        raise DomainError("already_decided", "此展期申請已核定。")
    assignment, case = extension.assignment, extension.assignment.case
    # One label for every record the decision changes; the decision before the deadline it
    # moves, so the history reads in that order.
    with audit.action("transition:decide_extension"):
        if approve:
            extension.previous_due_on = assignment.due_on
        extension.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
        extension.decided_by, extension.decided_on = by, on or today()
        extension.save()
        resolve(extension)
        if approve:
            assignment.due_on, assignment.due_at = extension.requested_due_on, None
            assignment.save()
        advance(case, "resume", "核定展期", "decide_extension")
    return extension
