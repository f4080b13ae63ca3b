"""Reads of the exchange, already limited to what the person may see: an agency's staff see
the exchanges their agency sent or received (roles that see every agency see all); a package
refused on upload belongs to the agency that uploaded it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from secretariat.core.errors import NotFound
from secretariat.core.models import RoleCode
from secretariat.core.permissions import sees_all_agencies
from secretariat.exchange.models import Exchange, ExchangeEvent, Route, State

STAFF_ROLES = (
    RoleCode.REGISTRY_CLERK,
    RoleCode.CASE_OFFICER,
    RoleCode.SUPERVISOR,
    RoleCode.HEAD,
    RoleCode.SYSTEM_ADMIN,
    RoleCode.SECRETARIAT_ADMIN,
)


def is_staff(user) -> bool:
    """Agency staff who may see their agency's exchanges (not contractors or journalists)."""
    return bool(getattr(user, "is_authenticated", False)) and (
        sees_all_agencies(user) or (user.agency_id is not None and user.has_role(*STAFF_ROLES))
    )


def is_clerk(user, agency_id: int | None) -> bool:
    """收發 of the agency: who signs for, refuses and uploads packages."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and agency_id is not None
        and user.agency_id == agency_id
        and user.has_role(RoleCode.REGISTRY_CLERK)
    )


def visible_exchanges(user) -> QuerySet[Exchange]:
    """The one rule for pages, the API and the services."""
    found = Exchange.objects.select_related("sender_agency", "recipient_agency", "document")
    if not is_staff(user):
        return found.none()
    if sees_all_agencies(user):
        return found
    return found.filter(Q(sender_agency_id=user.agency_id) | Q(recipient_agency_id=user.agency_id))


def inbox(user) -> QuerySet[Exchange]:
    """來文交換: packages for the person's agency, those waiting for 簽收 first."""
    if not is_staff(user) or user.agency_id is None:
        return Exchange.objects.none()
    return (
        visible_exchanges(user)
        .filter(recipient_agency_id=user.agency_id)
        .order_by("-created_at", "-id")
    )


def waiting(user) -> QuerySet[Exchange]:
    return inbox(user).filter(state=State.DELIVERED)


def outbox(user) -> QuerySet[Exchange]:
    """發文交換: what the person's agency sent, per recipient, with its state."""
    if not is_staff(user) or user.agency_id is None:
        return Exchange.objects.none()
    return (
        visible_exchanges(user)
        .filter(sender_agency_id=user.agency_id)
        .exclude(route=Route.UPLOAD)
        .order_by("-created_at", "-id")
    )


def exchange_for(user, uid) -> Exchange:
    found = visible_exchanges(user).filter(uid=uid).first()
    if found is None:
        raise NotFound()
    return found


def events_of(exchange: Exchange) -> list[ExchangeEvent]:
    return list(exchange.events.select_related("by").order_by("at", "pk"))


def document_log(user, document) -> list[Exchange]:
    """The exchange log of one document the person may see (each recipient, its events)."""
    return list(
        visible_exchanges(user)
        .filter(document=document)
        .prefetch_related("events", "events__by")
        .order_by("pk")
    )


def pending_items(user) -> list:
    """The dashboard's 我的待辦: packages waiting for the 收發's 簽收."""
    from secretariat.core.modules import PendingItem

    if not (getattr(user, "is_authenticated", False) and user.has_role(RoleCode.REGISTRY_CLERK)):
        return []
    return [
        PendingItem(
            kind="公文交換",
            title=f"待簽收：{item.sender_name} {item.sender_number}",
            url=f"/exchange/{item.uid}/",
            due=None,
            overdue=False,
        )
        for item in waiting(user)[:20]
    ]


@dataclass(frozen=True)
class Volume:
    """Electronic exchange in a period: packages sent, signed for, refused, and how many
    agencies sent or received one."""

    sent: int
    delivered_inside: int
    to_gateway: int
    signed: int
    refused: int
    agencies: int


def volume(start: dt.date, end: dt.date) -> Volume:
    rows = Exchange.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
    routes = Counter(rows.exclude(route=Route.UPLOAD).values_list("route", flat=True))
    states = Counter(rows.values_list("state", flat=True))
    agencies = set(rows.exclude(sender_agency=None).values_list("sender_agency_id", flat=True))
    agencies |= set(
        rows.exclude(recipient_agency=None).values_list("recipient_agency_id", flat=True)
    )
    return Volume(
        sent=routes[Route.PLATFORM] + routes[Route.GATEWAY],
        delivered_inside=routes[Route.PLATFORM],
        to_gateway=routes[Route.GATEWAY],
        signed=states[State.SIGNED],
        refused=states[State.REFUSED],
        agencies=len(agencies),
    )
