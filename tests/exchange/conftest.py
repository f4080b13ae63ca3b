"""The exchange tests reuse the documents' office (秘書處 with a signing chain on SoftHSM2
cards) as the sender, and give 民政局 a 收發 to receive."""

from __future__ import annotations

import pytest

from tests.documents.conftest import (  # noqa: F401 (fixtures)
    Office,
    cards,
    office,
    pki,
    signing_trust,
)

SECRETARIAT_CODE = "379130000C"
CIVIL_AFFAIRS_CODE = "379010000G"


@pytest.fixture
def codes(agency):
    """機關代碼 for the two agencies on the platform that exchange with each other."""
    for name, code in (("秘書處", SECRETARIAT_CODE), ("民政局", CIVIL_AFFAIRS_CODE)):
        found = agency(name)
        found.official_code = code
        found.save()
    return {"sender": agency("秘書處"), "receiver": agency("民政局")}


@pytest.fixture
def receiver_clerk(make_person, codes):
    return make_person("ca-clerk", "民政局", "registry_clerk", display_name="民政局收發")


@pytest.fixture
def outbox(settings, tmp_path):
    settings.EXCHANGE_OUTBOX_DIR = tmp_path / "outbox"
    return settings.EXCHANGE_OUTBOX_DIR
