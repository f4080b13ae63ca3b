"""Reads of the case engine, limited to what the person may see, and the statistics the
reports use. An agency sees the cases it holds a part of, and only its own parts."""

from __future__ import annotations

import datetime as dt
from collections import Counter, OrderedDict
from dataclasses import dataclass

from django.db.models import Case as Case_
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, When
from django.db.models.functions import TruncMonth
from django.db.models.lookups import In
from django.http import Http404

from secretariat.cases.models import (
    ACTIVE_ASSIGNMENT,
    OPEN_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseLink,
    Extension,
    Reassignment,
    RequestStatus,
    RoutingKeyword,
)
from secretariat.cases.permissions import is_router, routed_kinds, sees_all_cases
from secretariat.core.models import Agency
from secretariat.core.registry import report_label, report_order


def _part_scope(user, prefix: str = "") -> Q | None:
    """Which assignments the person sees (None: all): every part of the kinds they route, and
    their own agency's parts. ``prefix`` points from another model to the assignment."""
    if sees_all_cases(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    scope = Q(**{f"{prefix}case__kind__in": routed_kinds(user)})
    if user.agency_id is not None:
        scope |= Q(**{f"{prefix}agency_id": user.agency_id})
    return scope


def held_parts() -> QuerySet[Assignment]:
    """The parts that make their agency hold a case: every one not withdrawn by 改分."""
    return Assignment.objects.exclude(status=AssignmentStatus.WITHDRAWN)


def case_visibility(user) -> tuple[frozenset[str], int | None] | None:
    """Which cases the person may see: None for all of them; otherwise the kinds they see
    whole (the kinds they route) and the agency whose held cases they see (or None)."""
    if sees_all_cases(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return frozenset(), None
    return routed_kinds(user), user.agency_id


def cases_for(user, kind: str | None = None) -> QuerySet[Case]:
    """Cases the person may see (``case_visibility``): all of the kinds they route; otherwise
    the cases their agency holds a part of."""
    queryset = Case.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    visibility = case_visibility(user)
    if visibility is None:
        return queryset
    kinds, agency_id = visibility
    scope = Q(kind__in=kinds)
    if agency_id is not None:
        scope |= Q(Exists(held_parts().filter(case=OuterRef("pk"), agency_id=agency_id)))
    return queryset.filter(scope)


def assignments_for(user, case: Case | None = None) -> QuerySet[Assignment]:
    queryset = Assignment.objects.select_related("agency", "officer", "case")
    if case is not None:
        queryset = queryset.filter(case=case)
    scope = _part_scope(user)
    return queryset if scope is None else queryset.filter(scope)


def case_for(user, number: str) -> Case:
    """The case with that number if the person may see it; Http404 otherwise."""
    lead_first = Case_(When(role=AssignmentRole.LEAD, then=0), default=1)
    visible = (
        assignments_for(user)
        .exclude(status=AssignmentStatus.WITHDRAWN)
        .order_by(lead_first, "agency__code")
    )
    case = (
        cases_for(user)
        .prefetch_related(
            Prefetch("assignments", queryset=visible, to_attr="visible_assignments"), "attachments"
        )
        .filter(number=number)
        .first()
    )
    if case is None:
        raise Http404
    return case


def related_cases(user, case: Case) -> list[CaseLink]:
    visible = cases_for(user).values("pk")
    return list(CaseLink.objects.filter(case=case, related__in=visible).select_related("related"))


def pending_requests(
    user, case: Case | None = None
) -> tuple[QuerySet[Reassignment], QuerySet[Extension]]:
    reassign = Reassignment.objects.filter(status=RequestStatus.PENDING).select_related(
        "assignment__case", "assignment__agency"
    )
    extend = Extension.objects.filter(status=RequestStatus.PENDING).select_related(
        "assignment__case", "assignment__agency"
    )
    if case is not None:
        reassign, extend = (
            reassign.filter(assignment__case=case),
            extend.filter(assignment__case=case),
        )
    scope = _part_scope(user, "assignment__")
    if scope is not None:
        reassign, extend = reassign.filter(scope), extend.filter(scope)
    return reassign, extend


def open_assignments_for(user, today: dt.date, **filters) -> QuerySet[Assignment]:
    """Open parts the person may see, with ``is_overdue`` computed for ``today``."""
    return (
        assignments_for(user)
        .filter(status__in=ACTIVE_ASSIGNMENT, **filters)
        .with_overdue(today)
        .select_related("case", "agency", "officer")
    )


@dataclass(frozen=True)
class AgencyLoad:
    agency: Agency
    open: int
    overdue: int
    oldest_assigned_on: dt.date | None


def _open_parts(user) -> QuerySet[Assignment]:
    """Unanswered parts the person may see. An unanswered part always belongs to an open case:
    saying so lets the database start from the few open cases instead of all of them."""
    return assignments_for(user).filter(
        status__in=ACTIVE_ASSIGNMENT, case__status__in=OPEN_STATUSES
    )


def open_by_agency(user, today: dt.date, kind: str | None = None) -> list[AgencyLoad]:
    """The Secretariat's overview: open parts per agency with overdue counts and the oldest."""
    queryset = _open_parts(user)
    if kind:
        queryset = queryset.filter(case__kind=kind)
    rows = (
        queryset.values("agency")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            first=Min("assigned_on"),
        )
        .order_by()
    )
    agencies = Agency.objects.in_bulk([r["agency"] for r in rows])
    loads = [AgencyLoad(agencies[r["agency"]], r["open"], r["overdue"], r["first"]) for r in rows]
    return sorted(loads, key=lambda load: (-load.overdue, -load.open, load.agency.sort_order))


def overdue_assignments(user, today: dt.date) -> QuerySet[Assignment]:
    """The escalation list: overdue parts, most overdue first."""
    return (
        _open_parts(user)
        .filter(due_on__lt=today)
        .select_related("case", "agency", "officer")
        .order_by("due_on")
    )


# --- Statistics (for reports) ------------------------------------------------------------------


def _lead_assignments(kind: str, start: dt.date, end: dt.date) -> QuerySet[Assignment]:
    """The lead part of each case received in the period (the current lead after any 改分)."""
    return Assignment.objects.filter(
        case__kind=kind, case__received_on__range=(start, end), role=AssignmentRole.LEAD
    ).exclude(status=AssignmentStatus.WITHDRAWN)


def count_by_lead_agency(kind: str, start: dt.date, end: dt.date) -> OrderedDict[str, int]:
    """Cases received in the period per lead agency, under the report label in force on each
    case's received date (the registry's grouping rules, e.g. 民政局（含區公所）), largest
    first; ties in the registry's order."""
    parts = _lead_assignments(kind, start, end)
    per_agency = dict(parts.values_list("agency").annotate(n=Count("pk")).order_by())
    agencies = Agency.objects.prefetch_related("name_history", "report_groups").in_bulk(per_agency)
    # Only an agency renamed inside the period needs its cases counted day by day.
    renamed = [pk for pk, agency in agencies.items() if agency.renamed_within(start, end)]
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}

    def add(pk: int, day: dt.date, n: int) -> None:
        label = report_label(agencies[pk], day)
        counts[label] += n
        order[label] = report_order(agencies[pk])

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
    return OrderedDict(sorted(counts.items(), key=lambda item: (-item[1], order[item[0]])))


def count_by_month(kind: str, start: dt.date, end: dt.date) -> OrderedDict[dt.date, int]:
    rows = (
        Case.objects.filter(kind=kind, received_on__range=(start, end))
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return OrderedDict((_as_date(r["month"]), r["n"]) for r in rows)


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def count_by_status(kind: str, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (
        Case.objects.filter(kind=kind, received_on__range=(start, end))
        .values("status")
        .annotate(n=Count("pk"))
    )
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
        case__kind=kind, case__received_on__range=(start, end), status=AssignmentStatus.REPLIED
    )
    return OnTime(replied.count(), replied.filter(replied_on__lte=F("due_on")).count())


def late_parts(kind: str, start: dt.date, end: dt.date, as_of: dt.date) -> QuerySet[Assignment]:
    """Parts of cases received in the period that missed their deadline: replied after it,
    or still unanswered after it as of ``as_of``. Withdrawn parts (改分) do not count."""
    parts = Assignment.objects.filter(
        case__kind=kind, case__received_on__range=(start, end)
    ).exclude(status=AssignmentStatus.WITHDRAWN)
    return parts.filter(
        Q(status=AssignmentStatus.REPLIED, replied_on__gt=F("due_on"))
        | Q(status__in=ACTIVE_ASSIGNMENT, due_on__lt=as_of)
    )


def open_case_count(user) -> int:
    return cases_for(user).filter(status__in=OPEN_STATUSES).count()


# --- Pages, exports, dashboard and jobs (the case UI) ------------------------------------------
# Appended for the case pages; imports are local so that the engine's import block stays as is.

CASE_ORDERS = {
    "-received": ("-received_on", "-number"),
    "received": ("received_on", "number"),
    "due": ("next_due", "number"),
    "-due": ("-next_due", "-number"),
    "number": ("number",),
    "-number": ("-number",),
}
PART_ORDERS = {
    "-received": ("-case__received_on", "-case__number"),
    "received": ("case__received_on", "case__number"),
    "due": ("due_on", "case__number"),
    "-due": ("-due_on", "-case__number"),
    "number": ("case__number",),
    "-number": ("-case__number",),
}


def _ordered(queryset: QuerySet, orders: dict, order: str) -> QuerySet:
    keys = []
    for key in orders.get(order) or orders["-received"]:
        field = F(key.lstrip("-"))
        # Cases not routed yet have no deadline: last either way.
        descending = key.startswith("-")
        keys.append(field.desc(nulls_last=True) if descending else field.asc(nulls_last=True))
    return queryset.order_by(*keys)


def _common_filters(
    queryset: QuerySet, prefix: str, *, received_from, received_to, text
) -> QuerySet:
    if received_from:
        queryset = queryset.filter(**{f"{prefix}received_on__gte": received_from})
    if received_to:
        queryset = queryset.filter(**{f"{prefix}received_on__lte": received_to})
    if text:
        queryset = queryset.filter(
            Q(**{f"{prefix}subject__icontains": text}) | Q(**{f"{prefix}number__icontains": text})
        )
    return queryset


def _parts_of_listed_case(user) -> QuerySet[Assignment]:
    """The parts of the outer case (``OuterRef("pk")``) the person may see: all of them when
    they route the case's kind, else their agency's. Decided on the outer case's kind, so
    the subquery needs no join back to the case."""
    parts = Assignment.objects.filter(case=OuterRef("pk"))
    if sees_all_cases(user):
        return parts
    visible = Q(agency_id=user.agency_id)
    routed = routed_kinds(user)
    if routed:
        visible |= Q(In(OuterRef("kind"), sorted(routed)))
    return parts.filter(visible)


def case_list_for(
    user,
    today: dt.date,
    *,
    kind: str = "",
    status: str = "open",
    agency: Agency | None = None,
    overdue: bool = False,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    text: str = "",
    order: str = "-received",
) -> QuerySet[Case]:
    """The Secretariat's case list. ``status`` is a CaseStatus, "open" (未結) or "" (all).
    Each case carries ``lead_agency`` (short name), ``next_due`` (the earliest deadline of its
    unanswered parts) and ``is_overdue``, counting only parts the person may see; with
    ``agency``, only cases that agency holds a part of, and its own deadlines."""
    from django.db.models import Subquery

    parts = _parts_of_listed_case(user).exclude(status=AssignmentStatus.WITHDRAWN)
    counted = parts.filter(agency=agency) if agency is not None else parts
    active = counted.filter(status__in=ACTIVE_ASSIGNMENT)
    queryset = (
        cases_for(user, kind or None)
        .select_related("requester")
        .annotate(
            lead_agency=Subquery(
                parts.filter(role=AssignmentRole.LEAD).order_by().values("agency__short_name")[:1]
            ),
            next_due=Subquery(active.order_by("due_on").values("due_on")[:1]),
            is_overdue=Exists(active.filter(due_on__lt=today)),
        )
    )
    if status == "open":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif status:
        queryset = queryset.filter(status=status)
    if agency is not None:
        queryset = queryset.filter(Exists(counted))
    if overdue:
        queryset = queryset.filter(is_overdue=True)
    queryset = _common_filters(
        queryset, "", received_from=received_from, received_to=received_to, text=text
    )
    return _ordered(queryset, CASE_ORDERS, order)


def part_list_for(
    user,
    today: dt.date,
    *,
    kind: str = "",
    status: str = "open",
    overdue: bool = False,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    text: str = "",
    order: str = "-received",
) -> QuerySet[Assignment]:
    """An agency's queue: its own parts of cases. ``status="open"`` keeps the parts not yet
    replied (open_assignments_for); otherwise ``status`` is the case's status or "" (all)."""
    if status == "open":
        queryset = open_assignments_for(user, today)
    else:
        queryset = (
            assignments_for(user).exclude(status=AssignmentStatus.WITHDRAWN).with_overdue(today)
        )
        if status:
            queryset = queryset.filter(case__status=status)
    queryset = queryset.select_related("case__requester")
    if kind:
        queryset = queryset.filter(case__kind=kind)
    if overdue:
        queryset = queryset.filter(is_overdue=True)
    queryset = _common_filters(
        queryset, "case__", received_from=received_from, received_to=received_to, text=text
    )
    return _ordered(queryset, PART_ORDERS, order)


@dataclass(frozen=True)
class PartActions:
    """What the person may do on one part (分辦) of a case."""

    assign_officer: bool = False
    draft: bool = False
    approve: bool = False
    request_reassignment: bool = False
    request_extension: bool = False
    reassign_until: dt.date | None = None


@dataclass(frozen=True)
class CaseActions:
    route: bool = False
    close: bool = False
    file: bool = False
    decide: bool = False
    parts: dict[int, PartActions] | None = None


def actions_for(user, case: Case, today: dt.date) -> CaseActions:
    """The steps to offer on a case fetched with case_for. Only decides which forms a page
    shows: the services check every rule again when the step is taken."""
    from secretariat.cases import kinds
    from secretariat.cases.models import CaseStatus
    from secretariat.cases.permissions import REPLY_ROLES, acts_for
    from secretariat.core import workdays
    from secretariat.core.models import RoleCode

    router = is_router(user, case.kind)
    approver_roles = kinds.get(case.kind).approver_roles
    in_progress = case.status == CaseStatus.IN_PROGRESS
    reassign_days = kinds.rules_for(case.kind).reassign_days
    parts = {}
    for part in case.visible_assignments:
        active = part.status in ACTIVE_ASSIGNMENT
        replies = acts_for(user, part.agency_id, REPLY_ROLES)
        approves = acts_for(user, part.agency_id, approver_roles)
        until = workdays.add_working_days(part.assigned_on, reassign_days)
        assigns = router or acts_for(
            user, part.agency_id, approver_roles | {RoleCode.REGISTRY_CLERK}
        )
        # A draft awaiting approval is revised by its officer and approved (or edited) by a
        # supervisor, so a supervisor is offered the approval only.
        revises = part.status == AssignmentStatus.DRAFTED and not approves
        parts[part.pk] = PartActions(
            assign_officer=active and assigns,
            draft=in_progress and replies and (part.status == AssignmentStatus.ASSIGNED or revises),
            approve=approves and part.status == AssignmentStatus.DRAFTED,
            request_reassignment=active and in_progress and replies and today <= until,
            request_extension=active and in_progress and replies,
            reassign_until=until,
        )
    return CaseActions(
        route=router and case.status == CaseStatus.PENDING,
        close=router and case.status == CaseStatus.REPLIED,
        file=router and case.status in (CaseStatus.PENDING, CaseStatus.IN_PROGRESS),
        decide=router,
        parts=parts,
    )


def assignable_officers(assignment: Assignment):
    """People of the part's agency who may handle it (承辦人, 主管, 首長)."""
    from secretariat.cases.permissions import REPLY_ROLES
    from secretariat.core.models import User

    return (
        User.objects.filter(
            agency_id=assignment.agency_id, is_active=True, roles__code__in=REPLY_ROLES
        )
        .distinct()
        .order_by("display_name", "username")
    )


def agency_people(agency_id: int, roles) -> list:
    """Active people of an agency holding one of ``roles`` (for notifications)."""
    from secretariat.core.models import User

    people = User.objects.filter(agency_id=agency_id, is_active=True, roles__code__in=list(roles))
    return list(people.distinct())


def audit_trail_for(user, case: Case):
    """Audit entries of the case and of the parts (and their requests) the person may see,
    newest first. Whoever sees every case (the Secretariat's routers) reads the whole trail of
    those records; others read them under the core agency scope (their own agency's entries)."""
    from secretariat.core.models import AuditEntry
    from secretariat.core.selectors import audit_entries_for

    if sees_all_cases(user) or is_router(user, case.kind):
        entries = AuditEntry.objects.select_related("actor").order_by("-seq")
    else:
        entries = audit_entries_for(user)
    parts = [part.pk for part in case.visible_assignments]
    requests = {
        "cases.reassignment": Reassignment.objects.filter(assignment__in=parts),
        "cases.extension": Extension.objects.filter(assignment__in=parts),
    }
    wanted = Q(object_type="cases.case", object_id=str(case.pk)) | Q(
        object_type="cases.assignment", object_id__in=[str(pk) for pk in parts]
    )
    for object_type, queryset in requests.items():
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        wanted |= Q(object_type=object_type, object_id__in=ids)
    return entries.filter(wanted)


def my_open_parts(user, today: dt.date) -> list[Assignment]:
    """Unanswered parts of the person's own agency: their own first, then by deadline."""
    from django.db.models import Case as Choose
    from django.db.models import IntegerField, Value, When

    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return []
    mine_first = Choose(
        When(officer_id=user.pk, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    parts = open_assignments_for(user, today, agency_id=user.agency_id)
    return list(parts.order_by(mine_first, "due_on", "case__number"))


def parts_due_by(day: dt.date) -> QuerySet[Assignment]:
    """Every unanswered part due on or before ``day``, all agencies (for the reminder job,
    never for a person's page)."""
    return (
        Assignment.objects.active()
        .filter(due_on__lte=day)
        .select_related("case", "agency", "officer")
        .order_by("due_on", "case__number")
    )


def routing_keywords(on: dt.date) -> list[tuple[str, str, float]]:
    """The keyword table (分辦關鍵字) as (keyword, agency code, weight), for the agencies in
    force on ``on``."""
    in_force = Agency.objects.in_force_on(on)
    return list(
        RoutingKeyword.objects.filter(agency__in=in_force, weight__gt=0)
        .order_by("agency__sort_order", "keyword")
        .values_list("keyword", "agency__code", "weight")
    )
