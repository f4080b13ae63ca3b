"""府會聯絡人: appointments end the previous liaison the day before, who may appoint, the lists
in force on a day, meetings inviting the liaisons in force, attendance and its rates, and the
pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import Agency
from secretariat.council import selectors, services
from secretariat.council.models import Attendance, Liaison, LiaisonMeeting, LiaisonMeetingKind

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 3)


def appoint(agency, name, start_on=DAY, by=None, **extra):
    extra.setdefault("phone", "02-2720-8889")
    return services.appoint_liaison(agency, name=name, start_on=start_on, by=by, **extra)


@pytest.fixture
def udd(agency):
    return agency("都發局")


@pytest.fixture
def police(agency):
    return agency("警察局")


def test_an_appointment_ends_the_current_liaison_the_day_before(staff, udd):
    first = appoint(udd, "張聯絡", by=staff["desk"], title="專門委員", email="chang@udd.test")
    second = appoint(udd, "李聯絡", DAY + dt.timedelta(days=30), by=staff["desk"])
    first.refresh_from_db()
    assert first.end_on == DAY + dt.timedelta(days=29)
    assert second.end_on is None
    assert list(selectors.liaison_history(udd)) == [second, first]
    assert selectors.current_liaison(udd) == second
    assert [x.name for x in selectors.liaisons_in_force(DAY + dt.timedelta(days=29))] == ["張聯絡"]
    assert [x.name for x in selectors.liaisons_in_force(DAY + dt.timedelta(days=30))] == ["李聯絡"]


@pytest.mark.parametrize("offset", [0, -1])
def test_a_start_not_after_the_current_liaisons_start_is_refused(staff, udd, offset):
    current = appoint(udd, "張聯絡", by=staff["desk"])
    with pytest.raises(DomainError) as refused:
        appoint(udd, "李聯絡", DAY + dt.timedelta(days=offset), by=staff["desk"])
    assert refused.value.fields["start_on"] == ["派兼日須晚於張聯絡的派兼日（114年3月3日）。"]
    current.refresh_from_db()
    assert current.end_on is None
    assert Liaison.objects.count() == 1


def test_appointment_needs_a_name_a_way_to_reach_them_and_a_valid_address(staff, udd):
    with pytest.raises(DomainError) as refused:
        services.appoint_liaison(
            udd, name=" ", email="not-an-address", start_on=None, by=staff["desk"]
        )
    assert refused.value.fields == {
        "name": ["請填寫姓名。"],
        "email": ["電子郵件格式不正確。"],
        "start_on": ["請填寫派兼日。"],
    }
    with pytest.raises(DomainError) as refused:
        services.appoint_liaison(udd, name="張聯絡", start_on=DAY, by=staff["desk"])
    assert refused.value.fields == {"phone": ["請至少填寫電話、手機或電子郵件其中一項。"]}
    with pytest.raises(DomainError) as refused:
        appoint(udd, "張聯絡", by=staff["desk"], person=staff["police"])
    assert refused.value.fields == {"person": ["帳號須為都發局的人員。"]}
    assert not Liaison.objects.exists()


def test_an_agencys_supervisor_and_head_appoint_for_their_own_agency_only(staff, udd, police):
    appoint(udd, "張聯絡", by=staff["udd_boss"], person=staff["udd_liaison"])
    appoint(udd, "李聯絡", DAY + dt.timedelta(days=1), by=staff["udd_head"])
    with pytest.raises(PermissionDenied):
        appoint(police, "王聯絡", by=staff["udd_head"])
    for outsider in ("udd", "udd_liaison", "clerk"):
        with pytest.raises(PermissionDenied):
            appoint(udd, "趙聯絡", DAY + dt.timedelta(days=2), by=staff[outsider])
    assert Liaison.objects.filter(agency=udd).count() == 2


def test_ending_a_liaison(staff, udd):
    liaison = appoint(udd, "張聯絡", by=staff["desk"])
    with pytest.raises(PermissionDenied):
        services.end_liaison(liaison, DAY, by=staff["udd"])
    with pytest.raises(DomainError) as refused:
        services.end_liaison(liaison, DAY - dt.timedelta(days=1), by=staff["udd_boss"])
    assert refused.value.fields == {"end_on": ["卸任日不可早於派兼日（114年3月3日）。"]}
    services.end_liaison(liaison, DAY + dt.timedelta(days=10), by=staff["udd_boss"])
    assert selectors.current_liaison(udd) is None
    assert not selectors.liaisons_in_force(DAY + dt.timedelta(days=11)).exists()
    with pytest.raises(DomainError, match="已於114年3月13日卸任"):
        services.end_liaison(liaison, DAY + dt.timedelta(days=12), by=staff["desk"])
    # A successor after a gap leaves the ended liaison's dates as they were.
    appoint(udd, "李聯絡", DAY + dt.timedelta(days=20), by=staff["desk"])
    liaison.refresh_from_db()
    assert liaison.end_on == DAY + dt.timedelta(days=10)


# --- Meetings and attendance ---------------------------------------------------------------


def test_a_meeting_invites_the_liaisons_in_force_that_day(staff, udd, police, agency):
    appoint(udd, "張聯絡", by=staff["desk"])
    appoint(udd, "李聯絡", DAY + dt.timedelta(days=5), by=staff["desk"])
    appoint(police, "王聯絡", by=staff["desk"])
    appoint(agency("秘書處"), "陳聯絡", DAY + dt.timedelta(days=10), by=staff["desk"])
    meeting = services.create_liaison_meeting(
        LiaisonMeetingKind.MEETING,
        "府會聯絡人座談會",
        DAY + dt.timedelta(days=7),
        "市政大樓",
        by=staff["desk"],
    )
    invited = {row.liaison.name for row in meeting.attendances.all()}
    assert invited == {"李聯絡", "王聯絡"}
    assert not meeting.attendances.filter(attended=True).exists()


def test_a_meeting_needs_its_fields_and_someone_to_invite(staff):
    with pytest.raises(DomainError) as refused:
        services.create_liaison_meeting("party", "", DAY, by=staff["desk"])
    assert refused.value.fields == {
        "kind": ["請選擇類別。"],
        "title": ["請填寫名稱。"],
        "held_on": ["114年3月3日沒有在任的府會聯絡人可以邀請。"],
    }
    assert not LiaisonMeeting.objects.exists()


def test_only_council_staff_create_meetings_and_record_attendance(staff, udd):
    liaison = appoint(udd, "張聯絡", by=staff["desk"])
    for person in ("udd", "udd_head", "udd_liaison"):
        with pytest.raises(PermissionDenied):
            services.create_liaison_meeting("meeting", "座談會", DAY, by=staff[person])
    meeting = services.create_liaison_meeting("training", "研習", DAY, by=staff["desk"])
    with pytest.raises(PermissionDenied):
        services.record_attendance(meeting, [liaison.pk], by=staff["udd"])


def test_recording_attendance_sets_those_who_came_and_clears_the_others(staff, udd, police):
    chang = appoint(udd, "張聯絡", by=staff["desk"])
    wang = appoint(police, "王聯絡", by=staff["desk"])
    outsider = appoint(udd, "李聯絡", DAY + dt.timedelta(days=3), by=staff["desk"])
    meeting = services.create_liaison_meeting("meeting", "座談會", DAY, by=staff["desk"])

    services.record_attendance(meeting, [chang.pk, wang.pk], by=staff["desk"])
    services.record_attendance(meeting, [str(wang.pk)], by=staff["desk"])
    attended = dict(meeting.attendances.values_list("liaison__name", "attended"))
    assert attended == {"張聯絡": False, "王聯絡": True}

    with pytest.raises(DomainError) as refused:
        services.record_attendance(meeting, [outsider.pk], by=staff["desk"])
    assert refused.value.fields == {"attended": ["只能勾選受邀的府會聯絡人。"]}


def test_attendance_rates_per_meeting_and_over_the_period(staff):
    """Two meetings of 20 invitees with 18 and 19 present: 「平均出席率達92.5%」."""
    agencies = list(Agency.objects.order_by("sort_order", "code")[:20])
    liaisons = [appoint(a, f"聯絡人{i}", by=staff["desk"]) for i, a in enumerate(agencies)]
    first = services.create_liaison_meeting("meeting", "上半年座談會", DAY, by=staff["desk"])
    second = services.create_liaison_meeting(
        "training", "府會業務研習", DAY + dt.timedelta(days=60), by=staff["desk"]
    )
    outside = services.create_liaison_meeting(
        "meeting", "下半年座談會", dt.date(2025, 9, 1), by=staff["desk"]
    )
    services.record_attendance(first, [x.pk for x in liaisons[:18]], by=staff["desk"])
    services.record_attendance(second, [x.pk for x in liaisons[1:]], by=staff["desk"])
    services.record_attendance(outside, [liaisons[0].pk], by=staff["desk"])

    report = selectors.liaison_attendance(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    rows = [(r.meeting, r.invited, r.attended, r.rate, r.rate_text) for r in report.meetings]
    assert rows == [
        (first, 20, 18, Decimal("90.00"), "90%"),
        (second, 20, 19, Decimal("95.00"), "95%"),
    ]
    assert (report.invited, report.attended) == (40, 37)
    assert report.rate == Decimal("92.50")
    assert report.rate_text == "92.50%"


def test_a_period_without_meetings_has_no_rate():
    report = selectors.liaison_attendance(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert report.meetings == []
    assert report.rate is None
    assert report.rate_text == "—"


# --- Pages ------------------------------------------------------------------------------------


def test_everyone_signed_in_reads_the_liaisons_but_only_appointers_get_the_form(client, staff, udd):
    appoint(udd, "張聯絡", by=staff["desk"], email="chang@udd.test")
    client.force_login(staff["police"])
    page = client.get(reverse("council:liaisons"), {"day": "2025-03-03"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "張聯絡" in html and "chang@udd.test" in html
    assert "派兼府會聯絡人" not in html
    refused = client.post(reverse("council:liaisons"), {"agency": udd.pk, "name": "趙聯絡"})
    assert refused.status_code == 403
    history = client.get(reverse("council:liaison_history", args=[udd.code]))
    assert "張聯絡" in history.content.decode() and "登錄張聯絡卸任" not in history.content.decode()

    client.force_login(staff["udd_boss"])
    form = client.get(reverse("council:liaisons")).context["form"]
    assert list(form.fields["agency"].queryset) == [udd]


def test_appointing_through_the_page(client, staff, udd):
    client.force_login(staff["desk"])
    data = {"agency": udd.pk, "name": "張聯絡", "phone": "1999", "start_on": "114/03/03"}
    response = client.post(reverse("council:liaisons"), data, follow=True)
    assert "已派兼都發局府會聯絡人張聯絡（114年3月3日起）。" in response.content.decode()

    data = {"agency": udd.pk, "name": "", "phone": "", "start_on": "114/03/01"}
    response = client.post(reverse("council:liaisons"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert "請填寫姓名。" in html
    assert "請至少填寫電話、手機或電子郵件其中一項。" in html
    assert "派兼日須晚於張聯絡的派兼日（114年3月3日）。" in html
    assert Liaison.objects.count() == 1


def test_ending_through_the_history_page(client, staff, udd):
    liaison = appoint(udd, "張聯絡", by=staff["desk"])
    client.force_login(staff["udd_head"])
    url = reverse("council:liaison_history", args=[udd.code])
    assert client.post(url, {"end_on": "114/03/01"}).status_code == 400
    client.post(url, {"end_on": "114/06/30"})
    liaison.refresh_from_db()
    assert liaison.end_on == dt.date(2025, 6, 30)


def test_meeting_pages_are_for_council_staff(client, staff, udd):
    chang = appoint(udd, "張聯絡", by=staff["desk"])
    meeting = services.create_liaison_meeting("meeting", "座談會", DAY, by=staff["desk"])
    client.force_login(staff["udd_boss"])
    assert client.get(reverse("council:liaison_meetings")).status_code == 403
    assert client.get(reverse("council:liaison_meeting", args=[meeting.pk])).status_code == 403

    client.force_login(staff["desk"])
    url = reverse("council:liaison_meeting", args=[meeting.pk])
    client.post(url, {"attended": [chang.pk]})
    assert Attendance.objects.get(meeting=meeting).attended
    listing = client.get(reverse("council:liaison_meetings"), {"period": "114年"})
    html = listing.content.decode()
    assert "座談會" in html and "平均出席率100%" in html

    bad = client.post(reverse("council:liaison_meetings"), {"kind": "", "held_on": "114/03/03"})
    assert bad.status_code == 400
    assert "請選擇類別。" in bad.content.decode() and "請填寫名稱。" in bad.content.decode()
    unreadable = client.post(reverse("council:liaison_meetings"), {"held_on": "114/13/40"})
    assert "114年13月40日不存在（月份為1至12）" in unreadable.content.decode()
    assert LiaisonMeeting.objects.count() == 1
