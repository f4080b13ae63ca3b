"""The case engine in a real browser: the Secretariat routes a case to a lead and a co-agency
from its page, the lead's officer drafts the reply and the supervisor approves it; the list,
the case page and the escalation list pass axe-core (WCAG 2.1 AA) and fit a phone."""

import datetime as dt

import pytest

from secretariat.cases import services
from tests.e2e.conftest import assert_accessible, login, logout, pick


@pytest.fixture
def people(make_person):
    return {
        "router": make_person("sec-clerk", "秘書處", "registry_clerk", display_name="陳收發"),
        "udd": make_person("udd-officer", "都發局", "case_officer", display_name="黃承辦"),
        "udd_boss": make_person("udd-supervisor", "都發局", "supervisor", display_name="吳主管"),
        "police": make_person("police-officer", "警察局", "case_officer", display_name="許承辦"),
    }


def new_case(subject: str, **extra):
    return services.open_case(
        kind="petition",
        subject=subject,
        body=f"{subject}，請儘速處理。",
        channel="letter",
        requester={"name": "王小明", "email": "a@example.test"},
        by=None,
        **extra,
    )


def test_route_draft_and_approve_in_the_browser(page, people):
    case = new_case("陳情人行道破損")
    login(page, "sec-clerk")
    page.get_by_role("navigation", name="功能模組").get_by_role("link", name="分辦列管").click()
    assert page.get_by_role("heading", name="各機關未結分辦概況").is_visible()
    assert page.get_by_role("cell", name="王○明").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name=case.number).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith(case.number)
    assert_accessible(page)
    # Routing without a lead agency: the engine's form says so beside the field (htmx).
    page.get_by_role("button", name="分辦", exact=True).click()
    lead = page.get_by_label("主辦機關")
    page.get_by_text("請選擇主辦機關。").wait_for()
    assert lead.get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    pick(page, "主辦機關", "都發局")
    pick(page, "協辦機關（可複選）", "警察局")
    assert page.get_by_role("button", name="移除 警察局").is_visible()
    page.get_by_role("button", name="分辦", exact=True).click()
    page.get_by_text("已分辦並通知受分辦機關").wait_for()
    assert page.get_by_role("heading", name="都發局（主辦）").is_visible()
    assert page.get_by_role("heading", name="警察局（協辦）").is_visible()
    assert_accessible(page)
    logout(page)

    login(page, "udd-officer")
    page.goto(case.get_absolute_url())
    assert page.get_by_role("heading", name="警察局（協辦）").count() == 0
    page.get_by_label("回復內容").fill("已派員修復人行道。")
    page.get_by_role("button", name="送核").click()
    page.get_by_text("已儲存回復稿").wait_for()
    assert page.get_by_role("heading", name="回復稿（待核）").is_visible()
    logout(page)

    login(page, "udd-supervisor")
    page.goto(case.get_absolute_url())
    reply = page.get_by_label("回復內容")
    assert reply.input_value() == "已派員修復人行道。"
    reply.fill("已派員修復人行道，並將加強巡查。")
    page.get_by_role("button", name="核定回復").click()
    page.get_by_text("已核定回復").wait_for()
    assert page.get_by_role("heading", name="回復內容", exact=True).is_visible()
    assert page.get_by_text("已派員修復人行道，並將加強巡查。", exact=True).is_visible()
    assert page.get_by_role("cell", name="已回復", exact=True).is_visible()


def test_requester_revealed_with_htmx(page, people, agency):
    case = new_case("陳情路燈不亮")
    services.route_case(case, agency("都發局"), by=people["router"])
    login(page, "udd-officer")
    page.goto(case.get_absolute_url())
    assert page.get_by_text("王○明").is_visible()
    page.get_by_role("button", name="顯示陳情人資料").click()
    page.get_by_text("姓名：王小明").wait_for()
    assert page.get_by_text("本次檢視已記錄於稽核紀錄。").is_visible()
    assert_accessible(page)


def test_escalation_list_and_phone_width(page, people, agency):
    late = new_case("陳情違建未拆", received_on=dt.date(2025, 3, 3))
    services.route_case(late, agency("都發局"), by=people["router"], on=dt.date(2025, 3, 3))
    login(page, "sec-clerk")
    page.goto("/cases/overdue/")
    assert page.get_by_role("heading", name="逾期分辦清單").is_visible()
    assert page.get_by_role("link", name=late.number).is_visible()
    assert_accessible(page)

    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/cases/", late.get_absolute_url(), "/cases/overdue/"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at phone width by {overflow}px"
