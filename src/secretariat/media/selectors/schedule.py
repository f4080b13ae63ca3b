"""Reads of 媒體聯繫: the mayor's public schedule (public: everyone signed in may read it)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from secretariat.media.models import ScheduleItem, ScheduleMailing


def schedule_for(day: dt.date) -> QuerySet[ScheduleItem]:
    """The mayor's public schedule of a day."""
    return ScheduleItem.objects.filter(day=day).order_by("starts_at", "id")


def schedule_item(pk: int) -> ScheduleItem | None:
    return ScheduleItem.objects.filter(pk=pk).first()


def schedule_mailing(day: dt.date) -> ScheduleMailing | None:
    return ScheduleMailing.objects.filter(day=day).first()
