"""Capturing opinion items in bulk: an RSS or Atom feed (a URL or a file the press office
gives; the job worker reads it) — each new entry becomes an item waiting to be routed, an
entry whose link was captured before is skipped. A monitoring service's CSV export is an
import type (``media.importers.MonitoringImporter``) run from the press office's page."""

from __future__ import annotations

import datetime as dt
import html
import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from secretariat.cases import selectors as case_selectors
from secretariat.core import audit
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.text import model_rule
from secretariat.media.models import (
    CaptureSource,
    CaptureStatus,
    FeedCapture,
    Importance,
    OpinionItem,
    Tone,
)
from secretariat.media.services import opinion

# A news feed is tens of kilobytes; a file far larger is not one.
FEED_MAX_BYTES = 5 * 1024 * 1024
FEED_TIMEOUT_SECONDS = 20
MAX_REDIRECTS = 3
# Entries read from one feed (a monitoring feed lists the day's reports).
MAX_ENTRIES = 500
URL_RULE = model_rule(FeedCapture, "url")
OUTLET_RULE = model_rule(FeedCapture, "outlet")
SUBJECT_MAX = case_selectors.FIELD_LIMITS["subject"]
BODY_MAX = case_selectors.FIELD_LIMITS["body"]


@transaction.atomic
def request_feed_capture(*, url: str = "", upload=None, outlet: str = "", by) -> FeedCapture:
    """Ask the job worker to read a feed: a URL (http or https) or an uploaded file."""
    if not opinion.may_capture(by):
        raise PermissionDenied("只有秘書處新聞聯絡人可以擷取輿情。")
    url, outlet = (url or "").strip(), (outlet or "").strip()
    errors: dict[str, list[str]] = {}
    if bool(url) == bool(upload):
        errors["url"] = ["請填寫 RSS 網址，或上傳 RSS 檔案（擇一）。"]
    elif url:
        problem = URL_RULE.problem(url)
        if problem is None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            problem = "RSS 網址須為 http 或 https。"
        if problem:
            errors["url"] = [problem]
    elif upload.size > FEED_MAX_BYTES:
        errors["file"] = [f"RSS 檔案最大 {FEED_MAX_BYTES // 1024 // 1024} MB。"]
    if problem := OUTLET_RULE.problem(outlet):
        errors["outlet"] = [problem]
    if errors:
        raise DomainError.invalid(errors)
    capture = FeedCapture.objects.create(
        url=url,
        file_name=upload.name[:200] if upload else "",
        content=upload.read() if upload else b"",
        outlet=outlet,
        requested_by=by,
    )
    from secretariat.media.tasks import capture_feed_task

    capture_id = capture.pk
    transaction.on_commit(lambda: capture_feed_task.enqueue(capture_id))
    return capture


# --- Fetching a feed -------------------------------------------------------------------------------


def _public_address(host: str) -> bool:
    """Whether every address ``host`` resolves to is a public one: a feed URL may not make the
    server read its own network (SSRF). ``MEDIA_FEED_ALLOW_PRIVATE`` lifts this (tests)."""
    if getattr(settings, "MEDIA_FEED_ALLOW_PRIVATE", False):
        return True
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            return False
    return bool(infos)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DomainError("bad_url", "RSS 網址須為 http 或 https。")
    if not _public_address(parts.hostname):
        raise DomainError("private_url", f"無法連線至「{parts.hostname}」（非公開網路位址）。")


def fetch_feed(url: str) -> bytes:
    """The feed at ``url``: public hosts only (redirects checked too), at most
    ``FEED_MAX_BYTES``, within ``FEED_TIMEOUT_SECONDS``."""
    _check_url(url)
    handler = _CheckedRedirects()
    handler.max_redirections = MAX_REDIRECTS
    opener = urllib.request.build_opener(handler)
    request = urllib.request.Request(url, headers={"User-Agent": "secretariat-media/1"})
    try:
        with opener.open(request, timeout=FEED_TIMEOUT_SECONDS) as response:
            data = response.read(FEED_MAX_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DomainError("fetch_failed", f"無法讀取 RSS 網址：{reason}") from error
    if len(data) > FEED_MAX_BYTES:
        raise DomainError("too_large", f"RSS 內容超過 {FEED_MAX_BYTES // 1024 // 1024} MB。")
    return data


# --- Reading entries ---------------------------------------------------------------------------


def _plain(value: str) -> str:
    """An entry's HTML as plain text."""
    return html.unescape(strip_tags(value or "")).strip()


def _line(value: str, limit: int) -> str:
    return " ".join(_plain(value).split())[:limit]


def _entry_day(entry) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed"):
        stamp = entry.get(key)
        if stamp:
            moment = dt.datetime(*stamp[:6], tzinfo=dt.UTC)
            return timezone.localtime(moment).date()
    return None


def feed_entries(data: bytes, default_outlet: str = "") -> list[dict]:
    """The entries of an RSS/Atom document as opinion items' fields; DomainError for a
    document that is not a feed."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        if parsed.bozo:
            raise DomainError("bad_feed", f"無法解析 RSS／Atom 內容：{parsed.bozo_exception}")
        return []
    feed_title = _line(parsed.feed.get("title", ""), 100)
    today = timezone.localdate()
    entries = []
    for entry in parsed.entries[:MAX_ENTRIES]:
        source = entry.get("source") or {}
        day = _entry_day(entry)
        entries.append(
            {
                "title": _line(entry.get("title", ""), SUBJECT_MAX),
                "summary": _plain(entry.get("summary", ""))[:BODY_MAX],
                "link": (entry.get("link") or "").strip(),
                "outlet": _line(source.get("title", ""), 100) or default_outlet or feed_title,
                "reported_on": min(day, today) if day else today,
            }
        )
    return entries


def run_feed_capture(capture_id: int) -> FeedCapture:
    """The job: read the feed and capture every entry not captured before (by its link) as
    an item waiting to be routed, each in its own transaction, audited as the person who
    asked. An entry that cannot be an item (no title) is counted as skipped."""
    capture = FeedCapture.objects.select_related("requested_by").get(pk=capture_id)
    capture.status = CaptureStatus.READING
    capture.save(update_fields=["status"])
    if not opinion.may_capture(capture.requested_by):
        return _finish(capture, CaptureStatus.FAILED, error="擷取者已無登錄輿情的權限。")
    try:
        data = bytes(capture.content) if capture.file_name else fetch_feed(capture.url)
        entries = feed_entries(data, capture.outlet)
    except DomainError as error:
        return _finish(capture, CaptureStatus.FAILED, error=error.message)
    created = skipped = 0
    known = set(
        OpinionItem.objects.filter(link__in=[e["link"] for e in entries if e["link"]]).values_list(
            "link", flat=True
        )
    )
    with audit.acting_as(capture.requested_by):
        for entry in entries:
            if not entry["title"] or entry["link"] in known:
                skipped += 1
                continue
            try:
                opinion.capture_item(
                    title=entry["title"],
                    summary=entry["summary"] or entry["title"],
                    outlet=entry["outlet"] or "（未具名）",
                    link=entry["link"],
                    reported_on=entry["reported_on"],
                    tone=Tone.NEUTRAL,
                    importance=Importance.NORMAL,
                    source=CaptureSource.FEED,
                    by=capture.requested_by,
                )
            except DomainError:
                skipped += 1
                continue
            known.add(entry["link"])
            created += 1
    return _finish(capture, CaptureStatus.DONE, created=created, skipped=skipped)


def _finish(capture: FeedCapture, status: str, **counts) -> FeedCapture:
    capture.status, capture.finished_at = status, timezone.now()
    capture.content = b""  # the feed is not kept once read
    for name, value in counts.items():
        setattr(capture, name, value)
    capture.save()
    return capture
