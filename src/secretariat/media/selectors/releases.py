"""Reads of 新聞稿, press events and social posts: staff see their own agency's releases (the
Secretariat's press office and administrators all of them); everyone sees the published ones."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from secretariat.core.models import Agency
from secretariat.core.permissions import SECRETARIAT_CODE, scope_to_agency
from secretariat.media.models import (
    PressEvent,
    PressEventKind,
    PressRelease,
    ReleaseStatus,
    SocialPost,
)
from secretariat.media.permissions import is_press_office, is_press_officer_of, is_staff


def releases_for(user) -> QuerySet[PressRelease]:
    """The releases a staff member may see: their agency's; the Secretariat's press office
    (which approves releases in the mayor's name) and administrators every agency's."""
    queryset = PressRelease.objects.select_related("agency", "drafted_by")
    if is_press_office(user):
        return queryset
    if not is_staff(user):
        return queryset.none()
    return scope_to_agency(queryset, user)


def releases_to_approve(user) -> QuerySet[PressRelease]:
    """Releases waiting for this person's approval."""
    waiting = Q(pk__in=[])
    if user.agency_id is not None and is_press_officer_of(user, user.agency_id):
        waiting |= Q(status=ReleaseStatus.SUBMITTED, agency_id=user.agency_id)
    if is_press_office(user) and is_staff(user) and user.agency.code == SECRETARIAT_CODE:
        waiting |= Q(status=ReleaseStatus.AWAITING_SECRETARIAT)
    return releases_for(user).filter(waiting).order_by("publish_at", "pk")


def published_releases(at: dt.datetime, q: str = "", agency: Agency | None = None):
    """The news page and the feed: published releases, newest first; words in the title or
    text, an agency."""
    queryset = PressRelease.objects.published(at).select_related("agency")
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(body__icontains=q))
    if agency is not None:
        queryset = queryset.filter(agency=agency)
    return queryset.order_by("-publish_at", "-pk")


def published_release(pk: int, at: dt.datetime) -> PressRelease | None:
    return (
        PressRelease.objects.published(at)
        .select_related("agency")
        .prefetch_related("files", "corrections")
        .filter(pk=pk)
        .first()
    )


def publishing_agencies(at: dt.datetime) -> QuerySet[Agency]:
    """Agencies with published releases (the news page's filter)."""
    ids = PressRelease.objects.published(at).values("agency_id")
    return Agency.objects.filter(pk__in=ids).order_by("sort_order", "code")


@dataclass(frozen=True)
class ReleaseCounts:
    """Published releases per month: the Secretariat's own (本處) and the whole government's
    (全府, the Secretariat's included)."""

    months: tuple[dt.date, ...]
    secretariat: OrderedDict[dt.date, int]
    government: OrderedDict[dt.date, int]

    @property
    def secretariat_total(self) -> int:
        return sum(self.secretariat.values())

    @property
    def government_total(self) -> int:
        return sum(self.government.values())


def months_between(start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return tuple(months)


def release_counts(start: dt.date, end: dt.date, at: dt.datetime) -> ReleaseCounts:
    """Releases published (the one rule, as of ``at``) on days ``start``…``end``, by month."""
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    last = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    rows = (
        PressRelease.objects.published(at)
        .filter(publish_at__gte=first, publish_at__lt=last)
        .annotate(month=TruncMonth("publish_at"))
        .values("month", "agency__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    months = months_between(start, end)
    secretariat = OrderedDict((month, 0) for month in months)
    government = OrderedDict((month, 0) for month in months)
    for row in rows:
        month = row["month"]
        month = timezone.localtime(month).date() if isinstance(month, dt.datetime) else month
        government[month] += row["n"]
        if row["agency__code"] == SECRETARIAT_CODE:
            secretariat[month] += row["n"]
    return ReleaseCounts(months, secretariat, government)


# --- Events and posts ---------------------------------------------------------------------------


def press_events(kind: str | None = None) -> QuerySet[PressEvent]:
    queryset = PressEvent.objects.select_related("release").prefetch_related("agencies")
    return queryset.filter(kind=kind) if kind else queryset


def events_in(start: dt.date, end: dt.date) -> QuerySet[PressEvent]:
    return press_events().filter(held_on__range=(start, end)).order_by("held_on", "pk")


def event_counts(start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (
        PressEvent.objects.filter(held_on__range=(start, end))
        .values("kind")
        .annotate(n=Count("pk"))
    )
    counts = {kind: 0 for kind in PressEventKind.values}
    counts.update({row["kind"]: row["n"] for row in rows.order_by()})
    return counts


def social_posts() -> QuerySet[SocialPost]:
    return SocialPost.objects.all()


def post_counts(start: dt.date, end: dt.date) -> dict[tuple[str, str], int]:
    """Posts in the period by (platform, kind)."""
    rows = (
        SocialPost.objects.filter(posted_on__range=(start, end))
        .values("platform", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(row["platform"], row["kind"]): row["n"] for row in rows}
