"""服務台 pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from secretariat.service import selectors
from secretariat.service.permissions import is_desk_staff


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """服務台: the counter screen."""
    if not is_desk_staff(request.user):
        raise PermissionDenied
    visits = selectors.visits_for(request.user)[:20]
    return render(request, "service/desk.html", {"visits": visits})
