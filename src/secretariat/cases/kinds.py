"""Case kinds: each kind of routed work registers its defaults here (in its AppConfig.ready)."""

from __future__ import annotations

from dataclasses import dataclass, field

from secretariat.core.models import RoleCode


@dataclass(frozen=True)
class CaseKind:
    """Defaults of one kind of case.

    ``prefix`` starts the case number (陳 → 陳115000123). ``reply_days`` working days are
    counted from the next working day after routing; an agency may ask for re-assignment within
    ``reassign_days`` working days. With ``reply_approval`` an officer's draft needs a
    supervisor's approval before it counts as the reply. ``requester_roles`` may see the
    requester's identity (besides administrators and the Secretariat's routers)."""

    code: str
    label: str
    prefix: str
    reply_days: int
    reassign_days: int = 1
    reply_approval: bool = True
    requester_roles: frozenset[str] = field(
        default_factory=lambda: frozenset(
            {RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR, RoleCode.HEAD}
        )
    )
    detail_url: str = "cases:detail"


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
