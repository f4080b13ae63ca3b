"""回復: a holder's reply (drafted, then approved where the kind asks), progress reports of a
tracked part (列管) until it is released, and the case's end — 結案, 存查, 撤回."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from secretariat.cases import kinds, notices
from secretariat.cases.models import (
    Assignment,
    AssignmentStatus,
    Case,
    CaseStatus,
    ProgressReport,
)
from secretariat.cases.permissions import REPLY_ROLES, acts_for, holds, is_router, tracked_kinds
from secretariat.cases.services.common import (
    guard,
    moment,
    notify_holders,
    require,
    required_reason,
    resolve,
    today,
    transition,
)
from secretariat.cases.services.intake import check_attachment, store_attachments
from secretariat.cases.services.routing import active_part
from secretariat.core import audit, workdays
from secretariat.core.errors import DomainError
from secretariat.documents import selectors as documents


def _in_progress(assignment: Assignment) -> None:
    if assignment.case.status != CaseStatus.IN_PROGRESS:
        raise DomainError(
            "illegal_transition",
            f"案件目前為「{assignment.case.get_status_display()}」，暫不能回復。",
        )


@transaction.atomic
def draft_reply(
    assignment: Assignment,
    text: str,
    *,
    by,
    on: dt.date | None = None,
    attachments: Sequence = (),
    document_number: str = "",
) -> Assignment:
    """擬復: the holder's officer writes the reply, with any files that belong to it (e.g.
    the data a councillor asked for) and optionally the 公文 that answered (its 文號: a
    dispatched document of the part's agency the officer may see). Kinds without approval
    reply at once; a tracked kind (列管) is answered by progress reports instead."""
    assignment = active_part(assignment)
    require(acts_for(by, assignment, REPLY_ROLES), "只有受分辦機關的承辦人可以擬復。")
    _in_progress(assignment)
    kind = kinds.get(assignment.case.kind)
    if kind.tracking is not None:
        raise DomainError("tracked", f"{kind.label}為列管案件，請填報進度報告。")
    text = required_reason(text, "reply_text", "請填寫回復內容。")
    guard(assignment.case, "reply", {"text": text}, by)
    content_types = [check_attachment(upload) for upload in attachments]
    if document_number:
        assignment.reply_document = documents.reply_document(by, assignment.agency, document_number)
    assignment.reply_text, assignment.drafted_by = text, by
    assignment.status = AssignmentStatus.DRAFTED
    with audit.action("transition:draft_reply"):
        assignment.save()
    store_attachments(assignment.case, attachments, content_types, assignment)
    if not kind.reply_approval:
        return _complete(assignment, by, on)
    # The officer's part is done (the notices asking to reply); the approvers' begins.
    resolve(assignment)
    notify_holders(assignment, notices.draft_awaiting_approval(assignment, by), kind.approver_roles)
    return assignment


@transaction.atomic
def approve_reply(
    assignment: Assignment, *, by, text: str | None = None, on: dt.date | None = None
) -> Assignment:
    """核定回復: an approver of the holder (the kind's ``approver_roles``) approves,
    optionally editing, the draft. The reply date is ``on`` (default today)."""
    assignment = Assignment.objects.select_for_update().select_related("case").get(pk=assignment.pk)
    require(
        acts_for(by, assignment, kinds.get(assignment.case.kind).approver_roles),
        "只有受分辦機關的主管或首長可以核定回復。",
    )
    if assignment.status != AssignmentStatus.DRAFTED:
        raise DomainError("not_drafted", "尚無待核的回復。")
    if text is not None:
        assignment.reply_text = required_reason(text, "reply_text", "請填寫回復內容。")
    return _complete(assignment, by, on)


def _complete(assignment: Assignment, by, on: dt.date | None, label: str = "approve_reply"):
    """The part is answered; once every part is, the case is 已回復 and the kind hears of it
    after commit."""
    case = Case.objects.select_for_update().get(pk=assignment.case_id)
    assignment.status = AssignmentStatus.REPLIED
    assignment.replied_at = moment(on)
    assignment.replied_on = on or today()
    assignment.approved_by = by
    with audit.action(f"transition:{label}"):
        assignment.save()
    resolve(assignment)
    if not case.assignments.active().exists():
        with audit.action("transition:replied"):
            transition(case, case.mark_replied, "標示為已回復")
            case.replied_on = assignment.replied_on
            case.save()
        hook = kinds.get(case.kind).on_replied
        if hook is not None:
            # The replies answer the requesters of the cases merged into this one (併案) too.
            for answered in (case, *case.merged_cases.all()):
                transaction.on_commit(lambda answered=answered: hook(answered))
    return assignment


# --- Tracked parts (列管) ------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_report_due(assignment: Assignment, on: dt.date) -> dt.date:
    """The next progress report's deadline: the interval after the later of the deadline
    just answered and the day it was answered, on a working day."""
    tracking = kinds.get(assignment.case.kind).tracking
    base = max(assignment.due_on, on)
    due = _add_months(base, tracking.every_months)
    return due if workdays.is_working_day(due) else workdays.next_working_day(due)


def may_release(user, assignment: Assignment) -> bool:
    """解除列管: the tracking office's people with its roles when the kind names an office
    (``Tracking.office``); otherwise the kind's routers, or its tracking roles of the part's
    agency."""
    kind = kinds.get(assignment.case.kind)
    if kind.tracking is None:
        return False
    if kind.tracking.office is not None:
        return kind.code in tracked_kinds(user)
    if is_router(user, kind.code):
        return True
    return holds(user, assignment) and user.has_role(*kind.tracking.releaser_roles)


@transaction.atomic
def report_progress(
    assignment: Assignment,
    text: str,
    *,
    by,
    asks_release: bool = False,
    on: dt.date | None = None,
) -> ProgressReport:
    """進度報告 of a tracked part: what was done by the deadline it answers; the part's next
    deadline moves one interval on. ``asks_release`` proposes 解除列管 to the tracking
    office."""
    assignment = active_part(assignment)
    require(acts_for(by, assignment, REPLY_ROLES), "只有受分辦機關的人員可以填報進度。")
    _in_progress(assignment)
    if kinds.get(assignment.case.kind).tracking is None:
        raise DomainError("not_tracked", "此案件非列管案件，請直接擬復。")
    text = required_reason(text, "text", "請填寫辦理情形。")
    on = on or today()
    report = ProgressReport.objects.create(
        assignment=assignment,
        text=text,
        asks_release=asks_release,
        due_on=assignment.due_on,
        reported_on=on,
        reported_by=by,
    )
    assignment.due_on, assignment.due_at = next_report_due(assignment, on), None
    assignment.reply_text = text
    with audit.action("transition:report_progress"):
        assignment.save()
    resolve(assignment)  # the report the reminders asked for
    if asks_release:
        roles = kinds.get(assignment.case.kind).tracking.releaser_roles
        notify_holders(assignment, notices.release_asked(assignment), roles)
    return report


@transaction.atomic
def release_part(assignment: Assignment, reason: str, *, by, on: dt.date | None = None):
    """解除列管: the tracking office ends a tracked part, with the reason; the part counts as
    answered on that day."""
    assignment = active_part(assignment)
    require(may_release(by, assignment), "只有列管單位可以解除列管。")
    assignment.release_reason = required_reason(reason, "reason", "請說明解除列管理由。")
    return _complete(assignment, by, on, label="release")


# --- The end of a case ----------------------------------------------------------------------


@transaction.atomic
def close_case(case: Case, *, by, **fields: Any) -> Case:
    """結案, with the kind's closing ``fields`` (e.g. a service case's grade): the kind's
    guard may refuse, and its ``on_closed`` hook keeps them."""
    require(is_router(by, case.kind), "只有秘書處分辦人員可以結案。")
    case = Case.objects.select_for_update().get(pk=case.pk)
    guard(case, "close", fields, by)
    with audit.action("transition:close"):
        transition(case, case.close, "結案")
        case.closed_on = today()
        case.save()
    hook = kinds.get(case.kind).on_closed
    if hook is not None:
        hook(case, fields, by)
    return case


def _end_unanswered(case: Case, step: str, label: str, reason: str, by) -> Case:
    """存查 or 撤回: the case ends without replies; its unanswered parts are withdrawn."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    guard(case, step, {"reason": reason}, by)
    merged = list(case.merged_cases.values_list("number", flat=True))
    if merged:
        message = f"{'、'.join(merged)} 已併入本案，本案仍須回復其陳情人，不能{label}。"
        raise DomainError("has_merged_cases", message, {"filed_reason": [message]})
    with audit.action(f"transition:{step}"):
        transition(case, getattr(case, step), label)
        case.filed_reason, case.closed_on = reason, today()
        case.save()
        for assignment in case.assignments.active():
            assignment.status = AssignmentStatus.WITHDRAWN
            assignment.save()
            resolve(assignment)
    resolve(case)
    return case


@transaction.atomic
def file_case(case: Case, reason: str, *, by) -> Case:
    """存查: filed without action (e.g. a duplicate or no request in it), with the reason."""
    require(is_router(by, case.kind), "只有秘書處分辦人員可以存查。")
    reason = required_reason(reason, "filed_reason", "請說明存查理由。")
    return _end_unanswered(case, "file", "存查", reason, by)


@transaction.atomic
def withdraw_case(case: Case, reason: str, *, by) -> Case:
    """撤回: the requester withdrew the case (recorded by its router), with the reason."""
    require(is_router(by, case.kind), "只有秘書處分辦人員可以登錄撤回。")
    reason = required_reason(reason, "filed_reason", "請說明撤回原因。")
    return _end_unanswered(case, "withdraw", "撤回", reason, by)
