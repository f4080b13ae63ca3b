"""專業諮詢 pages: the public booking page (name and phone only, rate-limited), the desk's
day of sessions (book at the desk, consulted with a topic, no-show, cancel, walk-ins), and
the supervisor's associations, professionals and sessions. Thin: forms parse, services write,
selectors read within the person's scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from secretariat.core import errors, throttle
from secretariat.core.errors import DomainError
from secretariat.core.middleware import client_ip
from secretariat.core.pages import day_param, submit
from secretariat.service import consult_forms as forms
from secretariat.service import selectors, services
from secretariat.service.permissions import is_desk_staff, is_desk_supervisor

# Bookings from one address: a family books a few, a script does not.
BOOKING_SCOPE = "consult_booking"  # RateLimitEvent.scope holds 20 characters
BOOKING_LIMIT = throttle.Limit(10, 3600)


def book(request: HttpRequest) -> HttpResponse:
    """專業諮詢預約 (public): choose a session, leave a name and a phone."""
    sessions = selectors.bookable_sessions()
    form = forms.BookingForm(request.POST or None, sessions=sessions, auto_id="booking-%s")
    if request.method == "POST":
        address = throttle.client(client_ip(request))
        if throttle.exceeded(BOOKING_SCOPE, address, BOOKING_LIMIT):
            form.is_valid()
            form.add_error(None, "預約次數過多，請稍後再試或致電服務台。")
            return render(request, "service/consult_book.html", {"form": form}, status=429)
        throttle.hit(BOOKING_SCOPE, address)

    def write(data):
        if data["session"] is None:
            raise DomainError.invalid({"session": ["請選擇諮詢時段。"]})
        return services.book(data["session"], name=data["name"], phone=data["phone"])

    booking, status = submit(
        request,
        form,
        write,
        lambda b: (
            f"已預約：{forms.session_label(b.session)}，"
            f"序號第{b.slot}號。前一日服務台將以電話提醒。"
        ),
    )
    if booking is not None:
        return redirect("service:consult_book")
    return render(
        request,
        "service/consult_book.html",
        {"form": form, "has_sessions": bool(sessions)},
        status=status,
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """專業諮詢 at the desk: the day's sessions and bookings, walk-ins, desk bookings."""
    _require(is_desk_staff(request.user))
    day = day_param(request)
    step = request.POST.get("step", "")
    associations = selectors.associations()
    walk_in = forms.WalkInForm(
        request.POST if step == "walk_in" else None,
        associations=associations,
        auto_id="walkin-%s",
    )
    sessions = selectors.bookable_sessions()
    booking_form = forms.BookingForm(
        request.POST if step == "book" else None, sessions=sessions, auto_id="deskbook-%s"
    )
    status = 200
    if request.method == "POST":
        if step in {"walk_in", "book"}:
            written, status = _desk_step(request, step, walk_in, booking_form)
        else:
            _booking_step(request, step)
            written = True
        if written is not None:
            return redirect(reverse("service:consult") + f"?day={day.isoformat()}")
    context = {
        "day": day,
        "sessions": selectors.sessions_on(request.user, day),
        "walk_in": walk_in,
        "booking_form": booking_form,
        "recent": selectors.consultations_for(request.user)[:10],
        "supervisor": is_desk_supervisor(request.user),
    }
    return render(request, "service/consult.html", context, status=status)


def _desk_step(request: HttpRequest, step: str, walk_in, booking_form):
    user = request.user
    if step == "walk_in":
        return submit(
            request,
            walk_in,
            lambda d: services.record_consultation(
                by=user, association=d["association"], mode=d["mode"], topic=d["topic"]
            ),
            "已登錄現場諮詢。",
        )
    if step == "book":

        def write(d):
            if d["session"] is None:
                raise DomainError.invalid({"session": ["請選擇諮詢時段。"]})
            return services.book(d["session"], name=d["name"], phone=d["phone"], by=user)

        return submit(request, booking_form, write, lambda b: f"已臨櫃預約，序號第{b.slot}號。")
    raise PermissionDenied


def _booking_step(request: HttpRequest, step: str) -> None:
    """A booking's buttons: consulted (with its topic), no-show, cancel. A refusal is shown as
    a message on the day's page (the buttons have no form of their own to show it beside)."""
    user = request.user
    booking = get_object_or_404(selectors.bookings_for(user), pk=_int(request.POST.get("booking")))
    actions = {
        "consulted": lambda: services.record_consultation(
            by=user, booking=booking, topic=request.POST.get("topic", "")
        ),
        "no_show": lambda: services.mark_no_show(booking, by=user),
        "cancel": lambda: services.cancel_booking(booking, by=user),
    }
    if step not in actions:
        raise PermissionDenied
    try:
        actions[step]()
    except errors.PermissionDenied as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
    else:
        done = {"consulted": "已登錄諮詢", "no_show": "已登錄未到", "cancel": "已取消預約"}
        messages.success(request, f"{done[step]}：{booking.name}（第{booking.slot}號）。")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The supervisor's page: partner associations, their professionals, sessions."""
    _require(is_desk_supervisor(request.user))
    step = request.POST.get("step", "")
    associations = selectors.associations()
    user = request.user
    association_form = forms.AssociationForm(
        request.POST if step == "association" else None, auto_id="association-%s"
    )
    professional_form = forms.ProfessionalForm(
        request.POST if step == "professional" else None,
        associations=associations,
        auto_id="professional-%s",
    )
    session_form = forms.SessionForm(
        request.POST if step == "session" else None,
        associations=associations,
        auto_id="session-%s",
    )
    written, status = None, 200
    if step == "association":
        written, status = submit(
            request,
            association_form,
            lambda d: services.add_association(by=user, **d),
            "已新增合作公會。",
        )
    elif step == "professional":
        written, status = submit(
            request,
            professional_form,
            lambda d: services.add_professional(by=user, **d),
            "已新增諮詢人員。",
        )
    elif step == "session":
        written, status = submit(
            request,
            session_form,
            lambda d: services.add_session(by=user, **d),
            "已新增諮詢時段。",
        )
    elif request.method == "POST":
        raise PermissionDenied
    if written is not None:
        return redirect("service:consult_manage")
    context = {
        "associations": associations,
        "sessions": selectors.bookable_sessions(),
        "association_form": association_form,
        "professional_form": professional_form,
        "session_form": session_form,
    }
    return render(request, "service/consult_manage.html", context, status=status)
