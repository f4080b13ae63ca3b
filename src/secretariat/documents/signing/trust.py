"""信任憑證: which certificates a signature may chain to, and checking a certificate at a time.

A ``TrustStore`` holds the trust anchors (production: the 政府憑證管理中心 GCA roots; tests: a
CA the tests make), CA certificates that help build a chain (the GCA's issuing CAs, since a
smart card usually holds only its own certificate) and CRL files. Path building and checking
are pyhanko-certvalidator's; the store remembers a good result for the span of time in which
it cannot change (every certificate of the path valid, every CRL current), so the nightly check
of millions of signatures by a few thousand signers validates each chain once.

Revocation is checked offline only: a certificate that names a CRL distribution point is
checked against the configured CRL of its issuer; without one it is not checked, and
``CertificateInfo.revocation_checked`` says so.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InsufficientRevinfoError,
    InvalidCertificateError,
    NotYetValidError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
)

from secretariat.documents.signing import _aio
from secretariat.documents.signing.problems import problem

# A signing certificate must allow digital signatures (GCA signing certificates also carry
# nonRepudiation, which is not required).
SIGNING_KEY_USAGE = frozenset({"digital_signature"})

CertificateLike = x509.Certificate | asn1_x509.Certificate | bytes

_CACHE_LIMIT = 4096


@dataclass(frozen=True)
class CertificateInfo:
    """A certificate that passed ``validate_certificate``, as a trail records it."""

    subject: str  # RFC 4514, e.g. "CN=王小明,O=臺北市政府秘書處,C=TW"
    issuer: str
    serial: str  # hexadecimal, upper case
    not_before: datetime
    not_after: datetime
    revocation_checked: bool


@dataclass(frozen=True)
class _Outcome:
    code: str | None  # None: the certificate is good
    revocation_checked: bool = False


class TrustStore:
    """Trust anchors, helping CA certificates and CRLs (see the module docstring)."""

    def __init__(
        self,
        anchors: Iterable[CertificateLike],
        intermediates: Iterable[CertificateLike] = (),
        crls: Iterable[bytes | asn1_crl.CertificateList] = (),
    ):
        self.anchors = tuple(as_asn1(c) for c in anchors)
        self.intermediates = tuple(as_asn1(c) for c in intermediates)
        self.crls = tuple(
            c if isinstance(c, asn1_crl.CertificateList) else asn1_crl.CertificateList.load(c)
            for c in crls
        )
        self._crl_issuers = {c["tbs_cert_list"]["issuer"].dump() for c in self.crls}
        self._revoked = {
            (c["tbs_cert_list"]["issuer"].dump(), entry["user_certificate"].native)
            for c in self.crls
            for entry in c["tbs_cert_list"]["revoked_certificates"]
        }
        next_updates = [
            c["tbs_cert_list"]["next_update"].native
            for c in self.crls
            if c["tbs_cert_list"]["next_update"].native is not None
        ]
        self._crls_current_until = min(next_updates, default=None)
        self._cache: dict[tuple, tuple[datetime, datetime, _Outcome]] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_paths(
        cls,
        anchors: Iterable[str | Path] = (),
        intermediates: Iterable[str | Path] = (),
        crls: Iterable[str | Path] = (),
    ) -> TrustStore:
        """Read PEM or DER files, or every file in the given folders (missing ones are empty)."""
        return cls(
            anchors=_read_objects(anchors),
            intermediates=_read_objects(intermediates),
            crls=_read_objects(crls),
        )

    @classmethod
    def from_settings(cls) -> TrustStore:
        """The store the settings configure (``SIGNING_TRUST_ANCHORS``, ``SIGNING_INTERMEDIATES``,
        ``SIGNING_CRLS``; docs/operations.md), read once per process and configuration."""
        paths = (
            tuple(str(p) for p in settings.SIGNING_TRUST_ANCHORS),
            tuple(str(p) for p in settings.SIGNING_INTERMEDIATES),
            tuple(str(p) for p in settings.SIGNING_CRLS),
        )
        now = time.monotonic()
        with _settings_lock:
            loaded = _settings_stores.get(paths)
            if loaded is not None and now - loaded[1] < _RECHECK_SECONDS:
                return loaded[0]
            stamp = _file_stamps([p for group in paths for p in group])
            if loaded is None or loaded[2] != stamp:
                loaded = (cls.from_paths(*paths), now, stamp)
            _settings_stores[paths] = (loaded[0], now, stamp)
            return loaded[0]

    @classmethod
    def forget_settings(cls) -> None:
        """Read the configured files again on the next ``from_settings()`` (after a program
        wrote new anchors or CRLs, e.g. the demo)."""
        with _settings_lock:
            _settings_stores.clear()

    def check(self, cert: bytes, at: datetime, chain: Sequence[bytes] = ()) -> _Outcome:
        """Is ``cert`` (DER) trusted, valid at ``at``, unrevoked and fit for signing?
        ``chain``: CA certificates (DER) that came with it (from the card or the signature)."""
        key = (cert, frozenset(chain))
        cached = self._cache.get(key)
        if cached is not None and cached[0] <= at <= cached[1]:
            return cached[2]
        try:
            outcome, path = _aio.run(
                self._validate(
                    asn1_x509.Certificate.load(cert),
                    at,
                    [asn1_x509.Certificate.load(c) for c in chain],
                )
            )
        except (ValueError, KeyError, TypeError):
            # a certificate that cannot be decoded (asn1crypto decodes lazily, so this can
            # surface anywhere in path validation)
            return _Outcome("cert_invalid")
        if outcome.code is None and not self._names_revoked(path):
            window = self._unchanging_window(path)
            with self._lock:
                if len(self._cache) >= _CACHE_LIMIT:
                    self._cache.clear()
                self._cache[key] = (*window, outcome)
        return outcome

    def validation_context(
        self, at: datetime, chain: Sequence[asn1_x509.Certificate] = ()
    ) -> ValidationContext:
        """pyhanko-certvalidator's context for this store at ``at``: offline, CRLs checked
        where a certificate names a distribution point and its issuer's CRL is configured."""
        return ValidationContext(
            trust_roots=list(self.anchors),
            other_certs=[*self.intermediates, *chain],
            crls=list(self.crls),
            moment=at,
            allow_fetching=False,
            revocation_mode="soft-fail",
            # A CRL issued after the signature still tells whether the certificate had been
            # revoked when it signed; without this, refreshing the CRL files would make every
            # older signature unverifiable.
            retroactive_revinfo=True,
        )

    async def _validate(self, cert, at, chain):
        context = self.validation_context(at, chain)
        validator = CertificateValidator(cert, validation_context=context)
        try:
            path = await validator.async_validate_usage(set(SIGNING_KEY_USAGE))
        except ExpiredError:
            return _Outcome("cert_expired"), None
        except NotYetValidError:
            return _Outcome("cert_not_yet_valid"), None
        except RevokedError:
            return _Outcome("cert_revoked"), None
        except InsufficientRevinfoError:
            return _Outcome("crl_stale"), None
        except PathBuildingError:
            return _Outcome("cert_untrusted"), None
        except InvalidCertificateError:
            return _Outcome("cert_key_usage"), None
        except PathValidationError:
            return _Outcome("cert_invalid"), None
        return _Outcome(None, self._revocation_checked(path)), path

    def _revocation_checked(self, path) -> bool:
        """Every certificate below the anchor named a CRL and a CRL of its issuer was at hand
        (certvalidator then checked it: a revoked, stale or badly signed CRL fails above)."""
        certs = list(path.iter_certs(include_root=False))
        return bool(certs) and all(
            c.crl_distribution_points and c.issuer.dump() in self._crl_issuers for c in certs
        )

    def _names_revoked(self, path) -> bool:
        return any(
            (c.issuer.dump(), c.serial_number) in self._revoked
            for c in path.iter_certs(include_root=False)
        )

    def _unchanging_window(self, path) -> tuple[datetime, datetime]:
        certs = list(path.iter_certs(include_root=True))
        start = max(c["tbs_certificate"]["validity"]["not_before"].native for c in certs)
        end = min(c["tbs_certificate"]["validity"]["not_after"].native for c in certs)
        if self._crls_current_until is not None:
            end = min(end, self._crls_current_until)
        return start, end


def validate_certificate(
    cert: CertificateLike,
    trust: TrustStore | None = None,
    at: datetime | None = None,
    *,
    chain: Sequence[CertificateLike] = (),
) -> CertificateInfo:
    """Refuse a certificate that may not sign at ``at`` (default now): expired, not yet valid,
    untrusted, revoked, or without digitalSignature key usage — a ``DomainError`` with a zh-Hant
    message. ``trust`` defaults to ``TrustStore.from_settings()``."""
    trust = trust or TrustStore.from_settings()
    at = at or datetime.now(UTC)
    der = as_der(cert)
    outcome = trust.check(der, at, tuple(as_der(c) for c in chain))
    if outcome.code is not None:
        raise problem(outcome.code)
    return certificate_info(der, outcome.revocation_checked)


def certificate_info(der: bytes, revocation_checked: bool = False) -> CertificateInfo:
    names = _names(der)
    return CertificateInfo(*names, revocation_checked=revocation_checked)


@lru_cache(maxsize=1024)
def _names(der: bytes) -> tuple[str, str, str, datetime, datetime]:
    try:
        cert = x509.load_der_x509_certificate(der)
    except x509.InvalidVersion as error:
        raise ValueError(der[:16]) from error
    return (
        cert.subject.rfc4514_string(),
        cert.issuer.rfc4514_string(),
        format(cert.serial_number, "X"),
        cert.not_valid_before_utc,
        cert.not_valid_after_utc,
    )


def as_der(cert: CertificateLike) -> bytes:
    if isinstance(cert, asn1_x509.Certificate):
        return cert.dump()
    if isinstance(cert, x509.Certificate):
        return cert.public_bytes(Encoding.DER)
    return bytes(cert)


def as_asn1(cert: CertificateLike) -> asn1_x509.Certificate:
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    if isinstance(cert, x509.Certificate):
        return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
    return asn1_x509.Certificate.load(bytes(cert))


def _read_objects(paths: Iterable[str | Path]) -> list[bytes]:
    """DER objects from PEM or DER files, or from every file in a folder."""
    found: list[bytes] = []
    for file in _files(paths):
        data = file.read_bytes()
        if pem.detect(data):
            found.extend(der for _, _, der in pem.unarmor(data, multiple=True))
        else:
            found.append(data)
    return found


def _files(paths: Iterable[str | Path]) -> list[Path]:
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.is_file()))
        elif path.exists():
            found.append(path)
    return found


def _file_stamps(paths: Iterable[str | Path]) -> tuple:
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in _files(paths))


# The configured store, re-read when its files change (a refreshed CRL, a new GCA root) —
# looked at no more than once a minute, so verifying stays free of file-system calls.
_RECHECK_SECONDS = 60
_settings_stores: dict[tuple, tuple[TrustStore, float, tuple]] = {}
_settings_lock = threading.Lock()
