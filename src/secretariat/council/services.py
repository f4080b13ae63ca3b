"""Writes of 府會事務. Council questions, data requests, service cases and commitments are
case kinds: these functions add the council's own fields and rules and leave routing,
deadlines, replies and states to the case engine (``cases.services``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from secretariat.cases import services as case_services
from secretariat.cases.models import Assignment, AssignmentStatus, CaseStatus, Channel
from secretariat.cases.permissions import REPLY_ROLES, acts_for, is_router
from secretariat.core import roc, workdays
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import Agency, RoleCode
from secretariat.council import kinds
from secretariat.council.models import (
    Asker,
    Councillor,
    CouncilQuestion,
    DataRequest,
    Dispute,
    DisputeKind,
    DisputeOutcome,
    Grade,
    QuestionEvent,
    ServiceCase,
    Session,
    Urgency,
)


def manages_council(user) -> bool:
    """The Secretariat's 府會 staff (and administrators): they record, route and decide."""
    return is_router(user, kinds.QUESTION)


def _require_council_staff(by) -> None:
    if not manages_council(by):
        raise PermissionDenied("只有秘書處府會業務人員可以執行此操作。")


def _invalid(errors: dict[str, list[str]]) -> DomainError:
    summary = "；".join(message for messages in errors.values() for message in messages)
    return DomainError("invalid", f"資料有誤：{summary}", errors)


def _today() -> dt.date:
    return timezone.localdate()


# --- Question events and questions (質詢側記) ----------------------------------------------------


@transaction.atomic
def create_event(
    *,
    session: Session,
    kind: str,
    title: str,
    start_on: dt.date,
    end_on: dt.date,
    sittings: int = 1,
    by,
) -> QuestionEvent:
    """A question event of a session, e.g. 市政總質詢 over 9 days."""
    _require_council_staff(by)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = ["請填寫名稱。"]
    if end_on < start_on:
        errors["end_on"] = ["迄日不可早於起日。"]
    elif not (session.start_on <= start_on and end_on <= session.end_on):
        errors["start_on"] = [
            f"日期須在{session}會期內（{roc.format_date(session.start_on)}至"
            f"{roc.format_date(session.end_on)}）。"
        ]
    if sittings < 1:
        errors["sittings"] = ["天數／場數至少為 1。"]
    if errors:
        raise _invalid(errors)
    return QuestionEvent.objects.create(
        session=session,
        kind=kind,
        title=title.strip(),
        start_on=start_on,
        end_on=end_on,
        sittings=sittings,
    )


@transaction.atomic
def record_question(
    *,
    event: QuestionEvent,
    councillors: Sequence[Councillor],
    asked_on: dt.date,
    subject: str,
    text: str,
    by,
) -> CouncilQuestion:
    """側記: one question item as it was asked, by one or more councillors (in the order
    given). It becomes a council-question case waiting to be routed."""
    _require_council_staff(by)
    errors: dict[str, list[str]] = {}
    if not councillors:
        errors["councillors"] = ["請選擇質詢議員。"]
    if not event.start_on <= asked_on <= event.end_on:
        errors["asked_on"] = [
            f"質詢日期須在{event.title}期間（{roc.format_date(event.start_on)}至"
            f"{roc.format_date(event.end_on)}）。"
        ]
    else:
        inactive = [c.name for c in councillors if not c.active_on(asked_on)]
        if inactive:
            errors["councillors"] = [f"{'、'.join(inactive)} 於質詢日期不在任。"]
    if len({c.pk for c in councillors}) != len(councillors):
        errors["councillors"] = ["質詢議員重複。"]
    if errors:
        raise _invalid(errors)
    case = case_services.register_case(
        kind=kinds.QUESTION,
        subject=subject,
        body=text,
        channel=Channel.COUNCIL,
        received_on=asked_on,
        by=by,
    )
    event = QuestionEvent.objects.select_for_update().get(pk=event.pk)
    last = event.questions.aggregate(last=Max("sequence"))["last"] or 0
    question = CouncilQuestion.objects.create(
        case=case, event=event, asked_on=asked_on, sequence=last + 1
    )
    Asker.objects.bulk_create(
        Asker(question=question, councillor=councillor, position=position)
        for position, councillor in enumerate(councillors)
    )
    return question


def route_question(
    question: CouncilQuestion,
    lead: Agency,
    co_agencies: Iterable[Agency] = (),
    *,
    by,
    on: dt.date | None = None,
) -> list[Assignment]:
    """分辦 a question to the agencies that answer it in writing (書面答復)."""
    return case_services.route_case(question.case, lead, co_agencies, by=by, on=on)


# --- Data requests (議員索資) --------------------------------------------------------------------


def due_date_for(urgency: str, received_on: dt.date) -> dt.date:
    """The 速別's deadline: its working days counted from the next working day."""
    return workdays.add_working_days(received_on, kinds.URGENCY_DAYS[urgency])


@transaction.atomic
def register_data_request(
    *,
    councillor: Councillor,
    subject: str,
    text: str,
    urgency: str,
    received_on: dt.date | None = None,
    custom_due_on: dt.date | None = None,
    by,
) -> DataRequest:
    """A councillor's request for data, with its 速別 (普通件 6 / 速件 3 / 最速件 1 working
    days) or a shorter deadline the councillor set."""
    _require_council_staff(by)
    received_on = received_on or _today()
    errors: dict[str, list[str]] = {}
    if urgency not in Urgency.values:
        errors["urgency"] = ["請選擇速別。"]
    elif custom_due_on is not None:
        longest = due_date_for(urgency, received_on)
        if custom_due_on < received_on:
            errors["custom_due_on"] = ["指定期限不可早於收件日期。"]
        elif custom_due_on > longest:
            errors["custom_due_on"] = [
                f"指定期限須短於{Urgency(urgency).label}期限（{roc.format_date(longest)}）。"
            ]
        elif not workdays.is_working_day(custom_due_on):
            errors["custom_due_on"] = [f"{roc.format_date(custom_due_on)} 不是上班日。"]
    if not councillor.active_on(received_on):
        errors["councillor"] = [f"{councillor.name} 於收件日期不在任。"]
    if errors:
        raise _invalid(errors)
    case = case_services.register_case(
        kind=kinds.DATA_REQUEST,
        subject=subject,
        body=text,
        channel=Channel.COUNCIL,
        received_on=received_on,
        by=by,
    )
    return DataRequest.objects.create(
        case=case, councillor=councillor, urgency=urgency, custom_due_on=custom_due_on
    )


def data_request_due_on(request: DataRequest) -> dt.date:
    return request.custom_due_on or due_date_for(request.urgency, request.case.received_on)


def route_data_request(
    request: DataRequest, agency: Agency, *, by, on: dt.date | None = None
) -> Assignment:
    """分辦 to the agency that owns the data; the deadline runs from the day it was received."""
    (part,) = case_services.route_case(
        request.case, agency, by=by, on=on, due_on=data_request_due_on(request)
    )
    return part


def _disputing_roles() -> set[str]:
    return REPLY_ROLES | {RoleCode.COUNCIL_LIAISON}


@transaction.atomic
def raise_dispute(
    assignment: Assignment, kind: str, reason: str, *, by, on: dt.date | None = None
) -> Dispute:
    """爭議: the agency contests that the data is its own (權管) or the request's scope."""
    assignment = Assignment.objects.select_related("case").get(pk=assignment.pk)
    if assignment.case.kind != kinds.DATA_REQUEST:
        raise DomainError("not_a_data_request", "只有議員索資案件可以提出爭議。")
    if not acts_for(by, assignment.agency_id, _disputing_roles()):
        raise PermissionDenied("只有受分辦機關的人員可以提出爭議。")
    if assignment.status not in (AssignmentStatus.ASSIGNED, AssignmentStatus.DRAFTED):
        raise DomainError("assignment_closed", "此分辦已回復或已改分，不能再提出爭議。")
    errors: dict[str, list[str]] = {}
    if kind not in DisputeKind.values:
        errors["kind"] = ["請選擇爭議類別。"]
    if not (reason or "").strip():
        errors["reason"] = ["請說明爭議理由。"]
    if errors:
        raise _invalid(errors)
    if assignment.disputes.filter(outcome="").exists():
        raise DomainError("dispute_pending", "此分辦已有待處理的爭議。")
    return Dispute.objects.create(
        assignment=assignment,
        kind=kind,
        reason=reason.strip(),
        raised_by=by,
        raised_on=on or _today(),
    )


@transaction.atomic
def decide_dispute(
    dispute: Dispute,
    outcome: str,
    note: str,
    *,
    by,
    new_agency: Agency | None = None,
    new_due_on: dt.date | None = None,
    on: dt.date | None = None,
) -> Dispute:
    """The Secretariat settles a dispute: keep the agency, move the part to ``new_agency``
    (改分, with a fresh deadline), or narrow the request; a new deadline may be set when the
    agency keeps the part."""
    _require_council_staff(by)
    dispute = Dispute.objects.select_for_update().select_related("assignment").get(pk=dispute.pk)
    if not dispute.pending:
        raise DomainError("already_decided", "此爭議已處理。")
    errors: dict[str, list[str]] = {}
    if outcome not in DisputeOutcome.values:
        errors["outcome"] = ["請選擇處理結果。"]
    if not (note or "").strip():
        errors["decision_note"] = ["請填寫處理說明。"]
    if outcome == DisputeOutcome.REROUTE and new_agency is None:
        errors["new_agency"] = ["改由其他機關辦理時，請選擇機關。"]
    if outcome == DisputeOutcome.REROUTE and new_due_on is not None:
        errors["new_due_on"] = ["改由其他機關辦理時，期限依速別重新起算。"]
    if errors:
        raise _invalid(errors)
    on = on or _today()
    if outcome == DisputeOutcome.REROUTE:
        case_services.reroute_part(dispute.assignment, new_agency, note, by=by, on=on)
    elif new_due_on is not None:
        case_services.set_due_date(dispute.assignment, new_due_on, note, by=by)
    dispute.outcome, dispute.decision_note = outcome, note.strip()
    dispute.decided_by, dispute.decided_on = by, on
    dispute.save()
    return dispute


# --- Councillor service cases (議員服務案件) -----------------------------------------------------


@transaction.atomic
def register_service_case(
    *,
    councillor: Councillor,
    subject: str,
    text: str,
    received_on: dt.date | None = None,
    requester: dict | None = None,
    by,
) -> ServiceCase:
    """A case a councillor brings on behalf of constituents (``requester``: the constituent,
    personal data handled by the engine)."""
    _require_council_staff(by)
    received_on = received_on or _today()
    if not councillor.active_on(received_on):
        raise _invalid({"councillor": [f"{councillor.name} 於收件日期不在任。"]})
    case = case_services.register_case(
        kind=kinds.SERVICE,
        subject=subject,
        body=text,
        channel=Channel.COUNCIL,
        received_on=received_on,
        requester=requester,
        by=by,
    )
    return ServiceCase.objects.create(case=case, councillor=councillor)


@transaction.atomic
def grade_and_close(service_case: ServiceCase, grade: str, *, by) -> ServiceCase:
    """結案 with its 處理等級: A 辦理完成, B 辦理中, C 計畫執行, D 無法執行."""
    _require_council_staff(by)
    if grade not in Grade.values:
        raise _invalid({"grade": ["請選擇處理等級（A、B、C、D）。"]})
    service_case = ServiceCase.objects.select_for_update().get(pk=service_case.pk)
    if service_case.case.status != CaseStatus.REPLIED:
        raise DomainError(
            "not_replied",
            f"案件目前為「{service_case.case.get_status_display()}」，各機關回復後才能評定等級並結案。",
        )
    case_services.close_case(service_case.case, by=by)
    service_case.grade = grade
    service_case.save()
    return service_case
