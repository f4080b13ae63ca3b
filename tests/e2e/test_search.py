"""The global search box in a real browser: an agency officer types a Simplified query, finds
her agency's petition (and not another agency's) with the words marked, narrows by kind, opens
the case; the page passes axe-core (WCAG 2.1 AA) and fits a phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from secretariat.cases import services as case_services
from tests.e2e.conftest import assert_accessible, login

pytestmark = pytest.mark.usefixtures("search_backend")


@pytest.fixture
def cases(make_person, agency):
    router = make_person("sec-clerk", "秘書處", "registry_clerk")
    make_person("udd-officer", "都發局", "case_officer", display_name="黃承辦")
    mine, theirs = (
        case_services.open_case(
            kind="petition",
            subject=subject,
            body=body,
            channel="letter",
            received_on=dt.date(2026, 11, 2),
            requester={},
        )
        for subject, body in (
            ("巷口違規停車", "松仁路巷口每晚違規停車，影響消防車通行。"),
            ("違規停車檢舉", "另一機關的違規停車案件。"),
        )
    )
    case_services.route_case(mine, agency("都發局"), by=router)
    case_services.route_case(theirs, agency("警察局"), by=router)
    return mine, theirs


def test_the_search_box_finds_what_the_officer_may_see(page, cases):
    mine, theirs = cases
    login(page, "udd-officer")
    page.get_by_role("searchbox", name="全站搜尋").fill("违规停车")
    page.get_by_role("search").get_by_role("button", name="搜尋").click()
    results = page.get_by_role("region", name=re.compile("紀錄"))
    assert results.get_by_role("heading", name="紀錄（1筆）").is_visible()
    hit = results.get_by_role("link", name=re.compile(mine.number))
    assert hit.is_visible()
    assert page.locator("mark", has_text="違規停車").first.is_visible()
    assert page.get_by_text(theirs.number).count() == 0
    assert_accessible(page)

    page.get_by_label("類別").select_option(label="議員質詢")
    page.get_by_role("button", name="搜尋", exact=True).last.click()
    assert page.get_by_text("沒有符合的紀錄").is_visible()
    page.get_by_label("類別").select_option(label="人民陳情")
    page.get_by_label("排序").select_option(label="相關程度")
    with page.expect_navigation():  # the results page, not the one it replaces
        page.get_by_role("button", name="搜尋", exact=True).last.click()
    page.set_viewport_size({"width": 360, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the search page scrolls sideways at phone width by {overflow}px"
    page.get_by_role("link", name=re.compile(mine.number)).click()
    page.wait_for_url(f"**{mine.get_absolute_url()}")
    assert page.get_by_role("heading", name=re.compile(mine.number)).is_visible()
