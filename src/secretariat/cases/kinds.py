"""Case kinds: each kind of routed work registers its defaults here (in its AppConfig.ready)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from secretariat.core.models import RoleCode


@dataclass(frozen=True)
class CaseKind:
    """Defaults of one kind of case.

    ``prefix`` starts the case number (陳 → 陳115000123). ``reply_days`` working days are
    counted from the next working day after routing; an agency may ask for re-assignment within
    ``reassign_days`` working days. With ``reply_approval`` an officer's draft needs a
    approver's approval before it counts as the reply; ``approver_roles`` (of the agency)
    approve. ``router_roles`` are the Secretariat roles that route the kind (administrators
    route every kind). ``requester_roles`` may see the requester's identity (besides
    administrators and the kind's routers). ``deadline(case, on)``, when given, is the
    deadline of a part assigned on ``on`` (e.g. a data request's 速別); otherwise it is
    ``reply_days`` working days counted from the next working day. ``facts(case)`` lists the
    kind's own facts for the case page as (label, text, url or None)."""

    code: str
    label: str
    prefix: str
    reply_days: int
    reassign_days: int = 1
    reply_approval: bool = True
    approver_roles: frozenset[str] = frozenset({RoleCode.SUPERVISOR, RoleCode.HEAD})
    router_roles: frozenset[str] = frozenset({RoleCode.REGISTRY_CLERK})
    requester_roles: frozenset[str] = field(
        default_factory=lambda: frozenset(
            {RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR, RoleCode.HEAD}
        )
    )
    detail_url: str = "cases:detail"
    deadline: Callable[[object, dt.date], dt.date] | None = None
    facts: Callable[[object], list[tuple[str, str, str | None]]] | None = None


KINDS: dict[str, CaseKind] = {}


def register(kind: CaseKind) -> None:
    KINDS[kind.code] = kind


def get(code: str) -> CaseKind:
    from secretariat.core.errors import DomainError

    try:
        return KINDS[code]
    except KeyError:
        raise DomainError("unknown_kind", f"未知的案件類別：{code}") from None


def rules_for(code: str):
    """The kind's rules as administrators set them (falling back to the registered defaults)."""
    from secretariat.cases.models import KindSetting

    kind = get(code)
    setting = KindSetting.objects.filter(kind=code).first()
    if setting is None:
        return KindSetting(kind=code, reply_days=kind.reply_days, reassign_days=kind.reassign_days)
    return setting
