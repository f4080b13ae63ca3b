"""The package's cover sheet (包件封面): A4, the QR code the courier scans at the bank (its
token, printed beneath for typing), the sending and receiving agencies, the bank and the
document list — a PDF through WeasyPrint like the documents' outputs. The QR code is drawn
by ``segno`` as SVG (a data URI, so no file or network is needed)."""

from __future__ import annotations

import segno
from django.template.loader import render_to_string

from secretariat.core import roc
from secretariat.core.documents import html_to_pdf
from secretariat.lockers import selectors
from secretariat.lockers.models import Package


def qr_svg_uri(text: str) -> str:
    """``text`` as a QR code (error correction M), an SVG data URI."""
    return segno.make_qr(text, error="m").svg_data_uri(scale=6, border=2)


def cover_pdf(package: Package) -> bytes:
    items = [
        {
            "reference": item.document.reference,
            "subject": item.document.subject,
            "doc_type": item.document.get_doc_type_display(),
            "speed": item.document.get_speed_display(),
            "dispatched_on": roc.format_date(item.document.dispatched_on)
            if item.document.dispatched_on
            else "",
        }
        for item in selectors.items_of(package)
    ]
    context = {
        "package": package,
        "qr": qr_svg_uri(package.token),
        "items": items,
        "packed_on": roc.format_datetime(package.packed_at),
    }
    return html_to_pdf(render_to_string("lockers/cover_pdf.html", context))
