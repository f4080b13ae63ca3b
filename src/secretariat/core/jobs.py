"""Background jobs as the people who run the platform see them: whether the workers are alive
(their heartbeats, ``core.worker``), what waits in the queue, the warnings of
`secretariat check`, and the daily pruning of finished job results."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.db.models import Min
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from secretariat.core.models import OutgoingMail, WorkerHeartbeat, WorkerState

# A job may run this long without its worker's heartbeat moving before it is reported.
LONG_JOB = dt.timedelta(hours=1)


def describe_age(age: dt.timedelta) -> str:
    """45 秒, 12 分鐘, 3 小時 5 分鐘, 2 天."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 120:
        return f"{seconds} 秒"
    minutes = seconds // 60
    if minutes < 120:
        return f"{minutes} 分鐘"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} 小時 {minutes % 60} 分鐘"
    return f"{hours // 24} 天"


def _stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WORKER_STALE_SECONDS)


@dataclass(frozen=True)
class WorkerStatus:
    """One worker's last report and how old it is."""

    heartbeat: WorkerHeartbeat
    age: dt.timedelta
    stale: bool

    @property
    def age_text(self) -> str:
        return describe_age(self.age)


@dataclass(frozen=True)
class QueueStatus:
    ready: int
    running: int
    failed_today: int
    oldest_wait: dt.timedelta | None

    @property
    def oldest_wait_text(self) -> str:
        return describe_age(self.oldest_wait) if self.oldest_wait is not None else "—"


def workers(now: dt.datetime | None = None) -> list[WorkerStatus]:
    """Every worker that reported and has not stopped cleanly. A worker is stale when its
    heartbeat is older than ``WORKER_STALE_SECONDS`` — or, while it runs a job (the loop
    waits for the job), older than ``LONG_JOB``."""
    now = now or timezone.now()
    found = []
    for heartbeat in WorkerHeartbeat.objects.all():
        age = now - heartbeat.beat_at
        limit = LONG_JOB if heartbeat.state == WorkerState.RUNNING else _stale_after()
        found.append(WorkerStatus(heartbeat, age, age > limit))
    return found


def queue(now: dt.datetime | None = None) -> QueueStatus:
    now = now or timezone.now()
    results = DBTaskResult.objects.all()
    waiting = results.ready()
    oldest = waiting.aggregate(oldest=Min("enqueued_at"))["oldest"]
    return QueueStatus(
        ready=waiting.count(),
        running=results.running().count(),
        failed_today=results.failed().filter(finished_at__gte=now - dt.timedelta(days=1)).count(),
        oldest_wait=now - oldest if oldest else None,
    )


def problems(now: dt.datetime | None = None) -> list[str]:
    """What an administrator must hear about (zh-Hant): each stale worker with the age of its
    last report, and jobs waiting longer than a worker would let them with no live worker."""
    now = now or timezone.now()
    found, alive = [], False
    for status in workers(now):
        beat = status.heartbeat
        if not status.stale:
            alive = True
            continue
        doing = f"，當時執行 {beat.task}" if beat.state == WorkerState.RUNNING else ""
        found.append(
            f"背景工作 worker {beat.host}（pid {beat.pid}）已 {status.age_text}沒有回報{doing}："
            "可能已停止，請檢查並重新啟動 `secretariat worker`。"
        )
    waiting = queue(now)
    if not alive and waiting.oldest_wait is not None and waiting.oldest_wait > _stale_after():
        found.append(
            f"{waiting.ready} 件背景工作等待執行，最久已等 {waiting.oldest_wait_text}，"
            "但沒有運作中的 worker：請啟動 `secretariat worker`。"
        )
    return found


def check_workers(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`secretariat check`: a warning for each problem of :func:`problems`."""
    try:
        found = problems()
    except DatabaseError:  # no database yet (before migrate): nothing to say about workers
        return []
    return [checks.Warning(message, id="secretariat.W001") for message in found]


def prune(now: dt.datetime | None = None) -> dict[str, int]:
    """Delete successful job results older than ``JOB_RESULTS_KEEP_DAYS``, failed ones older
    than ``JOB_FAILURES_KEEP_DAYS``, the sealed mail of jobs that failed as long ago, and the
    heartbeats of workers gone as long."""
    now = now or timezone.now()
    keep = now - dt.timedelta(days=settings.JOB_RESULTS_KEEP_DAYS)
    keep_failed = now - dt.timedelta(days=settings.JOB_FAILURES_KEEP_DAYS)
    succeeded, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=keep
    ).delete()
    failed, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=keep_failed
    ).delete()
    mail, _ = OutgoingMail.objects.filter(created_at__lt=keep_failed).delete()
    gone, _ = WorkerHeartbeat.objects.filter(beat_at__lt=keep_failed).delete()
    return {"succeeded": succeeded, "failed": failed, "mail": mail, "workers": gone}
