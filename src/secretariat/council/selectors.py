"""Reads of 府會事務, limited to what the person may see (through the case engine's scope),
and the figures the half-year report uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from secretariat.cases import selectors as case_selectors
from secretariat.cases.selectors import OPEN_STATUSES
from secretariat.core import roc
from secretariat.core import selectors as core_selectors
from secretariat.core.models import Agency
from secretariat.council import kinds
from secretariat.council.models import (
    Asker,
    Attendance,
    Commitment,
    Councillor,
    CouncilQuestion,
    DataRequest,
    Dispute,
    Engagement,
    EngagementKind,
    EventKind,
    Grade,
    Liaison,
    LiaisonMeeting,
    QuestionEvent,
    ServiceCase,
)

SERVICE_GRADE_A_INDICATOR = "council.service_grade_a"


# --- Lists the person may see ------------------------------------------------------------------


def _visible_cases(user, kind: str):
    return case_selectors.cases_for(user, kind).values("pk")


def questions_for(user, event: QuestionEvent | None = None) -> QuerySet[CouncilQuestion]:
    queryset = CouncilQuestion.objects.filter(case__in=_visible_cases(user, kinds.QUESTION))
    if event is not None:
        queryset = queryset.filter(event=event)
    return queryset.select_related("case", "event").prefetch_related(
        Prefetch("askers", queryset=Asker.objects.select_related("councillor"))
    )


def data_requests_for(user) -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(
        case__in=_visible_cases(user, kinds.DATA_REQUEST)
    ).select_related("case", "councillor")


def data_request_for(user, number: str) -> DataRequest:
    request = data_requests_for(user).filter(case__number=number).first()
    if request is None:
        raise Http404
    return request


def request_parts(data_request: DataRequest, user) -> list:
    """The request's parts the person may see (withdrawn ones too: they show a 改分)."""
    return list(
        case_selectors.assignments_for(user, data_request.case).order_by("assigned_on", "pk")
    )


def disputes_for(data_request: DataRequest, user) -> list[Dispute]:
    """Disputes over the parts the person may see, newest first."""
    parts = case_selectors.assignments_for(user, data_request.case).values("pk")
    return list(
        Dispute.objects.filter(assignment__in=parts)
        .select_related("assignment__agency", "raised_by", "decided_by")
        .order_by("-raised_on", "-pk")
    )


def councillors() -> QuerySet[Councillor]:
    """議員名冊 (public): every term's councillors, the newest term first."""
    return Councillor.objects.select_related("term").order_by("-term__number", "name")


def case_facts(case) -> list[tuple[str, str, str | None]]:
    """The council's facts shown on a council case's page: (label, text, link)."""
    from django.urls import reverse

    def names(askers) -> str:
        return "、".join(asker.councillor.name for asker in askers)

    if case.kind == kinds.QUESTION:
        question = CouncilQuestion.objects.select_related("event").get(case=case)
        event_url = reverse("council:event", args=[question.event_id])
        return [
            ("質詢場次", question.event.title, event_url),
            ("質詢議員", names(question.askers.select_related("councillor")), None),
            ("題序", f"第{question.sequence}題", None),
        ]
    if case.kind == kinds.DATA_REQUEST:
        request = DataRequest.objects.select_related("councillor").get(case=case)
        urgency = request.get_urgency_display()
        if request.custom_due_on:
            urgency += f"（議員指定期限{roc.format_date(request.custom_due_on)}）"
        return [
            ("議員", request.councillor.name, None),
            ("速別", urgency, None),
            ("索資與爭議", "索資頁", reverse("council:request", args=[case.number])),
        ]
    if case.kind == kinds.SERVICE:
        service = ServiceCase.objects.select_related("councillor").get(case=case)
        return [
            ("議員", service.councillor.name, None),
            ("處理等級", service.get_grade_display() or "結案時評定", None),
        ]
    if case.kind == kinds.COMMITMENT:
        engagement = Commitment.objects.select_related("engagement").get(case=case).engagement
        # No link: the engagement pages are the 府會 staff's; the agencies read the text.
        text = f"{engagement.get_kind_display()}（{roc.format_date(engagement.held_on)}）"
        return [("承諾場合", text, None)]
    return []


def service_cases_for(user) -> QuerySet[ServiceCase]:
    return ServiceCase.objects.filter(case__in=_visible_cases(user, kinds.SERVICE)).select_related(
        "case", "councillor"
    )


def events() -> QuerySet[QuestionEvent]:
    """Question events are public council business: everyone signed in may list them."""
    return (
        QuestionEvent.objects.select_related("session__term")
        .annotate(question_count=Count("questions"))
        .order_by("-start_on", "-id")
    )


# --- Statistics (for reports) ------------------------------------------------------------------


@dataclass(frozen=True)
class EventKindRow:
    kind: str
    label: str
    sittings: int
    unit: str
    questions: int
    titles: tuple[str, ...] = ()  # the events that began in the period, in date order


def questions_by_event_kind(start: dt.date, end: dt.date) -> tuple[list[EventKindRow], int]:
    """Questions asked in the period and routed (分辦題數) per 質詢類別, with the sittings
    (天/場) of the events that began in it, in the report's order; and the total."""
    from secretariat.council.models import SITTING_UNIT

    asked = dict(
        CouncilQuestion.objects.filter(asked_on__range=(start, end), case__routed_on__isnull=False)
        .values_list("event__kind")
        .annotate(n=Count("pk"))
    )
    sittings = dict(
        QuestionEvent.objects.filter(start_on__range=(start, end))
        .values_list("kind")
        .annotate(n=Sum("sittings"))
    )
    titles: dict[str, list[str]] = {}
    for kind, title in (
        QuestionEvent.objects.filter(start_on__range=(start, end))
        .order_by("start_on", "id")
        .values_list("kind", "title")
    ):
        titles.setdefault(kind, []).append(title)
    rows = [
        EventKindRow(
            kind,
            label,
            sittings.get(kind, 0),
            SITTING_UNIT[kind],
            asked.get(kind, 0),
            tuple(titles.get(kind, ())),
        )
        for kind, label in EventKind.choices
        if asked.get(kind) or sittings.get(kind)
    ]
    return rows, sum(row.questions for row in rows)


@dataclass(frozen=True)
class DataRequestFigures:
    received: int
    overdue: int
    open: int

    @property
    def all_on_time(self) -> bool:
        return self.overdue == 0 and self.open == 0

    def sentence(self) -> str:
        """「126筆，均依限回復，無逾期情形」 only when it is true."""
        count = roc.format_count(self.received, "筆")
        if self.all_on_time:
            return f"{count}，均依限回復，無逾期情形"
        parts = [count]
        if self.overdue:
            parts.append(f"逾期{roc.format_count(self.overdue, '筆')}")
        if self.open:
            parts.append(f"尚在辦理{roc.format_count(self.open, '筆')}")
        return "，".join(parts)


def data_request_figures(start: dt.date, end: dt.date, as_of: dt.date) -> DataRequestFigures:
    """Data requests received in the period; how many missed their deadline (replied late, or
    unanswered past it as of ``as_of``); how many are still being handled within their
    deadline."""
    received = DataRequest.objects.filter(case__received_on__range=(start, end))
    overdue_cases = case_selectors.late_parts(kinds.DATA_REQUEST, start, end, as_of).values("case")
    still_open = received.filter(case__status__in=OPEN_STATUSES).exclude(case__in=overdue_cases)
    return DataRequestFigures(
        received=received.count(),
        overdue=received.filter(case__in=overdue_cases).count(),
        open=still_open.count(),
    )


@dataclass(frozen=True)
class GradeShares:
    counts: dict[str, int]
    target: Decimal | None  # the year's A-share target in percent, when set

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, grade: str) -> Decimal | None:
        """Percent to two decimals (98.42)."""
        if not self.total:
            return None
        return roc.percent_value(self.counts.get(grade, 0), self.total)

    @property
    def share_a(self) -> Decimal | None:
        return self.share(Grade.A)

    @property
    def meets_target(self) -> bool | None:
        share = self.share(Grade.A)
        if share is None or self.target is None:
            return None
        return share >= self.target


def service_grade_shares(start: dt.date, end: dt.date) -> GradeShares:
    """Service cases closed in the period by 處理等級, with the A-share target of the year the
    period ends in (民國)."""
    rows = dict(
        ServiceCase.objects.filter(case__closed_on__range=(start, end))
        .exclude(grade="")
        .values_list("grade")
        .annotate(n=Count("pk"))
    )
    counts = {grade: rows.get(grade, 0) for grade in Grade.values}
    target = core_selectors.indicator_target(SERVICE_GRADE_A_INDICATOR, end)
    return GradeShares(counts, target)


def question_replies(event: QuestionEvent) -> list[tuple[CouncilQuestion, list]]:
    """Every question of the event with its non-withdrawn parts, for the compilation."""
    parts = case_selectors.current_parts()
    questions = (
        CouncilQuestion.objects.filter(event=event)
        .select_related("case")
        .prefetch_related(
            Prefetch("askers", queryset=Asker.objects.select_related("councillor")),
            Prefetch("case__assignments", queryset=parts, to_attr="live_parts"),
        )
    )
    return [(question, question.case.live_parts) for question in questions]


# --- Liaisons (府會聯絡人), their meetings, engagements, councillors' addresses --------------------


def liaisons_in_force(day: dt.date) -> QuerySet[Liaison]:
    """Every agency's liaison on ``day``, in the registry's order. Liaison contact lists are not
    secret inside the city government: everyone signed in may read them."""
    return (
        Liaison.objects.filter(start_on__lte=day)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=day))
        .select_related("agency")
        .order_by("agency__sort_order", "agency__code")
    )


def liaison_history(agency: Agency) -> QuerySet[Liaison]:
    """An agency's liaisons, the latest first."""
    return Liaison.objects.filter(agency=agency).select_related("agency").order_by("-start_on")


def current_liaison(agency: Agency) -> Liaison | None:
    """The agency's liaison not yet ended (there is at most one: each appointment ends the one
    before)."""
    return liaison_history(agency).filter(end_on__isnull=True).first()


@dataclass(frozen=True)
class MeetingAttendance:
    meeting: LiaisonMeeting
    invited: int
    attended: int

    @property
    def rate(self) -> Decimal | None:
        """Percent to two decimals (92.50); None when nobody was invited."""
        return roc.percent_value(self.attended, self.invited) if self.invited else None

    @property
    def rate_text(self) -> str:
        return roc.format_rate(self.attended, self.invited)


@dataclass(frozen=True)
class AttendanceReport:
    """Attendance of the liaison meetings in a period; the overall rate weighs every invitation
    the same (「平均出席率達92.5%」 = all attended / all invited)."""

    meetings: list[MeetingAttendance]

    @property
    def invited(self) -> int:
        return sum(row.invited for row in self.meetings)

    @property
    def attended(self) -> int:
        return sum(row.attended for row in self.meetings)

    @property
    def rate(self) -> Decimal | None:
        return roc.percent_value(self.attended, self.invited) if self.invited else None

    @property
    def rate_text(self) -> str:
        return roc.format_rate(self.attended, self.invited)


def liaison_attendance(start: dt.date, end: dt.date) -> AttendanceReport:
    """Each 座談會/研習 held in the period (in date order) with invited, attended and rate."""
    meetings = (
        LiaisonMeeting.objects.filter(held_on__range=(start, end))
        .annotate(
            invited_count=Count("attendances"),
            attended_count=Count("attendances", filter=Q(attendances__attended=True)),
        )
        .order_by("held_on", "id")
    )
    return AttendanceReport(
        [MeetingAttendance(m, m.invited_count, m.attended_count) for m in meetings]
    )


def meeting_attendances(meeting: LiaisonMeeting) -> QuerySet[Attendance]:
    """The invited liaisons of a meeting, in the registry's order of their agencies."""
    return meeting.attendances.select_related("liaison__agency").order_by(
        "liaison__agency__sort_order", "liaison__agency__code", "liaison__name"
    )


def engagements() -> QuerySet[Engagement]:
    """Newest first (said again: Meta.ordering does not apply to a query with a GROUP BY)."""
    return (
        Engagement.objects.prefetch_related("councillors")
        .annotate(commitment_count=Count("commitments"))
        .order_by("-held_on", "-id")
    )


@dataclass(frozen=True)
class EngagementPeriod:
    """Engagements of a period and how many of each kind, as the annual report counts them
    (「計辦理8場市長至各黨團說明重大議法案，另安排15場議員與市長座談會」)."""

    engagements: list[Engagement]
    counts: dict[str, int]

    @property
    def by_kind(self) -> list[tuple[str, int]]:
        """(label, count) for every kind, in EngagementKind's order."""
        return [(label, self.counts[kind]) for kind, label in EngagementKind.choices]


def engagements_in(start: dt.date, end: dt.date) -> EngagementPeriod:
    found = list(engagements().filter(held_on__range=(start, end)))
    counts = {kind: 0 for kind in EngagementKind.values}
    for engagement in found:
        counts[engagement.kind] += 1
    return EngagementPeriod(found, counts)


def engagement_commitments(engagement: Engagement) -> QuerySet[Commitment]:
    return engagement.commitments.select_related("case").order_by("case__number")


def councillor_addresses(day: dt.date) -> list[str]:
    """The e-mail addresses of the councillors in office on ``day`` (as Councillor.active_on)."""
    return list(
        Councillor.objects.filter(active_from__lte=day)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=day))
        .exclude(email="")
        .order_by("name")
        .values_list("email", flat=True)
    )
