"""PAdES seals on PDFs: a sealed PDF validates (ours and pyHanko's validator), a changed
one is reported, and a certificate that may not sign is refused before sealing."""

from __future__ import annotations

import io

import pytest
import weasyprint
from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints

from secretariat.core.errors import DomainError
from secretariat.documents.signing import _aio, seal_pdf, validate_pdf


@pytest.fixture(scope="module")
def letter() -> bytes:
    """A one-page 函 as WeasyPrint renders the platform's documents."""
    html = "<h1>臺北市政府秘書處 函</h1><p>主旨：檢送本處114年下半年工作報告，請查照。</p>"
    return weasyprint.HTML(string=html).write_pdf()


def test_sealed_pdf_validates_with_ours_and_pyhankos_validator(pki, credential, letter):
    sealed = seal_pdf(letter, credential, reason="發文", location="臺北市", trust=pki.trust)
    assert sealed.startswith(letter)  # an incremental update: the original bytes are kept

    verdict = validate_pdf(sealed, trust=pki.trust)
    assert verdict.ok, verdict.problem
    assert verdict.signer_subject == "CN=王小明,OU=秘書處,O=臺北市政府,C=TW"
    assert verdict.time_source == "server" and verdict.signing_time is not None

    reader = PdfFileReader(io.BytesIO(sealed))
    (signature,) = reader.embedded_signatures
    assert signature.sig_object["/SubFilter"] == pdf_name("/ETSI.CAdES.detached")  # PAdES
    assert signature.sig_object["/Reason"] == "發文"
    status = _aio.run(  # (pyHanko's synchronous wrapper fails inside a running event loop)
        async_validate_pdf_signature(
            signature,
            signer_validation_context=pki.trust.validation_context(verdict.signing_time),
            key_usage_settings=KeyUsageConstraints(key_usage={"digital_signature"}),
        )
    )
    assert status.bottom_line, status.pretty_print_details()


def test_changed_byte_in_a_sealed_pdf_is_reported(pki, credential, letter):
    sealed = bytearray(
        seal_pdf(letter, credential, reason="發文", location="臺北市", trust=pki.trust)
    )
    at = sealed.find(b"/MediaBox")
    sealed[at + 1] ^= 0x20  # /MediaBox → /mediaBox, inside the signed byte range
    verdict = validate_pdf(bytes(sealed), trust=pki.trust)
    assert (verdict.ok, verdict.code, verdict.problem) == (
        False,
        "signature_mismatch",
        "簽章與內容不符。",
    )


def test_content_added_after_sealing_is_reported(pki, credential, letter):
    sealed = seal_pdf(letter, credential, reason="發文", location="臺北市", trust=pki.trust)
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    stamp = RawContent(b"BT /F1 24 Tf 100 100 Td (VOID) Tj ET", box=BoxConstraints(200, 50))
    writer.add_stream_to_page(0, writer.add_object(stamp.as_form_xobject()))
    changed = io.BytesIO()
    writer.write(changed)
    verdict = validate_pdf(changed.getvalue(), trust=pki.trust)
    assert (verdict.ok, verdict.code) == (False, "pdf_modified")
    assert verdict.problem == "PDF 檔在簽章後被修改。"


def test_second_seal_keeps_the_first_valid(pki, credential, letter):
    once = seal_pdf(letter, credential, reason="發文", location="臺北市", trust=pki.trust)
    with pki.file_credential() as other:
        twice = seal_pdf(
            once, other, reason="副本", location="臺北市", trust=pki.trust, field_name="Seal2"
        )
    verdict = validate_pdf(twice, trust=pki.trust)
    assert verdict.ok, verdict.problem
    assert verdict.signer_subject.startswith("CN=開發者")  # the newest seal speaks


def test_unsigned_and_broken_pdfs(pki, credential, letter):
    assert validate_pdf(letter, trust=pki.trust).code == "pdf_unsigned"
    assert validate_pdf(b"%PDF-1.7 nonsense", trust=pki.trust).code == "pdf_malformed"
    with pytest.raises(DomainError) as refused:
        seal_pdf(
            b"%PDF-1.7 nonsense", credential, reason="發文", location="臺北市", trust=pki.trust
        )
    assert (refused.value.code, refused.value.message) == ("pdf_malformed", "無法讀取 PDF 檔。")


def test_expired_certificate_is_refused_before_sealing(pki, letter):
    with pki.credential("expired") as credential:
        with pytest.raises(DomainError) as refused:
            seal_pdf(letter, credential, reason="發文", location="臺北市", trust=pki.trust)
    assert (refused.value.code, refused.value.message) == ("cert_expired", "憑證已過期。")


def test_reason_and_location_are_bounded_text(pki, credential, letter):
    with pytest.raises(DomainError) as refused:
        seal_pdf(letter, credential, reason="發\x07文", location="臺北市", trust=pki.trust)
    assert refused.value.code == "text_invalid" and "簽章事由" in refused.value.message
