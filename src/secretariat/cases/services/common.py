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
from secretariat.core.permissions import SECRETARIAT_CODE


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


def notify_holders(
    part: Assignment, notice: tuple[str, str], roles: Iterable[str] | None = None
) -> int:
    """Notify (in the app and by e-mail) the part's holders with one of ``roles`` (by default
    the kind's ``notify_roles``: a new or moved part) with ``notice`` (title, body, from
    ``cases.notices``); the notice is about the part, so it is marked done when the part's
    step is taken (:func:`resolve`). Returns how many were told."""
    if roles is None:
        roles = kinds.get(part.case.kind).notify_roles
    people = holders(part, roles)
    title, body = notice
    for person in people:
        core_services.notify(
            person, title, body, url=part.case.get_absolute_url(), mail=True, subject=part
        )
    return len(people)


def routers_of(kind: str) -> list[User]:
    """Who decides a kind's requests: the Secretariat's active staff holding one of the
    kind's ``router_roles``; with none, its 秘書處管理者 (who route every kind)."""
    staff = User.objects.filter(
        is_active=True, agency__code=SECRETARIAT_CODE, contractor__isnull=True
    )
    for roles in (kinds.get(kind).router_roles, {RoleCode.SECRETARIAT_ADMIN}):
        people = list(staff.filter(roles__code__in=list(roles)).distinct())
        if people:
            return people
    return []


def notify_routers(request, notice: tuple[str, str]) -> int:
    """Tell the routers of the request's case that it waits for their decision; the notice is
    about the request and is marked done when anyone decides it."""
    case = request.assignment.case
    people = routers_of(case.kind)
    title, body = notice
    for person in people:
        core_services.notify(
            person, title, body, url=case.get_absolute_url(), mail=True, subject=request
        )
    return len(people)


def resolve(*subjects) -> None:
    """The actions the notices about ``subjects`` asked for are done (whoever did them)."""
    for subject in subjects:
        core_services.resolve_notifications(subject)
