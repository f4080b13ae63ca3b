"""The desk's pages: a visit in one post, 協處陳情 opening the petitions intake (臨櫃) that
desk staff may use, the live board, the one-time arrival page, the supervisor's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secretariat.cases.models import Case
from secretariat.service import services
from secretariat.service.models import Dispatch, VisitKind

pytestmark = pytest.mark.django_db


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_tapping_a_category_logs_a_visit(desk, categories, agency):
    client = _client(desk)
    page = client.get(reverse("service:desk"))
    assert page.status_code == 200
    assert 'data-shortcut="1"' in page.content.decode()
    response = client.post(
        reverse("service:desk"),
        {"category": categories["transport"].pk, "agency": agency("交通局").pk, "note": "公車路線"},
    )
    assert response.status_code == 302
    visit = desk_visits(desk).get()
    assert (visit.category.code, visit.agency.short_name, visit.note) == (
        "transport",
        "交通局",
        "公車路線",
    )


def desk_visits(person):
    from secretariat.service import selectors

    return selectors.visits_for(person)


def test_a_bad_note_comes_back_beside_the_field(desk, categories):
    response = _client(desk).post(
        reverse("service:desk"), {"category": categories["civil"].pk, "note": "a\x07b"}
    )
    assert response.status_code == 400
    assert not desk_visits(desk).exists()


def test_a_petition_assisted_opens_the_intake_on_the_counter_channel(desk, categories):
    client = _client(desk)
    response = client.post(reverse("service:desk"), {"kind": "petition"})
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:intake") + "?channel=counter"
    assert desk_visits(desk).get().kind == VisitKind.PETITION
    intake = client.get(response["Location"])
    assert intake.status_code == 200
    # The desk registers counter petitions only: the one channel it is offered.
    html = intake.content.decode()
    assert 'value="counter"' in html and 'value="letter"' not in html
    posted = client.post(
        response["Location"],
        {
            "channel": "counter",
            "subject": "人行道破損",
            "body": "市府路人行道地磚破損，請儘速修復。",
            "name": "林小姐",
            "received_on": "",
            "category": "roads",
        },
    )
    assert posted.status_code == 302, posted.content.decode()
    assert Case.objects.get().channel == "counter"


def test_the_board_and_the_arrival_link(desk, agency, make_person):
    make_person("health-counter", "衛生局", "service_desk")
    dispatch = services.call_agency(
        by=desk, agency=agency("衛生局"), purpose="長照諮詢", called_at=timezone.now()
    )
    Dispatch.objects.filter(pk=dispatch.pk).update(
        called_at=timezone.now() - dt.timedelta(minutes=12)
    )
    board = _client(desk).get(reverse("service:board")).content.decode()
    assert "逾10分鐘" in board and "長照諮詢" in board
    url = services.arrival_url(dispatch)
    phone = Client()
    shown = phone.get(url)
    assert shown.status_code == 200 and "我已到達服務台" in shown.content.decode()
    done = phone.post(url)
    assert done.status_code == 200 and "已回報到場" in done.content.decode()
    assert phone.post(url).status_code == 404
    dispatch.refresh_from_db()
    assert dispatch.arrived_at is not None and dispatch.arrival_by == "link"


def test_an_agency_sees_its_calls_not_the_desk(desk, agency, make_person):
    services.call_agency(by=desk, agency=agency("衛生局"), purpose="長照諮詢")
    health = _client(make_person("health-officer", "衛生局", "case_officer"))
    assert "長照諮詢" in health.get(reverse("service:calls")).content.decode()
    assert health.get(reverse("service:desk")).status_code == 403
    police = _client(make_person("police-officer", "警察局", "case_officer"))
    assert "長照諮詢" not in police.get(reverse("service:calls")).content.decode()


def test_the_supervisor_renames_a_category(desk, desk_supervisor, categories):
    assert _client(desk).get(reverse("service:manage")).status_code == 403
    client = _client(desk_supervisor)
    response = client.post(
        reverse("service:manage"),
        {"step": "rename", "category": categories["civil"].pk, "name": "民政及戶政"},
    )
    assert response.status_code == 302
    categories["civil"].refresh_from_db()
    assert str(categories["civil"]) == "民政及戶政"
    page = client.get(reverse("service:manage")).content.decode()
    assert "民政→民政及戶政" in page


def test_a_mistaken_tap_is_removed(desk, categories):
    client = _client(desk)
    client.post(reverse("service:desk"), {"category": categories["civil"].pk})
    visit = desk_visits(desk).get()
    response = client.post(reverse("service:remove_visit", args=[visit.pk]))
    assert response.status_code == 302
    assert not desk_visits(desk).exists()


def test_desk_staff_register_counter_petitions_only(desk):
    from secretariat.core.errors import PermissionDenied
    from secretariat.petitions import services as petitions

    fields = {"subject": "人行道破損", "body": "市府路人行道地磚破損。", "category": "roads"}
    with pytest.raises(PermissionDenied):
        petitions.submit_petition(channel="letter", by=desk, **fields)
    receipt = petitions.submit_petition(channel="counter", by=desk, **fields)
    assert receipt.petition.case.channel == "counter"
