"""The sandbox keeps its tokens in its own folder, and a missing SoftHSM2 fails under CI."""

from __future__ import annotations

import os

import pytest

from secretariat.documents.signing.sandbox import SoftHsm

from . import conftest


def test_tokens_live_in_the_sandbox_folder(credential, pki):
    conf = pki.hsm.conf.read_text()
    assert os.environ["SOFTHSM2_CONF"] == str(pki.hsm.conf)
    assert f"directories.tokendir = {pki.hsm.directory / 'tokens'}" in conf
    assert any((pki.hsm.directory / "tokens").iterdir())  # the token made by the fixture


def test_missing_softhsm_fails_under_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.setattr(SoftHsm, "available", staticmethod(lambda module=None: False))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="softhsm2"):
        conftest._require_softhsm()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        conftest._require_softhsm()
