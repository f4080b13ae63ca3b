"""Writes of the case engine. Every function checks permission, validates, changes, audits
and enqueues notifications in one transaction, and raises DomainError (zh-Hant) on bad input.
Case kinds (petitions, council …) call these; they never change cases directly."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from secretariat.cases import kinds, suggest
from secretariat.cases.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseAttachment,
    CaseLink,
    CaseSequence,
    CaseStatus,
    Extension,
    Reassignment,
    Requester,
    RequestStatus,
    RoutingKeyword,
)
from secretariat.cases.permissions import (
    REPLY_ROLES,
    acts_for,
    is_router,
    may_see_requester,
)
from secretariat.core import audit, roc, workdays
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import Agency, RoleCode, User
from secretariat.core.permissions import is_administrator

# Sent (after commit) when every agency's reply to a case is in: kinds mail the requester.
case_replied = Signal()
# Sent with ``cases`` (the created rows) when import_cases wrote cases in bulk, without
# post_save: whatever derives from cases (the search index) catches up in the same transaction.
cases_imported = Signal()

ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
RELATED_WINDOW_DAYS = 90
RELATED_TEXT_RATIO = 0.9


def _today() -> dt.date:
    return timezone.localdate()


def _require(allowed: bool, message: str = "您沒有執行此操作的權限。") -> None:
    if not allowed:
        raise PermissionDenied(message)


def _transition(case: Case, step, label: str) -> None:
    try:
        step()
    except TransitionNotAllowed as error:
        raise DomainError(
            "illegal_transition",
            f"案件 {case.number} 目前為「{case.get_status_display()}」，不能{label}。",
        ) from error


def _field_error(field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(code, message, {field: [message]})


# --- Intake -------------------------------------------------------------------------------------


def max_attachment_bytes() -> int:
    return settings.CASE_ATTACHMENT_MAX_BYTES


def check_attachment(upload) -> str:
    """The content type of an acceptable upload, or a DomainError naming the file and reason."""
    name = upload.name or ""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in ALLOWED_ATTACHMENT_TYPES:
        allowed = "、".join(sorted(s.lstrip(".") for s in ALLOWED_ATTACHMENT_TYPES))
        raise _field_error(
            "attachments",
            f"附件「{name}」的檔案類型不被接受（僅限 {allowed}）。",
            "attachment_type",
        )
    if upload.size > max_attachment_bytes():
        limit = max_attachment_bytes() // (1024 * 1024)
        raise _field_error(
            "attachments", f"附件「{name}」超過 {limit} MB 的大小上限。", "attachment_size"
        )
    return ALLOWED_ATTACHMENT_TYPES[suffix]


def next_number(kind_code: str, received_on: dt.date) -> str:
    """陳115000123: the kind's prefix, the 民國 year, a six-digit yearly sequence."""
    kind = kinds.get(kind_code)
    year = roc.roc_year(received_on)
    sequence, _ = CaseSequence.objects.select_for_update().get_or_create(
        prefix=kind.prefix, roc_year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{kind.prefix}{year:03d}{sequence.last:06d}"


@transaction.atomic
def register_case(
    *,
    kind: str,
    subject: str,
    body: str,
    channel: str,
    received_on: dt.date | None = None,
    requester: dict | None = None,
    attachments: Sequence = (),
    confidential: bool = False,
    by=None,
) -> Case:
    """Record a newly received case (收件/錄案). ``requester`` holds name, email, phone,
    address. Related earlier cases are linked for the router."""
    kinds.get(kind)
    errors: dict[str, list[str]] = {}
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        errors["subject"] = ["請填寫主旨。"]
    elif len(subject) > 200:
        errors["subject"] = ["主旨不可超過 200 字。"]
    if not body:
        errors["body"] = ["請填寫內容。"]
    if received_on is not None:
        try:
            roc.roc_year(received_on)  # the case number carries the 民國 year
        except roc.RocDateError as error:
            errors["received_on"] = [str(error)]
    requester = {k: (v or "").strip() for k, v in (requester or {}).items()}
    if requester:
        if not requester.get("name"):
            errors["name"] = ["請填寫姓名。"]
        if requester.get("email"):
            try:
                validate_email(requester["email"])
            except ValidationError:
                errors["email"] = ["電子郵件格式不正確。"]
    content_types = []
    for upload in attachments:
        try:
            content_types.append(check_attachment(upload))
        except DomainError as error:
            errors.setdefault("attachments", []).extend(error.fields["attachments"])
    if errors:
        summary = "；".join(m for msgs in errors.values() for m in msgs)
        raise DomainError("invalid", f"資料有誤：{summary}", errors)

    received_on = received_on or _today()
    case = Case.objects.create(
        kind=kind,
        number=next_number(kind, received_on),
        subject=subject,
        body=body,
        channel=channel,
        received_on=received_on,
        confidential=confidential,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if requester:
        Requester.objects.create(
            case=case, **{k: requester.get(k, "") for k in ("name", "email", "phone", "address")}
        )
    _store_attachments(case, attachments, content_types)
    link_related(case)
    return case


def _store_attachments(
    case: Case, uploads: Sequence, content_types: list[str], assignment: Assignment | None = None
) -> None:
    for upload, content_type in zip(uploads, content_types, strict=True):
        CaseAttachment.objects.create(
            case=case,
            assignment=assignment,
            file=upload,
            original_name=upload.name[:200],
            size=upload.size,
            content_type=content_type,
        )


def link_related(case: Case) -> list[CaseLink]:
    """Link earlier cases of the same kind within the window: same requester (e-mail or
    phone), or near-identical text (difflib ratio ≥ 0.9)."""
    since = case.received_on - dt.timedelta(days=RELATED_WINDOW_DAYS)
    earlier = Case.objects.filter(kind=case.kind, received_on__gte=since).exclude(pk=case.pk)
    links = []
    requester = Requester.objects.filter(case=case).first()
    same_person = Q()
    if requester and requester.email:
        same_person |= Q(requester__email__iexact=requester.email)
    if requester and requester.phone:
        same_person |= Q(requester__phone=requester.phone)
    matched: dict[int, str] = {}
    if same_person:
        for other in earlier.filter(same_person).values_list("pk", flat=True)[:50]:
            matched[other] = "同一陳情人"
    for other_pk, other_body in earlier.exclude(pk__in=matched).values_list("pk", "body")[:500]:
        matcher = difflib.SequenceMatcher(None, case.body, other_body, autojunk=False)
        if matcher.quick_ratio() >= RELATED_TEXT_RATIO and matcher.ratio() >= RELATED_TEXT_RATIO:
            matched[other_pk] = "內容近似"
    for other_pk, reason in matched.items():
        links.append(CaseLink.objects.create(case=case, related_id=other_pk, reason=reason))
        CaseLink.objects.get_or_create(case_id=other_pk, related=case, defaults={"reason": reason})
    return links


# --- Import (匯入) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedPart:
    """One agency's part of an imported case as the old system recorded it. Without
    ``due_on`` the deadline is the kind's working days from ``assigned_on``."""

    agency: Agency
    role: str
    assigned_on: dt.date
    due_on: dt.date | None = None
    replied_on: dt.date | None = None


@dataclass(frozen=True)
class ImportedCase:
    """A case as the old system recorded it: ``number`` None gets the next number."""

    number: str | None
    subject: str
    body: str
    channel: str
    received_on: dt.date
    parts: tuple[ImportedPart, ...] = ()
    closed_on: dt.date | None = None
    requester: dict[str, str] | None = None

    @property
    def lead(self) -> ImportedPart | None:
        return next((p for p in self.parts if p.role == AssignmentRole.LEAD), None)

    @property
    def status(self) -> str:
        """結案 with a closing date; 已回復 when every part replied; 辦理中 with parts."""
        if self.closed_on is not None:
            return CaseStatus.CLOSED
        if self.parts and all(part.replied_on for part in self.parts):
            return CaseStatus.REPLIED
        return CaseStatus.IN_PROGRESS if self.parts else CaseStatus.PENDING


def _check_imported(imported: ImportedCase, kind: kinds.CaseKind) -> None:
    parts, number = imported.parts, imported.number or imported.subject
    if parts and sum(part.role == AssignmentRole.LEAD for part in parts) != 1:
        raise _field_error("parts", f"{number}：匯入案件須有一個主辦機關。")
    if len({part.agency.pk for part in parts}) != len(parts):
        raise _field_error("parts", f"{number}：主辦與協辦機關重複。")
    if imported.closed_on and not (parts and all(part.replied_on for part in parts)):
        raise _field_error("closed_on", f"{number}：已結案的案件，各機關都須有回復日期。")
    if kind.deadline is not None and any(part.due_on is None for part in parts):
        raise _field_error("parts", f"{number}：{kind.label}須提供每個機關的回復期限。")


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


@transaction.atomic
def import_cases(
    kind: str, cases: Sequence[ImportedCase], *, label: str = "import", by=None
) -> list[Case]:
    """匯入: cases from a system this platform replaces, each created as it stands in one go —
    its old number, dates, parts and state (``ImportedCase.status``: by the dates). This
    bypasses the live transitions on purpose: nobody is notified or mailed and no related
    cases are linked. ``routed_on`` is the first part's date; ``replied_on`` the last reply
    when every part replied. A kind with its own deadline rule (議員索資) passes every part's
    ``due_on``. Records are written in bulk and each gets its audit entry under ``label``
    (importers: ``import:<type>``; the case's entry names its lead agency). The CLI (``by``
    None) and administrators may import. Importers check each row first; this guards the
    engine's invariants only. Returns the cases in the order given."""
    _require(by is None or is_administrator(by), "只有系統管理者或秘書處管理者可以匯入案件。")
    kind_rules = kinds.get(kind)
    for imported in cases:
        _check_imported(imported, kind_rules)
    numbers = _import_numbers(kind_rules, cases)
    created_by = by if getattr(by, "is_authenticated", False) else None
    rows = Case.objects.bulk_create(
        Case(
            kind=kind,
            number=number,
            subject=imported.subject,
            body=imported.body,
            channel=imported.channel,
            received_on=imported.received_on,
            routed_on=min((p.assigned_on for p in imported.parts), default=None),
            replied_on=max(p.replied_on for p in imported.parts)
            if imported.status in (CaseStatus.REPLIED, CaseStatus.CLOSED)
            else None,
            closed_on=imported.closed_on,
            status=imported.status,
            created_by=created_by,
        )
        for number, imported in zip(numbers, cases, strict=True)
    )
    due_cache: dict[dt.date, dt.date] = {}

    def due(part: ImportedPart) -> dt.date:
        if part.due_on is not None:
            return part.due_on
        if part.assigned_on not in due_cache:
            days = kinds.rules_for(kind).reply_days
            due_cache[part.assigned_on] = workdays.add_working_days(part.assigned_on, days)
        return due_cache[part.assigned_on]

    parts = Assignment.objects.bulk_create(
        Assignment(
            case=case,
            agency=part.agency,
            role=part.role,
            assigned_on=part.assigned_on,
            due_on=due(part),
            status=AssignmentStatus.REPLIED if part.replied_on else AssignmentStatus.ASSIGNED,
            replied_on=part.replied_on,
        )
        for case, imported in zip(rows, cases, strict=True)
        for part in imported.parts
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
        audit.record_created(requesters)
    cases_imported.send(sender=Case, cases=rows)
    return rows


# --- Routing --------------------------------------------------------------------------------------


def _new_assignment(case: Case, agency: Agency, role: str, on: dt.date) -> Assignment:
    kind = kinds.get(case.kind)
    if kind.deadline is not None:
        due_on = kind.deadline(case, on)
    else:
        due_on = workdays.add_working_days(on, kinds.rules_for(case.kind).reply_days)
    return Assignment.objects.create(
        case=case, agency=agency, role=role, assigned_on=on, due_on=due_on
    )


def _notify_agency(agency: Agency, title: str, url: str, roles: Iterable[str]) -> None:
    for person in User.objects.filter(
        agency=agency, is_active=True, roles__code__in=list(roles)
    ).distinct():
        core_services.notify(person, title, url=url, mail=True)


@transaction.atomic
def route_case(
    case: Case, lead: Agency, co_agencies: Iterable[Agency] = (), *, by, on: dt.date | None = None
) -> list[Assignment]:
    """分辦: route to one lead agency and any co-agencies. Each gets the kind's deadline for
    parts assigned on ``on`` (default today): its working days counted from the next working
    day, unless the kind sets deadlines itself (e.g. a data request's 速別)."""
    _require(is_router(by, case.kind), "只有秘書處分辦人員可以分辦案件。")
    co_agencies = [a for a in co_agencies if a.pk != lead.pk]
    if len({a.pk for a in co_agencies}) != len(co_agencies):
        raise _field_error("co_agencies", "協辦機關重複。")
    case = Case.objects.select_for_update().get(pk=case.pk)
    on = on or _today()
    with audit.action("transition:route"):
        _transition(case, case.start, "分辦")
        case.routed_on = on
        case.save()
    created = [_new_assignment(case, lead, AssignmentRole.LEAD, on)]
    created += [_new_assignment(case, agency, AssignmentRole.CO, on) for agency in co_agencies]
    for assignment in created:
        _notify_agency(
            assignment.agency,
            f"新分辦案件 {case.number}（{assignment.get_role_display()}）：{case.subject}",
            case.get_absolute_url(),
            [RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR],
        )
    suggest.record(case, lead, co_agencies, by=by)  # the suggester learns from the choice
    return created


@transaction.atomic
def assign_officer(assignment: Assignment, officer: User, *, by) -> Assignment:
    kind = assignment.case.kind
    supervisors = kinds.get(kind).approver_roles | {RoleCode.REGISTRY_CLERK}
    _require(is_router(by, kind) or acts_for(by, assignment.agency_id, supervisors))
    if officer.agency_id != assignment.agency_id:
        raise _field_error("officer", "承辦人必須屬於受分辦機關。")
    assignment.officer = officer
    assignment.save()
    core_services.notify(
        officer, f"您被指定承辦 {assignment.case.number}", url=assignment.case.get_absolute_url()
    )
    return assignment


def _active_assignment(assignment: Assignment) -> Assignment:
    assignment = Assignment.objects.select_for_update().select_related("case").get(pk=assignment.pk)
    if assignment.status not in (AssignmentStatus.ASSIGNED, AssignmentStatus.DRAFTED):
        raise DomainError("assignment_closed", "此分辦已回復或已改分，不能再申請。")
    return assignment


def _no_pending_request(case: Case) -> None:
    if (
        Reassignment.objects.filter(assignment__case=case, status=RequestStatus.PENDING).exists()
        or Extension.objects.filter(assignment__case=case, status=RequestStatus.PENDING).exists()
    ):
        raise DomainError("request_pending", f"案件 {case.number} 已有待核定的改分或展期申請。")


@transaction.atomic
def request_reassignment(
    assignment: Assignment,
    reason: str,
    *,
    by,
    suggested_agency: Agency | None = None,
    on: dt.date | None = None,
) -> Reassignment:
    """改分申請: the agency asks, with a reason, within the kind's limit (Taipei: by the next
    working day after routing)."""
    assignment = _active_assignment(assignment)
    _require(acts_for(by, assignment.agency_id, REPLY_ROLES), "只有受分辦機關的人員可以申請改分。")
    if not (reason or "").strip():
        raise _field_error("reason", "請說明改分理由。")
    on = on or _today()
    limit = workdays.add_working_days(
        assignment.assigned_on, kinds.rules_for(assignment.case.kind).reassign_days
    )
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
        reason=reason.strip(),
        suggested_agency=suggested_agency,
        requested_by=by,
        requested_on=on,
    )
    with audit.action("transition:request_reassignment"):
        _transition(case, case.await_reassignment, "申請改分")
        case.save()
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
    _require(is_router(by, request.assignment.case.kind), "只有秘書處分辦人員可以核定改分。")
    request = (
        Reassignment.objects.select_for_update()
        .select_related("assignment__case")
        .get(pk=request.pk)
    )
    if request.status != RequestStatus.PENDING:
        raise DomainError("already_decided", "此改分申請已核定。")
    on = on or _today()
    case, old = request.assignment.case, request.assignment
    if approve:
        new_agency = new_agency or request.suggested_agency
        if new_agency is None:
            raise _field_error("new_agency", "核准改分時請選擇改分後的機關。")
        request.new_assignment = _move_part(old, new_agency, on)
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.decided_by, request.decided_on, request.decision_note = by, on, note.strip()
    request.save()
    with audit.action("transition:decide_reassignment"):
        _transition(case, case.resume, "核定改分")
        case.save()
    return request


def _move_part(old: Assignment, new_agency: Agency, on: dt.date) -> Assignment:
    """Withdraw ``old`` and give its role to ``new_agency`` with a fresh deadline."""
    case = old.case
    if (
        case.assignments.exclude(status=AssignmentStatus.WITHDRAWN)
        .filter(agency=new_agency)
        .exists()
    ):
        raise _field_error("new_agency", f"{new_agency.short_name} 已是本案的受分辦機關。")
    old.status = AssignmentStatus.WITHDRAWN
    old.save()
    new = _new_assignment(case, new_agency, old.role, on)
    _notify_agency(
        new_agency,
        f"改分案件 {case.number}：{case.subject}",
        case.get_absolute_url(),
        [RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR],
    )
    return new


@transaction.atomic
def reroute_part(
    assignment: Assignment, new_agency: Agency, reason: str, *, by, on: dt.date | None = None
) -> Assignment:
    """改分 decided by the Secretariat itself (e.g. settling a dispute over which agency owns
    the matter): the part moves to ``new_agency`` with a fresh deadline."""
    assignment = _active_assignment(assignment)
    _require(is_router(by, assignment.case.kind), "只有秘書處分辦人員可以改分。")
    if not (reason or "").strip():
        raise _field_error("reason", "請說明改分理由。")
    with audit.action("transition:reroute"):
        new = _move_part(assignment, new_agency, on or _today())
    audit.record(
        assignment.case,
        "reroute",
        {"from": assignment.agency.short_name, "to": new_agency.short_name, "reason": reason},
        actor=audit.actor_of(by),
    )
    return new


@transaction.atomic
def set_due_date(assignment: Assignment, due_on: dt.date, reason: str, *, by) -> Assignment:
    """The Secretariat sets a part's deadline (e.g. after settling a dispute), with a reason."""
    assignment = _active_assignment(assignment)
    _require(is_router(by, assignment.case.kind), "只有秘書處分辦人員可以調整期限。")
    if not (reason or "").strip():
        raise _field_error("reason", "請說明調整期限的理由。")
    if due_on < assignment.assigned_on:
        raise _field_error(
            "due_on", f"期限不可早於分辦日期 {roc.format_date(assignment.assigned_on)}。"
        )
    if not workdays.is_working_day(due_on):
        raise _field_error("due_on", f"{roc.format_date(due_on)} 不是上班日。")
    assignment.due_on = due_on
    with audit.action("set_due_date"):
        assignment.save()
    audit.record(assignment, "set_due_date_reason", {"reason": reason}, actor=audit.actor_of(by))
    return assignment


@transaction.atomic
def request_extension(
    assignment: Assignment, reason: str, new_due_on: dt.date, *, by, on: dt.date | None = None
) -> Extension:
    """展期申請: a later deadline, with a reason."""
    assignment = _active_assignment(assignment)
    _require(acts_for(by, assignment.agency_id, REPLY_ROLES), "只有受分辦機關的人員可以申請展期。")
    if not (reason or "").strip():
        raise _field_error("reason", "請說明展期理由。")
    if new_due_on <= assignment.due_on:
        raise _field_error(
            "requested_due_on", f"展延日期必須晚於原期限 {roc.format_date(assignment.due_on)}。"
        )
    if not workdays.is_working_day(new_due_on):
        raise _field_error("requested_due_on", f"{roc.format_date(new_due_on)} 不是上班日。")
    case = assignment.case
    _no_pending_request(case)
    extension = Extension.objects.create(
        assignment=assignment,
        reason=reason.strip(),
        requested_due_on=new_due_on,
        requested_by=by,
        requested_on=on or _today(),
    )
    with audit.action("transition:request_extension"):
        _transition(case, case.await_extension, "申請展期")
        case.save()
    return extension


@transaction.atomic
def decide_extension(
    extension: Extension, *, approve: bool, by, on: dt.date | None = None
) -> Extension:
    _require(is_router(by, extension.assignment.case.kind), "只有秘書處分辦人員可以核定展期。")
    extension = (
        Extension.objects.select_for_update()
        .select_related("assignment__case")
        .get(pk=extension.pk)
    )
    if extension.status != RequestStatus.PENDING:
        raise DomainError("already_decided", "此展期申請已核定。")
    assignment, case = extension.assignment, extension.assignment.case
    if approve:
        extension.previous_due_on = assignment.due_on
        assignment.due_on = extension.requested_due_on
        assignment.save()
    extension.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    extension.decided_by, extension.decided_on = by, on or _today()
    extension.save()
    with audit.action("transition:decide_extension"):
        _transition(case, case.resume, "核定展期")
        case.save()
    return extension


# --- Replies ------------------------------------------------------------------------------------


@transaction.atomic
def draft_reply(
    assignment: Assignment,
    text: str,
    *,
    by,
    on: dt.date | None = None,
    attachments: Sequence = (),
) -> Assignment:
    """擬復: the agency's officer writes the reply, with any files that belong to it (e.g.
    the data a councillor asked for). Kinds without approval reply at once."""
    assignment = _active_assignment(assignment)
    _require(acts_for(by, assignment.agency_id, REPLY_ROLES), "只有受分辦機關的承辦人可以擬復。")
    if assignment.case.status != CaseStatus.IN_PROGRESS:
        raise DomainError(
            "illegal_transition",
            f"案件目前為「{assignment.case.get_status_display()}」，暫不能回復。",
        )
    if not (text or "").strip():
        raise _field_error("reply_text", "請填寫回復內容。")
    content_types = [check_attachment(upload) for upload in attachments]
    assignment.reply_text, assignment.drafted_by = text.strip(), by
    assignment.status = AssignmentStatus.DRAFTED
    with audit.action("transition:draft_reply"):
        assignment.save()
    _store_attachments(assignment.case, attachments, content_types, assignment)
    if not kinds.get(assignment.case.kind).reply_approval:
        return _complete_reply(assignment, by, on)
    _notify_agency(
        assignment.agency,
        f"{assignment.case.number} 回復待核",
        assignment.case.get_absolute_url(),
        [RoleCode.SUPERVISOR],
    )
    return assignment


@transaction.atomic
def approve_reply(
    assignment: Assignment, *, by, text: str | None = None, on: dt.date | None = None
) -> Assignment:
    """核定回復: a supervisor or head of the agency approves (optionally editing) the draft.
    The reply date is ``on`` (default today)."""
    assignment = Assignment.objects.select_for_update().select_related("case").get(pk=assignment.pk)
    _require(
        acts_for(by, assignment.agency_id, kinds.get(assignment.case.kind).approver_roles),
        "只有受分辦機關的主管或首長可以核定回復。",
    )
    if assignment.status != AssignmentStatus.DRAFTED:
        raise DomainError("not_drafted", "尚無待核的回復。")
    if text is not None:
        if not text.strip():
            raise _field_error("reply_text", "請填寫回復內容。")
        assignment.reply_text = text.strip()
    return _complete_reply(assignment, by, on)


def _complete_reply(assignment: Assignment, by, on: dt.date | None) -> Assignment:
    case = Case.objects.select_for_update().get(pk=assignment.case_id)
    on = on or _today()
    assignment.status, assignment.replied_on, assignment.approved_by = (
        AssignmentStatus.REPLIED,
        on,
        by,
    )
    with audit.action("transition:approve_reply"):
        assignment.save()
    if not case.assignments.filter(
        status__in=(AssignmentStatus.ASSIGNED, AssignmentStatus.DRAFTED)
    ).exists():
        with audit.action("transition:replied"):
            _transition(case, case.mark_replied, "標示為已回復")
            case.replied_on = on
            case.save()
        transaction.on_commit(lambda: case_replied.send(sender=Case, case=case))
    return assignment


@transaction.atomic
def close_case(case: Case, *, by) -> Case:
    _require(is_router(by, case.kind), "只有秘書處分辦人員可以結案。")
    case = Case.objects.select_for_update().get(pk=case.pk)
    with audit.action("transition:close"):
        _transition(case, case.close, "結案")
        case.closed_on = _today()
        case.save()
    return case


@transaction.atomic
def file_case(case: Case, reason: str, *, by) -> Case:
    """存查: filed without action (e.g. a duplicate or no request in it), with the reason."""
    _require(is_router(by, case.kind), "只有秘書處分辦人員可以存查。")
    if not (reason or "").strip():
        raise _field_error("filed_reason", "請說明存查理由。")
    case = Case.objects.select_for_update().get(pk=case.pk)
    with audit.action("transition:file"):
        _transition(case, case.file, "存查")
        case.filed_reason, case.closed_on = reason.strip(), _today()
        case.save()
    for assignment in case.assignments.filter(
        status__in=(AssignmentStatus.ASSIGNED, AssignmentStatus.DRAFTED)
    ):
        assignment.status = AssignmentStatus.WITHDRAWN
        assignment.save()
    return case


# --- Personal data ------------------------------------------------------------------------------


def reveal_requester(case: Case, *, by) -> Requester | None:
    """The requester's identity for someone whose role needs it; PermissionDenied for
    others, None when the case has no requester (e.g. an anonymous letter). Every reveal is
    audited."""
    if not may_see_requester(by, case):
        raise PermissionDenied("您的角色無權檢視陳情人個人資料。")
    requester = Requester.objects.filter(case=case).first()
    if requester is None:
        return None
    audit.record(case, "view_requester", {"requester": requester.pk}, actor=audit.actor_of(by))
    return requester


# --- The routing keyword table ----------------------------------------------------------------

ROUTING_KEYWORDS_PATH = Path(__file__).resolve().parent / "data" / "routing_keywords.json"
_KEYWORD_LENGTH = RoutingKeyword._meta.get_field("keyword").max_length


@dataclass(frozen=True)
class KeywordSeedResult:
    created: int
    unchanged: int

    def __str__(self) -> str:
        return f"新增 {self.created} 筆、已有 {self.unchanged} 筆"


def seed_routing_keywords(path: Path | None = None, *, by=None) -> KeywordSeedResult:
    """Create the keyword table's rows (分辦關鍵字) that ``path`` (default: the bundled seed,
    each agency's statutory duty terms) has and the table lacks, at weight 1. Rows already
    there — and their weights — are administrators' and stay as they are, so a second load
    writes nothing. The whole file is checked first: an unknown agency code or a bad term
    raises DomainError naming every one of them, and nothing is saved."""
    if by is not None:
        _require(is_administrator(by), "只有系統管理者或秘書處管理者可以載入分辦關鍵字。")
    path = Path(path) if path is not None else ROUTING_KEYWORDS_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        by_code = data["agencies"]
        if not isinstance(by_code, dict):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DomainError(
            "invalid_keywords",
            f"分辦關鍵字檔 {path.name} 無法讀取：應為含 agencies 物件的 JSON（{error}）。",
        ) from error
    agencies = Agency.objects.in_bulk(list(by_code), field_name="code")
    problems, wanted = [], []
    for code, terms in by_code.items():
        if code not in agencies:
            problems.append(f"機關代號 {code} 不在機關名錄中")
            continue
        if not isinstance(terms, list):
            problems.append(f"{code}：關鍵字應為字串清單")
            continue
        for term in terms:
            if not isinstance(term, str) or not term.strip() or len(term) > _KEYWORD_LENGTH:
                problems.append(f"{code}：關鍵字 {term!r} 應為 1 至 {_KEYWORD_LENGTH} 字")
            else:
                wanted.append((term.strip(), agencies[code]))
    if problems:
        raise DomainError("invalid_keywords", "分辦關鍵字檔有誤，未載入：" + "；".join(problems))
    existing = set(RoutingKeyword.objects.values_list("keyword", "agency_id"))
    created = 0
    with (
        transaction.atomic(),
        audit.acting_as(audit.actor_of(by)),
        audit.action("cases:seed_routing_keywords"),
    ):
        for term, agency in wanted:
            if (term, agency.pk) not in existing:
                RoutingKeyword.objects.create(keyword=term, agency=agency)
                existing.add((term, agency.pk))
                created += 1
    return KeywordSeedResult(created=created, unchanged=len(wanted) - created)
