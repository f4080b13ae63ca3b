"""Reads of 新聞聯繫線上通訊錄 and of the journalists. The directory is read by staff and
journalists (and, without private numbers, by the public); who sees the private numbers is
``permissions.sees_private_numbers``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from secretariat.core import zh
from secretariat.core.models import Agency
from secretariat.media.models import Journalist, JournalistStatus, PressContact

# Contacts one lookup shows (every agency has a few): the whole directory fits.
LOOKUP_LIMIT = 300


def contacts() -> QuerySet[PressContact]:
    return PressContact.objects.select_related("agency", "backup")


def contact_lookup(query: str = "", agency: Agency | None = None) -> list[PressContact]:
    """Contacts of an agency or about a topic: every word matches the agency's name or short
    name, the contact's name, title, 職務 or 業務範圍 (交通、停車 …), whatever the script
    (Traditional or Simplified, full or half width)."""
    queryset = contacts()
    if agency is not None:
        queryset = queryset.filter(agency=agency)
    found = list(queryset[: LOOKUP_LIMIT * 4])
    words = zh.project(query or "").split()
    if not words:
        return found[:LOOKUP_LIMIT]

    def matches(contact: PressContact) -> bool:
        haystack = zh.project(
            " ".join(
                (
                    contact.agency.name,
                    contact.agency.short_name,
                    contact.name,
                    contact.job_title,
                    contact.topics,
                    contact.get_role_display(),
                )
            )
        )
        return all(word in haystack for word in words)

    return [contact for contact in found if matches(contact)][:LOOKUP_LIMIT]


def agencies_with_contacts() -> QuerySet[Agency]:
    ids = PressContact.objects.values("agency_id")
    return Agency.objects.filter(pk__in=ids).order_by("sort_order", "code")


def contact_for(pk: int) -> PressContact | None:
    return contacts().filter(pk=pk).first()


def journalists(status: str | None = None) -> QuerySet[Journalist]:
    queryset = Journalist.objects.select_related("user", "decided_by")
    return queryset.filter(status=status) if status else queryset


def pending_journalists() -> QuerySet[Journalist]:
    return journalists(JournalistStatus.PENDING).order_by("registered_at", "pk")


@dataclass(frozen=True)
class DirectoryFigures:
    agencies: int
    contacts: int
    journalists: int
    lookups: int


def directory_figures(start: dt.date, end: dt.date) -> DirectoryFigures:
    """The directory as it stands, the journalists approved by ``end`` and the lookups made
    in the period (from the audit trail, where every lookup is recorded)."""
    from django.utils import timezone

    from secretariat.core.models import AuditEntry

    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    last = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    approved = Journalist.objects.filter(
        Q(status=JournalistStatus.APPROVED) & Q(decided_at__lt=last)
    ).count()
    lookups = AuditEntry.objects.filter(
        action="media:directory_lookup", at__gte=first, at__lt=last
    ).count()
    return DirectoryFigures(
        agencies=PressContact.objects.values("agency_id").distinct().count(),
        contacts=PressContact.objects.count(),
        journalists=approved,
        lookups=lookups,
    )
