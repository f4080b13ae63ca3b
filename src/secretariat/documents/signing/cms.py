"""CMS (PKCS#7) detached signatures: ``sign_detached`` and ``verify_detached``.

A signature is a CAdES-BES ``SignedData`` without the content: the signer's certificate and
the CA certificates that came with it; signed attributes content-type, message-digest,
signing-time (the server's clock), signing-certificate-v2 (binds the certificate),
CMS-algorithm-protection and a commitment-type indication (proof of approval) whose qualifier
holds the ``purpose`` (「決行」「會辦」…), so a signature made for one purpose cannot be passed
off for another; RSA PKCS#1 v1.5 with SHA-256. With ``SIGNING_TSA_URL`` set, an RFC 3161
signature time-stamp from that TSA is added and its time is the signing time.

The structures are asn1crypto's and pyHanko's types, the digests hashlib's, the RSA operations
the token's (or ``cryptography``'s) and chain validation pyhanko-certvalidator's; this module
only puts them together — by itself rather than through pyHanko's generic CMS builder and
validator, which take 35 and 13 ms a signature (docs/performance.md): at 13 ms the nightly
check of the city's 7.5 million 簽核點 would take 27 hours of one core. The tests hold it to
``openssl cms -verify`` and to pyHanko's validator, and flip every byte of a signature.
"""

from __future__ import annotations

import hashlib
import secrets
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from asn1crypto import cms, core, parser
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from django.conf import settings
from pyhanko.sign.ades.cades_asn1 import CommitmentTypeIndication
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data

from secretariat.documents.signing import _aio
from secretariat.documents.signing.credentials import DIGEST_ALGORITHM, Credential
from secretariat.documents.signing.problems import checked_text, message, problem
from secretariat.documents.signing.trust import TrustStore, certificate_info

PURPOSE_LIMIT = 200  # a CAdES DisplayText holds at most 200 characters
TSA_TIMEOUT_SECONDS = 10
_SIGNATURE_ALGORITHM = "sha256_rsa"
_HASHES = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}
# Problems that mean the signed content or the signature itself was changed (as opposed to a
# certificate that is no longer trusted).
TAMPERED = frozenset(
    {"signature_mismatch", "signature_invalid", "signature_malformed", "timestamp_invalid"}
)


@dataclass(frozen=True)
class SignedRecord:
    """A signature as a 簽核 trail (SI) stores it."""

    signature: bytes  # the CMS ContentInfo, DER
    certificate: bytes  # the signer's certificate, DER
    signer_subject: str  # RFC 4514
    signer_issuer: str
    serial: str  # the certificate's serial number, hexadecimal
    signing_time: datetime  # UTC
    time_source: str  # "tsa": an RFC 3161 time-stamp; "server": the server's clock
    digest_algorithm: str  # "sha256"
    content_digest: str  # hex digest of the signed data
    purpose: str
    revocation_checked: bool  # the certificate was checked against a CRL when it signed

    @property
    def time_note(self) -> str:
        return _time_note(self.time_source)


@dataclass(frozen=True)
class Verification:
    """The verdict on a signature: ``ok``, or ``code`` and a zh-Hant ``problem``."""

    ok: bool
    code: str | None = None
    problem: str = ""
    signer_subject: str = ""
    signer_issuer: str = ""
    signer_serial: str = ""
    signing_time: datetime | None = None
    time_source: str | None = None
    purpose: str = ""
    digest_algorithm: str = ""
    revocation_checked: bool = False

    @property
    def tampered(self) -> bool:
        """The content or the signature was changed (not merely an untrusted certificate)."""
        return self.code in TAMPERED

    @property
    def time_note(self) -> str:
        return _time_note(self.time_source) if self.time_source else ""


def _time_note(source: str) -> str:
    return "時間取自時戳服務（RFC 3161）。" if source == "tsa" else "時間為伺服器時間，未經時戳。"


# --- signing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Template:
    """A whole signature of one credential and purpose, encoded once by asn1crypto, with the
    offsets of its fixed-size variable parts: the signing time (UTCTime, 13 bytes), the
    message digest (32 bytes) and the RSA signature value (the modulus' length)."""

    der: bytes
    attrs_start: int  # the signed attributes' [0] tag
    attrs_end: int
    time_at: int
    digest_at: int
    signature_at: int
    signature_size: int


@dataclass(frozen=True)
class _SignerParts:
    """What every signature of one credential shares."""

    cert: asn1_x509.Certificate
    chain: tuple[asn1_x509.Certificate, ...]
    certificate: bytes
    chain_der: tuple[bytes, ...]
    templates: dict[str, _Template | None] = field(default_factory=dict)


_parts_by_credential: weakref.WeakKeyDictionary[Credential, _SignerParts] = (
    weakref.WeakKeyDictionary()
)


def signer_parts(credential: Credential) -> _SignerParts:
    parts = _parts_by_credential.get(credential)
    if parts is None:
        parts = _SignerParts(
            cert=asn1_x509.Certificate.load(credential.certificate),
            chain=tuple(asn1_x509.Certificate.load(c) for c in credential.chain),
            certificate=credential.certificate,
            chain_der=tuple(credential.chain),
        )
        _parts_by_credential[credential] = parts
    return parts


def _assemble(
    parts: _SignerParts,
    purpose: str,
    now: datetime,
    digest: bytes,
    sign: Callable[[bytes], bytes],
    unsigned_for: Callable[[bytes], list | None] = lambda signature: None,
) -> tuple[bytes, bytes]:
    """The signature as asn1crypto encodes it: (ContentInfo DER, signed attributes DER)."""
    cert = parts.cert
    time = {"utc_time": now} if now.year < 2050 else {"generalized_time": now}
    signed_attrs = cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["data"]},
            {"type": "signing_time", "values": [cms.Time(time)]},
            {"type": "message_digest", "values": [digest]},
            {"type": "signing_certificate_v2", "values": [as_signing_certificate_v2(cert)]},
            {
                "type": "cms_algorithm_protection",
                "values": [
                    {
                        "digest_algorithm": {"algorithm": DIGEST_ALGORITHM},
                        "signature_algorithm": {"algorithm": _SIGNATURE_ALGORITHM},
                    }
                ],
            },
            {"type": "commitment_type", "values": [_purpose_indication(purpose)]},
        ]
    )
    signed_bytes = signed_attrs.dump()
    signature = sign(signed_bytes)
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": {
                "issuer_and_serial_number": {
                    "issuer": cert.issuer,
                    "serial_number": cert.serial_number,
                }
            },
            "digest_algorithm": {"algorithm": DIGEST_ALGORITHM},
            "signed_attrs": signed_attrs,
            "signature_algorithm": {"algorithm": _SIGNATURE_ALGORITHM},
            "signature": signature,
            "unsigned_attrs": unsigned_for(signature),
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": DIGEST_ALGORITHM}],
            "encap_content_info": {"content_type": "data"},
            "certificates": [cert, *parts.chain],
            "signer_infos": [signer_info],
        }
    )
    der = cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()
    return der, signed_bytes


def _purpose_indication(purpose: str) -> CommitmentTypeIndication:
    return CommitmentTypeIndication(
        {
            "commitment_type_id": "proof_of_approval",
            "commitment_type_qualifier": [
                {
                    "commitment_type_identifier": "proof_of_approval",
                    "qualifier": core.UTF8String(purpose),
                }
            ],
        }
    )


def _template(parts: _SignerParts, purpose: str) -> _Template | None:
    """Encode a signature once with markers in the variable parts and note where they are;
    None if a marker is not found exactly once (then every signature is encoded whole)."""
    if purpose in parts.templates:
        return parts.templates[purpose]
    # The signed attributes are a DER SET OF, sorted by their encodings; any two differ in
    # length or type before their values, so values put in place later keep the order.
    marker_time = datetime(2049, 1, 1, tzinfo=UTC) + timedelta(seconds=secrets.randbelow(10**7))
    marker_digest = secrets.token_bytes(32)
    marker_signature = secrets.token_bytes(parts.cert.public_key.bit_size // 8)
    der, signed_bytes = _assemble(
        parts, purpose, marker_time, marker_digest, lambda _: marker_signature
    )
    offsets = [
        _only(der, b"\xa0" + signed_bytes[1:]),
        _only(der, _utc_time(marker_time)),
        _only(der, marker_digest),
        _only(der, marker_signature),
    ]
    template = None
    if None not in offsets:
        attrs_start, time_at, digest_at, signature_at = offsets
        template = _Template(
            der=der,
            attrs_start=attrs_start,
            attrs_end=attrs_start + len(signed_bytes),
            time_at=time_at,
            digest_at=digest_at,
            signature_at=signature_at,
            signature_size=len(marker_signature),
        )
    parts.templates[purpose] = template
    return template


def _only(haystack: bytes, needle: bytes) -> int | None:
    at = haystack.find(needle)
    return at if at >= 0 and haystack.find(needle, at + 1) < 0 else None


def _utc_time(moment: datetime) -> bytes:
    return moment.astimezone(UTC).strftime("%y%m%d%H%M%SZ").encode("ascii")


def _encode(
    credential: Credential, parts: _SignerParts, purpose: str, now: datetime, digest: bytes
) -> bytes:
    """The signature's DER: the purpose's template with this time, digest and signature
    value put in place (the bytes asn1crypto would write, in a fiftieth of the time), or
    asn1crypto's encoding when there is no template."""
    template = _template(parts, purpose) if now.year < 2050 else None
    if template is None:
        return _assemble(parts, purpose, now, digest, credential.sign_pkcs1)[0]
    der = bytearray(template.der)
    der[template.time_at : template.time_at + 13] = _utc_time(now)
    der[template.digest_at : template.digest_at + 32] = digest
    signed_bytes = b"\x31" + bytes(der[template.attrs_start + 1 : template.attrs_end])
    signature = credential.sign_pkcs1(signed_bytes)
    if len(signature) != template.signature_size:
        return _assemble(parts, purpose, now, digest, lambda _: signature)[0]
    der[template.signature_at : template.signature_at + template.signature_size] = signature
    return bytes(der)


def sign_detached(
    data: bytes, credential: Credential, *, purpose: str, trust: TrustStore | None = None
) -> SignedRecord:
    """Sign ``data`` with ``credential`` for ``purpose`` (e.g. 「決行」, ≤ 200 characters).

    The certificate is validated first (``validate_certificate`` at the current time against
    ``trust``, default ``TrustStore.from_settings()``): an expired, not yet valid, untrusted,
    revoked certificate or one without digitalSignature is refused before the key is used.
    With ``SIGNING_TSA_URL`` set, a TSA that does not answer is a ``DomainError`` too."""
    purpose = checked_text(purpose, label="簽章用途", limit=PURPOSE_LIMIT)
    trust = trust or TrustStore.from_settings()
    parts = signer_parts(credential)
    # Signing time in whole seconds: UTCTime has no fractions, and the record must say the
    # same time as the signature.
    now = datetime.now(UTC).replace(microsecond=0)
    outcome = trust.check(parts.certificate, now, parts.chain_der)
    if outcome.code is not None:
        raise problem(outcome.code)

    digest = hashlib.sha256(data).digest()
    signing_time, time_source = now, "server"
    if settings.SIGNING_TSA_URL:
        stamped: list[datetime] = []

        def unsigned_for(signature_value: bytes) -> list:
            token = _timestamp(signature_value)
            stamped.append(tst_time(token["content"]))
            return [{"type": "signature_time_stamp_token", "values": [token]}]

        der = _assemble(parts, purpose, now, digest, credential.sign_pkcs1, unsigned_for)[0]
        signing_time, time_source = stamped[0], "tsa"
    else:
        der = _encode(credential, parts, purpose, now, digest)
    info = certificate_info(parts.certificate)
    return SignedRecord(
        signature=der,
        certificate=parts.certificate,
        signer_subject=info.subject,
        signer_issuer=info.issuer,
        serial=info.serial,
        signing_time=signing_time,
        time_source=time_source,
        digest_algorithm=DIGEST_ALGORITHM,
        content_digest=digest.hex(),
        purpose=purpose,
        revocation_checked=outcome.revocation_checked,
    )


def _timestamp(signature_value: bytes) -> cms.ContentInfo:
    stamper = RequestsHTTPTimeStamper(settings.SIGNING_TSA_URL, timeout=TSA_TIMEOUT_SECONDS)
    imprint = hashlib.sha256(signature_value).digest()
    try:
        return _aio.run(stamper.async_timestamp(imprint, DIGEST_ALGORITHM))
    except (OSError, TimestampRequestError, ValueError) as error:
        raise problem("tsa_unavailable", detail=type(error).__name__) from error


def tst_time(tst_signed_data: cms.SignedData) -> datetime:
    return tst_signed_data["encap_content_info"]["content"].parsed["gen_time"].native


# --- verifying ------------------------------------------------------------------------------


# What asn1crypto and cryptography raise for bytes they cannot decode.
_UNDECODABLE = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    x509.InvalidVersion,
    UnsupportedAlgorithm,
)


class _Refused(Exception):
    def __init__(self, code: str):
        self.code = code


def verify_detached(
    data: bytes,
    signature: bytes,
    *,
    trust: TrustStore | None = None,
    at: datetime | None = None,
) -> Verification:
    """Check ``signature`` (a ``SignedRecord.signature``) over ``data``: the digest, the
    signature value, the signing certificate's binding, the time-stamp if any, then the
    certificate against ``trust`` (default ``TrustStore.from_settings()``) at ``at`` —
    default the signing time (the time-stamp's, else the signature's own). Never raises for
    a bad signature: the verdict says what is wrong."""
    trust = trust or TrustStore.from_settings()
    try:
        signed = _Shaped.find(signature) or _Parsed(signature)
        info = certificate_info(signed.cert)
    except _Refused as refused:
        return verdict(refused.code)
    except _UNDECODABLE:
        return verdict("signature_malformed")
    found = {
        "signer_subject": info.subject,
        "signer_issuer": info.issuer,
        "signer_serial": info.serial,
        "purpose": signed.purpose,
        "digest_algorithm": signed.digest_algorithm,
    }
    try:
        signed.check_integrity(data)
        signing_time, time_source = signed.signing_time, "server"
        if signed.timestamp is not None:
            signing_time, time_source = signed.check_timestamp(trust), "tsa"
    except _Refused as refused:
        return verdict(refused.code, **found)
    except _UNDECODABLE:
        # asn1crypto decodes lazily: a damaged attribute surfaces when it is read
        return verdict("signature_malformed", **found)
    if isinstance(signed, _Parsed):
        _Shaped.remember(signature, signed)
    found.update(signing_time=signing_time, time_source=time_source)
    moment = at or signing_time or datetime.now(UTC)
    outcome = trust.check(signed.cert, moment, signed.chain)
    if outcome.code is not None:
        return verdict(outcome.code, **found)
    return Verification(ok=True, revocation_checked=outcome.revocation_checked, **found)


def verdict(code: str, **found) -> Verification:
    return Verification(ok=False, code=code, problem=message(code), **found)


class _Parsed:
    """A detached CMS signature taken apart, refusing anything but one signer of plain data
    with the attributes ``sign_detached`` writes."""

    def __init__(self, signature: bytes):
        info = cms.ContentInfo.load(signature, strict=True)
        if info["content_type"].native != "signed_data":
            raise _Refused("signature_malformed")
        signed_data = info["content"]
        encap = signed_data["encap_content_info"]
        if encap["content_type"].native != "data" or _present(encap["content"]):
            raise _Refused("signature_malformed")
        signer_infos = signed_data["signer_infos"]
        if len(signer_infos) != 1:
            raise _Refused("signature_malformed")
        signer = self.signer = signer_infos[0]
        # The encodings as they came, cut out by asn1crypto's parser before anything inside
        # them is decoded (asn1crypto re-encodes a decoded SET OF, which would change the
        # bytes of signed attributes that are not in DER order, and costs milliseconds).
        fields = _tlvs(signer.contents)
        if len(fields) < 6 or fields[3][:1] != b"\xa0":
            raise _Refused("signature_malformed")
        self.tlvs = dict(
            zip(
                ("digest_algorithm", "signed_attrs", "signature_algorithm", "signature"),
                fields[2:6],
                strict=True,
            )
        )
        digest_algorithms = _tlvs(parser.parse(_tlvs(signed_data.contents)[1])[4])
        self.digest_algorithm = signer["digest_algorithm"]["algorithm"].native
        # Nothing outside the signature may vary unnoticed: versions as RFC 5652 sets them
        # for this form, and the digest algorithms the signer's one alone.
        if (
            self.digest_algorithm not in _HASHES
            or signed_data["version"].native != "v1"
            or signer["version"].native != "v1"
            or digest_algorithms != [self.tlvs["digest_algorithm"]]
        ):
            raise _Refused("signature_malformed")
        self._check_signature_algorithm(signer["signature_algorithm"]["algorithm"].native)

        sid = signer["sid"]
        if sid.name != "issuer_and_serial_number":
            raise _Refused("signature_malformed")
        issuer, serial = sid.chosen["issuer"].dump(), sid.chosen["serial_number"].native
        certs = [c.public_bytes(Encoding.DER) for c in pkcs7.load_der_pkcs7_certificates(signature)]
        own = [c for c in certs if _facts(c)[:2] == (serial, issuer)]
        if len(own) != 1:
            raise _Refused("signature_malformed")
        self.cert = own[0]  # DER, as every certificate below
        self.chain = tuple(c for c in certs if c is not self.cert)

        attrs = self._attributes(signer["signed_attrs"])
        if set(attrs) - _KNOWN_SIGNED or not _REQUIRED_SIGNED <= set(attrs):
            raise _Refused("signature_malformed")
        if attrs["content_type"].native != "data":
            raise _Refused("signature_malformed")
        self.message_digest = attrs["message_digest"].native
        self.tlvs["message_digest"] = attrs["message_digest"].dump()
        self.tlvs["signing_time"] = attrs["signing_time"].dump() if "signing_time" in attrs else b""
        self.signature_value = signer["signature"].native
        self.signing_certificate = attrs["signing_certificate_v2"]
        self.algorithm_protection = attrs["cms_algorithm_protection"]
        self.signing_time = attrs["signing_time"].native if "signing_time" in attrs else None
        self.purpose = purpose_of(attrs.get("commitment_type"))
        # The signed attributes are signed as a SET OF: their own encoding with the
        # universal SET tag in place of the [0] that SignerInfo puts on them.
        self.signed_bytes = b"\x31" + self.tlvs["signed_attrs"][1:]

        unsigned = signer["unsigned_attrs"]
        found = self._attributes(unsigned) if _present(unsigned) else {}
        if set(found) - {"signature_time_stamp_token"}:
            raise _Refused("signature_malformed")
        token = found.get("signature_time_stamp_token")
        self.timestamp = None if token is None else token["content"]

    def _check_signature_algorithm(self, name: str) -> None:
        # rsaEncryption takes its hash from digestAlgorithm; sha*WithRSA must name the same
        if name != "rsassa_pkcs1v15" and name != f"{self.digest_algorithm}_rsa":
            raise _Refused("signature_malformed")
        self.signature_algorithm = name

    @staticmethod
    def _attributes(attributes) -> dict:
        """Attribute type → its single value; a repeated type or a multi-valued attribute is
        refused (CMS allows neither for these attributes)."""
        found = {}
        for attribute in attributes:
            name = attribute["type"].native
            values = attribute["values"]
            if name in found or len(values) != 1:
                raise _Refused("signature_malformed")
            found[name] = values[0]
        return found

    def check_integrity(self, data: bytes) -> None:
        digest = hashlib.new(self.digest_algorithm, data).digest()
        if digest != self.message_digest:
            raise _Refused("signature_mismatch")
        self._check_certificate_binding()
        self._check_algorithm_protection()
        key = _facts(self.cert)[2]
        if key is None:
            raise _Refused("signature_malformed")
        try:
            key.verify(
                self.signature_value,
                self.signed_bytes,
                padding.PKCS1v15(),
                _HASHES[self.digest_algorithm],
            )
        except InvalidSignature as error:
            raise _Refused("signature_invalid") from error

    def _check_certificate_binding(self) -> None:
        """signing-certificate-v2 names this certificate (RFC 5035): its hash, and its issuer
        and serial when given — so the certificate beside the signature cannot be swapped."""
        cert_id = self.signing_certificate["certs"][0]
        algorithm = cert_id["hash_algorithm"]["algorithm"].native
        if algorithm not in _HASHES:
            raise _Refused("signature_malformed")
        if hashlib.new(algorithm, self.cert).digest() != cert_id["cert_hash"].native:
            raise _Refused("signature_invalid")
        issuer_serial = cert_id["issuer_serial"]
        if _present(issuer_serial):
            serial, issuer, _ = _facts(self.cert)
            names = [
                n.chosen.untag().dump()
                for n in issuer_serial["issuer"]
                if n.name == "directory_name"
            ]
            if issuer_serial["serial_number"].native != serial or issuer not in names:
                raise _Refused("signature_invalid")

    def _check_algorithm_protection(self) -> None:
        """CMS-algorithm-protection (RFC 6211) signs the SignerInfo's algorithm identifiers,
        which are otherwise outside the signature: they must match it byte for byte,
        parameters included."""
        protection = self.algorithm_protection
        signature_algorithm = cms.SignedDigestAlgorithm.load(self.tlvs["signature_algorithm"])
        if (
            protection["digest_algorithm"].dump() != self.tlvs["digest_algorithm"]
            or protection["signature_algorithm"].contents != signature_algorithm.contents
            or _present(protection["mac_algorithm"])
        ):
            raise _Refused("signature_invalid")

    def check_timestamp(self, trust: TrustStore) -> datetime:
        """The RFC 3161 token over the signature value, validated by pyHanko (its TSA's
        certificate against the same trust anchors); returns its time."""
        signature_value = self.signature_value
        try:
            stamped_at = tst_time(self.timestamp)
            status = _aio.run(
                validate_tst_signed_data(
                    self.timestamp,
                    trust.validation_context(stamped_at),
                    lambda algorithm: hashlib.new(algorithm, signature_value).digest(),
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise _Refused("timestamp_invalid") from error
        if not (status["intact"] and status["valid"] and status["trust_problem_indic"] is None):
            raise _Refused("timestamp_invalid")
        return status["timestamp"]


@dataclass(frozen=True)
class _Shape:
    """Where a verified signature keeps its variable parts, and what the rest of it says.

    Two signatures by the same certificate for the same purpose differ only in the contents
    of three primitive values of fixed length: the signing time, the message digest and the
    signature value. A signature whose bytes outside those three ranges equal those of one
    already taken apart (and found sound) has the same structure, certificates, algorithms,
    certificate binding and purpose, so only the digest and the RSA signature are left to
    check — 10 to 20 times faster than taking it apart again (docs/performance.md)."""

    time: tuple[int, int]
    digest: tuple[int, int]
    signature: tuple[int, int]
    signed_attrs: tuple[int, int]


class _Shaped:
    """A signature recognised by its shape (see ``_Shape``); the same interface as
    ``_Parsed``."""

    _by_skeleton: dict[tuple[_Shape, bytes], tuple] = {}
    _shapes_by_length: dict[int, set[_Shape]] = {}
    _LIMIT = 4096
    timestamp = None

    def __init__(self, signature: bytes, shape: _Shape, facts: tuple):
        self.cert, self.chain, self.purpose, self.digest_algorithm = facts
        self.message_digest = signature[slice(*shape.digest)]
        self.signature_value = signature[slice(*shape.signature)]
        start, end = shape.signed_attrs
        self.signed_bytes = b"\x31" + signature[start + 1 : end]
        time = signature[shape.time[0] - 2 : shape.time[1]]
        self.signing_time = core.UTCTime.load(time, strict=True).native

    @staticmethod
    def _skeleton(signature: bytes, shape: _Shape) -> bytes:
        blanked = bytearray(signature)
        for start, end in (shape.time, shape.digest, shape.signature):
            blanked[start:end] = bytes(end - start)
        return bytes(blanked)

    @classmethod
    def find(cls, signature: bytes) -> _Shaped | None:
        for shape in cls._shapes_by_length.get(len(signature), ()):
            facts = cls._by_skeleton.get((shape, cls._skeleton(signature, shape)))
            if facts is not None:
                return cls(signature, shape, facts)
        return None

    @classmethod
    def remember(cls, signature: bytes, parsed: _Parsed) -> None:
        """Note the shape of a signature that passed every check of ``_Parsed``, if each
        variable part occurs exactly once in it (then that occurrence is the part)."""
        tlvs = parsed.tlvs
        if parsed.timestamp is not None or not tlvs["signing_time"].startswith(b"\x17\x0d"):
            return
        spans = []
        for name, header in (
            ("signing_time", 2),
            ("message_digest", len(tlvs["message_digest"]) - len(parsed.message_digest)),
            ("signature", len(tlvs["signature"]) - len(parsed.signature_value)),
        ):
            at = _only(signature, tlvs[name])
            if at is None:
                return
            spans.append((at + header, at + len(tlvs[name])))
        attrs_at = _only(signature, tlvs["signed_attrs"])
        if attrs_at is None:
            return
        shape = _Shape(*spans, signed_attrs=(attrs_at, attrs_at + len(tlvs["signed_attrs"])))
        if len(cls._by_skeleton) >= cls._LIMIT:
            cls._by_skeleton.clear()
            cls._shapes_by_length.clear()
        facts = (parsed.cert, parsed.chain, parsed.purpose, parsed.digest_algorithm)
        cls._by_skeleton[(shape, cls._skeleton(signature, shape))] = facts
        cls._shapes_by_length.setdefault(len(signature), set()).add(shape)

    def check_integrity(self, data: bytes) -> None:
        if hashlib.new(self.digest_algorithm, data).digest() != self.message_digest:
            raise _Refused("signature_mismatch")
        try:
            _facts(self.cert)[2].verify(
                self.signature_value,
                self.signed_bytes,
                padding.PKCS1v15(),
                _HASHES[self.digest_algorithm],
            )
        except InvalidSignature as error:
            raise _Refused("signature_invalid") from error


_REQUIRED_SIGNED = frozenset(
    {"content_type", "message_digest", "signing_certificate_v2", "cms_algorithm_protection"}
)
_KNOWN_SIGNED = _REQUIRED_SIGNED | {"signing_time", "commitment_type"}


def purpose_of(indication) -> str:
    if indication is None:
        return ""
    qualifiers = indication["commitment_type_qualifier"]
    if not _present(qualifiers):
        return ""
    for qualifier in qualifiers:
        if qualifier["commitment_type_identifier"].native == "proof_of_approval":
            return qualifier["qualifier"].parse(core.UTF8String).native
    return ""


def _tlvs(data: bytes) -> list[bytes]:
    """The encodings of the values one after another in ``data``, as they are."""
    found, at = [], 0
    while at < len(data):
        _, _, _, header, contents, trailer = parser.parse(data[at:])
        size = len(header) + len(contents) + len(trailer)
        found.append(data[at : at + size])
        at += size
    return found


def _present(value) -> bool:
    """An optional field is there (asn1crypto gives ``Void`` for a missing one; asking for
    ``.native`` instead would decode the whole value)."""
    return not isinstance(value, core.Void)


@lru_cache(maxsize=4096)
def _facts(cert_der: bytes) -> tuple[int, bytes, rsa.RSAPublicKey | None]:
    """A certificate's serial number, issuer (DER) and RSA public key, read once by
    ``cryptography`` (the nightly check meets the same few thousand certificates again and
    again)."""
    cert = x509.load_der_x509_certificate(cert_der)
    try:
        key = cert.public_key()
    except UnsupportedAlgorithm:
        key = None
    return (
        cert.serial_number,
        cert.issuer.public_bytes(),
        key if isinstance(key, rsa.RSAPublicKey) else None,
    )
