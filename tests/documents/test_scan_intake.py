"""文件登錄 and the learned suggestions on the 公文 pages (issue 20): a scanned letter read by
OCR pre-fills 收文 and is saved through the same receive service; 分文 shows the units past
documents like it went to; 歸檔 shows the 檔案編目 proposals."""

from __future__ import annotations

import base64
import io
import os
import random
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from secretariat.assist import ocr
from secretariat.documents import scans, selectors, services
from secretariat.documents.models import Document, DraftRole, Origin, SigningMode
from tests.assist import letters

from .flow import receive, to_decision, to_officer, whole_path

pytestmark = pytest.mark.django_db


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture(scope="module")
def scanned_letter():
    """A 工務局 letter printed, rasterised, skewed and speckled (PNG), and its fields."""
    if not ocr.available():
        pytest.skip(
            "找不到 tesseract 或 pdftoppm（apt-get install tesseract-ocr-chi-tra poppler-utils）"
        )
    rng = random.Random(7)
    letter = letters.Letter(
        sender="臺北市政府工務局",
        number="北市工建字第1153001234號",
        date=letters.random_letter(rng).date.replace(year=2026, month=11, day=20),
        speed="速件",
        secrecy="",
        subject="有關市政大樓節能改善工程一案，請查照。",
    )
    return letter, letters.scanned(letters.rasterise(letters.letter_pdf(letter)), rng)


def _hidden_token(html: str) -> str:
    return re.search(r'name="scan_token" value="([^"]+)"', html).group(1)


def test_a_scan_read_pre_fills_the_form_and_is_saved_with_the_document(office, scanned_letter):
    letter, png = scanned_letter
    clerk = client_for(office.clerk)
    read = clerk.post(
        "/documents/receive/",
        {"read": "1", "scan": SimpleUploadedFile("來文.png", png, content_type="image/png")},
    )
    html = read.content.decode()
    assert read.status_code == 200
    assert "文字辨識預填結果" in html
    # each field pre-filled, with its confidence and the line it was read from
    assert 'value="臺北市政府工務局"' in html
    assert 'value="北市工建字第1153001234號"' in html
    assert "115/11/20" in html or "115年11月20日" in html
    assert '<option value="urgent" selected>' in html
    assert "有關市政大樓節能改善工程一案，請查照。</textarea>" in html
    assert "發文字號:北市工建字第1153001234號" in html
    assert re.search(r"<td>\d{2,3}%", html)
    token = _hidden_token(html)
    assert scans.pending(office.clerk, token) is not None
    # the clerk confirms; the scan kept under the token is saved as the 來文's PDF
    saved = clerk.post(
        "/documents/receive/",
        {
            "origin": "paper",
            "doc_type": "letter",
            "subject": letter.subject,
            "sender_name": letter.sender,
            "sender_number": letter.number,
            "sender_date": "115/11/20",
            "speed": "urgent",
            "secrecy": "none",
            "signing_mode": "online",
            "scan_token": token,
            "pin": office.pin,
        },
    )
    document = Document.objects.get()
    assert saved.status_code == 302
    assert (document.origin, document.sender_number) == (Origin.PAPER, letter.number)
    stored = document.attachments.get(role=DraftRole.INCOMING, is_scan=True)
    assert stored.content_type == "application/pdf"
    assert scans.pending(office.clerk, token) is None


def test_another_clerks_token_brings_no_scan(office, scanned_letter, make_person):
    _, png = scanned_letter
    read = client_for(office.clerk).post(
        "/documents/receive/",
        {"read": "1", "scan": SimpleUploadedFile("來文.png", png, content_type="image/png")},
    )
    token = _hidden_token(read.content.decode())
    other = make_person("doc-clerk2", "秘書處", "registry_clerk")
    answer = client_for(other).post(
        "/documents/receive/",
        {
            "origin": "paper",
            "doc_type": "letter",
            "subject": "函",
            "sender_name": "臺北市政府工務局",
            "speed": "normal",
            "secrecy": "none",
            "signing_mode": "paper",
            "scan_token": token,
        },
    )
    assert answer.status_code == 400
    assert "紙本來文請上傳掃描檔（PDF）。" in answer.content.decode()
    assert not Document.objects.exists()


def test_reading_refuses_a_file_that_is_not_a_scan_and_a_person_who_is_no_clerk(office):
    clerk = client_for(office.clerk)
    fake = SimpleUploadedFile("來文.png", b"MZ\x90\x00 not an image", content_type="image/png")
    answer = clerk.post("/documents/receive/", {"read": "1", "scan": fake})
    assert answer.status_code == 400
    assert "附件「來文.png」的內容不是PNG 圖片，與副檔名不符。" in answer.content.decode()
    missing = clerk.post("/documents/receive/", {"read": "1"})
    assert "請選擇要辨識的掃描檔（PDF 或圖片）。" in missing.content.decode()
    officer = client_for(office.officer)
    assert officer.post("/documents/receive/", {"read": "1"}).status_code == 403


def _post_scan(client: Client, name: str, data: bytes | str):
    content = data if isinstance(data, str) else base64.b64encode(data).decode("ascii")
    return client.post(
        "/api/v1/documents/scan-reading",
        {"name": name, "content_base64": content},
        content_type="application/json",
    )


def test_the_api_reads_a_scan_and_keeps_nothing(office, scanned_letter, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    letter, png = scanned_letter
    answer = _post_scan(client_for(office.clerk), "掃描/來文.png", png)
    assert answer.status_code == 200, answer.content
    read = answer.json()
    found = {row["field"]: row for row in read["fields"]}
    assert found["sender_number"]["value"] == letter.number
    assert found["sender_date"]["value"] == "2026-11-20"
    assert found["speed"]["value"] == "urgent"
    assert found["subject"]["value"] == letter.subject
    assert all(0 < row["confidence"] <= 1 and row["source"] for row in read["fields"])
    assert read["lines"] > 0
    assert list(tmp_path.rglob("*.sealed")) == []  # the caller sends the file again to 收文


def test_the_api_reading_names_what_is_wrong(office):
    clerk = client_for(office.clerk)
    not_base64 = _post_scan(clerk, "來文.png", "這不是Base64")
    assert not_base64.status_code == 400
    assert not_base64.json()["fields"] == {"scan": ["掃描檔「來文.png」不是有效的 Base64 內容。"]}
    no_name = _post_scan(clerk, "掃描/", b"%PDF-1.7")
    assert no_name.json()["fields"] == {"scan": ["掃描檔檔名「掃描/」無效，請提供含副檔名的檔名。"]}
    fake = _post_scan(clerk, "來文.png", b"MZ\x90\x00 not an image")
    assert fake.status_code == 400
    assert fake.json()["fields"] == {"scan": ["附件「來文.png」的內容不是PNG 圖片，與副檔名不符。"]}
    control = _post_scan(clerk, "來文\x07.png", b"%PDF-1.7")
    assert control.status_code == 422
    officer = client_for(office.officer)
    assert _post_scan(officer, "來文.pdf", b"%PDF-1.7").status_code == 403
    assert _post_scan(officer, "來文.png", "這不是Base64").status_code == 403


def _distribution_history(office):
    for n in range(6):
        for subject, officer in (
            (f"有關市政大樓空調設備維護第{n}案", office.officer),
            (f"有關機密文件保管稽核第{n}案", office.cosigner),
        ):
            document = receive(office, subject=subject, signing_mode=SigningMode.PAPER)
            services.distribute(document, officer=officer, by=office.clerk)
    confidential = receive(
        office,
        subject="有關市政大樓空調密件",
        secrecy="secret",
        declassify="本件於116年解密",
        signing_mode=SigningMode.PAPER,
    )
    services.distribute(confidential, officer=office.officer, by=office.clerk)
    history = selectors.past_distributions(office.officer.agency_id)
    assert len(history) == 12  # the confidential one is not learned from
    return receive(office, subject="有關市政大樓空調設備汰換一案", signing_mode=SigningMode.PAPER)


def test_distribution_shows_the_units_past_documents_like_it_went_to(office):
    waiting = _distribution_history(office)
    html = client_for(office.clerk).get(waiting.get_absolute_url()).content.decode()
    assert "分文建議" in html and "學習自本機關近 12 件分文紀錄" in html
    first = re.search(r'id="unit-suggestion".*?<li>([^：]+)：信心 (\d+)%', html, re.S)
    assert first.groups()[0] == "總務組"


def _approve_for_filing(office, document) -> None:
    """The officer's 簽 「擬存查」, approved: the document may be filed at the officer's desk."""
    services.save_draft(
        document,
        DraftRole.MEMO,
        doc_type="memo",
        subject="擬存查",
        sections={"說明": "工務局函知市政大樓節能改善工程期程。本處無須辦理。", "擬辦": "擬存查。"},
        by=office.officer,
    )
    to_decision(office, document, cosign=False)


def test_filing_shows_the_catalogue_proposals_and_learns_from_filed_documents(office):
    filed = whole_path(office)
    assert [p.file_code for p in selectors.past_filings(filed.agency_id)] == ["115/010101/1"]
    document = to_officer(office, receive(office, subject="有關市政大樓節能改善工程一案"))
    _approve_for_filing(office, document)
    html = client_for(office.officer).get(document.get_absolute_url()).content.decode()
    assert "檔案編目建議" in html
    assert "已歸檔且有檔號的公文僅 1 件，不足以學習分類號。" in html
    assert "摘錄自" in html and "市政大樓節能改善工程" in html


class _Clerk:
    def __init__(self, pk: int) -> None:
        self.pk = pk


def test_a_kept_scan_is_the_clerks_own_and_an_image_is_kept_as_a_pdf(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    image = io.BytesIO()
    Image.new("L", (200, 100), 255).save(image, "PNG")
    name, pdf = scans.as_pdf("來文.png", image.getvalue(), "image/png")
    assert name == "來文.pdf" and pdf.startswith(b"%PDF-")
    assert scans.as_pdf("a.pdf", b"%PDF-1.7", "application/pdf") == ("a.pdf", b"%PDF-1.7")
    mine, theirs = _Clerk(1), _Clerk(2)
    token = scans.keep(mine, name, pdf)
    assert scans.pending(mine, token).data == pdf
    assert scans.pending(theirs, token) is None
    assert scans.pending(mine, "../../secret-key") is None
    # it waits sealed: the file on disk is not the PDF, and a changed byte does not open
    old = tmp_path / "pending-scans" / "1" / f"{token}.sealed"
    sealed = old.read_bytes()
    assert b"%PDF" not in sealed
    old.write_bytes(sealed[:-1] + bytes([sealed[-1] ^ 1]))
    assert scans.pending(mine, token) is None
    old.write_bytes(sealed)
    # a scan left longer than KEEP is dropped when the next one is kept
    stale = time.time() - scans.KEEP.total_seconds() - 60
    os.utime(old, (stale, stale))
    scans.keep(mine, name, pdf)
    assert not old.exists()
    scans.drop(mine, token)
    assert scans.pending(mine, token) is None


def _assistance(person, document) -> dict:
    url = f"/api/v1/documents/{document.agency.code}/{document.number}/assistance"
    answer = client_for(person).get(url)
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_the_api_gives_whoever_holds_a_step_the_suggestions_its_page_shows(office):
    waiting = _distribution_history(office)
    at_desk = _assistance(office.clerk, waiting)
    ranked = at_desk["unit_suggestion"]["ranked"]
    assert ranked[0]["label"] == "總務組" and ranked[0]["grounds"]
    assert at_desk["unit_suggestion"]["trained_on"] == 12
    assert at_desk["filing_proposal"] is None
    # the officer holds no step of it yet: nothing to suggest
    assert _assistance(office.officer, waiting) == {
        "unit_suggestion": None,
        "filing_proposal": None,
    }
    services.distribute(waiting, officer=office.officer, by=office.clerk)
    assert _assistance(office.clerk, waiting)["unit_suggestion"] is None


def test_the_api_gives_the_filing_proposal_to_whoever_may_file(office):
    whole_path(office)
    document = to_officer(office, receive(office, subject="有關市政大樓節能改善工程一案"))
    assert _assistance(office.officer, document)["filing_proposal"] is None  # not approved
    _approve_for_filing(office, document)
    proposal = _assistance(office.officer, document)["filing_proposal"]
    assert proposal["notes"] == ["已歸檔且有檔號的公文僅 1 件，不足以學習分類號。"]
    assert "市政大樓節能改善工程" in proposal["summary"]["value"]
    assert proposal["summary"]["derived_from"].startswith("摘錄自")
