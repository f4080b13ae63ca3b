"""Rate limits: anonymous submissions per address (web form and Open311 together), and wrong
passwords per case number and per address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from secretariat.cases.models import Case
from secretariat.core import throttle as counters
from secretariat.core.errors import DomainError
from secretariat.core.models import RateLimitEvent
from secretariat.petitions import services, throttle
from tests.petitions.test_intake import FORM

pytestmark = pytest.mark.django_db
OPEN311 = {
    "service_code": "roads",
    "description": "路燈不亮",
    "first_name": "小明",
    "last_name": "王",
    "attribute[consent]": "agree",
}


@pytest.fixture
def tight(settings):
    settings.PETITION_SUBMIT_LIMIT = (2, 3600)
    settings.PETITION_LOOKUP_LIMIT = (3, 900)


def test_the_web_form_is_limited_per_address(client, registry, tight):
    for _ in range(2):
        assert (
            client.post("/petitions/submit/", FORM, REMOTE_ADDR="198.51.100.7").status_code == 302
        )
    refused = client.post("/petitions/submit/", FORM, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert "已達上限" in refused.content.decode()
    assert Case.objects.count() == 2
    other = client.post("/petitions/submit/", FORM, REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 302


def test_refused_submissions_do_not_count(client, registry, tight):
    for _ in range(3):
        client.post("/petitions/submit/", {**FORM, "consent": ""}, REMOTE_ADDR="198.51.100.7")
    assert client.post("/petitions/submit/", FORM, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_open311_and_the_form_share_the_limit(client, registry, tight):
    client.post("/petitions/submit/", FORM, REMOTE_ADDR="198.51.100.7")
    assert (
        client.post("/open311/v2/requests.json", OPEN311, REMOTE_ADDR="198.51.100.7").status_code
        == 201
    )
    refused = client.post("/open311/v2/requests.json", OPEN311, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    [error] = refused.json()
    assert error["code"] == 429 and "已達上限" in error["description"]


def test_signed_in_staff_are_not_limited(submit, people, tight):
    for _ in range(3):
        submit(by=people["router"], client_ip="198.51.100.7")
    assert Case.objects.count() == 3


def test_the_limit_window_passes(submit, tight):
    submit(client_ip="198.51.100.7")
    submit(client_ip="198.51.100.7")
    with pytest.raises(throttle.RateLimited):
        submit(client_ip="198.51.100.7")
    RateLimitEvent.objects.update(at=timezone.now() - dt.timedelta(hours=2))
    submit(client_ip="198.51.100.7")


def lookup(client, number, password, ip="198.51.100.20"):
    return client.post(
        "/petitions/status/", {"number": number, "password": password}, REMOTE_ADDR=ip
    )


def test_wrong_passwords_per_number(client, submit, tight):
    receipt = submit()
    for ip in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        assert lookup(client, receipt.number, "WRONG234", ip).status_code == 400
    blocked = lookup(client, receipt.number, receipt.password, "198.51.100.4")
    assert blocked.status_code == 429
    assert "查詢錯誤次數過多，請於 15 分鐘後再試" in blocked.content.decode()
    RateLimitEvent.objects.update(at=timezone.now() - dt.timedelta(minutes=16))
    assert lookup(client, receipt.number, receipt.password).status_code == 302


def test_wrong_passwords_per_address_across_numbers(client, submit, tight):
    first, second = submit(), submit(subject="另一件")
    lookup(client, first.number, "WRONG234")
    lookup(client, "陳115999998", "WRONG234")
    lookup(client, "陳115999999", "WRONG234")
    assert lookup(client, second.number, second.password).status_code == 429
    assert lookup(client, second.number, second.password, ip="198.51.100.99").status_code == 302


def test_unknown_numbers_are_limited_like_real_ones(submit, tight):
    for _ in range(3):
        with pytest.raises(DomainError) as caught:
            services.open_for_citizen("陳115999999", "WRONG234", client_ip=f"198.51.100.{_}")
        assert caught.value.code == "wrong_credentials"
    with pytest.raises(throttle.RateLimited):
        services.open_for_citizen("陳115999999", "WRONG234", client_ip="198.51.100.50")


def test_counters_keep_no_address_or_number_in_clear(submit, client, tight):
    receipt = submit(client_ip="198.51.100.7")
    lookup(client, receipt.number, "WRONG234", ip="198.51.100.7")
    keys = " ".join(RateLimitEvent.objects.values_list("key", flat=True))
    assert "198.51.100.7" not in keys and receipt.number not in keys


def test_old_counters_are_purged(submit):
    submit()
    RateLimitEvent.objects.create(
        scope=throttle.SUBMIT, key="x", at=timezone.now() - dt.timedelta(days=2)
    )
    assert counters.purge() == 1
    assert RateLimitEvent.objects.count() == 1
