"""Press contacts as vCard 4.0 (RFC 6350), for journalists' address books: one card per
contact, with the private numbers only for those who may see them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from secretariat.media.models import PressContact

CONTENT_TYPE = "text/vcard; charset=utf-8"
# RFC 6350 §3.2: lines longer than 75 octets are folded (CRLF and one space).
LINE_OCTETS = 75


def escape(value: str) -> str:
    """A property value's text (RFC 6350 §3.4): backslash, comma, semicolon and line breaks."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    pieces, current, size = [], "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        limit = (
            LINE_OCTETS if not pieces else LINE_OCTETS - 1
        )  # continuation lines start with a space
        if size + octets > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)


def card(contact: PressContact, *, private: bool) -> str:
    agency = contact.agency
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"FN:{escape(contact.name)}",
        f"N:{escape(contact.name)};;;;",
        f"ORG:{escape(agency.name)}",
        f"TITLE:{escape(contact.job_title or contact.get_role_display())}",
        f"ROLE:{escape(contact.get_role_display())}",
    ]
    if contact.office_phone:
        lines.append(f"TEL;TYPE=work,voice;VALUE=text:{escape(contact.office_phone)}")
    if private and contact.mobile:
        lines.append(f"TEL;TYPE=cell;VALUE=text:{escape(contact.mobile)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=work:{escape(contact.email)}")
    if private and contact.line_id:
        lines.append(f"IMPP:line:{escape(contact.line_id)}")
    if contact.topics:
        lines.append(f"NOTE:{escape('業務範圍：' + contact.topics)}")
    if contact.updated_at:
        lines.append(f"REV:{contact.updated_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def cards(contacts: Iterable[PressContact], *, private: bool) -> str:
    return "".join(card(contact, private=private) for contact in contacts)
