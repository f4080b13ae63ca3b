"""Finding 9 of issue 15: wrong passwords are throttled per account from an address and per
address, with the same answer whether or not the account exists; someone throttling an account
from their address does not lock the real person out, and guessing from many addresses slows
the account down instead of locking it."""

from __future__ import annotations

import re

import pytest

from secretariat.core import auth
from secretariat.core.models import AuditEntry, RateLimitEvent

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-115"
ATTACKER = "203.0.113.66"
REAL_PERSON = "198.51.100.10"


@pytest.fixture
def limits(settings):
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_LOCKOUT_MINUTES = 15
    settings.LOGIN_ADDRESS_MAX_FAILURES = 6
    settings.LOGIN_ACCOUNT_SLOWDOWN_FAILURES = 4
    settings.LOGIN_SLOWDOWN_SECONDS = 2.5


@pytest.fixture
def pauses(monkeypatch):
    """The slow-down's waits, recorded instead of slept."""
    waited: list[float] = []
    monkeypatch.setattr(auth, "pause", waited.append)
    return waited


@pytest.fixture
def person(make_person):
    return make_person("p1", "都發局", "case_officer")


def login(client, username, password=PASSWORD, ip=ATTACKER):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def answer(response, username: str) -> tuple[int, str]:
    """What a visitor can compare: the status and the page, less its CSRF tokens and the name
    they typed (echoed in the form)."""
    page = re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())
    return response.status_code, page.replace(f'value="{username}"', "")


def test_the_attackers_address_is_throttled_not_the_account(client, person, limits, pauses):
    for _ in range(2):
        assert login(client, "p1", "wrong-password").status_code == 200
    throttled = login(client, "p1", "wrong-password")
    assert throttled.status_code == 429
    assert "嘗試次數過多，請於 15 分鐘後再試" in throttled.content.decode()
    # The right password from the attacker's address is refused too …
    assert login(client, "p1").status_code == 429
    # … but the real person, elsewhere, signs in.
    response = login(client, "p1", ip=REAL_PERSON)
    assert response.status_code == 302 and response.url == "/"


def test_the_same_answer_whether_or_not_the_account_exists(client, person, limits, pauses):
    answers = {}
    for username, ip in (("p1", "192.0.2.1"), ("nobody", "192.0.2.2")):
        answers[username] = [
            answer(login(client, username, "wrong-password", ip), username) for _ in range(4)
        ]
    assert answers["p1"] == answers["nobody"]
    assert [status for status, _ in answers["p1"]] == [200, 200, 429, 429]
    assert "帳號或密碼錯誤" in answers["p1"][0][1]
    assert "嘗試次數過多" in answers["p1"][2][1] and "p1" not in answers["p1"][2][1]


def test_a_throttled_unknown_name_takes_no_password_hash(client, limits, pauses, monkeypatch):
    for _ in range(3):
        login(client, "nobody", "wrong-password")
    hashed = []
    monkeypatch.setattr(
        "django.contrib.auth.base_user.AbstractBaseUser.set_password",
        lambda self, raw: hashed.append(raw),
    )
    assert login(client, "nobody", "wrong-password").status_code == 429
    assert hashed == []


def test_an_address_trying_many_accounts_is_refused_everywhere(
    client, person, make_person, limits, pauses
):
    make_person("p2", "都發局", "case_officer")
    for name in ("a", "b", "c", "d", "e", "f"):
        login(client, name, "wrong-password")
    # Six failures over six names: the address may not try any account, even with the right
    # password of one it never tried.
    assert login(client, "p2").status_code == 429
    assert login(client, "p2", ip=REAL_PERSON).status_code == 302


def test_guessing_from_many_addresses_slows_the_account_down(client, person, limits, pauses):
    for n in range(4):
        login(client, "p1", "wrong-password", ip=f"192.0.2.{n}")
    assert pauses == []
    response = login(client, "p1", ip=REAL_PERSON)
    # A delay, never a lock: the real person still signs in, after the wait.
    assert response.status_code == 302
    assert pauses == [2.5]
    login(client, "nobody", "wrong-password", ip="192.0.2.9")
    assert pauses == [2.5]  # other names are not slowed


def test_ipv6_clients_are_counted_by_their_64_network(client, person, limits, pauses):
    for host in ("1", "2", "3"):
        login(client, "p1", "wrong-password", ip=f"2001:db8:1:2::{host}")
    assert login(client, "p1", ip="2001:db8:1:2:ffff::9").status_code == 429
    assert login(client, "p1", ip="2001:db8:1:3::1").status_code == 302


def test_failures_are_audited_and_counters_keep_nothing_in_clear(client, person, limits, pauses):
    for _ in range(3):
        login(client, "p1", "wrong-password")
    actions = list(
        AuditEntry.objects.filter(object_id=str(person.pk), action__startswith="login").values_list(
            "action", "ip"
        )
    )
    assert actions == [
        ("login_failed", ATTACKER),
        ("login_failed", ATTACKER),
        ("login_failed", ATTACKER),
        ("login_throttled", ATTACKER),
    ]
    keys = " ".join(RateLimitEvent.objects.values_list("key", flat=True))
    assert "p1" not in keys and ATTACKER not in keys


def test_a_success_starts_the_address_again(client, person, limits, pauses):
    for _ in range(2):
        login(client, "p1", "wrong-password")
    assert login(client, "p1").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(2):
        assert login(client, "p1", "wrong-password").status_code == 200
    assert login(client, "p1").status_code == 302
