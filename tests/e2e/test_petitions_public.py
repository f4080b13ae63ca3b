"""A citizen, without signing in: fills the petition form with an attachment, gets the case
number and password once, opens the status page with them, and later reads the replies and
answers the survey. axe-core (WCAG 2.1 AA) on every page and error state."""

from __future__ import annotations

import pytest

from secretariat.cases import services as case_services
from secretariat.cases.models import Case
from secretariat.petitions import services
from secretariat.petitions.catalogue import CONSENT_LABEL
from tests.e2e.conftest import assert_accessible, login

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_citizen_submits_a_petition_and_opens_its_status(page):
    page.goto("/petitions/submit/")
    assert page.get_by_role("heading", name="我要陳情").is_visible()
    assert page.get_by_role("navigation", name="功能模組").count() == 0
    assert_accessible(page)

    page.get_by_label("陳情類別").select_option("roads")
    page.get_by_label("主旨（必填）").fill("松仁路人行道地磚破損")
    page.get_by_label("陳情內容（必填）").fill("信義區松仁路100號前人行道地磚翹起，長者容易絆倒。")
    page.get_by_label("問題發生地點（選填）").fill("臺北市信義區松仁路100號")
    page.get_by_label("附件（選填）").set_input_files(
        {"name": "photo.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.get_by_label("姓名（必填）").fill("王小明")
    page.get_by_label("電子郵件").fill("xiaoming@example.test")
    page.get_by_role("button", name="送出陳情").click()

    # Without consent the form comes back with the reason next to the checkbox.
    assert page.locator("#id_consent_error").get_by_text("請勾選同意").is_visible()
    assert not Case.objects.exists()
    assert_accessible(page)
    page.get_by_label("附件（選填）").set_input_files(
        {"name": "photo.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.get_by_label(CONSENT_LABEL).check()
    page.get_by_role("button", name="送出陳情").click()

    assert page.get_by_role("heading", name="陳情已受理").is_visible()
    number = page.locator("#case-number").inner_text()
    password = page.locator("#case-password").inner_text()
    case = Case.objects.get()
    assert number == case.number and case.attachments.get().original_name == "photo.png"
    assert_accessible(page)

    page.get_by_role("link", name="以案件編號及查詢密碼查詢辦理情形").click()
    page.get_by_label("案件編號").fill(number)
    page.get_by_label("查詢密碼").fill("WRONG234")
    page.get_by_role("button", name="查詢").click()
    assert page.get_by_text("案件編號或查詢密碼不正確。").is_visible()
    assert_accessible(page)

    page.get_by_label("查詢密碼").fill(password)
    page.get_by_role("button", name="查詢").click()
    assert page.get_by_role("heading", name=f"陳情案件 {number}").is_visible()
    assert page.locator("#case-status").inner_text() == "待分辦"
    assert "王小明" not in page.content()
    assert_accessible(page)


def test_citizen_reads_the_replies_and_answers_the_survey(page, make_person, agency):
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
    [assignment] = case_services.route_case(receipt.petition.case, agency("都發局"), by=router)
    case_services.draft_reply(assignment, "單親家庭依規定可加計點數，詳見招租簡章。", by=officer)
    case_services.approve_reply(assignment, by=boss)
    case_services.close_case(receipt.petition.case, by=router)

    page.goto("/petitions/status/")
    page.get_by_label("案件編號").fill(receipt.number)
    page.get_by_label("查詢密碼").fill(receipt.password)
    page.get_by_role("button", name="查詢").click()
    assert page.locator("#case-status").inner_text() == "結案"
    assert page.get_by_role("heading", name="臺北市政府都市發展局（主辦）").is_visible()
    assert page.get_by_text("單親家庭依規定可加計點數").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="送出滿意度調查").click()
    assert page.get_by_text("請選擇 1 至 5 分的滿意度。").is_visible()
    assert_accessible(page)
    page.get_by_label("4 分：滿意").check()
    page.get_by_label("其他意見（選填）").fill("回復清楚。")
    page.get_by_role("button", name="送出滿意度調查").click()
    assert page.get_by_text("感謝您填寫滿意度調查。").is_visible()
    assert page.get_by_text("您已填寫滿意度調查（4 分）").is_visible()
    assert_accessible(page)


def test_router_registers_a_letter_from_the_navigation(page, make_person):
    make_person("sec-clerk", "秘書處", "registry_clerk")
    login(page, "sec-clerk")
    page.get_by_role("navigation", name="功能模組").get_by_role("link", name="陳情收件").click()
    assert page.get_by_role("heading", name="陳情收件登錄").is_visible()
    assert_accessible(page)
    page.get_by_label("來源管道").select_option("letter")
    page.get_by_label("主旨（必填）").fill("建議延長圖書館開放時間")
    page.get_by_label("陳情內容（必填）").fill("建議週末延長開放至晚上9點。")
    page.get_by_role("button", name="登錄").click()
    assert page.get_by_role("heading", name="陳情已受理").is_visible()
    assert page.locator("#case-number").inner_text() == Case.objects.get().number
    assert page.get_by_role("link", name="登錄下一件陳情").is_visible()
    assert_accessible(page)
