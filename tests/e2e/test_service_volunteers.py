"""Issue 23 (志工) in a browser: the desk signs a volunteer's shift in and out on a phone,
entering the people served and leaflets at sign-out. axe-clean (WCAG 2.1 AA), no sideways
scrolling, and the CSP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from secretariat.service import services
from secretariat.service.models import Shift
from tests.e2e.conftest import assert_accessible, login

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def shift(make_person):
    chief = make_person("sec-desk-chief", "秘書處", "service_desk", "supervisor")
    make_person("sec-desk", "秘書處", "service_desk", display_name="李服務")
    gate = services.add_post(by=chief, name="市府大樓東門")
    volunteer = services.add_volunteer(by=chief, name="白志工", phone="0910-123-456")
    return services.roster_shift(
        by=chief,
        post=gate,
        volunteer=volunteer,
        day=timezone.localdate(),
        starts=dt.time(0, 0),
        ends=dt.time(23, 59),
    )


def _fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_a_volunteer_shift_signed_in_and_out(page, shift):
    page.set_viewport_size(PHONE)
    login(page, "sec-desk")
    page.goto("/service/")
    page.get_by_role("link", name="志工值勤").first.click()
    page.get_by_role("heading", name="志工值勤").wait_for()
    assert_accessible(page)
    _fits(page)
    # The roster shows the name only: the phone is the supervisor's to see.
    assert "0910-123-456" not in page.content()
    page.get_by_role("button", name="簽到：白志工").click()
    page.get_by_text("已簽到").wait_for()
    assert_accessible(page)
    page.get_by_label("服務人次").fill("135")
    page.get_by_label("發送文宣").fill("18")
    page.get_by_role("button", name="簽退").click()
    page.get_by_text("服務 135 人次、發送文宣 18 件").wait_for()
    assert_accessible(page)
    _fits(page)
    done = Shift.objects.get(pk=shift.pk)
    assert done.signed_in_at and done.signed_out_at
    assert (done.people_served, done.leaflets) == (135, 18)
