"""公文交換 in a real browser: the Secretariat's 收發 dispatches a sealed 函 (發文 on the
document's page) electronically; it reaches 民政局's 收發 at once; the clerk opens it from 待簽收 and signs for it (簽收) on the page; the 收文 is
registered; the sender's 發文交換 and the document's exchange log show 已簽收. Every page
passes axe-core and does not scroll sideways at phone width."""

from __future__ import annotations

from secretariat.exchange.models import Exchange, State
from tests.e2e.conftest import assert_accessible, login, logout, step
from tests.exchange.conftest import CIVIL_AFFAIRS_CODE
from tests.exchange.flow import exchanges_of, sealed_letter


def _phone_width(page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways at phone width by {overflow}px"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_letter_exchanged_inside_the_platform_is_signed_for(
    page, office, codes, receiver_clerk, outbox
):
    document = sealed_letter(office)
    login(page, office.clerk.username)
    page.goto(document.get_absolute_url())
    step(page, "dispatch", pin=office.pin)
    exchange = exchanges_of(document)[CIVIL_AFFAIRS_CODE]
    assert exchange.state == State.DELIVERED
    logout(page)

    login(page, receiver_clerk.username)
    page.goto("/exchange/")
    assert_accessible(page)
    _phone_width(page)
    page.get_by_role("link", name="臺北市政府秘書處", exact=True).click()
    page.get_by_role("heading", name="簽收").wait_for()
    assert page.locator("#exchange-state").inner_text() == "已送達"
    assert_accessible(page)
    _phone_width(page)
    page.locator("#id_signing_mode").select_option(label="紙本簽核")
    page.get_by_role("button", name="簽收").click()
    page.locator(".msg-success").wait_for()

    exchange = Exchange.objects.get(pk=exchange.pk)
    received = exchange.received_document
    assert exchange.state == State.SIGNED
    assert page.get_by_role("heading", level=1).inner_text().startswith(received.reference)
    assert received.sender_number == document.reference

    logout(page)
    login(page, office.clerk.username)
    page.goto("/exchange/")
    outbox_table = page.get_by_role("region", name="發文交換")
    assert "已簽收" in outbox_table.inner_text()
    page.goto(f"/exchange/documents/{document.agency.code}/{document.number}/")
    assert "已簽收" in page.get_by_role("heading", level=2).first.inner_text()
    assert_accessible(page)
    _phone_width(page)
