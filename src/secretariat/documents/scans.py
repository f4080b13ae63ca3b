"""Scans read before 收文 (文件登錄): the clerk uploads a paper letter's scan, OCR pre-fills
the form, and the clerk saves it later — the browser cannot send the file again, so it waits
here, in the clerk's own folder under ``DATA_DIR``, named by a random token the form carries.
An image is turned into a one-page PDF (the 收文 rule: a paper letter's scan is a PDF).

A scan waits at most ``KEEP`` (a form left open overnight is read again); it is removed
when the document is saved. It waits sealed like a confidential document's attachment
(``secrecy``: its own data key, wrapped by the master key): before the clerk saves, nobody has
said whether the letter is 機密, so every waiting scan is treated as if it were."""

from __future__ import annotations

import base64
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
from secretariat.documents import secrecy

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


def _box(user, token: str, wrapped: bytes | None = None) -> tuple[secrecy.Box, bytes]:
    """The scan's box under its own data key (a new one when ``wrapped`` is None), bound to
    the clerk and the token, so a sealed scan moved to another name does not open."""
    uid = f"pending-scan:{user.pk}:{token}"
    if wrapped is None:
        key, wrapped = secrecy.new_data_key(uid)
    else:
        key = secrecy.unwrap(uid, wrapped)
    return secrecy.Box(uid, key), wrapped


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
    box, wrapped = _box(user, token)
    (folder / f"{token}.sealed").write_bytes(box.seal("scan", data))
    meta = {"name": name, "key": base64.b64encode(wrapped).decode("ascii")}
    (folder / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def pending(user, token: str) -> PendingScan | None:
    """The scan ``user`` kept under ``token`` (another user's token finds nothing)."""
    if not token or not TOKEN_PATTERN.match(token):
        return None
    folder = _folder(user)
    path, meta = folder / f"{token}.sealed", folder / f"{token}.json"
    if not path.exists() or not meta.exists():
        return None
    kept = json.loads(meta.read_text(encoding="utf-8"))
    try:
        box, _ = _box(user, token, base64.b64decode(kept.get("key", "")))
        data = box.open("scan", path.read_bytes(), "掃描檔")
    except (secrecy.SecrecyError, ValueError):
        return None  # sealed under a master key no longer configured, or altered: read again
    return PendingScan(token, kept.get("name") or "來文.pdf", data)


def drop(user, token: str) -> None:
    if TOKEN_PATTERN.match(token or ""):
        for suffix in (".sealed", ".json"):
            (_folder(user) / f"{token}{suffix}").unlink(missing_ok=True)
