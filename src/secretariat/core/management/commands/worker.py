"""`secretariat worker`: run background jobs with ``core.worker.Worker`` (django-tasks-db's
``db_worker`` options, without autoreload), surviving database errors."""

from __future__ import annotations

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from secretariat.core.worker import Worker


class Command(db_worker.Command):
    help = "執行背景工作（資料庫錯誤時等待後重試，並回報存活狀態）"

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        exclude_queues: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        max_tasks: int | None,
        worker_id: str,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
