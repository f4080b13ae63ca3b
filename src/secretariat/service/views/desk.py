"""服務台 pages: the counter screen (two taps a visit, keyboard shortcuts, the live list of
calls polled with htmx), the supervisor's page (categories, rooms, figures), an agency's
calls, and the one-time arrival page an agency's person opens from the notice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from secretariat.core import errors
from secretariat.core.errors import DomainError
from secretariat.core.roc import Period, roc_year
from secretariat.service import forms, selectors, services
from secretariat.service.models import VisitKind
from secretariat.service.permissions import is_desk_staff, is_desk_supervisor

# Keys 1–9 log the first nine categories (desk.js); more categories are tapped.
SHORTCUT_KEYS = "123456789"


def _require_desk(request: HttpRequest) -> None:
    if not is_desk_staff(request.user):
        raise PermissionDenied


def _run(request: HttpRequest, form, write) -> bool:
    """Run a service for a valid form; its refusal goes beside the fields."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except errors.PermissionDenied as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        form.add_domain_error(error)
        return False
    return True


def _desk_context(request: HttpRequest, visit_form=None, call_form=None) -> dict:
    today = timezone.localdate()
    categories = list(selectors.categories())
    for key, category in zip(SHORTCUT_KEYS, categories, strict=False):
        category.shortcut = key
    rooms = list(selectors.rooms())
    uses = selectors.room_uses_on(today)
    for room in rooms:
        room.today = uses.get(room.pk, 0)
    by_kind = selectors.visits_by_kind(today, today)
    return {
        "categories": categories,
        "visit_form": visit_form or forms.VisitForm(auto_id="visit-%s"),
        "call_form": call_form or forms.CallForm(auto_id="call-%s"),
        "board": selectors.desk_board(request.user),
        "rooms": rooms,
        "recent": selectors.visits_for(request.user)[:10],
        "today_consultations": sum(by_kind[VisitKind.CONSULTATION].values()),
        "today_petitions": sum(by_kind[VisitKind.PETITION].values()),
        "supervisor": is_desk_supervisor(request.user),
    }


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """服務台: tap a category (after an optional agency, referral and note) to log a
    consultation; 協處陳情 logs the petition and opens the petitions intake (臨櫃)."""
    _require_desk(request)
    if request.method != "POST":
        return render(request, "service/desk.html", _desk_context(request))
    form = forms.VisitForm(request.POST, auto_id="visit-%s")
    petition = request.POST.get("kind") == VisitKind.PETITION
    category = None
    if not petition:
        category = selectors.categories().filter(pk=_int(request.POST.get("category"))).first()

    def write(data):
        services.log_visit(
            by=request.user,
            kind=VisitKind.PETITION if petition else VisitKind.CONSULTATION,
            category=category,
            agency=data["agency"],
            referral=data["referral"] or "",
            note=data["note"],
        )

    if not _run(request, form, write):
        return render(request, "service/desk.html", _desk_context(request, form), status=400)
    if petition:
        return redirect(reverse("petitions:intake") + "?channel=counter")
    messages.success(request, f"已登錄：{category}")
    return redirect("service:desk")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def call(request: HttpRequest) -> HttpResponse:
    """派員通知: the desk phoned an agency; the 10 minutes start now."""
    _require_desk(request)
    form = forms.CallForm(request.POST, auto_id="call-%s")

    def write(data):
        services.call_agency(
            by=request.user, agency=data["agency"], purpose=data["purpose"], contact=data["contact"]
        )

    if not _run(request, form, write):
        context = _desk_context(request, call_form=form)
        return render(request, "service/desk.html", context, status=400)
    messages.success(request, "已登錄派員通知，開始計時10分鐘。")
    return redirect("service:desk")


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """The live list of today's calls (polled every few seconds)."""
    _require_desk(request)
    return render(request, "service/_board.html", {"board": selectors.desk_board(request.user)})


@login_required
@require_POST
def arrived(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk saw the agency's person arrive."""
    _require_desk(request)
    dispatch = get_object_or_404(selectors.dispatches_for(request.user), pk=pk)
    try:
        services.mark_arrived(dispatch, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已登錄{dispatch.agency.short_name}人員到場。")
    return redirect("service:desk")


@login_required
@require_POST
def remove_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a mistaken tap (the same day; earlier ones by the supervisor)."""
    _require_desk(request)
    visit = get_object_or_404(selectors.visits_for(request.user), pk=pk)
    try:
        services.remove_visit(visit, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已刪除該筆服務紀錄。")
    return redirect("service:desk")


@login_required
@require_POST
def room_use(request: HttpRequest, pk: int) -> HttpResponse:
    """One more use of a nursing room (count only)."""
    _require_desk(request)
    room = get_object_or_404(selectors.rooms(), pk=pk)
    try:
        use = services.count_room_use(room, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{room}今日使用{use.count}人次。")
    return redirect("service:desk")


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """服務台督導: categories (add, rename from a date, retire), nursing rooms, and this
    year's figures."""
    if not is_desk_supervisor(request.user):
        raise PermissionDenied
    step = request.POST.get("step", "")
    category_form = forms.CategoryForm(request.POST if step == "category" else None)
    room_form = forms.RoomForm(request.POST if step == "room" else None, auto_id="room-%s")
    rename_form = forms.RenameForm(request.POST if step == "rename" else None, auto_id="rename-%s")
    status = 200
    if request.method == "POST":
        by = request.user
        if step == "category":
            done = _run(request, category_form, lambda d: services.add_category(by=by, **d))
        elif step == "room":
            done = _run(request, room_form, lambda d: services.add_room(by=by, **d))
        elif step in {"rename", "retire", "restore"}:
            found = selectors.categories(active_only=False).filter(
                pk=_int(request.POST.get("category"))
            )
            category = found.first()
            if category is None:
                raise Http404
            if step == "rename":
                done = _run(
                    request,
                    rename_form,
                    lambda d: services.rename_category(category, by=by, **d),
                )
            else:
                services.set_category_active(category, step == "restore", by=by)
                done = True
        else:
            raise Http404
        if done:
            messages.success(request, "已儲存。")
            return redirect("service:manage")
        status = 400
    today = timezone.localdate()
    year = Period.year(roc_year(today))
    rows, total = selectors.dispatch_rates(year.start, year.end)
    context = {
        "categories": selectors.categories(active_only=False),
        "rooms": selectors.rooms(active_only=False),
        "category_form": category_form,
        "room_form": room_form,
        "rename_form": rename_form,
        "period": year,
        "rates": rows,
        "rate_total": total,
        "recent_calls": selectors.dispatches_for(request.user)[:20],
    }
    return render(request, "service/manage.html", context, status=status)


@login_required
@require_GET
def calls(request: HttpRequest) -> HttpResponse:
    """An agency's calls from the desk (the desk sees every agency's)."""
    found = selectors.dispatches_for(request.user)[:50]
    now = timezone.now()
    lines = [(dispatch, dispatch.is_late_at(now)) for dispatch in found]
    return render(request, "service/calls.html", {"lines": lines})


@never_cache
def arrival(request: HttpRequest, token: str) -> HttpResponse:
    """The agency's person, on their phone, reports arrival from the notice's link. A GET
    only shows the call (mail scanners open links); the button posts."""
    try:
        dispatch = services.dispatch_for_token(token)
    except errors.NotFound as error:
        return render(request, "service/arrival.html", {"problem": error.message}, status=404)
    if request.method == "POST":
        try:
            dispatch = services.arrive_by_link(token)
        except errors.NotFound as error:
            return render(request, "service/arrival.html", {"problem": error.message}, status=404)
        except DomainError as error:
            return render(request, "service/arrival.html", {"problem": error.message}, status=400)
        return render(request, "service/arrival.html", {"dispatch": dispatch, "done": True})
    return render(request, "service/arrival.html", {"dispatch": dispatch})
