"""What every write of the engine shares: today and now, permission and transition checks,
field errors, and telling a part's holders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django_fsm import TransitionNotAllowed

from secretariat.cases import kinds
from secretariat.cases.models import Assignment, Case
from secretariat.cases.permissions import holds
from secretariat.core import audit
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import RoleCode, User


def today() -> dt.date:
    return timezone.localdate()


def now() -> dt.datetime:
    return timezone.now()


def moment(on: dt.date | None) -> dt.datetime:
    """The moment of a step dated ``on``: now for today (or no date), else the start of that
    day (a step recorded for an earlier day, e.g. in tests or corrections)."""
    if on is None or on == today():
        return now()
    return timezone.make_aware(dt.datetime.combine(on, dt.time.min))


def require(allowed: bool, message: str = "您沒有執行此操作的權限。") -> None:
    if not allowed:
        raise PermissionDenied(message)


def transition(case: Case, step, label: str) -> None:
    try:
        step()
    except TransitionNotAllowed as error:
        raise DomainError(
            "illegal_transition",
            f"案件 {case.number} 目前為「{case.get_status_display()}」，不能{label}。",
        ) from error


def advance(case: Case, step: str, label: str, action: str) -> None:
    """Take the case's state-machine ``step`` (e.g. "resume"), audited as
    ``transition:<action>``, and save the case."""
    with audit.action(f"transition:{action}"):
        transition(case, getattr(case, step), label)
        case.save()


def guard(case: Case, step: str, fields, by) -> None:
    """The kind's refusal of ``step`` on ``case``, if it has one, as a DomainError."""
    hook = kinds.get(case.kind).guard
    errors = hook(case, step, fields, by) if hook is not None else None
    if errors:
        raise DomainError.invalid(errors, code="refused")


def field_error(field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(code, message, {field: [message]})


def required_reason(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error(field, message)
    return value


# Who hears about a new or moved part: its officers and supervisors (a contractor's people).
HANDLING_ROLES = (RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR)


def holders(part: Assignment, roles: Iterable[str]) -> list[User]:
    """Active people who hold ``part`` with one of ``roles`` — for a contractor's part its
    own people, whatever their roles."""
    if part.contractor_id is not None:
        people = User.objects.filter(contractor_id=part.contractor_id, is_active=True)
    else:
        people = User.objects.filter(
            agency_id=part.agency_id, is_active=True, roles__code__in=list(roles)
        ).distinct()
    return [person for person in people if holds(person, part)]


def notify_holders(part: Assignment, title: str, roles: Iterable[str] = HANDLING_ROLES) -> int:
    """Notify (in the app and by e-mail) the part's holders; returns how many were told."""
    people = holders(part, roles)
    for person in people:
        core_services.notify(person, title, url=part.case.get_absolute_url(), mail=True)
    return len(people)
