"""媒體聯繫's home and the mayor's public schedule (one schedule: the councillors are mailed it,
the press read it on their own page, ``views.press``)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from secretariat.core import roc
from secretariat.core.errors import DomainError
from secretariat.core.pages import day_param, submit
from secretariat.media import forms, selectors, services
from secretariat.media.permissions import is_press_office, is_staff


def staff_only(request: HttpRequest) -> None:
    """Government staff (a journalist's account is kept to its own pages by the middleware;
    this refuses it here too)."""
    if not is_staff(request.user):
        raise PermissionDenied


def press_office_only(request: HttpRequest) -> None:
    if not is_press_office(request.user):
        raise PermissionDenied


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """媒體聯繫: what waits for the person, and the module's pages."""
    staff_only(request)
    user = request.user
    context = {
        "press_office": is_press_office(user),
        "router": services.may_capture(user),
        "to_approve": selectors.releases_to_approve(user)[:20],
        "pending_journalists": selectors.pending_journalists().count()
        if is_press_office(user)
        else 0,
        "today": timezone.localdate(),
    }
    return render(request, "media/home.html", context)


def _schedule_url(day: dt.date) -> str:
    return f"{reverse('media:schedule')}?day={day.isoformat()}"


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    """市長公開行程 of a day (today unless ?day=) for staff; entering items for the 府會 staff
    and the Secretariat's 新聞聯絡人."""
    staff_only(request)
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
