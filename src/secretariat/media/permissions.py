"""Who may do what in 媒體聯繫 — one place for each rule, read by services, selectors, views
and the API alike.

* the press office (新聞處理): the Secretariat's 新聞聯絡人, and administrators;
* staff: signed-in people of an agency (a journalist or a contractor's person has none);
* an agency's press officers: its 新聞聯絡人 (they approve its releases, keep its press
  contacts and approve its responses to opinion items);
* journalists: accounts with a ``Journalist`` record; approved ones see the contacts' private
  numbers and the mayor's public schedule."""

from __future__ import annotations

from secretariat.core.models import RoleCode
from secretariat.core.permissions import is_administrator, is_secretariat_staff


def signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_press_office(user) -> bool:
    """The Secretariat's press office (新聞聯絡人 of 秘書處) or an administrator."""
    if not signed_in(user):
        return False
    if is_administrator(user):
        return True
    return is_secretariat_staff(user) and user.has_role(RoleCode.PRESS_LIAISON)


def is_staff(user) -> bool:
    """A signed-in person of an agency (government staff)."""
    return signed_in(user) and user.agency_id is not None


def is_press_officer_of(user, agency_id: int | None) -> bool:
    """The agency's own 新聞聯絡人."""
    return (
        is_staff(user)
        and agency_id is not None
        and user.agency_id == agency_id
        and user.has_role(RoleCode.PRESS_LIAISON)
    )


def journalist_of(user):
    """The person's journalist record, or None (staff, anonymous)."""
    if not signed_in(user) or user.agency_id is not None:
        return None
    if not hasattr(user, "_journalist_record"):
        from secretariat.media.models import Journalist

        user._journalist_record = Journalist.objects.filter(user=user).first()
    return user._journalist_record


def is_journalist_account(user) -> bool:
    """An account that signed up as a journalist (whatever its state) or holds the role."""
    return journalist_of(user) is not None or (
        signed_in(user) and user.has_role(RoleCode.JOURNALIST)
    )


def is_approved_journalist(user) -> bool:
    journalist = journalist_of(user)
    return journalist is not None and journalist.approved and user.has_role(RoleCode.JOURNALIST)


def sees_private_numbers(user) -> bool:
    """Contacts' mobile numbers and LINE IDs: approved journalists and staff."""
    return is_staff(user) or is_approved_journalist(user)
