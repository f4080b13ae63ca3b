"""志工 pages: the desk's roster of the day (sign in, sign out with the people served and
leaflets, swap before sign-in), and the supervisor's page (volunteers with their personal
data, posts, the roster, trainings, the year's hours for the certificate). Thin: forms
parse, services write, selectors read within the person's scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from secretariat.core import errors, roc
from secretariat.core.errors import DomainError
from secretariat.core.pages import day_param, submit
from secretariat.service import consult_forms as forms
from secretariat.service import selectors, services
from secretariat.service.permissions import is_desk_staff, is_desk_supervisor


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    """志工值勤: the day's shifts by time and post."""
    _require(is_desk_staff(request.user))
    day = day_param(request)
    user = request.user
    volunteers = selectors.volunteers_for(user)
    if request.method == "POST":
        shift = get_object_or_404(
            selectors.roster_for(user, day), pk=_int(request.POST.get("shift"))
        )
        form, write = _shift_step(request, shift, volunteers)
        _apply(request, form, write, shift)
        return redirect(reverse("service:volunteers") + f"?day={day.isoformat()}")
    context = {
        "day": day,
        "today": timezone.localdate(),
        "shifts": selectors.roster_for(user, day),
        "volunteers": volunteers,
        "supervisor": is_desk_supervisor(user),
    }
    return render(request, "service/volunteers.html", context)


def _shift_step(request: HttpRequest, shift, volunteers):
    """The form and the write of a shift row's button: sign in, sign out, swap."""
    user, step = request.user, request.POST.get("step", "")
    if step == "sign_in":

        def write(_data):
            return services.sign_in(shift, by=user)

        return forms.SignInForm(request.POST, auto_id=False), write
    if step == "sign_out":

        def write(data):
            return services.sign_out(
                shift, by=user, people_served=data["people_served"], leaflets=data["leaflets"]
            )

        return forms.SignOutForm(request.POST, auto_id=False), write
    if step == "swap":

        def write(data):
            return services.swap_shift(shift, by=user, to=data["to"], reason=data["reason"])

        return forms.SwapForm(request.POST, volunteers=volunteers, auto_id=False), write
    raise PermissionDenied


def _apply(request: HttpRequest, form, write, shift) -> None:
    """A shift's row: its refusal is a message on the roster (one form per row)."""
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, f"{shift.volunteer}：{error}")
        return
    try:
        write(form.cleaned_data)
    except errors.PermissionDenied as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, f"{shift.volunteer}：{error.message}")
    else:
        messages.success(request, f"已更新{shift.post}{shift.starts:%H:%M}的班次。")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """志工管理 (the desk supervisor): personal data, posts, roster, trainings, hours."""
    _require(is_desk_supervisor(request.user))
    user = request.user
    step = request.POST.get("step", "")
    volunteers = selectors.volunteers_for(user)
    posts = selectors.posts()
    trainings = selectors.trainings_for(user)

    def bound(name):
        return request.POST if step == name else None

    volunteer_form = forms.VolunteerForm(bound("volunteer"), auto_id="volunteer-%s")
    post_form = forms.PostForm(bound("post"), auto_id="post-%s")
    shift_form = forms.ShiftForm(
        bound("shift"), posts=posts, volunteers=volunteers, auto_id="shift-%s"
    )
    training_form = forms.TrainingForm(bound("training"), auto_id="training-%s")
    attendance_form = forms.AttendanceForm(
        bound("attendance"), trainings=trainings, volunteers=volunteers, auto_id="attendance-%s"
    )
    steps = {
        "volunteer": (
            volunteer_form,
            lambda d: services.add_volunteer(by=user, **d),
            "已新增志工。",
        ),
        "post": (post_form, lambda d: services.add_post(by=user, **d), "已新增崗位。"),
        "shift": (shift_form, lambda d: services.roster_shift(by=user, **d), "已排班。"),
        "training": (
            training_form,
            lambda d: services.add_training(by=user, **d),
            "已新增訓練課程。",
        ),
        "attendance": (
            attendance_form,
            lambda d: services.record_attendance(d["training"], list(d["volunteers"]), by=user),
            "已登錄參訓志工。",
        ),
    }
    status = 200
    if request.method == "POST":
        if step not in steps:
            raise PermissionDenied
        written, status = submit(request, *steps[step])
        if written is not None:
            return redirect("service:volunteers_manage")
    today = timezone.localdate()
    context = {
        "contacts": selectors.contacts_for(user).order_by("volunteer__name"),
        "posts": posts,
        "trainings": trainings[:10],
        "hours": selectors.yearly_hours(user, today.year),
        "roc_year": roc.roc_year(today),
        "volunteer_form": volunteer_form,
        "post_form": post_form,
        "shift_form": shift_form,
        "training_form": training_form,
        "attendance_form": attendance_form,
    }
    return render(request, "service/volunteers_manage.html", context, status=status)
