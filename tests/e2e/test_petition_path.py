"""Issue 3 acceptance, the whole path in one browser: a citizen submits on the public form →
the Secretariat routes it to a lead and a co-agency → both agencies draft replies → their
supervisors approve → the citizen reads both replies with the case number and password.
Every page on the way passes axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

import pytest
from django.core import mail

from secretariat.cases.models import Case
from secretariat.petitions.catalogue import CONSENT_LABEL
from tests.core.test_jobs import run_worker
from tests.e2e.conftest import assert_accessible, login, logout, pick


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(make_person):
    return [
        make_person("sec-clerk", "秘書處", "registry_clerk", display_name="陳收發"),
        make_person("udd-officer", "都發局", "case_officer", display_name="黃承辦"),
        make_person("udd-supervisor", "都發局", "supervisor", display_name="吳主管"),
        make_person("police-officer", "警察局", "case_officer", display_name="許承辦"),
        make_person("police-supervisor", "警察局", "supervisor", display_name="賴主管"),
    ]


def reply_as(page, officer: str, supervisor: str, number: str, draft: str, final: str) -> None:
    login(page, officer)
    page.goto("/cases/")
    page.get_by_role("link", name=number).click()
    page.get_by_label("回復內容").fill(draft)
    page.get_by_role("button", name="送核").click()
    page.get_by_text("已儲存回復稿").wait_for()
    assert_accessible(page)
    logout(page)

    login(page, supervisor)
    page.goto("/cases/")
    page.get_by_role("link", name=number).click()
    reply = page.get_by_label("回復內容")
    assert reply.input_value() == draft
    reply.fill(final)
    page.get_by_role("button", name="核定回復").click()
    page.get_by_text("已核定回復").wait_for()
    assert page.get_by_text(final, exact=True).is_visible()
    logout(page)


def test_citizen_to_two_agencies_and_back(page, people):
    # 1. The citizen, not signed in, files on the public form.
    page.goto("/petitions/submit/")
    page.get_by_label("陳情類別").select_option("roads")
    page.get_by_label("主旨（必填）").fill("和平東路巷口違規停車及路面坑洞")
    page.get_by_label("陳情內容（必填）").fill(
        "大安區和平東路二段巷口長期有車輛違規停放，路面也有坑洞，請取締並修補。"
    )
    page.get_by_label("姓名（必填）").fill("王小明")
    page.get_by_label("電子郵件").fill("xiaoming@example.test")
    page.get_by_label(CONSENT_LABEL).check()
    page.get_by_role("button", name="送出陳情").click()
    assert page.get_by_role("heading", name="陳情已受理").is_visible()
    number = page.locator("#case-number").inner_text()
    password = page.locator("#case-password").inner_text()
    assert number.startswith("陳") and len(password) >= 8
    run_worker()  # the mail queue
    [receipt] = mail.outbox
    assert receipt.to == ["xiaoming@example.test"]
    assert f"案件編號：{number}" in receipt.body and f"查詢密碼：{password}" in receipt.body

    # 2. The Secretariat routes it: 都發局 leads, 警察局 assists.
    login(page, "sec-clerk")
    page.goto("/cases/")
    page.get_by_role("link", name=number).click()
    assert page.get_by_text("王○明").is_visible()  # masked until revealed
    pick(page, "主辦機關", "都發局")
    pick(page, "協辦機關（可複選）", "警察局")
    page.get_by_role("button", name="分辦", exact=True).click()
    page.get_by_text("已分辦並通知受分辦機關").wait_for()
    assert page.get_by_role("heading", name="都發局（主辦）").is_visible()
    assert page.get_by_role("heading", name="警察局（協辦）").is_visible()
    assert_accessible(page)
    logout(page)

    # 3. Both agencies reply: the officer drafts, the supervisor edits and approves.
    reply_as(
        page,
        "udd-officer",
        "udd-supervisor",
        number,
        "已通知養護單位修補坑洞。",
        "本局已通知養護單位於一週內修補路面坑洞。",
    )
    reply_as(
        page,
        "police-officer",
        "police-supervisor",
        number,
        "已加強取締。",
        "本局已將該巷口列為違規停車重點取締路段。",
    )
    case = Case.objects.get(number=number)
    assert case.status == "replied"
    run_worker()
    reply_mail = [m for m in mail.outbox if m is not receipt]
    assert reply_mail and all(m.to == ["xiaoming@example.test"] for m in reply_mail)
    assert any("一週內修補路面坑洞" in m.body for m in reply_mail)

    # 4. The citizen reads both replies with the number and password.
    page.goto("/petitions/status/")
    page.get_by_label("案件編號").fill(number)
    page.get_by_label("查詢密碼").fill(password)
    page.get_by_role("button", name="查詢").click()
    assert page.get_by_role("heading", name=f"陳情案件 {number}").is_visible()
    assert page.locator("#case-status").inner_text() == "已回復"
    assert page.get_by_role("heading", name="臺北市政府都市發展局（主辦）").is_visible()
    assert page.get_by_role("heading", name="臺北市政府警察局（協辦）").is_visible()
    assert page.get_by_text("本局已通知養護單位於一週內修補路面坑洞。").is_visible()
    assert page.get_by_text("本局已將該巷口列為違規停車重點取締路段。").is_visible()
    assert "已加強取締。" not in page.content()  # drafts never reach the citizen
    assert_accessible(page)
