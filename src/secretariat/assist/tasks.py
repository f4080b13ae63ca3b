"""The routing assistant's background jobs: retraining the suggester (daily at 03:30, and when
an administrator asks for it in the admin) and, with embeddings on, embedding new cases' texts
ahead of the routing page."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from secretariat.core.errors import DomainError

RETRAIN_AT = dt.time(3, 30)


@task()
def retrain_task(requested_by: int | None = None) -> dict:
    """Train and activate a new version. ``requested_by``: the administrator who asked (None:
    the daily schedule). Too little data is a result, not a failure."""
    from secretariat.assist import services
    from secretariat.assist.models import Trigger
    from secretariat.core.models import User

    by = User.objects.get(pk=requested_by) if requested_by is not None else None
    try:
        record = services.train_model(by=by, trigger=Trigger.ADMIN if by else Trigger.SCHEDULE)
    except DomainError as error:
        return {"trained": False, "message": error.message}
    return {"trained": True, "version": record.version, "training_size": record.training_size}


@task()
def embed_cases_task(case_ids: list[int]) -> dict:
    """Embed the text of these cases ahead of the routing page (``embeddings.cached``); texts
    embedded before are only looked up. Does nothing when embeddings are off."""
    from secretariat.assist import embeddings, selectors

    if not embeddings.enabled():
        return {"embedded": 0}
    texts = selectors.case_texts(case_ids)
    embeddings.cached(texts)
    return {"embedded": len(texts)}


def embed_new_cases(cases) -> None:
    """After the transaction that registered ``cases`` commits, queue the embedding of their
    texts (when embeddings are on)."""
    from django.db import transaction

    from secretariat.assist import embeddings

    ids = [case.pk for case in cases]
    if ids and embeddings.enabled():
        transaction.on_commit(lambda: embed_cases_task.enqueue(ids))
