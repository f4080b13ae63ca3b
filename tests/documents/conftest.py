"""A throwaway PKI and a SoftHSM2 token for the signing tests, made once per session.

The token lives in a temporary folder with its own ``softhsm2.conf`` (the system's token
folder is never touched). Without SoftHSM2 the signing tests are skipped — except under
``CI=true``, where that is a failure, as for Chromium and PostgreSQL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

from secretariat.documents.signing import Pkcs12Spec, TokenSpec, TrustStore, load_credential
from secretariat.documents.signing.sandbox import Authority, SoftHsm, name

TOKEN = "王小明憑證卡"
PIN = "246810"
SO_PIN = "13579111"
P12_PASSWORD = "dev-password-115"

# label → how its certificate is issued
SIGNERS = {
    "good": {},
    "expired": {"not_before": -3 * 365, "not_after": -1},
    "future": {"not_before": 30, "not_after": 400},
    "untrusted": {"authority": "stranger"},
    "no_digital_signature": {"digital_signature": False},
    "revoked": {},
}


@dataclass
class Pki:
    root: Authority
    intermediate: Authority
    stranger: Authority
    hsm: SoftHsm
    trust: TrustStore  # the root, with the root's and the intermediate's CRLs
    certificates: dict[str, x509.Certificate] = field(default_factory=dict)
    pkcs12: Path | None = None

    def token(self, label: str = "good") -> TokenSpec:
        return TokenSpec(token_label=TOKEN, key_label=label)

    def credential(self, label: str = "good"):
        return load_credential(self.token(label), PIN)

    def file_credential(self):
        return load_credential(Pkcs12Spec(self.pkcs12), P12_PASSWORD)


def _require_softhsm() -> None:
    if not SoftHsm.available():
        message = "找不到 SoftHSM2（apt-get install softhsm2）"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> Pki:
    _require_softhsm()
    hsm = SoftHsm(tmp_path_factory.mktemp("softhsm"))
    hsm.activate()
    hsm.init_token(TOKEN, pin=PIN, so_pin=SO_PIN)

    root = Authority.root("測試根憑證")
    intermediate = root.subordinate("測試中繼憑證")
    stranger = Authority.root("不明根憑證")
    now = datetime.now(UTC)
    certificates = {}
    for number, (label, plan) in enumerate(SIGNERS.items(), start=1):
        key_id = bytes([number])
        public_key = hsm.generate_key(TOKEN, PIN, key_label=label, key_id=key_id)
        authority = stranger if plan.get("authority") == "stranger" else intermediate
        dates = {k: now + timedelta(days=plan[k]) for k in ("not_before", "not_after") if k in plan}
        certificates[label] = authority.issue(
            name("王小明", unit="秘書處"),
            public_key,
            digital_signature=plan.get("digital_signature", True),
            **dates,
        )
        hsm.store_certificate(TOKEN, PIN, certificates[label], label=label, key_id=key_id)
    # Cards often carry their issuing CA's certificate too; the signature then includes it.
    hsm.store_certificate(TOKEN, PIN, intermediate.certificate, label="issuing-ca", key_id=b"\xca")

    trust = TrustStore(
        [root.certificate],
        crls=[root.crl(), intermediate.crl([certificates["revoked"]])],
    )
    pki = Pki(root, intermediate, stranger, hsm, trust, certificates)
    pki.pkcs12 = _pkcs12(tmp_path_factory.mktemp("p12") / "dev.p12", intermediate)
    return pki


def _pkcs12(path: Path, authority: Authority) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = authority.issue(name("開發者", unit="資訊室"), key.public_key())
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"dev",
            key,
            cert,
            [authority.certificate],
            BestAvailableEncryption(P12_PASSWORD.encode()),
        )
    )
    return path


@pytest.fixture
def credential(pki):
    with pki.credential() as credential:
        yield credential
