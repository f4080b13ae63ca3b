"""工作報告 page: the report of a period on the page, or a file made by a background job
while the page shows its progress; then the download. For the Secretariat's people and the
administrators."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from secretariat.core.permissions import is_administrator, is_secretariat_staff
from secretariat.reports import render as renderers
from secretariat.reports.forms import ReportForm
from secretariat.reports.models import ReportRun, RunStatus
from secretariat.reports.selectors import TITLE, build_report, default_period
from secretariat.reports.tasks import render_report_task

RECENT_RUNS = 10


def may_use_reports(user) -> bool:
    """Anyone of the Secretariat, and the administrators; not the other agencies."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_administrator(user) or is_secretariat_staff(user)


def _require(request: HttpRequest) -> None:
    if not may_use_reports(request.user):
        raise PermissionDenied("只有秘書處人員及系統管理者可以產製工作報告。")


def _page(request: HttpRequest, form: ReportForm, status: int = 200, **context) -> HttpResponse:
    runs = ReportRun.objects.filter(requested_by=request.user)[:RECENT_RUNS]
    return render(
        request, "reports/page.html", {"form": form, "runs": runs, **context}, status=status
    )


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    """GET: the form, and with ``?period=`` the report on the page. POST: the HTML format goes
    back to GET (a link that can be kept); a file format queues a job and goes to its page."""
    _require(request)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if not form.is_valid():
            return _page(request, form, status=400)
        if form.cleaned_data["format"] == "html":
            query = urlencode({"period": form.data["period"].strip()})
            return redirect(f"{reverse('reports:page')}?{query}")
        return redirect("reports:run", _queue(request, form).pk)
    if "period" not in request.GET:
        period = default_period(timezone.localdate())
        form = ReportForm(initial={"period": renderers.period_code(period)})
        return _page(request, form)
    form = ReportForm({"period": request.GET["period"], "format": "html"})
    if not form.is_valid():
        return _page(request, form, status=400)
    report = build_report(form.cleaned_data["period"])
    return _page(request, form, **renderers.html_context(report, title_level=2))


def _queue(request: HttpRequest, form: ReportForm) -> ReportRun:
    period = form.cleaned_data["period"]
    run = ReportRun.objects.create(
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        format=form.cleaned_data["format"],
        requested_by=request.user,
    )
    transaction.on_commit(lambda: render_report_task.enqueue(run.pk))
    return run


def _run(request: HttpRequest, pk: int) -> ReportRun:
    _require(request)
    return get_object_or_404(ReportRun, pk=pk)


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's page: the form as it was filled, and the progress bar until the file is ready."""
    run = _run(request, pk)
    form = ReportForm(initial={"period": run.period_label, "format": run.format})
    return _page(request, form, run=run)


@login_required
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, polled by htmx every second until the run has finished."""
    return render(request, "reports/_run_status.html", {"run": _run(request, pk)})


def download_name(run: ReportRun) -> str:
    return f"{TITLE}（{run.period_label}）.{renderers.FORMATS[run.format].extension}"


@login_required
def run_download(request: HttpRequest, pk: int) -> FileResponse:
    run = _run(request, pk)
    if run.status != RunStatus.DONE or not run.file:
        raise Http404("報告檔案尚未產製完成。")
    try:
        handle = run.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("報告檔案不存在。") from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(run),
        content_type=renderers.FORMATS[run.format].content_type,
    )
