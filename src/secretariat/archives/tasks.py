"""Daily job: reminders of approved 銷毀目錄 due for destruction (three months from
approval), to the agency's archivists."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from secretariat.core.tasks import register_daily


@task()
def remind_destructions_task() -> dict:
    from secretariat.archives import services

    return {"sent": services.remind_destructions()}


def register() -> None:
    register_daily("archives.remind_destructions", dt.time(8, 10), remind_destructions_task.enqueue)
