"""數位化、檔案應用、考評 pages, thin: parse, call a selector or service, render. Per role:
the citizen applies on the public page; staff apply and follow their applications; the
agency's archivist decides, records digitization batches and reports follow-ups; the
Secretariat's archivists record inspections and keep the fee schedule."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from secretariat.archives import permissions, use_forms
from secretariat.archives.models import Manner, Quality
from secretariat.archives.selectors import use as selectors
from secretariat.archives.services import use as services
from secretariat.core import roc
from secretariat.core.errors import DomainError
from secretariat.core.middleware import client_ip
from secretariat.core.pages import submit
from secretariat.core.throttle import RateLimited

PAGE_SIZE = 100


def _step(request: HttpRequest, name: str) -> bool:
    return request.method == "POST" and request.POST.get("step") == name


def _archivist_agency(user):
    return user.agency if permissions.is_archivist(user) and user.agency_id else None


def public_apply(request: HttpRequest) -> HttpResponse:
    """檔案應用申請 (民眾): open to everyone; the receipt shows the application's number."""
    form = use_forms.ApplicationForm(request.POST or None, citizen=True, auto_id="apply-%s")
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.apply_for_use(
                data["agency"],
                name=data["name"],
                purpose=data["purpose"],
                email=data["email"],
                phone=data["phone"],
                wanted=form.wanted(),
                client_ip=client_ip(request),
            )
        except RateLimited as error:
            form.add_error(None, error.message)
            status = 429
        except DomainError as error:
            form.add_domain_error(error)
            status = error.status
        else:
            return render(request, "archives/use/receipt.html", {"application": application})
    return render(
        request,
        "archives/use/public_apply.html",
        {"form": form, "days": services.DECISION_DAYS, "rates": _rates()},
        status=status,
    )


def _rates() -> list[tuple[str, int]]:
    return [(label, services.unit_price(value)) for value, label in Manner.choices]


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    """檔案應用: the person's applications (an archivist: the agency's, the soonest due
    first), a staff application, and the 收費標準."""
    user = request.user
    reviewer = permissions.is_reviewer(user)
    form = use_forms.ApplicationForm(
        request.POST if _step(request, "apply") else None, auto_id="apply-%s"
    )
    rate_form = use_forms.FeeRateForm(
        request.POST if _step(request, "rate") else None, auto_id="rate-%s"
    )
    written, status = None, 200
    if _step(request, "apply"):
        written, status = submit(
            request,
            form,
            lambda data: services.apply_for_use(
                data["agency"],
                by=user,
                name=data["name"],
                purpose=data["purpose"],
                email=data["email"],
                phone=data["phone"],
                wanted=form.wanted(),
            ),
            lambda a: f"已送出檔案應用申請 {a.number}。",
        )
    elif _step(request, "rate"):
        written, status = submit(
            request,
            rate_form if reviewer else None,
            lambda data: services.set_fee_rate(
                data["manner"], by=user, unit_price=data["unit_price"], unit=data["unit"]
            ),
            "已更新收費標準。",
        )
    elif request.method == "POST":
        raise PermissionDenied
    if written:
        return redirect("archives:use")
    return render(
        request,
        "archives/use/applications.html",
        {
            "form": form,
            "rate_form": rate_form,
            "reviewer": reviewer,
            "waiting": selectors.waiting_decision(user),
            "applications": selectors.applications_for(user).order_by("-received_on", "-pk")[
                :PAGE_SIZE
            ],
            "rates": _rates(),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def application(request: HttpRequest, number: str) -> HttpResponse:
    """One application: its records and, for the agency's archivist, 准駁 and 延長."""
    found = get_object_or_404(selectors.applications_for(request.user), number=number)
    requests = list(found.requests.select_related("item"))
    decides = permissions.is_archivist(request.user, found.agency_id) and not found.decided_on
    decision_form = use_forms.DecisionForm(
        request.POST if _step(request, "decide") else None,
        requests=requests,
        auto_id="decide-%s",
    )
    extend_form = use_forms.ExtendForm(
        request.POST if _step(request, "extend") else None, auto_id="extend-%s"
    )
    written, status = None, 200
    if _step(request, "decide"):
        written, status = submit(
            request,
            decision_form if decides else None,
            lambda data: services.decide_use(
                found, by=request.user, decisions=decision_form.decisions()
            ),
            lambda a: f"已完成准駁，應繳費用 {a.fee:,} 元。",
        )
    elif _step(request, "extend"):
        written, status = submit(
            request,
            extend_form if decides else None,
            lambda data: services.extend_decision(
                found, by=request.user, days=data["days"], reason=data["reason"]
            ),
            "已延長准駁期限。",
        )
    elif request.method == "POST":
        raise PermissionDenied
    if written:
        return redirect("archives:use_application", number=found.number)
    return render(
        request,
        "archives/use/application.html",
        {
            "application": found,
            "requests": requests,
            "decides": decides,
            "decision_form": decision_form,
            "extend_form": extend_form,
        },
        status=status,
    )


@login_required
def digitization(request: HttpRequest) -> HttpResponse:
    """檔案數位化: completion per agency as of today (scoped), the agency's projects, and a
    new project (the agency's archivist)."""
    user = request.user
    agency = _archivist_agency(user)
    form = use_forms.ProjectForm(request.POST or None, auto_id="project-%s")
    written, status = submit(
        request,
        form if agency else None,
        lambda data: services.start_project(
            agency,
            by=user,
            year=data["year"],
            title=data["title"],
            target_items=data["target_items"],
        ),
        lambda p: f"已建立數位化專案「{p.title}」。",
    )
    if written:
        return redirect("archives:digitization_project", pk=written.pk)
    today = timezone.localdate()
    projects = selectors.projects_for(user)
    scope = projects.values("agency_id") if not permissions.is_reviewer(user) else None
    year = roc.roc_year(today)
    return render(
        request,
        "archives/use/digitization.html",
        {
            "form": form if agency else None,
            "projects": projects.order_by("-year", "title")[:PAGE_SIZE],
            "completion": selectors.completion_by_agency(today, scope),
            "year": year,
            "quarters": selectors.quarterly(year, today, scope),
            "today": today,
        },
        status=status,
    )


@login_required
def digitization_project(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's batches: record one, check one (合格 / 重製)."""
    project = get_object_or_404(selectors.projects_for(request.user), pk=pk)
    archivist = permissions.is_archivist(request.user, project.agency_id)
    batch_form = use_forms.BatchForm(
        request.POST if _step(request, "batch") else None, auto_id="batch-%s"
    )
    posted = request.POST.get("batch", "") if _step(request, "check") else ""
    posted = posted if posted.isdigit() else ""
    check_form = use_forms.QualityForm(
        request.POST if posted else None, auto_id=f"check-{posted or 0}-%s"
    )
    written, status = None, 200
    if _step(request, "batch"):
        written, status = submit(
            request,
            batch_form if archivist else None,
            lambda data: services.record_batch(
                project,
                by=request.user,
                scanned_on=data["scanned_on"],
                items=data["items"],
                pages=data["pages"],
                note=data["note"],
            ),
            lambda b: f"已登錄掃描批次（{b.items:,}件、{b.pages:,}頁），待品質檢查。",
        )
    elif _step(request, "check"):
        batch = get_object_or_404(
            selectors.batches_for(request.user).filter(project=project),
            pk=int(posted) if posted.isdigit() else 0,
        )
        written, status = submit(
            request,
            check_form if archivist else None,
            lambda data: services.check_batch(
                batch, by=request.user, passed=data["result"] == "passed", note=data["note"]
            ),
            "已登錄品質檢查結果。",
        )
    elif request.method == "POST":
        raise PermissionDenied
    if written:
        return redirect("archives:digitization_project", pk=project.pk)
    batches = list(selectors.batches_for(request.user).filter(project=project)[:PAGE_SIZE])
    for batch in batches:  # one form per waiting batch, each with its own field ids
        batch.check_form = (
            check_form
            if str(batch.pk) == posted
            else use_forms.QualityForm(auto_id=f"check-{batch.pk}-%s")
        )
    return render(
        request,
        "archives/use/project.html",
        {
            "project": project,
            "archivist": archivist,
            "batches": batches,
            "pending": Quality.PENDING,
            "batch_form": batch_form,
            "completion": selectors.completion(timezone.localdate(), project.agency_id),
        },
        status=status,
    )


@login_required
def inspections(request: HttpRequest) -> HttpResponse:
    """考評: the inspections the person may see, open follow-up items, and (the Secretariat's
    archivists) a new inspection."""
    user = request.user
    reviewer = permissions.is_reviewer(user)
    form = use_forms.InspectionForm(request.POST or None, auto_id="inspection-%s")
    written, status = submit(
        request,
        form if reviewer else None,
        lambda data: services.record_inspection(
            data["agency"],
            by=user,
            kind=data["kind"],
            inspected_on=data["inspected_on"],
            inspectors=data["inspectors"],
            scores=data["scores"],
            follow_ups=data["follow_ups"],
        ),
        lambda i: f"已登錄{i}。",
    )
    if written:
        return redirect("archives:inspection", pk=written.pk)
    return render(
        request,
        "archives/use/inspections.html",
        {
            "form": form if reviewer else None,
            "inspections": selectors.inspections_for(user)[:PAGE_SIZE],
            "follow_ups": selectors.open_follow_ups(user)[:PAGE_SIZE],
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    """One inspection: its scores and follow-ups; the agency's archivist reports one done."""
    found = get_object_or_404(selectors.inspections_for(request.user), pk=pk)
    archivist = permissions.is_archivist(request.user, found.agency_id)
    raw = request.POST.get("follow_up", "") if request.method == "POST" else ""
    raw = raw if raw.isdigit() else ""
    form = use_forms.FollowUpForm(request.POST or None, auto_id=f"follow-{raw or 0}-%s")
    written, status = None, 200
    if request.method == "POST":
        follow_up = get_object_or_404(found.follow_ups, pk=int(raw) if raw.isdigit() else 0)
        written, status = submit(
            request,
            form if archivist else None,
            lambda data: services.complete_follow_up(follow_up, by=request.user, note=data["note"]),
            "已填報改善完成。",
        )
    if written:
        return redirect("archives:inspection", pk=found.pk)
    scores = list(found.scores.all())
    follow_ups = list(found.follow_ups.all())
    for follow_up in follow_ups:  # one form per open item, each with its own field ids
        follow_up.form = (
            form
            if str(follow_up.pk) == raw
            else use_forms.FollowUpForm(auto_id=f"follow-{follow_up.pk}-%s")
        )
    return render(
        request,
        "archives/use/inspection.html",
        {
            "inspection": found,
            "scores": scores,
            "points": sum((s.points for s in scores), start=0),
            "full_marks": sum(s.full_marks for s in scores),
            "follow_ups": follow_ups,
            "archivist": archivist,
        },
        status=status,
    )
