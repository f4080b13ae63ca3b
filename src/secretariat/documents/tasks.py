"""Nightly job: 驗章 of every stored signature (administrators are told of a broken one)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from secretariat.core.tasks import register_daily


@task()
def verify_signatures_task() -> dict:
    from secretariat.documents import services

    run = services.verify_all()
    return {"checked": run.checked, "broken": run.broken}


def register() -> None:
    register_daily("documents.verify_signatures", dt.time(1, 30), verify_signatures_task.enqueue)
