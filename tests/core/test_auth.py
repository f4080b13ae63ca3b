"""Sign-in: strong hashing, TOTP second factor, and single sign-on (OIDC). The throttling of
wrong passwords and the second factor's reach are in tests/security/."""

import pyotp
import pytest
import requests

from secretariat.core.models import User
from tests.oidc_provider import FakeOIDCProvider

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-115"


def login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.production_hashing
def test_passwords_use_argon2(make_person):
    person = make_person("p1", "都發局", "case_officer")
    assert person.password.startswith("argon2")


def test_login_and_logout(client, make_person):
    make_person("p1", "都發局", "case_officer")
    response = login(client, "p1")
    assert response.status_code == 302 and response.url == "/"
    assert "我的待辦" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert client.get("/people/").status_code == 302
    # Signed out, / is the public home page again.
    assert "我的待辦" not in client.get("/").content.decode()


def test_totp_setup_and_second_step(client, make_person):
    make_person("p1", "都發局", "case_officer")
    login(client, "p1")
    client.get("/accounts/totp/setup/")
    secret = client.session["totp_pending_secret"]
    assert (
        "驗證碼不正確" in client.post("/accounts/totp/setup/", {"code": "000000"}).content.decode()
    )
    assert (
        client.post("/accounts/totp/setup/", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    )
    assert User.objects.get(username="p1").totp_enabled
    client.post("/accounts/logout/")

    response = login(client, "p1")
    assert response.status_code == 302
    follow = client.get("/")
    assert follow.status_code == 302 and follow.url.startswith("/accounts/totp/")
    assert client.get("/people/").status_code == 302
    response = client.post(
        "/accounts/totp/?next=/people/", {"code": pyotp.TOTP(secret).now(), "next": "/people/"}
    )
    assert response.status_code == 302 and response.url == "/people/"
    assert client.get("/people/").status_code == 200


def test_single_sign_on_with_the_city_provider(client, make_person, settings):
    person = make_person("p1", "都發局", "case_officer", email="p1@gov.taipei.test")
    with FakeOIDCProvider() as provider:
        for name, value in provider.settings().items():
            setattr(settings, name, value)
        provider.email = "p1@gov.taipei.test"
        assert "以臺北市政府單一登入登入" in client.get("/accounts/login/").content.decode()
        start = client.get("/oidc/authenticate/")
        assert start.status_code == 302 and start.url.startswith(provider.base + "/authorize")
        at_provider = requests.get(start.url, allow_redirects=False, timeout=10)
        callback = at_provider.headers["Location"].replace("http://testserver", "")
        done = client.get(callback)
        assert done.status_code == 302 and done.url == "/"
        assert int(client.session["_auth_user_id"]) == person.pk
        assert client.get("/").status_code == 200


def test_single_sign_on_refuses_unknown_people(client, settings, registry):
    with FakeOIDCProvider() as provider:
        for name, value in provider.settings().items():
            setattr(settings, name, value)
        provider.email = "stranger@example.test"
        start = client.get("/oidc/authenticate/")
        callback = requests.get(start.url, allow_redirects=False, timeout=10).headers["Location"]
        client.get(callback.replace("http://testserver", ""))
        assert "_auth_user_id" not in client.session
        assert not User.objects.filter(email="stranger@example.test").exists()
