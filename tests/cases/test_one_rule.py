"""One rule, one place: on one seeded set of cases, every reader of the engine — the case list
page, the escalation page, the export, the dashboard, the API, the report and the search index
— agrees on what is overdue, which agency is the lead (after 改分), what a part's deadline is,
and who is the Secretariat."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from secretariat.cases import deadlines, selectors, services
from secretariat.cases.registrations import pending_cases
from secretariat.core import roc
from secretariat.core.permissions import is_secretariat_staff

pytestmark = pytest.mark.django_db

RECEIVED = dt.date(2025, 3, 3)


@pytest.fixture
def seeded(staff, agency):
    """Five routed petitions: two overdue today (one of them moved by 改分 to 警察局), one
    replied late, one replied on time, one still within its deadline."""

    def petition(subject, on=RECEIVED):
        return services.open_case(
            "petition", subject=subject, body=f"{subject}。", channel="letter", received_on=on
        )

    today = timezone.localdate()
    overdue = petition("路燈不亮")
    services.route_case(overdue, agency("都發局"), by=staff["router"], on=RECEIVED)
    moved = petition("違規停車")
    (old,) = services.route_case(moved, agency("都發局"), by=staff["router"], on=RECEIVED)
    services.reroute_part(old, agency("警察局"), "屬警察局權責。", by=staff["router"], on=RECEIVED)
    late = petition("人行道破損")
    (part,) = services.route_case(late, agency("都發局"), by=staff["router"], on=RECEIVED)
    services.draft_reply(part, "已修復。", by=staff["udd"])
    services.approve_reply(part, by=staff["udd_boss"], on=dt.date(2025, 4, 30))
    on_time = petition("公園樹木")
    (part,) = services.route_case(on_time, agency("都發局"), by=staff["router"], on=RECEIVED)
    services.draft_reply(part, "已修剪。", by=staff["udd"])
    services.approve_reply(part, by=staff["udd_boss"], on=dt.date(2025, 3, 5))
    fresh = petition("噪音", on=today)
    services.route_case(fresh, agency("都發局"), by=staff["router"], on=today)
    return {"overdue": overdue, "moved": moved, "late": late, "on_time": on_time, "fresh": fresh}


def numbers(*cases) -> set[str]:
    return {case.number for case in cases}


def test_overdue_is_the_same_everywhere(client, staff, seeded):
    expected = numbers(seeded["overdue"], seeded["moved"])
    now = timezone.now()
    escalation = {part.case.number for part in selectors.overdue_assignments(staff["router"], now)}
    assert escalation == expected
    listed = selectors.case_list_for(staff["router"], now, status="", overdue=True)
    assert {case.number for case in listed} == expected
    client.force_login(staff["router"])
    page = client.get("/cases/", {"status": "", "overdue": "on"}).content.decode()
    assert all(number in page for number in expected)
    assert seeded["late"].number not in page and seeded["fresh"].number not in page
    exported = csv.reader(io.StringIO(client.get("/cases/export.csv", {"status": ""}).text))
    flagged = {row[0] for row in exported if "已逾期" in row}
    assert flagged == expected
    api = client.get("/api/v1/cases", {"status": "", "overdue": True}).json()
    assert {item["number"] for item in api["items"]} == expected and api["count"] == 2
    # The agency sees the same rule on its own parts (the moved case is 警察局's now).
    udd = {item.title.split("（")[0] for item in pending_cases(staff["udd"]) if item.overdue}
    assert udd == numbers(seeded["overdue"])
    # The report's late parts: the overdue ones and the one replied after its deadline.
    late = selectors.late_parts("petition", RECEIVED, RECEIVED, timezone.localdate())
    assert {part.case.number for part in late} == expected | numbers(seeded["late"])


def test_the_lead_after_reassignment_is_the_same_everywhere(client, staff, seeded, agency):
    moved = seeded["moved"]
    assert moved.current_lead.agency == agency("警察局")
    counts = selectors.count_by_lead_agency("petition", RECEIVED, RECEIVED)
    assert counts.rows == {"都發局": 3, "警察局": 1}
    client.force_login(staff["router"])
    assert client.get(f"/api/v1/cases/{moved.number}").json()["lead_agency"] == "警察局"
    listed = selectors.case_list_for(staff["router"], timezone.now(), status="")
    assert listed.get(number=moved.number).lead_agency == "警察局"
    from secretariat.search.models import SearchDocument

    assert SearchDocument.objects.get(object_id=moved.pk).agency_id == agency("警察局").pk


def test_a_parts_deadline_is_the_same_everywhere(client, staff, seeded):
    case = seeded["overdue"]
    expected = deadlines.part_deadline(case, RECEIVED)
    assert expected.due_on == dt.date(2025, 3, 11)  # 6 working days from the next working day
    client.force_login(staff["router"])
    (part,) = client.get(f"/api/v1/cases/{case.number}").json()["parts"]
    assert dt.date.fromisoformat(part["due_on"]) == expected.due_on
    page = client.get(case.get_absolute_url()).content.decode()
    assert roc.format_date(expected.due_on) in page


def test_the_secretariat_is_one_rule(staff, make_person):
    assert is_secretariat_staff(staff["router"])
    assert not is_secretariat_staff(staff["udd"])
    # Only the Secretariat's own staff route; an agency's 收發 does not.
    udd_clerk = make_person("udd-clerk", "都發局", "registry_clerk")
    assert selectors.is_router(staff["router"], "petition")
    assert not selectors.is_router(udd_clerk, "petition")
