"""Electronic sign-in on the meeting day: members in person, someone of the same agency in a
member's place (代理出席), presenting agencies' people as observers; the desk records a paper
sheet; everyone else is refused."""

from __future__ import annotations

import pytest

from secretariat.core.errors import DomainError
from secretariat.meetings import selectors, services
from secretariat.meetings.models import AttendanceKind

pytestmark = pytest.mark.django_db


def test_members_sign_in_in_person_or_by_substitute(today_meeting, people):
    own = services.sign_in(today_meeting, by=people["udd_head"])
    assert (own.kind, own.seat_label) == (AttendanceKind.PRESENT, "各一級機關首長")
    with pytest.raises(DomainError) as twice:
        services.sign_in(today_meeting, by=people["udd_head"])
    assert twice.value.message == "您已完成簽到。"
    deputy = services.sign_in(
        today_meeting, by=people["police_officer"], for_member=people["police_head"]
    )
    assert (deputy.kind, deputy.member) == (AttendanceKind.SUBSTITUTE, people["police_head"])
    with pytest.raises(DomainError) as taken:
        services.sign_in(today_meeting, by=people["police_head"])
    assert taken.value.fields == {"member": ["褚局長已由許承辦簽到（代理出席）。"]}
    members, observers = selectors.sign_in_sheet(today_meeting)
    by_member = {row.member: row.attendance for row in members}
    assert by_member[people["mayor"]] is None
    assert by_member[people["police_head"]].attendee_name == "許承辦"


def test_a_substitute_of_another_agency_is_refused(today_meeting, people):
    with pytest.raises(DomainError) as refused:
        services.sign_in(today_meeting, by=people["udd_officer"], for_member=people["police_head"])
    assert refused.value.fields == {"member": ["代理出席限同一機關的人員。"]}


def test_observers_and_strangers(today_meeting, people):
    observer = services.sign_in(today_meeting, by=people["udd_officer"])
    assert observer.kind == AttendanceKind.OBSERVER and observer.member is None
    with pytest.raises(DomainError) as stranger:
        services.sign_in(today_meeting, by=people["dot_officer"])
    assert stranger.value.status == 403


def test_sign_in_only_on_the_meeting_day(planning, people, agency):
    staff = people["staff"]
    services.propose_item(planning, kind="report", title="報告", agency=agency("都發局"), by=staff)
    services.approve_agenda(planning, by=staff)
    services.send_notice(planning, by=staff)
    with pytest.raises(DomainError) as early:
        services.sign_in(planning, by=people["udd_head"])
    assert early.value.code == "not_meeting_day"
    assert "簽到限會議當天" in early.value.message


def test_the_desk_records_a_substitute_by_name(today_meeting, people):
    with pytest.raises(DomainError) as missing:
        services.record_attendance(
            today_meeting, kind="substitute", member=people["mayor"], name="", by=people["staff"]
        )
    assert missing.value.fields == {"name": ["請填寫出席者姓名。"]}
    row = services.record_attendance(
        today_meeting,
        kind="substitute",
        member=people["mayor"],
        name="李副市長",
        title="副市長",
        by=people["staff"],
    )
    assert row.attendee is None and row.attendee_name == "李副市長"
