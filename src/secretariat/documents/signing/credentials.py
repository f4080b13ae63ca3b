"""簽章憑證: a signer's key and certificate, on a PKCS#11 token or in a PKCS#12 file.

Staff sign with the smart card of their 政府憑證 (GCA) through the card reader's PKCS#11
module; SoftHSM2 stands in for the card in tests and the demo. The private key never leaves
the token: the token hashes and signs (``CKM_SHA256_RSA_PKCS``, or ``CKM_RSA_PKCS`` over a
DigestInfo on cards that only sign raw). A PKCS#12 file is for development only.

The PIN (or the file's password) is given when the credential is loaded — it is never stored
— and the credential is closed after the signing act::

    with load_credential(TokenSpec(token_label="王小明"), pin) as credential:
        record = sign_detached(data, credential, purpose="決行")
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from asn1crypto import algos
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.conf import settings
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass, TokenFlag
from pkcs11 import exceptions as p11
from pkcs11.mechanisms import GCMParams

from secretariat.documents.signing.problems import (
    checked_text,
    has_control_characters,
    problem,
)

MIN_RSA_BITS = 2048
DIGEST_ALGORITHM = "sha256"


@dataclass(frozen=True)
class TokenSpec:
    """A signing key on a PKCS#11 token (憑證卡). Without ``key_label``/``key_id`` the token
    must hold exactly one signing key; its certificate is the one with the key's public key."""

    token_label: str
    key_label: str | None = None
    key_id: bytes | None = None
    module: str | None = None  # default: settings.SIGNING_PKCS11_MODULE


@dataclass(frozen=True)
class Pkcs12Spec:
    """A PKCS#12 file (.p12/.pfx) holding a key and its certificate — development only."""

    path: str | Path


CredentialSpec = TokenSpec | Pkcs12Spec


class Credential:
    """A loaded key with its certificate (DER) and the CA certificates that came with it.
    Close it after use (``with``): a token session stays logged in until then."""

    kind: str  # "pkcs11" | "pkcs12"
    certificate: bytes
    chain: tuple[bytes, ...]

    def sign_pkcs1(self, message: bytes) -> bytes:
        """RSASSA-PKCS1-v1_5 with SHA-256 over ``message`` (the CMS signed attributes)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the key (log out of the token)."""

    def __enter__(self) -> Credential:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _TokenCredential(Credential):
    kind = "pkcs11"

    def __init__(self, label: str, session, key, mechanism: Mechanism, certificate: bytes, chain):
        self._label = label
        self._session = session
        self._key = key
        self._mechanism = mechanism
        self.certificate = certificate
        self.chain = tuple(chain)

    def sign_pkcs1(self, message: bytes) -> bytes:
        try:
            if self._mechanism == Mechanism.SHA256_RSA_PKCS:
                return self._key.sign(message, mechanism=Mechanism.SHA256_RSA_PKCS)
            digest_info = algos.DigestInfo(
                {
                    "digest_algorithm": {"algorithm": DIGEST_ALGORITHM, "parameters": None},
                    "digest": hashlib.sha256(message).digest(),
                }
            )
            return self._key.sign(digest_info.dump(), mechanism=Mechanism.RSA_PKCS)
        except p11.PKCS11Error as error:
            raise _token_problem(error, self._label) from error

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None


class _FileCredential(Credential):
    kind = "pkcs12"

    def __init__(self, key: rsa.RSAPrivateKey, certificate: bytes, chain):
        self._key = key
        self.certificate = certificate
        self.chain = tuple(chain)

    def sign_pkcs1(self, message: bytes) -> bytes:
        return self._key.sign(message, padding.PKCS1v15(), hashes.SHA256())


def load_credential(spec: CredentialSpec, pin: str) -> Credential:
    """Open the token and log in with ``pin`` (or read the PKCS#12 file with ``pin`` as its
    password). A wrong PIN, a locked card, a missing reader, token, key or certificate is a
    ``DomainError`` with a zh-Hant message (codes in ``problems.MESSAGES``)."""
    if isinstance(spec, Pkcs12Spec):
        return _load_pkcs12(spec, pin)
    return _load_token(spec, pin)


def _checked_pin(pin: str) -> str:
    if not isinstance(pin, str) or not 4 <= len(pin) <= 64 or has_control_characters(pin):
        raise problem("pin_invalid")
    return pin


def _load_token(spec: TokenSpec, pin: str) -> _TokenCredential:
    label = checked_text(spec.token_label, label="憑證卡標籤", limit=32)
    pin = _checked_pin(pin)
    library = _library(spec.module or settings.SIGNING_PKCS11_MODULE)
    try:
        token = library.get_token(token_label=label)
    except (p11.NoSuchToken, p11.TokenNotPresent, p11.TokenNotRecognised) as error:
        raise problem("token_missing", label=label) from error
    except p11.PKCS11Error as error:
        raise _token_problem(error, label) from error
    if token.flags & TokenFlag.USER_PIN_LOCKED:
        raise problem("pin_locked")
    try:
        session = token.open(user_pin=pin)
    except p11.PKCS11Error as error:
        raise _token_problem(error, label) from error
    try:
        key = _signing_key(session, spec)
        certificate, chain = _certificates_for(session, key)
        mechanism = _mechanism(token.slot)
    except BaseException:
        session.close()
        raise
    return _TokenCredential(label, session, key, mechanism, certificate, chain)


def _signing_key(session, spec: TokenSpec):
    query = {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.SIGN: True}
    if spec.key_label is not None:
        query[Attribute.LABEL] = checked_text(spec.key_label, label="金鑰標籤", limit=64)
    if spec.key_id is not None:
        query[Attribute.ID] = spec.key_id
    keys = list(session.get_objects(query))
    if not keys:
        which = f"「{spec.key_label}」" if spec.key_label else ""
        raise problem("key_missing", which=which)
    if len(keys) > 1:
        raise problem("key_ambiguous")
    key = keys[0]
    if key.key_type != KeyType.RSA or _modulus_bits(key) < MIN_RSA_BITS:
        raise problem("key_unsupported")
    return key


def _modulus_bits(key) -> int:
    return int.from_bytes(key[Attribute.MODULUS], "big").bit_length()


def _certificates_for(session, key) -> tuple[bytes, list[bytes]]:
    """The certificate whose public key is the key's (labels and ids vary between card
    issuers; the modulus does not), and the CA certificates stored beside it."""
    modulus = int.from_bytes(key[Attribute.MODULUS], "big")
    own, cas = None, []
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        der = bytes(obj[Attribute.VALUE])
        cert = x509.load_der_x509_certificate(der)
        public = cert.public_key()
        if isinstance(public, rsa.RSAPublicKey) and public.public_numbers().n == modulus:
            own = der
        elif _is_ca(cert):
            cas.append(der)
    if own is None:
        raise problem("certificate_missing")
    return own, cas


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def _mechanism(slot) -> Mechanism:
    return (
        Mechanism.SHA256_RSA_PKCS
        if Mechanism.SHA256_RSA_PKCS in slot.get_mechanisms()
        else Mechanism.RSA_PKCS
    )


def _token_problem(error: p11.PKCS11Error, label: str):
    if isinstance(error, p11.PinIncorrect):
        return problem("pin_incorrect")
    if isinstance(error, p11.PinLocked):
        return problem("pin_locked")
    if isinstance(error, p11.PinLenRange | p11.PinInvalid):
        return problem("pin_invalid")
    if isinstance(error, p11.TokenNotPresent | p11.DeviceRemoved):
        return problem("token_missing", label=label)
    return problem("token_error", detail=type(error).__name__)


# A GCM tag that does not verify: the standard says CKR_ENCRYPTED_DATA_INVALID; SoftHSM2 answers
# CKR_GENERAL_ERROR (the session and login having succeeded just before).
_REFUSED_CIPHERTEXT = (
    p11.EncryptedDataInvalid,
    p11.EncryptedDataLenRange,
    p11.GeneralError,
    p11.FunctionFailed,
)


class TokenSecretKey:
    """An AES key on a PKCS#11 token that encrypts and decrypts with AES-GCM on the token; the
    key never leaves it (機密文書's master key on a hardware module, docs/documents.md). Each
    operation opens and closes its own session: a few per request, and nothing held open for
    a fork or a module re-read to break."""

    def __init__(self, token_label: str, key_label: str, pin: str, module: str | None = None):
        self.token_label = checked_text(token_label, label="金鑰模組標籤", limit=32)
        self.key_label = checked_text(key_label, label="主金鑰標籤", limit=64)
        self.pin = pin
        self.module = module or settings.SIGNING_PKCS11_MODULE

    def _run(self, operation: str, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        pin = _checked_pin(self.pin)
        library = _library(self.module)
        try:
            token = library.get_token(token_label=self.token_label)
        except (p11.NoSuchToken, p11.TokenNotPresent, p11.TokenNotRecognised) as error:
            raise problem("token_missing", label=self.token_label) from error
        try:
            with token.open(user_pin=pin) as session:
                try:
                    key = session.get_key(
                        object_class=ObjectClass.SECRET_KEY,
                        key_type=KeyType.AES,
                        label=self.key_label,
                    )
                except (p11.NoSuchKey, p11.MultipleObjectsReturned) as error:
                    raise problem("key_missing", which=f"「{self.key_label}」") from error
                params = GCMParams(nonce, aad, 128)
                if operation == "encrypt":
                    return key.encrypt(data, mechanism=Mechanism.AES_GCM, mechanism_param=params)
                try:
                    return key.decrypt(data, mechanism=Mechanism.AES_GCM, mechanism_param=params)
                except _REFUSED_CIPHERTEXT as error:
                    refused = "the token refused the ciphertext (altered, or not its key)"
                    raise ValueError(refused) from error
        except p11.PKCS11Error as error:
            raise _token_problem(error, self.token_label) from error

    def encrypt(self, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        """Ciphertext and tag, as ``AESGCM.encrypt`` returns them."""
        return self._run("encrypt", nonce, data, aad)

    def decrypt(self, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        """The plain data; ValueError when the tag does not verify."""
        return self._run("decrypt", nonce, data, aad)


_libraries: dict[str, pkcs11.lib] = {}
_libraries_lock = threading.Lock()


def _library(path: str) -> pkcs11.lib:
    """One loaded PKCS#11 module per path for the process (C_Initialize once)."""
    with _libraries_lock:
        if path not in _libraries:
            if not Path(path).exists():
                raise problem("module_missing", path=path)
            try:
                _libraries[path] = pkcs11.lib(path)
            except p11.PKCS11Error as error:
                raise problem("module_missing", path=path) from error
        return _libraries[path]


def reinitialize_module(path: str) -> None:
    """Initialise a module this process has loaded again (C_Finalize, C_Initialize), so it
    reads its configuration anew; open sessions end. A module not loaded yet: nothing to do."""
    with _libraries_lock:
        library = _libraries.get(path)
        if library is not None:
            library.reinitialize()


def _load_pkcs12(spec: Pkcs12Spec, password: str) -> _FileCredential:
    path = Path(spec.path)
    if not path.is_file():
        raise problem("pkcs12_missing", path=str(path))
    password = _checked_pin(password)
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(
            path.read_bytes(), password.encode("utf-8")
        )
    except ValueError as error:
        raise problem("pkcs12_password_incorrect") from error
    if cert is None:
        raise problem("certificate_missing")
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < MIN_RSA_BITS:
        raise problem("key_unsupported")
    return _FileCredential(
        key, cert.public_bytes(Encoding.DER), [c.public_bytes(Encoding.DER) for c in extra]
    )
