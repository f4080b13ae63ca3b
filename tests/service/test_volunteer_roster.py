"""Volunteers: personal data read by the desk supervisor only (selectors, pages, API); the
roster and its swaps; sign-in and sign-out with the people served and leaflets; service and
training hours for the year; the report's sentence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry
from secretariat.core.roc import Period
from secretariat.service import selectors, services, volunteer_reports
from secretariat.service.models import ShiftSwap

pytestmark = pytest.mark.django_db
PHONE = "0910-123-456"


@pytest.fixture
def gate(desk_supervisor):
    return services.add_post(by=desk_supervisor, name="市府大樓東門", sort_order=10)


@pytest.fixture
def volunteers(desk_supervisor):
    return [
        services.add_volunteer(
            by=desk_supervisor, name=name, phone=PHONE, address="臺北市信義區市府路1號"
        )
        for name in ("白志工", "石志工")
    ]


@pytest.fixture
def shift(desk_supervisor, gate, volunteers):
    now = timezone.localtime()
    return services.roster_shift(
        by=desk_supervisor,
        post=gate,
        volunteer=volunteers[0],
        day=now.date(),
        starts=dt.time(0, 0),
        ends=dt.time(23, 59),
    )


def test_personal_data_is_the_supervisors_only(
    desk, desk_supervisor, admin, make_person, volunteers
):
    outsider = make_person("udd-officer-v", "都發局", "case_officer")
    assert selectors.contacts_for(desk_supervisor).count() == 2
    assert selectors.contacts_for(desk).count() == 0
    assert selectors.contacts_for(outsider).count() == 0
    # Desk staff see the names the roster needs, nobody else sees any.
    assert [v.name for v in selectors.volunteers_for(desk)] == ["白志工", "石志工"]
    assert selectors.volunteers_for(outsider).count() == 0


def test_the_manage_page_shows_personal_data_to_the_supervisor_only(
    client, desk, desk_supervisor, volunteers
):
    client.force_login(desk)
    assert client.get("/service/volunteers/manage/").status_code == 403
    roster = client.get("/service/volunteers/")
    assert roster.status_code == 200 and PHONE not in roster.content.decode()
    client.force_login(desk_supervisor)
    page = client.get("/service/volunteers/manage/").content.decode()
    assert PHONE in page and "市府路1號" not in page  # the address stays in the record


def test_only_the_supervisor_adds_volunteers(desk):
    with pytest.raises(PermissionDenied):
        services.add_volunteer(by=desk, name="甲", phone=PHONE)


def test_a_volunteer_is_at_one_post_at_a_time(desk_supervisor, gate, shift, volunteers):
    with pytest.raises(DomainError) as error:
        services.roster_shift(
            by=desk_supervisor,
            post=gate,
            volunteer=volunteers[0],
            day=shift.day,
            starts=dt.time(9, 0),
            ends=dt.time(10, 0),
        )
    assert "volunteer" in error.value.fields


def test_a_swap_is_kept_and_refused_after_sign_in(desk, shift, volunteers):
    services.swap_shift(shift, by=desk, to=volunteers[1], reason="家中有事")
    shift.refresh_from_db()
    assert shift.volunteer == volunteers[1]
    swap = ShiftSwap.objects.get()
    assert (swap.from_volunteer, swap.to_volunteer) == (volunteers[0], volunteers[1])
    services.sign_in(shift, by=desk)
    shift.refresh_from_db()
    with pytest.raises(DomainError):
        services.swap_shift(shift, by=desk, to=volunteers[0])


def test_sign_in_and_out_enter_the_shifts_figures(desk, shift):
    signed_in = services.sign_in(shift, by=desk, at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(DomainError):
        services.sign_in(signed_in, by=desk)
    done = services.sign_out(signed_in, by=desk, people_served=132, leaflets=18)
    assert (done.people_served, done.leaflets) == (132, 18)
    assert done.service_minutes >= 0
    assert AuditEntry.objects.filter(action="service:volunteer_sign_out").exists()
    with pytest.raises(DomainError):
        services.sign_out(done, by=desk, people_served=1, leaflets=1)


def test_sign_out_bounds_its_numbers_and_needs_a_sign_in(desk, shift):
    with pytest.raises(DomainError) as error:
        services.sign_out(shift, by=desk, people_served=-1, leaflets=999_999)
    assert set(error.value.fields) == {"people_served", "leaflets"}
    with pytest.raises(DomainError) as error:
        services.sign_out(shift, by=desk, people_served=1, leaflets=1)
    assert error.value.code == "not_signed_in"


def test_yearly_hours_count_service_and_training(desk, desk_supervisor, shift, volunteers):
    start = timezone.now() - dt.timedelta(minutes=90)
    start = max(start, timezone.make_aware(dt.datetime.combine(shift.day, dt.time(0, 0))))
    services.sign_in(shift, by=desk, at=start)
    shift.refresh_from_db()
    services.sign_out(shift, by=desk, people_served=10, leaflets=2)
    training = services.add_training(
        by=desk_supervisor, title="服務禮儀", held_on=timezone.localdate(), hours=Decimal("2.5")
    )
    assert services.record_attendance(training, volunteers, by=desk_supervisor) == 2
    assert services.record_attendance(training, volunteers, by=desk_supervisor) == 0
    hours = {h.volunteer.name: h for h in selectors.yearly_hours(desk_supervisor, shift.day.year)}
    assert hours["白志工"].shifts == 1
    assert hours["石志工"].training_hours == Decimal("2.5")
    assert selectors.yearly_hours(desk, shift.day.year) == []


def test_the_report_states_people_and_leaflets(desk, shift):
    services.sign_in(shift, by=desk)
    shift.refresh_from_db()
    services.sign_out(shift, by=desk, people_served=1234, leaflets=56)
    section = volunteer_reports.volunteers(Period.half_containing(shift.day))
    assert "等服務1,234人次、發送56件文宣資料。" in section.paragraphs[0]
    assert section.tables[0].rows[0] == {"post": "市府大樓東門", "people": 1234, "leaflets": 56}
