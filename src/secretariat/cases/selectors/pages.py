"""Reads for the case pages, exports, dashboard and jobs: the Secretariat's list with its
overview by agency, an agency's queue, the escalation list, and the steps a page offers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import In
from django.utils import timezone

from secretariat.cases import kinds
from secretariat.cases.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentStatus,
    Case,
    CaseStatus,
    RoutingKeyword,
    SavedFilter,
    overdue_q,
)
from secretariat.cases.permissions import (
    AGENCY_WIDE_ROLES,
    REPLY_ROLES,
    acts_for,
    holder_scope,
    is_involved,
    is_router,
    sees_all_cases,
    watched_kinds,
)
from secretariat.cases.selectors.queues import in_queue
from secretariat.cases.selectors.scoped import assignments_for, cases_for, open_assignments_for
from secretariat.core.models import Agency, RoleCode

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
    "due": ("due_on", "due_at", "case__number"),
    "-due": ("-due_on", "-due_at", "-case__number"),
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
    """The parts in force of the outer case (``OuterRef("pk")``) the person may see: all of
    them when they route or track the case's kind, else those they hold. Decided on the outer
    case's kind, so the subquery needs no join back to the case."""
    parts = Assignment.objects.current().filter(case=OuterRef("pk"))
    if sees_all_cases(user):
        return parts
    visible = holder_scope(user)
    watched = watched_kinds(user)
    if watched:
        visible |= Q(In(OuterRef("kind"), sorted(watched)))
    return parts.filter(visible)


def lists_cases(user) -> bool:
    """Whether the person's list shows cases (the Secretariat's routers and those who see
    every case) rather than their own parts (an agency's queue)."""
    return is_router(user) or sees_all_cases(user)


def scope_description(user) -> str:
    """Which cases the person's lists and search show, in words: 「全部類別的全部案件」,
    「人民陳情的全部案件，及秘書處受分辦的案件」 or 「都發局受分辦的案件（僅本機關的分辦）」."""
    if sees_all_cases(user):
        return "全部類別的全部案件"
    routed = watched_kinds(user)  # routed or tracked (列管) by the person's office
    holder = _holder_name(user)
    held = f"{holder}受分辦的案件" if holder else ""
    if routed:
        labels = "、".join(kinds.label(code) for code in kinds.KINDS if code in routed)
        return f"{labels}的全部案件" + (f"，及{held}" if held else "")
    if held:
        return f"{held}（僅本機關的分辦）"
    return "沒有可檢視的案件"


def _holder_name(user) -> str:
    """The holder whose parts the person sees: a contractor, a unit or an agency."""
    if not getattr(user, "is_authenticated", False):
        return ""
    if getattr(user, "contractor_id", None) is not None:
        return user.contractor.name
    if user.agency_id is None:
        return ""
    if user.unit_id is not None and not user.has_role(*AGENCY_WIDE_ROLES):
        return f"{user.agency.short_name}（{user.unit.name}及機關本身）"
    return user.agency.short_name


def case_list_for(
    user,
    at: dt.date | dt.datetime,
    *,
    kind: str = "",
    status: str = "open",
    agency: Agency | None = None,
    overdue: bool = False,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    text: str = "",
    order: str = "-received",
    queue: str = "",
) -> QuerySet[Case]:
    """The Secretariat's case list. ``status`` is a CaseStatus, "open" (未結) or "" (all).
    Each case carries ``lead_agency`` (short name of the lead in force), ``next_due`` (the
    earliest deadline of its unanswered parts) and ``is_overdue`` as of ``at``, counting only
    parts the person may see; with ``agency``, only cases that agency holds a part of, and
    its own deadlines; with ``queue``, only the cases in that work queue of the person
    (``selectors.queues``)."""
    parts = _parts_of_listed_case(user)
    counted = parts.filter(agency=agency) if agency is not None else parts
    active = counted.filter(status__in=(AssignmentStatus.ASSIGNED, AssignmentStatus.DRAFTED))
    queryset = (
        cases_for(user, kind or None)
        .select_related("requester")
        .annotate(
            lead_agency=Subquery(
                parts.filter(role="lead").order_by().values("agency__short_name")[:1]
            ),
            next_due=Subquery(active.order_by("due_on").values("due_on")[:1]),
            is_overdue=Exists(counted.filter(overdue_q(at))),
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
    if queue:
        queryset = queryset.filter(in_queue(user, queue, _moment(at)))
    queryset = _common_filters(
        queryset, "", received_from=received_from, received_to=received_to, text=text
    )
    return _ordered(queryset, CASE_ORDERS, order)


def part_list_for(
    user,
    at: dt.date | dt.datetime,
    *,
    kind: str = "",
    status: str = "open",
    overdue: bool = False,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    text: str = "",
    order: str = "-received",
    queue: str = "",
) -> QuerySet[Assignment]:
    """A holder's queue: its own parts of cases. ``status="open"`` keeps the parts not yet
    replied (open_assignments_for); otherwise ``status`` is the case's status or "" (all).
    With ``queue``, only the parts in that work queue of the person."""
    if status == "open":
        queryset = open_assignments_for(user, at)
    else:
        queryset = assignments_for(user).current().with_overdue(at)
        if status:
            queryset = queryset.filter(case__status=status)
    queryset = queryset.select_related("case__requester")
    if kind:
        queryset = queryset.filter(case__kind=kind)
    if overdue:
        queryset = queryset.filter(is_overdue=True)
    if queue:
        queryset = queryset.filter(in_queue(user, queue, _moment(at), prefix="case__"))
    queryset = _common_filters(
        queryset, "case__", received_from=received_from, received_to=received_to, text=text
    )
    return _ordered(queryset, PART_ORDERS, order)


def _moment(at: dt.date | dt.datetime) -> dt.datetime:
    """Queues are as of a moment (a deadline in hours passes during the day)."""
    if isinstance(at, dt.datetime):
        return at
    return timezone.make_aware(dt.datetime.combine(at, dt.time.min))


@dataclass(frozen=True)
class AgencyLoad:
    agency: Agency
    open: int
    overdue: int
    oldest_assigned_on: dt.date | None


def _open_parts(user) -> QuerySet[Assignment]:
    """Unanswered parts the person may see. An unanswered part always belongs to an open case:
    saying so lets the database start from the few open cases instead of all of them."""
    return assignments_for(user).active().filter(case__status__in=OPEN_STATUSES)


def open_by_agency(user, at: dt.date | dt.datetime, kind: str | None = None) -> list[AgencyLoad]:
    """The Secretariat's overview: open parts per agency with overdue counts and the oldest."""
    queryset = _open_parts(user)
    if kind:
        queryset = queryset.filter(case__kind=kind)
    rows = (
        queryset.values("agency")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=overdue_q(at)),
            first=Min("assigned_on"),
        )
        .order_by()
    )
    agencies = Agency.objects.in_bulk([r["agency"] for r in rows])
    loads = [AgencyLoad(agencies[r["agency"]], r["open"], r["overdue"], r["first"]) for r in rows]
    return sorted(loads, key=lambda load: (-load.overdue, -load.open, load.agency.sort_order))


def overdue_assignments(user, at: dt.date | dt.datetime) -> QuerySet[Assignment]:
    """The escalation list: overdue parts the person may see, most overdue first."""
    # overdue_q says the part is unanswered: not said twice, or PostgreSQL counts the condition
    # twice, expects 30 times fewer rows and sorts every overdue part instead of reading the
    # partial index in order.
    return (
        assignments_for(user)
        .filter(case__status__in=OPEN_STATUSES)
        .filter(overdue_q(at))
        .select_related("case", "agency", "unit", "contractor", "officer")
        .order_by("due_on", "due_at", "id")  # assignment_open_due_idx's order
    )


def next_to_route(user, after: Case) -> Case | None:
    """The next case of the same kind waiting to be routed, in the 待分辦 queue's order
    (oldest received first): where 「分辦並處理下一件」 goes."""
    waiting = cases_for(user, after.kind).filter(status=CaseStatus.PENDING).exclude(pk=after.pk)
    return waiting.order_by("received_on", "number").first()


def saved_filters_for(user) -> QuerySet[SavedFilter]:
    """The person's own saved filters of the case list (常用篩選); nobody else's."""
    if not getattr(user, "is_authenticated", False):
        return SavedFilter.objects.none()
    return SavedFilter.objects.filter(owner=user)


def open_case_count(user) -> int:
    return cases_for(user).filter(status__in=OPEN_STATUSES).count()


@dataclass(frozen=True)
class PartActions:
    """What the person may do on one part (分辦) of a case."""

    assign_officer: bool = False
    take: bool = False  # 指定由我承辦
    draft: bool = False
    approve: bool = False
    request_reassignment: bool = False
    request_extension: bool = False
    report_progress: bool = False
    release: bool = False
    reassign_until: dt.date | None = None


@dataclass(frozen=True)
class CaseActions:
    route: bool = False
    close: bool = False
    file: bool = False
    withdraw: bool = False
    merge: bool = False
    note: bool = False
    decide: bool = False
    parts: dict[int, PartActions] | None = None


def actions_for(user, case: Case, today: dt.date) -> CaseActions:
    """The steps to offer on a case fetched with case_for. Only decides which forms a page
    shows: the services check every rule again when the step is taken."""
    from secretariat.cases.services import may_release, reassign_until

    router = is_router(user, case.kind)
    kind = kinds.get(case.kind)
    tracked = kind.tracking is not None
    in_progress = case.status == CaseStatus.IN_PROGRESS
    parts = {}
    for part in case.visible_assignments:
        active = part.is_active
        replies = acts_for(user, part, REPLY_ROLES)
        approves = acts_for(user, part, kind.approver_roles)
        until = reassign_until(part)
        supervises = acts_for(user, part, kind.approver_roles | {RoleCode.REGISTRY_CLERK})
        assigns = router or supervises
        may_handle = supervises or acts_for(user, part, {RoleCode.CASE_OFFICER})
        takes = may_handle and part.officer_id != user.pk and (not part.officer_id or supervises)
        # A draft awaiting approval is revised by its officer and approved (or edited) by a
        # supervisor, so a supervisor is offered the approval only.
        revises = part.status == AssignmentStatus.DRAFTED and not approves
        drafts = part.status == AssignmentStatus.ASSIGNED or revises
        parts[part.pk] = PartActions(
            assign_officer=active and assigns,
            take=active and takes,
            draft=in_progress and replies and drafts and not tracked,
            approve=approves and part.status == AssignmentStatus.DRAFTED,
            request_reassignment=active and in_progress and replies and today <= until,
            request_extension=active and in_progress and replies,
            report_progress=tracked and active and in_progress and replies,
            release=tracked and active and in_progress and may_release(user, part),
            reassign_until=until,
        )
    unanswered = case.status in (CaseStatus.PENDING, CaseStatus.IN_PROGRESS)
    return CaseActions(
        route=router and case.status == CaseStatus.PENDING,
        close=router and case.status == CaseStatus.REPLIED,
        file=router and unanswered,
        withdraw=router and unanswered,
        merge=router and unanswered,
        note=is_involved(user, case),
        decide=router,
        parts=parts,
    )


def parts_due_by(day: dt.date) -> QuerySet[Assignment]:
    """Every unanswered part due on or before ``day``, all holders (for the reminder job,
    never for a person's page)."""
    return (
        Assignment.objects.active()
        .filter(due_on__lte=day)
        .select_related("case", "agency", "unit", "contractor", "officer")
        .order_by("due_on", "due_at", "case__number")
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
