"""POST /api/v1/petitions for other systems (bearer token of a system account) and its errors."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth.hashers import check_password

from secretariat.cases.models import Case, Channel
from secretariat.petitions.models import Petition
from tests.core.test_api import bearer
from tests.petitions.conftest import PNG

pytestmark = pytest.mark.django_db
PAYLOAD = {
    "subject": "捷運站出口無障礙坡道",
    "body": "市府站2號出口坡道過陡，輪椅不易通行。",
    "category": "transport",
    "received_on": "2026-03-02",
    "requester": {"name": "陳小華", "email": "hua@example.test"},
}


@pytest.fixture
def system(make_person):
    return make_person("hotline-1999", "研考會", is_system_account=True)


def post(client, payload, auth):
    return client.post("/api/v1/petitions", payload, content_type="application/json", **auth)


def test_a_system_account_registers_a_petition(client, system):
    attachment = {"name": "ramp.png", "content_base64": base64.b64encode(PNG).decode()}
    response = post(client, {**PAYLOAD, "attachments": [attachment]}, bearer(system))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "number",
        "password",
        "status",
        "status_label",
        "received_on",
        "status_url",
    }
    assert body["status"] == "pending" and body["status_label"] == "待分辦"
    assert body["received_on"] == "2026-03-02"
    assert body["status_url"] == "http://testserver/petitions/status/"
    petition = Petition.objects.select_related("case").get()
    assert petition.case.number == body["number"] and petition.case.channel == Channel.API
    assert check_password(body["password"], petition.password_hash)
    assert petition.case.attachments.get().original_name == "ramp.png"
    assert petition.case.created_by == system


def test_without_a_token_the_error_format_is_kept(client, registry):
    response = client.post("/api/v1/petitions", PAYLOAD, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_an_ordinary_account_may_not_use_the_intake(client, make_person):
    officer = make_person("udd-officer", "都發局", "case_officer")
    response = post(client, PAYLOAD, bearer(officer))
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied" and "系統介接帳號" in body["message"]
    assert not Case.objects.exists()


def test_domain_errors_name_the_fields(client, system):
    payload = {
        **PAYLOAD,
        "subject": "",
        "requester": {"name": "陳小華", "email": "nope"},
        "category": "x",
    }
    response = post(client, payload, bearer(system))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"] == {
        "subject": ["請填寫主旨。"],
        "email": ["電子郵件格式不正確。"],
        "category": ["請選擇陳情類別。"],
    }
    assert not Case.objects.exists()


def test_attachments_are_checked(client, system):
    bad = [
        {"name": "virus.exe", "content_base64": base64.b64encode(b"MZ").decode()},
        {"name": "scan.pdf", "content_base64": "%%%"},
    ]
    response = post(client, {**PAYLOAD, "attachments": bad[:1]}, bearer(system))
    assert response.status_code == 400
    assert "virus.exe" in response.json()["fields"]["attachments"][0]
    response = post(client, {**PAYLOAD, "attachments": bad[1:]}, bearer(system))
    assert response.json()["fields"]["attachments"] == ["附件「scan.pdf」不是有效的 Base64 內容。"]
    assert not Case.objects.exists()


def test_malformed_input_is_422(client, system):
    response = post(client, {"subject": "x", "received_on": "115/03/02"}, bearer(system))
    assert response.status_code == 422
    fields = response.json()["fields"]
    # The core handler names JSON body fields after ninja's parameter ("payload.").
    assert fields["payload.body"] == ["此欄位為必填。"]
    assert "日期格式不正確" in fields["payload.received_on"][0]


def test_a_received_date_is_refused_naming_the_date_as_read(client, system):
    response = post(client, {**PAYLOAD, "received_on": "2099-01-01"}, bearer(system))
    assert response.status_code == 400
    assert response.json()["fields"]["received_on"] == ["收件日期（188年1月1日）不可晚於今天。"]
    response = post(client, {**PAYLOAD, "received_on": "2026-02-29"}, bearer(system))
    assert response.status_code == 422
    assert response.json()["fields"]["payload.received_on"] == [
        "西元2026年2月29日不存在（該月只有28天）。"
    ]
    assert not Case.objects.exists()


def test_reading_a_petition_is_scoped(client, system, make_person, flow, people):
    number = post(client, PAYLOAD, bearer(system)).json()["number"]
    case = Case.objects.get(number=number)
    lead, co = flow.route(case)
    flow.reply(lead, "都發局回復")
    flow.reply(co, "警察局回復")
    udd = bearer(people["udd"])
    body = client.get(f"/api/v1/petitions/{number}", **udd).json()
    assert body["status_label"] == "已回復"
    assert [r["agency"] for r in body["replies"]] == ["臺北市政府都市發展局", "臺北市政府警察局"]
    outsider = make_person("tcg-officer", "交通局", "case_officer")
    assert client.get(f"/api/v1/petitions/{number}", **bearer(outsider)).status_code == 404
