"""Issue 23 (服務台) acceptance in a browser: consultations logged on the counter screen at
tablet size by tapping a category and by the keyboard shortcut, a petition assisted opening
the petitions intake on the counter channel; a call to an agency that goes past 10 minutes is
flagged live on the desk screen (htmx polling, no reload), counts as late in the rate on the
supervisor's page, and another call is reported arrived from the notice's link on a phone.
Every page passes axe-core (WCAG 2.1 AA) and the CSP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from secretariat.core.models import Notification
from secretariat.service import services
from secretariat.service.models import DeskVisit, Dispatch
from tests.e2e.conftest import assert_accessible, login

TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def desk(make_person):
    services.load_default_categories()
    make_person("health-counter", "衛生局", "service_desk", display_name="吳護理師")
    return make_person("sec-desk", "秘書處", "service_desk", "supervisor", display_name="李服務")


def test_log_consultations_on_the_desk_screen_at_tablet_size(page, desk):
    page.set_viewport_size(TABLET)
    login(page, "sec-desk")
    page.get_by_role("navigation", name="功能模組").get_by_role("link", name="市民諮詢").click()
    page.get_by_role("heading", name="服務台", exact=True).wait_for()
    assert_accessible(page)
    # One tap: the category.
    page.get_by_role("button", name="交通").click()
    page.get_by_text("已登錄：交通").wait_for()
    # The keyboard: 1 is the first category (民政).
    page.keyboard.press("1")
    page.get_by_text("已登錄：民政").wait_for()
    # Two taps: an agency (and a note), then the category.
    page.get_by_label("相關機關（選填）").select_option(label="衛生局")
    page.get_by_label("備註（選填，勿填個人資料）").fill("疫苗接種地點")
    page.get_by_role("button", name="警政衛生").click()
    page.get_by_text("已登錄：警政衛生").wait_for()
    assert page.locator("#today-consultations").inner_text() == "3"
    assert "警政衛生（衛生局）" in page.locator("#recent-visits").inner_text()
    assert_accessible(page)
    # A petition assisted opens the petitions intake on the counter channel.
    page.get_by_role("button", name="協處陳情").click()
    page.get_by_role("heading", name="陳情收件登錄").wait_for()
    assert page.get_by_label("來源管道").input_value() == "counter"
    assert DeskVisit.objects.filter(kind="petition").count() == 1
    assert DeskVisit.objects.filter(kind="consultation").count() == 3


def test_a_late_dispatch_shows_on_the_desk_screen_and_in_the_rate(page, desk, browser):
    page.set_viewport_size(TABLET)
    login(page, "sec-desk")
    page.goto("/service/")
    page.get_by_role("combobox", name="通知機關").select_option(label="衛生局")
    page.get_by_label("事由（勿填個人資料）").fill("民眾詢問長照服務申請")
    page.get_by_role("button", name="通知並開始計時").click()
    page.get_by_text("已登錄派員通知").wait_for()
    board = page.locator("#board")
    assert "已等候 0 分鐘" in board.inner_text()
    assert "逾10分鐘" not in board.inner_text()
    # Twelve minutes pass: the board, polled, flags the call without a reload.
    Dispatch.objects.update(called_at=timezone.now() - dt.timedelta(minutes=12))
    board.get_by_text("逾10分鐘").wait_for(timeout=15_000)
    assert_accessible(page)
    board.get_by_role("button", name="已到場").click()
    page.get_by_text("已登錄衛生局人員到場").wait_for()
    page.get_by_role("link", name="類別、哺集乳室與統計").click()
    assert page.locator("#rate-total").inner_text() == "0.00%"
    assert_accessible(page)

    # Another call; the agency's person reports arrival from the notice on a phone.
    services.call_agency(by=desk, agency=Dispatch.objects.get().agency, purpose="補件說明")
    link = Notification.objects.filter(title__contains="派員").latest("pk").url
    phone = browser.new_context(base_url=page.url.split("/service/")[0], viewport=PHONE)
    arrival = phone.new_page()
    arrival.goto(link)
    assert_accessible(arrival)
    arrival.get_by_role("button", name="我已到達服務台").click()
    arrival.get_by_text("已回報到場").wait_for()
    phone.close()
    page.reload()
    assert page.locator("#rate-total").inner_text() == "50.00%"
