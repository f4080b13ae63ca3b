"""Writes of 府會事務. Council questions, data requests, service cases and commitments are
case kinds: these functions add the council's own fields and rules and leave routing,
deadlines, replies and states to the case engine (``cases.services``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from secretariat.cases import selectors as case_selectors
from secretariat.cases import services as case_services
from secretariat.cases.kinds import OpenContext
from secretariat.cases.selectors import REPLY_ROLES, Channel, acts_for, is_router
from secretariat.core import audit, roc, workdays
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import Agency, RoleCode
from secretariat.council import kinds, selectors
from secretariat.council.models import (
    Asker,
    Attendance,
    Commitment,
    Councillor,
    CouncilQuestion,
    DataRequest,
    Dispute,
    DisputeKind,
    DisputeOutcome,
    Engagement,
    EngagementKind,
    Grade,
    Liaison,
    LiaisonMeeting,
    LiaisonMeetingKind,
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


def _today() -> dt.date:
    return timezone.localdate()


def _open(kind: str, subject: str, body: str, received_on, by, **fields):
    """A council case received from the council (the 府會 staff only), with the kind's own
    fields checked and written by its hooks; returns the kind's record."""
    _require_council_staff(by)
    case = case_services.open_case(
        kind,
        subject=subject,
        body=body,
        channel=Channel.COUNCIL,
        received_on=received_on,
        by=by,
        **fields,
    )
    return case.kind_record


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
        raise DomainError.invalid(errors)
    return QuestionEvent.objects.create(
        session=session,
        kind=kind,
        title=title.strip(),
        start_on=start_on,
        end_on=end_on,
        sittings=sittings,
    )


def validate_question(fields: Mapping[str, Any], context: OpenContext) -> dict[str, list[str]]:
    """A question's own fields (the council_question kind's ``validate`` hook): its event,
    councillors (in office on the day) and the day within the event."""
    event, councillors = fields["event"], list(fields.get("councillors") or ())
    asked_on = context.received_on
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
    return errors


def create_question(case, fields: Mapping[str, Any], context: OpenContext) -> CouncilQuestion:
    """The question item beside its case, numbered in its event (the ``create`` hook)."""
    councillors = list(fields["councillors"])
    event = QuestionEvent.objects.select_for_update().get(pk=fields["event"].pk)
    last = event.questions.aggregate(last=Max("sequence"))["last"] or 0
    question = CouncilQuestion.objects.create(
        case=case, event=event, asked_on=context.received_on, sequence=last + 1
    )
    Asker.objects.bulk_create(
        Asker(question=question, councillor=councillor, position=position)
        for position, councillor in enumerate(councillors)
    )
    audit.record(
        question,
        "set_askers",
        {"councillors": [c.name for c in councillors]},
        actor=audit.actor_of(context.by),
    )
    return question


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
    return _open(kinds.QUESTION, subject, text, asked_on, by, event=event, councillors=councillors)


# --- Data requests (議員索資) --------------------------------------------------------------------


def data_request_deadline(case, on: dt.date) -> dt.date:
    """The deadline of a data request's part assigned on ``on``: the councillor's own date
    when one was set, otherwise the 速別's working days counted from the next working day.
    (The case engine calls this for every part: at routing and after a 改分.)"""
    request = DataRequest.objects.get(case=case)
    if request.custom_due_on is not None:
        return request.custom_due_on
    return workdays.add_working_days(on, kinds.URGENCY_DAYS[request.urgency])


def validate_data_request(fields: Mapping[str, Any], context: OpenContext) -> dict[str, list[str]]:
    """A data request's own fields (the ``validate`` hook): its councillor, 速別 and the
    councillor's own deadline, shorter than the 速別's."""
    urgency, custom_due_on = fields.get("urgency"), fields.get("custom_due_on")
    councillor, received_on = fields["councillor"], context.received_on
    errors: dict[str, list[str]] = {}
    if urgency not in Urgency.values:
        errors["urgency"] = ["請選擇速別。"]
    elif custom_due_on is not None:
        longest = workdays.add_working_days(received_on, kinds.URGENCY_DAYS[urgency])
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
    return errors


def create_data_request(case, fields: Mapping[str, Any], context: OpenContext) -> DataRequest:
    return DataRequest.objects.create(
        case=case,
        councillor=fields["councillor"],
        urgency=fields["urgency"],
        custom_due_on=fields.get("custom_due_on"),
    )


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
    return _open(
        kinds.DATA_REQUEST,
        subject,
        text,
        received_on,
        by,
        councillor=councillor,
        urgency=urgency,
        custom_due_on=custom_due_on,
    )


def _disputing_roles() -> set[str]:
    return REPLY_ROLES | {RoleCode.COUNCIL_LIAISON}


def may_dispute(user, part) -> bool:
    """The agency's officers, supervisors, head and 府會聯絡人 may contest their part."""
    return acts_for(user, part, _disputing_roles())


@transaction.atomic
def raise_dispute(assignment, kind: str, reason: str, *, by, on: dt.date | None = None) -> Dispute:
    """爭議: the agency contests that the data is its own (權管) or the request's scope."""
    assignment.refresh_from_db()
    if assignment.case.kind != kinds.DATA_REQUEST:
        raise DomainError("not_a_data_request", "只有議員索資案件可以提出爭議。")
    if not may_dispute(by, assignment):
        raise PermissionDenied("只有受分辦機關的人員可以提出爭議。")
    if not assignment.is_active:
        raise DomainError("assignment_closed", "此分辦已回復或已改分，不能再提出爭議。")
    errors: dict[str, list[str]] = {}
    if kind not in DisputeKind.values:
        errors["kind"] = ["請選擇爭議類別。"]
    if not (reason or "").strip():
        errors["reason"] = ["請說明爭議理由。"]
    if errors:
        raise DomainError.invalid(errors)
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
    (改分, with a fresh deadline by the 速別), or narrow the request; and may set a new
    deadline for the part that goes on."""
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
    if errors:
        raise DomainError.invalid(errors)
    on = on or _today()
    part = dispute.assignment
    if outcome == DisputeOutcome.REROUTE:
        part = case_services.reroute_part(part, new_agency, note, by=by, on=on)
    if new_due_on is not None:
        case_services.set_due_date(part, new_due_on, note, by=by)
    dispute.outcome, dispute.decision_note = outcome, note.strip()
    dispute.decided_by, dispute.decided_on = by, on
    dispute.save()
    return dispute


# --- Councillor service cases (議員服務案件) -----------------------------------------------------


def validate_councillor(fields: Mapping[str, Any], context: OpenContext) -> dict[str, list[str]]:
    """The service case's councillor, in office on the received date (the ``validate``
    hook)."""
    councillor = fields["councillor"]
    if not councillor.active_on(context.received_on):
        return {"councillor": [f"{councillor.name} 於收件日期不在任。"]}
    return {}


def create_service_case(case, fields: Mapping[str, Any], context: OpenContext) -> ServiceCase:
    return ServiceCase.objects.create(case=case, councillor=fields["councillor"])


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
    return _open(
        kinds.SERVICE, subject, text, received_on, by, requester=requester, councillor=councillor
    )


def guard_service_case(case, step: str, fields: Mapping[str, Any], by) -> dict[str, list[str]]:
    """A service case is closed only once every agency replied, and only with its 處理等級
    (the ``guard`` hook)."""
    if step != "close":
        return {}
    if case.status != case_selectors.CaseStatus.REPLIED:
        status = case.get_status_display()
        return {"grade": [f"案件目前為「{status}」，各機關回復後才能評定等級並結案。"]}
    if fields.get("grade") not in Grade.values:
        return {"grade": ["議員服務案件結案時，請選擇處理等級（A、B、C、D）。"]}
    return {}


def keep_grade(case, fields: Mapping[str, Any], by) -> None:
    """The grade given at 結案 (the ``on_closed`` hook)."""
    service_case = ServiceCase.objects.select_for_update().get(case=case)
    service_case.grade = fields["grade"]
    service_case.save()


def grade_and_close(service_case: ServiceCase, grade: str, *, by) -> ServiceCase:
    """結案 with its 處理等級: A 辦理完成, B 辦理中, C 計畫執行, D 無法執行."""
    _require_council_staff(by)
    case_services.close_case(service_case.case, by=by, grade=grade)
    service_case.refresh_from_db()
    return service_case


# --- Liaisons (府會聯絡人) and their meetings ----------------------------------------------------

# Besides the Secretariat's 府會 staff, an agency's own supervisors and head name its liaison.
LIAISON_APPOINTER_ROLES = {RoleCode.SUPERVISOR, RoleCode.HEAD}


def may_appoint_liaison(user, agency: Agency) -> bool:
    return manages_council(user) or case_selectors.acts_for_agency(
        user, agency.pk, LIAISON_APPOINTER_ROLES
    )


def _require_liaison_appointer(by, agency: Agency) -> None:
    if not may_appoint_liaison(by, agency):
        raise PermissionDenied("只有秘書處府會業務人員或該機關的主管、首長可以指定府會聯絡人。")


@transaction.atomic
def appoint_liaison(
    agency: Agency,
    *,
    name: str,
    title: str = "",
    phone: str = "",
    mobile: str = "",
    email: str = "",
    start_on: dt.date | None,
    person=None,
    by,
) -> Liaison:
    """派兼: the agency's liaison from ``start_on``; the one before serves until the day before,
    so who was the liaison on any day stays known."""
    _require_liaison_appointer(by, agency)
    # Serialises appointments of one agency so that two cannot both end the same liaison.
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    name, title, phone, mobile, email = (
        (value or "").strip() for value in (name, title, phone, mobile, email)
    )
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["請填寫姓名。"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["電子郵件格式不正確。"]
    if not (phone or mobile or email):
        errors["phone"] = ["請至少填寫電話、手機或電子郵件其中一項。"]
    if person is not None and person.agency_id != agency.pk:
        errors["person"] = [f"帳號須為{agency.short_name}的人員。"]
    previous = selectors.liaison_history(agency).first()
    if start_on is None:
        errors["start_on"] = ["請填寫派兼日。"]
    elif previous is not None and start_on <= previous.start_on:
        errors["start_on"] = [
            f"派兼日須晚於{previous.name}的派兼日（{roc.format_date(previous.start_on)}）。"
        ]
    if errors:
        raise DomainError.invalid(errors)
    if previous is not None and (previous.end_on is None or previous.end_on >= start_on):
        previous.end_on = start_on - dt.timedelta(days=1)
        previous.save()
    return Liaison.objects.create(
        agency=agency,
        person=person,
        name=name,
        title=title,
        phone=phone,
        mobile=mobile,
        email=email,
        start_on=start_on,
    )


@transaction.atomic
def end_liaison(liaison: Liaison, end_on: dt.date | None, *, by) -> Liaison:
    """卸任 without a successor yet; ``end_on`` is the last day served."""
    liaison = Liaison.objects.select_for_update().select_related("agency").get(pk=liaison.pk)
    _require_liaison_appointer(by, liaison.agency)
    if liaison.end_on is not None:
        raise DomainError(
            "already_ended", f"{liaison.name}已於{roc.format_date(liaison.end_on)}卸任。"
        )
    if end_on is None:
        raise DomainError.invalid({"end_on": ["請填寫卸任日。"]})
    if end_on < liaison.start_on:
        raise DomainError.invalid(
            {"end_on": [f"卸任日不可早於派兼日（{roc.format_date(liaison.start_on)}）。"]}
        )
    liaison.end_on = end_on
    liaison.save()
    return liaison


@transaction.atomic
def create_liaison_meeting(
    kind: str, title: str, held_on: dt.date | None, place: str = "", *, by
) -> LiaisonMeeting:
    """府會聯絡人座談會 or 研習: every liaison in force on the day is invited (not yet attended)."""
    _require_council_staff(by)
    title, place = (title or "").strip(), (place or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in LiaisonMeetingKind.values:
        errors["kind"] = ["請選擇類別。"]
    if not title:
        errors["title"] = ["請填寫名稱。"]
    invited: list[Liaison] = []
    if held_on is None:
        errors["held_on"] = ["請填寫日期。"]
    else:
        invited = list(selectors.liaisons_in_force(held_on))
        if not invited:
            errors["held_on"] = [f"{roc.format_date(held_on)}沒有在任的府會聯絡人可以邀請。"]
    if errors:
        raise DomainError.invalid(errors)
    meeting = LiaisonMeeting.objects.create(kind=kind, title=title, held_on=held_on, place=place)
    # One by one, not bulk_create: each invitation is a record of the audit trail.
    for liaison in invited:
        Attendance.objects.create(meeting=meeting, liaison=liaison)
    return meeting


@transaction.atomic
def record_attendance(
    meeting: LiaisonMeeting, attended_liaison_ids: Iterable[int], *, by
) -> LiaisonMeeting:
    """The liaisons who came are marked attended and every other invitee is cleared, so the
    form can be sent again to correct it."""
    _require_council_staff(by)
    came = {int(pk) for pk in attended_liaison_ids}
    invitations = list(Attendance.objects.select_for_update().filter(meeting=meeting))
    if came - {row.liaison_id for row in invitations}:
        raise DomainError.invalid({"attended": ["只能勾選受邀的府會聯絡人。"]})
    for row in invitations:
        attended = row.liaison_id in came
        if row.attended != attended:
            row.attended = attended
            row.save()
    return meeting


# --- Caucus visits, mayor–councillor meetings and their commitments ----------------------------


@transaction.atomic
def log_engagement(
    kind: str,
    held_on: dt.date | None,
    topic: str,
    caucus: str = "",
    councillors: Sequence[Councillor] = (),
    officials: str = "",
    notes: str = "",
    *,
    by,
) -> Engagement:
    """市長赴黨團溝通 (with the caucus visited) or 議員與市長座談會 (with the councillors who
    came)."""
    _require_council_staff(by)
    topic, caucus = (topic or "").strip(), (caucus or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in EngagementKind.values:
        errors["kind"] = ["請選擇類別。"]
    if not topic:
        errors["topic"] = ["請填寫主題。"]
    if kind == EngagementKind.CAUCUS_VISIT and not caucus:
        errors["caucus"] = ["市長赴黨團溝通請選擇黨團。"]
    if kind == EngagementKind.MAYOR_MEETING and not councillors:
        errors["councillors"] = ["議員與市長座談會請選擇至少一位出席議員。"]
    if held_on is None:
        errors["held_on"] = ["請填寫日期。"]
    else:
        inactive = [c.name for c in councillors if not c.active_on(held_on)]
        if inactive:
            errors["councillors"] = [f"{'、'.join(inactive)} 於該日不在任。"]
    if errors:
        raise DomainError.invalid(errors)
    engagement = Engagement.objects.create(
        kind=kind,
        held_on=held_on,
        topic=topic,
        caucus=caucus,
        officials=(officials or "").strip(),
        notes=(notes or "").strip(),
    )
    engagement.councillors.set(councillors)
    # A many-to-many set saves no row of its own: say who came in the audit trail.
    audit.record(
        engagement,
        "set_councillors",
        {"councillors": [c.name for c in councillors]},
        actor=audit.actor_of(by),
    )
    return engagement


@transaction.atomic
def add_commitment(engagement: Engagement, subject: str, text: str, *, by) -> Commitment:
    """市府承諾事項: a commitment made at the engagement becomes a case received that day,
    routed, answered and closed on the engine's case page like any case."""
    text = (text or "").strip()
    # The agencies the case is routed to cannot open the engagement: the case says where the
    # commitment was made.
    source = (
        f"（{engagement.get_kind_display()}，{roc.format_date(engagement.held_on)}："
        f"{engagement.topic}）"
    )
    body = f"{text}\n\n{source}"
    return _open(
        kinds.COMMITMENT, subject, body, engagement.held_on, by, engagement=engagement, text=text
    )


def validate_commitment(fields: Mapping[str, Any], context: OpenContext) -> dict[str, list[str]]:
    return {} if fields.get("text") else {"text": ["請填寫承諾內容。"]}


def create_commitment(case, fields: Mapping[str, Any], context: OpenContext) -> Commitment:
    return Commitment.objects.create(case=case, engagement=fields["engagement"])
