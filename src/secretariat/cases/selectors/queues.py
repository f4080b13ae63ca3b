"""Work queues (工作佇列) on 我的待辦: what waits for the person, by role, each one click from
its filtered list (``core.modules.Queue``) — and the list's filter is the same query as the queue's count.

* routers: 待分辦 per kind they route, 改分/展期待核定, and the escalation list;
* approvers: 待我核定 (drafts of their parts awaiting approval);
* holders (officers, supervisors, heads, 研考, a contractor's people): 即將到期 (the
  reminder rule: within the kind's ``remind_days_before`` working days), 已逾期 (the one
  overdue rule) and 尚未指定承辦人.

Each queue counts the rows its list shows (parts for a holder's list, cases for the
Secretariat's) and, of its parts, how many are due today and how many are overdue."""

from __future__ import annotations

import datetime as dt
import functools
import operator

from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from secretariat.cases import kinds
from secretariat.cases.deadlines import reminder_horizons
from secretariat.cases.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentStatus,
    Case,
    CaseStatus,
    overdue_q,
)
from secretariat.cases.permissions import (
    REPLY_ROLES,
    holder_scope,
    routed_kinds,
)
from secretariat.cases.selectors.scoped import cases_for
from secretariat.core import roc
from secretariat.core.models import RoleCode
from secretariat.core.modules import Queue

# The queues a list can be filtered by (?queue=…), in the order the dashboard shows them.
APPROVAL, DUE_SOON, OVERDUE, UNASSIGNED, REQUESTS = (
    "approval",
    "due_soon",
    "overdue",
    "unassigned",
    "requests",
)
QUEUE_LABELS = {
    APPROVAL: "待我核定",
    DUE_SOON: "即將到期",
    OVERDUE: "已逾期",
    UNASSIGNED: "尚未指定承辦人",
    REQUESTS: "改分/展期待核定",
}
HOLDER_QUEUES = (APPROVAL, DUE_SOON, OVERDUE, UNASSIGNED)
# Who hears of a part's deadline (docs/cases.md, Reminders) sees its holder queues.
HOLDER_ROLES = REPLY_ROLES | {RoleCode.RDEC_OFFICER}


def approved_kinds(user) -> list[str]:
    """The kinds whose drafts the person approves for the parts they hold (a contractor's
    people approve their own, as its officers)."""
    if getattr(user, "contractor_id", None) is not None:
        return [code for code, kind in kinds.KINDS.items() if kind.reply_approval]
    return [
        code
        for code, kind in kinds.KINDS.items()
        if kind.reply_approval and user.has_role(*kind.approver_roles)
    ]


def handles_parts(user) -> bool:
    """Holds parts as someone who answers them or hears of their deadlines."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "contractor_id", None) is not None:
        return True
    return user.agency_id is not None and user.has_role(*HOLDER_ROLES)


def queues_of(user) -> list[str]:
    """The queue keys that apply to the person (the list's 工作佇列 filter offers these)."""
    keys = []
    if handles_parts(user):
        if approved_kinds(user):
            keys.append(APPROVAL)
        keys += [DUE_SOON, OVERDUE, UNASSIGNED]
    if routed_kinds(user) != frozenset():
        keys.append(REQUESTS)
    return keys


def _due_soon_q(today: dt.date) -> Q:
    """Due within the reminder horizon of the part's kind (the reminder job's rule)."""
    arms = [
        Q(case__kind=code, due_on__lte=horizon)
        for code, horizon in reminder_horizons(today).items()
    ]
    return functools.reduce(operator.or_, arms, Q(pk__in=[]))


def queue_parts(user, key: str, at: dt.datetime) -> QuerySet[Assignment]:
    """The unanswered parts the person holds that are in the holder queue ``key``."""
    today = timezone.localdate(at)
    parts = Assignment.objects.active().filter(holder_scope(user), case__status__in=OPEN_STATUSES)
    if key == APPROVAL:
        return parts.filter(status=AssignmentStatus.DRAFTED, case__kind__in=approved_kinds(user))
    if key == DUE_SOON:
        return parts.filter(_due_soon_q(today)).exclude(overdue_q(at))
    if key == OVERDUE:
        return parts.filter(overdue_q(at))
    if key == UNASSIGNED:
        return parts.filter(officer__isnull=True)
    return parts.none()


def request_cases(user) -> QuerySet[Case]:
    """Cases of the kinds the person routes with a 改分 or 展期 request awaiting a decision
    (one at a time per case)."""
    routed = routed_kinds(user)
    cases = Case.objects.filter(status__in=(CaseStatus.REASSIGNING, CaseStatus.EXTENDING))
    return cases if routed is None else cases.filter(kind__in=routed)


def in_queue(user, key: str, at: dt.datetime, prefix: str = "") -> Q:
    """The list filter of a queue: for cases (``prefix=""``) the cases having a part in it,
    for parts (``prefix="case__"`` lists parts) the parts themselves."""
    if key == REQUESTS:
        return Q(**{f"{prefix}pk__in": request_cases(user).values("pk")})
    if key not in HOLDER_QUEUES or key not in queues_of(user):
        return Q(pk__in=[])
    parts = queue_parts(user, key, at)
    if prefix:
        return Q(pk__in=parts.values("pk"))
    return Q(pk__in=parts.values("case_id"))


def _list_url(**query) -> str:
    return f"{reverse('cases:list')}?{urlencode(query)}"


def queue_counts(user, at: dt.datetime | None = None) -> list[Queue]:
    """The person's queues with their counts, for the dashboard."""
    from secretariat.cases.selectors.pages import (
        case_list_for,
        lists_cases,
        overdue_assignments,
        part_list_for,
    )

    at = at or timezone.now()
    today = timezone.localdate(at)
    queues: list[Queue] = []
    routed = routed_kinds(user)
    if routed != frozenset():
        codes = [code for code in kinds.KINDS if routed is None or code in routed]
        waiting = (
            cases_for(user)
            .filter(status=CaseStatus.PENDING, kind__in=codes)
            .values("kind")
            .annotate(n=Count("pk"), oldest=Min("received_on"))
            .order_by()
        )
        by_kind = {row["kind"]: row for row in waiting}
        for code in codes:
            row = by_kind.get(code, {"n": 0, "oldest": None})
            note = f"最早收件 {roc.format_date(row['oldest'])}" if row["oldest"] else ""
            queues.append(
                Queue(
                    f"pending:{code}",
                    f"待分辦・{kinds.label(code)}",
                    row["n"],
                    _list_url(status=CaseStatus.PENDING, kind=code, order="received"),
                    note=note,
                )
            )
        queues.append(
            Queue(
                REQUESTS,
                QUEUE_LABELS[REQUESTS],
                request_cases(user).count(),
                _list_url(queue=REQUESTS),
            )
        )
        escalated = overdue_assignments(user, at).count()
        queues.append(
            Queue(
                "escalation", "逾期分辦列管", escalated, reverse("cases:overdue"), overdue=escalated
            )
        )
    listing = case_list_for if lists_cases(user) else part_list_for
    for key in queues_of(user):
        if key == REQUESTS:
            continue
        parts = queue_parts(user, key, at)
        sla = parts.aggregate(
            overdue=Count("pk", filter=overdue_q(at)),
            due_today=Count("pk", filter=Q(due_on=today) & ~overdue_q(at)),
        )
        count = listing(user, at, queue=key).count()
        queues.append(
            Queue(
                key,
                QUEUE_LABELS[key],
                count,
                _list_url(queue=key, order="due"),
                due_today=sla["due_today"],
                overdue=sla["overdue"],
            )
        )
    return queues
