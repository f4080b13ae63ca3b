"""The agency heads' daily 輿情日報 (mail once a day and agency, and a page) and the week's
important items compiled for 市政會議 (a page and an ODT)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from odf import teletype
from odf.opendocument import load
from odf.text import H, P

from secretariat.cases import services as case_services
from secretariat.core import tasks as core_tasks
from secretariat.media import selectors, services, weekly
from secretariat.media.models import DigestMailing, Importance

pytestmark = pytest.mark.django_db


def capture(by, title, link, importance=Importance.NORMAL):
    return services.capture_item(
        title=title,
        summary=f"{title}。",
        outlet="臺北日報",
        link=link,
        importance=importance,
        by=by,
    )


@pytest.fixture
def routed(press_people, agency):
    press = press_people["press"]
    today = timezone.localdate()
    a = capture(press, "社宅抽籤遭質疑", "https://n.example/1", Importance.IMPORTANT)
    b = capture(press, "老屋電梯補助冗長", "https://n.example/2")
    c = capture(press, "夜市違停", "https://n.example/3", Importance.MAJOR)
    (part_a,) = case_services.route_case(a.case, agency("都發局"), by=press)
    case_services.route_case(b.case, agency("都發局"), by=press)
    case_services.route_case(c.case, agency("警察局"), by=press)
    case_services.draft_reply(part_a, "抽籤全程錄影公告。", by=press_people["udd_officer"])
    case_services.approve_reply(part_a, by=press_people["udd_press"])
    return {"today": today, "items": (a, b, c)}


def test_the_heads_get_their_agencys_digest_once(
    press_people, routed, django_capture_on_commit_callbacks, immediate_jobs
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.mail_digests(routed["today"]) == 1  # 都發局's head; 警察局 has none
    (message,) = mail.outbox
    assert message.to == ["udd-head@x.test"] and message.subject.endswith("：都發局")
    sent = DigestMailing.objects.get()
    assert sent.agency.short_name == "都發局" and sent.items == 2
    assert services.mail_digests(routed["today"]) == 0


def test_the_digest_mail_lists_the_days_items(press_people, routed, agency):
    digest = selectors.digest(agency("都發局"), routed["today"], timezone.now())
    subject, body = services.digest_mail(digest, timezone.now())
    assert subject.startswith("輿情日報（") and subject.endswith("：都發局")
    assert "一、當日分辦輿情（2則）" in body and "社宅抽籤遭質疑" in body
    assert "【重要／中性】" in body and "狀態：已回復" in body
    assert "夜市違停" not in body  # another agency's


def test_the_digest_job_is_registered_for_the_morning():
    assert core_tasks.DAILY_JOBS["media.mail_digests"].at == dt.time(8, 0)


def test_the_digest_page_shows_the_persons_agency(press_people, routed):
    client = Client()
    client.force_login(press_people["udd_head"])
    page = client.get(reverse("media:digest")).content.decode()
    assert "社宅抽籤遭質疑" in page and "夜市違停" not in page
    client.force_login(press_people["press"])
    page = client.get(reverse("media:digest")).content.decode()
    assert "社宅抽籤遭質疑" in page and "夜市違停" in page


def test_the_weekly_compilation_lists_important_items_with_responses(press_people, routed):
    start, end = selectors.week_of(routed["today"])
    titles = [entry.item.case.subject for entry in selectors.weekly_items(start, end)]
    assert titles == ["夜市違停", "社宅抽籤遭質疑"]  # 重大 first; 一般 left out
    document = load(io.BytesIO(weekly.to_odt(start, end)))
    text = "\n".join(
        teletype.extractText(element)
        for kind in (H, P)
        for element in document.getElementsByType(kind)
    )
    assert "本週重要輿情" in text and "抽籤全程錄影公告。" in text and "（尚未回應）" in text
    client = Client()
    client.force_login(press_people["press"])
    response = client.get(reverse("media:weekly_odt"), {"week": start.isoformat()})
    assert response.status_code == 200
    assert response["Content-Type"] == weekly.ODT_TYPE
    client.force_login(press_people["udd_head"])
    assert client.get(reverse("media:weekly")).status_code == 403
