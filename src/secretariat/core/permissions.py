"""Who may see and do what. Agency scoping lives here so every selector applies it the same
way: a person sees their own agency's records unless one of their roles sees all agencies."""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from secretariat.core.models import RoleCode

# The Secretariat's own code in the agency registry (臺北市政府秘書處).
SECRETARIAT_CODE = "sec"


def is_secretariat_staff(user) -> bool:
    """A signed-in person of the Secretariat itself (whatever their roles)."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.agency_id is not None
        and user.agency.code == SECRETARIAT_CODE
    )


def sees_all_agencies(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_sees_all"):
        user._sees_all = user.roles.filter(sees_all_agencies=True).exists()
    return user._sees_all


def scope_to_agency(queryset: QuerySet, user, field: str = "agency") -> QuerySet:
    """Limit ``queryset`` to rows whose ``field`` is the user's agency (or everything for a
    role that sees all agencies). Anonymous users and people without an agency see nothing."""
    if sees_all_agencies(user):
        return queryset
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return queryset.none()
    return queryset.filter(**{f"{field}_id": user.agency_id})


def may_access_agency(user, agency_id: int | None) -> bool:
    return sees_all_agencies(user) or (
        getattr(user, "is_authenticated", False)
        and agency_id is not None
        and user.agency_id == agency_id
    )


@rules.predicate
def is_administrator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.has_role(RoleCode.SYSTEM_ADMIN, RoleCode.SECRETARIAT_ADMIN)
    )


@rules.predicate
def is_system_administrator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.has_role(RoleCode.SYSTEM_ADMIN)
    )


@rules.predicate
def same_agency(user, obj) -> bool:
    agency_id = getattr(obj, "agency_id", None) if obj is not None else None
    return may_access_agency(user, agency_id)


rules.add_perm("core.manage_calendar", is_administrator)
rules.add_perm("core.manage_agencies", is_administrator)
rules.add_perm("core.manage_people", is_administrator)
rules.add_perm("core.view_audit", is_administrator)
rules.add_perm("core.verify_audit", is_system_administrator)
rules.add_perm("core.view_person", same_agency)
