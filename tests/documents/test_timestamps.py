"""RFC 3161 time-stamps from a TSA at SIGNING_TSA_URL: a test TSA on 127.0.0.1 (pyHanko's
DummyTimeStamper behind a real HTTP server), whose certificate comes from a root that the
trust store may or may not trust."""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import weasyprint
from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from secretariat.core.errors import DomainError
from secretariat.documents.signing import (
    TrustStore,
    seal_pdf,
    sign_detached,
    validate_pdf,
    verify_detached,
)

DATA = "主旨：會辦單。".encode()


@pytest.fixture(scope="module")
def tsa(pki):
    """A TSA whose certificate is issued by the 'stranger' root; yields its URL."""
    cert, key = pki.stranger.issue_timestamping("測試時戳服務")
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(
            key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        ),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def trust_with_tsa(pki):
    return TrustStore([pki.root.certificate, pki.stranger.certificate], crls=pki.trust.crls)


def test_signature_carries_the_tsa_time(pki, credential, tsa, trust_with_tsa, settings):
    settings.SIGNING_TSA_URL = tsa
    record = sign_detached(DATA, credential, purpose="會辦", trust=trust_with_tsa)
    assert record.time_source == "tsa"
    assert record.time_note == "時間取自時戳服務（RFC 3161）。"
    assert abs(record.signing_time - datetime.now(UTC)) < timedelta(minutes=1)

    verdict = verify_detached(DATA, record.signature, trust=trust_with_tsa)
    assert verdict.ok, verdict.problem
    assert (verdict.time_source, verdict.signing_time) == ("tsa", record.signing_time)

    # a TSA the trust store does not know makes the time-stamp invalid
    untrusting = verify_detached(DATA, record.signature, trust=pki.trust)
    assert (untrusting.ok, untrusting.code) == (False, "timestamp_invalid")
    assert untrusting.problem == "簽章所附的時戳無效。" and untrusting.tampered


def test_tsa_that_does_not_answer_stops_the_signing(pki, credential, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.SIGNING_TSA_URL = f"http://127.0.0.1:{port}/"
    with pytest.raises(DomainError) as refused:
        sign_detached(DATA, credential, purpose="會辦", trust=pki.trust)
    assert refused.value.code == "tsa_unavailable"
    assert refused.value.message.startswith("無法自時戳服務取得時戳")


def test_pades_seal_with_a_time_stamp(pki, credential, tsa, trust_with_tsa, settings):
    settings.SIGNING_TSA_URL = tsa
    letter = weasyprint.HTML(string="<p>主旨：開會通知單</p>").write_pdf()
    sealed = seal_pdf(letter, credential, reason="發文", location="臺北市", trust=trust_with_tsa)
    verdict = validate_pdf(sealed, trust=trust_with_tsa)
    assert verdict.ok, verdict.problem
    assert verdict.time_source == "tsa"
