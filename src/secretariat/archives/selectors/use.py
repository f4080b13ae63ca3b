"""檔案數位化、檔案應用、考評 reads: querysets limited to what the person may see (an agency's
archivists their agency's; the Secretariat's archivists and administrators every agency's;
an applicant their own applications), and the figures of the report sections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from secretariat.archives import permissions
from secretariat.archives.models import (
    ApplicationStatus,
    DigitizationBatch,
    DigitizationProject,
    FollowUp,
    Inspection,
    Quality,
    RequestDecision,
    UseApplication,
    UseRequest,
)
from secretariat.core import roc
from secretariat.core.permissions import scope_to_agency


def _all_or_agency(queryset: QuerySet, user, field: str = "agency") -> QuerySet:
    """The Secretariat's archivists see every agency's; others what their agency scope allows."""
    if permissions.is_reviewer(user):
        return queryset
    return scope_to_agency(queryset, user, field)


def projects_for(user) -> QuerySet[DigitizationProject]:
    return _all_or_agency(DigitizationProject.objects.select_related("agency"), user)


def batches_for(user) -> QuerySet[DigitizationBatch]:
    return _all_or_agency(
        DigitizationBatch.objects.select_related("project", "agency", "recorded_by"), user
    )


def applications_for(user) -> QuerySet[UseApplication]:
    """An agency's archivists see the applications for its records; anyone their own."""
    applications = UseApplication.objects.select_related("agency")
    if not permissions.signed_in(user):
        return applications.none()
    if permissions.is_reviewer(user):
        return applications
    own = Q(applicant=user)
    if permissions.is_archivist(user) and user.agency_id is not None:
        own |= Q(agency_id=user.agency_id)
    return applications.filter(own)


def waiting_decision(user) -> QuerySet[UseApplication]:
    """待准駁 of the person's agency, the soonest due first."""
    if not permissions.is_archivist(user) or user.agency_id is None:
        return UseApplication.objects.none()
    return UseApplication.objects.filter(
        agency_id=user.agency_id, status=ApplicationStatus.RECEIVED
    ).order_by("decision_due", "pk")


def inspections_for(user) -> QuerySet[Inspection]:
    return _all_or_agency(Inspection.objects.select_related("agency"), user)


def open_follow_ups(user) -> QuerySet[FollowUp]:
    return (
        _all_or_agency(
            FollowUp.objects.select_related("inspection__agency"), user, "inspection__agency"
        )
        .filter(done_on__isnull=True)
        .order_by("due_on", "pk")
    )


# --- Figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    """數位化完成率 as of a day: passed 件 against the planned 件."""

    agency: str
    target: int
    scanned: int
    pages: int

    @property
    def rate(self) -> Decimal | None:
        return roc.percent_value(self.scanned, self.target) if self.target else None


def completion(as_of: dt.date, agency_id: int | None = None) -> Completion:
    """Every agency's (or one agency's) completion as of ``as_of``: the projects of the
    years up to then, and the batches scanned by then that passed their quality check."""
    projects = DigitizationProject.objects.filter(year__lte=roc.roc_year(as_of))
    batches = DigitizationBatch.objects.filter(quality=Quality.PASSED, scanned_on__lte=as_of)
    if agency_id is not None:
        projects = projects.filter(agency_id=agency_id)
        batches = batches.filter(agency_id=agency_id)
    done = batches.aggregate(items=Sum("items"), pages=Sum("pages"))
    return Completion(
        "",
        projects.aggregate(n=Sum("target_items"))["n"] or 0,
        done["items"] or 0,
        done["pages"] or 0,
    )


def completion_by_agency(as_of: dt.date, agencies: QuerySet | None = None) -> list[Completion]:
    """數位化完成率 per agency as of a quarter's end (the page's and the section's table)."""
    targets = (
        DigitizationProject.objects.filter(year__lte=roc.roc_year(as_of))
        .values("agency_id", "agency__short_name")
        .annotate(n=Sum("target_items"))
    )
    if agencies is not None:
        targets = targets.filter(agency__in=agencies)
    done = {
        row["agency_id"]: row
        for row in DigitizationBatch.objects.filter(quality=Quality.PASSED, scanned_on__lte=as_of)
        .values("agency_id")
        .annotate(items=Sum("items"), pages=Sum("pages"))
    }
    return sorted(
        (
            Completion(
                row["agency__short_name"],
                row["n"],
                done.get(row["agency_id"], {}).get("items") or 0,
                done.get(row["agency_id"], {}).get("pages") or 0,
            )
            for row in targets
        ),
        key=lambda c: (-(c.rate or 0), c.agency),
    )


def quarter_ends(year: int) -> list[dt.date]:
    """The four quarter ends of a 民國 year."""
    western = year + 1911
    return [
        dt.date(western, 3, 31),
        dt.date(western, 6, 30),
        dt.date(western, 9, 30),
        dt.date(western, 12, 31),
    ]


@dataclass(frozen=True)
class QuarterRow:
    agency: str
    rates: tuple[Decimal | None, ...]  # as of each quarter's end (None: not yet reached)


def quarterly(year: int, as_of: dt.date, agencies: QuerySet | None = None) -> list[QuarterRow]:
    """數位化完成率 per agency at each quarter's end of a 民國 year (quarters not yet ended
    are None): the page's quarterly table."""
    ends = [end for end in quarter_ends(year) if end <= as_of]
    by_quarter = [{c.agency: c.rate for c in completion_by_agency(end, agencies)} for end in ends]
    names = sorted({name for quarter in by_quarter for name in quarter})
    return [
        QuarterRow(
            name,
            tuple(q.get(name) for q in by_quarter) + (None,) * (4 - len(by_quarter)),
        )
        for name in names
    ]


@dataclass(frozen=True)
class UseFigures:
    applications: int
    records: int
    approved: int
    partly: int
    refused: int
    on_time: int
    decided: int
    fees: int


def use_figures(start: dt.date, end: dt.date) -> UseFigures:
    """檔案應用 received in the span: applications, records asked for and their decisions,
    how many applications were decided by their deadline, fees charged."""
    applications = UseApplication.objects.filter(received_on__range=(start, end))
    decided = applications.filter(status=ApplicationStatus.DECIDED)
    on_time = decided.filter(
        Q(extended_due__isnull=True, decided_on__lte=F("decision_due"))
        | Q(extended_due__isnull=False, decided_on__lte=F("extended_due"))
    )
    requests = UseRequest.objects.filter(application__in=applications)
    by_decision = dict(
        requests.values_list("decision").annotate(n=Count("pk")).values_list("decision", "n")
    )
    return UseFigures(
        applications.count(),
        requests.count(),
        by_decision.get(RequestDecision.APPROVED, 0),
        by_decision.get(RequestDecision.PARTLY, 0),
        by_decision.get(RequestDecision.REFUSED, 0),
        on_time.count(),
        decided.count(),
        decided.aggregate(n=Sum("fee"))["n"] or 0,
    )


@dataclass(frozen=True)
class InspectionRow:
    agency: str
    kind: str
    inspected_on: dt.date
    points: Decimal
    full_marks: int
    follow_ups: int
    done: int


def inspections_in(start: dt.date, end: dt.date) -> list[InspectionRow]:
    """考評 held in the span, with the total score and the follow-up items done."""
    rows = (
        Inspection.objects.filter(inspected_on__range=(start, end))
        .select_related("agency")
        .annotate(
            points=Sum("scores__points"),
            full_marks=Sum("scores__full_marks"),
        )
        .order_by("agency__sort_order", "inspected_on")
    )
    follow = {
        row["inspection_id"]: row
        for row in FollowUp.objects.filter(inspection__inspected_on__range=(start, end))
        .values("inspection_id")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(done_on__isnull=False)))
    }
    return [
        InspectionRow(
            i.agency.short_name,
            i.kind,
            i.inspected_on,
            i.points or Decimal(0),
            i.full_marks or 0,
            follow.get(i.pk, {}).get("n", 0),
            follow.get(i.pk, {}).get("done", 0),
        )
        for i in rows
    ]


def pending_for(user) -> list:
    """我的待辦: applications to decide (the agency's archivists, the soonest due first) and
    follow-up items of the agency's inspections still open."""
    from django.urls import reverse
    from django.utils import timezone

    from secretariat.core.modules import PendingItem

    if not permissions.is_archivist(user) or user.agency_id is None:
        return []
    today = timezone.localdate()
    found = [
        PendingItem(
            "檔案應用准駁",
            f"{application.number} {application.applicant_name}",
            reverse("archives:use_application", args=[application.number]),
            application.due,
            application.due < today,
        )
        for application in waiting_decision(user)[:20]
    ]
    follow_ups = FollowUp.objects.filter(
        inspection__agency_id=user.agency_id, done_on__isnull=True
    ).order_by("due_on")[:20]
    found += [
        PendingItem(
            "考評改善事項",
            follow_up.text,
            reverse("archives:inspection", args=[follow_up.inspection_id]),
            follow_up.due_on,
            follow_up.due_on < today,
        )
        for follow_up in follow_ups
    ]
    return found
