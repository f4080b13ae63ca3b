"""The consultation and volunteer pages and API: the public booking page (name and phone,
rate-limited), the desk's buttons, the roster's sign-in and sign-out, and the volunteers'
personal data in the API for the desk supervisor only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from secretariat.service import services
from secretariat.service.models import Booking, BookingStatus, Mode, Shift
from secretariat.service.views.consult import BOOKING_LIMIT

pytestmark = pytest.mark.django_db
PHONE = "0910-123-456"


def _client(person=None) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


@pytest.fixture
def session(desk_supervisor):
    lawyers = services.add_association(by=desk_supervisor, name="臺北律師公會", profession="legal")
    return services.add_session(
        by=desk_supervisor,
        association=lawyers,
        day=timezone.localdate() + dt.timedelta(days=1),
        starts=dt.time(14, 0),
        ends=dt.time(17, 0),
        mode=Mode.FACE_TO_FACE,
        place="聯合服務中心",
        capacity=20,
    )


@pytest.fixture
def shift(desk_supervisor):
    gate = services.add_post(by=desk_supervisor, name="市府大樓東門")
    volunteer = services.add_volunteer(by=desk_supervisor, name="白志工", phone=PHONE)
    return services.roster_shift(
        by=desk_supervisor,
        post=gate,
        volunteer=volunteer,
        day=timezone.localdate(),
        starts=dt.time(0, 0),
        ends=dt.time(23, 59),
    )


def test_the_public_books_and_is_rate_limited(session):
    client = _client()
    page = client.get("/service/consult/book/")
    assert page.status_code == 200 and "臺北律師公會" in page.content.decode()
    data = {"session": session.pk, "name": "王小明", "phone": "0912-345-678"}
    answer = client.post("/service/consult/book/", data)
    assert answer.status_code == 302
    assert Booking.objects.get().name == "王小明"
    refused = client.post("/service/consult/book/", {**data, "name": "王\x00小明"})
    assert refused.status_code == 400
    for n in range(BOOKING_LIMIT.events - 2):
        client.post("/service/consult/book/", {**data, "phone": f"0912-000-{n:03d}"})
    limited = client.post("/service/consult/book/", {**data, "phone": "0912-999-999"})
    assert limited.status_code == 429
    assert Booking.objects.count() == BOOKING_LIMIT.events - 1


def test_the_desk_records_a_no_show_and_others_may_not(desk, session, make_person):
    booking = services.book(session, name="王小明", phone="0912-345-678")
    client = _client(desk)
    day = session.day.isoformat()
    page = client.get(f"/service/consult/?day={day}")
    assert "0912-345-678" in page.content.decode()
    # Before the session: refused, shown as a message.
    answer = client.post(
        f"/service/consult/?day={day}", {"step": "no_show", "booking": booking.pk}, follow=True
    )
    assert "時段開始後才能登錄未到" in answer.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    client.post(f"/service/consult/?day={day}", {"step": "cancel", "booking": booking.pk})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    outsider = _client(make_person("udd-officer-p", "都發局", "case_officer"))
    assert outsider.get("/service/consult/").status_code == 403
    assert outsider.get("/service/volunteers/").status_code == 403


def test_the_roster_signs_in_and_out(desk, shift):
    client = _client(desk)
    client.post("/service/volunteers/", {"step": "sign_in", "shift": shift.pk})
    answer = client.post(
        "/service/volunteers/",
        {"step": "sign_out", "shift": shift.pk, "people_served": "40", "leaflets": "-1"},
        follow=True,
    )
    assert "msg-error" in answer.content.decode() and "白志工：" in answer.content.decode()
    assert Shift.objects.get().signed_out_at is None
    client.post(
        "/service/volunteers/",
        {"step": "sign_out", "shift": shift.pk, "people_served": "40", "leaflets": "5"},
    )
    done = Shift.objects.get()
    assert (done.people_served, done.leaflets) == (40, 5) and done.signed_out_at


def test_the_api_gives_personal_data_to_the_supervisor_only(desk, desk_supervisor, shift):
    [seen_by_desk] = _client(desk).get("/api/v1/service/volunteers").json()
    assert seen_by_desk["name"] == "白志工" and seen_by_desk["phone"] is None
    [seen_by_chief] = _client(desk_supervisor).get("/api/v1/service/volunteers").json()
    assert seen_by_chief["phone"] == PHONE


def test_the_api_refuses_others_and_states_the_figures(desk, make_person, shift):
    outsider = _client(make_person("udd-officer-a", "都發局", "case_officer"))
    assert outsider.get("/api/v1/service/volunteers").status_code == 403
    client = _client(desk)
    client.post("/service/volunteers/", {"step": "sign_in", "shift": shift.pk})
    client.post(
        "/service/volunteers/",
        {"step": "sign_out", "shift": shift.pk, "people_served": "40", "leaflets": "5"},
    )
    today = timezone.localdate().isoformat()
    figures = client.get(
        f"/api/v1/service/consult-volunteer-figures?start={today}&end={today}"
    ).json()
    assert (figures["people_served"], figures["leaflets"]) == (40, 5)
    wrong = client.get(f"/api/v1/service/consult-volunteer-figures?start={today}&end=2000-01-01")
    assert wrong.status_code == 400


def test_the_supervisor_opens_a_session_on_the_page(desk, desk_supervisor):
    lawyers = services.add_association(by=desk_supervisor, name="臺北律師公會", profession="legal")
    client = _client(desk_supervisor)
    assert client.get("/service/consult/manage/").status_code == 200
    day = timezone.localdate() + dt.timedelta(days=3)
    data = {
        "step": "session",
        "association": lawyers.pk,
        "day": day.isoformat(),
        "starts": "14:00",
        "ends": "13:00",
        "mode": Mode.FACE_TO_FACE,
        "place": "聯合服務中心",
        "capacity": "4",
    }
    refused = client.post("/service/consult/manage/", data)
    assert refused.status_code == 400 and "結束時間須晚於開始時間" in refused.content.decode()
    assert client.post("/service/consult/manage/", {**data, "ends": "17:00"}).status_code == 302
    assert "臺北律師公會" in client.get("/service/consult/book/").content.decode()
    assert _client(desk).get("/service/consult/manage/").status_code == 403


def test_the_supervisor_adds_a_volunteer_on_the_page(desk_supervisor):
    from secretariat.service.models import VolunteerContact

    client = _client(desk_supervisor)
    data = {"step": "volunteer", "name": "羅\x1b志工", "phone": PHONE}
    assert client.post("/service/volunteers/manage/", data).status_code == 400
    assert not VolunteerContact.objects.exists()
    assert client.post("/service/volunteers/manage/", {**data, "name": "羅志工"}).status_code == 302
    assert VolunteerContact.objects.get().volunteer.name == "羅志工"
