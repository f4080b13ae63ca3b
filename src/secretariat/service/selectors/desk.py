"""Reads for the service desk (服務台): the log, the categories and rooms, the calls to
agencies (live and as the 10-minute rate), and the monthly figures the report prints.

The rate is one rule (:func:`dispatch_rate`): a call counts once it is decided — its person
arrived, or the 10 minutes are over — and it is on time when the person arrived within them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from secretariat.core import roc
from secretariat.core.models import Agency
from secretariat.core.permissions import scope_to_agency
from secretariat.service.models import (
    ConsultationCategory,
    DeskVisit,
    Dispatch,
    NursingRoom,
    NursingRoomUse,
    Referral,
    VisitKind,
    decided_q,
    on_time_q,
)
from secretariat.service.permissions import is_desk_staff

DISPATCH_RATE = "service.dispatch_on_time_rate"


def _span(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The moments from ``start``'s midnight to the midnight after ``end``, in Taipei time."""
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return first, after


def months_of(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """(year, month) of every month the span touches, in order."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def visits_for(user) -> QuerySet[DeskVisit]:
    """服務台服務紀錄: desk staff and supervisors see the desk's log; nobody else does."""
    if not is_desk_staff(user):
        return DeskVisit.objects.none()
    return DeskVisit.objects.select_related("category", "agency").prefetch_related(
        "category__names"
    )


def categories(*, active_only: bool = True) -> QuerySet[ConsultationCategory]:
    """The categories (shared reference data: every desk person sees them)."""
    found = ConsultationCategory.objects.prefetch_related("names")
    return found.filter(is_active=True) if active_only else found


def rooms(*, active_only: bool = True) -> QuerySet[NursingRoom]:
    found = NursingRoom.objects.all()
    return found.filter(is_active=True) if active_only else found


def room_uses_on(day: dt.date) -> dict[int, int]:
    return dict(NursingRoomUse.objects.filter(used_on=day).values_list("room_id", "count"))


def dispatches_for(user) -> QuerySet[Dispatch]:
    """派員通知: the desk sees every call; an agency's people see the calls to their agency."""
    found = Dispatch.objects.select_related("agency", "called_by")
    if is_desk_staff(user):
        return found
    return scope_to_agency(found, user)


@dataclass(frozen=True)
class BoardLine:
    dispatch: Dispatch
    late: bool
    minutes: int  # minutes since the call (to arrival, or to now while waiting)


def desk_board(user, at: dt.datetime | None = None) -> list[BoardLine]:
    """The desk screen's live list: today's calls still waiting, then today's arrivals,
    each flagged late when past the 10 minutes."""
    at = at or timezone.now()
    first, after = _span(timezone.localdate(at), timezone.localdate(at))
    lines = []
    calls = dispatches_for(user).filter(called_at__gte=first, called_at__lt=after)
    for dispatch in calls.order_by("arrived_at", "called_at"):
        until = dispatch.arrived_at or at
        minutes = int((until - dispatch.called_at).total_seconds() // 60)
        lines.append(BoardLine(dispatch, dispatch.is_late_at(at), max(minutes, 0)))
    lines.sort(key=lambda line: (line.dispatch.arrived_at is not None, line.dispatch.called_at))
    return lines


# --- The 10-minute rate -------------------------------------------------------------------------


@dataclass(frozen=True)
class DispatchRate:
    """One agency's (or everyone's: ``agency`` "合計") calls in a period."""

    agency: str
    calls: int
    on_time: int

    @property
    def late(self) -> int:
        return self.calls - self.on_time

    @property
    def rate(self) -> Decimal | None:
        return roc.percent_value(self.on_time, self.calls) if self.calls else None


def dispatch_rates(
    start: dt.date, end: dt.date, at: dt.datetime | None = None
) -> tuple[list[DispatchRate], DispatchRate]:
    """The on-time rate per agency (by its short name at the period's end) and overall."""
    at = at or timezone.now()
    first, after = _span(start, end)
    counted = (
        Dispatch.objects.filter(called_at__gte=first, called_at__lt=after)
        .filter(decided_q(at))
        .values("agency")
        .annotate(calls=Count("pk"), on_time=Count("pk", filter=on_time_q()))
        .order_by()
    )
    agencies = Agency.objects.prefetch_related("name_history").in_bulk(
        [row["agency"] for row in counted]
    )
    ordered = sorted(counted, key=lambda row: (agencies[row["agency"]].sort_order, row["agency"]))
    rows = [
        DispatchRate(agencies[row["agency"]].short_name_on(end), row["calls"], row["on_time"])
        for row in ordered
    ]
    total = DispatchRate("合計", sum(r.calls for r in rows), sum(r.on_time for r in rows))
    return rows, total


def dispatch_rate(start: dt.date, end: dt.date, at: dt.datetime | None = None) -> Decimal | None:
    """十分鐘到場達成率 of a period (percent, two places), None without calls."""
    return dispatch_rates(start, end, at)[1].rate


# --- Monthly figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryMonths:
    category: ConsultationCategory
    name: str  # the name in force at the period's end
    by_month: dict[tuple[int, int], int]

    @property
    def total(self) -> int:
        return sum(self.by_month.values())


def _visits_in(start: dt.date, end: dt.date) -> QuerySet[DeskVisit]:
    first, after = _span(start, end)
    return DeskVisit.objects.filter(served_at__gte=first, served_at__lt=after)


def _by_month(queryset, *keys: str) -> list[dict]:
    zone = timezone.get_current_timezone()
    return list(
        queryset.annotate(month=TruncMonth("served_at", tzinfo=zone))
        .values("month", *keys)
        .annotate(n=Count("pk"))
        .order_by()
    )


def consultations_by_category(start: dt.date, end: dt.date) -> list[CategoryMonths]:
    """諮詢服務 by category by month: every category used in the span (or active), named as
    on ``end`` — a category renamed later keeps its rows and prints its name of the time."""
    counts: dict[int, dict[tuple[int, int], int]] = defaultdict(dict)
    visits = _visits_in(start, end).filter(kind=VisitKind.CONSULTATION)
    for row in _by_month(visits, "category"):
        month = (row["month"].year, row["month"].month)
        counts[row["category"]][month] = counts[row["category"]].get(month, 0) + row["n"]
    shown = ConsultationCategory.objects.prefetch_related("names").filter(
        Q(pk__in=counts) | Q(is_active=True)
    )
    return [CategoryMonths(c, c.name_on(end), counts.get(c.pk, {})) for c in shown]


def visits_by_kind(start: dt.date, end: dt.date) -> dict[str, dict[tuple[int, int], int]]:
    """諮詢服務 and 陳情服務 (協處陳情) by month."""
    found: dict[str, dict[tuple[int, int], int]] = {kind: {} for kind in VisitKind.values}
    for row in _by_month(_visits_in(start, end), "kind"):
        month = (row["month"].year, row["month"].month)
        found[row["kind"]][month] = found[row["kind"]].get(month, 0) + row["n"]
    return found


def referrals(start: dt.date, end: dt.date) -> dict[str, int]:
    """Referrals by kind (1999 手語視訊, another agency's counter)."""
    counted = dict(
        _visits_in(start, end)
        .exclude(referral="")
        .values_list("referral")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {value: counted.get(value, 0) for value in Referral.values if value}


def room_uses(start: dt.date, end: dt.date) -> list[tuple[NursingRoom, int]]:
    """Uses per room in the span (every room used or active)."""
    counted = dict(
        NursingRoomUse.objects.filter(used_on__gte=start, used_on__lte=end)
        .values_list("room")
        .annotate(n=Sum("count"))
        .order_by()
    )
    shown = NursingRoom.objects.filter(Q(pk__in=counted) | Q(is_active=True))
    return [(room, counted.get(room.pk, 0) or 0) for room in shown]
