"""Who may route, act for an agency, and see a requester's identity."""

from __future__ import annotations

from secretariat.core.models import RoleCode
from secretariat.core.permissions import sees_all_agencies

SECRETARIAT_CODE = "sec"
ROUTER_ROLES = {RoleCode.SECRETARIAT_ADMIN, RoleCode.REGISTRY_CLERK}
REPLY_ROLES = {RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR, RoleCode.HEAD}
APPROVER_ROLES = {RoleCode.SUPERVISOR, RoleCode.HEAD}


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_router(user) -> bool:
    """The Secretariat's staff who read incoming cases, route them and decide requests
    (秘書處管理者, or 收發人員 of the Secretariat), and system administrators."""
    if not _signed_in(user):
        return False
    if user.is_superuser or user.has_role(RoleCode.SYSTEM_ADMIN, RoleCode.SECRETARIAT_ADMIN):
        return True
    return (
        user.has_role(RoleCode.REGISTRY_CLERK)
        and user.agency is not None
        and user.agency.code == SECRETARIAT_CODE
    )


def sees_all_cases(user) -> bool:
    return is_router(user) or sees_all_agencies(user)


def acts_for(user, agency_id: int, roles: set[str]) -> bool:
    """A person of that agency holding one of ``roles``."""
    return _signed_in(user) and user.agency_id == agency_id and user.has_role(*roles)


def may_see_requester(user, case) -> bool:
    """Administrators and routers always; an agency's officers and supervisors only while
    their agency holds a part of the case, and only for roles the kind allows."""
    from secretariat.cases import kinds

    if is_router(user):
        return True
    if not _signed_in(user) or user.agency_id is None:
        return False
    allowed = kinds.get(case.kind).requester_roles
    holds_part = (
        case.assignments.filter(agency_id=user.agency_id).exclude(status="withdrawn").exists()
    )
    return holds_part and user.has_role(*allowed)
