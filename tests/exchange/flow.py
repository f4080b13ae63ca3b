"""A 函 dispatched electronically by the office to 民政局 (on the platform) and to 臺北市政府
(outside: through the gateway), with one attachment."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from secretariat.documents import services
from secretariat.exchange.models import Exchange
from tests.documents import flow

RECIPIENTS = [
    {"copy": "original", "name": "民政局", "method": "exchange"},
    {"copy": "copy", "name": "臺北市政府", "method": "exchange"},
    {"copy": "copy", "name": "工務局", "method": "post"},
]
ATTACHMENT = flow.PDF + b"% plan\n"


def sealed_letter(office, **extra):
    """The 函 decided, proofed and sealed: what the 收發 dispatches next."""
    document = flow.to_officer(office, flow.receive(office, **extra))
    flow.write_drafts(office, document, recipients=RECIPIENTS)
    services.add_attachments(
        document,
        [SimpleUploadedFile("節能改善計畫.pdf", ATTACHMENT, content_type="application/pdf")],
        by=office.officer,
    )
    flow.to_decision(office, document, cosign=False)
    flow.to_sealed(office, document)
    return document


def exchanges_of(document) -> dict:
    return {e.recipient_code: e for e in Exchange.objects.filter(document=document)}


def dispatch_letter(office, capture, **extra):
    document = sealed_letter(office, **extra)
    with capture(execute=True):
        services.dispatch(document, by=office.clerk, pin=office.pin)
    document.refresh_from_db()
    return document, exchanges_of(document)
