"""The routers' and holders' workspace around the case list: the type-ahead picker's matches,
routing the checked cases in one step, and each person's saved filters.

Thin like the case pages: selectors read, the engine's services write and check every rule."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from secretariat.cases import selectors, services
from secretariat.cases.forms import BulkRouteForm
from secretariat.cases.permissions import is_router
from secretariat.cases.selectors import assignees
from secretariat.cases.views import warn_nobody
from secretariat.core import text
from secretariat.core.errors import DomainError

# A picker's element id (its options' ids start with it): the form's own ids.
_PICKER_ID = re.compile(r"^[a-z][a-z0-9_-]{0,40}$")


@login_required
@require_GET
def assignee_search(request: HttpRequest) -> HttpResponse:
    """The picker's matches (htmx): options of a listbox, for the people who route."""
    if not is_router(request.user):
        raise PermissionDenied
    picker = request.GET.get("picker", "")
    if not _PICKER_ID.match(picker):
        picker = "picker"
    # htmx sends the text box under its own name (「lead_name」); a plain request sends q.
    typed = request.GET.get("q") or next(
        (value for key, value in request.GET.items() if key.endswith("_name")), ""
    )
    typed = typed[: assignees.QUERY_MAX]
    problem = text.text_problem(typed, "機關名稱")
    options = [] if problem else assignees.assignee_options(typed)
    context = {"picker": picker, "options": options, "typed": typed.strip(), "problem": problem}
    return render(request, "cases/_assignee_options.html", context)


@login_required
@require_POST
def bulk_route(request: HttpRequest) -> HttpResponse:
    """分辦 the cases checked on the list, all with the same assignees and deadline, all or
    nothing (``services.route_cases``)."""
    if not is_router(request.user):
        raise PermissionDenied
    form = BulkRouteForm(request.POST)
    back = reverse("cases:list") + _back_query(request)
    numbers = list(dict.fromkeys(n for n in request.POST.getlist("cases") if n))
    if not form.is_valid():
        for message in (m for errors in form.errors.values() for m in errors):
            messages.error(request, message)
        return redirect(back)
    visible = selectors.cases_for(request.user).filter(number__in=numbers[:1000])
    cases = list(visible)
    missing = set(numbers) - {case.number for case in cases}
    due, reason = form.deadline()
    data = form.cleaned_data
    try:
        if missing:
            raise DomainError("not_found", f"查無案件：{'、'.join(sorted(missing))}。")
        created = services.route_cases(
            sorted(cases, key=lambda case: case.number),
            data["lead"],
            data["co_agencies"],
            by=request.user,
            due=due,
            due_reason=reason,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    routed = len({part.case_id for part in created})
    messages.success(request, f"已分辦 {routed} 件並通知受分辦機關。")
    # The same assignees for every case: one warning each is enough.
    firsts = {(p.agency_id, p.unit_id, p.contractor_id): p for p in reversed(created)}
    warn_nobody(request, firsts.values())
    return redirect(back)


def _back_query(request: HttpRequest) -> str:
    query = services.filter_query(request.POST.get("back", ""))
    return f"?{query}" if query else ""


@login_required
@require_POST
def save_filter(request: HttpRequest) -> HttpResponse:
    """常用篩選: save the list's current filter under a name."""
    query = services.filter_query(request.POST.get("query", ""))
    try:
        saved = services.save_filter(request.POST.get("name", ""), query, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(reverse("cases:list") + (f"?{query}" if query else ""))
    messages.success(request, f"已儲存常用篩選「{saved.name}」。")
    return redirect(reverse("cases:list") + (f"?{saved.query}" if saved.query else ""))


@login_required
@require_POST
def delete_filter(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of the person's own saved filters (another's is a 404)."""
    saved = selectors.saved_filters_for(request.user).filter(pk=pk).first()
    if saved is None:
        raise Http404
    services.delete_filter(saved, by=request.user)
    messages.success(request, f"已刪除常用篩選「{saved.name}」。")
    return redirect("cases:list")
