"""線上簽核的數位簽章: signing with real certificates, for the 公文 workflow to call.

The whole interface (docs/documents-signing.md has the details and examples)::

    load_credential(spec: TokenSpec | Pkcs12Spec, pin: str) -> Credential
        TokenSpec(token_label, key_label=None, key_id=None, module=None)  # 憑證卡 (PKCS#11)
        Pkcs12Spec(path)                                                  # .p12 file, development
        Credential: .certificate (DER), .chain (DER…), .close(); use it in a ``with`` block

    sign_detached(data: bytes, credential, *, purpose: str, trust=None) -> SignedRecord
        SignedRecord: signature (CMS DER), certificate (DER), signer_subject, signer_issuer,
        serial, signing_time, time_source ("tsa" | "server"), digest_algorithm,
        content_digest (hex), purpose, revocation_checked; .time_note

    verify_detached(data: bytes, signature: bytes, *, trust=None, at=None) -> Verification
        Verification: ok, code, problem (zh-Hant), signer_subject, signer_issuer,
        signer_serial, signing_time, time_source, purpose, digest_algorithm,
        revocation_checked; .tampered (content or signature changed), .time_note

    validate_certificate(cert, trust=None, at=None, *, chain=()) -> CertificateInfo
        raises DomainError (「憑證已過期」「憑證不受信任」…) for a certificate that may not sign

    seal_pdf(pdf_bytes, credential, *, reason: str, location: str, trust=None) -> bytes
    validate_pdf(pdf_bytes, trust=None) -> Verification

    TrustStore(anchors, intermediates=(), crls=()) | TrustStore.from_paths(...)
        | TrustStore.from_settings()  # SIGNING_TRUST_ANCHORS, SIGNING_INTERMEDIATES, SIGNING_CRLS

Errors are ``core.errors.DomainError`` with a stable code and a zh-Hant message
(``problems.MESSAGES``); a bad signature is not an error but a ``Verification`` with
``ok=False``. Settings: ``SIGNING_PKCS11_MODULE`` (default Debian's SoftHSM2 module),
``SIGNING_TSA_URL`` (optional RFC 3161 time-stamping), the trust settings above
(docs/operations.md).
"""

import importlib

# Loaded on first use (PEP 562): pyHanko and python-pkcs11 take a while to import, and every
# process imports the 公文 pages' modules at start-up while few requests sign or verify.
_HOMES = {
    "SignedRecord": "cms",
    "Verification": "cms",
    "sign_detached": "cms",
    "verify_detached": "cms",
    "Credential": "credentials",
    "Pkcs12Spec": "credentials",
    "TokenSpec": "credentials",
    "load_credential": "credentials",
    "seal_pdf": "pades",
    "validate_pdf": "pades",
    "CertificateInfo": "trust",
    "TrustStore": "trust",
    "validate_certificate": "trust",
}


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "CertificateInfo",
    "Credential",
    "Pkcs12Spec",
    "SignedRecord",
    "TokenSpec",
    "TrustStore",
    "Verification",
    "load_credential",
    "seal_pdf",
    "sign_detached",
    "validate_certificate",
    "validate_pdf",
    "verify_detached",
]
