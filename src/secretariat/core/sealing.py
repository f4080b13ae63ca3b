"""Sealing (封存): what a background job must read but the database must not show — the
queued mail, whose receipt carries the citizen's status password — is stored encrypted with a
key kept outside the database, and deleted once used.

Fernet (``cryptography``: AES-128-CBC with HMAC-SHA256, authenticated) with the keys of the
``SEALING_KEYS`` setting, newest first (older keys still open what they sealed, so keys can be
rotated). Without the setting the key is derived from ``SECRET_KEY`` (HKDF-SHA256), which is
equally outside the database; changing either makes what is still sealed unreadable."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

__all__ = ["InvalidToken", "seal", "unseal"]


def _derived_key() -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"secretariat sealing")
    return base64.urlsafe_b64encode(hkdf.derive(settings.SECRET_KEY.encode()))


def _fernet() -> MultiFernet:
    keys = [key.encode() for key in settings.SEALING_KEYS] or [_derived_key()]
    return MultiFernet([Fernet(key) for key in keys])


def seal(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def unseal(token: bytes) -> bytes:
    """The sealed data; ``InvalidToken`` when it was tampered with or sealed with another key."""
    return _fernet().decrypt(bytes(token))
