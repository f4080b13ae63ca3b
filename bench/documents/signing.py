"""Benchmark of online signing (issue 18): signing and verifying throughput on one core
through ``documents.signing`` against the raw library calls, with a SoftHSM2 token.

    .venv/bin/python bench/documents/signing.py            # --size BYTES --ops N --rounds N

Raw signing is python-pkcs11's ``key.sign(data, CKM_SHA256_RSA_PKCS)`` on the same token key;
raw verifying is ``cryptography``'s RSA PKCS#1 v1.5 verify of that signature. Ours:
``sign_detached`` (certificate check, CAdES-BES CMS with the purpose, the token signs) and
``verify_detached`` (the CMS taken apart, digest, signature, certificate binding, chain and
CRL check). Verification is timed twice: for a signature whose signer and purpose the
verifier has met before (the nightly check of a trail: the same few thousand signers again
and again) and for one taken apart from scratch. pyHanko's generic CMS builder and
validator are timed for reference. Each figure is the median of ``--rounds`` rounds (each runs every
operation in turn) of about ``--ops`` operations in one thread, pinned to one core. Prints one JSON object; results are kept in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
TOKEN, PIN, SO_PIN = "bench-card", "246810", "13579111"


def _setup(directory: Path):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    os.environ.setdefault("SECRETARIAT_DATA_DIR", str(directory / "data"))
    import django

    django.setup()
    from secretariat.documents.signing import TrustStore
    from secretariat.documents.signing.sandbox import Authority, SoftHsm, name

    hsm = SoftHsm(directory / "softhsm")
    hsm.activate()
    hsm.init_token(TOKEN, pin=PIN, so_pin=SO_PIN)
    root = Authority.root("基準測試根憑證")
    issuing = root.subordinate("基準測試中繼憑證")
    public_key = hsm.generate_key(TOKEN, PIN, key_label="signer", key_id=b"\x01")
    cert = issuing.issue(name("王小明", unit="秘書處"), public_key)
    hsm.store_certificate(TOKEN, PIN, cert, label="signer", key_id=b"\x01")
    hsm.store_certificate(TOKEN, PIN, issuing.certificate, label="ca", key_id=b"\xca")
    trust = TrustStore([root.certificate], crls=[root.crl(), issuing.crl()])
    return trust, cert


def _per_op(plan: dict[str, tuple], rounds: int) -> dict[str, float]:
    """Median seconds per operation of each ``name: (fn, ops)``, over ``rounds`` rounds that
    run every function in turn (so a busy neighbour on the machine slows all of them alike)."""
    times: dict[str, list[float]] = {name: [] for name in plan}
    for fn, _ in plan.values():
        fn()
    for _ in range(rounds):
        for name, (fn, ops) in plan.items():
            start = time.perf_counter()
            for _ in range(ops):
                fn()
            times[name].append((time.perf_counter() - start) / ops)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=8192, help="bytes of data signed")
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # throughput per core
    with tempfile.TemporaryDirectory() as directory:
        trust, cert = _setup(Path(directory))
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        from pkcs11 import Mechanism
        from pyhanko.sign.pkcs11 import PKCS11Signer

        from secretariat.documents.signing import (
            TokenSpec,
            _aio,
            load_credential,
            sign_detached,
            verify_detached,
        )
        from secretariat.documents.signing import cms as signing_cms

        data = ("主旨：函轉本府114年下半年工作報告，請查照。說明：" * 200).encode()[: args.size]
        with load_credential(TokenSpec(token_label=TOKEN, key_label="signer"), PIN) as credential:
            key = credential._key
            public_key = cert.public_key()
            raw_signature = key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS)
            record = sign_detached(data, credential, purpose="決行", trust=trust)
            assert verify_detached(data, record.signature, trust=trust).ok

            def raw_sign():
                key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS)

            def raw_verify():
                public_key.verify(raw_signature, data, padding.PKCS1v15(), hashes.SHA256())

            def our_sign():
                sign_detached(data, credential, purpose="決行", trust=trust)

            def our_verify():
                verify_detached(data, record.signature, trust=trust)

            def our_verify_first_seen():
                signing_cms._Shaped._by_skeleton.clear()
                signing_cms._Shaped._shapes_by_length.clear()
                verify_detached(data, record.signature, trust=trust)

            pyhanko_signer = PKCS11Signer(
                credential._session, key_label="signer", cert_label="signer"
            )

            def pyhanko_sign():
                _aio.run(
                    pyhanko_signer.async_sign_general_data(
                        data, "sha256", detached=True, use_cades=True
                    )
                )

            from asn1crypto import cms as asn1_cms
            from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

            def pyhanko_verify():
                signed_data = asn1_cms.ContentInfo.load(record.signature)["content"]
                _aio.run(
                    async_validate_detached_cms(
                        data,
                        signed_data,
                        signer_validation_context=trust.validation_context(record.signing_time),
                    )
                )

            ops = args.ops
            timed = _per_op(
                {
                    "raw_sign": (raw_sign, ops),
                    "our_sign": (our_sign, ops),
                    "raw_verify": (raw_verify, ops * 10),
                    "our_verify": (our_verify, ops * 4),
                    "our_verify_first_seen": (our_verify_first_seen, ops // 5),
                    "pyhanko_sign": (pyhanko_sign, ops // 20),
                    "pyhanko_verify": (pyhanko_verify, ops // 20),
                },
                args.rounds,
            )

    per_second = {name: round(1 / seconds, 1) for name, seconds in timed.items()}
    raw_pair = timed["raw_sign"] + timed["raw_verify"]
    result = {
        "measured": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "data_bytes": len(data),
        "signature_bytes": len(record.signature),
        "ms_per_op": {name: round(seconds * 1000, 4) for name, seconds in timed.items()},
        "ops_per_second_one_core": per_second,
        "ratio_to_raw": {
            "sign": round(timed["raw_sign"] / timed["our_sign"], 3),
            "verify": round(timed["raw_verify"] / timed["our_verify"], 3),
            "verify_first_seen": round(timed["raw_verify"] / timed["our_verify_first_seen"], 3),
            "sign_and_verify": round(raw_pair / (timed["our_sign"] + timed["our_verify"]), 3),
            "sign_and_verify_first_seen": round(
                raw_pair / (timed["our_sign"] + timed["our_verify_first_seen"]), 3
            ),
            "pyhanko_sign_and_verify": round(
                raw_pair / (timed["pyhanko_sign"] + timed["pyhanko_verify"]), 3
            ),
        },
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
