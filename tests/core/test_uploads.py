"""Uploads are judged by content as well as name (issue 15, finding 10 — core/uploads.py):
an executable named invoice.pdf is refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from openpyxl import Workbook

from secretariat.core import uploads
from secretariat.core.errors import DomainError

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def odf(document) -> bytes:
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def package(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = package({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("公文.pdf", PDF, "application/pdf"),
        ("現場.PNG", PNG, "image/png"),
        ("現場.jpeg", JPEG, "image/jpeg"),
        ("說明.odt", odf(OpenDocumentText()), "application/vnd.oasis.opendocument.text"),
        (
            "統計.ods",
            odf(OpenDocumentSpreadsheet()),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        (
            "說明.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("統計.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("統計.csv", "年度,件數\n114,3\n".encode(), "text/csv"),
        ("說明.txt", "第一行\n第二行\t完".encode(), "text/plain"),
    ],
)
def test_files_whose_content_matches_their_name_are_accepted(name, content, content_type):
    assert uploads.check_upload(SimpleUploadedFile(name, content)) == content_type


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("invoice.pdf", EXE),  # an executable named as a PDF
        ("現場.jpg", PNG),  # a PNG is not a JPEG
        ("空白.pdf", b""),
        ("說明.odt", odf(OpenDocumentSpreadsheet())),  # a spreadsheet named as a text
        ("說明.odt", package({"content.xml": b"<x/>"})),  # a ZIP without the mimetype member
        ("說明.docx", xlsx()),  # a workbook named as a Word file
        ("統計.xlsx", b"PK\x03\x04 not really a package"),
        ("說明.txt", "舊系統".encode("big5")),  # not UTF-8
        ("統計.csv", b"a,b\n1,\x00\n"),  # NUL
    ],
)
def test_content_that_does_not_match_the_name_is_refused(name, content):
    with pytest.raises(DomainError) as raised:
        uploads.check_upload(SimpleUploadedFile(name, content))
    assert raised.value.code == "attachment_content"
    (message,) = raised.value.fields["attachments"]
    assert f"附件「{name}」的內容不是" in message and message.endswith("與副檔名不符。")


@pytest.mark.parametrize("name", ["run.exe", "無副檔名", "report.pdf.exe"])
def test_names_without_an_accepted_extension_are_refused(name):
    with pytest.raises(DomainError) as raised:
        uploads.check_upload(SimpleUploadedFile(name, PDF))
    assert raised.value.code == "attachment_type"
    assert "的檔案類型不被接受" in raised.value.message


def test_files_over_the_limit_are_refused(settings):
    settings.CASE_ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(DomainError, match="超過 1 MB 的大小上限"):
        uploads.check_upload(SimpleUploadedFile("大檔.pdf", PDF + b"0" * 1024 * 1024))


def test_a_checked_upload_is_rewound_for_storing():
    upload = SimpleUploadedFile("公文.pdf", PDF)
    uploads.check_upload(upload)
    assert upload.read() == PDF
