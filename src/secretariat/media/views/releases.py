"""新聞稿 pages for staff: the list, drafting, one release with the steps the person may take
(edit, files, 送核, 核定, 退回, 更正), and the press office's press events and social posts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from secretariat.core.pages import submit
from secretariat.media import forms, selectors, services
from secretariat.media.models import PressEventKind, ReleaseStatus
from secretariat.media.views.staff import press_office_only, staff_only

PAGE_SIZE = 50


@login_required
def release_list(request: HttpRequest) -> HttpResponse:
    """The releases the person may see (their agency's; the press office all), newest first,
    and a new draft for their own agency."""
    staff_only(request)
    form = forms.ReleaseForm(request.POST or None, auto_id="release-%s")
    release, status = submit(
        request,
        form,
        lambda _: services.draft_release(
            agency=request.user.agency, **form.release_fields(), by=request.user
        ),
        "已儲存新聞稿草稿。",
    )
    if release is not None:
        return redirect(release)
    releases = selectors.releases_for(request.user).order_by("-updated_at", "-pk")
    wanted = request.GET.get("status", "")
    if wanted in ReleaseStatus.values:
        releases = releases.filter(status=wanted)
    page = Paginator(releases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "statuses": ReleaseStatus.choices,
        "wanted": wanted,
        "now": timezone.now(),
    }
    return render(request, "media/release_list.html", context, status=status)


def _release(request: HttpRequest, pk: int):
    staff_only(request)
    return get_object_or_404(selectors.releases_for(request.user), pk=pk)


@login_required
def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A release: its text, files and corrections, and the steps the person may take."""
    release = _release(request, pk)
    form = _edit_form(request, release)
    written, status = submit(
        request,
        form,
        lambda _: services.update_release(release, **form.release_fields(), by=request.user),
        "已更新新聞稿。",
    )
    if written is not None:
        return redirect(release)
    return _detail_page(request, release, status, edit_form=form)


def _edit_form(request: HttpRequest, release):
    if not (services.may_draft(request.user, release.agency) and release.status == "draft"):
        return None
    initial = {
        "title": release.title,
        "body": release.body,
        "in_mayors_name": release.in_mayors_name,
        "contact_name": release.contact_name,
        "contact_phone": release.contact_phone,
    }
    if release.publish_at:
        local = timezone.localtime(release.publish_at)
        initial.update(publish_on=local.date(), publish_time=local.time())
    return forms.ReleaseForm(request.POST or None, initial=initial, auto_id="edit-%s")


def _detail_page(request: HttpRequest, release, status: int = 200, **bound) -> HttpResponse:
    """The release page; ``bound`` replaces a step's empty form with the refused one."""
    user = request.user
    drafter = services.may_draft(user, release.agency)
    approver = services.may_approve(user, release)
    published = release.is_published_at(timezone.now())
    steps = {
        "edit_form": None,
        "file_form": forms.ReleaseFileForm(auto_id="file-%s")
        if drafter and release.status != ReleaseStatus.APPROVED
        else None,
        "approve_form": forms.ApproveForm(auto_id="approve-%s") if approver else None,
        "return_form": forms.ReturnForm(auto_id="return-%s") if approver else None,
        "correct_form": forms.CorrectForm(
            initial={"title": release.title, "body": release.body}, auto_id="correct-%s"
        )
        if published and services.may_correct(user, release)
        else None,
        "submit_form": forms.DecisionForm(auto_id="submit-%s")
        if drafter and release.status == ReleaseStatus.DRAFT
        else None,
    }
    steps.update(bound)
    context = {
        "release": release,
        "published": published,
        "files": release.files.all(),
        "corrections": release.corrections.all(),
        **steps,
    }
    return render(request, "media/release_detail.html", context, status=status)


STEP_FORMS = {
    "submit": forms.DecisionForm,
    "approve": forms.ApproveForm,
    "return": forms.ReturnForm,
    "correct": forms.CorrectForm,
}


@login_required
@require_POST
def release_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step on a release: 送核, 核定, 退回 or 更正; a refused step shows the page again
    with the reason beside its form (400)."""
    release = _release(request, pk)
    if step not in STEP_FORMS:
        raise Http404
    user = request.user
    form = STEP_FORMS[step](request.POST, request.FILES, auto_id=f"{step}-%s")
    actions = {
        "submit": lambda: services.submit_release(release, by=user),
        "approve": lambda: services.approve_release(release, publish_at=form.publish_at(), by=user),
        "return": lambda: services.return_release(release, form.cleaned_data["reason"], by=user),
        "correct": lambda: services.correct_release(release, **form.cleaned_data, by=user),
    }
    done = {
        "submit": "已送核，待新聞聯絡人核定。",
        "approve": "已核定新聞稿。",
        "return": "已退回新聞稿。",
        "correct": "已更正新聞稿，原內容保留並標示為已更正。",
    }
    written, status = submit(request, form, lambda _: actions[step](), done[step])
    if written is not None:
        return redirect(release)
    release.refresh_from_db()
    return _detail_page(request, release, status, **{f"{step}_form": form})


@login_required
@require_POST
def release_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    release = _release(request, pk)
    form = forms.ReleaseFileForm(request.POST, request.FILES, auto_id="file-%s")
    written, status = submit(
        request,
        form,
        lambda data: services.add_release_file(
            release, data["file"], caption=data["caption"], by=request.user
        ),
        "已附加檔案。",
    )
    if written is None:
        return _detail_page(request, release, status, file_form=form)
    return redirect(release)


@login_required
@require_POST
def release_file_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    release = _release(request, pk)
    file = get_object_or_404(release.files, pk=file_pk)
    submit(
        request,
        forms.DecisionForm({}),
        lambda _: services.remove_release_file(file, by=request.user),
        f"已刪除檔案「{file.original_name}」。",
    )
    return redirect(release)


@login_required
def release_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A file of a release the person may see (drafts' files are not public)."""
    release = _release(request, pk)
    file = get_object_or_404(release.files, pk=file_pk)
    return FileResponse(
        file.file.open("rb"),
        as_attachment=not file.is_photo,
        filename=file.original_name,
        content_type=file.content_type,
    )


# --- Press events and social posts (the press office) -----------------------------------------


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    """記者會、專訪、餐敘: the list; the press office records them."""
    staff_only(request)
    office = services.may_capture(request.user)
    form = forms.EventForm(request.POST or None, auto_id="event-%s") if office else None
    event, status = submit(
        request,
        form,
        lambda data: services.record_event(**data, by=request.user),
        "已登錄。",
    )
    if event is not None:
        return redirect("media:events")
    page = Paginator(selectors.press_events(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "office": office, "kinds": PressEventKind}
    return render(request, "media/event_list.html", context, status=status)


@login_required
@require_POST
def event_remove(request: HttpRequest, pk: int) -> HttpResponse:
    press_office_only(request)
    event = get_object_or_404(selectors.press_events(), pk=pk)
    submit(
        request,
        forms.DecisionForm({}),
        lambda _: services.remove_event(event, by=request.user),
        f"已刪除「{event.topic}」。",
    )
    return redirect("media:events")


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    """市長社群貼文: the list; the press office records them."""
    staff_only(request)
    office = services.may_capture(request.user)
    form = forms.PostForm(request.POST or None, auto_id="post-%s") if office else None
    post, status = submit(
        request,
        form,
        lambda data: services.record_post(**data, by=request.user),
        "已登錄貼文。",
    )
    if post is not None:
        return redirect("media:posts")
    page = Paginator(selectors.social_posts(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "office": office}
    return render(request, "media/post_list.html", context, status=status)


@login_required
@require_POST
def post_remove(request: HttpRequest, pk: int) -> HttpResponse:
    press_office_only(request)
    post = get_object_or_404(selectors.social_posts(), pk=pk)
    submit(
        request,
        forms.DecisionForm({}),
        lambda _: services.remove_post(post, by=request.user),
        f"已刪除貼文「{post.title}」。",
    )
    return redirect("media:posts")
