"""The trust store from settings (files and folders, PEM and DER), refreshed when its files
change, and ``validate_certificate`` on its own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from django.apps import apps

from secretariat.core.errors import DomainError
from secretariat.documents.signing import (
    TrustStore,
    sign_detached,
    validate_certificate,
    verify_detached,
)
from secretariat.documents.signing import trust as trust_module
from secretariat.documents.signing.sandbox import pem


def test_the_app_is_installed_as_documents():
    config = apps.get_app_config("documents")
    assert (config.name, config.verbose_name) == ("secretariat.documents", "公文")


@pytest.fixture
def configured(pki, tmp_path, settings, monkeypatch):
    """Trust settings pointing at files: the root as PEM in a folder, the intermediate as DER
    in a file of its own, both CRLs in a folder."""
    (tmp_path / "trust").mkdir()
    (tmp_path / "trust" / "gca-root.pem").write_bytes(pem(pki.root.certificate))
    (tmp_path / "issuing.cer").write_bytes(pki.intermediate.certificate.public_bytes(Encoding.DER))
    (tmp_path / "crl").mkdir()
    (tmp_path / "crl" / "root.crl").write_bytes(pki.root.crl())
    (tmp_path / "crl" / "issuing.crl").write_bytes(pki.intermediate.crl())
    settings.SIGNING_TRUST_ANCHORS = [str(tmp_path / "trust")]
    settings.SIGNING_INTERMEDIATES = [str(tmp_path / "issuing.cer")]
    settings.SIGNING_CRLS = [str(tmp_path / "crl")]
    monkeypatch.setattr(trust_module, "_RECHECK_SECONDS", 0)
    return tmp_path


def test_settings_configure_the_trust_store(pki, configured):
    store = TrustStore.from_settings()
    assert len(store.anchors) == 1 and len(store.intermediates) == 1 and len(store.crls) == 2
    info = validate_certificate(pki.certificates["good"])
    assert info.subject == "CN=王小明,OU=秘書處,O=臺北市政府,C=TW"
    assert info.revocation_checked
    # a PKCS#12 file carries no chain here: the configured intermediate completes it
    with pki.file_credential() as credential:
        record = sign_detached(b"data", credential, purpose="決行")
    assert verify_detached(b"data", record.signature).ok


def test_a_refreshed_crl_is_read_again(pki, configured):
    assert validate_certificate(pki.certificates["good"]).revocation_checked
    (configured / "crl" / "issuing.crl").write_bytes(
        pki.intermediate.crl([pki.certificates["good"]])
    )
    with pytest.raises(DomainError) as refused:
        validate_certificate(pki.certificates["good"])
    assert (refused.value.code, refused.value.message) == ("cert_revoked", "憑證已廢止。")


def test_no_trust_anchors_trusts_nobody(pki, settings, tmp_path):
    settings.SIGNING_TRUST_ANCHORS = [str(tmp_path / "missing")]
    settings.SIGNING_INTERMEDIATES = []
    settings.SIGNING_CRLS = []
    with pytest.raises(DomainError) as refused:
        validate_certificate(pki.certificates["good"], chain=[pki.intermediate.certificate])
    assert refused.value.code == "cert_untrusted"


def test_validate_certificate_at_a_given_time(pki):
    good = pki.certificates["good"]
    chain = [pki.intermediate.certificate]
    trust = TrustStore([pki.root.certificate])
    assert validate_certificate(good, trust, chain=chain).serial == format(good.serial_number, "X")
    with pytest.raises(DomainError) as early:
        validate_certificate(
            good, trust, good.not_valid_before_utc - timedelta(days=1), chain=chain
        )
    assert early.value.code == "cert_not_yet_valid"
