"""The case kind of 輿情 (``opinion_item``): routed by the Secretariat's press office to the
agencies concerned, answered in working hours (``reply_hours``, which administrators may
change in 案件類別設定) — a 重大 item by the end of the same working day (the ``deadline``
hook) — drafted by the agency's 承辦人 and approved by its 新聞聯絡人 (or 主管, 首長), who
also hear of a new item. Its own fields are checked and written by the hooks (``services``)."""

from __future__ import annotations

from importlib import import_module

from secretariat.cases.kinds import CaseKind
from secretariat.core.models import RoleCode

OPINION = "opinion_item"
CHANNEL = "media"  # cases.Channel.MEDIA (輿情監看)
# One working day of office hours (08:30–17:30): an item routed at 10:00 is due at 10:00 on
# the next working day.
REPLY_HOURS = 9


def _hook(name: str, module: str = "services"):
    """A function of ``media.services`` (or ``selectors``), looked up when called: those
    modules import this one's codes."""

    def call(*args, **kwargs):
        return getattr(import_module(f"secretariat.media.{module}"), name)(*args, **kwargs)

    call.__name__ = name
    return call


OPINION_KIND = CaseKind(
    code=OPINION,
    label="輿情",
    prefix="輿",
    reply_days=1,
    reply_hours=REPLY_HOURS,
    router_roles=frozenset({RoleCode.PRESS_LIAISON}),
    approver_roles=frozenset({RoleCode.PRESS_LIAISON, RoleCode.SUPERVISOR, RoleCode.HEAD}),
    requester_roles=frozenset(),
    channels=frozenset({CHANNEL}),
    notify_roles=frozenset({RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR, RoleCode.PRESS_LIAISON}),
    validate=_hook("validate_opinion_item"),
    create=_hook("create_opinion_item"),
    deadline=_hook("opinion_deadline"),
    facts=_hook("opinion_facts", "selectors"),
)
