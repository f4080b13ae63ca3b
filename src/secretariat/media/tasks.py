"""Background jobs of 媒體聯繫: the mayor's public schedule mailed to councillors at 07:00, the
agency heads' 輿情日報 at 08:00 (the day before), a release mailed to the media list when its
time comes (and a daily catch-up of any a lost job left), and reading a feed of opinion items."""

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


@task()
def mail_release_task(release_id: int) -> dict:
    """Mail a release to the media list once its publishing time has come (queued to run
    then); nothing when it was mailed already."""
    return {"release": release_id, "mails": services.mail_release(release_id)}


@task()
def mail_due_releases_task() -> dict:
    return {"mails": services.mail_due_releases()}


@task()
def mail_digests_task(day: str) -> dict:
    """Each agency's 輿情日報 of ``day`` (ISO date) to its heads, once."""
    return {"day": day, "mails": services.mail_digests(dt.date.fromisoformat(day))}


def enqueue_yesterdays_digests() -> TaskResult:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return mail_digests_task.enqueue(day=yesterday.isoformat())


@task()
def capture_feed_task(capture_id: int) -> dict:
    """Read a feed the press office gave and capture its new entries as opinion items."""
    capture = services.run_feed_capture(capture_id)
    return {"capture": capture_id, "status": capture.status, "created": capture.created}


register_daily("media.mail_schedule", dt.time(7, 0), enqueue_todays_schedule)
register_daily("media.mail_digests", dt.time(8, 0), enqueue_yesterdays_digests)
register_daily("media.mail_due_releases", dt.time(6, 0), mail_due_releases_task.enqueue)
