"""Background jobs (django.tasks API, database backend) and the daily schedule.

`secretariat worker` runs queued jobs; `secretariat scheduler` enqueues each registered daily
job once per day at its time (Asia/Taipei). Several schedulers may run: the ScheduledRun
unique key lets only one of them enqueue a given day's run."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def verify_audit_chain_task() -> dict:
    """Daily: recompute the audit chain and alert system administrators if it is broken;
    anchor the verified head in the checkpoint file."""
    from secretariat.core import audit, services
    from secretariat.core.models import RoleCode, User

    result = audit.verify()
    if result.ok:
        audit.write_checkpoint()
    else:
        admins = User.objects.filter(roles__code=RoleCode.SYSTEM_ADMIN, is_active=True).distinct()
        for admin in admins:
            services.notify(admin, "稽核紀錄驗證失敗", result.problem, mail=True)
    return {"ok": result.ok, "checked": result.checked, "problem": result.problem}


@dataclass(frozen=True)
class DailyJob:
    name: str
    at: dt.time
    enqueue: Callable[[], object]


DAILY_JOBS: dict[str, DailyJob] = {}


def register_daily(name: str, at: dt.time, enqueue: Callable[[], object]) -> None:
    DAILY_JOBS[name] = DailyJob(name, at, enqueue)


@task()
def prune_job_results_task() -> dict:
    """Daily: drop finished job results past their keeping time (``core.jobs.prune``)."""
    from secretariat.core import jobs

    return jobs.prune()


def refresh_planner_statistics() -> None:
    """SQLite plans a query well only with table statistics (``ANALYZE``), which it does not
    keep up by itself (PostgreSQL's autovacuum does). Without them a search scoped to what a
    person may see walked every visible case: 3 s instead of 3 ms over 5,000 cases
    (docs/performance.md). ``analysis_limit`` samples big tables, so it stays quick."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("ANALYZE")


@task()
def refresh_planner_statistics_task() -> None:
    refresh_planner_statistics()


@task()
def purge_rate_limit_events_task() -> int:
    """Daily: drop rate-limit counters older than any window (``core.throttle``)."""
    from secretariat.core import throttle

    return throttle.purge()


register_daily("core.verify_audit_chain", dt.time(2, 0), verify_audit_chain_task.enqueue)
register_daily("core.prune_job_results", dt.time(3, 45), prune_job_results_task.enqueue)
register_daily("core.purge_rate_limit_events", dt.time(3, 30), purge_rate_limit_events_task.enqueue)
register_daily(
    "core.refresh_planner_statistics", dt.time(3, 45), refresh_planner_statistics_task.enqueue
)


def run_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every daily job whose time has come today and that was not enqueued yet."""
    from secretariat.core.models import ScheduledRun

    now = timezone.localtime(now or timezone.now())
    enqueued = []
    for job in DAILY_JOBS.values():
        if now.time() < job.at:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, run_date=now.date())
                result = job.enqueue()
                run.task_result_id = str(getattr(result, "id", ""))
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue
        logger.info("enqueued daily job %s for %s", job.name, now.date())
        enqueued.append(job.name)
    return enqueued
