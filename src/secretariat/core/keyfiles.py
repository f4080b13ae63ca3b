"""Secret files kept in the data dir (or where the settings say), made on first use.

A file is created atomically with mode 0600: written to a temporary file beside it and linked
into place, and link() refuses to replace, so processes starting together (``secretariat serve``
starts three) agree on the first one's content. No Django here: the settings use it for the
embedded set-up's ``SECRET_KEY``."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

# Django's own generated keys have 50 characters; its deployment check wants at least that.
SECRET_KEY_BYTES = 48


def create_once(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (mode 0600) unless the file exists already."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # Whoever links first wins; the others read that file.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def secret_key(path: Path) -> str:
    """The secret key kept in ``path``, generated on first use (64 URL-safe characters)."""
    create_once(path, secrets.token_urlsafe(SECRET_KEY_BYTES) + "\n")
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise ValueError(f"金鑰檔 {path} 是空的：請刪除後重新啟動，系統會產生新的金鑰。")
    return key
