"""Reads of 輿情: the items a person may see (the case engine's scope: the press office every
item, an agency the items it holds a part of), the kind's facts on the case page, the agency
heads' daily digest, the week's important items for 市政會議 and the report's figures."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from secretariat.cases import selectors as case_selectors
from secretariat.core import roc
from secretariat.core.models import Agency
from secretariat.media.kinds import OPINION
from secretariat.media.models import Clarification, Importance, OpinionItem

REPLIED = case_selectors.AssignmentStatus.REPLIED


def opinion_items_for(user) -> QuerySet[OpinionItem]:
    """The items whose case the person may see (``cases.selectors.cases_for``)."""
    cases = case_selectors.cases_for(user, kind=OPINION)
    return OpinionItem.objects.filter(case__in=cases).select_related("case")


def opinion_item_for(user, number: str) -> OpinionItem | None:
    return opinion_items_for(user).filter(case__number=number).first()


def opinion_list(user, *, status: str = "", importance: str = "", q: str = ""):
    """The list page: newest first, with the case's parts in force."""
    items = opinion_items_for(user).prefetch_related("case__assignments__agency")
    if status == "pending":
        items = items.filter(case__status=case_selectors.CaseStatus.PENDING)
    elif status == "open":
        items = items.filter(case__status__in=case_selectors.OPEN_STATUSES)
    elif status == "done":
        items = items.exclude(case__status__in=case_selectors.OPEN_STATUSES)
    if importance in Importance.values:
        items = items.filter(importance=importance)
    if q:
        items = items.filter(
            Q(case__subject__icontains=q) | Q(case__number__icontains=q) | Q(outlet__icontains=q)
        )
    return items.order_by("-case__received_on", "-case__pk")


def visible_parts(user, item: OpinionItem):
    """The parts of the item the person may see, with their clarification."""
    return (
        case_selectors.assignments_for(user, item.case)
        .exclude(status=case_selectors.AssignmentStatus.WITHDRAWN)
        .select_related("agency", "clarification")
        .order_by("role", "pk")
    )


def opinion_facts(case) -> list[tuple[str, str, str | None]]:
    """The kind's ``facts`` hook: what the case page shows of the item."""
    item = OpinionItem.objects.filter(case=case).first()
    if item is None:
        return []
    facts = [
        ("媒體來源", item.outlet, None),
        ("報導日期", roc.format_date(item.reported_on), None),
        ("傾向", item.get_tone_display(), None),
        ("重要性", item.get_importance_display(), None),
        ("登錄方式", item.get_source_display(), None),
    ]
    if item.link:
        facts.append(("報導連結", item.link, item.link))
    facts.append(("輿情頁", "公開澄清與重要性", reverse("media:opinion_item", args=[case.number])))
    return facts


# --- The daily digest ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    """An agency's 輿情日報 of a day: its parts routed that day, and those still unanswered."""

    agency: Agency
    day: dt.date
    routed: tuple
    unanswered: tuple


def _opinion_parts():
    return (
        case_selectors.current_parts()
        .filter(case__kind=OPINION)
        .select_related("case__opinion_item")
        .order_by("due_on", "due_at", "pk")
    )


def digest(agency: Agency, day: dt.date, now: dt.datetime) -> Digest:
    parts = _opinion_parts().filter(agency=agency)
    routed = tuple(parts.filter(assigned_on=day))
    unanswered = tuple(
        part
        for part in parts.filter(status__in=case_selectors.ACTIVE_ASSIGNMENT, assigned_on__lt=day)
    )
    return Digest(agency, day, routed, unanswered)


def digest_agencies(day: dt.date, now: dt.datetime) -> QuerySet[Agency]:
    """Agencies with an opinion item routed on ``day`` or still unanswered."""
    parts = _opinion_parts().filter(
        Q(assigned_on=day) | Q(status__in=case_selectors.ACTIVE_ASSIGNMENT)
    )
    return Agency.objects.filter(pk__in=parts.values("agency_id")).order_by("sort_order", "code")


def digests_for(user, day: dt.date, now: dt.datetime) -> list[Digest]:
    """The digest page: the person's agency's (the press office: every agency's)."""
    from secretariat.media.permissions import is_press_office

    if is_press_office(user):
        agencies = digest_agencies(day, now)
    elif user.agency_id is not None:
        agencies = Agency.objects.filter(pk=user.agency_id)
    else:
        agencies = Agency.objects.none()
    return [digest(agency, day, now) for agency in agencies]


# --- The week's important items (市政會議) --------------------------------------------------------


@dataclass(frozen=True)
class WeeklyItem:
    item: OpinionItem
    parts: tuple


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week ``day`` falls in."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def weekly_items(start: dt.date, end: dt.date) -> list[WeeklyItem]:
    """重要 and 重大 items received in the week, 重大 first, with each agency's response (a
    compilation for 市政會議, read by the Secretariat only: unscoped)."""
    items = (
        OpinionItem.objects.filter(
            case__received_on__range=(start, end),
            importance__in=(Importance.IMPORTANT, Importance.MAJOR),
        )
        .select_related("case")
        .order_by("case__received_on", "case__pk")
    )
    parts: dict[int, list] = {}
    for part in (
        case_selectors.current_parts()
        .filter(case__in=[item.case_id for item in items])
        .select_related("clarification")
        .order_by("role", "pk")
    ):
        parts.setdefault(part.case_id, []).append(part)
    ordered = sorted(items, key=lambda i: (i.importance != Importance.MAJOR, i.case.received_on))
    return [WeeklyItem(item, tuple(parts.get(item.case_id, ()))) for item in ordered]


# --- The report's figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseRow:
    importance: str
    label: str
    responses: int
    on_time: int

    @property
    def rate(self):
        return roc.percent_value(self.on_time, self.responses) if self.responses else None


@dataclass(frozen=True)
class ResponseFigures:
    """輿情 received in a period, the agencies' responses (replied parts) by importance and
    how many came within their deadline in working hours — the case engine's one late rule
    (``late_parts``), so the total is ``cases.selectors.on_time_replies``'s."""

    received: int
    rows: tuple[ResponseRow, ...]
    published: int

    @property
    def responses(self) -> int:
        return sum(row.responses for row in self.rows)

    @property
    def on_time(self) -> int:
        return sum(row.on_time for row in self.rows)

    @property
    def rate(self):
        return roc.percent_value(self.on_time, self.responses) if self.responses else None


def response_figures(start: dt.date, end: dt.date, as_of: dt.datetime) -> ResponseFigures:
    replied = case_selectors.current_parts().filter(
        case__kind=OPINION, case__received_on__range=(start, end), status=REPLIED
    )
    late = case_selectors.late_parts(OPINION, start, end, as_of).filter(status=REPLIED)
    by_importance = OrderedDict((value, [0, 0]) for value in Importance.values)
    for importance, n in _count_by(replied):
        by_importance[importance][0] = n
    for importance, n in _count_by(late):
        by_importance[importance][1] = n
    rows = tuple(
        ResponseRow(value, Importance(value).label, total, total - late_n)
        for value, (total, late_n) in by_importance.items()
    )
    received = case_selectors.received(OPINION, start, end).count()
    published = Clarification.objects.filter(
        published=True, assignment__in=replied.values("pk")
    ).count()
    return ResponseFigures(received, rows, published)


def _count_by(parts) -> list[tuple[str, int]]:
    rows = parts.values("case__opinion_item__importance").annotate(n=Count("pk")).order_by()
    return [(row["case__opinion_item__importance"], row["n"]) for row in rows]
