"""新聞稿: drafted by an agency, approved by its 新聞聯絡人 (and the Secretariat for one in the
mayor's name), public from its time on the news page and in the feed, mailed to the media
list once; a correction keeps the earlier version visible as corrected."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.media import selectors, services
from secretariat.media.models import PressRelease, ReleaseStatus

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def draft(by, agency, **extra):
    values = {"title": "社會住宅第二期招租", "body": "都發局今日公布招租資訊。"}
    values.update(extra)
    return services.draft_release(agency=agency, **values, by=by)


def test_an_agency_drafts_its_press_officer_approves_and_it_is_published(
    press_people, agency, journalist_factory, django_capture_on_commit_callbacks, immediate_jobs
):
    journalist_factory(approve_by=press_people["press"])
    release = draft(press_people["udd_officer"], agency("都發局"))
    with pytest.raises(PermissionDenied):
        draft(press_people["udd_officer"], agency("警察局"))
    services.submit_release(release, by=press_people["udd_officer"])
    # Another agency's press officer, or the drafter, may not approve it.
    for outsider in (press_people["police_press"], press_people["udd_officer"]):
        with pytest.raises(PermissionDenied):
            services.approve_release(release, by=outsider)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        release = services.approve_release(release, by=press_people["udd_press"])
    assert release.status == ReleaseStatus.APPROVED
    assert release.is_published_at(timezone.now())
    assert list(selectors.published_releases(timezone.now())) == [release]
    # The media list (the approved journalist who receives releases) got it once.
    (message,) = [m for m in mail.outbox if "新聞稿" in m.subject]
    assert message.subject == "都發局新聞稿：社會住宅第二期招租" and message.to == [
        "reporter@news.example"
    ]
    release.refresh_from_db()
    assert release.mailed_at is not None
    assert services.mail_release(release.pk) == 0


def test_a_release_at_a_later_time_is_public_only_then(press_people, agency):
    later = timezone.now() + dt.timedelta(hours=3)
    release = draft(press_people["udd_officer"], agency("都發局"), publish_at=later)
    services.submit_release(release, by=press_people["udd_officer"])
    services.approve_release(release, by=press_people["udd_press"])
    assert not selectors.published_releases(timezone.now()).exists()
    assert services.mail_release(release.pk) == 0
    assert list(selectors.published_releases(later + dt.timedelta(seconds=1))) == [release]
    response = Client().get(reverse("news:release", args=[release.pk]))
    assert response.status_code == 404


def test_a_release_in_the_mayors_name_also_needs_the_secretariat(press_people, agency):
    release = draft(press_people["udd_officer"], agency("都發局"), in_mayors_name=True)
    services.submit_release(release, by=press_people["udd_officer"])
    release = services.approve_release(release, by=press_people["udd_press"])
    assert release.status == ReleaseStatus.AWAITING_SECRETARIAT
    assert not release.is_published_at(timezone.now())
    with pytest.raises(PermissionDenied):
        services.approve_release(release, by=press_people["udd_press"])
    release = services.approve_release(release, by=press_people["press"])
    assert release.status == ReleaseStatus.APPROVED


def test_a_returned_release_goes_back_to_its_drafter_with_the_reason(press_people, agency):
    release = draft(press_people["udd_officer"], agency("都發局"))
    services.submit_release(release, by=press_people["udd_officer"])
    with pytest.raises(DomainError) as refused:
        services.return_release(release, "", by=press_people["udd_press"])
    assert "reason" in refused.value.fields
    release = services.return_release(release, "請補充申請資格。", by=press_people["udd_press"])
    assert release.status == ReleaseStatus.DRAFT and release.returned_reason == "請補充申請資格。"
    services.update_release(
        release,
        title="社會住宅第二期招租（含申請資格）",
        body="申請資格：設籍本市。",
        in_mayors_name=False,
        publish_at=None,
        by=press_people["udd_officer"],
    )


def test_a_correction_keeps_the_old_version_visible_as_corrected(press_people, agency):
    release = draft(press_people["udd_officer"], agency("都發局"))
    services.submit_release(release, by=press_people["udd_officer"])
    services.approve_release(release, by=press_people["udd_press"])
    with pytest.raises(PermissionDenied):
        services.correct_release(
            release, title="x", body="y", note="z", by=press_people["udd_officer"]
        )
    correction = services.correct_release(
        release,
        title="社會住宅第二期招租",
        body="都發局今日公布招租資訊，申請期間延長至月底。",
        note="更正申請期間。",
        by=press_people["udd_press"],
    )
    release.refresh_from_db()
    assert release.body.endswith("延長至月底。") and release.corrected_at is not None
    assert correction.previous_body == "都發局今日公布招租資訊。"
    page = Client().get(reverse("news:release", args=[release.pk])).content.decode()
    assert "更正前版本" in page and "都發局今日公布招租資訊。" in page and "更正申請期間。" in page


def test_photos_need_a_caption_and_files_are_checked_by_content(press_people, agency):
    release = draft(press_people["udd_officer"], agency("都發局"))
    photo = SimpleUploadedFile("site.png", PNG, content_type="image/png")
    with pytest.raises(DomainError) as refused:
        services.add_release_file(release, photo, by=press_people["udd_officer"])
    assert "caption" in refused.value.fields
    fake = SimpleUploadedFile("report.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError):
        services.add_release_file(release, fake, caption="x", by=press_people["udd_officer"])
    photo.seek(0)
    services.add_release_file(release, photo, caption="工地現況", by=press_people["udd_officer"])
    services.submit_release(release, by=press_people["udd_officer"])
    services.approve_release(release, by=press_people["udd_press"])
    (file,) = release.files.all()
    response = Client().get(reverse("news:release_file", args=[release.pk, file.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_a_draft_and_its_files_are_not_public(press_people, agency):
    release = draft(press_people["udd_officer"], agency("都發局"))
    services.add_release_file(
        release,
        SimpleUploadedFile("site.png", PNG, content_type="image/png"),
        caption="工地",
        by=press_people["udd_officer"],
    )
    (file,) = release.files.all()
    client = Client()
    assert client.get(reverse("news:release", args=[release.pk])).status_code == 404
    assert client.get(reverse("news:release_file", args=[release.pk, file.pk])).status_code == 404
    assert release.title not in client.get(reverse("news:rss")).content.decode()


def test_each_agency_sees_its_own_releases_and_the_press_office_all(press_people, agency):
    mine = draft(press_people["udd_officer"], agency("都發局"))
    theirs = draft(press_people["police_officer"], agency("警察局"), title="年終加強取締酒駕")
    assert list(selectors.releases_for(press_people["udd_press"])) == [mine]
    assert set(selectors.releases_for(press_people["press"])) == {mine, theirs}


def published(by, officer, agency, title, at):
    release = services.draft_release(agency=agency, title=title, body=f"{title}。", by=officer)
    services.submit_release(release, by=officer)
    services.approve_release(release, by=by)
    PressRelease.objects.filter(pk=release.pk).update(publish_at=at)
    return release


def test_the_feeds_validate_and_carry_corrections(press_people, agency):
    """RSS 2.0 and Atom, parsed by feedparser without a complaint (bozo)."""
    now = timezone.now()
    first = published(
        press_people["udd_press"],
        press_people["udd_officer"],
        agency("都發局"),
        "北投社會住宅動工",
        now - dt.timedelta(days=1),
    )
    published(
        press_people["police_press"],
        press_people["police_officer"],
        agency("警察局"),
        "年終加強取締酒駕 & 守護用路安全",
        now - dt.timedelta(hours=1),
    )
    services.correct_release(
        first,
        title="北投社會住宅動工",
        body="北投社會住宅今日動工，預計兩年完工。",
        note="補充完工時程。",
        by=press_people["udd_press"],
    )
    for name, version in (("news:rss", "rss20"), ("news:atom", "atom10")):
        response = Client().get(reverse(name))
        assert response.status_code == 200
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == version
        titles = [entry.title for entry in parsed.entries]
        assert titles == [
            "警察局：年終加強取締酒駕 & 守護用路安全",
            "（更正）都發局：北投社會住宅動工",
        ]
        assert parsed.entries[1].link.endswith(reverse("news:release", args=[first.pk]))
        assert "預計兩年完工" in parsed.entries[1].summary
