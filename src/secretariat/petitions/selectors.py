"""Reads for petitions. The public reads (status page, Open311) carry no requester identity:
they are built from the case, its assignments and the petition's own fields only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from secretariat.cases import selectors as case_selectors
from secretariat.cases.selectors import (
    OPEN_STATUSES,
    AssignmentStatus,
    CaseStatus,
    Deadline,
    Step,
)
from secretariat.core import roc
from secretariat.core.text import text_problem
from secretariat.petitions.models import Petition

if TYPE_CHECKING:
    from secretariat.cases.models import Case

KIND = "petition"
# Replies are shown to the citizen only once every agency has replied.
ANSWERED_STATUSES = (CaseStatus.REPLIED, CaseStatus.CLOSED)


@dataclass(frozen=True)
class Reply:
    agency_name: str
    role_label: str
    text: str
    replied_on: dt.date


@dataclass(frozen=True)
class PublicStatus:
    """What the citizen sees with number + password: the case's steps and, while agencies
    work on it, when to expect the reply (``expected_reply``, the engine's rule; before
    routing ``reply_rule`` says it in words)."""

    number: str
    subject: str
    received_on: dt.date
    status: str
    status_label: str
    agencies: list[str]
    replies: list[Reply]
    survey_open: bool
    survey_rating: int | None
    steps: list[Step]
    reply_rule: str
    expected_reply: Deadline | None
    past_expected: bool
    # 併案: the number of the petition this one was merged into (its replies answer this one).
    merged_into: str | None = None


def _current_assignments() -> QuerySet:
    return (
        case_selectors.current_parts()
        .prefetch_related("agency__name_history")
        .order_by("-role", "id")  # "lead" sorts after "co": lead first
    )


def petitions() -> QuerySet[Petition]:
    return Petition.objects.filter(case__kind=KIND).select_related("case")


def reply_rule() -> str:
    """The petition kind's reply rule in words (「分辦後6個工作天內」), the engine's."""
    return case_selectors.reply_rule(KIND)


def could_be_number(text: str) -> bool:
    """Whether ``text`` could be a case number at all: short, without control characters. Any
    other text matches no case and is never sent to the database (PostgreSQL refuses a NUL
    even as a query parameter)."""
    return text_problem(text, "案件編號", max_length=case_selectors.FIELD_LIMITS["number"]) is None


def petition_by_number(number: str) -> Petition | None:
    if not could_be_number(number):
        return None
    return petitions().filter(case__number=number).first()


def replies(case: Case) -> list[Reply]:
    """Every agency's approved reply (lead first), under the agency's name on the reply date."""
    answered = _current_assignments().filter(case=case, status=AssignmentStatus.REPLIED)
    return [
        Reply(a.agency.names_on(a.replied_on)[0], a.get_role_display(), a.reply_text, a.replied_on)
        for a in answered
    ]


def _past(deadline: Deadline) -> bool:
    if deadline.due_at is not None:
        return timezone.now() > deadline.due_at
    return timezone.localdate() > deadline.due_on


def public_status(petition: Petition) -> PublicStatus:
    """What the citizen sees. A petition merged into another (併案) shows that one's number,
    agencies and — once it is answered — its replies."""
    case = petition.case
    # A petition merged into another (併案) is answered by that one: its agencies, its
    # expected reply and its replies.
    answering = case_selectors.answering_case(case)
    agencies = [a.agency.name for a in _current_assignments().filter(case=answering)]
    answered = answering.status in ANSWERED_STATUSES
    # Agencies are at work: routed, not yet answered by all of them.
    at_work = answering.status in OPEN_STATUSES and answering.status != CaseStatus.PENDING
    expected = case_selectors.expected_reply(answering) if at_work else None
    return PublicStatus(
        number=case.number,
        subject=case.subject,
        received_on=case.received_on,
        status=case.status,
        status_label=case.get_status_display(),
        agencies=agencies,
        replies=replies(answering) if answered else [],
        survey_open=case.status == CaseStatus.CLOSED and petition.surveyed_at is None,
        survey_rating=petition.survey_rating,
        steps=case_selectors.case_steps(case),
        reply_rule=reply_rule(),
        expected_reply=expected,
        past_expected=expected is not None and _past(expected),
        merged_into=answering.number if answering.pk != case.pk else None,
    )


# --- The staff case page -------------------------------------------------------------------------


def case_facts(case: Case) -> list[tuple[str, str, str | None]]:
    """The petition's facts on the staff case page (the kind's ``facts`` hook), for staff who
    see the case: the category, the place the citizen gave and whether they agreed to publish
    it (公開同意) — the public feed shows the place only then."""
    petition = petitions().filter(case=case).first()
    if petition is None:
        return []
    facts: list[tuple[str, str, str | None]] = [("陳情類別", petition.category_name, None)]
    if petition.address_string:
        facts.append(("問題發生地點", petition.address_string, None))
    if petition.lat is not None and petition.long is not None:
        facts.append(("座標", f"緯度 {petition.lat}、經度 {petition.long}", None))
    if petition.publishable:
        when = roc.format_datetime(petition.publication_consented_at)
        consent = f"同意公開主旨及地點（{when}）"
    else:
        consent = "未同意：開放資料不公開主旨及地點"
    facts.append(("公開同意", consent, None))
    return facts


# --- Open311 ------------------------------------------------------------------------------------


def open311_requests() -> QuerySet[Petition]:
    """Petitions published through Open311: confidential (密件) cases never are. Each
    petition carries ``case.parts_in_force`` (lead first; none before routing), from which
    the feed takes the lead agency and the engine's expected reply."""
    parts = Prefetch("case__assignments", queryset=_current_assignments(), to_attr="parts_in_force")
    return (
        petitions()
        .filter(case__confidential=False)
        .select_related("case__merged_into")
        .prefetch_related(parts)
    )


def filter_open311(
    queryset: QuerySet[Petition],
    *,
    numbers: list[str] | None = None,
    service_code: str | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    status: str | None = None,
) -> QuerySet[Petition]:
    if numbers is not None:
        return queryset.filter(case__number__in=[n for n in numbers if could_be_number(n)])
    if service_code:
        queryset = queryset.filter(category=service_code)
    if start:
        queryset = queryset.filter(case__created_at__gte=start)
    if end:
        queryset = queryset.filter(case__created_at__lte=end)
    if status == "open":
        queryset = queryset.filter(case__status__in=OPEN_STATUSES)
    elif status == "closed":
        queryset = queryset.exclude(case__status__in=OPEN_STATUSES)
    return queryset
