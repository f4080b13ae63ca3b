"""Statistics of the case engine for reports: every figure and the table it sums come from
the same query, and what a table leaves out is counted, not lost."""

from __future__ import annotations

import datetime as dt
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncMonth

from secretariat.cases.models import Assignment, Case, CaseStatus, late_reply_q, overdue_q
from secretariat.core.models import Agency
from secretariat.core.registry import (
    REPORT_PREFETCH,
    report_label,
    report_label_changes_within,
    report_order,
)


def received(kind: str, start: dt.date, end: dt.date) -> QuerySet[Case]:
    """Cases of ``kind`` received in the period (受理)."""
    return Case.objects.filter(kind=kind, received_on__range=(start, end))


def current_parts() -> QuerySet[Assignment]:
    """Every part in force (not withdrawn by 改分), unscoped: for compilations and reports,
    never a person's page."""
    return Assignment.objects.current().select_related("agency")


def final_leads():
    """(case id, subject, body, lead agency code) of every routed, non-confidential case by
    its lead in force (not one withdrawn by 改分 or by filing): what the routing assistant
    learns from."""
    return (
        Assignment.objects.leads()
        .filter(case__routed_on__isnull=False, case__confidential=False)
        .order_by("case_id")
        .values_list("case_id", "case__subject", "case__body", "agency__code")
    )


def texts(case_ids) -> list[tuple[str, str]]:
    """(subject, body) of these cases, in id order."""
    rows = Case.objects.filter(pk__in=list(case_ids)).order_by("pk")
    return list(rows.values_list("subject", "body"))


def _lead_parts(kind: str, start: dt.date, end: dt.date) -> QuerySet[Assignment]:
    """The lead part in force of each case received in the period."""
    return Assignment.objects.leads().filter(case__kind=kind, case__received_on__range=(start, end))


@dataclass(frozen=True)
class LeadCounts:
    """Cases received in a period by lead agency (``rows``: report label → cases, largest
    first), and the cases without a lead by status (``without_lead``: 尚未分辦, 存查 or
    撤回 before routing). ``total`` is the table's sum; ``received`` every case."""

    rows: OrderedDict[str, int]
    without_lead: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    @property
    def received(self) -> int:
        return self.total + sum(self.without_lead.values())

    def without_lead_phrases(self) -> list[str]:
        """「存查2件」, 「撤回1件」, 「併案1件」, 「尚未分辦1件」 for the report's sentence."""
        from secretariat.core import roc

        labels = {
            CaseStatus.FILED: "存查",
            CaseStatus.WITHDRAWN: "撤回",
            CaseStatus.MERGED: "併案",
            CaseStatus.PENDING: "尚未分辦",
        }
        return [
            f"{label}{roc.format_count(self.without_lead[status], '件')}"
            for status, label in labels.items()
            if self.without_lead.get(status)
        ]


def count_by_lead_agency(kind: str, start: dt.date, end: dt.date) -> LeadCounts:
    """Cases received in the period per lead agency, under the report label in force on each
    case's received date (the registry's grouping rules, e.g. 民政局（含區公所）), largest
    first, ties in the registry's order; and the cases that have no lead, by status."""
    parts = _lead_parts(kind, start, end)
    per_agency = dict(parts.values_list("agency").annotate(n=Count("pk")).order_by())
    agencies = Agency.objects.prefetch_related(*REPORT_PREFETCH).in_bulk(per_agency)
    # Only an agency renamed or regrouped inside the period needs its cases counted by day.
    renamed = [
        pk for pk, agency in agencies.items() if report_label_changes_within(agency, start, end)
    ]
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}

    def add(pk: int, day: dt.date, n: int) -> None:
        label = report_label(agencies[pk], day)
        counts[label] += n
        order[label] = report_order(agencies[pk], day)

    for pk, n in per_agency.items():
        if pk not in renamed:
            add(pk, start, n)
    if renamed:
        by_day = (
            parts.filter(agency__in=renamed)
            .values_list("agency", "case__received_on")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for pk, day, n in by_day:
            add(pk, day, n)
    rows = OrderedDict(sorted(counts.items(), key=lambda item: (-item[1], order[item[0]])))
    lead = Assignment.objects.leads().filter(case=OuterRef("pk"))
    without = (
        received(kind, start, end)
        .exclude(Exists(lead))
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return LeadCounts(rows, dict(without))


def count_by_month(kind: str, start: dt.date, end: dt.date) -> OrderedDict[dt.date, int]:
    rows = (
        received(kind, start, end)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return OrderedDict((_as_date(r["month"]), r["n"]) for r in rows)


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def count_by_status(kind: str, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = received(kind, start, end).values("status").annotate(n=Count("pk")).order_by()
    return {r["status"]: r["n"] for r in rows}


@dataclass(frozen=True)
class OnTime:
    replied: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.replied if self.replied else None


def on_time_replies(kind: str, start: dt.date, end: dt.date) -> OnTime:
    """Replied parts of cases received in the period, and how many were replied by their
    deadline (after any approved extension)."""
    replied = Assignment.objects.filter(
        case__kind=kind, case__received_on__range=(start, end), status="replied"
    )
    return OnTime(replied.count(), replied.exclude(late_reply_q()).count())


def late_parts(
    kind: str, start: dt.date, end: dt.date, as_of: dt.date | dt.datetime
) -> QuerySet[Assignment]:
    """Parts of cases received in the period that missed their deadline: replied after it,
    or still unanswered after it as of ``as_of``. Withdrawn parts (改分) do not count."""
    return Assignment.objects.filter(case__kind=kind, case__received_on__range=(start, end)).late(
        as_of
    )


@dataclass(frozen=True)
class TrackedCounts:
    """列管 items of one lead agency (its report label): received in the period (``issued``),
    released (解除列管: every part, so the case is answered) by the day asked, still tracked
    (``open``), and of those the ones with a progress report overdue that day."""

    agency: str
    issued: int
    released: int
    open: int
    overdue: int


def tracked_by_lead_agency(
    kind: str, start: dt.date, end: dt.date, as_of: dt.date
) -> list[TrackedCounts]:
    """A tracked kind's (``CaseKind.tracking``) cases received in the period by lead agency in
    force, under the report label of each case's received date, most first; released and
    overdue as of ``as_of`` (the period's end, or today while it runs)."""
    leads = _lead_parts(kind, start, end).select_related("case", "agency")
    overdue = set(
        Assignment.objects.current()
        .filter(case__kind=kind, case__received_on__range=(start, end))
        .filter(overdue_q(as_of))
        .values_list("case_id", flat=True)
    )
    figures: dict[str, list[int]] = {}
    order: dict[str, int] = {}
    for part in leads:
        day = part.case.received_on
        label = report_label(part.agency, day)
        order[label] = report_order(part.agency, day)
        released = part.case.replied_on is not None and part.case.replied_on <= as_of
        row = figures.setdefault(label, [0, 0, 0])
        row[0] += 1
        row[1] += released
        row[2] += not released and part.case_id in overdue
    rows = [
        TrackedCounts(label, n, released, n - released, late)
        for label, (n, released, late) in figures.items()
    ]
    return sorted(rows, key=lambda r: (-r.issued, order[r.agency]))
