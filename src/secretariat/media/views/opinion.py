"""輿情 pages: the list (and capture, for the press office), one item with its parts and
responses (routing, replies, approval and closing are on the engine's case page), the feed
and monitoring-export captures, the agency heads' daily digest and the week's important
items for 市政會議 (a page and an ODT the meetings module can attach)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from secretariat.cases import selectors as case_selectors
from secretariat.core import importing, roc
from secretariat.core.errors import DomainError
from secretariat.core.pages import day_param, submit
from secretariat.media import forms, selectors, services, weekly
from secretariat.media.models import FeedCapture, Importance
from secretariat.media.views.staff import staff_only

PAGE_SIZE = 50
STATUSES = (("", "全部"), ("pending", "待分辦"), ("open", "辦理中"), ("done", "已回應或結案"))


def _capturer_only(request: HttpRequest) -> None:
    if not services.may_capture(request.user):
        raise PermissionDenied


@login_required
def opinion_list(request: HttpRequest) -> HttpResponse:
    """輿情: the items the person may see (the press office all, an agency its own), and for
    the press office the form to capture one."""
    staff_only(request)
    capturer = services.may_capture(request.user)
    form = forms.CaptureForm(request.POST or None, auto_id="capture-%s") if capturer else None
    item, status = submit(
        request,
        form,
        lambda data: services.capture_item(**data, by=request.user),
        lambda item: f"已登錄輿情 {item.case.number}，請分辦相關機關。",
    )
    if item is not None:
        return redirect(item)
    wanted = request.GET.get("status", "")
    importance = request.GET.get("importance", "")
    q = request.GET.get("q", "")[:60]
    items = selectors.opinion_list(request.user, status=wanted, importance=importance, q=q)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "capturer": capturer,
        "statuses": STATUSES,
        "importances": Importance.choices,
        "wanted": wanted,
        "importance": importance,
        "q": q,
    }
    return render(request, "media/opinion_list.html", context, status=status)


def _item(request: HttpRequest, number: str):
    staff_only(request)
    item = selectors.opinion_item_for(request.user, number)
    if item is None:
        raise Http404
    return item


@login_required
def opinion_item(request: HttpRequest, number: str) -> HttpResponse:
    """One item: its facts, the visible parts with deadlines, responses and clarifications;
    the press office classifies it (重大: crisis mode)."""
    item = _item(request, number)
    return _item_page(request, item)


def _item_page(request: HttpRequest, item, status: int = 200, **bound) -> HttpResponse:
    user = request.user
    now = timezone.now()
    parts = list(selectors.visible_parts(user, item))
    rows = []
    for part in parts:
        clarification = getattr(part, "clarification", None)
        may_record = part.status == case_selectors.AssignmentStatus.REPLIED and (
            services.may_record_clarification(user, part)
        )
        form = bound.get(f"clarification_{part.pk}")
        if form is None and may_record:
            initial = {}
            if clarification is not None:
                initial = {
                    "published": clarification.published,
                    "published_on": clarification.published_on,
                    "link": clarification.link,
                }
            form = forms.ClarificationForm(initial=initial, auto_id=f"clarify-{part.pk}-%s")
        rows.append(
            {
                "part": part,
                "overdue": part.is_overdue_at(now),
                "clarification": clarification,
                "form": form,
            }
        )
    classify = bound.get("classify_form")
    if classify is None and services.may_capture(user):
        classify = forms.ClassifyForm(
            initial={"tone": item.tone, "importance": item.importance}, auto_id="classify-%s"
        )
    context = {
        "item": item,
        "case": item.case,
        "rows": rows,
        "classify_form": classify,
        "major": item.importance == Importance.MAJOR,
    }
    return render(request, "media/opinion_item.html", context, status=status)


@login_required
@require_POST
def opinion_classify(request: HttpRequest, number: str) -> HttpResponse:
    item = _item(request, number)
    form = forms.ClassifyForm(request.POST, auto_id="classify-%s")
    written, status = submit(
        request,
        form,
        lambda data: services.classify_item(item, **data, by=request.user),
        lambda item: (
            "已升級為重大輿情，並通知各相關新聞聯絡人。"
            if item.escalated_at and item.importance == Importance.MAJOR
            else "已更新傾向與重要性。"
        ),
    )
    if written is not None:
        return redirect(item)
    return _item_page(request, item, status, classify_form=form)


@login_required
@require_POST
def opinion_clarification(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    item = _item(request, number)
    part = get_object_or_404(selectors.visible_parts(request.user, item), pk=pk)
    form = forms.ClarificationForm(request.POST, auto_id=f"clarify-{part.pk}-%s")
    written, status = submit(
        request,
        form,
        lambda data: services.record_clarification(item, part, **data, by=request.user),
        "已登錄公開澄清情形。",
    )
    if written is not None:
        return redirect(item)
    return _item_page(request, item, status, **{f"clarification_{part.pk}": form})


# --- Capture ----------------------------------------------------------------------------------------


@login_required
def feed_capture(request: HttpRequest) -> HttpResponse:
    """輿情 RSS 擷取: a feed URL or file read by the job worker; the latest captures."""
    _capturer_only(request)
    form = forms.FeedForm(request.POST or None, request.FILES or None, auto_id="feed-%s")
    capture, status = submit(
        request,
        form,
        lambda data: services.request_feed_capture(
            url=data["url"], upload=data["file"], outlet=data["outlet"], by=request.user
        ),
        "已送出，背景工作讀取 RSS 後將新增輿情。",
    )
    if capture is not None:
        return redirect("media:feed_capture_detail", pk=capture.pk)
    captures = FeedCapture.objects.select_related("requested_by")[:10]
    context = {"form": form, "captures": captures}
    return render(request, "media/feed_capture.html", context, status=status)


@login_required
def feed_capture_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One capture's state; polled with htmx until it has finished."""
    _capturer_only(request)
    capture = get_object_or_404(FeedCapture.objects.all(), pk=pk)
    template = (
        "media/_feed_capture_status.html" if request.htmx else "media/feed_capture_detail.html"
    )
    return render(request, template, {"capture": capture})


@login_required
def monitoring_import(request: HttpRequest) -> HttpResponse:
    """A monitoring service's CSV/XLSX export: the whole file is checked first; any problem
    is listed with its row and nothing is captured."""
    _capturer_only(request)
    form = forms.MonitoringForm(request.POST or None, request.FILES or None, auto_id="monitor-%s")
    outcome, status = None, 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importing.MAX_FILE_BYTES:
            form.add_error("file", "檔案最大 20 MB。")
            status = 400
        else:
            try:
                outcome = importing.run_import("opinion-monitoring", upload.read(), by=request.user)
            except DomainError as error:
                form.add_domain_error(error)
                status = error.status
            else:
                status = 200 if outcome.ok else 400
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "outcome": outcome,
        "columns": importing.get("opinion-monitoring").columns,
    }
    return render(request, "media/monitoring_import.html", context, status=status)


# --- The daily digest and the week's compilation -------------------------------------------------


@login_required
def digest(request: HttpRequest) -> HttpResponse:
    """輿情日報 of a day (today unless ?day=): the person's agency's items routed that day and
    those still unanswered (the press office: every agency's). Heads get it by mail daily."""
    staff_only(request)
    day = day_param(request)
    now = timezone.now()
    context = {
        "day": day,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "digests": selectors.digests_for(request.user, day, now),
        "now": now,
    }
    return render(request, "media/digest.html", context)


def _week(request: HttpRequest) -> tuple[dt.date, dt.date]:
    try:
        day = roc.parse_date(request.GET.get("week", ""))
    except roc.RocDateError:
        day = timezone.localdate()
    return selectors.week_of(day)


def _secretariat_only(request: HttpRequest) -> None:
    from secretariat.media.permissions import is_press_office

    if not is_press_office(request.user):
        raise PermissionDenied


@login_required
def weekly_page(request: HttpRequest) -> HttpResponse:
    """本週重要輿情 for 市政會議 (the press office)."""
    _secretariat_only(request)
    start, end = _week(request)
    context = {
        "start": start,
        "end": end,
        "previous": start - dt.timedelta(days=7),
        "next": start + dt.timedelta(days=7),
        "items": selectors.weekly_items(start, end),
        "odt_url": f"{reverse('media:weekly_odt')}?week={start.isoformat()}",
    }
    return render(request, "media/weekly.html", context)


@login_required
def weekly_odt(request: HttpRequest) -> HttpResponse:
    """The week's compilation as an ODT (an agenda attachment for 市政會議)."""
    _secretariat_only(request)
    start, end = _week(request)
    data = weekly.to_odt(start, end)
    response = HttpResponse(data, content_type=weekly.ODT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, weekly.file_name(start, end))
    return response
