"""The shell in a real browser: sign-in, dashboard, every module page, search, htmx parts,
agency isolation by URL, accessibility (axe-core, WCAG 2.1 AA), phone width, logout."""

import re

import pytest

from secretariat.core import services
from tests.e2e.conftest import assert_accessible, login


@pytest.fixture
def people(make_person):
    return {
        "admin": make_person("admin", "秘書處", "system_admin", display_name="王系統"),
        "udd": make_person("udd-officer", "都發局", "case_officer", display_name="黃承辦"),
        "police": make_person("police-officer", "警察局", "case_officer", display_name="許承辦"),
    }


def test_login_dashboard_every_module_page_and_logout(page, people):
    services.notify(people["admin"], "請檢視新的停班公告")
    page.goto("/")
    page.get_by_role("link", name="登入業務作業平台").click()
    assert "/accounts/login/" in page.url
    assert_accessible(page)
    login(page, "admin")
    assert page.get_by_role("heading", name="我的待辦").is_visible()
    assert page.get_by_text("請檢視新的停班公告").is_visible()
    assert_accessible(page)

    nav = page.get_by_role("navigation", name="功能模組")
    labels = [link.inner_text() for link in nav.get_by_role("link").all()]
    assert {"我的待辦", "機關", "人員", "辦公日曆", "稽核紀錄", "API 文件"} <= set(labels)
    for label in labels:
        nav.get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state()
        assert page.locator("h1").count() == 1, label
        assert_accessible(page)

    page.goto("/agencies/")
    page.get_by_role("link", name="臺北市政府都市發展局").click()
    assert page.get_by_role("heading", name="臺北市政府都市發展局").is_visible()
    assert_accessible(page)
    page.goto(f"/people/{people['udd'].pk}/")
    assert page.get_by_role("heading", name="異動紀錄").is_visible()
    assert_accessible(page)
    page.goto("/accounts/totp/setup/")
    assert_accessible(page)

    page.get_by_role("button", name="登出").click()
    page.wait_for_url("**/accounts/login/")
    page.goto("/people/")
    assert "/accounts/login/" in page.url


def test_another_agencys_record_by_url_is_not_found(page, people):
    login(page, "udd-officer")
    response = page.goto(f"/people/{people['police'].pk}/")
    assert response.status in (403, 404)
    assert page.get_by_role("heading", name="查無此頁").is_visible()
    assert_accessible(page)
    response = page.goto(f"/api/v1/people/{people['police'].pk}")
    assert response.status == 404


def test_global_search_box(page, people):
    login(page, "udd-officer")
    page.get_by_role("searchbox", name="全站搜尋").fill("警察局")
    page.get_by_role("search").get_by_role("button", name="搜尋").click()
    assert page.get_by_role("link", name=re.compile("臺北市政府警察局")).is_visible()
    assert_accessible(page)


def test_working_day_calculator_with_htmx(page, people):
    login(page, "udd-officer")
    page.goto("/calendar/?year=2025&month=2")
    assert_accessible(page)
    page.get_by_label("起算日（收文日）").fill("114/01/24")
    page.get_by_label("工作天數").fill("6")
    page.get_by_role("button", name="計算").click()
    due = page.locator("#due-date")
    due.wait_for()
    import datetime as dt

    from secretariat.core import roc, workdays

    assert due.inner_text() == roc.format_date(
        workdays.add_working_days(dt.date(2025, 1, 24), 6), "long"
    )
    assert page.url.endswith("month=2")  # htmx swapped the result in place


def test_administrator_records_a_typhoon_closure(page, people):
    login(page, "admin")
    page.goto("/calendar/?year=2026&month=9")
    page.get_by_label("日期").fill("115/09/15")
    page.get_by_label("類別").select_option("closure")
    page.get_by_label("縣市（空白表示全國）").fill("臺北市")
    page.get_by_label("事由").fill("颱風停止上班")
    page.get_by_role("button", name="儲存").click()
    assert page.get_by_text("已儲存行事曆調整。").is_visible()
    assert page.get_by_role("cell", name="颱風停止上班", exact=True).is_visible()
    assert page.get_by_text("放假・颱風停止上班").is_visible()  # the month grid shows the closure
    assert_accessible(page)


def test_notifications_marked_read_with_htmx(page, people):
    services.notify(people["udd"], "新案件分派")
    login(page, "udd-officer")
    page.goto("/notifications/")
    assert page.locator("#notification-badge .badge").inner_text() == "1"
    page.get_by_role("button", name="全部標示為已讀").click()
    page.locator("#notification-badge").get_by_text("（無未讀）").wait_for()
    assert_accessible(page)


def test_keyboard_skip_link_and_phone_width(page, people):
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "udd-officer")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要內容")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for path in ("/", "/people/", "/calendar/", "/agencies/"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at phone width by {overflow}px"
    assert page.evaluate("document.documentElement.lang") == "zh-Hant-TW"


def test_second_factor_step_in_the_browser(page, people):
    import pyotp

    person = people["udd"]
    person.totp_secret, person.totp_enabled = pyotp.random_base32(), True
    person.save()
    page.goto("/accounts/login/")
    page.get_by_label("帳號").fill("udd-officer")
    page.get_by_label("密碼").fill("correct-horse-115")
    page.get_by_role("button", name="登入", exact=True).click()
    page.wait_for_url("**/accounts/totp/**")
    assert_accessible(page)
    page.get_by_label("驗證碼（6 位數字）").fill("000000")
    page.get_by_role("button", name="驗證").click()
    assert page.get_by_text("驗證碼不正確或已過期。").is_visible()
    page.get_by_label("驗證碼（6 位數字）").fill(pyotp.TOTP(person.totp_secret).now())
    page.get_by_role("button", name="驗證").click()
    assert page.get_by_role("heading", name="我的待辦").is_visible()
