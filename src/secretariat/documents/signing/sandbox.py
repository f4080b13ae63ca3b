"""A throwaway PKI and a SoftHSM2 token: for the tests, the benchmark and the demo — never
for production, where certificates come from the 政府憑證管理中心 and keys live on staff's
smart cards.

``Authority`` issues certificates and CRLs with ``cryptography``; ``SoftHsm`` keeps SoftHSM2
tokens in a folder of its own (its own ``softhsm2.conf``; the system's token folder is never
touched), initialises them with Debian's ``softhsm2-util`` and generates signing keys on them
through PKCS#11, so a private key never exists outside the token.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pkcs11 import Attribute, CertificateType, KeyType, MechanismFlag, ObjectClass
from pkcs11.exceptions import NoSuchToken

from secretariat.documents.signing import credentials

DEFAULT_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
SOFTHSM_UTIL = "softhsm2-util"


def name(common_name: str, organization: str = "臺北市政府", unit: str | None = None) -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "TW"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
    ]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


@dataclass
class Authority:
    """A certification authority: its certificate, its key and where its CRL would be."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey
    crl_url: str

    @classmethod
    def root(cls, common_name: str, *, years: int = 20) -> Authority:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = name(common_name, organization="測試憑證管理中心")
        now = datetime.now(UTC)
        cert = _ca_builder(subject, subject, key.public_key(), key.public_key(), now, years)
        return cls(cert.sign(key, hashes.SHA256()), key, _crl_url(common_name))

    def subordinate(self, common_name: str, *, years: int = 10) -> Authority:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = name(common_name, organization="測試憑證管理中心")
        now = datetime.now(UTC)
        builder = _ca_builder(
            subject, self.certificate.subject, key.public_key(), self.key.public_key(), now, years
        ).add_extension(_distribution_point(self.crl_url), critical=False)
        return Authority(builder.sign(self.key, hashes.SHA256()), key, _crl_url(common_name))

    def issue(
        self,
        subject: x509.Name,
        public_key: rsa.RSAPublicKey,
        *,
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        digital_signature: bool = True,
    ) -> x509.Certificate:
        """A signer's certificate (digitalSignature + nonRepudiation, as a GCA signing
        certificate), valid from yesterday for two years unless told otherwise."""
        now = datetime.now(UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.certificate.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - timedelta(days=1))
            .not_valid_after(not_after or now + timedelta(days=730))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=digital_signature,
                    content_commitment=True,
                    key_encipherment=not digital_signature,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
            .add_extension(_distribution_point(self.crl_url), critical=False)
        )
        return builder.sign(self.key, hashes.SHA256())

    def issue_timestamping(self, common_name: str) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
        """A time-stamping authority's certificate and key (for a test TSA)."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name(common_name, organization="測試憑證管理中心"))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=730))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        return cert, key

    def crl(
        self,
        revoked: list[x509.Certificate] = (),
        *,
        revoked_at: datetime | None = None,
        days_valid: int = 7,
    ) -> bytes:
        """This authority's CRL (DER), listing ``revoked`` as revoked at ``revoked_at``."""
        now = datetime.now(UTC)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.certificate.subject)
            .last_update(now - timedelta(minutes=5))
            .next_update(now + timedelta(days=days_valid))
            .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
        )
        for cert in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(cert.serial_number)
                .revocation_date(revoked_at or now - timedelta(minutes=1))
                .build()
            )
        return builder.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _crl_url(common_name: str) -> str:
    # Never fetched (validation is offline): it only has to name a distribution point.
    return f"http://crl.invalid/{hashlib.sha256(common_name.encode()).hexdigest()[:12]}.crl"


def _distribution_point(url: str) -> x509.CRLDistributionPoints:
    return x509.CRLDistributionPoints(
        [
            x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(url)],
                relative_name=None,
                reasons=None,
                crl_issuer=None,
            )
        ]
    )


def _ca_builder(subject, issuer, public_key, issuer_key, now, years) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=2))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key), critical=False
        )
    )


def pem(*certificates: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)


class SoftHsm:
    """SoftHSM2 tokens kept in ``directory``. ``activate()`` points this process's SoftHSM2
    at them (``SOFTHSM2_CONF``); it must come before the module is first loaded."""

    def __init__(self, directory: Path, module: str = DEFAULT_MODULE):
        self.directory = Path(directory)
        self.module = module
        self.conf = self.directory / "softhsm2.conf"
        tokens = self.directory / "tokens"
        tokens.mkdir(parents=True, exist_ok=True)
        self.conf.write_text(
            f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
        )

    @staticmethod
    def available(module: str = DEFAULT_MODULE) -> bool:
        return shutil.which(SOFTHSM_UTIL) is not None and Path(module).exists()

    def activate(self) -> None:
        """Point SoftHSM2 at this folder's tokens, in this process too: SoftHSM2 reads its
        configuration when the module is initialised, so a module the process has already
        loaded (for another folder's tokens: the demo's, another test run's) starts again."""
        if os.environ.get("SOFTHSM2_CONF") == str(self.conf):
            return
        os.environ["SOFTHSM2_CONF"] = str(self.conf)
        credentials.reinitialize_module(self.module)

    def init_token(self, label: str, *, pin: str, so_pin: str) -> None:
        """A new, empty token (``softhsm2-util --init-token --free``)."""
        subprocess.run(
            [SOFTHSM_UTIL, "--init-token", "--free", "--label", label]
            + ["--pin", pin, "--so-pin", so_pin],
            env={**os.environ, "SOFTHSM2_CONF": str(self.conf)},
            check=True,
            capture_output=True,
        )

    def _session(self, token_label: str, pin: str):
        library = credentials._library(self.module)
        try:
            token = library.get_token(token_label=token_label)
        except NoSuchToken:
            # A token made after the module was loaded is seen once the module re-reads its
            # token folder (which ends this process's other sessions).
            library.reinitialize()
            token = library.get_token(token_label=token_label)
        return token.open(rw=True, user_pin=pin)

    def generate_key(
        self, token_label: str, pin: str, *, key_label: str, key_id: bytes, bits: int = 2048
    ) -> rsa.RSAPublicKey:
        """An RSA key pair made on the token (private part sensitive, not extractable);
        returns the public key, for the certificate request."""
        with self._session(token_label, pin) as session:
            public, _ = session.generate_keypair(
                KeyType.RSA,
                bits,
                id=key_id,
                label=key_label,
                store=True,
                capabilities=MechanismFlag.SIGN | MechanismFlag.VERIFY,
                private_template={Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False},
            )
            return rsa.RSAPublicNumbers(
                int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
                int.from_bytes(public[Attribute.MODULUS], "big"),
            ).public_key()

    def generate_secret_key(self, token_label: str, pin: str, *, key_label: str) -> None:
        """An AES-256 key made on the token that only encrypts and decrypts there (sensitive,
        not extractable): 機密文書's master key (``DOCUMENTS_MASTER_TOKEN``)."""
        with self._session(token_label, pin) as session:
            session.generate_key(
                KeyType.AES,
                256,
                label=key_label,
                store=True,
                capabilities=MechanismFlag.ENCRYPT | MechanismFlag.DECRYPT,
                template={Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False},
            )

    def store_certificate(
        self,
        token_label: str,
        pin: str,
        certificate: x509.Certificate,
        *,
        label: str,
        key_id: bytes,
    ) -> None:
        with self._session(token_label, pin) as session:
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: label,
                    Attribute.ID: key_id,
                    Attribute.SUBJECT: certificate.subject.public_bytes(),
                    Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER),
                }
            )
