"""Reads of the professional consultations: the sessions open for booking (public: no
personal data, only how many slots are left), the desk's day of sessions with their bookings
(desk staff only), and the monthly figures by association and mode."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from secretariat.service.models import (
    Association,
    Booking,
    BookingStatus,
    Consultation,
    ConsultSession,
    Mode,
)
from secretariat.service.permissions import is_desk_staff

__all__ = [
    "AssociationMonths",
    "associations",
    "bookable_sessions",
    "bookings_for",
    "consultations_by_month",
    "consultations_for",
    "sessions_on",
]


def associations(*, active_only: bool = True) -> QuerySet[Association]:
    found = Association.objects.prefetch_related("professionals")
    return found.filter(is_active=True) if active_only else found


def _with_free(sessions: QuerySet[ConsultSession]) -> QuerySet[ConsultSession]:
    return sessions.select_related("association", "professional").annotate(
        booked=Count("bookings", filter=~Q(bookings__status=BookingStatus.CANCELLED))
    )


def bookable_sessions(*, days_ahead: int = 62) -> list[ConsultSession]:
    """Sessions a citizen may book (public page and API): not started, within the booking
    window, with a free slot. Each carries ``free`` (slots left) and nothing personal."""
    now = timezone.localtime()
    today = now.date()
    sessions = _with_free(
        ConsultSession.objects.filter(
            day__gte=today,
            day__lte=today + dt.timedelta(days=days_ahead),
            association__is_active=True,
        )
    )
    found = []
    for session in sessions.order_by("day", "starts", "pk"):
        if session.day == today and session.starts <= now.time():
            continue
        session.free = session.capacity - session.booked
        if session.free > 0:
            found.append(session)
    return found


def sessions_on(user, day: dt.date) -> list[ConsultSession]:
    """The desk's sessions of a day, each with its live bookings (desk staff only)."""
    if not is_desk_staff(user):
        return []
    sessions = list(_with_free(ConsultSession.objects.filter(day=day)))
    bookings = defaultdict(list)
    for booking in bookings_for(user).filter(session__in=sessions):
        bookings[booking.session_id].append(booking)
    for session in sessions:
        session.free = session.capacity - session.booked
        session.live_bookings = bookings[session.pk]
    return sessions


def bookings_for(user) -> QuerySet[Booking]:
    """預約 (names and phones): the desk's staff only."""
    if not is_desk_staff(user):
        return Booking.objects.none()
    return Booking.objects.select_related("session__association").exclude(
        status=BookingStatus.CANCELLED
    )


def consultations_for(user) -> QuerySet[Consultation]:
    if not is_desk_staff(user):
        return Consultation.objects.none()
    return Consultation.objects.select_related("association")


@dataclass
class AssociationMonths:
    """One association's consultations by mode and month of a period."""

    association: Association
    by_mode: dict[str, dict[tuple[int, int], int]] = field(default_factory=dict)

    def total(self, mode: str | None = None) -> int:
        modes = [mode] if mode else list(self.by_mode)
        return sum(sum(self.by_mode.get(m, {}).values()) for m in modes)


def consultations_by_month(start: dt.date, end: dt.date) -> list[AssociationMonths]:
    """專業諮詢 by association, mode and month (the report's table; one query)."""
    rows = (
        Consultation.objects.filter(held_on__gte=start, held_on__lte=end)
        .annotate(year=ExtractYear("held_on"), month=ExtractMonth("held_on"))
        .values("association", "mode", "year", "month")
        .annotate(n=Count("pk"))
    )
    found: dict[int, AssociationMonths] = {}
    names = {a.pk: a for a in Association.objects.all()}
    for row in rows:
        entry = found.setdefault(row["association"], AssociationMonths(names[row["association"]]))
        months = entry.by_mode.setdefault(row["mode"], {})
        months[(row["year"], row["month"])] = row["n"]
    order = {value: n for n, value in enumerate(Mode.values)}
    for entry in found.values():
        entry.by_mode = dict(sorted(entry.by_mode.items(), key=lambda item: order[item[0]]))
    return sorted(found.values(), key=lambda e: (e.association.profession, e.association.name))
