"""機密文書的加密保存: a confidential document's text and attachments are encrypted at rest.

Each confidential document has its own data key (256-bit AES), made when it becomes
confidential and stored only wrapped (encrypted) by a master key that is not in the database
— an AES key on a PKCS#11 token (``DOCUMENTS_MASTER_TOKEN``: the token encrypts and decrypts,
the key never leaves it), or the ``DOCUMENTS_MASTER_KEYS`` setting (base64 keys, newest
first; older ones still unwrap what they wrapped), or a key derived from ``SECRET_KEY`` when
neither is set. A copy of the database alone therefore reveals nothing.

Everything is AES-256-GCM from ``cryptography`` (``AESGCM``): a fresh 96-bit nonce per
encryption, and the document's uid and the field's name as associated data, so a ciphertext
moved to another document or field does not decrypt. Wrapped key: ``key id (8 hex) | nonce |
ciphertext``; a sealed value: ``nonce | ciphertext``.
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from secretariat.core.errors import DomainError

NONCE_BYTES = 12
KEY_ID_BYTES = 8


class SecrecyError(DomainError):
    """A sealed value that does not open: tampered with, or sealed under a key not configured."""

    def __init__(self, what: str):
        super().__init__(
            "sealed_unreadable",
            f"機密文書的{what}無法解密：內容遭竄改，或加密金鑰未設定（DOCUMENTS_MASTER_KEYS）。",
        )


class _Master(Protocol):
    """What wraps a data key: ``AESGCM`` over a key from settings, or ``TokenSecretKey``."""

    def encrypt(self, nonce: bytes, data: bytes, aad: bytes) -> bytes: ...

    def decrypt(self, nonce: bytes, data: bytes, aad: bytes) -> bytes: ...


@lru_cache(maxsize=8)
def _keyring(
    configured: tuple[str, ...], secret: str, token: str, token_pin: str
) -> dict[str, _Master]:
    ring: dict[str, _Master] = {}
    if token:
        from secretariat.documents.signing.credentials import TokenSecretKey  # python-pkcs11

        token_label, _, key_label = token.partition("/")
        if not token_label or not key_label:
            raise ValueError("DOCUMENTS_MASTER_TOKEN: 'token label/key label'")
        ring[_key_id(b"token:" + token.encode())] = TokenSecretKey(
            token_label, key_label, token_pin
        )
    keys = [base64.b64decode(key) for key in configured]
    if not keys:
        hkdf = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"secretariat documents master"
        )
        keys = [hkdf.derive(secret.encode())]
    for key in keys:
        if len(key) != 32:
            raise ValueError("DOCUMENTS_MASTER_KEYS: each key must be 32 bytes (base64)")
        ring[_key_id(key)] = AESGCM(key)
    return ring


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"key-id:" + key).hexdigest()[:KEY_ID_BYTES]


def master_keys() -> dict[str, _Master]:
    """The master keys by id, newest first: the token's (DOCUMENTS_MASTER_TOKEN), then those
    of DOCUMENTS_MASTER_KEYS (or the one derived from SECRET_KEY)."""
    return _keyring(
        tuple(settings.DOCUMENTS_MASTER_KEYS),
        settings.SECRET_KEY,
        settings.DOCUMENTS_MASTER_TOKEN,
        settings.DOCUMENTS_MASTER_TOKEN_PIN,
    )


def new_master_key() -> str:
    """A fresh master key for ``DOCUMENTS_MASTER_KEYS`` (base64)."""
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()


def _aad(uid, purpose: str) -> bytes:
    return f"{uid}:{purpose}".encode()


def _wrap(uid, key: bytes) -> bytes:
    key_id, master = next(iter(master_keys().items()))
    nonce = os.urandom(NONCE_BYTES)
    return key_id.encode() + nonce + master.encrypt(nonce, key, _aad(uid, "data-key"))


def new_data_key(uid) -> tuple[bytes, bytes]:
    """A new data key for the document ``uid``: (the key, the key wrapped for storage)."""
    key = AESGCM.generate_key(bit_length=256)
    return key, _wrap(uid, key)


def unwrap(uid, wrapped: bytes) -> bytes:
    wrapped = bytes(wrapped)
    key_id = wrapped[:KEY_ID_BYTES].decode("ascii", "replace")
    master = master_keys().get(key_id)
    if master is None:
        raise SecrecyError("資料金鑰")
    nonce = wrapped[KEY_ID_BYTES : KEY_ID_BYTES + NONCE_BYTES]
    try:
        return master.decrypt(nonce, wrapped[KEY_ID_BYTES + NONCE_BYTES :], _aad(uid, "data-key"))
    except (InvalidTag, ValueError) as error:
        raise SecrecyError("資料金鑰") from error


def check_master_key() -> None:
    """Wrap and unwrap a throw-away key with the newest master key (``secretariat check``);
    raises what a real wrap would."""
    key = AESGCM.generate_key(bit_length=256)
    if unwrap("check", _wrap("check", key)) != key:
        raise SecrecyError("資料金鑰")


def rewrap(uid, wrapped: bytes) -> bytes:
    """The data key wrapped again under the newest master key (after a key rotation)."""
    return _wrap(uid, unwrap(uid, wrapped))


class Box:
    """A document's data key at work: ``seal`` and ``open`` its values. Built from the stored
    wrapped key once per request (``box_for``)."""

    def __init__(self, uid, key: bytes):
        self.uid = uid
        self._aead = AESGCM(key)

    def seal(self, purpose: str, data: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, data, _aad(self.uid, purpose))

    def open(self, purpose: str, sealed: bytes, what: str = "內容") -> bytes:
        sealed = bytes(sealed)
        try:
            return self._aead.decrypt(
                sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _aad(self.uid, purpose)
            )
        except InvalidTag as error:
            raise SecrecyError(what) from error

    def seal_text(self, purpose: str, text: str) -> bytes:
        return self.seal(purpose, text.encode("utf-8"))

    def open_text(self, purpose: str, sealed: bytes, what: str = "內容") -> str:
        return self.open(purpose, sealed, what).decode("utf-8")


def box_for(document) -> Box:
    """The document's box (its data key unwrapped once and kept on the instance)."""
    cached = getattr(document, "_secrecy_box", None)
    if cached is None:
        if not document.wrapped_key:
            raise SecrecyError("資料金鑰")
        cached = Box(document.uid, unwrap(document.uid, document.wrapped_key))
        document._secrecy_box = cached
    return cached
