"""CMS detached signatures with a SoftHSM2 token and a PKCS#12 file: signing, verifying,
what a changed byte does, and what is refused before the key is used."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import cms as asn1_cms
from cryptography import x509
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko.sign.validation.settings import KeyUsageConstraints

from secretariat.core.errors import DomainError
from secretariat.documents.signing import (
    Pkcs12Spec,
    TokenSpec,
    TrustStore,
    _aio,
    load_credential,
    sign_detached,
    verify_detached,
)
from secretariat.documents.signing import cms as signing_cms
from secretariat.documents.signing.sandbox import pem

from .conftest import P12_PASSWORD, PIN, TOKEN

DRAFT = "主旨：函轉本府秘書處114年下半年工作報告，請查照。\n說明：一、依據…\n".encode() * 20


def test_token_signature_verifies_and_records_what_a_trail_needs(pki, credential):
    before = datetime.now(UTC).replace(microsecond=0)
    record = sign_detached(DRAFT, credential, purpose="決行", trust=pki.trust)

    cert = pki.certificates["good"]
    assert record.certificate == credential.certificate
    assert x509.load_der_x509_certificate(record.certificate) == cert
    assert record.signer_subject == "CN=王小明,OU=秘書處,O=臺北市政府,C=TW"
    assert record.signer_issuer == "CN=測試中繼憑證,O=測試憑證管理中心,C=TW"
    assert record.serial == format(cert.serial_number, "X")
    assert record.digest_algorithm == "sha256"
    assert record.content_digest == hashlib.sha256(DRAFT).hexdigest()
    assert before <= record.signing_time <= datetime.now(UTC)
    assert record.time_source == "server"
    assert record.time_note == "時間為伺服器時間，未經時戳。"
    assert record.purpose == "決行"
    assert record.revocation_checked  # both CRLs of the chain were at hand

    verdict = verify_detached(DRAFT, record.signature, trust=pki.trust)
    assert verdict.ok, verdict.problem
    assert (verdict.code, verdict.problem, verdict.tampered) == (None, "", False)
    assert verdict.signer_subject == record.signer_subject
    assert verdict.signer_serial == record.serial
    assert verdict.signing_time == record.signing_time
    assert verdict.purpose == "決行"
    assert verdict.revocation_checked


def test_pkcs12_signature_verifies(pki):
    with pki.file_credential() as credential:
        assert credential.kind == "pkcs12"
        record = sign_detached(DRAFT, credential, purpose="核稿", trust=pki.trust)
    assert record.signer_subject == "CN=開發者,OU=資訊室,O=臺北市政府,C=TW"
    verdict = verify_detached(DRAFT, record.signature, trust=pki.trust)
    assert verdict.ok, verdict.problem
    assert verdict.purpose == "核稿"


def test_changed_byte_in_the_data_is_reported(pki, credential):
    record = sign_detached(DRAFT, credential, purpose="會辦", trust=pki.trust)
    changed = bytearray(DRAFT)
    changed[10] ^= 0x01
    verdict = verify_detached(bytes(changed), record.signature, trust=pki.trust)
    assert not verdict.ok
    assert (verdict.code, verdict.problem) == ("signature_mismatch", "簽章與內容不符。")
    assert verdict.tampered
    assert verdict.signer_subject == record.signer_subject  # who signed it is still shown


@pytest.mark.parametrize(
    "part",
    ["signature value", "purpose", "signing time", "message digest", "signer certificate"],
)
def test_changed_byte_in_the_signature_is_reported(pki, credential, part):
    record = sign_detached(DRAFT, credential, purpose="陳核", trust=pki.trust)
    # (a first verification teaches the verifier this signature's shape, so the fast path
    # is the one that sees the changed byte)
    assert verify_detached(DRAFT, record.signature, trust=pki.trust).ok
    signer = asn1_cms.ContentInfo.load(record.signature)["content"]["signer_infos"][0]
    needle = {
        "signature value": signer["signature"].native[-8:],
        "purpose": "陳核".encode(),
        "signing time": record.signing_time.strftime("%y%m%d%H%M%SZ").encode(),
        "message digest": bytes.fromhex(record.content_digest)[:8],
        "signer certificate": b"\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e",  # 王小明 in its subject
    }[part]
    at = record.signature.find(needle)
    assert at > 0
    changed = bytearray(record.signature)
    changed[at + 1] ^= 0x01
    verdict = verify_detached(DRAFT, bytes(changed), trust=pki.trust)
    assert not verdict.ok
    assert verdict.tampered, verdict.code


def test_truncated_or_foreign_bytes_are_malformed(pki, credential):
    record = sign_detached(DRAFT, credential, purpose="決行", trust=pki.trust)
    for junk in (record.signature[:-1], b"", b"not a signature", record.signature + b"\x00"):
        verdict = verify_detached(DRAFT, junk, trust=pki.trust)
        assert (verdict.ok, verdict.code) == (False, "signature_malformed")
        assert verdict.problem == "簽章格式錯誤，無法解析。"


def _pyhanko_accepts(data: bytes, signature: bytes, trust: TrustStore, at: datetime) -> bool:
    try:
        signed_data = asn1_cms.ContentInfo.load(signature)["content"]
        status = _aio.run(
            async_validate_detached_cms(
                data,
                signed_data,
                signer_validation_context=trust.validation_context(at),
                key_usage_settings=KeyUsageConstraints(key_usage={"digital_signature"}),
            )
        )
    except Exception:  # any failure to take it apart is a refusal too
        return False
    return status.bottom_line


def test_pyhanko_validator_agrees_and_any_changed_byte_is_reported(pki, credential):
    """Our verifier against pyHanko's generic CMS validator: the signature is good for both;
    a byte flipped anywhere (every 3rd position, each bit pattern once) is reported by ours,
    unsigned parts (versions, algorithm parameters, the CA certificate) included — a stored
    signature cannot change unnoticed."""
    record = sign_detached(DRAFT, credential, purpose="決行", trust=pki.trust)
    assert _pyhanko_accepts(DRAFT, record.signature, pki.trust, record.signing_time)
    assert verify_detached(DRAFT, record.signature, trust=pki.trust).ok
    for position in range(0, len(record.signature), 3):
        changed = bytearray(record.signature)
        changed[position] ^= 1 << (position % 8)
        verdict = verify_detached(DRAFT, bytes(changed), trust=pki.trust)
        assert not verdict.ok, position


def test_template_encoding_is_the_encoding_asn1crypto_writes(pki, credential):
    """The fast path (a per-purpose template with the time, digest and signature value put
    in place) writes exactly the bytes of a whole asn1crypto encoding."""
    record = sign_detached(DRAFT, credential, purpose="決行", trust=pki.trust)
    parts = signing_cms.signer_parts(credential)
    assert parts.templates["決行"] is not None
    whole, _ = signing_cms._assemble(
        parts,
        "決行",
        record.signing_time,
        bytes.fromhex(record.content_digest),
        credential.sign_pkcs1,  # RSA PKCS#1 v1.5 is deterministic
    )
    assert whole == record.signature


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl command not installed")
def test_openssl_verifies_the_signature(pki, credential, tmp_path):
    record = sign_detached(DRAFT, credential, purpose="決行", trust=pki.trust)
    (tmp_path / "data").write_bytes(DRAFT)
    (tmp_path / "sig.der").write_bytes(record.signature)
    (tmp_path / "root.pem").write_bytes(pem(pki.root.certificate))
    result = subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der"]
        + ["-content", "data", "-CAfile", "root.pem", "-purpose", "any", "-out", "/dev/null"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Verification successful" in result.stderr


@pytest.mark.parametrize(
    ("label", "code", "message"),
    [
        ("expired", "cert_expired", "憑證已過期。"),
        ("future", "cert_not_yet_valid", "憑證尚未生效。"),
        ("untrusted", "cert_untrusted", "憑證不受信任（無法連結到設定的信任憑證）。"),
        ("no_digital_signature", "cert_key_usage", "憑證的金鑰用途不含數位簽章，不可用於簽章。"),
        ("revoked", "cert_revoked", "憑證已廢止。"),
    ],
)
def test_a_certificate_that_may_not_sign_is_refused_before_signing(pki, label, code, message):
    with pki.credential(label) as credential:
        used = []
        credential.sign_pkcs1 = lambda message: used.append(message)
        with pytest.raises(DomainError) as refused:
            sign_detached(DRAFT, credential, purpose="決行", trust=pki.trust)
    assert (refused.value.code, refused.value.message) == (code, message)
    assert used == []


def test_signature_of_an_untrusted_signer_is_reported(pki):
    stranger_trust = TrustStore([pki.stranger.certificate])
    with pki.credential("untrusted") as credential:
        record = sign_detached(DRAFT, credential, purpose="決行", trust=stranger_trust)
    assert verify_detached(DRAFT, record.signature, trust=stranger_trust).ok
    verdict = verify_detached(DRAFT, record.signature, trust=pki.trust)
    assert (verdict.ok, verdict.code, verdict.tampered) == (False, "cert_untrusted", False)
    assert verdict.problem == "憑證不受信任（無法連結到設定的信任憑證）。"


def test_validity_is_judged_at_signing_time_unless_asked_otherwise(pki, credential):
    trust = TrustStore([pki.root.certificate])  # no CRLs: they would be stale by then
    record = sign_detached(DRAFT, credential, purpose="決行", trust=trust)
    assert verify_detached(DRAFT, record.signature, trust=trust).ok
    # the remembered good result must not reach past the certificate's end
    after = pki.certificates["good"].not_valid_after_utc + timedelta(days=1)
    late = verify_detached(DRAFT, record.signature, trust=trust, at=after)
    assert (late.ok, late.code, late.problem) == (False, "cert_expired", "憑證已過期。")
    assert verify_detached(DRAFT, record.signature, trust=trust).ok


def test_a_stale_crl_is_named(pki, credential):
    record = sign_detached(DRAFT, credential, purpose="決行", trust=pki.trust)
    later = datetime.now(UTC) + timedelta(days=30)  # the test CRLs are good for 7 days
    verdict = verify_detached(DRAFT, record.signature, trust=pki.trust, at=later)
    assert (verdict.ok, verdict.code) == (False, "crl_stale")
    assert verdict.problem == "憑證廢止清冊（CRL）已過期或無法驗證，請更新 CRL 檔。"


def test_revocation_after_signing_leaves_the_signature_good_at_its_time(pki, credential):
    record = sign_detached(DRAFT, credential, purpose="決行", trust=pki.trust)
    revoked_at = record.signing_time + timedelta(seconds=30)
    later_crl = pki.intermediate.crl([pki.certificates["good"]], revoked_at=revoked_at)
    trust = TrustStore([pki.root.certificate], crls=[pki.root.crl(), later_crl])
    assert verify_detached(DRAFT, record.signature, trust=trust).ok
    verdict = verify_detached(
        DRAFT, record.signature, trust=trust, at=revoked_at + timedelta(minutes=1)
    )
    assert (verdict.ok, verdict.code) == (False, "cert_revoked")


def test_without_crls_revocation_is_not_checked_and_says_so(pki, credential):
    trust = TrustStore([pki.root.certificate])
    record = sign_detached(DRAFT, credential, purpose="決行", trust=trust)
    assert not record.revocation_checked
    verdict = verify_detached(DRAFT, record.signature, trust=trust)
    assert verdict.ok and not verdict.revocation_checked


def test_wrong_pin_is_a_clear_error(pki):
    with pytest.raises(DomainError) as wrong:
        load_credential(pki.token(), "000000")
    assert (wrong.value.code, wrong.value.message) == ("pin_incorrect", "憑證卡 PIN 碼錯誤。")


@pytest.mark.parametrize("pin", ["12", "1234\x00", "x" * 65, ""])
def test_malformed_pin_is_refused_before_the_card_is_asked(pki, pin):
    with pytest.raises(DomainError) as refused:
        load_credential(pki.token(), pin)
    assert refused.value.code == "pin_invalid"
    assert refused.value.message == "PIN 碼須為 4 至 64 個字元，且不可含控制字元。"


def test_missing_token_key_and_module(pki, tmp_path):
    cases = [
        (TokenSpec(token_label="不存在的卡"), "token_missing", "找不到憑證卡「不存在的卡」"),
        (TokenSpec(token_label=TOKEN, key_label="nobody"), "key_missing", "簽章金鑰「nobody」"),
        (TokenSpec(token_label=TOKEN), "key_ambiguous", "多把簽章金鑰"),
        (
            TokenSpec(token_label=TOKEN, module=str(tmp_path / "missing.so")),
            "module_missing",
            "PKCS#11 模組",
        ),
    ]
    for spec, code, words in cases:
        with pytest.raises(DomainError) as refused:
            load_credential(spec, PIN)
        assert refused.value.code == code
        assert words in refused.value.message


def test_pkcs12_wrong_password_and_missing_file(pki, tmp_path):
    with pytest.raises(DomainError) as wrong:
        load_credential(Pkcs12Spec(pki.pkcs12), P12_PASSWORD + "x")
    assert wrong.value.code == "pkcs12_password_incorrect"
    assert wrong.value.message == "憑證檔密碼錯誤，或檔案不是 PKCS#12 格式。"
    with pytest.raises(DomainError) as missing:
        load_credential(Pkcs12Spec(tmp_path / "none.p12"), P12_PASSWORD)
    assert missing.value.code == "pkcs12_missing"


@pytest.mark.parametrize("purpose", ["", "   ", "決行\n", "字" * 201])
def test_purpose_is_bounded_text(pki, credential, purpose):
    with pytest.raises(DomainError) as refused:
        sign_detached(DRAFT, credential, purpose=purpose, trust=pki.trust)
    assert refused.value.code == "text_invalid"
    assert "簽章用途" in refused.value.message


def test_the_key_stays_on_the_token(pki, credential):
    """The signing key is sensitive and not extractable: its value cannot be read."""
    from pkcs11 import Attribute
    from pkcs11.exceptions import AttributeSensitive

    key = credential._key
    assert key[Attribute.SENSITIVE] and not key[Attribute.EXTRACTABLE]
    with pytest.raises(AttributeSensitive):
        key[Attribute.PRIVATE_EXPONENT]


def test_signing_and_verifying_work_inside_a_running_event_loop(pki, credential):
    """pyHanko's validation is asynchronous; called from an async view (or a test driving a
    browser) the signing module runs it on a spare thread."""
    fresh = TrustStore([pki.root.certificate], crls=pki.trust.crls)  # nothing remembered

    async def inside():
        record = sign_detached(DRAFT, credential, purpose="決行", trust=fresh)
        return verify_detached(DRAFT, record.signature, trust=TrustStore(fresh.anchors))

    # a thread of its own: the test session may already run a loop here (Playwright's)
    with ThreadPoolExecutor(max_workers=1) as thread:
        verdict = thread.submit(asyncio.run, inside()).result()
    assert verdict.ok, verdict.problem
