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
        self.hsm.activate()  # a demo run by an earlier test may have pointed SoftHSM2 elsewhere
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


# --- The documents workflow: cards for the people of an office, and the office -------------

CARD_PIN = "135790"
# label → how its certificate is issued (every card also carries the issuing CA certificate)
CARDS = {
    "clerk": {},
    "officer": {},
    "chief": {},
    "director": {},
    "head": {},
    "deputy": {},
    "cosigner": {},
    "keeper": {},
    "seal": {"organization": "臺北市政府秘書處"},
    "expired": {"not_before": -800, "not_after": -1},
    "stranger": {"authority": "stranger"},
}


@pytest.fixture(scope="session")
def cards(pki) -> dict[str, str]:
    """One SoftHSM2 token (憑證卡) per person of the office, label ``card-<who>``, PIN
    ``CARD_PIN``: a signing key made on the token and its certificate."""
    pki.hsm.activate()
    now = datetime.now(UTC)
    labels = {}
    for who, plan in CARDS.items():
        token = f"card-{who}"
        pki.hsm.init_token(token, pin=CARD_PIN, so_pin=SO_PIN)
        public_key = pki.hsm.generate_key(token, CARD_PIN, key_label="sign", key_id=b"\x01")
        authority = pki.stranger if plan.get("authority") == "stranger" else pki.intermediate
        dates = {k: now + timedelta(days=plan[k]) for k in ("not_before", "not_after") if k in plan}
        subject = name(who, organization=plan.get("organization", "臺北市政府"), unit="秘書處")
        cert = authority.issue(subject, public_key, **dates)
        pki.hsm.store_certificate(token, CARD_PIN, cert, label="sign", key_id=b"\x01")
        pki.hsm.store_certificate(
            token, CARD_PIN, pki.intermediate.certificate, label="issuing-ca", key_id=b"\xca"
        )
        labels[who] = token
    return labels


@pytest.fixture
def signing_trust(pki, settings, tmp_path):
    """The settings' trust anchors and CRLs: the tests' root (TrustStore.from_settings)."""
    from secretariat.documents.signing.sandbox import pem

    pki.hsm.activate()  # the cards are on its tokens, whatever an earlier test activated
    trust, crls = tmp_path / "trust", tmp_path / "crl"
    trust.mkdir()
    crls.mkdir()
    (trust / "root.pem").write_bytes(pem(pki.root.certificate))
    (crls / "root.crl").write_bytes(pki.root.crl())
    (crls / "issuing.crl").write_bytes(pki.intermediate.crl([pki.certificates["revoked"]]))
    settings.SIGNING_TRUST_ANCHORS = [str(trust)]
    settings.SIGNING_INTERMEDIATES = []
    settings.SIGNING_CRLS = [str(crls)]
    settings.MEDIA_ROOT = tmp_path / "media"
    return pki


@dataclass
class Office:
    """秘書處 with the people of a signing chain, their cards, its 分層負責明細表 rows
    (A01 第三層, B01 第二層, C01 第一層) and its profile."""

    agency: object
    units: dict
    people: dict
    matters: dict
    pin: str = CARD_PIN

    def __getattr__(self, who: str):
        try:
            return self.people[who]
        except KeyError:
            raise AttributeError(who) from None


# who → (unit, roles, job title, level, signs with card)
OFFICE_PEOPLE = {
    "clerk": ("文書組", ["registry_clerk"], "收發人員", None),
    "officer": ("總務組", ["case_officer"], "科員", None),
    "chief": ("總務組", ["supervisor"], "科長", 3),
    "director": ("總務組", ["supervisor"], "組長", 2),
    "head": ("處本部", ["head"], "處長", 1),
    "deputy": ("處本部", ["supervisor"], "副處長", None),
    "cosigner": ("機要組", ["case_officer"], "專員", None),
    "keeper": ("文書組", ["registry_clerk"], "監印人員", None),
}


@pytest.fixture
def office(signing_trust, cards, make_person, agency) -> Office:
    from secretariat.core.models import Unit
    from secretariat.documents import services
    from secretariat.documents.models import Level, Signer

    sec = agency("秘書處")
    admin = make_person("doc-admin", "秘書處", "system_admin")
    units = {
        name: Unit.objects.get_or_create(agency=sec, name=name)[0]
        for name in ("文書組", "總務組", "機要組", "處本部")
    }
    people = {}
    for who, (unit, roles, title, level) in OFFICE_PEOPLE.items():
        person = make_person(
            f"doc-{who}",
            "秘書處",
            *roles,
            unit=units[unit],
            job_title=title,
            display_name=f"{title}{who}",
        )
        people[who] = person
        Signer.objects.create(
            user=person, level=level, token_label=cards[who], keeps_seals=who == "keeper"
        )
    Signer.objects.filter(user=people["deputy"]).update(deputy_for=people["head"])
    services.set_agency_profile(
        sec,
        by=admin,
        head_title="處長",
        head_name="陳處長",
        address="臺北市信義區市府路1號",
        serial_base=3_000_000,
        seal_token_label=cards["seal"],
    )
    services.set_issuing_code(sec, "北市秘", by=admin)
    services.set_issuing_code(sec, "北市秘總", by=admin, unit=units["總務組"])
    matters = {
        code: services.set_matter_category(sec, code=code, name=name, level=level, by=admin)
        for code, name, level in (
            ("A01", "一般庶務", Level.CHIEF),
            ("B01", "採購案件", Level.DIRECTOR),
            ("C01", "重要政策", Level.HEAD),
        )
    }
    people["admin"] = admin
    return Office(sec, units, people, matters)
