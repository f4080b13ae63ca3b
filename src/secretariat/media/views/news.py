"""The public news page (新聞稿): published releases with their photos, attachments and
corrections, searchable by words and agency, with RSS and Atom feeds; and the agencies' press
contacts without private numbers."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from secretariat.core import selectors as core_selectors
from secretariat.media import selectors
from secretariat.media.feeds import ReleasesAtomFeed, ReleasesFeed

PAGE_SIZE = 20

rss = ReleasesFeed()
atom = ReleasesAtomFeed()


def release_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    q = request.GET.get("q", "").strip()[:60]
    code = request.GET.get("agency", "")[:40]
    agency = core_selectors.agencies().filter(code=code).first() if code else None
    releases = selectors.published_releases(now, q, agency)
    page = Paginator(releases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "agency": agency,
        "agencies": selectors.publishing_agencies(now),
    }
    return render(request, "media/news_list.html", context)


def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    release = selectors.published_release(pk, timezone.now())
    if release is None:
        raise Http404
    files = list(release.files.all())
    context = {
        "release": release,
        "photos": [f for f in files if f.is_photo],
        "attachments": [f for f in files if not f.is_photo],
        "corrections": release.corrections.all(),
    }
    return render(request, "media/news_detail.html", context)


def release_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A photo or attachment of a published release (nothing of a draft is public)."""
    release = selectors.published_release(pk, timezone.now())
    if release is None:
        raise Http404
    file = get_object_or_404(release.files, pk=file_pk)
    return FileResponse(
        file.file.open("rb"),
        as_attachment=not file.is_photo,
        filename=file.original_name,
        content_type=file.content_type,
    )


def contacts(request: HttpRequest) -> HttpResponse:
    """各機關新聞聯繫窗口: names, roles, office phones and e-mail; no mobile or LINE."""
    return render(request, "media/news_contacts.html", {"contacts": selectors.contacts()})
