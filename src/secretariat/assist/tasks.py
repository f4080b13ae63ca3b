"""The routing assistant's background job: retraining the suggester (daily at 03:30, and when
an administrator asks for it in the admin)."""

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
