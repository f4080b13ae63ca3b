"""The indexer as a job: the worker applies tantivy's outbox (``SEARCH_INDEXING=worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def apply_index_outbox_task() -> int:
    from secretariat.search import tantivy_index

    return tantivy_index.apply_outbox()


def enqueue_apply() -> None:
    """Inside the record's transaction (the job row commits with the outbox rows, or neither
    does): a job to apply the outbox, unless one is already waiting — it will read these rows
    too, since a waiting job has not read the outbox yet. A job claimed meanwhile is skipped
    (SKIP LOCKED), so at worst one job too many runs, never one too few."""
    from django_tasks_db.models import DBTaskResult

    waiting = (
        DBTaskResult.objects.ready()
        .filter(task_path=apply_index_outbox_task.module_path)
        .select_for_update(skip_locked=True)
    )
    if not waiting.exists():
        apply_index_outbox_task.enqueue()
