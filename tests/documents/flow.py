"""Driving a document through its steps in tests: each helper is one step as a person takes
it, through the services (the pages call the same functions)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from secretariat.documents import services
from secretariat.documents.models import Document, DraftRole, Origin

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

LETTER_SECTIONS = {
    "說明": "一、依據本府115年11月30日府授秘文字第1153000001號函辦理。\n"
    "二、本案辦理情形如下：\n（一）已完成場地勘查。\n（二）預定12月中旬施作。",
    "辦法": "請於115年12月20日前回復。",
}
RECIPIENTS = [
    {"copy": "original", "name": "臺北市政府", "method": "exchange"},
    {"copy": "copy", "name": "民政局", "method": "post"},
]


def scan(name: str = "來文.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def receive(office, *, subject="函請協助辦理市政大樓節能改善", **extra) -> Document:
    values = {
        "origin": Origin.PAPER,
        "doc_type": "letter",
        "subject": subject,
        "sender_name": "臺北市政府工務局",
        "sender_number": "北市工建字第1153001234號",
        "speed": "normal",
        "scan": scan(),
        "by": office.clerk,
        "pin": office.pin,
    }
    values.update(extra)
    return services.receive_document(**values)


def to_officer(office, document: Document) -> Document:
    return services.distribute(document, officer=office.officer, by=office.clerk, pin=office.pin)


def write_drafts(office, document: Document, by=None, *, recipients=None, subject=None) -> None:
    by = by or office.officer
    services.save_draft(
        document,
        DraftRole.MEMO,
        doc_type="memo",
        subject=subject or "擬函復工務局節能改善案",
        sections={"說明": "工務局來函請協助辦理。", "擬辦": "擬如稿函復。"},
        by=by,
    )
    services.save_draft(
        document,
        DraftRole.OUTGOING,
        doc_type="letter",
        subject=subject or "有關市政大樓節能改善一案，復請查照。",
        sections=LETTER_SECTIONS,
        recipients=RECIPIENTS if recipients is None else recipients,
        by=by,
    )


def to_decision(office, document: Document, *, decider=None, cosign=True) -> Document:
    """From the officer's hands to 決行: 會辦 機要組, 陳核 科長 → 組長 → the decider."""
    decider = decider or office.head
    if cosign:
        services.send_for_cosign(
            document, units=[office.units["機要組"]], by=office.officer, pin=office.pin
        )
        services.cosign(document, by=office.cosigner, opinion="敬會，無意見。", pin=office.pin)
    services.submit(document, to=office.chief, by=office.officer, pin=office.pin)
    if decider != office.chief:
        services.forward(document, to=office.director, by=office.chief, pin=office.pin)
        if decider != office.director:
            services.forward(document, to=decider, by=office.director, pin=office.pin)
    services.decide(document, by=decider, opinion="如擬。", pin=office.pin)
    return document


def to_sealed(office, document: Document) -> Document:
    services.proof(document, by=office.officer, pin=office.pin)
    services.seal(
        document,
        by=office.keeper,
        seal_kind="agency_seal",
        impressions=2,
        pin=office.pin,
        seal_pin=office.pin,
    )
    return document


def out_the_door(office, document: Document) -> Document:
    to_sealed(office, document)
    services.dispatch(document, by=office.clerk, pin=office.pin)
    return document


def whole_path(office, **extra) -> Document:
    document = to_officer(office, receive(office, **extra))
    write_drafts(office, document)
    to_decision(office, document)
    out_the_door(office, document)
    services.file_document(
        document, by=office.officer, file_code="115/010101/1", retention="10年", pin=office.pin
    )
    document.refresh_from_db()
    return document


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
