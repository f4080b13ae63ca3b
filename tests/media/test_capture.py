"""輿情 captured from an RSS/Atom feed: a file (or a URL) the press office gives, read by the
job worker; new entries become items waiting to be routed, entries captured before are
skipped; a URL into the server's own network is refused."""

from __future__ import annotations

import http.server
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.media import services
from secretariat.media.models import CaptureSource, CaptureStatus, OpinionItem

pytestmark = pytest.mark.django_db

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>輿情監測</title><link>https://monitor.example/</link>
<description>今日報導</description>
<item><title>社宅抽籤遭質疑 &amp; 不公開</title><link>https://news.example/a</link>
<description>&lt;p&gt;報導指稱&lt;b&gt;抽籤&lt;/b&gt;未公開。&lt;/p&gt;</description>
<pubDate>Thu, 03 Dec 2026 02:00:00 GMT</pubDate><source url="https://daily.example/">臺北日報</source></item>
<item><title>公車轉乘優惠獲好評</title><link>https://news.example/b</link>
<description>民眾肯定轉乘優惠。</description></item>
<item><title></title><link>https://news.example/c</link></item>
</channel></rss>"""


def feed_file(content: str = RSS) -> SimpleUploadedFile:
    return SimpleUploadedFile("feed.xml", content.encode(), content_type="application/xml")


def run(capture):
    return services.run_feed_capture(capture.pk)


def test_a_feed_file_becomes_items_waiting_to_be_routed(press_people):
    capture = services.request_feed_capture(
        upload=feed_file(), outlet="監測服務", by=press_people["press"]
    )
    capture = run(capture)
    assert (capture.status, capture.created, capture.skipped) == (CaptureStatus.DONE, 2, 1)
    first = OpinionItem.objects.get(link="https://news.example/a")
    assert first.case.subject == "社宅抽籤遭質疑 & 不公開"
    assert first.case.body == "報導指稱抽籤未公開。"
    assert first.outlet == "臺北日報" and first.source == CaptureSource.FEED
    assert str(first.reported_on) == "2026-12-03"
    assert OpinionItem.objects.get(link="https://news.example/b").outlet == "監測服務"
    assert bytes(capture.content) == b""  # the feed is not kept
    # Read again: nothing new.
    again = run(services.request_feed_capture(upload=feed_file(), by=press_people["press"]))
    assert (again.created, again.skipped) == (0, 3)


def test_only_the_press_office_captures_and_one_source_is_given(press_people):
    with pytest.raises(PermissionDenied):
        services.request_feed_capture(upload=feed_file(), by=press_people["udd_press"])
    with pytest.raises(DomainError) as refused:
        services.request_feed_capture(by=press_people["press"])
    assert "url" in refused.value.fields
    with pytest.raises(DomainError):
        services.request_feed_capture(url="file:///etc/passwd", by=press_people["press"])


def test_a_file_that_is_not_a_feed_fails_with_a_reason(press_people):
    capture = run(
        services.request_feed_capture(upload=feed_file("not xml <<<"), by=press_people["press"])
    )
    assert capture.status == CaptureStatus.FAILED and "RSS" in capture.error
    assert not OpinionItem.objects.exists()


def test_a_url_into_the_servers_own_network_is_refused(press_people, settings):
    settings.MEDIA_FEED_ALLOW_PRIVATE = False
    capture = run(
        services.request_feed_capture(url="http://127.0.0.1:9/feed", by=press_people["press"])
    )
    assert capture.status == CaptureStatus.FAILED and "非公開網路位址" in capture.error


@pytest.fixture
def feed_server():
    body = RSS.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/feed.xml"
    server.shutdown()
    server.server_close()


def test_a_feed_url_is_read_by_the_worker(press_people, settings, feed_server):
    settings.MEDIA_FEED_ALLOW_PRIVATE = True  # the test's server is on this machine
    capture = run(services.request_feed_capture(url=feed_server, by=press_people["press"]))
    assert (capture.status, capture.created) == (CaptureStatus.DONE, 2)


def test_the_job_is_queued_on_commit(
    press_people, django_capture_on_commit_callbacks, immediate_jobs
):
    with django_capture_on_commit_callbacks(execute=True):
        capture = services.request_feed_capture(upload=feed_file(), by=press_people["press"])
    capture.refresh_from_db()
    assert capture.status == CaptureStatus.DONE and capture.created == 2
