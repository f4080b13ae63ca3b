"""文件登錄: reading a scanned letter's heading fields — the parsing of OCR lines (units), and
real Tesseract on letters printed by the documents renderer, rasterised, skewed and speckled."""

from __future__ import annotations

import difflib
import os
import random

import pytest

from secretariat.assist import ocr
from secretariat.assist.ocr import OcrLine
from tests.assist import letters

NAMES = {name: f"code-{i}" for i, name in enumerate(letters.SENDERS)}
SECRECIES = {"普通": "none", "密": "secret", "機密": "confidential"}


def read(*texts: str, confidence: float = 0.9) -> dict[str, ocr.FieldReading]:
    lines = [OcrLine(text, confidence) for text in texts]
    return ocr.read_letter(lines, NAMES, letters.SPEEDS, SECRECIES, "none")


PRINTED = (
    "臺北市政府工務局 函",
    "地址:臺北市信義區市府路1號",
    "受文者:臺北市政府秘書處",
    "發文日期:中華民國115年12月1日",
    "發文字號:北市工建字第1153001234號",
    "速別:速件",
    "密等及解密條件或保密期限:",
    "附件:",
    "主旨:函請貴處協助辦理市政大樓節能改善工程,",
    "請查照。",
    "說明:",
    "一、依據本府115年11月30日府授秘文字第1153000001號函辦理。",
)


def test_every_field_of_a_clean_page_with_its_source_line():
    found = read(*PRINTED)
    assert {name: f.value for name, f in found.items()} == {
        "sender_name": "臺北市政府工務局",
        "sender_date": "2026-12-01",
        "sender_number": "北市工建字第1153001234號",
        "speed": "urgent",
        "secrecy": "none",
        "subject": "函請貴處協助辦理市政大樓節能改善工程，請查照。",
    }
    assert found["sender_number"].source == "發文字號:北市工建字第1153001234號"
    assert found["subject"].source == "主旨:函請貴處協助辦理市政大樓節能改善工程, 請查照。"
    assert all(0 < f.confidence <= 0.9 for f in found.values())


def test_a_confidential_letter_reads_its_secrecy_before_the_declassification_note():
    found = read("密等及解密條件或保密期限:密(本件至116年解密)")
    assert found["secrecy"].value == "secret"
    assert found["declassify"].value == "本件至116年解密"


def test_digits_misread_as_letters_are_read_back_and_specks_before_a_label_ignored():
    found = read("_1發文日期:中華民國ll5年O3月2l日", "1發文字號:北市交工字第115O0012號")
    assert found["sender_date"].value == "2026-03-21"
    assert found["sender_number"].value == "北市交工字第11500012號"


def test_an_impossible_date_is_not_proposed():
    assert "sender_date" not in read("發文日期:中華民國115年2月30日")


def test_a_misread_document_kind_still_names_the_agency_at_a_lower_confidence():
    found = read("臺北市政府交通局囤", "地址:臺北市信義區市府路1號")
    assert found["sender_name"].value == "臺北市政府交通局"
    assert found["sender_name"].confidence < 0.9 * 0.9


def test_a_heading_close_to_a_registry_name_is_matched_and_an_unknown_one_kept_as_read():
    assert read("臺北市政府工務扃 函")["sender_name"].value == "臺北市政府工務局"
    unknown = read("宏遠科技股份有限公司 函")["sender_name"]
    assert unknown.value == "宏遠科技股份有限公司"
    assert unknown.confidence == pytest.approx(0.45)


def test_a_misread_subject_label_takes_the_line_after_the_attachments():
    found = read("附件:", "ES :有關防汛演練一案,請查照。", "說明:")
    assert found["subject"].value == "有關防汛演練一案，請查照。"
    assert found["subject"].confidence == pytest.approx(0.9 * 0.7)


def test_the_subject_stops_at_the_first_numbered_item_and_at_its_full_stop():
    found = read("主旨:有關防汛演練一案,請查照。正本:", "一、依據本府函辦理。")
    assert found["subject"].value == "有關防汛演練一案，請查照。"


def test_fields_not_on_the_page_are_left_out():
    assert read("這不是一份公文") == {}


def _require_tesseract() -> None:
    if not ocr.available():
        message = (
            "找不到 tesseract 或 pdftoppm（apt-get install tesseract-ocr-chi-tra poppler-utils）"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.parametrize("seed", [3, 11])
def test_tesseract_reads_every_field_of_a_skewed_speckled_scan(seed):
    """The heading fields exactly; the 主旨 — a free sentence, where Tesseract may take one
    character for a similar one (汛 for 汕) — at least 90% alike."""
    _require_tesseract()
    rng = random.Random(seed)
    letter = letters.random_letter(rng)
    png = letters.scanned(letters.rasterise(letters.letter_pdf(letter)), rng)
    found = ocr.read_letter(
        ocr.read_page(png, "image/png"), NAMES, letters.SPEEDS, SECRECIES, "none"
    )
    values = {name: f.value for name, f in found.items()}
    expected = letter.expected()
    subject = values.pop("subject")
    assert difflib.SequenceMatcher(None, subject, expected.pop("subject")).ratio() >= 0.9
    assert values == expected


def test_tesseract_reads_a_scan_saved_as_pdf():
    _require_tesseract()
    rng = random.Random(5)
    letter = letters.random_letter(rng)
    pdf = letters.as_pdf(letters.scanned(letters.rasterise(letters.letter_pdf(letter)), rng))
    found = ocr.read_letter(
        ocr.read_page(pdf, "application/pdf"), NAMES, letters.SPEEDS, SECRECIES, "none"
    )
    assert found["sender_number"].value == letter.number
    assert found["subject"].value == letter.subject


def test_a_file_that_is_no_image_is_refused_as_unreadable():
    _require_tesseract()
    with pytest.raises(ocr.OcrUnavailable):
        ocr.read_page(b"\x89PNG\r\n\x1a\n not really", "image/png")
