"""Core pages: sign-in, dashboard, agencies, people, calendar, notifications, audit.
Views stay thin: reads through selectors, writes through services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pyotp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from secretariat.core import audit, jobs, modules, roc, selectors, services, workdays
from secretariat.core.errors import DomainError
from secretariat.core.forms import (
    CalendarDayForm,
    LoginForm,
    TotpForm,
    WorkdayCalculatorForm,
)
from secretariat.core.middleware import OTP_SESSION_KEY, client_ip
from secretariat.core.models import CalendarAdjustment
from secretariat.core.permissions import is_administrator, is_system_administrator

PAGE_SIZE = 50


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", "throttled"):
            response.status_code = 429
        return response


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _with_code(form: TotpForm, call: Callable[[str], object]) -> int:
    """Pass a valid form's code to a service call; its error goes on the form. The response
    status: 200, or 429 when wrong codes from this address are throttled."""
    if not form.is_valid():
        return 200
    try:
        call(form.cleaned_data["code"])
    except DomainError as error:
        form.add_error("code", error.message)
        return 429 if error.status == 429 else 200
    return 200


@login_required
def totp_verify(request: HttpRequest) -> HttpResponse:
    """Second sign-in step for people who turned on TOTP."""
    user, form, status = request.user, TotpForm(request.POST or None), 200
    if request.method == "POST":
        status = _with_code(
            form,
            lambda code: services.verify_second_factor(user, code, client_ip=client_ip(request)),
        )
        if not form.errors:
            request.session.cycle_key()
            request.session[OTP_SESSION_KEY] = True
            audit.record(user, "login_second_factor", {})
            return redirect(_safe_next(request, reverse("core:dashboard")))
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "core/totp_verify.html", context, status=status)


@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Turn on TOTP (show a new secret, confirm with its first code), or turn it off with a
    current code."""
    user, form, status = request.user, TotpForm(request.POST or None), 200
    if user.totp_enabled:
        if request.method == "POST":
            status = _with_code(
                form,
                lambda code: services.disable_second_factor(
                    user, code, by=user, client_ip=client_ip(request)
                ),
            )
            if not form.errors:
                messages.success(request, "已停用雙因素驗證。")
                return redirect("core:totp_setup")
        return render(request, "core/totp_setup.html", {"form": form}, status=status)
    secret = request.session.get("totp_pending_secret") or pyotp.random_base32()
    request.session["totp_pending_secret"] = secret
    if request.method == "POST":
        _with_code(form, lambda code: services.enable_second_factor(user, secret, code, by=user))
        if not form.errors:
            request.session.pop("totp_pending_secret", None)
            request.session[OTP_SESSION_KEY] = True
            messages.success(request, "已啟用雙因素驗證。")
            return redirect("core:dashboard")
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=settings.TOTP_ISSUER)
    return render(request, "core/totp_setup.html", {"form": form, "secret": secret, "uri": uri})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "queues": modules.queues_for(request.user),
        "groups": modules.pending_for(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "core/dashboard.html", context)


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/agency_list.html",
        {"agencies": selectors.agencies().order_by("sort_order", "code")},
    )


@login_required
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_object_or_404(selectors.agencies(), code=code)
    context = {
        "agency": agency,
        "children": agency.children.order_by("sort_order"),
        "people": selectors.people_for(request.user, agency=agency),
        "audit_entries": selectors.audit_entries_for(request.user, agency)[:20],
    }
    return render(request, "core/agency_detail.html", context)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    people = selectors.people_for(request.user).order_by("agency__sort_order", "username")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/person_list.html", {"page": page})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(selectors.people_for(request.user), pk=pk)
    context = {
        "person": person,
        "audit_entries": selectors.audit_entries_for(request.user, person)[:50],
    }
    return render(request, "core/person_detail.html", context)


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        first = dt.date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    form = CalendarDayForm(request.POST or None) if is_administrator(request.user) else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.set_calendar_day(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已儲存行事曆調整。")
            return redirect(f"{reverse('core:calendar')}?year={first.year}&month={first.month}")
    context = {
        "month": workdays.month_view(first.year, first.month),
        "calendar_note": workdays.calendar_note(first),
        "first": first,
        "prev": (first - dt.timedelta(days=1)).replace(day=1),
        "next": (first + dt.timedelta(days=32)).replace(day=1),
        "adjustments": CalendarAdjustment.objects.filter(date__year=first.year).order_by("date"),
        "form": form,
        "calculator": WorkdayCalculatorForm(initial={"start": today, "days": 6}),
    }
    return render(request, "core/calendar.html", context)


@login_required
def workday_calculator(request: HttpRequest) -> HttpResponse:
    """htmx partial: N working days from a date, and working days between two dates."""
    form = WorkdayCalculatorForm(request.GET or None)
    result = None
    if form.is_valid():
        start, days, end = (form.cleaned_data[k] for k in ("start", "days", "end"))
        due = workdays.add_working_days(start, days)
        result = {"due": due, "days": days, "start": start}
        if end:
            result["between"] = workdays.working_days_between(start, end)
            result["end"] = end
        result["note"] = workdays.calendar_note(min(start, end or start), max(due, end or due))
    return render(request, "core/_workday_result.html", {"form": form, "result": result})


@login_required
@require_POST
def calendar_remove(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = get_object_or_404(CalendarAdjustment, pk=pk)
    try:
        services.remove_calendar_day(adjustment, by=request.user)
    except DomainError as error:
        raise PermissionDenied(error.message) from error
    messages.success(request, "已刪除行事曆調整。")
    return redirect(
        f"{reverse('core:calendar')}?year={adjustment.date.year}&month={adjustment.date.month}"
    )


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    items = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "core/notifications.html", {"page": items})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    services.mark_notifications_read(request.user, ids)
    if request.htmx:
        return render(
            request,
            "core/_notification_badge.html",
            {
                "unread_count": 0
                if ids is None
                else selectors.notifications_for(request.user, unread_only=True).count()
            },
        )
    return redirect("core:notifications")


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not is_administrator(request.user):
        raise PermissionDenied
    entries = selectors.audit_entries_for(request.user)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_verify": is_system_administrator(request.user)}
    return render(request, "core/audit_list.html", context)


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    if not is_system_administrator(request.user):
        raise PermissionDenied
    result = audit.verify()
    if result.ok:
        audit.write_checkpoint()
    return render(request, "core/_audit_verify.html", {"result": result})


@login_required
def system_status(request: HttpRequest) -> HttpResponse:
    """系統狀態 (system administrators): the job workers' liveness, the queue, what
    `secretariat check` warns about, and how long job results are kept."""
    if not is_system_administrator(request.user):
        raise PermissionDenied
    now = timezone.now()
    context = {
        "workers": jobs.workers(now),
        "queue": jobs.queue(now),
        "problems": jobs.problems(now),
        "stale_after": jobs.describe_age(dt.timedelta(seconds=settings.WORKER_STALE_SECONDS)),
        "keep_days": settings.JOB_RESULTS_KEEP_DAYS,
        "keep_failed_days": settings.JOB_FAILURES_KEEP_DAYS,
    }
    return render(request, "core/system_status.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "time": roc.format_datetime(timezone.now())})
