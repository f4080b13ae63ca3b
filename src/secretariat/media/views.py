"""媒體聯繫's pages: the mayor's public schedule. Thin: forms parse, services write."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from secretariat.core import roc
from secretariat.core.errors import DomainError
from secretariat.core.pages import day_param, submit
from secretariat.media import forms, selectors, services


def _schedule_url(day: dt.date) -> str:
    return f"{reverse('media:schedule')}?day={day.isoformat()}"


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    """市長公開行程 of a day (today unless ?day=) for everyone signed in; entering items for the
    府會 staff and the Secretariat's 新聞聯絡人."""
    day = day_param(request)
    keeper = services.may_enter_schedule(request.user)
    form = forms.ScheduleItemForm(request.POST or None, day=day) if keeper else None
    item, status = submit(
        request,
        form,
        lambda data: services.add_schedule_item(**data, by=request.user),
        lambda item: f"已新增{roc.format_date(item.day)}行程「{item.title}」。",
    )
    if item is not None:
        return redirect(_schedule_url(item.day))
    context = {
        "day": day,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "items": selectors.schedule_for(day),
        "mailing": selectors.schedule_mailing(day),
        "keeper": keeper,
        "form": form,
    }
    return render(request, "media/schedule.html", context, status=status)


@login_required
@require_POST
def schedule_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.schedule_item(pk)
    if item is None:
        raise Http404
    try:
        services.remove_schedule_item(item, by=request.user)
    except DomainError as error:
        raise PermissionDenied(error.message) from error
    messages.success(request, f"已刪除{roc.format_date(item.day)}行程「{item.title}」。")
    return redirect(_schedule_url(item.day))
