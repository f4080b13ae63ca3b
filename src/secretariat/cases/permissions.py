"""Who may route, act for an agency, and see a requester's identity."""

from __future__ import annotations

from secretariat.core.models import RoleCode
from secretariat.core.permissions import sees_all_agencies

SECRETARIAT_CODE = "sec"
REPLY_ROLES = {RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR, RoleCode.HEAD}


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def routed_kinds(user) -> frozenset[str] | None:
    """The kinds the person routes (reads incoming cases, routes them, decides requests):
    None for every kind (system administrators, 秘書處管理者); for the Secretariat's staff the
    kinds whose ``router_roles`` they hold (收發 routes petitions, 府會 council kinds); empty
    for everyone else."""
    from secretariat.cases import kinds

    if not _signed_in(user):
        return frozenset()
    if user.is_superuser or user.has_role(RoleCode.SYSTEM_ADMIN, RoleCode.SECRETARIAT_ADMIN):
        return None
    if user.agency is None or user.agency.code != SECRETARIAT_CODE:
        return frozenset()
    return frozenset(
        code for code, kind in kinds.KINDS.items() if user.has_role(*kind.router_roles)
    )


def is_router(user, kind: str | None = None) -> bool:
    """Routes ``kind`` (or, without a kind, routes some kind)."""
    routed = routed_kinds(user)
    if routed is None:
        return True
    return kind in routed if kind else bool(routed)


def sees_all_cases(user) -> bool:
    """Sees every case of every kind."""
    return routed_kinds(user) is None or sees_all_agencies(user)


def acts_for(user, agency_id: int, roles: set[str]) -> bool:
    """A person of that agency holding one of ``roles``."""
    return _signed_in(user) and user.agency_id == agency_id and user.has_role(*roles)


def may_see_requester(user, case) -> bool:
    """Administrators and routers always; an agency's officers and supervisors only while
    their agency holds a part of the case, and only for roles the kind allows."""
    from secretariat.cases import kinds

    if is_router(user, case.kind):
        return True
    if not _signed_in(user) or user.agency_id is None:
        return False
    allowed = kinds.get(case.kind).requester_roles
    holds_part = (
        case.assignments.filter(agency_id=user.agency_id).exclude(status="withdrawn").exists()
    )
    return holds_part and user.has_role(*allowed)
