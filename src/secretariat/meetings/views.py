"""府級會議 pages. Thin: forms parse, services write and check every rule, selectors read
within the person's scope. A page's forms post back to the page with a ``step`` naming the
service; a refused step comes back beside its fields (status 400, or 403)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from secretariat.cases import selectors as case_selectors
from secretariat.core import errors
from secretariat.core.errors import DomainError
from secretariat.core.pages import submit
from secretariat.meetings import forms, notices, selectors, services
from secretariat.meetings.models import (
    AgendaItem,
    ItemStatus,
    MeetingStatus,
    MinutesStatus,
    ReviewStatus,
)
from secretariat.meetings.permissions import (
    chairs,
    is_meeting_staff,
    may_propose,
    proposes_for,
    seat_of,
)

ODT = "application/vnd.oasis.opendocument.text"


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# --- Home, series ---------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """府級會議: upcoming and recent meetings the person may open; staff schedule meetings
    and add a series (a committee or task force beside 市政會議 and 主秘會報)."""
    staff = is_meeting_staff(request.user)
    adding_series = request.POST.get("step") == "series"
    form = series_form = None
    if staff:
        form = forms.MeetingForm(
            None if adding_series else request.POST or None, auto_id="meeting-%s"
        )
        series_form = forms.SeriesForm(request.POST if adding_series else None, auto_id="series-%s")
    if adding_series:
        written, status = submit(
            request,
            series_form,
            lambda data: services.create_series(**data, by=request.user),
            lambda s: f"已新增會議系列「{s.name}」，請設定席次與議事規則。",
        )
    else:
        written, status = submit(
            request,
            form,
            lambda data: services.schedule_meeting(
                data["series"],
                held_on=data["held_on"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                number=data["number"],
                place=data["place"],
                district=data["district"],
                by=request.user,
            ),
            lambda m: f"已建立「{m.title}」，受理提案至{services.deadline_text(m)}。",
        )
    if written is not None:
        return redirect(written)
    today = timezone.localdate()
    visible = selectors.meetings_for(request.user)
    context = {
        "staff": staff,
        "form": form,
        "series_form": series_form,
        "upcoming": visible.filter(held_on__gte=today)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("held_on")[:20],
        "recent": visible.filter(held_on__lt=today).order_by("-held_on")[:20],
        "series": selectors.series_list(),
        "member_of": {s.pk for s in selectors.series_list() if seat_of(request.user, s)},
    }
    return render(request, "meetings/home.html", context, status=status)


@login_required
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A series: its chair, members by office (and who holds each office now), rules of
    procedure, meetings. Staff add seats and revise the rules."""
    series = _get(selectors.series_list(), pk)
    staff = is_meeting_staff(request.user)
    seat_form = forms.SeatForm(request.POST or None, auto_id="seat-%s") if staff else None
    rules_form = forms.RulesForm(request.POST or None, auto_id="rules-%s") if staff else None
    step = request.POST.get("step")
    status = 200
    if request.method == "POST":
        if step == "seat":
            done, status = submit(
                request,
                seat_form,
                lambda d: services.add_seat(
                    series,
                    label=d["label"],
                    agency=d["agency"],
                    agency_kind=d["agency_kind"],
                    role=d["role"].code if d["role"] else None,
                    job_title=d["job_title"],
                    by=request.user,
                ),
                "已新增席次。",
            )
        elif step == "rules":
            done, status = submit(
                request,
                rules_form,
                lambda d: services.revise_rules(series, **d, by=request.user),
                lambda v: f"已發布{v}。",
            )
        else:
            raise PermissionDenied
        if done is not None:
            return redirect("meetings:series", pk=series.pk)
    context = {
        "series": series,
        "staff": staff,
        "members": selectors.members_of(series),
        "rules": series.rules.all(),
        "meetings": selectors.meetings_for(request.user).filter(series=series)[:30],
        "seat_form": seat_form,
        "rules_form": rules_form,
    }
    return render(request, "meetings/series.html", context, status=status)


def _get(queryset, pk):
    found = queryset.filter(pk=pk).first()
    if found is None:
        from django.http import Http404

        raise Http404
    return found


# --- A meeting -------------------------------------------------------------------------------------


@dataclass
class ItemRow:
    item: AgendaItem
    decide: bool = False
    defer_form: object = None
    return_form: object = None
    files_form: object = None


@dataclass
class MeetingPage:
    forms: dict = field(default_factory=dict)
    item_forms: dict = field(default_factory=dict)


def _meeting_step(request, meeting, page: MeetingPage):
    """Run the posted step: (written or None, status)."""
    user = request.user
    step = request.POST.get("step", "")
    form = page.forms.get(step)
    if step in ("accept", "return", "defer", "files", "up", "down"):
        item = selectors.items_for(user, meeting).filter(pk=request.POST.get("item")).first()
        if item is None:
            raise PermissionDenied
        form = page.item_forms.get((step, item.pk))
        simple = {
            "accept": lambda _: services.accept_item(item, by=user),
            "up": lambda _: services.move_item(item, -1, by=user),
            "down": lambda _: services.move_item(item, 1, by=user),
        }
        if step in simple:
            return _plain(request, lambda: simple[step](None), "已更新議程。")
        writes = {
            "return": lambda d: services.return_item(item, d["reason"], by=user),
            "defer": lambda d: services.defer_item(item, d["to"], d["reason"], by=user),
            "files": lambda d: services.add_attachments(item, d["attachments"], by=user),
        }
        labels = {
            "return": "已退回提案。",
            "defer": "已緩議並改列其他會議。",
            "files": "已上傳附件。",
        }
        return submit(request, form, writes[step], labels[step])
    plain = {
        "approve": (lambda: services.approve_agenda(meeting, by=user), "已核定議程。"),
        "notice": (
            lambda: services.send_notice(meeting, by=user),
            "已發開會通知（含行事曆邀請）。",
        ),
        "close": (lambda: services.close_meeting(meeting, by=user), "已登錄散會，請草擬會議紀錄。"),
        "sign_in": (lambda: services.sign_in(meeting, by=user), "簽到完成。"),
        "tracking": (
            lambda: services.add_tracking_report(meeting, by=user),
            "已將列管中的裁示事項排入議程。",
        ),
    }
    if step in plain:
        return _plain(request, *plain[step])
    writes = {
        "propose": lambda d: services.propose_item(
            meeting,
            kind=d["kind"],
            title=d["title"],
            summary=d["summary"],
            speaker=d["speaker"],
            agency=d.get("agency") or user.agency,
            attachments=d["attachments"],
            by=user,
        ),
        "substitute": lambda d: services.sign_in(meeting, by=user, for_member=d["member"]),
        "desk": lambda d: services.record_attendance(
            meeting, kind=d["kind"], member=d["member"], name=d["name"], title=d["title"], by=user
        ),
        "cancel": lambda d: services.cancel_meeting(meeting, d["reason"], by=user),
    }
    labels = {
        "propose": "已送出提案，待秘書處審查。" if not is_meeting_staff(user) else "已排入議程。",
        "substitute": "代理出席簽到完成。",
        "desk": "已登錄簽到。",
        "cancel": "已取消會議並通知與會者。",
    }
    if step not in writes:
        raise PermissionDenied
    return submit(request, form, writes[step], labels[step])


def _plain(request, write, message):
    """A step without fields: its refusal is shown as a message on the page."""
    from django.contrib import messages

    try:
        written = write()
    except errors.PermissionDenied as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        return None, error.status
    messages.success(request, message)
    return written, 200


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    user = request.user
    staff = is_meeting_staff(user)
    planning = meeting.status == MeetingStatus.PLANNING
    page = MeetingPage()
    post = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None

    def bound(step: str):
        return (post, files) if post is not None and post.get("step") == step else (None, None)

    if planning and (staff or may_propose(user)):
        data = bound("propose")
        if staff:
            page.forms["propose"] = forms.StaffItemForm(*data, auto_id="item-%s")
        else:
            page.forms["propose"] = forms.ProposalForm(*data, auto_id="item-%s")
    if staff and meeting.status not in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
        page.forms["cancel"] = forms.ReasonForm(*bound("cancel"), auto_id="cancel-%s")
    today = timezone.localdate()
    sign_in_day = meeting.status == MeetingStatus.NOTIFIED and meeting.held_on == today
    substitutes = selectors.substitutable(user, meeting) if sign_in_day else []
    if substitutes:
        page.forms["substitute"] = forms.SubstituteForm(
            *bound("substitute"), members=substitutes, auto_id="substitute-%s"
        )
    if staff and (sign_in_day or meeting.status == MeetingStatus.HELD):
        page.forms["desk"] = forms.DeskAttendanceForm(
            *bound("desk"), members=selectors.members_of(meeting.series), auto_id="desk-%s"
        )
    items = list(selectors.items_for(user, meeting))
    rows = []
    later = selectors.later_meetings(meeting)
    for item in items:
        row = ItemRow(item)
        if staff and planning:
            row.decide = True
            row.return_form = forms.ReasonForm(
                *bound("return") if post and post.get("item") == str(item.pk) else (None, None),
                auto_id=f"return-{item.pk}-%s",
            )
            row.defer_form = forms.DeferForm(
                *bound("defer") if post and post.get("item") == str(item.pk) else (None, None),
                meetings=later,
                auto_id=f"defer-{item.pk}-%s",
            )
            page.item_forms[("return", item.pk)] = row.return_form
            page.item_forms[("defer", item.pk)] = row.defer_form
        may_upload = (staff and meeting.status != MeetingStatus.HELD) or (
            planning and proposes_for(user, item.agency_id)
        )
        if may_upload and meeting.status != MeetingStatus.CANCELLED:
            row.files_form = forms.AttachmentsForm(
                *bound("files") if post and post.get("item") == str(item.pk) else (None, None),
                auto_id=f"files-{item.pk}-%s",
            )
            page.item_forms[("files", item.pk)] = row.files_form
        rows.append(row)
    status = 200
    if request.method == "POST":
        written, status = _meeting_step(request, meeting, page)
        if written is not None:
            return redirect(meeting)
        meeting.refresh_from_db()
    members, observers = selectors.sign_in_sheet(meeting)
    signed = meeting.attendance.filter(attendee=user).first() if sign_in_day else None
    context = {
        "meeting": meeting,
        "staff": staff,
        "rows": rows,
        "forms": page.forms,
        "accepted": [r for r in rows if r.item.status == ItemStatus.ACCEPTED],
        "proposals": [r for r in rows if r.item.status != ItemStatus.ACCEPTED],
        "sees_agenda": selectors.sees_agenda(user, meeting),
        "sign_in_day": sign_in_day,
        "signed": signed,
        "seat": seat_of(user, meeting.series),
        "members": members if (staff or selectors.sees_agenda(user, meeting)) else [],
        "observers": observers,
        "minutes": selectors.minutes_for(user, meeting),
        "may_sign_in": sign_in_day and signed is None,
        "open_directives": selectors.open_directives(meeting.series, timezone.now())
        if staff and planning
        else [],
        "deadline_passed": meeting.submission_deadline is not None
        and timezone.now() > meeting.submission_deadline,
    }
    return render(request, "meetings/meeting.html", context, status=status)


@login_required
def presentation(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda on screen (a projector or a tablet): one item large at a time, with its files
    and the sign-in count; ``?item=N`` moves along the agenda."""
    meeting = selectors.meeting_for(request.user, pk)
    if not selectors.sees_agenda(request.user, meeting):
        raise PermissionDenied
    agenda = list(selectors.agenda(meeting))
    try:
        current = max(0, min(int(request.GET.get("item", "1")) - 1, len(agenda) - 1))
    except ValueError:
        current = 0
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "current": agenda[current] if agenda else None,
        "number": current + 1,
        "previous": current if current > 0 else None,
        "next": current + 2 if current + 1 < len(agenda) else None,
        "signed": meeting.attendance.count(),
        "members": selectors.members_of(meeting.series).count(),
    }
    return render(request, "meetings/present.html", context)


@login_required
def presentation_count(request: HttpRequest, pk: int) -> HttpResponse:
    """The sign-in count of the presentation page (polled with htmx)."""
    meeting = selectors.meeting_for(request.user, pk)
    if not selectors.sees_agenda(request.user, meeting):
        raise PermissionDenied
    context = {
        "meeting": meeting,
        "signed": meeting.attendance.count(),
        "members": selectors.members_of(meeting.series).count(),
    }
    return render(request, "meetings/_present_count.html", context)


@login_required
@require_GET
def notice_odt(request: HttpRequest, pk: int) -> HttpResponse:
    """開會通知單 (ODT) of a meeting whose agenda the person sees."""
    meeting = selectors.meeting_for(request.user, pk)
    if not selectors.sees_agenda(request.user, meeting) or meeting.status == MeetingStatus.PLANNING:
        raise PermissionDenied
    notice = services.notice_for(meeting)
    return _download(notice.odt, f"開會通知單（{meeting.title}）.odt", ODT)


@login_required
@require_GET
def invite_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's iCalendar invitation (to add it to one's own calendar)."""
    meeting = selectors.meeting_for(request.user, pk)
    if not selectors.sees_agenda(request.user, meeting) or meeting.status == MeetingStatus.PLANNING:
        raise PermissionDenied
    method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"
    notice = services.notice_for(meeting, method=method)
    return _download(notice.ics, f"meeting-{meeting.pk}.ics", notices.ICS_CONTENT_TYPE)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    found = selectors.attachment_for(request.user, pk)
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )


# --- Minutes --------------------------------------------------------------------------------------


@dataclass
class EntryRow:
    entry: object
    form: object = None
    review_form: object = None
    directive_form: object = None
    directives: list = field(default_factory=list)


def _minutes_step(request, minutes, rows, head_form, transcript_form, return_form):
    user = request.user
    step = request.POST.get("step", "")
    if step in ("entry", "review", "directive"):
        row = next((r for r in rows if str(r.entry.pk) == request.POST.get("entry")), None)
        form = getattr(
            row,
            {"entry": "form", "review": "review_form", "directive": "directive_form"}[step],
            None,
        )
        if row is None or form is None:
            raise PermissionDenied
        entry = row.entry
        writes = {
            "entry": lambda d: services.update_entry(entry, **d, by=user),
            "review": lambda d: services.review_entry(
                entry, confirmed=d["confirmed"], comment=d["comment"], by=user
            ),
            "directive": lambda d: services.issue_directive(
                entry,
                text=d["text"],
                lead=d["lead"],
                co_agencies=d["co_agencies"],
                resolution_kind=d["resolution_kind"],
                by=user,
            ),
        }
        labels = {
            "entry": "已儲存議案紀錄。",
            "review": "已完成核閱。",
            "directive": lambda case: f"已交辦列管：{case.number}。",
        }
        return submit(request, form, writes[step], labels[step])
    if step == "head":
        return submit(
            request, head_form, lambda d: services.update_minutes(minutes, **d, by=user), "已儲存。"
        )
    if step == "transcript":
        return submit(
            request,
            transcript_form,
            lambda d: _draft(minutes, d["transcript"], user),
            "已依逐字稿產生草稿，請逐案修訂。",
        )
    if step == "return":
        return submit(
            request,
            return_form,
            lambda d: services.return_minutes(minutes, d["reason"], by=user),
            "已退回修正。",
        )
    plain = {
        "review_start": (lambda: services.send_for_review(minutes, by=user), "已送各機關核閱。"),
        "submit": (lambda: services.submit_minutes(minutes, by=user), "已送主席核定。"),
        "approve": (lambda: services.approve_minutes(minutes, by=user), "已核定會議紀錄。"),
        "publish": (lambda: services.publish_minutes(minutes, by=user), "已公布會議紀錄。"),
    }
    if step not in plain:
        raise PermissionDenied
    return _plain(request, *plain[step])


def _draft(minutes, upload, user):
    """The uploaded transcript as text (UTF-8, as ``core.uploads`` judges a .txt)."""
    from secretariat.core import uploads

    uploads.check_upload(upload, field="transcript", types={".txt": uploads.FILE_TYPES[".txt"]})
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            "not_utf8", "逐字稿須為 UTF-8 文字檔。", {"transcript": ["逐字稿須為 UTF-8 文字檔。"]}
        ) from None
    return services.draft_from_transcript(minutes, text, name=upload.name, by=user)


@login_required
def minutes_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    user = request.user
    minutes = selectors.minutes_for(user, meeting)
    if minutes is None:
        from django.http import Http404

        raise Http404
    staff = is_meeting_staff(user)
    post = request.POST if request.method == "POST" else None
    step = post.get("step") if post else None
    editing = staff and minutes.status in (MinutesStatus.DRAFTING, MinutesStatus.IN_REVIEW)
    approved = minutes.status in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED)
    rows = []
    directives = {}
    for directive in selectors.directives_for(user).filter(meeting=meeting):
        directives.setdefault(directive.item_id, []).append(directive)
    for entry in selectors.visible_entries(user, minutes):
        this = post is not None and post.get("entry") == str(entry.pk)
        row = EntryRow(entry, directives=directives.get(entry.item_id, []))
        if editing:
            initial = {
                "speakers": entry.speakers,
                "report": entry.report,
                "discussion": entry.discussion,
                "resolution_kind": entry.resolution_kind,
                "resolution": entry.resolution,
            }
            row.form = forms.EntryForm(
                post if this and step == "entry" else None,
                initial=initial,
                auto_id=f"entry-{entry.pk}-%s",
            )
        review = getattr(entry, "review", None)
        if (
            minutes.status == MinutesStatus.IN_REVIEW
            and review is not None
            and review.status == ReviewStatus.PENDING
            and proposes_for(user, review.agency_id)
        ):
            row.review_form = forms.ReviewForm(
                post if this and step == "review" else None, auto_id=f"review-{entry.pk}-%s"
            )
        if staff and approved:
            candidate = entry.candidates[0] if entry.candidates else None
            initial = {"text": entry.resolution, "resolution_kind": entry.resolution_kind}
            if candidate:
                initial["text"] = candidate["text"]
                initial["lead"] = _agency_of(candidate["agencies"][:1])
                initial["co_agencies"] = [
                    a for a in (_agency_of([c]) for c in candidate["agencies"][1:]) if a
                ]
            row.directive_form = forms.DirectiveForm(
                post if this and step == "directive" else None,
                initial=initial,
                auto_id=f"directive-{entry.pk}-%s",
            )
        rows.append(row)
    head_form = transcript_form = return_form = None
    if editing:
        head_form = forms.MinutesHeadForm(
            post if step == "head" else None,
            initial={
                "chair_name": minutes.chair_name,
                "recorder": minutes.recorder,
                "notes": minutes.notes,
            },
            auto_id="head-%s",
        )
    if staff and minutes.status == MinutesStatus.DRAFTING:
        transcript_form = forms.TranscriptForm(
            post if step == "transcript" else None,
            request.FILES if step == "transcript" else None,
            auto_id="transcript-%s",
        )
    may_approve = selectors.may_approve(user, minutes)
    if may_approve:
        return_form = forms.ReasonForm(post if step == "return" else None, auto_id="return-%s")
    status = 200
    if request.method == "POST":
        written, status = _minutes_step(
            request, minutes, rows, head_form, transcript_form, return_form
        )
        if written is not None:
            return redirect("meetings:minutes", pk=meeting.pk)
        minutes.refresh_from_db()
    members, observers = selectors.sign_in_sheet(meeting)
    context = {
        "meeting": meeting,
        "minutes": minutes,
        "rows": rows,
        "staff": staff,
        "head_form": head_form,
        "transcript_form": transcript_form,
        "return_form": return_form,
        "may_approve": may_approve,
        "chairs": chairs(user, meeting.series),
        "attendance": selectors.attendance(meeting),
        "members": members,
    }
    return render(request, "meetings/minutes.html", context, status=status)


def _agency_of(codes):
    from secretariat.core.models import Agency

    return Agency.objects.filter(code__in=codes).first() if codes else None


@login_required
@require_GET
def minutes_odt(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    minutes = selectors.minutes_for(request.user, meeting)
    if minutes is None:
        raise PermissionDenied
    content = notices.minutes_odt(
        meeting,
        minutes,
        selectors.visible_entries(request.user, minutes),
        selectors.attendance(meeting),
    )
    return _download(content, f"{meeting.title}紀錄.odt", ODT)


# --- Directives (研考) -------------------------------------------------------------------------------


@login_required
def directive_list(request: HttpRequest) -> HttpResponse:
    """列管事項: the directives the person sees — every one for the meeting staff and 研考會,
    an agency's own — with the lead, next progress report and overdue."""
    form = forms.DirectiveFilterForm(request.GET or None, auto_id="filter-%s")
    status, agency = "open", None
    if form.is_valid():
        status = form.cleaned_data["status"] if "status" in request.GET else "open"
        agency = form.cleaned_data["agency"]
    rows = selectors.tracking_list(request.user, timezone.now(), status=status, agency=agency)
    context = {
        "form": form,
        "rows": rows,
        "today": timezone.localdate(),
        "tracks": bool(case_selectors.tracked_kinds(request.user)),
    }
    return render(request, "meetings/directives.html", context)


@login_required
def directive_detail(request: HttpRequest, number: str) -> HttpResponse:
    """A directive: its meeting, item, text, agencies, every progress report and status; the
    steps (進度報告, 解除列管) are the engine's, on the case page."""
    directive, case = selectors.directive_for(request.user, number)
    now = timezone.now()
    parts = [
        (part, list(case_selectors.progress_reports(part)), part.is_overdue_at(now))
        for part in case.visible_assignments
    ]
    context = {"directive": directive, "case": case, "parts": parts, "today": timezone.localdate()}
    return render(request, "meetings/directive.html", context)


# --- The public page --------------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    """公開會議紀錄: published minutes of the open series, for anyone."""
    meetings = selectors.public_meetings().order_by("-held_on")[:100]
    return render(request, "meetings/public_list.html", {"meetings": meetings})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.public_meeting(pk)
    minutes = meeting.minutes
    context = {
        "meeting": meeting,
        "minutes": minutes,
        "entries": selectors.entries(minutes).prefetch_related("item__attachments"),
        "attendance": selectors.attendance(meeting),
    }
    return render(request, "meetings/public_detail.html", context)


@require_GET
def public_attachment(request: HttpRequest, pk: int) -> FileResponse:
    found = selectors.public_attachment(pk)
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
