"""府會事務 pages. Thin: forms parse, services write and check every rule, selectors read
within the person's scope. Routing, replies and approvals happen on the engine's case page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from secretariat.council import selectors, services


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """府會事務: the question events, and the council work the person may see."""
    context = {
        "staff": services.manages_council(request.user),
        "events": selectors.events()[:20],
    }
    return render(request, "council/home.html", context)
