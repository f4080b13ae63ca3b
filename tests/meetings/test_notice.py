"""The 開會通知單 (ODT) and the iCalendar invitation: sent to the members by office and the
presenting agencies, parsed back with ``icalendar``; a second notice updates the same event
(SEQUENCE), a cancellation cancels it; the documents app's seam is called when configured."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core import mail
from icalendar import Calendar

from secretariat.meetings import services

pytestmark = pytest.mark.django_db


def _event(ics: bytes):
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_the_invitation_parses_with_the_meeting_in_taipei_time(today_meeting, people):
    notice = services.notice_for(today_meeting)
    calendar, event = _event(notice.ics)
    assert calendar["METHOD"] == "REQUEST"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Taipei"
    start = event.decoded("DTSTART")
    assert start.date() == today_meeting.held_on and start.time() == dt.time(9, 0)
    assert start.utcoffset() == dt.timedelta(hours=8)
    assert event.decoded("DTEND").time() == dt.time(12, 0)
    assert str(event["SUMMARY"]) == "第2,400次市政會議"
    assert str(event["UID"]) == f"meeting-{today_meeting.pk}@secretariat.gov.taipei"
    assert "社會住宅興建進度報告" in str(event["DESCRIPTION"])
    attendees = {str(a): a.params["ROLE"] for a in event["ATTENDEE"]}
    assert attendees["mailto:udd-head@example.test"] == "REQ-PARTICIPANT"
    assert attendees["mailto:police-head@example.test"] == "REQ-PARTICIPANT"


def test_sending_again_updates_the_same_event_and_a_cancel_cancels_it(today_meeting, people):
    first = int(_event(services.notice_for(today_meeting).ics)[1]["SEQUENCE"])
    services.send_notice(today_meeting, by=people["staff"])
    today_meeting.refresh_from_db()
    second = _event(services.notice_for(today_meeting).ics)[1]
    assert int(second["SEQUENCE"]) == first + 1
    services.cancel_meeting(today_meeting, "颱風停止上班", by=people["staff"])
    today_meeting.refresh_from_db()
    calendar, cancelled = _event(services.notice_for(today_meeting, method="CANCEL").ics)
    assert calendar["METHOD"] == "CANCEL" and str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == first + 2


def test_members_get_the_invitation_by_mail(
    council, people, agency, immediate_jobs, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    staff = people["staff"]
    meeting = services.schedule_meeting(council, held_on=timezone.localdate(), by=staff)
    services.propose_item(meeting, kind="report", title="報告", agency=agency("都發局"), by=staff)
    services.approve_agenda(meeting, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_notice(meeting, by=staff)
    to_head = next(m for m in mail.outbox if m.to == ["udd-head@example.test"])
    assert to_head.subject.startswith("開會通知：")
    (name, content, content_type) = to_head.attachments[0]
    assert name == "invite.ics" and content_type.startswith("text/calendar")
    body = content if isinstance(content, bytes) else content.encode()
    assert _event(body)[1]["SUMMARY"] == meeting.title
    assert people["udd_head"].notifications.filter(title__startswith="開會通知").exists()


def test_the_notice_is_an_odt_and_goes_to_the_documents_seam(today_meeting, people, settings):
    odt = services.notice_for(today_meeting).odt
    with zipfile.ZipFile(io.BytesIO(odt)) as package:
        assert package.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        content = package.read("content.xml").decode()
    assert "臺北市政府開會通知單" in content and "第2,400次市政會議" in content
    assert "各一級機關首長" not in content and "周局長" in content
    settings.MEETINGS_NOTICE_SENDER = "tests.meetings.test_notice.record_notice"
    SENT.clear()
    services.send_notice(today_meeting, by=people["staff"])
    assert SENT == [(today_meeting.pk, "開會通知：第2,400次市政會議")]


SENT: list = []


def record_notice(meeting, notice, by) -> None:
    SENT.append((meeting.pk, notice.subject.split("（")[0]))
