"""Who does what at the service desk (one place for each rule; selectors, services and views
call these).

* **Desk staff** (服務台人員): the Secretariat's people with the 服務台人員 role. They log
  consultations, call agencies and mark arrivals, count nursing-room uses.
* **Desk supervisor** (服務台督導): desk staff who also hold 主管/核稿, and the
  administrators. They edit the categories and rooms, import desk logs and see the figures.
  No new role: a supervisor is the section's 主管 who works the desk.
* **Agency staff**: the person an agency sends marks their arrival through the one-time link
  in the notification; signed-in people of the agency see their agency's calls.
"""

from __future__ import annotations

from secretariat.core.models import RoleCode
from secretariat.core.permissions import is_administrator, is_secretariat_staff


def signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_desk_staff(user) -> bool:
    """服務台人員 of the Secretariat, or an administrator."""
    if not signed_in(user):
        return False
    return bool(is_administrator(user)) or (
        is_secretariat_staff(user) and user.has_role(RoleCode.SERVICE_DESK)
    )


def is_desk_supervisor(user) -> bool:
    """服務台督導: desk staff who are also 主管/核稿, or an administrator."""
    if not signed_in(user):
        return False
    return bool(is_administrator(user)) or (
        is_desk_staff(user) and user.has_role(RoleCode.SUPERVISOR)
    )


def sees_service(user) -> bool:
    """The 市民諮詢 menu: desk staff and supervisors."""
    return is_desk_staff(user)
