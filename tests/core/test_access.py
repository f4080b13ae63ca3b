"""Agency scope on pages: a person sees only their agency's records unless a role grants more."""

import pytest

from secretariat.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_person):
    return {
        "udd": make_person("udd-officer", "都發局", "case_officer"),
        "police": make_person("police-officer", "警察局", "case_officer"),
    }


def test_a_person_of_another_agency_is_not_found(client, people):
    client.force_login(people["udd"])
    assert client.get(f"/people/{people['police'].pk}/").status_code == 404
    assert client.get(f"/people/{people['udd'].pk}/").status_code == 200
    listing = client.get("/people/").content.decode()
    assert "udd-officer" in listing and "police-officer" not in listing


def test_administrators_see_all_agencies(client, people, admin):
    client.force_login(admin)
    assert client.get(f"/people/{people['police'].pk}/").status_code == 200


def test_record_page_shows_its_audit_trail(client, people, admin):
    client.force_login(admin)
    page = client.get(f"/people/{people['udd'].pk}/").content.decode()
    assert "異動紀錄" in page and "case_officer" in page


def test_audit_pages_are_for_administrators(client, people, admin):
    client.force_login(people["udd"])
    assert client.get("/audit/").status_code == 403
    assert client.post("/audit/verify/").status_code == 403
    client.force_login(admin)
    assert client.get("/audit/").status_code == 200
    assert "稽核鏈完整" in client.post("/audit/verify/").content.decode()


def test_agency_users_read_only_their_agency_audit_entries(people):
    from secretariat.core.selectors import audit_entries_for

    visible = audit_entries_for(people["udd"])
    assert visible.exists()
    assert set(visible.values_list("agency_id", flat=True)) == {people["udd"].agency_id}
    assert AuditEntry.objects.exclude(agency_id=people["udd"].agency_id).exists()


def test_only_administrators_add_calendar_closures(client, people):
    client.force_login(people["udd"])
    client.post("/calendar/", {"date": "115/09/15", "kind": "closure", "reason": "颱風"})
    from secretariat.core.models import CalendarAdjustment

    assert not CalendarAdjustment.objects.exists()


def test_search_finds_agencies_and_only_visible_people(client, people):
    client.force_login(people["udd"])
    page = client.get("/search/", {"q": "警察"}).content.decode()
    assert "臺北市政府警察局" in page
    assert "police-officer" not in client.get("/search/", {"q": "police"}).content.decode()
    assert "udd-officer" in client.get("/search/", {"q": "udd"}).content.decode()


def test_calendar_form_reports_bad_dates_by_field(client, admin):
    client.force_login(admin)
    page = client.post(
        "/calendar/", {"date": "115/13/01", "kind": "closure", "reason": "颱風"}
    ).content.decode()
    assert "115年13月1日不存在（月份為1至12）" in page
