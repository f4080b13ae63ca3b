"""/api/v1/service: the desk logs and calls through the same services; agencies read their
own calls; refusals named."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_the_desk_logs_a_visit_and_reads_the_log(desk, categories):
    client = _client(desk)
    created = _post(client, "/api/v1/service/visits", {"category": "civil", "agency": "udd"})
    assert created.status_code == 201, created.content
    assert created.json()["category"] == "civil"
    assert [v["id"] for v in client.get("/api/v1/service/visits").json()] == [created.json()["id"]]
    refused = _post(client, "/api/v1/service/visits", {"kind": "consultation"})
    assert refused.status_code == 400 and "category" in refused.json()["fields"]
    unknown = _post(client, "/api/v1/service/visits", {"category": "nope"})
    assert unknown.status_code == 400


def test_calls_and_arrivals_and_the_rate(desk, agency, make_person, categories):
    client = _client(desk)
    called = _post(
        client, "/api/v1/service/dispatches", {"agency": "health", "purpose": "長照諮詢"}
    )
    assert called.status_code == 201, called.content
    pk = called.json()["id"]
    arrived = client.post(f"/api/v1/service/dispatches/{pk}/arrived")
    assert arrived.status_code == 200 and arrived.json()["late"] is False
    again = client.post(f"/api/v1/service/dispatches/{pk}/arrived")
    assert again.status_code == 400 and again.json()["code"] == "already_arrived"
    rate = client.get("/api/v1/service/dispatch-rate").json()
    assert rate["total"]["calls"] == 1 and rate["total"]["rate"] == "100.00"
    health = _client(make_person("health-officer", "衛生局", "case_officer"))
    assert len(health.get("/api/v1/service/dispatches").json()) == 1
    police = _client(make_person("police-officer", "警察局", "case_officer"))
    assert police.get("/api/v1/service/dispatches").json() == []
    assert police.post(f"/api/v1/service/dispatches/{pk}/arrived").status_code == 404
    assert police.get("/api/v1/service/visits").status_code == 403
