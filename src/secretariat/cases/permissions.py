"""Who may route, see a part, act for an assignee, and see a requester's identity.

A part (分辦) is held by an agency, a unit of an agency, or a contractor the agency manages.
Visibility follows the holder, and :func:`part_scope` is the one rule every read applies:

* administrators (系統管理者, 秘書處管理者) see every part;
* the Secretariat's routers see every part of the kinds they route, and a tracking office's
  people (``Tracking.office``) every part of the kinds it tracks;
* an agency's people see its parts — but a person placed in a unit sees, of the parts held by
  units, only their own unit's, unless their role oversees the whole agency (首長, 研考);
* a contractor's people see only the parts held by their contractor."""

from __future__ import annotations

from django.db.models import Q

from secretariat.core.models import RoleCode
from secretariat.core.permissions import is_secretariat_staff, sees_all_agencies

REPLY_ROLES = {RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR, RoleCode.HEAD}
# Roles that oversee every unit of their agency.
AGENCY_WIDE_ROLES = {RoleCode.HEAD, RoleCode.RDEC_OFFICER}


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
    if not is_secretariat_staff(user):
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


def tracked_kinds(user) -> frozenset[str]:
    """The kinds whose tracking office (``Tracking.office``, 列管單位) the person works in
    with one of its ``releaser_roles``: they see every case of those kinds and release their
    parts (研考會's 研考人員 for meeting directives)."""
    from secretariat.cases import kinds

    if not _signed_in(user) or user.agency_id is None:
        return frozenset()
    code = user.agency.code
    return frozenset(
        kind.code
        for kind in kinds.KINDS.values()
        if kind.tracking is not None
        and kind.tracking.office == code
        and user.has_role(*kind.tracking.releaser_roles)
    )


def watched_kinds(user) -> frozenset[str] | None:
    """The kinds of which the person sees every case (None: every kind): those they route
    and those their office tracks."""
    routed = routed_kinds(user)
    return None if routed is None else routed | tracked_kinds(user)


def sees_all_cases(user) -> bool:
    """Sees every case of every kind."""
    return routed_kinds(user) is None or sees_all_agencies(user)


def holder_scope(user, prefix: str = "") -> Q:
    """The parts the person holds (as an agency's, a unit's or a contractor's person)."""
    if not _signed_in(user):
        return Q(pk__in=[])
    if getattr(user, "contractor_id", None) is not None:
        return Q(**{f"{prefix}contractor_id": user.contractor_id})
    if user.agency_id is None:
        return Q(pk__in=[])
    held = Q(**{f"{prefix}agency_id": user.agency_id})
    if user.unit_id is not None and not user.has_role(*AGENCY_WIDE_ROLES):
        held &= Q(**{f"{prefix}unit__isnull": True}) | Q(**{f"{prefix}unit_id": user.unit_id})
    return held


def holder_keys(part) -> set[str]:
    """The same rule as :func:`holder_scope`, as keys a search engine can index: a part is seen
    by its agency's agency-wide people (``a:``), by its unit (``u:``) or — without a unit — by
    every person of the agency (``n:``), and by its contractor (``c:``)."""
    keys = {f"a:{part.agency_id}"}
    keys.add(f"u:{part.unit_id}" if part.unit_id is not None else f"n:{part.agency_id}")
    if part.contractor_id is not None:
        keys.add(f"c:{part.contractor_id}")
    return keys


def scope_keys(user) -> set[str]:
    """The keys of :func:`holder_keys` that the person holds (empty: none)."""
    if not _signed_in(user):
        return set()
    if getattr(user, "contractor_id", None) is not None:
        return {f"c:{user.contractor_id}"}
    if user.agency_id is None:
        return set()
    if user.unit_id is None or user.has_role(*AGENCY_WIDE_ROLES):
        return {f"a:{user.agency_id}"}
    return {f"n:{user.agency_id}", f"u:{user.unit_id}"}


def part_scope(user, prefix: str = "") -> Q | None:
    """Which parts the person sees (None: all): every part of the kinds they route or track,
    and the parts they hold. ``prefix`` points from another model to the assignment."""
    if sees_all_cases(user):
        return None
    if not _signed_in(user):
        return Q(pk__in=[])
    scope = holder_scope(user, prefix)
    watched = watched_kinds(user)
    if watched:
        scope |= Q(**{f"{prefix}case__kind__in": watched})
    return scope


def holds(user, part) -> bool:
    """The person holds ``part`` (the same rule as :func:`part_scope`, for one part)."""
    if not _signed_in(user):
        return False
    if getattr(user, "contractor_id", None) is not None:
        return part.contractor_id == user.contractor_id
    if user.agency_id is None or part.agency_id != user.agency_id:
        return False
    if part.unit_id is None or user.unit_id is None or user.has_role(*AGENCY_WIDE_ROLES):
        return True
    return part.unit_id == user.unit_id


def acts_for(user, part, roles) -> bool:
    """A holder of ``part`` with one of ``roles`` (a contractor's people act for its parts
    whatever the roles asked, as their own 承辦)."""
    if not holds(user, part):
        return False
    if getattr(user, "contractor_id", None) is not None:
        return user.has_role(RoleCode.CONTRACTOR)
    return user.has_role(*roles)


def acts_for_agency(user, agency_id: int, roles) -> bool:
    """A person of that agency holding one of ``roles`` (for agency matters that are not a
    part, e.g. naming the agency's 府會聯絡人)."""
    return _signed_in(user) and user.agency_id == agency_id and user.has_role(*roles)


def may_see_requester(user, case) -> bool:
    """Administrators and routers always; a holder's officers and supervisors only while they
    hold a part of the case, and only for roles the kind allows. Contractors never."""
    from secretariat.cases import kinds

    if is_router(user, case.kind):
        return True
    if not _signed_in(user) or getattr(user, "contractor_id", None) is not None:
        return False
    allowed = kinds.get(case.kind).requester_roles
    held = any(holds(user, part) for part in case.assignments.current())
    return held and user.has_role(*allowed)


# Who keeps an agency's reply templates (回復範本) for its officers.
TEMPLATE_KEEPER_ROLES = {RoleCode.SUPERVISOR, RoleCode.HEAD}


def is_involved(user, case) -> bool:
    """Staff of an agency involved in the case: the kind's routers, and the people (not a
    contractor's) holding a part of it in force. Who may read and write internal notes."""
    if is_router(user, case.kind):
        return True
    if not _signed_in(user) or getattr(user, "contractor_id", None) is not None:
        return False
    return any(holds(user, part) for part in case.assignments.current())


def keeps_reply_templates(user) -> bool:
    """An agency's supervisors and head keep its reply templates (not a contractor's people)."""
    return (
        _signed_in(user)
        and getattr(user, "contractor_id", None) is None
        and user.agency_id is not None
        and user.has_role(*TEMPLATE_KEEPER_ROLES)
    )


def requester_kinds(user) -> frozenset[str] | None:
    """The kinds whose requesters the person may look up by name or phone (None: every
    kind): the kinds they route, and the kinds whose ``requester_roles`` they hold as an
    agency's person — the rule of :func:`may_see_requester`, without a case. Contractors
    none."""
    from secretariat.cases import kinds

    routed = routed_kinds(user)
    if routed is None:
        return None
    if not _signed_in(user) or getattr(user, "contractor_id", None) is not None:
        return frozenset()
    if user.agency_id is None:
        return routed
    held = {code for code, kind in kinds.KINDS.items() if user.has_role(*kind.requester_roles)}
    return routed | held
