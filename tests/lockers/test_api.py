"""The controller API as a locker bank's hardware uses it (its key in ``X-Locker-Key``), and
the staff's scoped package list; the operations are in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.test import Client

from secretariat.api import api
from secretariat.lockers.models import Package, Status

pytestmark = pytest.mark.django_db


def _controller(key: str) -> Client:
    return Client(HTTP_X_LOCKER_KEY=key)


def test_deposit_and_pickup_through_the_controller(office):
    package = office.package()
    bank = _controller(office.key)
    scanned = bank.post(
        "/api/v1/lockers/controller/deposits",
        {"qr": package.token},
        content_type="application/json",
    )
    assert scanned.status_code == 201, scanned.content
    command = scanned.json()
    assert command["purpose"] == "deposit" and command["package"] == package.number
    waiting = bank.get("/api/v1/lockers/controller/commands").json()
    assert [c["id"] for c in waiting] == [command["id"]]
    ack = bank.post(
        f"/api/v1/lockers/controller/commands/{command['id']}/ack",
        {"opened": True},
        content_type="application/json",
    )
    assert ack.status_code == 200 and ack.json()["package_status"] == "deposited"
    assert bank.get("/api/v1/lockers/controller/commands").json() == []
    again = bank.post(
        f"/api/v1/lockers/controller/commands/{command['id']}/ack",
        {"opened": True},
        content_type="application/json",
    )
    assert again.status_code == 400 and again.json()["code"] == "acknowledged"
    wrong = bank.post(
        "/api/v1/lockers/controller/pickups", {"code": "12345678"}, content_type="application/json"
    )
    assert wrong.status_code in (400, 429) and wrong.json()["code"] in ("bad_code", "rate_limited")
    office.bank.refresh_from_db()
    assert office.bank.last_seen_at is not None


def test_the_controller_key_is_required_and_checked(office):
    for client in (Client(), _controller("nope"), _controller(office.key + "x")):
        assert client.get("/api/v1/lockers/controller/commands").status_code == 401
    staff = Client()
    staff.force_login(office.clerk)
    assert staff.get("/api/v1/lockers/controller/commands").status_code == 401
    unknown = _controller(office.key).post(
        "/api/v1/lockers/controller/deposits", {"qr": "LKR1.none"}, content_type="application/json"
    )
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_package"
    control = _controller(office.key).post(
        "/api/v1/lockers/controller/deposits",
        {"qr": "LKR1.\u0007"},
        content_type="application/json",
    )
    assert control.status_code == 422


def test_another_banks_command_is_not_found(office):
    from secretariat.lockers import services

    other, key = services.create_bank(office.bank.site, code="other", name="B", by=office.admin)
    services.add_compartments(other, count=1, by=office.admin)
    command = services.deposit(office.bank, office.package().token)
    answer = _controller(key).post(
        f"/api/v1/lockers/controller/commands/{command.pk}/ack",
        {"opened": True},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert Package.objects.get().status == Status.DEPOSITING


def test_staff_see_their_agencys_packages_only(office, make_person):
    package = office.package()
    clerk = Client()
    clerk.force_login(office.police_clerk)
    listed = clerk.get("/api/v1/lockers/packages").json()
    assert [p["number"] for p in listed] == [package.number]
    outsider = Client()
    outsider.force_login(make_person("udd-clerk", "都發局", "registry_clerk"))
    assert outsider.get("/api/v1/lockers/packages").json() == []
    assert outsider.get(f"/api/v1/lockers/packages/{package.pk}").status_code == 404


def test_the_controller_api_is_documented():
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    for path in (
        "/api/v1/lockers/controller/commands",
        "/api/v1/lockers/controller/commands/{command_id}/ack",
        "/api/v1/lockers/controller/deposits",
        "/api/v1/lockers/controller/pickups",
    ):
        operation = next(iter(schema["paths"][path].values()))
        assert {400, 401, 404, 429} <= set(operation["responses"]), path
        assert operation["security"] == [{"LockerKey": []}], path
