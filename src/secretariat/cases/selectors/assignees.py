"""Who a part can be routed to (受分辦者), for the routing form's type-ahead pickers: the
agencies in force, their units and their active contractors, found by name, each with how
many people would receive it (``services.common.holders``, the rule the notices follow).

A picker's value names the assignee: an agency by its id (``"12"``), a unit or a contractor
with a prefix (``"unit:3"``, ``"contractor:5"``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from secretariat.core.models import Agency, Contractor, Unit

# A picker shows at most this many matches (type more to narrow), and reads at most this
# much of what was typed.
OPTIONS_LIMIT = 10
QUERY_MAX = 40

Assignee = Agency | Unit | Contractor
_VALUE = re.compile(r"^(?:(unit|contractor):)?(\d{1,10})$")


@dataclass(frozen=True)
class AssigneeOption:
    value: str
    label: str
    detail: str  # the full name, or the managing agency
    receivers: int  # active people who would be notified of a part

    @property
    def warning(self) -> str:
        return nobody_warning(self.label) if self.receivers == 0 else ""


def nobody_warning(label: str) -> str:
    return (
        f"{label}目前沒有可收件的人員（在職的承辦人或主管帳號），"
        "分辦後不會有人收到通知，也無法指定承辦人；請先聯絡系統管理者建立帳號。"
    )


def value_of(assignee: Assignee) -> str:
    if isinstance(assignee, Unit):
        return f"unit:{assignee.pk}"
    if isinstance(assignee, Contractor):
        return f"contractor:{assignee.pk}"
    return str(assignee.pk)


def label_of(assignee: Assignee) -> str:
    if isinstance(assignee, Unit):
        return f"{assignee.agency.short_name} {assignee.name}"
    if isinstance(assignee, Contractor):
        return str(assignee)
    return assignee.short_name


def _agencies():
    return Agency.objects.in_force_on(timezone.localdate())


def _units():
    return Unit.objects.select_related("agency").filter(agency__in=_agencies())


def _contractors():
    return Contractor.objects.select_related("agency").filter(
        is_active=True, agency__in=_agencies()
    )


def assignee_from_value(value: str) -> Assignee | None:
    """The agency in force, unit or active contractor a picker's value names, or None."""
    match = _VALUE.match((value or "").strip())
    if match is None:
        return None
    kind, pk = match.group(1), int(match.group(2))
    source = {"unit": _units(), "contractor": _contractors()}.get(kind, _agencies())
    return source.filter(pk=pk).first()


def _folded(text: str) -> str:
    return "".join(text.split()).replace("台", "臺")


def assignee_by_name(name: str) -> Assignee | None:
    """What a name typed without the picker's list means: an agency by its full, short or
    former name, a unit as 「機關 單位」, or a contractor by its name — exactly, or None."""
    from secretariat.core.registry import agency_by_name

    wanted = _folded(name)
    if not wanted:
        return None
    agency = agency_by_name(wanted)
    if agency is not None:
        return agency if _agencies().filter(pk=agency.pk).exists() else None
    for unit in _units():
        if wanted in (_folded(label_of(unit)), _folded(unit.agency.name + unit.name)):
            return unit
    return next((c for c in _contractors() if _folded(c.name) == wanted), None)


def part_receivers(part) -> int:
    """How many people are told of ``part`` (its holder's officers and supervisors, a
    contractor's people: the rule the notices follow)."""
    from secretariat.cases.kinds import HANDLING_ROLES
    from secretariat.cases.services.common import holders

    return len(holders(part, HANDLING_ROLES))


def receivers(assignee: Assignee) -> int:
    """How many people would be told of a part held by ``assignee``."""
    from secretariat.cases.models import Assignment

    if isinstance(assignee, Contractor):
        part = Assignment(agency=assignee.agency, unit=assignee.unit, contractor=assignee)
    elif isinstance(assignee, Unit):
        part = Assignment(agency=assignee.agency, unit=assignee)
    else:
        part = Assignment(agency=assignee)
    return part_receivers(part)


def option(assignee: Assignee) -> AssigneeOption:
    if isinstance(assignee, Unit):
        detail = assignee.agency.name
    elif isinstance(assignee, Contractor):
        detail = f"承攬廠商，{assignee.agency.short_name}管理"
    else:
        detail = assignee.name
    return AssigneeOption(value_of(assignee), label_of(assignee), detail, receivers(assignee))


def assignee_options(query: str, limit: int = OPTIONS_LIMIT) -> list[AssigneeOption]:
    """The picker's matches for what was typed: agencies (a short name starting with it
    first, then the registry's order), then units, then contractors; at most ``limit``."""
    wanted = _folded(query)[:QUERY_MAX]
    if not wanted:
        return []
    named = Q(short_name__icontains=wanted) | Q(name__icontains=wanted)
    named |= Q(name_history__short_name__icontains=wanted) | Q(name_history__name__icontains=wanted)
    agencies = list(_agencies().filter(named).distinct().order_by("sort_order", "code")[:100])
    agencies.sort(key=lambda a: (not a.short_name.startswith(wanted), a.sort_order, a.code))
    found: list[Assignee] = agencies[:limit]
    if len(found) < limit:
        units = _units().filter(Q(name__icontains=wanted) | Q(agency__short_name=wanted))
        found += list(units.order_by("agency__sort_order", "name")[: limit - len(found)])
    if len(found) < limit:
        contractors = _contractors().filter(name__icontains=wanted)
        found += list(contractors.order_by("agency__sort_order", "name")[: limit - len(found)])
    return [option(assignee) for assignee in found]
