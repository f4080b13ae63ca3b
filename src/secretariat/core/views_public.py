"""The home page (/): the public services for visitors, the dashboard for staff."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from secretariat.core import modules, views


def home(request: HttpRequest) -> HttpResponse:
    """Signed-in staff land on their dashboard (我的待辦); everyone else gets the public home
    page: the services the modules offer without signing in (我要陳情, 案件查詢) and the staff
    sign-in."""
    if request.user.is_authenticated:
        return views.dashboard(request)
    return render(request, "core/home.html", {"services": modules.public_services()})
