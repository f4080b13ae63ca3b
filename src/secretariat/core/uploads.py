"""The rule for uploaded files (附件), shared by every module that accepts them: the type is
judged by the name's extension AND by the content, so an executable named invoice.pdf is
refused. The content check is a small table of signatures (no libmagic): each accepted type
has a fixed header, or is a ZIP package with a known member, or is UTF-8 text."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from secretariat.core.errors import DomainError

# How much of a text file is read to decide that it is text (whole files up to the size
# limit would be read otherwise; a binary file shows itself in its first bytes).
TEXT_SAMPLE_BYTES = 64 * 1024
# A package member read to check its type is tiny; a larger one is not what it claims.
MEMBER_LIMIT = 1024


def _starts_with(*headers: bytes) -> Callable[[object], bool]:
    def check(upload) -> bool:
        head = _read(upload, max(len(h) for h in headers))
        return any(head.startswith(header) for header in headers)

    return check


def _odf(mimetype: str) -> Callable[[object], bool]:
    """An OpenDocument package: a ZIP whose ``mimetype`` member names the type (ODF 1.2 §3.3)."""

    def check(upload) -> bool:
        with _zip(upload) as package:
            if package is None or "mimetype" not in package.namelist():
                return False
            if package.getinfo("mimetype").file_size > MEMBER_LIMIT:
                return False
            return package.read("mimetype").strip() == mimetype.encode()

    return check


def _ooxml(main_part: str) -> Callable[[object], bool]:
    """An Office Open XML package: a ZIP with ``[Content_Types].xml`` and its main part."""

    def check(upload) -> bool:
        with _zip(upload) as package:
            if package is None:
                return False
            names = set(package.namelist())
            return "[Content_Types].xml" in names and main_part in names

    return check


def _utf8_text(upload) -> bool:
    """Text: UTF-8 (a character cut at the end of the sample is forgiven) without NUL."""
    sample = _read(upload, TEXT_SAMPLE_BYTES)
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(sample) - 3 and len(sample) == TEXT_SAMPLE_BYTES
    return True


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str  # as the refusal names it: 「不是 PDF 檔」
    matches: Callable[[object], bool]


_PDF = FileType("application/pdf", "PDF", _starts_with(b"%PDF-"))
_JPEG = FileType("image/jpeg", "JPEG 圖片", _starts_with(b"\xff\xd8\xff"))
_PNG = FileType("image/png", "PNG 圖片", _starts_with(b"\x89PNG\r\n\x1a\n"))

FILE_TYPES: dict[str, FileType] = {
    ".pdf": _PDF,
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
    ".png": _PNG,
    ".odt": FileType(
        "application/vnd.oasis.opendocument.text",
        "ODT 文件",
        _odf("application/vnd.oasis.opendocument.text"),
    ),
    ".ods": FileType(
        "application/vnd.oasis.opendocument.spreadsheet",
        "ODS 試算表",
        _odf("application/vnd.oasis.opendocument.spreadsheet"),
    ),
    ".docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word 文件（DOCX）",
        _ooxml("word/document.xml"),
    ),
    ".xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel 活頁簿（XLSX）",
        _ooxml("xl/workbook.xml"),
    ),
    ".csv": FileType("text/csv", "UTF-8 文字檔", _utf8_text),
    ".txt": FileType("text/plain", "UTF-8 文字檔", _utf8_text),
}


# Slides shown at meetings (簡報) besides the documents every module takes.
PRESENTATION_TYPES: dict[str, FileType] = {
    **FILE_TYPES,
    ".pptx": FileType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint 簡報（PPTX）",
        _ooxml("ppt/presentation.xml"),
    ),
    ".odp": FileType(
        "application/vnd.oasis.opendocument.presentation",
        "ODP 簡報",
        _odf("application/vnd.oasis.opendocument.presentation"),
    ),
}


def _read(upload, size: int) -> bytes:
    upload.seek(0)
    try:
        return upload.read(size)
    finally:
        upload.seek(0)


class _zip:
    """The upload opened as a ZIP package (None when it is not one), rewound afterwards."""

    def __init__(self, upload) -> None:
        self.upload = upload

    def __enter__(self) -> zipfile.ZipFile | None:
        self.upload.seek(0)
        try:
            self.package = zipfile.ZipFile(self.upload)
        except (zipfile.BadZipFile, OSError, ValueError):
            self.package = None
        return self.package

    def __exit__(self, *exc) -> None:
        if self.package is not None:
            self.package.close()
        self.upload.seek(0)


def max_upload_bytes() -> int:
    return settings.CASE_ATTACHMENT_MAX_BYTES


def accepted_extensions(types: dict[str, FileType] = FILE_TYPES) -> str:
    """「csv、docx、…」 for help texts and messages."""
    return "、".join(sorted(suffix.lstrip(".") for suffix in types))


def _refuse(field: str, message: str, code: str) -> DomainError:
    return DomainError(code, message, {field: [message]})


def check_upload(
    upload,
    *,
    field: str = "attachments",
    types: dict[str, FileType] = FILE_TYPES,
    max_bytes: int | None = None,
) -> str:
    """The content type of an acceptable upload, or a DomainError on ``field`` naming the file
    and the reason: an extension not accepted, a file over the size limit (``max_bytes``, by
    default ``CASE_ATTACHMENT_MAX_BYTES``), or content that is not what the extension says."""
    name = upload.name or ""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    file_type = types.get(suffix)
    if file_type is None:
        raise _refuse(
            field,
            f"附件「{name}」的檔案類型不被接受（僅限 {accepted_extensions(types)}）。",
            "attachment_type",
        )
    limit_bytes = max_upload_bytes() if max_bytes is None else max_bytes
    if upload.size > limit_bytes:
        limit = limit_bytes // (1024 * 1024)
        raise _refuse(field, f"附件「{name}」超過 {limit} MB 的大小上限。", "attachment_size")
    try:
        matches = file_type.matches(upload)
    except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError):
        matches = False  # a damaged package, or one that needs a password
    if not matches:
        raise _refuse(
            field,
            f"附件「{name}」的內容不是{file_type.label}，與副檔名不符。",
            "attachment_content",
        )
    return file_type.content_type
