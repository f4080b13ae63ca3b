"""府會事務 pages. Thin: forms parse, services write and check every rule, selectors read
within the person's scope. Routing, replies and approvals happen on the engine's case page."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from secretariat.cases.selectors import ACTIVE_ASSIGNMENT
from secretariat.core import roc
from secretariat.core.errors import DomainError
from secretariat.core.models import Agency
from secretariat.core.pages import day_param, submit
from secretariat.council import compilation, forms, forms_relations, selectors, services
from secretariat.council.models import Grade, LiaisonMeeting, QuestionEvent

PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """府會事務: the question events, and the council work the person may see."""
    context = {
        "staff": services.manages_council(request.user),
        "events": selectors.events()[:20],
    }
    return render(request, "council/home.html", context)


def _staff_only(request: HttpRequest) -> None:
    if not services.manages_council(request.user):
        raise PermissionDenied


# --- Question events and questions (質詢側記) ----------------------------------------------------


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    """質詢場次: the list, and a new event for the Secretariat's 府會 staff."""
    staff = services.manages_council(request.user)
    form = forms.EventForm(request.POST or None, auto_id="event-%s") if staff else None
    event, status = submit(
        request,
        form,
        lambda data: services.create_event(**data, by=request.user),
        "已新增質詢場次。",
    )
    if event is not None:
        return redirect("council:event", pk=event.pk)
    page = Paginator(selectors.events(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "staff": staff}
    return render(request, "council/event_list.html", context, status=status)


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A question event: its questions as recorded, where each stands, the replies still
    missing from the compilation, and (for 府會 staff) the form to record the next question."""
    event = get_object_or_404(selectors.events(), pk=pk)
    staff = services.manages_council(request.user)
    form = None
    if staff:
        form = forms.QuestionForm(
            request.POST or None, auto_id="question-%s", initial={"asked_on": event.start_on}
        )
    question, status = submit(
        request,
        form,
        lambda _: services.record_question(event=event, **form.question_fields(), by=request.user),
        "已記錄質詢題目，請至案件頁分辦。",
    )
    if question is not None:
        return redirect("council:event", pk=event.pk)
    questions = selectors.questions_for(request.user, event).prefetch_related(
        "case__assignments__agency"
    )
    context = {
        "event": event,
        "questions": questions,
        "form": form,
        "staff": staff,
        "missing": compilation.compile_event(event).missing if staff else None,
    }
    return render(request, "council/event_detail.html", context, status=status)


# --- Data requests (議員索資) --------------------------------------------------------------------


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """議員索資: the requests the person may see, and a new one for 府會 staff."""
    staff = services.manages_council(request.user)
    form = None
    if staff:
        form = forms.DataRequestForm(
            request.POST or None,
            auto_id="request-%s",
            initial={"received_on": timezone.localdate()},
        )
    written, status = submit(
        request,
        form,
        lambda data: services.register_data_request(**data, by=request.user),
        "已登錄議員索資，請分辦權管機關。",
    )
    if written is not None:
        return redirect(written.case)
    today = timezone.localdate()
    requests = selectors.data_requests_for(request.user).order_by(
        "-case__received_on", "-case__number"
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(item, selectors.request_parts(item, request.user), today) for item in page]
    context = {"page": page, "rows": rows, "form": form, "staff": staff, "today": today}
    return render(request, "council/request_list.html", context, status=status)


@login_required
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One data request: 速別 and deadline, the parts, disputes — raised by the agency and
    decided by the Secretariat."""
    data_request = selectors.data_request_for(request.user, number)
    staff = services.manages_council(request.user)
    parts = selectors.request_parts(data_request, request.user)
    dispute_forms = {}
    for part in parts:
        if part.status in ACTIVE_ASSIGNMENT and services.may_dispute(request.user, part):
            dispute_forms[part.pk] = forms.DisputeForm(auto_id=f"dispute-{part.pk}-%s")
    disputes = selectors.disputes_for(data_request, request.user)
    decision_forms = {
        d.pk: forms.DisputeDecisionForm(auto_id=f"decide-{d.pk}-%s")
        for d in disputes
        if staff and d.pending
    }
    done, status = _dispute_step(request, parts, disputes, dispute_forms, decision_forms)
    if done is not None:
        return redirect("council:request", number=number)
    context = {
        "item": data_request,
        "case": data_request.case,
        "parts": parts,
        "disputes": [(d, decision_forms.get(d.pk)) for d in disputes],
        "dispute_forms": [(p, dispute_forms[p.pk]) for p in parts if p.pk in dispute_forms],
        "staff": staff,
        "today": timezone.localdate(),
    }
    return render(request, "council/request_detail.html", context, status=status)


def _dispute_step(request, parts, disputes, dispute_forms, decision_forms):
    """Raise or decide a dispute from the request page: (the dispute or None, status)."""
    if request.method != "POST":
        return None, 200
    if "raise" in request.POST:
        part = next((p for p in parts if str(p.pk) == request.POST["raise"]), None)
        if part is None or part.pk not in dispute_forms:
            raise PermissionDenied
        form = forms.DisputeForm(request.POST, auto_id=f"dispute-{part.pk}-%s")
        dispute_forms[part.pk] = form
        return submit(
            request,
            form,
            lambda data: services.raise_dispute(
                part, data["kind"], data["reason"], by=request.user
            ),
            "已提出爭議，待秘書處處理。",
        )
    elif "decide" in request.POST:
        dispute = next((d for d in disputes if str(d.pk) == request.POST["decide"]), None)
        if dispute is None or dispute.pk not in decision_forms:
            raise PermissionDenied
        form = forms.DisputeDecisionForm(request.POST, auto_id=f"decide-{dispute.pk}-%s")
        decision_forms[dispute.pk] = form
        return submit(
            request,
            form,
            lambda data: services.decide_dispute(
                dispute,
                data["outcome"],
                data["decision_note"],
                new_agency=data["new_agency"],
                new_due_on=data["new_due_on"],
                by=request.user,
            ),
            "已處理爭議。",
        )
    raise PermissionDenied


# --- Councillor service cases (議員服務案件) -----------------------------------------------------


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    """議員服務案件: the cases the person may see, the year's grade shares, and a new case
    for 府會 staff."""
    staff = services.manages_council(request.user)
    form = None
    if staff:
        form = forms.ServiceCaseForm(
            request.POST or None,
            auto_id="service-%s",
            initial={"received_on": timezone.localdate()},
        )
    written, status = submit(
        request,
        form,
        lambda data: _register_service_case(data, request.user),
        "已登錄議員服務案件，請分辦機關。",
    )
    if written is not None:
        return redirect(written.case)
    cases = selectors.service_cases_for(request.user).order_by(
        "-case__received_on", "-case__number"
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    shares = selectors.service_grade_shares(dt.date(today.year, 1, 1), today)
    context = {
        "page": page,
        "form": form,
        "staff": staff,
        "shares": shares,
        "grade_rows": [
            (label, shares.counts[code], shares.share(code)) for code, label in Grade.choices
        ],
        "year": roc.roc_year(today),
        "grades": Grade.choices,
    }
    return render(request, "council/service_list.html", context, status=status)


def _register_service_case(data: dict, by):
    constituent = {"name": data["name"], "phone": data["phone"]}
    return services.register_service_case(
        councillor=data["councillor"],
        subject=data["subject"],
        text=data["text"],
        received_on=data["received_on"],
        requester=constituent if any(constituent.values()) else None,
        by=by,
    )


@login_required
@require_POST
def service_grade(request: HttpRequest, number: str) -> HttpResponse:
    """評定等級並結案 from the list; a refusal comes back as a message naming the case."""
    _staff_only(request)
    service_case = get_object_or_404(selectors.service_cases_for(request.user), case__number=number)
    form = forms.GradeForm(request.POST)
    if form.is_valid():
        try:
            services.grade_and_close(service_case, form.cleaned_data["grade"], by=request.user)
        except DomainError as error:
            messages.error(request, f"{number}：{error.message}")
        else:
            messages.success(request, f"{number}：已評定等級並結案。")
    return redirect("council:service")


@login_required
def councillor_list(request: HttpRequest) -> HttpResponse:
    """議員名冊: councillors of each term with caucus, district and dates."""
    context = {"councillors": selectors.councillors()}
    return render(request, "council/councillor_list.html", context)


# --- Liaisons (府會聯絡人), their meetings, engagements --------------------


def _period(request: HttpRequest) -> tuple[forms_relations.PeriodForm, roc.Period]:
    """?period= (115年上半年…); this 民國 year by default."""
    form = forms_relations.PeriodForm(request.GET or None)
    return form, form.period_or(roc.Period.year(roc.roc_year(timezone.localdate())))


def _appointable_agencies(user):
    """Every agency for the 府會 staff; their own for an agency's supervisors and head."""
    agencies = Agency.objects.in_force_on(timezone.localdate()).order_by("sort_order", "code")
    if services.manages_council(user):
        return agencies
    if user.agency_id is not None and user.has_role(*services.LIAISON_APPOINTER_ROLES):
        return agencies.filter(pk=user.agency_id)
    return agencies.none()


@login_required
def liaisons(request: HttpRequest) -> HttpResponse:
    """府會聯絡人 in force on a day (today unless ?day=) for everyone signed in; the appointment
    form for those who may appoint."""
    day = day_param(request)
    agencies = _appointable_agencies(request.user)
    form = None
    if agencies.exists():
        form = forms_relations.LiaisonForm(request.POST or None, agencies=agencies)
    liaison, status = submit(
        request,
        form,
        lambda data: services.appoint_liaison(**data, by=request.user),
        lambda liaison: (
            f"已派兼{liaison.agency.short_name}府會聯絡人{liaison.name}"
            f"（{roc.format_date(liaison.start_on)}起）。"
        ),
    )
    if liaison is not None:
        return redirect("council:liaisons")
    context = {
        "day": day,
        "liaisons": selectors.liaisons_in_force(day),
        "form": form,
    }
    return render(request, "council/liaison_list.html", context, status=status)


@login_required
def liaison_history(request: HttpRequest, code: str) -> HttpResponse:
    """An agency's liaisons over time; ending the current one for those who may appoint."""
    agency = get_object_or_404(Agency, code=code)
    current = selectors.current_liaison(agency)
    form = None
    if current is not None and services.may_appoint_liaison(request.user, agency):
        form = forms_relations.EndLiaisonForm(request.POST or None)
    ended, status = submit(
        request,
        form,
        lambda data: services.end_liaison(current, data["end_on"], by=request.user),
        lambda ended: f"已登錄{ended.name}卸任。",
    )
    if ended is not None:
        return redirect("council:liaison_history", code=agency.code)
    context = {
        "agency": agency,
        "history": selectors.liaison_history(agency),
        "current": current,
        "form": form,
    }
    return render(request, "council/liaison_history.html", context, status=status)


@login_required
def liaison_meetings(request: HttpRequest) -> HttpResponse:
    """座談會 and 研習 of a period with their attendance; creating one. 府會 staff only."""
    _staff_only(request)
    period_form, period = _period(request)
    form = forms_relations.LiaisonMeetingForm(request.POST or None)
    meeting, status = submit(
        request,
        form,
        lambda data: services.create_liaison_meeting(**data, by=request.user),
        lambda meeting: (
            f"已建立「{meeting.title}」，邀請{meeting.attendances.count()}位府會聯絡人。"
        ),
    )
    if meeting is not None:
        return redirect("council:liaison_meeting", pk=meeting.pk)
    context = {
        "period_form": period_form,
        "period": period,
        "report": selectors.liaison_attendance(period.start, period.end),
        "form": form,
    }
    return render(request, "council/liaison_meetings.html", context, status=status)


@login_required
def liaison_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's invited liaisons; ticking who attended. 府會 staff only."""
    _staff_only(request)
    meeting = get_object_or_404(LiaisonMeeting, pk=pk)
    attendances = list(selectors.meeting_attendances(meeting))
    form = forms_relations.AttendanceForm(request.POST or None, attendances=attendances)
    saved, status = submit(
        request,
        form,
        lambda data: services.record_attendance(meeting, data["attended"], by=request.user),
        "已儲存出席紀錄。",
    )
    if saved is not None:
        return redirect("council:liaison_meeting", pk=meeting.pk)
    attended = sum(1 for row in attendances if row.attended)
    context = {
        "meeting": meeting,
        "attendances": attendances,
        "summary": selectors.MeetingAttendance(meeting, len(attendances), attended),
        "form": form,
    }
    return render(request, "council/liaison_meeting.html", context, status=status)


@login_required
def engagements(request: HttpRequest) -> HttpResponse:
    """市長赴黨團溝通 and 議員與市長座談會 of a period, counted per kind; logging one. 府會
    staff only."""
    _staff_only(request)
    period_form, period = _period(request)
    form = forms_relations.EngagementForm(request.POST or None)
    engagement, status = submit(
        request,
        form,
        lambda data: services.log_engagement(**data, by=request.user),
        lambda engagement: f"已登錄{engagement}。",
    )
    if engagement is not None:
        return redirect("council:engagement", pk=engagement.pk)
    context = {
        "period_form": period_form,
        "period": period,
        "figures": selectors.engagements_in(period.start, period.end),
        "form": form,
    }
    return render(request, "council/engagement_list.html", context, status=status)


@login_required
def engagement(request: HttpRequest, pk: int) -> HttpResponse:
    """An engagement and its commitments (each a case, routed on its case page); adding one.
    府會 staff only."""
    _staff_only(request)
    found = get_object_or_404(selectors.engagements(), pk=pk)
    form = forms_relations.CommitmentForm(request.POST or None)
    commitment, status = submit(
        request,
        form,
        lambda data: services.add_commitment(found, data["subject"], data["text"], by=request.user),
        lambda commitment: f"已登錄承諾事項{commitment.case.number}，請至案件頁分辦。",
    )
    if commitment is not None:
        return redirect("council:engagement", pk=found.pk)
    context = {
        "engagement": found,
        "commitments": selectors.engagement_commitments(found),
        "form": form,
    }
    return render(request, "council/engagement_detail.html", context, status=status)


# --- 書面答復資料彙編 ---------------------------------------------------------------------------

COMPILATION_FORMATS = {
    "odt": ("application/vnd.oasis.opendocument.text", compilation.render_odt),
    "pdf": ("application/pdf", compilation.render_pdf),
}


def _compilation_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    _staff_only(request)
    event = get_object_or_404(QuestionEvent.objects.select_related("session__term"), pk=pk)
    content_type, render_file = COMPILATION_FORMATS[fmt]
    compiled = compilation.compile_event(event)
    response = HttpResponse(render_file(compiled), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{compiled.title}.{fmt}")
    return response


@login_required
def compilation_odt(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's 書面答復資料彙編 as an ODT to edit; 府會 staff only."""
    return _compilation_download(request, pk, "odt")


@login_required
def compilation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's 書面答復資料彙編 as an A4 PDF to print; 府會 staff only."""
    return _compilation_download(request, pk, "pdf")
