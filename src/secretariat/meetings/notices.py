"""The meeting notice (開會通知單) as an OpenDocument text, the iCalendar invitation
(RFC 5545, through ``icalendar``) and the minutes as a document.

Official letters (公文) belong to the ``documents`` app. This module only writes the notice's
content; ``services.send_notice`` hands it to the callable named by the setting
``MEETINGS_NOTICE_SENDER`` when one is configured (the documents app's seam: it may send the
notice as a 公文), and otherwise the notice is offered for download on the meeting's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from secretariat.core import roc
from secretariat.core.documents import add_lines, document_bytes, text_document

TAIPEI = ZoneInfo("Asia/Taipei")
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class Invitee:
    """Someone a notice goes to: name, e-mail (may be empty), and why (出席 or 列席)."""

    name: str
    email: str
    role: str = "出席"


def _agenda_lines(meeting, items) -> list[str]:
    lines = []
    for number, item in enumerate(items, start=1):
        speaker = f"（{item.speaker}）" if item.speaker else ""
        kind = item.get_kind_display()
        lines.append(f"{number}、{kind}：{item.title}　{item.agency.short_name}{speaker}")
    return lines


def notice_odt(meeting, items: Iterable, members: Iterable[str], observers: Iterable[str]) -> bytes:
    """開會通知單: 開會事由, time, place, chair, who attends (出席) and who sits in (列席), the
    agenda; A4 with the CJK font."""
    document, styles = text_document()
    add_lines(document, styles["title"], "臺北市政府開會通知單")
    rows = [
        ("開會事由", meeting.title),
        ("開會時間", meeting.when),
        ("開會地點", meeting.place + (f"（{meeting.district}）" if meeting.district else "")),
        ("主持人", meeting.series.chair_title),
        ("出席者", "、".join(members) or "（依席次）"),
        ("列席者", "、".join(observers) or "—"),
        ("聯絡人", "臺北市政府秘書處議事人員"),
    ]
    for label, value in rows:
        add_lines(document, styles["body"], f"{label}：{value}")
    add_lines(document, styles["h2"], "議程")
    for line in _agenda_lines(meeting, items) or ["（議程另行通知）"]:
        add_lines(document, styles["body"], line)
    add_lines(document, styles["body"], "備註：本會議為電子化會議，議程及附件請於系統中檢視。")
    return document_bytes(document)


def minutes_odt(meeting, minutes, entries: Iterable, attendance: Iterable) -> bytes:
    """會議紀錄 as a document: the heading facts, who attended, each item's report,
    discussion and decision."""
    document, styles = text_document()
    add_lines(document, styles["title"], f"{meeting.title}紀錄")
    add_lines(document, styles["body"], f"時間：{meeting.when}")
    add_lines(document, styles["body"], f"地點：{meeting.place}")
    add_lines(document, styles["body"], f"主席：{minutes.chair_name or meeting.series.chair_title}")
    names = "、".join(
        row.attendee_name + ("（代理）" if row.kind == "substitute" else "") for row in attendance
    )
    add_lines(document, styles["body"], f"出席：{names or '（詳簽到表）'}")
    add_lines(document, styles["body"], f"紀錄：{minutes.recorder or '秘書處'}")
    for number, entry in enumerate(entries, start=1):
        item = entry.item
        add_lines(document, styles["h2"], f"{number}、{item.get_kind_display()}：{item.title}")
        add_lines(document, styles["body"], f"報告機關：{item.agency.short_name}")
        for label, text in (("報告內容", entry.report), ("討論摘要", entry.discussion)):
            if text:
                add_lines(document, styles["h3"], label)
                add_lines(document, styles["body"], text)
        if entry.resolution:
            add_lines(document, styles["h3"], entry.get_resolution_kind_display())
            add_lines(document, styles["body"], entry.resolution)
    if minutes.notes:
        add_lines(document, styles["h2"], "其他事項")
        add_lines(document, styles["body"], minutes.notes)
    return document_bytes(document)


def _moment(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=TAIPEI)


def organizer_address() -> str:
    """The mailbox invitations come from (the Secretariat's meeting desk)."""
    return getattr(settings, "MEETINGS_ORGANIZER_EMAIL", "") or settings.DEFAULT_FROM_EMAIL


def invitation_ics(
    meeting, items: Iterable, invitees: Iterable[Invitee], *, method: str = "REQUEST"
) -> bytes:
    """An iCalendar invitation (METHOD REQUEST, or CANCEL for a cancelled meeting): one
    VEVENT in Taipei time with a VTIMEZONE, a UID stable for the meeting and a SEQUENCE that
    grows with every notice, so calendars update the same event."""
    from icalendar import Calendar, Event, vCalAddress, vText

    calendar = Calendar()
    calendar.add("prodid", "-//臺北市政府秘書處//府級會議//ZH-TW")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{settings.MEETINGS_ICAL_DOMAIN}")
    event.add("sequence", meeting.notice_sequence)
    event.add("dtstamp", dt.datetime.now(tz=dt.UTC))
    event.add("dtstart", _moment(meeting.held_on, meeting.starts_at))
    event.add("dtend", _moment(meeting.held_on, meeting.ends_at))
    event.add("summary", meeting.title)
    place = meeting.place + (f"（{meeting.district}）" if meeting.district else "")
    event.add("location", place)
    agenda = "\n".join(_agenda_lines(meeting, items))
    event.add("description", f"主持人：{meeting.series.chair_title}\n議程：\n{agenda}")
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{organizer_address()}")
    organizer.params["cn"] = vText("臺北市政府秘書處")
    event.add("organizer", organizer)
    for invitee in invitees:
        if not invitee.email:
            continue
        attendee = vCalAddress(f"mailto:{invitee.email}")
        attendee.params["cn"] = vText(invitee.name)
        attendee.params["role"] = vText(
            "REQ-PARTICIPANT" if invitee.role == "出席" else "OPT-PARTICIPANT"
        )
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def notice_subject(meeting) -> str:
    """「開會通知：第2262次市政會議（115年12月8日上午9時）」"""
    start = roc.format_date(meeting.held_on) + roc.format_time(meeting.starts_at)
    return f"開會通知：{meeting.title}（{start}）"
