"""A case's progress as its requester may be told it: the steps done and the next one
(收件 → 分辦 → 機關辦理 → 回復 → 結案, or 存查/撤回), and when to expect the reply. One rule for
every page and feed that tells it (a petition's status page, Open311's ``expected_datetime``).
Nothing here is scoped to a person: callers decide who may read the case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from secretariat.cases import kinds
from secretariat.cases.deadlines import Deadline
from secretariat.cases.models import Assignment, Case, CaseStatus


@dataclass(frozen=True)
class Step:
    """One step of a case: ``done`` with its day (``on``, when the step has one), or not yet;
    ``current`` marks where the case is now — the step under way, or the last one once the
    case has ended."""

    key: str
    label: str
    done: bool
    current: bool
    on: dt.date | None = None


LABELS = {
    "received": "收件",
    "routed": "分辦",
    "handling": "機關辦理",
    "replied": "回復",
    "closed": "結案",
    CaseStatus.FILED: "存查",
    CaseStatus.WITHDRAWN: "撤回",
    CaseStatus.MERGED: "併案",
}
ROUTE = ("received", "routed", "handling", "replied", "closed")
# Where each state is on the route: the step under way (or, once closed, the last one).
CURRENT_STEP = {
    CaseStatus.PENDING: "routed",
    CaseStatus.IN_PROGRESS: "handling",
    CaseStatus.REASSIGNING: "handling",
    CaseStatus.EXTENDING: "handling",
    CaseStatus.REPLIED: "closed",
    CaseStatus.CLOSED: "closed",
}


def case_steps(case: Case) -> list[Step]:
    """The steps of ``case``: the five of the route with the ones done dated in 民國 by the
    page; a case filed (存查), withdrawn (撤回) or merged into another (併案) shows the steps it
    took and then that end (a merged case's own route goes on in the case it joined)."""
    days = {
        "received": case.received_on,
        "routed": case.routed_on,
        "replied": case.replied_on,
        "closed": case.closed_on,
    }
    if case.status in (CaseStatus.FILED, CaseStatus.WITHDRAWN, CaseStatus.MERGED):
        taken = ["received"] + (["routed"] if case.routed_on else [])
        steps = [Step(key, LABELS[key], True, False, days[key]) for key in taken]
        return [*steps, Step(case.status, LABELS[case.status], True, True, case.closed_on)]
    current = ROUTE.index(CURRENT_STEP[case.status])
    closed = case.status == CaseStatus.CLOSED
    return [
        Step(
            key,
            LABELS[key],
            done=index < current or closed,
            current=index == current,
            on=days.get(key) if index < current or closed else None,
        )
        for index, key in enumerate(ROUTE)
    ]


def _latest_first(deadline: Deadline) -> tuple:
    # A deadline of a whole day ends after any hour of that day.
    moment = deadline.due_at.timestamp() if deadline.due_at else 0.0
    return (deadline.due_on, deadline.due_at is None, moment)


def latest_deadline(parts: Iterable[Assignment]) -> Deadline | None:
    """The latest deadline of ``parts``: by then every agency is due to have replied. None
    without parts (before routing, or once a case is filed and its parts withdrawn)."""
    deadlines = [Deadline(part.due_on, part.due_at) for part in parts]
    return max(deadlines, key=_latest_first, default=None)


def expected_reply(case: Case) -> Deadline | None:
    """When the requester can expect the reply: the latest deadline of the parts in force
    (after 改分 and 展期). Before routing there is none; :func:`reply_rule` says it in words."""
    return latest_deadline(case.assignments.current())


def reply_rule(kind_code: str) -> str:
    """The kind's reply rule in words, as administrators set it: 「分辦後6個工作天內」,
    「分辦後4個上班小時內」, or 「分辦時依案件性質訂定」 for a kind that sets it from its facts."""
    if kinds.get(kind_code).deadline is not None:
        return "分辦時依案件性質訂定"
    rules = kinds.rules_for(kind_code)
    if rules.reply_hours:
        return f"分辦後{rules.reply_hours}個上班小時內"
    return f"分辦後{rules.reply_days}個工作天內"
