"""The job worker behind `secretariat worker`: django-tasks-db's worker, made to survive the
database. A database error anywhere in a turn of the loop — 「database is locked」 on SQLite,
a dropped PostgreSQL connection, any ``OperationalError`` — closes the connections, waits
(exponential back-off with jitter, ``BACKOFF_FIRST`` doubling up to ``BACKOFF_MAX``
seconds) and tries again, instead of ending the process. A job's outcome that cannot be
written is retried the same way, so a finished job is never run twice nor left without its
result while the worker lives.

Each turn writes the worker's heartbeat (``core.WorkerHeartbeat``, at most every
``HEARTBEAT_SECONDS`` unless its state changes), which the 系統狀態 page and
`secretariat check` read (``core.jobs``)."""

from __future__ import annotations

import logging
import os
import random
import socket
import time
from functools import partial

from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
)
from django.utils import timezone
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from secretariat.core.models import WorkerHeartbeat, WorkerState

logger = logging.getLogger(__name__)

# Errors of the database itself (not of a job): the worker waits and tries again.
DATABASE_ERRORS = (OperationalError, InterfaceError)
BACKOFF_FIRST = 0.5
BACKOFF_MAX = 60.0
HEARTBEAT_SECONDS = 10.0
# `secretariat serve` passes a stop on to its children, which have it already when it was sent to
# the whole process group (Ctrl-C): a second stop this soon is that same one, not db_worker's
# "once more: abort the running job".
REPEATED_STOP_SECONDS = 2.0


def backoff_delay(failures: int, first: float = BACKOFF_FIRST, most: float = BACKOFF_MAX) -> float:
    """Seconds to wait after the ``failures``-th error in a row: first, 2×first, 4×first … up
    to ``most``, each between half and all of it (so that several workers do not retry in
    step)."""
    delay = min(most, first * 2 ** max(0, failures - 1))
    return delay * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not a secret


class Worker(db_worker.Worker):
    """db_worker's Worker (signals, queues, batch and max-tasks) with a loop that survives
    database errors and reports its liveness."""

    def __init__(self, *, backoff_first: float = BACKOFF_FIRST, **options) -> None:
        super().__init__(**options)
        self.backoff_first = backoff_first
        self.failures = 0
        self.retried = 0
        self.last_error = ""
        self.started_at = timezone.now()
        self._beat_state: tuple[str, str] | None = None
        self._beat_at = 0.0
        self._stop_at = -REPEATED_STOP_SECONDS

    def shutdown(self, signum, frame) -> None:
        now = time.monotonic()
        if self.running:
            self._stop_at = now
        elif now - self._stop_at < REPEATED_STOP_SECONDS:
            return
        super().shutdown(signum, frame)

    # --- The loop ------------------------------------------------------------------------------

    def run(self) -> None:
        logger.info("Starting worker %s (queues %s)", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 - spreads the start of several workers
        try:
            while self.running:
                try:
                    task_result, claimed = self._turn()
                except DATABASE_ERRORS as error:
                    self._wait_after(error)
                    continue
                self.failures = 0
                if self.batch and claimed and task_result is None:
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                if self.running and task_result is None:
                    time.sleep(self.interval)
        finally:
            self._stop_beating()

    def _turn(self) -> tuple[DBTaskResult | None, bool]:
        """One turn: report, claim the next ready job and run it. (job, whether the queue
        could be read)."""
        close_old_connections()
        self._beat(WorkerState.IDLE)
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        if task_result is not None:
            self._beat(WorkerState.RUNNING, task_result.task_path)
            self.run_task(task_result)
        return task_result, True

    def _wait_after(self, error: BaseException) -> None:
        """Count a database error, drop the connections (a broken one is not reused), wait."""
        self.failures += 1
        self.retried += 1
        self.last_error = f"{type(error).__name__}: {error}"[:300]
        delay = backoff_delay(self.failures, self.backoff_first)
        logger.warning(
            "Database error (%s in a row), retrying in %.1f s: %s",
            self.failures,
            delay,
            self.last_error,
        )
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except DatabaseError:
                pass
        try:  # shown when the database answers at all (it may not)
            self._beat(WorkerState.RETRYING)
        except DatabaseError:
            pass
        if self.running:
            time.sleep(delay)

    # --- Running one job -----------------------------------------------------------------------

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the job and record its outcome; recording is retried through database errors
        (the job itself is not run again)."""
        self.running_task = True
        try:
            task, task_result = None, None
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                task_started.send(sender=type(task.get_backend()), task_result=task_result)
                if task.takes_context:
                    context = TaskContext(task_result=task_result)
                    value = task.call(context, *task_result.args, **task_result.kwargs)
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            except BaseException as error:  # the job's own failure, whatever it is
                logger.exception("Job %s failed", db_task_result.id)
                self._record(partial(db_task_result.set_failed, error))
            else:
                self._record(partial(self._set_successful, db_task_result, value))
            if task is not None:
                task_finished.send(
                    sender=type(task.get_backend()), task_result=db_task_result.task_result
                )
        finally:
            self.running_task = False
            self._run_tasks += 1

    @staticmethod
    def _set_successful(db_task_result: DBTaskResult, value) -> None:
        try:
            db_task_result.set_successful(value)
        except DATABASE_ERRORS:
            raise
        except Exception as error:  # e.g. a return value JSON cannot hold
            db_task_result.set_failed(error)

    def _record(self, write) -> None:
        while True:
            try:
                write()
                self.failures = 0
                return
            except DATABASE_ERRORS as error:
                if not self.running:
                    logger.error("Stopping: the outcome of a job was not recorded: %s", error)
                    raise
                self._wait_after(error)

    # --- The heartbeat -------------------------------------------------------------------------

    def _beat(self, state: str, task: str = "") -> None:
        """Write the heartbeat when the state changed or ``HEARTBEAT_SECONDS`` have passed."""
        now = time.monotonic()
        if self._beat_state == (state, task) and now - self._beat_at < HEARTBEAT_SECONDS:
            return
        moment = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:200],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "beat_at": moment,
                "state": state,
                "task": task[:200],
                "task_started_at": moment if state == WorkerState.RUNNING else None,
                "failures": self.failures,
                "retried": self.retried,
                "last_error": self.last_error,
            },
        )
        self._beat_state, self._beat_at = (state, task), now

    def _stop_beating(self) -> None:
        """A worker that stops cleanly takes its heartbeat away (only a dead one leaves it)."""
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError:
            logger.warning("Could not remove the heartbeat of worker %s", self.worker_id)
