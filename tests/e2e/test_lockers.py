"""文件智取櫃 in a real browser: the sending 收發 packs two paper letters at phone width and
prints the cover; a courier deposits the package at the bank's kiosk (tablet size, paired
with the bank's key) and the bank's controller acknowledges through its API; the receiving
收發 gets a pickup code, picks the package up at the kiosk and signs for it — both letters
are then 收文 of 警察局. axe-core finds nothing on any page; no page scrolls sideways."""

from __future__ import annotations

import re

import pytest

from secretariat.lockers.models import Package, Status
from tests.e2e.conftest import assert_accessible, login, logout
from tests.lockers.conftest import make_office

PASSWORD = "correct-horse-115"
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}


@pytest.fixture
def office(make_person):
    return make_office(make_person)


def fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def acknowledge(page, key: str) -> None:
    """The bank's controller: fetch the waiting command and report the door opened."""
    headers = {"X-Locker-Key": key}
    (command,) = page.request.get("/api/v1/lockers/controller/commands", headers=headers).json()
    answer = page.request.post(
        f"/api/v1/lockers/controller/commands/{command['id']}/ack",
        headers=headers,
        data={"opened": True},
    )
    assert answer.ok, answer.text()


def test_package_deposit_pickup_and_sign(page, browser, live_server, office, csp_violations):
    first = office.letter("檢送文書講習講義，請查照。")
    second = office.letter("有關公務車輛停放調整一案，請查照。")

    # The sending 收發, on a phone: pack both letters for 警察局.
    page.set_viewport_size(PHONE)
    login(page, office.clerk.username, PASSWORD)
    page.goto("/lockers/")
    page.get_by_label("受文機關").select_option(label="臺北市政府警察局")
    page.get_by_role("button", name="列出待打包公文").click()
    page.get_by_label(re.compile("檢送文書講習講義")).check()
    page.get_by_label(re.compile("公務車輛停放")).check()
    assert_accessible(page)
    fits(page)
    page.get_by_role("button", name="打包並產生封面").click()
    page.locator(".msg-success").wait_for()
    package = Package.objects.get()
    assert page.get_by_role("heading", level=1).inner_text() == f"包件 {package.number}"
    assert_accessible(page)
    fits(page)
    cover = page.request.get(f"/lockers/packages/{package.pk}/cover.pdf")
    assert cover.headers["content-type"] == "application/pdf"
    logout(page)

    # The kiosk, a tablet at the bank: paired once, then the courier scans the cover.
    kiosk_context = browser.new_context(base_url=live_server.url, locale="zh-TW")
    kiosk = kiosk_context.new_page()
    kiosk.on(
        "console",
        lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    kiosk.set_viewport_size(TABLET)
    kiosk.goto(f"/lockers/kiosk/{office.bank.code}/")
    kiosk.get_by_label("櫃組金鑰").fill(office.key)
    assert_accessible(kiosk)
    kiosk.get_by_role("button", name="配對").click()
    kiosk.get_by_label(re.compile("包件條碼")).fill(package.token)
    assert_accessible(kiosk)
    fits(kiosk)
    kiosk.get_by_role("button", name="投遞").click()
    opened = kiosk.locator(".msg-success")
    assert re.search(r"第 [0-9]+ 格正在開啟，請放入包件", opened.inner_text())
    acknowledge(kiosk, office.key)
    package.refresh_from_db()
    assert package.status == Status.DEPOSITED

    # The receiving 收發, on a phone: a pickup code for the kiosk.
    login(page, office.police_clerk.username, PASSWORD)
    page.goto("/lockers/pickups/")
    assert_accessible(page)
    fits(page)
    page.get_by_role("link", name=package.number).click()
    page.get_by_role("button", name="產生新的取件碼").click()
    code = page.locator("#pickup-code").inner_text()
    assert re.fullmatch(r"[0-9]{8}", code)
    assert_accessible(page)

    kiosk.get_by_label(re.compile("取件碼")).fill(code)
    kiosk.get_by_role("button", name="取件").click()
    assert "請取出包件" in kiosk.locator(".msg-success").inner_text()
    acknowledge(kiosk, office.key)
    kiosk_context.close()

    # 簽收: both letters become 收文 of 警察局.
    page.reload()
    page.get_by_label("收文簽核方式").select_option(label="紙本簽核")
    assert_accessible(page)
    fits(page)
    page.get_by_role("button", name="簽收並登錄收文").click()
    assert "已簽收，登錄收文 2 件" in page.locator(".msg-success").inner_text()
    package.refresh_from_db()
    assert package.status == Status.SIGNED
    received = [item.received for item in package.items.order_by("pk")]
    assert [d.sender_number for d in received] == [first.reference, second.reference]
    page.get_by_role("link", name=received[0].number).click()
    assert first.subject in page.content()
    assert_accessible(page)
