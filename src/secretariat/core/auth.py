"""Sign-in: passwords with per-account lock-out, and the city's OpenID Connect single sign-on."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import F
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from secretariat.core import audit


class AccountLocked(Exception):
    def __init__(self, until: dt.datetime):
        super().__init__("account locked")
        self.until = until


def is_locked(user) -> bool:
    return user.locked_until is not None and user.locked_until > timezone.now()


class LockoutModelBackend(ModelBackend):
    """Password login. After ``LOGIN_MAX_FAILURES`` wrong passwords in a row the account is
    locked for ``LOGIN_LOCKOUT_MINUTES``; a success resets the counter. Every failure and lock
    is audited."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(password)  # same hashing time whether or not the account exists
            return None
        if is_locked(user):
            raise AccountLocked(user.locked_until)
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_logins or user.locked_until:
                User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
            return user
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins"])
        details = {"failed_logins": user.failed_logins}
        if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
            until = timezone.now() + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
            details["locked_until"] = until.isoformat()
            audit.record(user, "login_locked", details)
            raise AccountLocked(until)
        audit.record(user, "login_failed", details)
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
