"""PAdES: an agency's electronic seal on an outgoing PDF, and checking a sealed PDF.

pyHanko writes and validates the PDF signature (PAdES B-B; B-T when ``SIGNING_TSA_URL`` is
set). The signature field is invisible: the rendered document carries the seal's picture
itself, and pyHanko's visible stamps cannot set CJK text without an extra font stack. The
raw RSA operation is the credential's (the token's), the same as for ``sign_detached``, and
the certificate rules are ``TrustStore.check``'s, the same as for CMS signatures.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, Signer
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator.registry import SimpleCertificateStore

from secretariat.documents.signing import _aio
from secretariat.documents.signing.cms import (
    TSA_TIMEOUT_SECONDS,
    Verification,
    signer_parts,
    verdict,
)
from secretariat.documents.signing.credentials import DIGEST_ALGORITHM, Credential
from secretariat.documents.signing.problems import checked_text, problem
from secretariat.documents.signing.trust import SIGNING_KEY_USAGE, TrustStore, certificate_info

SEAL_FIELD = "Seal"
TEXT_LIMIT = 200


class _CredentialSigner(Signer):
    """pyHanko's signer interface over a ``Credential``: pyHanko builds the PDF's CMS, the
    credential (the token) makes the RSA signature."""

    def __init__(self, credential: Credential):
        parts = signer_parts(credential)
        super().__init__(
            signing_cert=parts.cert,
            cert_registry=SimpleCertificateStore.from_certs([parts.cert, *parts.chain]),
        )
        self._credential = credential
        self._size = parts.cert.public_key.bit_size // 8

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:
            return bytes(self._size)
        if digest_algorithm != DIGEST_ALGORITHM:
            raise ValueError(digest_algorithm)
        return self._credential.sign_pkcs1(data)


def seal_pdf(
    pdf_bytes: bytes,
    credential: Credential,
    *,
    reason: str,
    location: str,
    trust: TrustStore | None = None,
    field_name: str = SEAL_FIELD,
) -> bytes:
    """Add a PAdES signature (an invisible field ``field_name``) to ``pdf_bytes`` as an
    incremental update and return the signed PDF. The certificate is validated first, as in
    ``sign_detached``; ``reason`` (e.g. 「發文」) and ``location`` (e.g. 「臺北市」) go into
    the signature dictionary."""
    reason = checked_text(reason, label="簽章事由", limit=TEXT_LIMIT)
    location = checked_text(location, label="簽章地點", limit=TEXT_LIMIT)
    field_name = checked_text(field_name, label="簽章欄位", limit=64)
    trust = trust or TrustStore.from_settings()
    parts = signer_parts(credential)
    outcome = trust.check(parts.certificate, datetime.now(UTC), parts.chain_der)
    if outcome.code is not None:
        raise problem(outcome.code)
    timestamper = None
    if settings.SIGNING_TSA_URL:
        from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

        timestamper = RequestsHTTPTimeStamper(settings.SIGNING_TSA_URL, timeout=TSA_TIMEOUT_SECONDS)
    signer = PdfSigner(
        PdfSignatureMetadata(
            field_name=field_name,
            reason=reason,
            location=location,
            md_algorithm=DIGEST_ALGORITHM,
            subfilter=SigSeedSubFilter.PADES,
        ),
        signer=_CredentialSigner(credential),
        timestamper=timestamper,
    )
    output = io.BytesIO()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        _aio.run(signer.async_sign_pdf(writer, output=output))
    except OSError as error:  # requests' and pyHanko's TSA errors are OSErrors
        if timestamper is None:
            raise
        raise problem("tsa_unavailable", detail=type(error).__name__) from error
    except (PdfError, ValueError, KeyError) as error:
        raise problem("pdf_malformed") from error
    return output.getvalue()


def validate_pdf(pdf_bytes: bytes, trust: TrustStore | None = None) -> Verification:
    """Check every signature of a PDF with pyHanko's validator: each must be intact and
    valid, the newest must cover the whole file and earlier ones may only be followed by
    further signatures or time-stamps; then the signer's certificate as in
    ``verify_detached``. The verdict is the first problem found, else the newest seal's."""
    trust = trust or TrustStore.from_settings()
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = list(reader.embedded_regular_signatures)
    except (PdfError, ValueError, KeyError, TypeError):
        return verdict("pdf_malformed")
    if not signatures:
        return verdict("pdf_unsigned")
    for signature in signatures:
        found = _validate_one(signature, trust)
        if not found.ok:
            return found
    return found


def _validate_one(signature, trust: TrustStore) -> Verification:
    try:
        cert: asn1_x509.Certificate = signature.signer_cert
        info = certificate_info(cert.dump())
        claimed = signature.self_reported_timestamp or datetime.now(UTC)
        status = _aio.run(
            async_validate_pdf_signature(
                signature,
                signer_validation_context=trust.validation_context(claimed),
                key_usage_settings=KeyUsageConstraints(key_usage=set(SIGNING_KEY_USAGE)),
            )
        )
    except (PdfError, ValueError, KeyError, TypeError):
        return verdict("signature_malformed")
    stamp = status.timestamp_validity
    found = {
        "signer_subject": info.subject,
        "signer_issuer": info.issuer,
        "signer_serial": info.serial,
        "signing_time": stamp.timestamp if stamp is not None else claimed,
        "time_source": "tsa" if stamp is not None else "server",
        "digest_algorithm": signature.md_algorithm,
    }
    if not status.intact:
        return verdict("signature_mismatch", **found)
    if not status.valid:
        return verdict("signature_invalid", **found)
    if stamp is not None and not (stamp.intact and stamp.valid and stamp.trusted):
        return verdict("timestamp_invalid", **found)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE and (
        status.modification_level is None
        or status.modification_level > ModificationLevel.FORM_FILLING
        or status.docmdp_ok is False
    ):
        return verdict("pdf_modified", **found)
    chain = tuple(c.dump() for c in signature.other_embedded_certs)
    outcome = trust.check(cert.dump(), found["signing_time"], chain)
    if outcome.code is not None:
        return verdict(outcome.code, **found)
    return Verification(ok=True, revocation_checked=outcome.revocation_checked, **found)
