"""What module pages share: a form posted to a service, with the service's refusal beside its
fields, and the ?day= parameter of a page about one day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from secretariat.core import errors, roc
from secretariat.core.errors import DomainError


def submit(request: HttpRequest, form, write: Callable, done):
    """On POST, run ``write(cleaned_data)`` for a valid form (no form: 403). A service's
    DomainError goes beside the fields it names; a refused permission is the 403 page.
    Returns the written record (None when nothing was written) and the status to answer with.
    ``done`` is the success message, or makes it from the written record."""
    if request.method != "POST":
        return None, 200
    if form is None:
        raise PermissionDenied
    if not form.is_valid():
        return None, 400
    try:
        written = write(form.cleaned_data)
    except errors.PermissionDenied as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        form.add_domain_error(error)
        return None, error.status
    messages.success(request, done(written) if callable(done) else done)
    return written, 200


def day_param(request: HttpRequest) -> dt.date:
    """?day= (2026-08-16 or 115/08/16); today when absent or unreadable."""
    try:
        return roc.parse_date(request.GET.get("day", ""))
    except roc.RocDateError:
        return timezone.localdate()
