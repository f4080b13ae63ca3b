"""Background jobs of petitions: the daily purge of old rate-limit counters."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from secretariat.core.tasks import register_daily


@task()
def purge_rate_limit_events_task() -> int:
    from secretariat.petitions import throttle

    return throttle.purge()


register_daily(
    "petitions.purge_rate_limit_events", dt.time(3, 30), purge_rate_limit_events_task.enqueue
)
