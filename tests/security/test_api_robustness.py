"""Finding 7: no request reaches a server error. Out-of-range numbers, ids beyond the database's
integer range, dates the calendar cannot count to, empty file names and oversized bodies are
answered in the one error format (400 or 422, naming the field), and every operation documents
every error status it can return."""

from __future__ import annotations

import base64
import json

import pytest

from secretariat.api import api
from secretariat.core import services

pytestmark = pytest.mark.django_db

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).decode()
ERROR_STATUSES = {"400", "401", "403", "404", "422", "429"}


@pytest.fixture
def system(make_person):
    return make_person("hotline", "秘書處", "case_officer", is_system_account=True)


@pytest.fixture
def auth(system):
    _, key = services.issue_api_token(system, "1999 介接", by=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def assert_error(response, status: int, field: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert any(field in name.split(".") for name in body["fields"]), body


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/v1/people?limit=-1", 422, "limit"),
        ("/api/v1/people?limit=100000", 422, "limit"),
        ("/api/v1/people?offset=-5", 422, "offset"),
        ("/api/v1/calendar/adjustments?year=99999", 422, "year"),
        ("/api/v1/calendar/due-date?start=2026-01-01&days=100000000", 422, "days"),
        ("/api/v1/calendar/due-date?start=9999-12-30&days=10", 400, "start"),
        ("/api/v1/calendar/due-date?start=0&days=1", 422, "start"),
        ("/api/v1/calendar/working-days?start=0001-01-01&end=9999-12-31", 400, "start"),
        ("/api/v1/calendar/days/0", 422, "day"),
        (f"/api/v1/people/{2**64}", 422, "person_id"),
        (f"/api/v1/people/{2**63}", 422, "person_id"),
        ("/api/v1/people/0", 422, "person_id"),
        (f"/api/v1/agencies/{'x' * 500}", 422, "code"),
        (f"/api/v1/petitions/{'陳' * 500}", 422, "number"),
        ("/api/v1/search?q=路&page=99999999999999999999", 422, "page"),
        ("/api/v1/search?q=路&order=oldest", 422, "order"),
    ],
)
def test_out_of_range_parameters_are_refused_by_field(client, auth, url, status, field):
    assert_error(client.get(url, **auth), status, field)


def post(client, path, payload, auth):
    return client.post(path, payload, content_type="application/json", **auth)


def test_an_id_beyond_64_bits_in_a_body_is_refused(client, auth):
    response = post(client, "/api/v1/notifications/read", {"ids": [2**64]}, auth)
    assert_error(response, 422, "ids")


def test_a_list_is_not_read_as_an_object(client, auth):
    assert_error(post(client, "/api/v1/notifications/read", [None, None], auth), 422, "payload")


@pytest.mark.parametrize(("name", "status"), [("", 422), ("..", 400), ("/", 400), ("照片/..", 400)])
def test_an_attachment_without_a_file_name_is_refused(
    client, auth, settings, tmp_path, name, status
):
    settings.MEDIA_ROOT = tmp_path
    payload = {
        "subject": "路燈不亮",
        "body": "松仁路路燈整排不亮。",
        "attachments": [{"name": name, "content_base64": PNG}],
    }
    assert_error(post(client, "/api/v1/petitions", payload, auth), status, "attachments")


def test_an_attachment_name_keeps_only_the_file_name(client, auth, settings, tmp_path):
    from secretariat.cases.models import CaseAttachment

    settings.MEDIA_ROOT = tmp_path
    payload = {
        "subject": "路燈不亮",
        "body": "松仁路路燈整排不亮。",
        "attachments": [{"name": "..\\..\\photo.png", "content_base64": PNG}],
    }
    assert post(client, "/api/v1/petitions", payload, auth).status_code == 201
    assert CaseAttachment.objects.get().original_name == "photo.png"


def test_a_date_before_the_roc_era_is_a_domain_error(client, auth):
    payload = {"subject": "路燈不亮", "body": "松仁路路燈整排不亮。", "received_on": "0811-03-19"}
    assert_error(post(client, "/api/v1/petitions", payload, auth), 400, "received_on")


def test_unknown_body_fields_are_refused(client, auth):
    payload = {"subject": "路燈不亮", "body": "松仁路路燈整排不亮。", "priority": "urgent"}
    assert_error(post(client, "/api/v1/petitions", payload, auth), 422, "priority")


def test_an_oversized_body_is_refused_in_the_error_format(client, auth, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = {"subject": "路燈不亮", "body": "路" * 2000}
    response = post(client, "/api/v1/petitions", payload, auth)
    assert response.status_code == 400
    assert response.json()["code"] == "too_large"


def openapi() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))


def test_every_operation_documents_every_error():
    schema = openapi()
    missing = {
        f"{method.upper()} {path}": sorted(ERROR_STATUSES - set(operation["responses"]))
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if not ERROR_STATUSES <= set(operation["responses"])
    }
    assert missing == {}
    for path, methods in schema["paths"].items():
        for operation in methods.values():
            for status in ERROR_STATUSES:
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"]["$ref"].endswith("/ErrorOut"), (path, status)


def _unbounded(spec: dict) -> bool:
    for option in spec.get("anyOf", [spec]):
        kind = option.get("type")
        if kind == "integer" and not {"minimum", "maximum"} <= set(option):
            return True
        if kind == "string" and not ({"format", "enum", "maxLength"} & set(option)):
            return True
        if kind == "array" and ("maxItems" not in option or _unbounded(option["items"])):
            return True
    return False


def test_every_integer_string_and_list_parameter_is_bounded():
    schema = openapi()
    loose = [
        (method, path, parameter["name"])
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        for parameter in operation.get("parameters", [])
        if _unbounded(parameter["schema"])
    ]
    assert loose == []
