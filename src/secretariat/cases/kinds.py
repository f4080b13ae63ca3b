"""Case kinds: each kind of routed work registers its rules and hooks here (in its
AppConfig.ready). The engine calls the hooks; a new kind needs no change to engine code.

A kind's own fields live in its own app (e.g. ``petitions.Petition``, one-to-one with
``cases.Case``). The hooks connect them to the engine's verbs:

* ``validate(fields, context) → {field: [messages]}`` — the kind's own fields, checked in the
  same pass as the engine's (``services.open_case`` reports every error at once);
* ``create(case, fields, context)`` — write the kind's own record once the case exists, in
  the same transaction;
* ``deadline(case, at) → date | datetime | None`` — the deadline of a part assigned at
  ``at`` (the moment of routing, or a day for a preview or an import) when the kind sets it
  from its facts (a data request's 速別, an opinion item's importance); None, or no hook,
  leaves it to the engine: ``reply_days`` working days, or ``reply_hours`` working hours;
* ``guard(case, step, fields, by) → {field: [messages]}`` — refuse a step (``"close"``,
  ``"file"``, ``"withdraw"``, ``"merge"``, ``"route"``, ``"reply"``) with reasons, e.g. no 結案 before a grade;
* ``on_replied(case)`` — after commit, once every part has replied (petitions mail the
  citizen);
* ``on_closed(case, fields, by)`` — inside the closing transaction (a service case keeps its
  grade);
* ``on_merged(case, into)`` — after commit, once ``case`` was merged into ``into`` (併案);
  ``on_replied`` then runs for ``case`` too when ``into`` is answered (petitions tell the
  citizen of each);
* ``facts(case) → [(label, text, url)]`` — the kind's facts on the case page; ``close_form``
  — a form of the fields the kind needs to close a case, shown on the case page's 結案 step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from secretariat.core.models import RoleCode

FieldErrors = dict[str, list[str]]


# Who handles a part for its holder: told of it unless the kind names more (notify_roles).
HANDLING_ROLES = frozenset({RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR})


@dataclass(frozen=True)
class OpenContext:
    """What a kind's ``validate`` and ``create`` hooks know about the case being opened."""

    by: Any
    channel: str
    received_on: dt.date
    attachments: tuple = ()


@dataclass(frozen=True)
class Tracking:
    """列管: a part is not answered once but reports progress every ``every_months`` months
    until the tracking office releases it (解除列管) with a reason. Without an ``office`` the
    kind's routers and the part's agency's people with ``releaser_roles`` release. With
    ``office`` (an agency code, e.g. ``rdec`` for 研考會) the tracking office is that agency:
    its people with ``releaser_roles`` see every case of the kind and they alone release."""

    every_months: int = 1
    releaser_roles: frozenset[str] = frozenset({RoleCode.RDEC_OFFICER})
    office: str | None = None


@dataclass(frozen=True)
class CaseKind:
    """Rules and hooks of one kind of case.

    ``prefix`` starts the case number (陳 → 陳115000123). A part's deadline is ``reply_days``
    working days counted from the next working day, or — with ``reply_hours`` — that many
    working hours inside office hours; administrators may change either (``KindSetting``).
    An agency may ask for re-assignment within ``reassign_days`` working days. With
    ``reply_approval`` an officer's draft needs an approver's approval (``approver_roles`` of
    the part's agency) before it counts as the reply. ``router_roles`` are the Secretariat
    roles that route the kind (administrators route every kind); ``requester_roles`` may see
    the requester's identity besides them. ``channels`` lists the intake channels the kind
    accepts (None: any). ``tracking`` makes its parts tracked items (列管). ``notify_roles``
    are the holder's roles told of a new or moved part."""

    code: str
    label: str
    prefix: str
    reply_days: int
    reply_hours: int | None = None
    reassign_days: int = 1
    reply_approval: bool = True
    approver_roles: frozenset[str] = frozenset({RoleCode.SUPERVISOR, RoleCode.HEAD})
    router_roles: frozenset[str] = frozenset({RoleCode.REGISTRY_CLERK})
    requester_roles: frozenset[str] = field(
        default_factory=lambda: frozenset(
            {RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR, RoleCode.HEAD}
        )
    )
    channels: frozenset[str] | None = None
    tracking: Tracking | None = None
    # The holder's roles told of a new or moved part (an opinion item: its 新聞聯絡人 too).
    notify_roles: frozenset[str] = HANDLING_ROLES
    detail_url: str = "cases:detail"
    validate: Callable[[Mapping[str, Any], OpenContext], FieldErrors] | None = None
    create: Callable[[Any, Mapping[str, Any], OpenContext], object] | None = None
    deadline: Callable[[Any, dt.date | dt.datetime], dt.date | dt.datetime | None] | None = None
    guard: Callable[[Any, str, Mapping[str, Any], Any], FieldErrors] | None = None
    on_replied: Callable[[Any], None] | None = None
    on_closed: Callable[[Any, Mapping[str, Any], Any], None] | None = None
    on_merged: Callable[[Any, Any], None] | None = None
    facts: Callable[[Any], list[tuple[str, str, str | None]]] | None = None
    close_form: type | None = None


KINDS: dict[str, CaseKind] = {}


def register(kind: CaseKind) -> None:
    KINDS[kind.code] = kind


def get(code: str) -> CaseKind:
    from secretariat.core.errors import DomainError

    try:
        return KINDS[code]
    except KeyError:
        raise DomainError("unknown_kind", f"未知的案件類別：{code}") from None


def label(code: str) -> str:
    """The kind's name, or the code of a kind no longer registered."""
    kind = KINDS.get(code)
    return kind.label if kind else code


def rules_for(code: str):
    """The kind's rules as administrators set them (falling back to the registered defaults)."""
    from secretariat.cases.models import KindSetting

    kind = get(code)
    setting = KindSetting.objects.filter(kind=code).first()
    if setting is None:
        return KindSetting(
            kind=code,
            reply_days=kind.reply_days,
            reply_hours=kind.reply_hours,
            reassign_days=kind.reassign_days,
        )
    return setting
