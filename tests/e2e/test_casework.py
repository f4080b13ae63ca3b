"""The staff's own work on a case in a real browser: a supervisor keeps a reply template, an
officer fills the draft from it (htmx, no script of ours) and adds an internal note, a router
merges a duplicate petition and looks a requester up, and the history reads as sentences —
every page state passing axe-core with no violation of any impact, under the CSP."""

import pytest

from secretariat.cases import services
from secretariat.core import audit
from tests.e2e.conftest import assert_accessible as assert_axe
from tests.e2e.conftest import login, logout

TEMPLATE_TEXT = "感謝您的來信。本局已派員查修，將於三日內恢復照明。"


@pytest.fixture
def people(make_person):
    return {
        "router": make_person("sec-clerk", "秘書處", "registry_clerk", display_name="陳收發"),
        "pwb": make_person("pwb-officer", "工務局", "case_officer", display_name="黃承辦"),
        "pwb_boss": make_person("pwb-supervisor", "工務局", "supervisor", display_name="吳主管"),
        "auditor": make_person("sec-admin", "秘書處", "secretariat_admin", display_name="蔡稽核"),
    }


def assert_accessible(page) -> None:
    """axe-core with WCAG 2.1 A/AA and the best-practice rules: no violation of any impact."""
    assert_axe(page, best_practice=True)


def new_case(subject: str, name: str):
    return services.open_case(
        kind="petition",
        subject=subject,
        body=f"{subject}，請儘速處理。",
        channel="letter",
        requester={"name": name, "email": "citizen@example.test", "phone": "0912-345-678"},
        by=None,
    )


@pytest.fixture
def cases(people, agency):
    kept = new_case("松仁路路燈不亮", "王小明")
    duplicate = new_case("松仁路路燈整排不亮", "李大華")
    with audit.acting_as(people["router"]):
        for case in (kept, duplicate):
            services.route_case(case, agency("工務局"), by=people["router"])
    return kept, duplicate


def test_templates_notes_merge_and_history_in_the_browser(page, people, cases):
    kept, duplicate = cases

    # A supervisor keeps a reply template for the agency's officers.
    login(page, "pwb-supervisor")
    page.goto("/cases/reply-templates/")
    assert page.get_by_text("尚無回復範本。").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="新增範本").click()
    page.get_by_text("請填寫範本名稱。").first.wait_for()
    assert_accessible(page)
    page.get_by_label("範本名稱").fill("路燈查修")
    page.get_by_label("適用案件類別").select_option(label="人民陳情")
    page.get_by_label("範本內容").fill(TEMPLATE_TEXT)
    page.get_by_role("button", name="新增範本").click()
    page.get_by_text("已新增回復範本「路燈查修」。").wait_for()
    assert page.get_by_role("link", name="路燈查修").is_visible()
    assert_accessible(page)
    logout(page)

    # The officer fills the draft from it and keeps a note for colleagues.
    login(page, "pwb-officer")
    page.goto(kept.get_absolute_url())
    assert_accessible(page)
    reply = page.get_by_label("回復內容")
    assert reply.input_value() == ""
    page.get_by_label("回復範本").select_option(label="路燈查修")
    page.get_by_role("button", name="套用範本").click()
    page.wait_for_function(
        "text => document.querySelector('textarea[name=reply_text]').value === text",
        arg=TEMPLATE_TEXT,
    )
    # The officer goes on writing in the text: htmx moves the focus there (autofocus).
    page.wait_for_function("() => document.activeElement.name === 'reply_text'")
    assert_accessible(page)
    page.get_by_label("回復內容").fill(TEMPLATE_TEXT + "如有疑問請洽本局。")
    page.get_by_role("button", name="送核").click()
    page.get_by_text("已儲存回復稿").wait_for()

    page.get_by_role("button", name="新增註記").click()
    page.get_by_text("請填寫註記內容。").wait_for()
    assert page.get_by_label("註記內容").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.get_by_label("註記內容").fill("已聯繫台電，待其更換變壓器。")
    page.get_by_label("可見範圍").select_option(label="僅限 工務局")
    page.get_by_role("button", name="新增註記").click()
    page.get_by_text("已新增內部註記。").wait_for()
    notes = page.get_by_role("region", name="內部註記")
    assert notes.get_by_text("已聯繫台電，待其更換變壓器。").is_visible()
    assert notes.get_by_text("僅限 工務局").first.is_visible()
    assert_accessible(page)
    logout(page)

    # The router merges the duplicate into it and looks a requester up.
    login(page, "sec-clerk")
    page.goto(duplicate.get_absolute_url())
    page.get_by_label("併入案號").fill("陳115999999")
    page.get_by_label("併案理由").fill("同一路段重複陳情")
    page.get_by_role("button", name="併案", exact=True).click()
    page.get_by_text("查無案號 陳115999999，或您無權檢視該案。").wait_for()
    assert_accessible(page)
    page.get_by_label("併入案號").fill(kept.number)
    page.get_by_role("button", name="併案", exact=True).click()
    page.get_by_text("已併案").wait_for()
    assert page.get_by_role("link", name=kept.number).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=kept.number).click()
    merged = page.get_by_role("region", name="併入本案的案件")
    assert merged.get_by_role("link", name=duplicate.number).is_visible()
    merged.get_by_text(f"{duplicate.number} 陳情內容").click()
    assert merged.get_by_text("松仁路路燈整排不亮，請儘速處理。").is_visible()

    # The history reads as sentences, for the router without the raw entries.
    story = page.get_by_role("region", name="異動紀錄")
    text = story.inner_text()
    for sentence in (
        "陳收發　分辦：主辦 工務局，期限",
        "黃承辦　擬復（工務局）",
        "黃承辦　新增內部註記（僅限 工務局）",
        f"陳收發　併案：{duplicate.number} 併入本案，理由：同一路段重複陳情",
    ):
        assert sentence in text, sentence
    assert "transition:" not in text and "agency_id" not in text
    assert story.locator("details").count() == 0
    assert_accessible(page)

    page.goto("/cases/requesters/")
    assert_accessible(page)
    page.get_by_label("陳情人姓名或電話").fill("李大華")
    page.get_by_role("button", name="查詢").click()
    results = page.get_by_role("region", name="查詢結果")
    assert results.get_by_role("link", name=duplicate.number).is_visible()
    assert results.get_by_text("李○華").is_visible()
    assert_accessible(page)
    logout(page)

    # An auditor opens the raw entries one click away.
    login(page, "sec-admin")
    page.goto(kept.get_absolute_url())
    story = page.get_by_role("region", name="異動紀錄")
    first = story.locator("details").first
    first.locator("summary").click()
    assert first.locator("code", has_text=f"cases.case#{kept.pk}").is_visible()
    assert_accessible(page)
