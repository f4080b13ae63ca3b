"""Scans read before 收文 (文件登錄): the clerk uploads a paper letter's scan, OCR pre-fills
the form, and the clerk saves it later — the browser cannot send the file again, so it waits
here, in the clerk's own folder under ``DATA_DIR``, named by a random token the form carries.
An image is turned into a one-page PDF (the 收文 rule: a paper letter's scan is a PDF).

A scan waits at most ``KEEP`` (a form left open overnight is read again); it is removed
when the document is saved."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from secretariat.core.uploads import FILE_TYPES

KEEP = dt.timedelta(hours=12)
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22}$")
# What a scan to be read may be: a PDF or a photo/scan image (core.uploads judges the content).
SCAN_TYPES = {suffix: FILE_TYPES[suffix] for suffix in (".pdf", ".png", ".jpg", ".jpeg")}
SCAN_DPI = 300  # the resolution an image's PDF declares (the page size follows from it)


@dataclass(frozen=True)
class PendingScan:
    token: str
    name: str
    data: bytes

    def upload(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, self.data, content_type="application/pdf")


def _folder(user) -> Path:
    return Path(settings.DATA_DIR) / "pending-scans" / str(user.pk)


def as_pdf(name: str, data: bytes, content_type: str) -> tuple[str, bytes]:
    """The scan as a PDF: a PDF as it is, an image as a one-page PDF (Pillow)."""
    if content_type == "application/pdf":
        return name, data
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, "PDF", resolution=SCAN_DPI)
    return f"{Path(name).stem}.pdf", out.getvalue()


def keep(user, name: str, data: bytes) -> str:
    """Keep a PDF scan for ``user``; its token. Scans older than ``KEEP`` are dropped."""
    folder = _folder(user)
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - KEEP.total_seconds()
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    (folder / f"{token}.pdf").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps({"name": name}), encoding="utf-8")
    return token


def pending(user, token: str) -> PendingScan | None:
    """The scan ``user`` kept under ``token`` (another user's token finds nothing)."""
    if not token or not TOKEN_PATTERN.match(token):
        return None
    folder = _folder(user)
    path, meta = folder / f"{token}.pdf", folder / f"{token}.json"
    if not path.exists() or not meta.exists():
        return None
    name = json.loads(meta.read_text(encoding="utf-8")).get("name") or "來文.pdf"
    return PendingScan(token, name, path.read_bytes())


def drop(user, token: str) -> None:
    if TOKEN_PATTERN.match(token or ""):
        for suffix in (".pdf", ".json"):
            (_folder(user) / f"{token}{suffix}").unlink(missing_ok=True)
