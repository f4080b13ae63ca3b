"""Reading and writing a document's text where it is kept: in plain columns for an ordinary
document, sealed with the document's data key for a confidential one (``secrecy``). Every
service and selector goes through here, so no code path can store a confidential text in
the clear by forgetting to seal it.

These functions do not check who asks or audit the opening: ``services.open_document`` does
that before a person sees a confidential text.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.files.base import ContentFile

from secretariat.documents import content as contents
from secretariat.documents import secrecy
from secretariat.documents.models import (
    Attachment,
    Document,
    Draft,
    DraftVersion,
    Point,
    Secrecy,
)

_SUBJECT, _OPINION, _VERSION, _FILE, _FILE_NAME = "subject", "opinion", "version", "file", "name"


def make_confidential(document: Document, secrecy_level: str) -> None:
    """Give a new document its secrecy; a confidential one gets its data key (before any of
    its text is stored)."""
    document.secrecy = secrecy_level
    if secrecy_level != Secrecy.NONE and not document.wrapped_key:
        key, wrapped = secrecy.new_data_key(document.uid)
        document.wrapped_key = wrapped
        document._secrecy_box = secrecy.Box(document.uid, key)


def set_subject(document: Document, subject: str) -> None:
    if document.confidential:
        document.subject = ""
        document.sealed_subject = secrecy.box_for(document).seal_text(_SUBJECT, subject)
    else:
        document.subject = subject
        document.sealed_subject = None


def subject_of(document: Document) -> str:
    if document.confidential:
        return secrecy.box_for(document).open_text(_SUBJECT, document.sealed_subject, "主旨")
    return document.subject


def write_version(document: Document, draft: Draft, content: dict[str, Any], *, by) -> DraftVersion:
    last = draft.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = DraftVersion(
        draft=draft, number=last + 1, content_hash=contents.content_hash(content), created_by=by
    )
    text = json.dumps(content, ensure_ascii=False, sort_keys=True)
    if document.confidential:
        purpose = f"{_VERSION}:{draft.role}:{version.number}"
        version.sealed_content = secrecy.box_for(document).seal_text(purpose, text)
    else:
        version.content = text
    version.save()
    return version


def version_content(document: Document, version: DraftVersion, role: str | None = None) -> dict:
    """The content of a version as stored (decrypted for a confidential document). Raises
    ``secrecy.SecrecyError`` when a sealed one does not open (changed bytes)."""
    if document.confidential:
        purpose = f"{_VERSION}:{role or version.draft.role}:{version.number}"
        text = secrecy.box_for(document).open_text(purpose, version.sealed_content, "文稿內容")
    else:
        text = version.content
    return json.loads(text)


def set_opinion(document: Document, point: Point, opinion: str) -> None:
    if document.confidential and opinion:
        point.opinion = ""
        point.sealed_opinion = secrecy.box_for(document).seal_text(_OPINION, opinion)
    else:
        point.opinion = opinion
        point.sealed_opinion = None


def opinion_of(document: Document, point: Point) -> str:
    if point.sealed_opinion:
        return secrecy.box_for(document).open_text(_OPINION, point.sealed_opinion, "意見")
    return point.opinion


def store_file(
    document: Document,
    *,
    role: str,
    name: str,
    data: bytes,
    content_type: str,
    media: str,
    count: int = 1,
    is_scan: bool = False,
) -> Attachment:
    """An attachment's file: sealed (and its name) for a confidential document."""
    attachment = Attachment(
        document=document,
        role=role,
        is_scan=is_scan,
        media=media,
        count=count,
        size=len(data),
        content_type=content_type,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    stored = data
    if document.confidential:
        box = secrecy.box_for(document)
        attachment.sealed_name = box.seal_text(f"{_FILE_NAME}:{attachment.sha256}", name)
        stored = box.seal(f"{_FILE}:{attachment.sha256}", data)
    else:
        attachment.name = name
    if data:
        attachment.file.save("file", ContentFile(stored), save=False)
    attachment.save()
    return attachment


def file_name(document: Document, attachment: Attachment) -> str:
    if attachment.sealed_name:
        purpose = f"{_FILE_NAME}:{attachment.sha256}"
        return secrecy.box_for(document).open_text(purpose, attachment.sealed_name, "附件名稱")
    return attachment.name


def file_bytes(document: Document, attachment: Attachment) -> bytes:
    if not attachment.file:
        return b""
    with attachment.file.open("rb") as handle:
        data = handle.read()
    if document.confidential:
        return secrecy.box_for(document).open(f"{_FILE}:{attachment.sha256}", data, "附件")
    return data


def seal_bytes(document: Document, purpose: str, data: bytes) -> bytes:
    """Bytes kept beside a document (the sealed outgoing PDF), sealed when confidential."""
    return secrecy.box_for(document).seal(purpose, data) if document.confidential else data


def open_bytes(document: Document, purpose: str, data: bytes) -> bytes:
    return secrecy.box_for(document).open(purpose, data, "檔案") if document.confidential else data
