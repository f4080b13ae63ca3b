"""Request middleware: who is acting (for the audit trail) and the TOTP second step."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from secretariat.core import audit

OTP_SESSION_KEY = "otp_verified"


def client_ip(request) -> str:
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


class AuditContextMiddleware:
    """Attributes every audit entry written while handling a request to its user and address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.acting_as(audit.actor_for(getattr(request, "user", None), client_ip(request))):
            return self.get_response(request)


class SecondFactorMiddleware:
    """A person with TOTP enabled who signed in with a password must pass the code step before
    anything else; single sign-on logins are trusted to the city's identity provider."""

    exempt_prefixes = ("/static/", "/accounts/", "/api/", "/oidc/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.totp_enabled
            and not request.session.get(OTP_SESSION_KEY)
            and not request.session.get("_auth_user_backend", "").endswith("CityOIDCBackend")
            and not request.path.startswith(self.exempt_prefixes)
        ):
            return redirect(f"{reverse('core:totp_verify')}?next={request.get_full_path()}")
        return self.get_response(request)
