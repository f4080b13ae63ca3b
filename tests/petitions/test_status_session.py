"""Finding 11 of issue 15: the public status lookup hashed the password on every lookup. A
browser session that proved a case's password sees it again — page, survey, a second lookup —
with no hash until the proof expires; and password checks of any outcome are limited per
address, so one client cannot spend the server's CPU on hashes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import hashers

from secretariat.core.models import RateLimitEvent
from secretariat.petitions import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def checks(monkeypatch):
    """The password checks the lookup makes (still made, and counted)."""
    made: list[str] = []
    real = hashers.check_password

    def counted(password, encoded, *args, **kwargs):
        made.append(password)
        return real(password, encoded, *args, **kwargs)

    monkeypatch.setattr(services, "check_password", counted)
    return made


def lookup(client, number, password, ip="198.51.100.20"):
    return client.post(
        "/petitions/status/", {"number": number, "password": password}, REMOTE_ADDR=ip
    )


def test_a_proven_session_looks_up_again_without_a_hash(client, submit, checks):
    receipt = submit()
    first = lookup(client, receipt.number, receipt.password)
    assert first.status_code == 302 and checks == [receipt.password]
    for _ in range(3):
        again = lookup(client, receipt.number, receipt.password)
        assert again.status_code == 302 and again.url == first.url
        assert client.get(again.url).status_code == 200
    assert len(checks) == 1
    # Another browser (no proof in its session) is checked as before.
    other = client.__class__()
    assert lookup(other, receipt.number, receipt.password).status_code == 302
    assert len(checks) == 2


def test_the_proof_expires(client, submit, checks, settings, monkeypatch):
    settings.PETITION_ACCESS_MINUTES = 30
    receipt = submit()
    detail = lookup(client, receipt.number, receipt.password).url
    later = dt.datetime.now().timestamp() + 31 * 60
    monkeypatch.setattr("secretariat.petitions.views.time.time", lambda: later)
    response = client.get(detail)
    assert response.status_code == 302 and response.url == "/petitions/status/"
    lookup(client, receipt.number, receipt.password)
    assert len(checks) == 2  # a new proof, a new hash


def test_a_proof_is_for_its_own_case_only(client, submit, checks):
    mine, other = submit(), submit(subject="另一件")
    lookup(client, mine.number, mine.password)
    response = lookup(client, other.number, mine.password)
    assert response.status_code == 400 and "案件編號或查詢密碼不正確" in response.content.decode()
    assert client.get(f"/petitions/status/{other.number}/").status_code == 302


def test_password_checks_are_limited_per_address(client, submit, settings):
    settings.PETITION_CHECK_LIMIT = (3, 600)
    receipt = submit()
    for _ in range(3):  # the right password from three browsers (no session kept)
        client.cookies.clear()
        assert lookup(client, receipt.number, receipt.password).status_code == 302
    client.cookies.clear()
    refused = lookup(client, receipt.number, receipt.password)
    assert refused.status_code == 429 and "查詢次數過多" in refused.content.decode()
    assert lookup(client, receipt.number, receipt.password, ip="198.51.100.99").status_code == 302
    assert RateLimitEvent.objects.filter(scope="check").count() == 4
