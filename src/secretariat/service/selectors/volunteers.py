"""Reads of the volunteers. The roster shows names only; a volunteer's personal data
(:class:`VolunteerContact`) is read by the desk supervisor only — here and in the API.
The figures: people served (人次) and leaflets (文宣) by post and month, and each volunteer's
yearly service and training hours for the certificate (服務時數證明)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from secretariat.service.models import Post, Shift, Training, Volunteer, VolunteerContact
from secretariat.service.permissions import is_desk_staff, is_desk_supervisor

__all__ = [
    "PEOPLE_SERVED",
    "ShiftFigures",
    "VolunteerHours",
    "contacts_for",
    "posts",
    "roster_for",
    "shift_figures",
    "trainings_for",
    "volunteers_for",
    "yearly_hours",
]

PEOPLE_SERVED = "service.volunteer_people_served"


def posts(*, active_only: bool = True) -> QuerySet[Post]:
    found = Post.objects.all()
    return found.filter(is_active=True) if active_only else found


def volunteers_for(user, *, active_only: bool = True) -> QuerySet[Volunteer]:
    """志工 by name (the roster's view): desk staff and the supervisor."""
    if not is_desk_staff(user):
        return Volunteer.objects.none()
    found = Volunteer.objects.all()
    return found.filter(is_active=True) if active_only else found


def contacts_for(user) -> QuerySet[VolunteerContact]:
    """志工個人資料: the desk supervisor only (nobody else, desk staff included)."""
    if not is_desk_supervisor(user):
        return VolunteerContact.objects.none()
    return VolunteerContact.objects.select_related("volunteer")


def roster_for(user, day: dt.date) -> QuerySet[Shift]:
    """The day's shifts with their volunteers (names), by time and post."""
    if not is_desk_staff(user):
        return Shift.objects.none()
    return (
        Shift.objects.filter(day=day, volunteer__isnull=False)
        .select_related("post", "volunteer")
        .order_by("starts", "post__sort_order", "post__name", "pk")
    )


def trainings_for(user) -> QuerySet[Training]:
    if not is_desk_staff(user):
        return Training.objects.none()
    return Training.objects.prefetch_related("attendees")


@dataclass(frozen=True)
class ShiftFigures:
    people: int
    leaflets: int
    by_post: tuple[tuple[str, int, int], ...]  # (post, people, leaflets)
    by_month: dict[tuple[int, int], tuple[int, int]]


def shift_figures(start: dt.date, end: dt.date) -> ShiftFigures:
    """人次 and 文宣 of the shifts of a period (signed out, or imported), by post and month."""
    shifts = Shift.objects.filter(day__gte=start, day__lte=end)
    by_post = tuple(
        (row["post__name"], row["people"] or 0, row["leaflets"] or 0)
        for row in shifts.values("post__name", "post__sort_order")
        .annotate(people=Sum("people_served"), leaflets=Sum("leaflets"))
        .order_by("post__sort_order", "post__name")
    )
    by_month = {
        (row["year"], row["month"]): (row["people"] or 0, row["leaflets"] or 0)
        for row in shifts.annotate(year=ExtractYear("day"), month=ExtractMonth("day"))
        .values("year", "month")
        .annotate(people=Sum("people_served"), leaflets=Sum("leaflets"))
    }
    return ShiftFigures(
        people=sum(p for _, p, _ in by_post),
        leaflets=sum(n for _, _, n in by_post),
        by_post=by_post,
        by_month=by_month,
    )


@dataclass(frozen=True)
class VolunteerHours:
    volunteer: Volunteer
    shifts: int
    service_minutes: int
    training_hours: Decimal

    @property
    def service_hours(self) -> Decimal:
        return (Decimal(self.service_minutes) / 60).quantize(Decimal("0.1"))


def yearly_hours(user, year: int) -> list[VolunteerHours]:
    """年度服務時數 for the certificate: signed-in to signed-out minutes of the year's shifts,
    and the hours of the trainings attended (the supervisor's page)."""
    if not is_desk_supervisor(user):
        return []
    minutes: dict[int, int] = {}
    counts: dict[int, int] = {}
    for shift in Shift.objects.filter(
        day__year=year, volunteer__isnull=False, signed_out_at__isnull=False
    ).only("volunteer_id", "signed_in_at", "signed_out_at"):
        minutes[shift.volunteer_id] = minutes.get(shift.volunteer_id, 0) + shift.service_minutes
        counts[shift.volunteer_id] = counts.get(shift.volunteer_id, 0) + 1
    training = dict(
        Training.attendees.through.objects.filter(training__held_on__year=year)
        .values("volunteer_id")
        .annotate(hours=Sum("training__hours"))
        .values_list("volunteer_id", "hours")
    )
    return [
        VolunteerHours(v, counts.get(v.pk, 0), minutes.get(v.pk, 0), training.get(v.pk, Decimal(0)))
        for v in Volunteer.objects.filter(pk__in=set(minutes) | set(training)).order_by("name")
    ]
