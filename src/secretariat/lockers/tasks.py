"""Background jobs of the document lockers: reminding the receiving 收發 of packages not
collected in time (twice a working day's office hours: late morning and mid-afternoon)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from secretariat.core.tasks import register_daily
from secretariat.lockers import services


@task()
def remind_overdue_task() -> dict:
    return {"reminded": services.remind_overdue()}


def register() -> None:
    register_daily("lockers.remind_overdue_morning", dt.time(10, 30), remind_overdue_task.enqueue)
    register_daily("lockers.remind_overdue_afternoon", dt.time(15, 0), remind_overdue_task.enqueue)
