"""The public side in a real browser, at desktop and phone widths: the home page (我要陳情,
案件查詢, the staff sign-in; staff land on their dashboard), a petition sent with consent to
publication, and the status page's steps through a case's life. axe-core (WCAG 2.1 A/AA and
best practice) finds nothing on any page state."""

from __future__ import annotations

import pytest

from secretariat.cases import selectors as case_selectors
from secretariat.cases import services as case_services
from secretariat.cases.models import Case
from secretariat.core.roc import format_date
from secretariat.petitions import services
from secretariat.petitions.catalogue import CONSENT_LABEL, PUBLICATION_LABEL
from tests.e2e.conftest import assert_accessible, login

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def accessible(page) -> None:
    assert_accessible(page, best_practice=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_page_leads_visitors_to_the_services_and_staff_to_their_dashboard(
    page, make_person, width
):
    page.set_viewport_size(WIDTHS[width])
    make_person("udd-officer", "都發局", "case_officer")
    page.goto("/")
    assert page.get_by_role("heading", name="臺北市政府秘書處", level=1).is_visible()
    assert page.get_by_role("navigation", name="功能模組").count() == 0
    accessible(page)

    # Keyboard only: the first link after the skip link and the site title is 我要陳情.
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "我要陳情"
    page.keyboard.press("Enter")
    page.wait_for_url("**/petitions/submit/")
    assert page.get_by_role("heading", name="我要陳情").is_visible()

    page.goto("/")
    page.get_by_role("link", name="案件查詢").click()
    assert page.get_by_role("heading", name="陳情案件查詢").is_visible()

    page.goto("/")
    page.get_by_role("link", name="登入業務作業平台").click()
    assert page.get_by_role("heading", name="登入").is_visible()
    accessible(page)
    login(page, "udd-officer")
    assert page.get_by_role("heading", name="我的待辦").is_visible()
    page.goto("/")
    assert page.get_by_role("heading", name="我的待辦").is_visible()
    assert page.get_by_role("link", name="登入業務作業平台").count() == 0


def test_a_citizen_agrees_to_publication_on_the_web_form(page):
    page.set_viewport_size(WIDTHS["phone"])
    page.goto("/petitions/submit/")
    page.get_by_label("主旨（必填）").fill("松仁路路燈不亮")
    page.get_by_label("陳情內容（必填）").fill("松仁路100號前路燈已一週不亮。")
    page.get_by_label("問題發生地點（選填）").fill("臺北市信義區松仁路100號")
    page.get_by_label("姓名（必填）").fill("王小明")
    page.get_by_label(CONSENT_LABEL).check()
    page.get_by_role("group", name="公開同意（選填）").get_by_label(PUBLICATION_LABEL).check()
    accessible(page)
    page.get_by_role("button", name="送出陳情").click()
    assert page.get_by_role("heading", name="陳情已受理").is_visible()
    petition = Case.objects.get().petition
    assert petition.publishable and petition.address_string == "臺北市信義區松仁路100號"


def steps(page) -> list[tuple[str, str, bool]]:
    """(label, state, current) of each step shown."""
    items = page.get_by_role("list").filter(has=page.locator(".step-label")).get_by_role("listitem")
    return [
        (
            item.locator(".step-label").inner_text(),
            item.locator(".step-state").inner_text(),
            item.get_attribute("aria-current") == "step",
        )
        for item in items.all()
    ]


def look_up(page, receipt) -> None:
    page.goto("/petitions/status/")
    page.get_by_label("案件編號").fill(receipt.number)
    page.get_by_label("查詢密碼").fill(receipt.password)
    page.get_by_role("button", name="查詢").click()
    page.get_by_role("heading", name=f"陳情案件 {receipt.number}").wait_for()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_status_page_shows_the_steps_done_and_the_next(page, make_person, agency, width):
    page.set_viewport_size(WIDTHS[width])
    router = make_person("sec-clerk", "秘書處", "registry_clerk")
    officer = make_person("udd-officer", "都發局", "case_officer")
    boss = make_person("udd-supervisor", "都發局", "supervisor")
    receipt = services.submit_petition(
        channel="web",
        subject="社會住宅申請資格",
        body="請問單親家庭申請社會住宅是否有加分？",
        category="urban-development",
        requester={"name": "王小明"},
        consent=True,
    )
    case = receipt.petition.case
    received = format_date(case.received_on)

    look_up(page, receipt)
    assert steps(page) == [
        ("收件", f"已完成　{received}", False),
        ("分辦", "目前進行中", True),
        ("機關辦理", "尚未進行", False),
        ("回復", "尚未進行", False),
        ("結案", "尚未進行", False),
    ]
    assert page.locator("#expected-reply").inner_text() == "分辦後6個工作天內"
    accessible(page)

    [part] = case_services.route_case(case, agency("都發局"), by=router)
    page.reload()
    case.refresh_from_db()
    expected = case_selectors.expected_reply(case)
    assert steps(page)[1:3] == [
        ("分辦", f"已完成　{format_date(case.routed_on)}", False),
        ("機關辦理", "目前進行中", True),
    ]
    assert page.locator("#expected-reply").inner_text() == f"{expected}以前"
    assert page.get_by_text(f"各機關辦理中，預計於{expected}以前回復。").is_visible()
    accessible(page)

    case_services.draft_reply(part, "單親家庭依規定可加計點數，詳見招租簡章。", by=officer)
    case_services.approve_reply(part, by=boss)
    page.reload()
    assert [(label, current) for label, _, current in steps(page)][3:] == [
        ("回復", False),
        ("結案", True),
    ]
    assert page.get_by_text("各機關已回復，秘書處確認後結案。").is_visible()
    assert page.get_by_role("heading", name="臺北市政府都市發展局（主辦）").is_visible()
    accessible(page)

    case_services.close_case(case, by=router)
    page.reload()
    case.refresh_from_db()
    assert steps(page)[-1] == ("結案", f"已完成　{format_date(case.closed_on)}", True)
    assert all(state.startswith("已完成") for _, state, _ in steps(page))
    accessible(page)


def test_a_filed_case_shows_its_steps_as_such(page, make_person):
    page.set_viewport_size(WIDTHS["phone"])
    router = make_person("sec-clerk", "秘書處", "registry_clerk")
    receipt = services.submit_petition(
        channel="web", subject="重複陳情", body="同前案。", requester={"name": "王"}, consent=True
    )
    case_services.file_case(receipt.petition.case, "與前案重複", by=router)
    look_up(page, receipt)
    assert [(label, current) for label, _, current in steps(page)] == [
        ("收件", False),
        ("存查", True),
    ]
    assert page.get_by_text("本案已存查，不再分辦或回復；如有疑問，請洽秘書處。").is_visible()
    assert page.get_by_text("與前案重複").count() == 0
    accessible(page)
