"""Background jobs (django.tasks API, database backend) and the daily schedule.

`secretariat worker` runs queued jobs; `secretariat scheduler` enqueues each registered daily
job once per day at its time (Asia/Taipei). Several schedulers may run: the ScheduledRun
unique key lets only one of them enqueue a given day's run."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task(queue_name="mail")
def send_mail_task(subject: str, body: str, recipients: list[str]) -> int:
    from django.conf import settings

    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


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


register_daily("core.verify_audit_chain", dt.time(2, 0), verify_audit_chain_task.enqueue)


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
