"""/api/v1/media: releases and opinion items through the pages' selectors (the same scope),
an item captured by a system for the press office, refusals in the one error format."""

from __future__ import annotations

import pytest
from django.test import Client

from secretariat.cases import services as case_services
from secretariat.media import services

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_releases_are_scoped_like_the_pages(press_people, agency):
    release = services.draft_release(
        agency=agency("都發局"), title="社宅招租", body="招租。", by=press_people["udd_officer"]
    )
    mine = client_for(press_people["udd_press"]).get("/api/v1/media/releases").json()
    assert [item["id"] for item in mine["items"]] == [release.pk]
    assert mine["items"][0]["published"] is False and mine["items"][0]["public_url"] is None
    police = client_for(press_people["police_press"])
    assert police.get("/api/v1/media/releases").json()["count"] == 0
    assert police.get(f"/api/v1/media/releases/{release.pk}").status_code == 404


def test_opinion_items_are_captured_and_read_through_the_engines_scope(press_people, agency):
    press = client_for(press_people["press"])
    created = press.post(
        "/api/v1/media/opinion-items",
        {
            "title": "停電",
            "summary": "捷運站周邊停電。",
            "outlet": "北市電視",
            "importance": "major",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    refused = client_for(press_people["udd_press"]).post(
        "/api/v1/media/opinion-items",
        {"title": "x", "summary": "y", "outlet": "z"},
        content_type="application/json",
    )
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    bad = press.post(
        "/api/v1/media/opinion-items",
        {"title": "x", "summary": "y", "outlet": "z", "link": "ftp://x"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "link" in bad.json()["fields"]
    from secretariat.media.models import OpinionItem

    item = OpinionItem.objects.get(case__number=number)
    case_services.route_case(item.case, agency("都發局"), by=press_people["press"])
    detail = client_for(press_people["udd_officer"]).get(f"/api/v1/media/opinion-items/{number}")
    assert detail.status_code == 200
    (part,) = detail.json()["parts"]
    assert part["agency"] == "udd" and part["due_at"] is not None
    assert (
        client_for(press_people["police_press"])
        .get(f"/api/v1/media/opinion-items/{number}")
        .status_code
        == 404
    )
    listed = client_for(press_people["udd_head"]).get("/api/v1/media/opinion-items").json()
    assert [row["number"] for row in listed["items"]] == [number]
