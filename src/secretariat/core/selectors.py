"""Reads for core records, already limited to what the person may see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.urls import reverse

from secretariat.core.models import Agency, AuditEntry, IndicatorTarget, Notification, User
from secretariat.core.modules import PendingItem, SearchHit
from secretariat.core.permissions import is_administrator, scope_to_agency, sees_all_agencies
from secretariat.core.registry import REPORT_PREFETCH

SEARCH_LIMIT = 20


def indicator_target(indicator: str, on: dt.date) -> Decimal | None:
    """The yearly target (年度目標值) administrators set for ``indicator`` in the 民國 year of
    ``on`` (a period's end), or None when none is set."""
    from secretariat.core.roc import roc_year

    return (
        IndicatorTarget.objects.filter(indicator=indicator, year=roc_year(on))
        .values_list("value", flat=True)
        .first()
    )


def agencies() -> QuerySet[Agency]:
    """The agency registry is public within the city government: every signed-in person sees it."""
    return Agency.objects.select_related("parent").prefetch_related(*REPORT_PREFETCH)


def people_for(user, **filters) -> QuerySet[User]:
    queryset = (
        User.objects.select_related("agency", "unit").prefetch_related("roles").filter(**filters)
    )
    return scope_to_agency(queryset, user)


def audit_entries_for(user, instance=None, **filters) -> QuerySet[AuditEntry]:
    """Audit entries the person may read: administrators all of them; others the entries of
    records of their own agency (for example on a record's page)."""
    queryset = AuditEntry.objects.select_related("actor").order_by("-seq")
    if instance is not None:
        queryset = queryset.filter(
            object_type=instance._meta.label_lower, object_id=str(instance.pk)
        )
    queryset = queryset.filter(**filters)
    if is_administrator(user) or sees_all_agencies(user):
        return queryset
    if not user.is_authenticated or user.agency_id is None:
        return queryset.none()
    return queryset.filter(agency_id=user.agency_id)


def notifications_for(user, unread_only: bool = False) -> QuerySet[Notification]:
    """The person's notices, newest first; ``unread_only``: those still waiting for them —
    not read, and not done (a notice whose action someone has taken no longer counts)."""
    queryset = Notification.objects.filter(recipient=user)
    if unread_only:
        return queryset.filter(read_at__isnull=True, resolved_at__isnull=True)
    return queryset


def pending_notifications(user) -> list[PendingItem]:
    return [
        PendingItem(kind="通知", title=n.title, url=n.url or reverse("core:notifications"))
        for n in notifications_for(user, unread_only=True)[:10]
    ]


def search_agencies(user, query: str) -> list[SearchHit]:
    matches = Agency.objects.filter(
        Q(name__icontains=query)
        | Q(short_name__icontains=query)
        | Q(name_history__name__icontains=query)
        | Q(name_history__short_name__icontains=query)
    ).distinct()[:SEARCH_LIMIT]
    return [SearchHit("機關", f"{a.name}（{a.short_name}）", a.get_absolute_url()) for a in matches]


def search_people(user, query: str) -> list[SearchHit]:
    matches = people_for(user).filter(
        Q(display_name__icontains=query)
        | Q(username__icontains=query)
        | Q(job_title__icontains=query)
    )[:SEARCH_LIMIT]
    return [
        SearchHit(
            "人員",
            f"{p}",
            p.get_absolute_url(),
            f"{p.agency.short_name if p.agency else ''} {p.job_title}",
        )
        for p in matches
    ]
