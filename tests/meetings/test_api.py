"""/api/v1/meetings: the meetings and agenda a caller may see, an agency's proposal (after the
deadline: 400), sign-in, and the directives tracked by 研考會 — the same scope as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_meetings_and_the_agenda_in_the_callers_scope(today_meeting, planning, people):
    head = client_for(people["udd_head"]).get("/api/v1/meetings").json()
    assert {m["id"] for m in head["items"]} == {today_meeting.pk, planning.pk}
    stranger = client_for(people["dot_officer"]).get("/api/v1/meetings").json()
    assert [m["id"] for m in stranger["items"]] == [planning.pk]  # taking proposals only
    detail = client_for(people["udd_head"]).get(f"/api/v1/meetings/{today_meeting.pk}").json()
    assert [i["title"] for i in detail["items"]] == [
        "社會住宅興建進度報告",
        "夜市周邊違規停車取締成效",
    ]
    assert (
        client_for(people["dot_officer"]).get(f"/api/v1/meetings/{today_meeting.pk}").status_code
        == 404
    )


def test_a_proposal_and_its_deadline(planning, people):
    api = client_for(people["udd_officer"])
    url = f"/api/v1/meetings/{planning.pk}/items"
    created = api.post(
        url, {"kind": "report", "title": "社會住宅"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["status"] == "proposed"
    assert created.json()["agency"] == "udd"
    bad = api.post(url, {"kind": "lecture", "title": "演講"}, content_type="application/json")
    assert bad.status_code == 400
    planning.submission_deadline = timezone.now() - dt.timedelta(seconds=1)
    planning.save()
    late = api.post(url, {"kind": "report", "title": "遲交"}, content_type="application/json")
    assert late.status_code == 400 and late.json()["code"] == "after_deadline"
    control = api.post(
        url, {"kind": "report", "title": "控制\x07字元"}, content_type="application/json"
    )
    assert control.status_code == 422


def test_sign_in_and_directives(today_meeting, people):
    signed = client_for(people["udd_head"]).post(f"/api/v1/meetings/{today_meeting.pk}/sign-in")
    assert signed.status_code == 201 and signed.json()["kind"] == "present"
    again = client_for(people["udd_head"]).post(f"/api/v1/meetings/{today_meeting.pk}/sign-in")
    assert again.status_code == 400 and again.json()["message"] == "您已完成簽到。"
    assert client_for(people["rdec"]).get("/api/v1/meetings/directives").json() == []
    bad = client_for(people["rdec"]).get("/api/v1/meetings/directives?status=maybe")
    assert bad.status_code == 400
