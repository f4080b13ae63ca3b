"""The ``meeting_directive`` case kind (府級會議裁示事項): a directive or decision that asks
for action is a tracked item (列管) of the case engine — routed by the Secretariat's meeting
staff to a lead agency and co-agencies, reporting progress every month until 研考會's
研考人員 release it (解除列管) with a reason. The kind's own record (which meeting, which item,
決議 or 裁示) is written and checked through the engine's hooks (``services``)."""

from __future__ import annotations

from importlib import import_module

from secretariat.cases.kinds import CaseKind, Tracking
from secretariat.core.models import RoleCode
from secretariat.meetings.permissions import STAFF_ROLES, TRACKING_OFFICE

DIRECTIVE = "meeting_directive"
CHANNEL = "meeting"
# The first progress report is due about a month after routing (20 working days); then one
# every month (Tracking.every_months) after the later of the deadline answered and the report.
FIRST_REPORT_DAYS = 20


def _hook(name: str, module: str = "services"):
    """A function of ``meetings.services`` (or ``selectors``), looked up when called: those
    modules import this one."""

    def call(*args, **kwargs):
        return getattr(import_module(f"secretariat.meetings.{module}"), name)(*args, **kwargs)

    call.__name__ = name
    return call


KIND = CaseKind(
    code=DIRECTIVE,
    label="府級會議裁示事項",
    prefix="裁",
    reply_days=FIRST_REPORT_DAYS,
    reassign_days=3,
    reply_approval=False,
    router_roles=STAFF_ROLES,
    # Nobody asks as a requester: the meeting gave the directive.
    requester_roles=frozenset(),
    channels=frozenset({CHANNEL}),
    tracking=Tracking(
        every_months=1,
        releaser_roles=frozenset({RoleCode.RDEC_OFFICER}),
        office=TRACKING_OFFICE,
    ),
    validate=_hook("validate_directive"),
    create=_hook("create_directive"),
    facts=_hook("directive_facts", "selectors"),
)
