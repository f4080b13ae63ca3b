"""媒體聯繫's pages for each role: the press office, an agency's press officer and officer,
an agency head, a journalist and the public — each page renders for those it is for and is
refused to the others; forms post to the services and show their refusals."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from secretariat.cases import services as case_services
from secretariat.media import services
from secretariat.media.models import ContactRole, OpinionItem, PressRelease

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(press_people, agency):
    press = press_people["press"]
    item = services.capture_item(
        title="社宅抽籤遭質疑", summary="報導指稱未公開。", outlet="臺北日報", by=press
    )
    (part,) = case_services.route_case(item.case, agency("都發局"), by=press)
    release = services.draft_release(
        agency=agency("都發局"), title="社宅招租", body="招租資訊。", by=press_people["udd_officer"]
    )
    contact = services.add_contact(
        agency("都發局"), role=ContactRole.CONTACT, name="林新聞", office_phone="1", by=press
    )
    return {"item": item, "part": part, "release": release, "contact": contact}


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


STAFF_PAGES = [
    "media:home",
    "media:releases",
    "media:opinion",
    "media:digest",
    "media:events",
    "media:posts",
    "media:contacts",
    "media:schedule",
    "press:contacts",
    "press:schedule",
]
PRESS_OFFICE_PAGES = [
    "media:feed_capture",
    "media:monitoring_import",
    "media:weekly",
    "media:journalists",
]
PUBLIC_PAGES = ["news:list", "news:contacts", "news:rss", "news:atom", "press:register"]


def test_staff_pages_render_for_staff(press_people, records):
    for who in ("press", "udd_press", "udd_officer", "udd_head"):
        client = client_for(press_people[who])
        for name in STAFF_PAGES:
            assert client.get(reverse(name)).status_code == 200, (who, name)
    number = records["item"].case.number
    assert (
        client_for(press_people["udd_head"])
        .get(reverse("media:opinion_item", args=[number]))
        .status_code
        == 200
    )
    assert (
        client_for(press_people["police_press"])
        .get(reverse("media:opinion_item", args=[number]))
        .status_code
        == 404
    )
    assert (
        client_for(press_people["udd_press"]).get(records["release"].get_absolute_url()).status_code
        == 200
    )
    assert (
        client_for(press_people["police_press"])
        .get(records["release"].get_absolute_url())
        .status_code
        == 404
    )


def test_the_press_office_pages(press_people, records):
    for name in PRESS_OFFICE_PAGES:
        assert client_for(press_people["press"]).get(reverse(name)).status_code == 200, name
        assert client_for(press_people["udd_press"]).get(reverse(name)).status_code == 403, name


def test_public_pages_need_no_sign_in(records):
    for name in PUBLIC_PAGES:
        assert Client().get(reverse(name)).status_code == 200, name
    assert Client().get(reverse("media:home")).status_code == 302


def test_capturing_and_classifying_on_the_pages(press_people, records):
    client = client_for(press_people["press"])
    refused = client.post(
        reverse("media:opinion"),
        {"title": "", "summary": "", "outlet": "", "tone": "neutral", "importance": "normal"},
    )
    assert refused.status_code == 400 and "請填寫媒體來源。" in refused.content.decode()
    response = client.post(
        reverse("media:opinion"),
        {
            "title": "停電",
            "summary": "捷運站周邊停電。",
            "outlet": "北市電視",
            "tone": "negative",
            "importance": "normal",
        },
    )
    item = OpinionItem.objects.get(case__subject="停電")
    assert response.url == item.get_absolute_url()
    response = client.post(
        reverse("media:opinion_classify", args=[item.case.number]),
        {"tone": "negative", "importance": "major"},
    )
    item.refresh_from_db()
    assert item.importance == "major" and item.escalated_at is not None


def test_drafting_submitting_and_approving_on_the_pages(press_people, agency):
    officer = client_for(press_people["udd_officer"])
    response = officer.post(
        reverse("media:releases"),
        {
            "title": "老屋電梯補助放寬",
            "body": "補助門檻放寬。",
            "publish_on": "",
            "publish_time": "",
        },
    )
    release = PressRelease.objects.get(title="老屋電梯補助放寬")
    assert response.url == release.get_absolute_url()
    photo = SimpleUploadedFile(
        "a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png"
    )
    refused = officer.post(reverse("media:release_file_add", args=[release.pk]), {"file": photo})
    assert refused.status_code == 400 and "替代文字" in refused.content.decode()
    officer.post(reverse("media:release_step", args=[release.pk, "submit"]))
    release.refresh_from_db()
    assert release.status == "submitted"
    # The officer is not offered the approval, and may not take it.
    assert "核定發布" not in officer.get(release.get_absolute_url()).content.decode()
    assert (
        officer.post(reverse("media:release_step", args=[release.pk, "approve"])).status_code == 403
    )
    press = client_for(press_people["udd_press"])
    refused = press.post(reverse("media:release_step", args=[release.pk, "return"]), {"reason": ""})
    assert refused.status_code == 400
    press.post(reverse("media:release_step", args=[release.pk, "approve"]))
    release.refresh_from_db()
    assert release.status == "approved"
    assert "老屋電梯補助放寬" in Client().get(reverse("news:list")).content.decode()


def test_the_clarification_form(press_people, records):
    part = records["part"]
    case_services.draft_reply(part, "已說明。", by=press_people["udd_officer"])
    case_services.approve_reply(part, by=press_people["udd_press"])
    client = client_for(press_people["udd_press"])
    url = reverse("media:opinion_clarification", args=[records["item"].case.number, part.pk])
    refused = client.post(url, {"published": "on", "link": "javascript:alert(1)"})
    assert refused.status_code == 400
    client.post(url, {"published": "on", "link": "https://udd.example/n/1"})
    part.clarification.refresh_from_db()
    assert part.clarification.published


def test_the_journalist_sign_up_page(press_people):
    data = {
        "username": "reporter9",
        "password": "correct-horse-115",
        "password2": "correct-horse-115",
        "name": "陳記者",
        "outlet": "臺北日報",
        "phone": "02-1",
        "email": "r9@news.example",
        "consent": "on",
    }
    assert Client().post(reverse("press:register"), {**data, "consent": ""}).status_code == 400
    response = Client().post(reverse("press:register"), data)
    assert response.url == reverse("press:registered")
    page = client_for(press_people["press"]).get(reverse("media:journalists")).content.decode()
    assert "陳記者" in page
