"""The staff workspace in a real browser: a clerk routes twenty petitions from the 待分辦 queue
with the keyboard only (Tab, typing, arrow keys and Enter: the type-ahead picker); a
supervisor clears 待我核定; on a phone the case lists are cards. Every page state visited
passes axe-core with its best-practice rules too (no violation of any impact)."""

from __future__ import annotations

import datetime as dt

import pytest

from secretariat.cases import services
from secretariat.cases.models import Assignment, CaseStatus
from secretariat.core.models import Notification
from tests.e2e.conftest import PASSWORD, assert_accessible, login

PETITIONS = 20
MAX_TABS = 80


@pytest.fixture
def people(make_person):
    return {
        "router": make_person("sec-clerk", "秘書處", "registry_clerk", display_name="陳收發"),
        "pwd": make_person("pwd-officer", "工務局", "case_officer", display_name="林承辦"),
        "udd": make_person("udd-officer", "都發局", "case_officer", display_name="黃承辦"),
        "udd_boss": make_person("udd-supervisor", "都發局", "supervisor", display_name="吳主管"),
    }


def petition(subject: str, received_on: dt.date | None = None):
    return services.open_case(
        kind="petition",
        subject=subject,
        body=f"{subject}，請儘速處理。",
        channel="letter",
        received_on=received_on,
        requester={"name": "王小明"},
        by=None,
    )


def focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " const text = e.tagName === 'INPUT' ? (e.getAttribute('aria-label') || e.value)"
        " : e.innerText;"
        " return {id: e.id, text: (text || '').trim(), tag: e.tagName}; }"
    )


def tab_to(page, *, id: str = "", text: str = "") -> None:
    """Press Tab until the element with this id (or whose text starts with ``text``) has the
    focus: the keyboard's way to a control."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        if (id and now["id"] == id) or (text and now["text"].startswith(text)):
            return
    raise AssertionError(f"Tab never reached {id or text!r}")


def keyboard_login(page, username: str) -> None:
    page.goto("/accounts/login/")
    tab_to(page, id="id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="我的待辦", level=1).wait_for()


def test_a_clerk_routes_twenty_petitions_from_the_queue_with_the_keyboard_only(page, people):
    cases = [
        petition(f"陳情人行道破損第{n + 1}件", dt.date(2025, 3, 3) + dt.timedelta(days=n))
        for n in range(PETITIONS)
    ]
    keyboard_login(page, "sec-clerk")
    assert_accessible(page, best_practice=True)
    tab_to(page, text="待分辦・人民陳情")
    assert "20件" in focused(page)["text"]
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/?status=pending*")
    assert_accessible(page, best_practice=True)
    tab_to(page, text=cases[0].number)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{cases[0].get_absolute_url()}")

    for n, case in enumerate(cases):
        assert page.get_by_role("heading", level=1).inner_text().startswith(case.number)
        tab_to(page, text="跳到分辦")
        page.keyboard.press("Enter")
        tab_to(page, id="route-lead")
        page.keyboard.type("工務")
        listbox = page.get_by_role("listbox", name="符合的機關").first
        option = listbox.get_by_role("option", name="工務局", exact=False).first
        option.wait_for()
        if n == 0:
            assert (
                page.get_by_role("combobox", name="主辦機關").get_attribute("aria-expanded")
                == "true"
            )
            assert_accessible(page, best_practice=True)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowUp")  # back to the first match: 工務局
        assert option.get_attribute("aria-selected") == "true"
        page.keyboard.press("Enter")  # chooses; does not send the form
        assert page.get_by_role("combobox", name="主辦機關").input_value() == "工務局"
        if n == 0:
            assert_accessible(page, best_practice=True)
        tab_to(page, text="分辦並處理下一件")
        page.keyboard.press("Enter")
        if n + 1 < len(cases):
            page.wait_for_url(f"**{cases[n + 1].get_absolute_url()}")
            page.get_by_text(f"{case.number}：已分辦並通知受分辦機關。").wait_for()
        else:
            page.wait_for_url("**/cases/?status=pending&kind=petition")
            page.get_by_text("人民陳情已沒有待分辦的案件。").wait_for()
            assert_accessible(page, best_practice=True)

    routed = Assignment.objects.filter(case__in=cases, role="lead", agency__short_name="工務局")
    assert routed.count() == PETITIONS
    assert {c.status for c in type(cases[0]).objects.filter(pk__in=[c.pk for c in cases])} == {
        CaseStatus.IN_PROGRESS
    }
    assert Notification.objects.filter(recipient=people["pwd"]).count() == PETITIONS


def test_a_supervisor_clears_the_approval_queue(page, people, agency):
    parts = []
    for n in range(3):
        case = petition(f"陳情違建查報第{n + 1}件")
        (part,) = services.route_case(case, agency("都發局"), by=people["router"])
        services.draft_reply(part, f"已派員查報第{n + 1}件。", by=people["udd"])
        parts.append(part)
    login(page, "udd-supervisor")
    queue = page.get_by_role("link", name="待我核定 3件")
    assert queue.is_visible()
    # Three notices wait: the drafts' (the new-part notices were done when drafted).
    assert page.locator("#notification-badge").inner_text() == "3"
    assert_accessible(page, best_practice=True)
    queue.click()
    page.wait_for_url("**/cases/?queue=approval*")
    assert_accessible(page, best_practice=True)
    for part in parts:
        page.goto("/cases/?queue=approval&order=due")
        page.get_by_role("link", name=part.case.number).click()
        page.get_by_role("button", name="核定回復").click()
        page.get_by_text(f"{part.case.number}：已核定回復。").wait_for()
        if part is parts[0]:
            assert_accessible(page, best_practice=True)
    page.goto("/")
    assert page.get_by_role("link", name="待我核定 0件").is_visible()
    # The notices that asked for the approvals are done: none is unread any more.
    assert page.locator("#notification-badge").inner_text() == "（無未讀）"
    page.goto("/notifications/")
    assert page.get_by_text("【已完成】").count() == 6  # the new parts' and the drafts'
    assert_accessible(page, best_practice=True)


def test_on_a_phone_the_case_lists_are_cards(page, people, agency):
    late = petition("陳情違建未拆除，已多次檢舉仍未處理", dt.date(2025, 3, 3))
    services.route_case(late, agency("都發局"), by=people["router"], on=dt.date(2025, 3, 3))
    for n in range(3):
        petition(f"陳情公園設施損壞第{n + 1}件")
    page.set_viewport_size({"width": 375, "height": 740})
    for username, paths in (
        ("sec-clerk", ["/cases/", "/cases/overdue/", "/", "/cases/requesters/"]),
        ("udd-officer", ["/cases/", "/cases/overdue/"]),
    ):
        login(page, username)
        for path in paths:
            page.goto(path)
            if path == "/cases/requesters/":  # its result is a case list too
                page.get_by_label("陳情人姓名或電話").fill("王小明")
                page.get_by_role("button", name="查詢").click()
                page.get_by_role("region", name="查詢結果").wait_for()
                assert page.locator("table.case-rows tbody tr").count() == 4
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways at phone width by {overflow}px"
            tables = page.locator("table.responsive")
            for i in range(tables.count()):
                row = tables.nth(i).locator("tbody tr").first
                assert row.evaluate("r => getComputedStyle(r).display") == "block", path
                width = row.evaluate("r => r.getBoundingClientRect().width")
                assert width > 300, f"{path}: a card {width}px wide"
            cells = page.locator("table.case-rows td[data-label='主旨']")
            if cells.count():
                label = cells.first.evaluate(
                    "c => getComputedStyle(c, '::before').getPropertyValue('content')"
                )
                assert "主旨" in label
            assert_accessible(page, best_practice=True)
        page.get_by_role("button", name="登出").click()
        page.wait_for_url("**/accounts/login/")
