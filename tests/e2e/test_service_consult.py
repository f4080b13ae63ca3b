"""Issue 23 (專業諮詢) in a browser: a citizen books a legal consultation on a phone with a
name and a phone number only, and the desk sees the booking on the session's day. axe-clean
(WCAG 2.1 AA), no sideways scrolling on a phone, and the CSP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from secretariat.service import services
from secretariat.service.models import Booking, BookingChannel, Mode
from tests.e2e.conftest import assert_accessible, login

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def session(make_person):
    chief = make_person("sec-desk-chief", "秘書處", "service_desk", "supervisor")
    make_person("sec-desk", "秘書處", "service_desk", display_name="李服務")
    lawyers = services.add_association(by=chief, name="臺北律師公會", profession="legal")
    lawyer = services.add_professional(by=chief, association=lawyers, name="吳律師")
    return services.add_session(
        by=chief,
        association=lawyers,
        professional=lawyer,
        day=timezone.localdate() + dt.timedelta(days=1),
        starts=dt.time(14, 0),
        ends=dt.time(17, 0),
        mode=Mode.FACE_TO_FACE,
        place="聯合服務中心專業諮詢室",
        capacity=3,
    )


def _fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_a_citizen_books_a_legal_consultation(page, session):
    page.set_viewport_size(PHONE)
    page.goto("/service/consult/book/")
    page.get_by_role("heading", name="免費專業諮詢預約").wait_for()
    assert_accessible(page)
    _fits(page)
    # Nothing chosen: the page says what is missing, beside the fields.
    page.get_by_role("button", name="預約").click()
    page.get_by_text("請選擇諮詢時段。").wait_for()
    assert_accessible(page)
    page.get_by_label("諮詢時段").select_option(value=str(session.pk))
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("聯絡電話").fill("0912-345-678")
    page.get_by_role("button", name="預約").click()
    page.get_by_text("序號第1號").wait_for()
    assert "臺北律師公會" in page.locator(".messages").inner_text()
    assert_accessible(page)
    _fits(page)
    booking = Booking.objects.get()
    assert (booking.name, booking.phone, booking.channel) == (
        "王小明",
        "0912-345-678",
        BookingChannel.ONLINE,
    )

    # The desk sees it on the session's day, with the phone to call for the reminder.
    login(page, "sec-desk")
    page.goto(f"/service/consult/?day={session.day.isoformat()}")
    item = page.get_by_role("listitem").filter(has_text="王小明")
    item.get_by_text("0912-345-678").wait_for()
    assert_accessible(page)
    _fits(page)
