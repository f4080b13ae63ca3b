"""媒體聯繫 in a browser (issue 22's acceptance): an agency drafts a release, its press officer
approves it, and it is on the public news page and in the feed; an opinion item is routed to
an agency, answered and counted in the work report; a journalist signs up, is approved and
finds a contact. And every page of the module, for each role, passes axe-core (WCAG 2.1 AA)
and does not scroll sideways at phone width."""

from __future__ import annotations

import re

import feedparser
import pytest
from django.core.management import call_command

from secretariat.media.models import Journalist, OpinionItem, PressRelease
from tests.e2e.conftest import assert_accessible, login, logout, pick

DEMO_PASSWORD = "taipei-demo-115"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(make_person):
    return {
        "press": make_person("sec-press", "秘書處", "press_liaison", display_name="張新聞"),
        "udd_officer": make_person("udd-officer", "都發局", "case_officer", display_name="黃承辦"),
        "udd_press": make_person("udd-press", "都發局", "press_liaison", display_name="林新聞"),
    }


def test_an_agency_release_is_approved_and_published_on_the_news_page_and_feed(page, people):
    login(page, "udd-officer")
    page.goto("/media/")
    page.get_by_role("link", name="新聞稿", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="儲存草稿").click()
    assert page.get_by_text("請填寫標題。").is_visible()  # the service's refusal, by the field
    assert_accessible(page)
    page.get_by_label("標題").fill("老舊公寓增設電梯補助放寬")
    page.get_by_label("內容").fill("都發局今日宣布放寬老舊公寓增設電梯補助申請門檻。")
    page.get_by_role("button", name="儲存草稿").click()
    page.get_by_text("已儲存新聞稿草稿。").wait_for()
    page.get_by_role("button", name="送核", exact=True).click()
    page.get_by_text("已送核").wait_for()
    assert_accessible(page)
    logout(page)

    login(page, "udd-press")
    page.goto("/media/")
    page.get_by_role("link", name="老舊公寓增設電梯補助放寬").click()
    page.get_by_role("button", name="核定發布").click()
    page.get_by_text("已核定新聞稿。").wait_for()
    assert PressRelease.objects.get().status == "approved"
    logout(page)

    page.goto("/news/")
    assert_accessible(page)
    page.get_by_role("link", name="老舊公寓增設電梯補助放寬").click()
    assert page.get_by_role("heading", name="老舊公寓增設電梯補助放寬", level=1).is_visible()
    assert_accessible(page)
    feed = feedparser.parse(page.request.get("/news/atom.xml").body())
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["都發局：老舊公寓增設電梯補助放寬"]


def test_an_opinion_item_is_routed_answered_and_counted(page, people, make_person):
    make_person("sec-admin", "秘書處", "secretariat_admin")
    login(page, "sec-press")
    page.goto("/media/opinion/")
    assert_accessible(page)
    form = page.locator("form", has=page.get_by_role("button", name="登錄輿情"))
    form.get_by_label("標題").fill("社宅抽籤作業遭質疑不公開")
    form.get_by_label("摘要").fill("報導指稱社宅抽籤作業未公開直播。")
    form.get_by_label("媒體來源").fill("臺北日報")
    form.get_by_label("傾向").select_option(label="負面")
    form.get_by_label("重要性").select_option(label="重要")
    form.get_by_role("button", name="登錄輿情").click()
    page.get_by_text("已登錄輿情").wait_for()
    assert_accessible(page)
    number = OpinionItem.objects.get().case.number
    page.get_by_role("link", name="到案件頁分辦、回應、核定或結案").click()
    pick(page, "主辦機關", "都發局")
    page.get_by_role("button", name="分辦", exact=True).click()
    page.get_by_text("已分辦並通知受分辦機關").wait_for()
    logout(page)

    login(page, "udd-officer")
    page.goto(f"/cases/{number}/")
    page.get_by_label("回復內容").fill("抽籤作業全程由律師見證並錄影，結果已公告。")
    page.get_by_role("button", name="送核").click()
    page.get_by_text("已儲存回復稿").wait_for()
    logout(page)

    login(page, "udd-press")
    page.goto(f"/cases/{number}/")
    page.get_by_role("button", name="核定回復").click()
    page.get_by_text("已核定回復").wait_for()
    page.goto(f"/media/opinion/{number}/")
    assert_accessible(page)
    page.get_by_label("已公開澄清（新聞稿、社群或回應媒體）").check()
    page.get_by_label("公開連結（選填）").fill("https://udd.example/news/lottery")
    page.get_by_role("button", name="登錄公開澄清情形").click()
    page.get_by_text("已登錄公開澄清情形。").wait_for()
    assert page.get_by_text("已公開（").is_visible()
    logout(page)

    login(page, "sec-admin")
    page.goto("/reports/?period=115H2")
    section = page.locator("[data-key='media.opinion_responses']")
    assert section.get_by_text(
        "本府115年下半年計主動回應1則輿情，其中1則於回應時限內完成（100%）"
    ).is_visible()
    assert section.get_by_text("公開澄清1則").is_visible()


def test_a_journalist_signs_up_is_approved_and_finds_a_contact(page, people):
    from secretariat.core.registry import agency_by_name
    from secretariat.media import services

    services.add_contact(
        agency_by_name("都發局"),
        role="contact",
        name="林新聞",
        job_title="新聞聯絡人",
        office_phone="02-2720-8889#2001",
        mobile="0912-000-202",
        line_id="udd-press",
        topics="社會住宅、都市更新",
        by=people["press"],
    )
    page.goto("/news/contacts/")
    assert page.get_by_text("林新聞").is_visible() and page.get_by_text("0912-000-202").count() == 0
    page.get_by_role("link", name="記者帳號申請").click()
    assert_accessible(page)
    page.get_by_label("帳號").fill("reporter")
    page.locator("#signup-password").fill("correct-horse-115")
    page.get_by_label("再次輸入密碼").fill("correct-horse-115")
    page.get_by_label("姓名").fill("陳記者")
    page.get_by_label("服務媒體").fill("臺北日報")
    page.get_by_label("聯絡電話").fill("02-2345-0001")
    page.get_by_role("textbox", name="電子郵件").fill("reporter@news.example")
    page.get_by_label("同意本府為審核及聯繫之目的蒐集、處理上述個人資料").check()
    page.get_by_role("button", name="送出申請").click()
    assert page.get_by_role("heading", name="申請已送出").is_visible()
    assert_accessible(page)

    login(page, "sec-press")
    page.goto("/media/journalists/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^核准")).click()
    page.get_by_text("已核准").first.wait_for()
    assert Journalist.objects.get().approved
    logout(page)

    login(page, "reporter")
    assert page.get_by_role("heading", name="記者專區").is_visible()
    assert page.get_by_role("navigation", name="功能模組").get_by_role(
        "link"
    ).all_inner_texts() == ["記者專區"]
    page.get_by_role("link", name="新聞聯繫通訊錄查詢").click()
    page.get_by_label("機關或議題").fill("社會住宅")
    page.get_by_role("button", name="查詢").click()
    results = page.get_by_role("table", name="查詢結果")
    assert results.get_by_role("rowheader", name="林新聞").is_visible()
    assert results.get_by_text("0912-000-202").is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="下載查詢結果（vCard）").click()
    card = open(download.value.path(), encoding="utf-8").read()
    assert "FN:林新聞" in card and "TEL;TYPE=cell;VALUE=text:0912-000-202" in card
    # The staff pages any signed-in person may open are not for a journalist's account.
    assert page.goto("/agencies/").status == 403


def visit_all(page, paths) -> None:
    for path in paths:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        assert_accessible(page, best_practice=True)
        page.set_viewport_size({"width": 360, "height": 740})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at phone width by {overflow}px"


def test_every_media_page_passes_axe_for_each_role_and_fits_a_phone(page):
    call_command("demo", verbosity=0)
    item = OpinionItem.objects.filter(importance="major").first()
    waiting = PressRelease.objects.get(status="submitted")
    published = PressRelease.objects.filter(corrected_at__isnull=False).first()
    login(page, "sec-press", DEMO_PASSWORD)
    visit_all(
        page,
        [
            "/media/",
            "/media/releases/",
            f"/media/releases/{published.pk}/",
            "/media/opinion/",
            f"/media/opinion/{item.case.number}/",
            "/media/opinion/feeds/",
            "/media/opinion/monitoring/",
            "/media/opinion/digest/",
            "/media/opinion/weekly/",
            "/media/events/",
            "/media/posts/",
            "/media/contacts/",
            "/media/journalists/",
            "/media/schedule/",
            "/press/contacts/?q=社會住宅",
        ],
    )
    logout(page)
    login(page, "udd-press", DEMO_PASSWORD)
    visit_all(page, ["/media/", f"/media/releases/{waiting.pk}/", "/media/contacts/"])
    logout(page)
    login(page, "udd-head", DEMO_PASSWORD)
    visit_all(page, ["/media/opinion/digest/", "/media/opinion/"])
    logout(page)
    login(page, "reporter", DEMO_PASSWORD)
    visit_all(page, ["/press/", "/press/contacts/?q=交通", "/press/schedule/"])
    logout(page)
    visit_all(
        page,
        ["/news/", f"/news/{published.pk}/", "/news/contacts/", "/press/register/"],
    )
