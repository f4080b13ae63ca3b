"""What a version of a draft holds, how it is checked, and its canonical bytes.

A version's content is one JSON object:

    {"doc_type": "letter", "subject": "…",
     "sections": [["說明", [{"text": "…", "children": […]}]], ["辦法", […]]],
     "recipients": [{"copy": "original", "name": "臺北市政府民政局", "agency": "ca",
                     "code": "", "method": "post", "with_attachments": true}],
     "meeting": {"time": "…", "place": "…", …}}

and the incoming document (來文) is a content too: the sender, its number and date, subject
and the hashes of its files — so the 收文 and 分文 points sign what was received. The
canonical bytes (sorted keys, no spaces, UTF-8) are what ``content_hash`` hashes and what a
signature, through its payload, covers.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from secretariat.core import registry
from secretariat.core.models import OFFICIAL_CODE_PATTERN
from secretariat.core.text import text_problem
from secretariat.documents import paragraphs
from secretariat.documents.models import (
    NAME_MAX,
    SUBJECT_MAX,
    CopyKind,
    DeliveryMethod,
    DocType,
)

SECTION_MAX = 20_000
MEETING_FIELD_MAX = 300
RECIPIENTS_MAX = 200

# The body sections of each 文別, in print order (the subject comes first in all of them).
SECTIONS: dict[str, tuple[str, ...]] = {
    DocType.MEMO: ("說明", "擬辦"),
    DocType.ANNOUNCEMENT: ("依據", "公告事項"),
    DocType.MEETING_NOTICE: (),
    DocType.INSPECTION_NOTICE: (),
}
DEFAULT_SECTIONS = ("說明", "辦法")
# What the subject is called where it is not 主旨.
SUBJECT_LABELS = {DocType.MEETING_NOTICE: "開會事由", DocType.INSPECTION_NOTICE: "會勘事由"}
# 文別 addressed to recipients (受文者, 正本, 副本); a 簽 and a 公告 are not.
ADDRESSED = (
    DocType.LETTER,
    DocType.BRIEF_LETTER,
    DocType.ORDER,
    DocType.MEETING_NOTICE,
    DocType.INSPECTION_NOTICE,
    DocType.NOTE,
    DocType.OTHER,
)
MEETING_FIELDS = (
    ("time", "開會時間"),
    ("place", "開會地點"),
    ("chair", "主持人"),
    ("contact", "聯絡人及電話"),
    ("attendees", "出席者"),
    ("observers", "列席者"),
    ("note", "備註"),
)
NOTICE_TYPES = (DocType.MEETING_NOTICE, DocType.INSPECTION_NOTICE)
_CODE = re.compile(OFFICIAL_CODE_PATTERN)


def sections_for(doc_type: str) -> tuple[str, ...]:
    return SECTIONS.get(doc_type, DEFAULT_SECTIONS)


def subject_label(doc_type: str) -> str:
    return SUBJECT_LABELS.get(doc_type, "主旨")


def canonical(content: Mapping[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def content_hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()


@dataclass(frozen=True)
class Recipient:
    """A recipient as a draft names it (受文者)."""

    copy: str
    name: str
    method: str
    agency: str = ""  # the registry's code (slug) when the name is an agency of the registry
    code: str = ""  # 機關代碼
    with_attachments: bool = True

    def as_data(self) -> dict[str, Any]:
        return {
            "copy": self.copy,
            "name": self.name,
            "method": self.method,
            "agency": self.agency,
            "code": self.code,
            "with_attachments": self.with_attachments,
        }


def _text(value: str, label: str, field: str, errors: dict, *, limit: int, multiline=False) -> str:
    value = (value or "").strip()
    problem = text_problem(value, label, multiline=multiline, max_length=limit)
    if problem:
        errors.setdefault(field, []).append(problem)
    return value


def _known_code(name: str) -> str:
    """The 機關代碼 of a body outside the registry that the settings know (臺北市政府)."""
    government = settings.DOCUMENTS_GOVERNMENT
    return government["official_code"] if name == government["name"] else ""


def check_recipients(
    rows: Sequence[Mapping[str, Any]], errors: dict[str, list[str]]
) -> list[Recipient]:
    """Each recipient: a name; 正本 or 副本; a 發文方式; a registry agency's 機關代碼 taken from
    the registry; and for 電子交換 a 機關代碼 — an agency whose code is not recorded cannot
    be sent to electronically."""
    if len(rows) > RECIPIENTS_MAX:
        errors.setdefault("recipients", []).append(f"受文者最多 {RECIPIENTS_MAX} 個。")
        return []
    index = registry.AgencyIndex.build() if rows else None
    found: list[Recipient] = []
    for number, row in enumerate(rows, start=1):
        where = f"第{number}個受文者"
        name = _text(row.get("name", ""), where, "recipients", errors, limit=NAME_MAX)
        if not name:
            errors.setdefault("recipients", []).append(f"{where}請填寫名稱。")
            continue
        copy, method = row.get("copy", ""), row.get("method", "")
        if copy not in CopyKind.values:
            errors.setdefault("recipients", []).append(f"受文者「{name}」請選擇正本或副本。")
            continue
        if method not in DeliveryMethod.values:
            errors.setdefault("recipients", []).append(f"受文者「{name}」請選擇發文方式。")
            continue
        typed = (row.get("code") or "").strip().upper()
        agency = index.find(name) if index else None
        if agency is not None:
            if typed and agency.official_code and typed != agency.official_code:
                errors.setdefault("recipients", []).append(
                    f"受文者「{name}」的機關代碼應為 {agency.official_code}（機關名錄）。"
                )
                continue
            code = agency.official_code or typed
            name = agency.name
        else:
            code = typed or _known_code(name)
        if code and not _CODE.match(code):
            errors.setdefault("recipients", []).append(
                f"受文者「{name}」的機關代碼「{code}」格式不正確（10 碼，例如 379000000A）。"
            )
            continue
        if method == DeliveryMethod.EXCHANGE and not code:
            reason = (
                "在機關名錄尚未登錄機關代碼，請洽系統管理者登錄，或改用其他發文方式"
                if agency is not None
                else "沒有機關代碼，以電子交換發文須填 10 碼機關代碼"
            )
            errors.setdefault("recipients", []).append(f"受文者「{name}」{reason}。")
            continue
        found.append(
            Recipient(
                copy=copy,
                name=name,
                method=method,
                agency=agency.code if agency is not None else "",
                code=code,
                with_attachments=bool(row.get("with_attachments", True)),
            )
        )
    return found


def build(
    doc_type: str,
    subject: str,
    sections: Mapping[str, str],
    *,
    recipients: Sequence[Mapping[str, Any]] = (),
    meeting: Mapping[str, str] | None = None,
    addressed: bool = False,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A 簽 or 稿 from what its editor typed: the subject, each section one item a line
    (numbered automatically), the recipients of an addressed 稿 and a notice's meeting
    details. Returns the content and every problem keyed by field."""
    errors: dict[str, list[str]] = {}
    if doc_type not in DocType.values:
        errors["doc_type"] = ["請選擇文別。"]
        return {}, errors
    label = subject_label(doc_type)
    subject = _text(subject, label, "subject", errors, limit=SUBJECT_MAX)
    if not subject and "subject" not in errors:
        errors["subject"] = [f"請填寫{label}。"]
    body = []
    for title in sections_for(doc_type):
        raw = _text(
            sections.get(title, ""), title, title, errors, limit=SECTION_MAX, multiline=True
        )
        try:
            items = paragraphs.parse(raw, title)
        except paragraphs.ParagraphError as error:
            errors.setdefault(title, []).append(str(error))
            continue
        if items:
            body.append([title, [item.as_data() for item in items]])
    content: dict[str, Any] = {"doc_type": doc_type, "subject": subject, "sections": body}
    if doc_type in NOTICE_TYPES:
        details = {}
        for key, field_label in MEETING_FIELDS:
            value = _text(
                (meeting or {}).get(key, ""), field_label, key, errors, limit=MEETING_FIELD_MAX
            )
            if value:
                details[key] = value
        for key, field_label in MEETING_FIELDS[:2]:
            if key not in details and key not in errors:
                errors[key] = [f"請填寫{field_label}。"]
        content["meeting"] = details
    if addressed and doc_type in ADDRESSED:
        found = check_recipients(recipients, errors)
        if not errors.get("recipients") and not any(r.copy == CopyKind.ORIGINAL for r in found):
            errors["recipients"] = ["請至少指定一個正本受文者。"]
        content["recipients"] = [r.as_data() for r in found]
    return content, errors


def recipients_of(content: Mapping[str, Any]) -> list[Recipient]:
    return [Recipient(**row) for row in content.get("recipients", ())]


def numbered_sections(content: Mapping[str, Any]) -> list[tuple[str, list[paragraphs.Line]]]:
    """Each section's printed lines (「說明：」 with 一、（一）…)."""
    return [
        (title, paragraphs.lines([paragraphs.Item.from_data(item) for item in items]))
        for title, items in content.get("sections", ())
    ]


def section_texts(content: Mapping[str, Any]) -> dict[str, str]:
    """The sections as an editor types them (for a form's initial values)."""
    return {
        title: paragraphs.as_text([paragraphs.Item.from_data(item) for item in items])
        for title, items in content.get("sections", ())
    }


def plain_text(content: Mapping[str, Any]) -> str:
    """The whole text, line by line (the search index, tracked changes)."""
    lines = [f"{subject_label(content.get('doc_type', ''))}：{content.get('subject', '')}"]
    for title, numbered in numbered_sections(content):
        lines.append(f"{title}：")
        lines.extend("\u3000" * line.level + line.label + line.text for line in numbered)
    for key, label in MEETING_FIELDS:
        value = (content.get("meeting") or {}).get(key)
        if value:
            lines.append(f"{label}：{value}")
    for recipient in recipients_of(content):
        copy = CopyKind(recipient.copy).label
        lines.append(f"{copy}：{recipient.name}（{DeliveryMethod(recipient.method).label}）")
    return "\n".join(lines)


def incoming(
    *,
    doc_type: str,
    subject: str,
    sender_name: str,
    sender_code: str,
    sender_number: str,
    sender_date: str,
    speed: str,
    secrecy: str,
    deadline: str,
    files: Sequence[Mapping[str, Any]],
    sections: Sequence = (),
    meeting: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The incoming document as received, for the 收文 and 分文 points to sign (an electronic
    來文 brings its paragraphs and a notice's meeting details)."""
    received = {
        "doc_type": doc_type,
        "subject": subject,
        "sender": sender_name,
        "sender_code": sender_code,
        "sender_number": sender_number,
        "sender_date": sender_date,
        "speed": speed,
        "secrecy": secrecy,
        "deadline": deadline,
        "files": list(files),
        "sections": [[title, list(items)] for title, items in sections],
    }
    if meeting:
        received["meeting"] = dict(meeting)
    return received
