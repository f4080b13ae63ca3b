"""Professional consultations: sessions (supervisor), bookings online or at the desk with a
name and phone only, a slot held once (the service and the database), walk-ins, the topic
and never the advice, no-shows, reminders, and the report's sentence and table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry, Notification, OutgoingMail
from secretariat.core.roc import Period
from secretariat.service import consult_reports, selectors, services
from secretariat.service.models import Booking, BookingChannel, BookingStatus, Consultation, Mode

pytestmark = pytest.mark.django_db


@pytest.fixture
def architects(desk_supervisor):
    association = services.add_association(
        by=desk_supervisor, name="臺北市建築師公會", profession="architecture"
    )
    services.add_professional(
        by=desk_supervisor, association=association, name="林建築師", email="lin@arch.example"
    )
    return association


@pytest.fixture
def session(desk_supervisor, architects):
    return services.add_session(
        by=desk_supervisor,
        association=architects,
        professional=architects.professionals.get(),
        day=timezone.localdate() + dt.timedelta(days=1),
        starts=dt.time(14, 0),
        ends=dt.time(17, 0),
        mode=Mode.FACE_TO_FACE,
        place="聯合服務中心專業諮詢室",
        capacity=2,
    )


def test_only_the_supervisor_opens_sessions(desk, architects):
    with pytest.raises(PermissionDenied):
        services.add_session(
            by=desk,
            association=architects,
            day=timezone.localdate(),
            starts=dt.time(9),
            ends=dt.time(12),
            mode=Mode.PHONE,
            place="專線",
            capacity=3,
        )


def test_a_session_refuses_bad_times_and_capacity(desk_supervisor, architects):
    with pytest.raises(DomainError) as error:
        services.add_session(
            by=desk_supervisor,
            association=architects,
            day=timezone.localdate() - dt.timedelta(days=1),
            starts=dt.time(12),
            ends=dt.time(9),
            mode="letter",
            place="",
            capacity=21,
        )
    assert set(error.value.fields) == {"day", "ends", "mode", "capacity", "place"}


def test_a_citizen_books_online_with_a_name_and_phone(session):
    booking = services.book(session, name="王小明", phone="0912-345-678")
    assert (booking.slot, booking.channel) == (1, BookingChannel.ONLINE)
    assert AuditEntry.objects.filter(action="service:book_consultation").exists()
    [listed] = selectors.bookable_sessions()
    assert listed.free == 1


def test_bad_contact_is_refused_naming_the_field(session):
    with pytest.raises(DomainError) as error:
        services.book(session, name="王\x07小明", phone="call me")
    assert set(error.value.fields) == {"name", "phone"}
    assert not Booking.objects.exists()


def test_a_full_session_is_refused_and_leaves_the_list(session):
    services.book(session, name="王小明", phone="0912-345-678")
    services.book(session, name="李大華", phone="02-2720-8889")
    with pytest.raises(DomainError) as error:
        services.book(session, name="張美玲", phone="0933-111-222")
    assert error.value.code == "full"
    assert selectors.bookable_sessions() == []


def test_a_double_booked_slot_is_refused(desk, session):
    services.book(session, name="王小明", phone="0912-345-678", by=desk, slot=2)
    with pytest.raises(DomainError) as error:
        services.book(session, name="李大華", phone="02-2720-8889", by=desk, slot=2)
    assert error.value.code == "slot_taken"
    assert Booking.objects.filter(session=session).count() == 1


def test_the_database_refuses_a_second_live_booking_of_a_slot(session):
    """The race the service cannot see: two bookings written for the same slot."""
    Booking.objects.create(session=session, slot=1, name="甲", phone="0912000001", channel="online")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            session=session, slot=1, name="乙", phone="0912000002", channel="online"
        )
    # A cancelled booking frees its slot.
    Booking.objects.filter(session=session).update(status=BookingStatus.CANCELLED)
    Booking.objects.create(session=session, slot=1, name="乙", phone="0912000002", channel="online")


def test_the_same_phone_books_a_session_once(session):
    services.book(session, name="王小明", phone="0912-345-678")
    with pytest.raises(DomainError) as error:
        services.book(session, name="王小明", phone="0912-345-678")
    assert error.value.code == "already_booked"


def test_a_past_session_cannot_be_booked(desk_supervisor, architects):
    today = timezone.localdate()
    session = services.add_session(
        by=desk_supervisor,
        association=architects,
        day=today,
        starts=dt.time(0, 0),
        ends=dt.time(0, 1),
        mode=Mode.PHONE,
        place="專線",
        capacity=3,
    )
    with pytest.raises(DomainError) as error:
        services.book(session, name="王小明", phone="0912-345-678")
    assert "session" in error.value.fields


def test_a_booking_attended_is_recorded_with_its_topic_only(desk, desk_supervisor, architects):
    session = services.add_session(
        by=desk_supervisor,
        association=architects,
        day=timezone.localdate(),
        starts=dt.time(23, 58),
        ends=dt.time(23, 59),
        mode=Mode.PHONE,
        place="專線",
        capacity=3,
    )
    booking = services.book(session, name="王小明", phone="0912-345-678", by=desk)
    consultation = services.record_consultation(by=desk, booking=booking, topic="違章建築認定")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
    assert (consultation.mode, consultation.walk_in) == (Mode.PHONE, False)
    assert {f.name for f in Consultation._meta.fields}.isdisjoint({"advice", "answer", "content"})
    with pytest.raises(DomainError):
        services.record_consultation(by=desk, booking=booking, topic="again")


def test_a_walk_in_is_recorded_face_to_face(desk, architects):
    consultation = services.record_consultation(
        by=desk, association=architects, mode=Mode.FACE_TO_FACE, topic="室內裝修許可"
    )
    assert consultation.walk_in and consultation.held_on == timezone.localdate()
    with pytest.raises(DomainError) as error:
        services.record_consultation(by=desk, association=None, mode="", topic="x")
    assert set(error.value.fields) == {"association", "mode"}


def test_a_no_show_waits_for_the_session(desk, session):
    booking = services.book(session, name="王小明", phone="0912-345-678")
    with pytest.raises(DomainError) as error:
        services.mark_no_show(booking, by=desk)
    assert error.value.code == "not_started"
    Booking.objects.filter(pk=booking.pk).update()
    session.day = timezone.localdate() - dt.timedelta(days=1)
    session.save()
    booking.refresh_from_db()
    assert services.mark_no_show(booking, by=desk).status == BookingStatus.NO_SHOW


def test_reminders_mail_the_professional_and_tell_the_desk_once(desk, session):
    services.book(session, name="王小明", phone="0912-345-678")
    assert services.send_reminders(session.day) == 1
    assert OutgoingMail.objects.filter(purpose="service:consultation_reminder").count() == 1
    notice = Notification.objects.get(recipient=desk)
    assert "0912-345-678" in notice.body
    assert services.send_reminders(session.day) == 0


def test_bookings_are_the_desks_only(make_person, desk, session):
    services.book(session, name="王小明", phone="0912-345-678")
    outsider = make_person("udd-officer-x", "都發局", "case_officer")
    assert selectors.bookings_for(desk).count() == 1
    assert selectors.bookings_for(outsider).count() == 0
    assert selectors.sessions_on(outsider, session.day) == []


def test_the_report_counts_by_mode_and_month(desk, architects):
    for mode, n in ((Mode.FACE_TO_FACE, 2), (Mode.PHONE, 3)):
        for _ in range(n):
            services.record_consultation(by=desk, association=architects, mode=mode, topic="")
    period = Period.half_containing(timezone.localdate())
    section = consult_reports.professional_consultations(period)
    assert section.heading == "（二）建築專業諮詢服務"
    assert "共計受理5件（含面對面諮詢2件、電話諮詢3件）" in section.paragraphs[0]
    assert section.tables[0].total["total"] == 5
