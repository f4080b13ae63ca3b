"""Who does what with archives (one place for each rule; selectors and services call these).

* **Archivists** (檔案管理人員, the ``archivist`` role) keep their agency's classification
  scheme, check filings, build 銷毀目錄 and record approvals, destructions and transfers.
* **Officers** (承辦人) propose a closed 公文's 分類號 and 保存年限; **business units** (their
  承辦人 and 主管) give their opinion on the 銷毀目錄's rows of their unit.
* **The Secretariat's reviewers** (秘書處 archivists, and administrators) do the 初審 of every
  agency's 銷毀目錄 and see every agency's catalogue figures.
"""

from __future__ import annotations

from secretariat.core.models import RoleCode
from secretariat.core.permissions import is_administrator, is_secretariat_staff

OFFICER_ROLES = frozenset({RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR, RoleCode.HEAD})


def signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_archivist(user, agency_id: int | None = None) -> bool:
    """The agency's 檔案管理人員 (of ``agency_id`` when given), or an administrator."""
    if not signed_in(user):
        return False
    if is_administrator(user):
        return True
    if not user.has_role(RoleCode.ARCHIVIST) or user.agency_id is None:
        return False
    return agency_id is None or user.agency_id == agency_id


def is_agency_archivist(user) -> bool:
    """One of an agency's own 檔案管理人員 (not an administrator standing in)."""
    return signed_in(user) and user.agency_id is not None and user.has_role(RoleCode.ARCHIVIST)


def is_reviewer(user) -> bool:
    """秘書處初審: the Secretariat's archivists, or an administrator."""
    return signed_in(user) and (
        bool(is_administrator(user))
        or (is_secretariat_staff(user) and user.has_role(RoleCode.ARCHIVIST))
    )


def may_give_opinion(user, agency_id: int, unit_id: int | None) -> bool:
    """業務單位意見: an officer, 主管 or head of the row's unit (of the agency when the row
    names no unit). The opinion comes from the business side, not from the archivist."""
    if not signed_in(user) or user.agency_id != agency_id:
        return False
    if not user.has_role(*OFFICER_ROLES):
        return False
    return unit_id is None or user.unit_id == unit_id
