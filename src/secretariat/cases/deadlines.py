"""The deadline of a part, the one rule: routing, 改分, imports and the routing page's preview
all call :func:`part_deadline`.

A kind sets a deadline from its facts (``CaseKind.deadline``: a data request's 速別, an
opinion item's importance), or the engine counts the kind's ``reply_days`` working days from
the next working day, or its ``reply_hours`` working hours inside office hours (the
working-day calendar of ``core``). A kind's hook may leave a case to the engine's count by
returning None."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from secretariat.cases import kinds
from secretariat.core import roc, workdays


@dataclass(frozen=True)
class Deadline:
    """A day (``due_on``), and for a deadline in working hours the moment (``due_at``)."""

    due_on: dt.date
    due_at: dt.datetime | None = None

    def __str__(self) -> str:
        if self.due_at is not None:
            return roc.format_datetime(self.due_at)
        return roc.format_date(self.due_on)


def as_deadline(value: dt.date | dt.datetime) -> Deadline:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return Deadline(value.date(), value)
    return Deadline(value)


def part_deadline(case, at: dt.date | dt.datetime) -> Deadline:
    """The deadline of a part of ``case`` assigned at ``at`` (a day, or the moment of
    routing: a deadline in hours counts from it; one in days from the next working day)."""
    kind = kinds.get(case.kind)
    if kind.deadline is not None:
        # The hook gets the moment when there is one: "the same working day" depends on
        # whether the office has closed yet.
        own = kind.deadline(case, at)
        if own is not None:
            return as_deadline(own)
    return kind_deadline(case.kind, at)


def kind_deadline(kind_code: str, at: dt.date | dt.datetime) -> Deadline:
    """The engine's count for a kind, without its hook: ``reply_hours`` working hours from
    ``at``, or ``reply_days`` working days from the next working day (imports, which know
    days only, and :func:`part_deadline` both count here)."""
    on = timezone.localtime(at).date() if isinstance(at, dt.datetime) else at
    rules = kinds.rules_for(kind_code)
    if rules.reply_hours:
        # From a day alone, the count starts when that day's office hours open.
        start = at if isinstance(at, dt.datetime) else _midnight(on)
        return as_deadline(workdays.add_working_hours(start, rules.reply_hours))
    return Deadline(workdays.add_working_days(on, rules.reply_days))


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def days_deadline(kind_code: str, on: dt.date, cache: dict | None = None) -> dt.date:
    """The kind's working-day deadline for parts assigned on ``on`` (imports of many parts
    pass a ``cache`` so each day is counted once)."""
    if cache is not None and on in cache:
        return cache[on]
    due = workdays.add_working_days(on, kinds.rules_for(kind_code).reply_days)
    if cache is not None:
        cache[on] = due
    return due


DEFAULT_REMIND_DAYS = 1


def reminder_horizon(kind_code: str, today: dt.date) -> dt.date:
    """The last deadline that is 即將到期 today: within the kind's ``remind_days_before``
    working days (a kind no longer registered keeps the default). The reminder job and the
    即將到期 queue both read it."""
    from secretariat.core.errors import DomainError

    try:
        days = kinds.rules_for(kind_code).remind_days_before
    except DomainError:
        days = DEFAULT_REMIND_DAYS
    return workdays.add_working_days(today, days)


def reminder_horizons(today: dt.date) -> dict[str, dt.date]:
    """:func:`reminder_horizon` of every registered kind."""
    return {code: reminder_horizon(code, today) for code in kinds.KINDS}
