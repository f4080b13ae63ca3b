"""Every council page over the demo records, for the Secretariat's 府會 staff and for an agency
officer: axe-core (WCAG 2.1 AA) finds nothing, and no page scrolls sideways at phone width."""

from django.core.management import call_command

from secretariat.council.models import DataRequest, QuestionEvent
from tests.e2e.conftest import assert_accessible, login, logout

DEMO_PASSWORD = "taipei-demo-115"


def visit_all(page, paths) -> None:
    for path in paths:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        assert_accessible(page)
        page.set_viewport_size({"width": 360, "height": 740})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at phone width by {overflow}px"


def test_council_pages_pass_axe_for_staff_and_agencies(page):
    call_command("demo", verbosity=0)
    event = QuestionEvent.objects.get()
    urgent = DataRequest.objects.get(urgency="urgent")
    login(page, "sec-council", DEMO_PASSWORD)
    visit_all(
        page,
        [
            "/council/",
            "/council/events/",
            f"/council/events/{event.pk}/",
            "/council/requests/",
            f"/council/requests/{urgent.case.number}/",
            "/council/service/",
            "/council/councillors/",
            "/council/engagements/",
            "/media/schedule/",
            f"/cases/{urgent.case.number}/",
        ],
    )
    logout(page)
    login(page, "police-officer", DEMO_PASSWORD)
    visit_all(page, ["/council/requests/", f"/council/requests/{urgent.case.number}/"])
    assert page.get_by_role("button", name="提出爭議").is_visible()
