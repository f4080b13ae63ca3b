"""The audit chain's keys (稽核鏈金鑰), kept outside the database.

Each audit entry's hash is an HMAC-SHA256 under a secret key, so someone who can write the
database but not read this file cannot recompute the chain after changing it. The keys live in
one file (``settings.AUDIT_KEY_FILE``, default ``<data dir>/audit-keys``, mode 0600), one line
per key, oldest first::

    # 稽核鏈金鑰：勿刪除舊金鑰（舊紀錄以舊金鑰驗證）
    3f9c01ab 5c1e…64 hex digits…

The last line signs new entries. Every entry stores the id of its key, so rotating (`secretariat
audit rotate-key`, which appends a key) leaves older entries verifiable with the older keys —
which is why a key is never removed. The file is created on first use (`secretariat setup`, or
the first audit entry), atomically, so two processes starting together agree on one key.
"""

from __future__ import annotations

import fcntl
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from secretariat.core import keyfiles

KEY_BYTES = 32
HEADER = "# 稽核鏈金鑰：勿刪除舊金鑰（舊紀錄以舊金鑰驗證）；權限須為 0600\n"


class KeyFileError(Exception):
    """The key file cannot be read as a list of keys (zh-Hant message)."""


@dataclass(frozen=True)
class Keyring:
    """Every key by id, in the order they were created; the last one signs new entries."""

    keys: dict[str, bytes]

    @property
    def current_id(self) -> str:
        return next(reversed(self.keys))

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]

    def order(self, key_id: str) -> int:
        """The key's place in the ring (0 the oldest); -1 for legacy entries without a key."""
        return -1 if not key_id else list(self.keys).index(key_id)


def key_file() -> Path:
    return Path(settings.AUDIT_KEY_FILE)


def _parse(text: str, path: Path) -> Keyring:
    keys: dict[str, bytes] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            key_id, secret = line.split()
            keys[key_id] = bytes.fromhex(secret)
        except ValueError as error:
            raise KeyFileError(f"稽核鏈金鑰檔 {path} 第 {number} 行格式錯誤。") from error
    if not keys:
        raise KeyFileError(f"稽核鏈金鑰檔 {path} 沒有任何金鑰。")
    return Keyring(keys)


_cache: dict[Path, tuple[tuple[int, int], Keyring]] = {}


def load() -> Keyring | None:
    """The keyring, or None when the key file does not exist (yet). Re-read whenever the file
    changes, so a rotation in another process is picked up by the next entry."""
    path = key_file()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(path)
    if cached is None or cached[0] != stamp:
        _cache[path] = (stamp, _parse(path.read_text(encoding="utf-8"), path))
    return _cache[path][1]


def _new_line() -> str:
    return f"{secrets.token_hex(4)} {secrets.token_hex(KEY_BYTES)}\n"


def ensure() -> Keyring:
    """The keyring, creating the key file with one key if it does not exist."""
    keyring = load()
    if keyring is not None:
        return keyring
    keyfiles.create_once(key_file(), HEADER + _new_line())
    return load()


def rotate() -> str:
    """Append a new key, which signs every entry from now on; returns its id."""
    ensure()
    line = _new_line()
    with open(key_file(), "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())
    return line.split()[0]


def loose_permissions() -> bool:
    """True when the key file may be read by other accounts than its owner."""
    try:
        return bool(key_file().stat().st_mode & 0o077)
    except FileNotFoundError:
        return False
