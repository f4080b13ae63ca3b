"""Finding 1 of issue 15: once TOTP is on, a password alone reaches nothing but the code step
and sign-out — pages, the API and the admin alike — and turning TOTP off needs a current code.
Every URL pattern is tried, so a page added later is covered the day it is added."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from secretariat.api import api
from secretariat.core import services
from secretariat.core.models import AuditEntry, User

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-115"
SECRET = pyotp.random_base32()
OPEN_TO_A_PASSWORD_ONLY_SESSION = {"/accounts/totp/", "/accounts/logout/"}


def _paths(patterns=None, prefix: str = "") -> list[str]:
    """One concrete path for every URL pattern: converters and groups filled with a sample."""
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(pattern.pattern)
        route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: "1" if m[1] == "int" else "x", route)
        route = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route)
        route = route.lstrip("^").rstrip("$").replace("\\", "")
        if isinstance(pattern, URLResolver):
            found += _paths(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            found.append("/" + prefix + route)
    return sorted(set(found))


@pytest.fixture
def person(make_person):
    person = make_person("p1", "秘書處", "secretariat_admin")
    person.totp_secret, person.totp_enabled = SECRET, True
    person.save(update_fields=["totp_secret", "totp_enabled"])
    return person


@pytest.fixture
def password_only(client, person):
    """A session that has passed the password but not the code."""
    response = client.post("/accounts/login/", {"username": "p1", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_every_page_sends_a_password_only_session_to_the_code_step(password_only):
    paths = [p for p in _paths() if not p.startswith("/api/")]
    assert len(paths) > 40  # the resolver walk found the site
    for path in paths:
        if path in OPEN_TO_A_PASSWORD_ONLY_SESSION:
            continue
        for method in (password_only.get, password_only.post):
            response = method(path)
            assert response.status_code == 302, (method.__name__, path, response.status_code)
            assert response.url.startswith("/accounts/totp/?next="), path


def test_every_api_path_answers_401_to_a_password_only_session(password_only):
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    # The schema's paths and the resolver's (the docs page, openapi.json).
    paths = [re.sub(r"\{\w+\}", "1", path) for path in schema["paths"]] + _paths()
    api_paths = sorted({p for p in paths if p.startswith("/api/")})
    assert len(api_paths) > 10
    for path in api_paths:
        response = password_only.get(path)
        assert response.status_code == 401, (path, response.status_code)
        body = response.json()
        assert body["code"] == "second_factor_required"
        assert "雙因素驗證" in body["message"]


def test_a_password_only_session_cannot_turn_totp_off(password_only, person):
    response = password_only.post("/accounts/totp/setup/", {"action": "disable"})
    assert response.status_code == 302 and response.url.startswith("/accounts/totp/")
    person.refresh_from_db()
    assert person.totp_enabled and person.totp_secret == SECRET


def test_the_code_step_then_opens_everything(password_only, person):
    assert password_only.get("/api/v1/me").status_code == 401
    response = password_only.post(
        "/accounts/totp/", {"code": pyotp.TOTP(SECRET).now(), "next": "/people/"}
    )
    assert response.status_code == 302 and response.url == "/people/"
    assert password_only.get("/people/").status_code == 200
    assert password_only.get("/api/v1/me").json()["username"] == "p1"
    assert AuditEntry.objects.filter(action="login_second_factor", object_id=str(person.pk))


def test_sign_out_stays_open(password_only):
    response = password_only.post("/accounts/logout/")
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert password_only.get("/api/v1/me").json()["code"] == "unauthenticated"


def verified(client, person):
    client.force_login(person, backend="secretariat.core.auth.LockoutModelBackend")
    session = client.session
    session["otp_verified"] = True
    session.save()
    return client


def test_turning_totp_off_needs_a_current_code(client, person):
    verified(client, person)
    for data in ({"action": "disable"}, {"action": "disable", "code": "000000"}):
        response = client.post("/accounts/totp/setup/", data)
        assert response.status_code == 200
        person.refresh_from_db()
        assert person.totp_enabled
    assert "驗證碼" in response.content.decode()
    response = client.post("/accounts/totp/setup/", {"code": pyotp.TOTP(SECRET).now()})
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.totp_enabled and person.totp_secret == ""
    assert AuditEntry.objects.filter(
        action="second_factor:disable", object_id=str(person.pk)
    ).exists()


def test_wrong_codes_are_throttled_and_audited(client, person, settings):
    settings.LOGIN_MAX_FAILURES = 3
    client.post("/accounts/login/", {"username": "p1", "password": PASSWORD})
    for _ in range(3):
        response = client.post("/accounts/totp/", {"code": "000000"})
    assert response.status_code == 429
    # Now even the right code is refused from this address until the window passes …
    refused = client.post("/accounts/totp/", {"code": pyotp.TOTP(SECRET).now()})
    assert refused.status_code == 429 and "嘗試次數過多" in refused.content.decode()
    assert client.get("/people/").status_code == 302
    # … but not from another one (the real person's).
    other = client.post(
        "/accounts/totp/", {"code": pyotp.TOTP(SECRET).now()}, REMOTE_ADDR="192.0.2.80"
    )
    assert other.status_code == 302
    actions = AuditEntry.objects.filter(object_id=str(person.pk)).values_list("action", flat=True)
    assert list(actions).count("login_second_factor_failed") == 3
    assert "totp_throttled" in actions


def test_single_sign_on_sessions_skip_the_code_step(client, person):
    client.force_login(person, backend="secretariat.core.auth.CityOIDCBackend")
    assert client.get("/people/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_bearer_tokens_of_system_accounts_are_unaffected(client, make_person):
    system = make_person("sys", "都發局", "case_officer", is_system_account=True)
    system.totp_secret, system.totp_enabled = SECRET, True
    system.save(update_fields=["totp_secret", "totp_enabled"])
    _, key = services.issue_api_token(system, "介接", by=None)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and response.json()["username"] == "sys"


def test_enabling_needs_the_new_secrets_code(client, make_person):
    person = make_person("p2", "都發局", "case_officer")
    verified(client, person)
    client.get("/accounts/totp/setup/")
    secret = client.session["totp_pending_secret"]
    assert client.post("/accounts/totp/setup/", {"code": "000000"}).status_code == 200
    assert not User.objects.get(pk=person.pk).totp_enabled
    response = client.post("/accounts/totp/setup/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert User.objects.get(pk=person.pk).totp_enabled
