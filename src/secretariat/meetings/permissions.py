"""Who does what with meetings (one place for each rule; selectors and services call these).

* **Meeting staff** (議事人員): the Secretariat's people with the 府會聯絡人 role — the
  section that runs 府會聯繫及會議彙辦 (seed 003 <六>) — and the administrators. They create
  meetings, decide proposals, send notices, keep sign-in, draft minutes and route directives
  (they are the routers of the ``meeting_directive`` kind).
* **Members** sit by office (:class:`~secretariat.meetings.models.Seat`).
* **Proposers** and **reviewers**: an agency's 承辦人, 主管 and 首長 propose items for their
  agency and read (核閱) their items' minutes.
* **The chair's office** (``MeetingSeries.chair_agency``): its 主管 and 首長 approve minutes.
* **The tracking office** of directives is 研考會 (its 研考人員), set on the case kind.
"""

from __future__ import annotations

from django.db.models import Q

from secretariat.core.models import RoleCode
from secretariat.core.permissions import is_administrator, is_secretariat_staff

STAFF_ROLES = frozenset({RoleCode.COUNCIL_LIAISON})
PROPOSER_ROLES = frozenset({RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR, RoleCode.HEAD})
APPROVER_ROLES = frozenset({RoleCode.SUPERVISOR, RoleCode.HEAD})
# 研考會 in the agency registry: the tracking office (列管單位) of directives.
TRACKING_OFFICE = "rdec"


def signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_meeting_staff(user) -> bool:
    """議事人員: the Secretariat's 府會 staff, or an administrator."""
    if not signed_in(user):
        return False
    return bool(is_administrator(user)) or (
        is_secretariat_staff(user) and user.has_role(*STAFF_ROLES)
    )


def members_q(series, prefix: str = "") -> Q:
    """The people who sit on ``series`` now (a Q on ``User``): any of its seats' holders."""
    seats = list(series.seats.all())
    if not seats:
        return Q(pk__in=[])
    query = Q()
    for seat in seats:
        query |= seat.holders_q(prefix)
    return query


def member_series_ids(user) -> set[int]:
    """The series the person sits on now, by office."""
    from secretariat.meetings.models import Seat

    if not signed_in(user) or not user.is_active or user.agency_id is None:
        return set()
    roles = user.role_codes()
    found = set()
    seats = Seat.objects.select_related("role").filter(
        Q(agency_id=user.agency_id) | Q(agency_kind=user.agency.kind)
    )
    for seat in seats:
        if seat.agency_id is not None and seat.agency_id != user.agency_id:
            continue
        if seat.agency_kind and seat.agency_kind != user.agency.kind:
            continue
        if seat.role_id is not None and seat.role_id not in roles:
            continue
        if seat.job_title and seat.job_title != user.job_title:
            continue
        found.add(seat.series_id)
    return found


def seat_of(user, series) -> str:
    """The label of the person's seat on ``series`` ("" when they hold none)."""
    for seat in series.seats.all():
        if user.agency_id is None:
            return ""
        if seat.agency_id is not None and seat.agency_id != user.agency_id:
            continue
        if seat.agency_kind and seat.agency_kind != user.agency.kind:
            continue
        if seat.role_id is not None and not user.has_role(seat.role_id):
            continue
        if seat.job_title and seat.job_title != user.job_title:
            continue
        return seat.label
    return ""


def chairs(user, series) -> bool:
    """Of the chair's office with an approver's role: approves the series' minutes."""
    return (
        signed_in(user)
        and user.agency_id == series.chair_agency_id
        and user.has_role(*APPROVER_ROLES)
    )


def chair_series_q(user) -> Q:
    """Series whose chair's office the person works in (a Q on ``MeetingSeries``)."""
    if not signed_in(user) or user.agency_id is None:
        return Q(pk__in=[])
    return Q(chair_agency_id=user.agency_id)


def proposes_for(user, agency_id: int) -> bool:
    """Proposes items (and reads their minutes) for the agency."""
    return signed_in(user) and user.agency_id == agency_id and user.has_role(*PROPOSER_ROLES)


def may_propose(user) -> bool:
    return signed_in(user) and user.agency_id is not None and user.has_role(*PROPOSER_ROLES)
