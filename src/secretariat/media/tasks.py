"""Background jobs of 媒體聯繫: the mayor's public schedule mailed to councillors at 07:00."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import TaskResult, task

from secretariat.core.tasks import register_daily
from secretariat.media import services


@task()
def mail_schedule_task(day: str) -> dict:
    """Mail the schedule of ``day`` (ISO date) to the councillors; nothing when it was mailed
    already or has no items."""
    mailing = services.mail_schedule(dt.date.fromisoformat(day))
    return {"day": day, "recipients": mailing.recipients if mailing else 0}


def enqueue_todays_schedule() -> TaskResult:
    # The day is fixed when the job is queued, so a worker that runs it late (after midnight)
    # still mails the schedule of the day it was meant for.
    return mail_schedule_task.enqueue(day=timezone.localdate().isoformat())


register_daily("media.mail_schedule", dt.time(7, 0), enqueue_todays_schedule)
