"""文件登錄 in a real browser (issue 20): the clerk uploads a scanned paper letter, 「讀取掃描檔」
pre-fills the 收文 form by OCR (each field with its confidence and the line it was read
from), the clerk checks it and saves — the scan is kept with the document as its PDF. The
pages pass axe and do not scroll sideways at phone width."""

from __future__ import annotations

import dataclasses
import random

import pytest

from secretariat.assist import ocr
from secretariat.documents.models import Document, DraftRole
from tests.assist import letters
from tests.e2e.conftest import assert_accessible, login


def fits_phone(page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"scrolls sideways at phone width by {overflow}px"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_scan_to_register_with_ocr_pre_fill(page, office):
    if not ocr.available():
        pytest.skip(
            "找不到 tesseract 或 pdftoppm（apt-get install tesseract-ocr-chi-tra poppler-utils）"
        )
    rng = random.Random(21)
    # a confidential letter: its 解密條件 is read too
    letter = dataclasses.replace(letters.random_letter(rng), secrecy="密")
    png = letters.scanned(letters.rasterise(letters.letter_pdf(letter)), rng)

    login(page, office.clerk.username)
    page.goto("/documents/receive/")
    page.locator("#id_scan").set_input_files(
        files=[{"name": "來文掃描.png", "mimeType": "image/png", "buffer": png}]
    )
    page.get_by_role("button", name="讀取掃描檔（文字辨識預填）").click()
    reading = page.locator("#ocr-reading")
    reading.wait_for()
    assert "來文掃描.pdf" in reading.inner_text()  # the image is kept as a PDF
    assert page.locator("#id_sender_name").input_value() == letter.sender
    assert page.locator("#id_sender_number").input_value() == letter.number
    assert page.locator("#id_speed").input_value() == letters.SPEEDS[letter.speed]
    assert page.locator("#id_subject").input_value().startswith("有關")
    rows = reading.locator("tbody tr")
    assert rows.count() == 7
    assert page.locator("#id_secrecy").input_value() == "secret"
    assert page.locator("#id_declassify").input_value().endswith("年解密")
    assert "發文字號:" + letter.number in rows.nth(1).inner_text()
    assert_accessible(page)
    fits_phone(page)

    # the clerk corrects the 主旨 if OCR took a character for another, and saves
    page.locator("#id_subject").fill(letter.subject)
    page.locator("#id_pin").fill(office.pin)
    page.get_by_role("button", name="收文", exact=True).click()
    page.locator(".msg-success").wait_for()

    document = Document.objects.get()
    assert (document.sender_name, document.sender_number) == (letter.sender, letter.number)
    assert document.confidential
    assert document.sender_date == letter.date
    scan = document.attachments.get(role=DraftRole.INCOMING, is_scan=True)
    assert scan.content_type == "application/pdf"
    # the 分文 step says why it suggests nothing (a confidential subject is not read)
    assert page.locator("#unit-suggestion").is_visible()
    assert_accessible(page)
    fits_phone(page)
