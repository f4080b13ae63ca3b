"""Sign-in: passwords and TOTP codes with throttled failures, and the city's OpenID Connect
single sign-on.

Wrong passwords (and wrong TOTP codes) are counted three ways in ``core.throttle``:

- per account name *and* client address: past ``LOGIN_MAX_FAILURES`` in
  ``LOGIN_LOCKOUT_MINUTES`` that address may not try that account until the window passes;
- per client address, whatever the account: past ``LOGIN_ADDRESS_MAX_FAILURES`` the address
  may not try any account;
- per account name, from every address: past ``LOGIN_ACCOUNT_SLOWDOWN_FAILURES`` each further
  try is answered after ``LOGIN_SLOWDOWN_SECONDS`` — a delay, never a lock, so that someone
  guessing from many addresses cannot keep the real person out.

Counts are keyed by the name typed, so an unknown name is counted, refused and delayed exactly
like a real one, and every refusal carries the same message: nothing says whether an account
exists."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from secretariat.core import audit, throttle
from secretariat.core.middleware import client_ip

THROTTLED_MESSAGE = "嘗試次數過多，請於 {minutes} 分鐘後再試；如有疑問請洽系統管理者。"


class LoginThrottled(throttle.RateLimited):
    """This address may not try this account (or any account) until the window has passed."""

    def __init__(self, minutes: int):
        super().__init__(THROTTLED_MESSAGE.format(minutes=minutes))


def pause(seconds: float) -> None:
    """The slow-down's wait (a function of its own so tests can stand in for the clock)."""
    time.sleep(seconds)


@dataclass(frozen=True)
class Attempts:
    """The failure counters of one kind of secret (``login`` passwords, ``totp`` codes) for
    an account name tried from a client address."""

    kind: str
    account: str
    address: str

    @property
    def window(self) -> int:
        return settings.LOGIN_LOCKOUT_MINUTES * 60

    @property
    def _pair(self) -> tuple[str, str]:
        return f"{self.kind}_pair", f"{self.account}\n{throttle.client(self.address)}"

    @property
    def _client(self) -> tuple[str, str]:
        return f"{self.kind}_address", throttle.client(self.address)

    @property
    def _account(self) -> tuple[str, str]:
        return f"{self.kind}_account", self.account

    def check(self) -> None:
        """Refuse (``LoginThrottled``) a throttled pair or address; wait if the account is
        being slowed down. Called before any secret is checked."""
        if throttle.count(*self._pair, self.window) >= settings.LOGIN_MAX_FAILURES or (
            throttle.count(*self._client, self.window) >= settings.LOGIN_ADDRESS_MAX_FAILURES
        ):
            raise LoginThrottled(settings.LOGIN_LOCKOUT_MINUTES)
        if throttle.count(*self._account, self.window) >= settings.LOGIN_ACCOUNT_SLOWDOWN_FAILURES:
            pause(settings.LOGIN_SLOWDOWN_SECONDS)

    def failed(self) -> int:
        """Count a wrong secret; the failures of this pair in the window, this one included."""
        for scope, value in (self._pair, self._client, self._account):
            throttle.hit(scope, value)
        return throttle.count(*self._pair, self.window)

    def succeeded(self) -> None:
        """The right secret from this address: its pair starts again. The address's and the
        account's counters stay, so a success does not hide a guessing campaign."""
        throttle.clear(*self._pair)

    def record_failure(self, user, action: str) -> None:
        """Count a wrong secret and audit it on the account (``user`` None: no such account,
        nothing to audit it on); past the pair's limit, audit the throttle too and refuse."""
        failures = self.failed()
        if user is not None:
            audit.record(user, action, {"failures_from_address": failures})
        if failures >= settings.LOGIN_MAX_FAILURES:
            if user is not None:
                minutes = {"minutes": settings.LOGIN_LOCKOUT_MINUTES}
                audit.record(user, f"{self.kind}_throttled", minutes)
            raise LoginThrottled(settings.LOGIN_LOCKOUT_MINUTES)


def totp_code_valid(secret: str, code: str) -> bool:
    """A 6-digit code of this TOTP secret, this period's or a neighbour's (clock drift)."""
    code = (code or "").strip()
    return bool(secret) and code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


class LockoutModelBackend(ModelBackend):
    """Password login, throttled as the module says. Every wrong password for an existing
    account is audited (``login_failed``), and so is a throttle it triggers."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        attempts = Attempts("login", username, client_ip(request) if request else "")
        attempts.check()
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(password)  # same hashing time whether or not the account exists
        elif user.check_password(password) and self.user_can_authenticate(user):
            attempts.succeeded()
            return user
        attempts.record_failure(user, "login_failed")
        return None


class CityOIDCBackend(OIDCAuthenticationBackend):
    """The city's single sign-on. Accounts are provisioned by the Secretariat and matched by
    e-mail; an unknown or inactive person is refused rather than created."""

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)
