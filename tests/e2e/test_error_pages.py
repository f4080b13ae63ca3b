"""The project's error pages in a real browser, with DEBUG off as the live server runs: the 404
and 403 pages in the site's shell (with the navigation once signed in), the 500 page in its
plain shell; each passes axe (WCAG 2.1 AA) and the Content-Security-Policy."""

import pytest

from tests.e2e.conftest import assert_accessible, login


def test_not_found_and_forbidden_pages(page, make_person):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name="查無此頁").is_visible()
    assert page.get_by_role("link", name="回到首頁").is_visible()
    assert_accessible(page)

    make_person("udd-officer", "都發局", "case_officer")
    login(page, "udd-officer")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("navigation", name="功能模組").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="回到我的待辦").click()
    assert page.get_by_role("heading", name="我的待辦").is_visible()

    response = page.goto("/system/status/")
    assert response.status == 403
    assert page.get_by_role("heading", name="沒有權限").is_visible()
    assert_accessible(page)


@pytest.mark.urls("tests.core.test_error_pages")  # the project's URLs and a page that fails
def test_server_error_page(page):
    response = page.goto("/boom/")
    assert response.status == 500
    assert page.get_by_role("heading", name="系統發生錯誤").is_visible()
    assert_accessible(page)
