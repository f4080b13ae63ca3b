"""The REST API: OpenAPI schema, token and session auth, one error format, agency scope."""

import datetime as dt

import pytest
from django.utils import timezone

from secretariat.core import services
from secretariat.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_person):
    return {
        "udd": make_person("udd-officer", "都發局", "case_officer"),
        "udd2": make_person("udd-other", "都發局", "supervisor"),
        "police": make_person("police-officer", "警察局", "case_officer"),
    }


def bearer(user, name="系統介接"):
    _, key = services.issue_api_token(user, name, by=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_openapi_schema_and_docs_page(client, admin):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert "/api/v1/agencies" in schema["paths"] and "/api/v1/calendar/due-date" in schema["paths"]
    client.force_login(admin)
    page = client.get("/api/v1/docs").content.decode()
    assert "/api/v1/calendar/due-date" in page and "Authorization: Bearer" in page


def test_unauthenticated_requests_get_the_error_format(client, registry):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {
        "code": "unauthenticated",
        "message": "請先登入或提供有效的 API 權杖。",
        "fields": {},
    }


def test_token_auth(client, people):
    response = client.get("/api/v1/me", **bearer(people["udd"]))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "udd-officer" and body["roles"] == ["case_officer"]


def test_revoked_and_expired_tokens_are_refused(client, people):
    token, key = services.issue_api_token(people["udd"], "舊系統", by=None)
    services.revoke_api_token(token, by=people["udd"])
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    _, key = services.issue_api_token(
        people["udd"], "過期", by=None, expires_at=timezone.now() - dt.timedelta(days=1)
    )
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer nonsense.key").status_code == 401


def test_people_are_scoped_to_the_agency(client, people):
    auth = bearer(people["udd"])
    listed = {p["username"] for p in client.get("/api/v1/people", **auth).json()}
    assert listed == {"udd-officer", "udd-other"}
    response = client.get(f"/api/v1/people/{people['police'].pk}", **auth)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_administrators_see_every_agency(client, people, admin):
    listed = {p["username"] for p in client.get("/api/v1/people", **bearer(admin)).json()}
    assert {"udd-officer", "police-officer", "admin"} <= listed


def test_session_auth_for_the_browser(client, people):
    client.force_login(people["udd"])
    assert client.get("/api/v1/me").json()["username"] == "udd-officer"


def test_validation_errors_name_the_field(client, people):
    response = client.get(
        "/api/v1/calendar/due-date?start=115/13/01&days=3", **bearer(people["udd"])
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and "start" in body["fields"]
    assert "日期格式不正確" in body["fields"]["start"][0]


def test_a_day_that_does_not_exist_is_named(client, people):
    response = client.get(
        "/api/v1/calendar/due-date?start=2026-02-30&days=3", **bearer(people["udd"])
    )
    assert response.status_code == 422
    assert response.json()["fields"]["start"] == ["西元2026年2月30日不存在（該月只有28天）。"]


def test_due_date_follows_the_working_day_calendar(client, people):
    response = client.get(
        "/api/v1/calendar/due-date?start=2025-01-24&days=6", **bearer(people["udd"])
    )
    assert response.status_code == 200
    due = dt.date.fromisoformat(response.json()["due"])
    from secretariat.core import workdays

    assert due == workdays.add_working_days(dt.date(2025, 1, 24), 6)
    assert due > dt.date(2025, 2, 2)  # nothing during the Lunar New Year break counts


def test_only_administrators_change_the_calendar(client, people, admin):
    payload = {"date": "2026-09-15", "kind": "closure", "reason": "颱風停止上班", "city": "臺北市"}
    refused = client.post(
        "/api/v1/calendar/adjustments",
        payload,
        content_type="application/json",
        **bearer(people["udd"]),
    )
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    created = client.post(
        "/api/v1/calendar/adjustments", payload, content_type="application/json", **bearer(admin)
    )
    assert created.status_code == 201 and created.json()["kind"] == "closure"
    entry = AuditEntry.objects.filter(object_type="core.calendaradjustment").last()
    assert entry.actor_id == admin.pk


def test_domain_errors_use_the_same_format(client, admin):
    payload = {"date": "1900-09-15", "kind": "closure", "reason": "颱風"}
    response = client.post(
        "/api/v1/calendar/adjustments", payload, content_type="application/json", **bearer(admin)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "out_of_range" and "date" in response.json()["fields"]
    payload = {"date": "2026-09-15", "kind": "vacation", "reason": "x"}
    response = client.post(
        "/api/v1/calendar/adjustments", payload, content_type="application/json", **bearer(admin)
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and "payload.kind" in response.json()["fields"]
