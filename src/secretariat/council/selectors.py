"""Reads of 府會事務, limited to what the person may see (through the case engine's scope),
and the figures the half-year report uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404

from secretariat.cases import selectors as case_selectors
from secretariat.cases.models import Assignment, AssignmentStatus, CaseStatus
from secretariat.core import roc
from secretariat.core.models import IndicatorTarget
from secretariat.council import kinds
from secretariat.council.models import (
    Asker,
    CouncilQuestion,
    DataRequest,
    EventKind,
    Grade,
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


def service_cases_for(user) -> QuerySet[ServiceCase]:
    return ServiceCase.objects.filter(case__in=_visible_cases(user, kinds.SERVICE)).select_related(
        "case", "councillor"
    )


def events() -> QuerySet[QuestionEvent]:
    """Question events are public council business: everyone signed in may list them."""
    return QuestionEvent.objects.select_related("session__term").annotate(
        question_count=Count("questions")
    )


# --- Statistics (for reports) ------------------------------------------------------------------


@dataclass(frozen=True)
class EventKindRow:
    kind: str
    label: str
    sittings: int
    unit: str
    questions: int


def questions_by_event_kind(start: dt.date, end: dt.date) -> tuple[list[EventKindRow], int]:
    """Questions asked in the period per 質詢類別, with the sittings (天/場) of the events
    that began in it, in the report's order; and the total."""
    from secretariat.council.models import SITTING_UNIT

    asked = dict(
        CouncilQuestion.objects.filter(asked_on__range=(start, end))
        .values_list("event__kind")
        .annotate(n=Count("pk"))
    )
    sittings = dict(
        QuestionEvent.objects.filter(start_on__range=(start, end))
        .values_list("kind")
        .annotate(n=Sum("sittings"))
    )
    rows = [
        EventKindRow(kind, label, sittings.get(kind, 0), SITTING_UNIT[kind], asked.get(kind, 0))
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
    still_open = (
        received.filter(case__status__in=(CaseStatus.PENDING, CaseStatus.IN_PROGRESS))
        .exclude(case__in=overdue_cases)
        .exclude(case__status=CaseStatus.FILED)
    )
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
    target = (
        IndicatorTarget.objects.filter(indicator=SERVICE_GRADE_A_INDICATOR, year=roc.roc_year(end))
        .values_list("value", flat=True)
        .first()
    )
    return GradeShares(counts, target)


def question_replies(event: QuestionEvent) -> list[tuple[CouncilQuestion, list[Assignment]]]:
    """Every question of the event with its non-withdrawn parts, for the compilation."""
    parts = Assignment.objects.exclude(status=AssignmentStatus.WITHDRAWN).select_related("agency")
    questions = (
        CouncilQuestion.objects.filter(event=event)
        .select_related("case")
        .prefetch_related(
            Prefetch("askers", queryset=Asker.objects.select_related("councillor")),
            Prefetch("case__assignments", queryset=parts, to_attr="live_parts"),
        )
    )
    return [(question, question.case.live_parts) for question in questions]
