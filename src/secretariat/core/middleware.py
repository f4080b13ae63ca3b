"""Request middleware: who is acting (for the audit trail) and the TOTP second step."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from secretariat.core import audit
from secretariat.core.errors import DomainError

OTP_SESSION_KEY = "otp_verified"
SECOND_FACTOR_REQUIRED = "請先完成雙因素驗證（輸入驗證器 App 的驗證碼）再使用 API。"


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


def needs_second_factor(request) -> bool:
    """A person with TOTP enabled who signed in with a password only (not yet the code step).
    Single sign-on logins are trusted to the city's identity provider; API bearer tokens carry
    no session and are not affected."""
    user = getattr(request, "user", None)
    return (
        user is not None
        and user.is_authenticated
        and user.totp_enabled
        and not request.session.get(OTP_SESSION_KEY)
        and not request.session.get(BACKEND_SESSION_KEY, "").endswith("CityOIDCBackend")
    )


class SecondFactorMiddleware:
    """Until the code step is passed, such a session reaches the code step and sign-out only:
    pages redirect to the code step, ``/api/`` answers 401 with code
    ``second_factor_required``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not needs_second_factor(request) or request.path in self.open_paths():
            return self.get_response(request)
        if request.path.startswith("/api/"):
            error = DomainError("second_factor_required", SECOND_FACTOR_REQUIRED)
            return JsonResponse(
                error.as_dict(), status=401, json_dumps_params={"ensure_ascii": False}
            )
        step = reverse("core:totp_verify")
        return redirect(f"{step}?{urlencode({'next': request.get_full_path()})}")

    @staticmethod
    def open_paths() -> set[str]:
        return {reverse("core:totp_verify"), reverse("core:logout")}


def content_security_policy(directives: dict[str, list[str]]) -> str:
    """The header's value: ``default-src 'self'; script-src 'self'; …``."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Sends ``SECURE_CSP`` (the setting Django 6.0's built-in middleware reads, in the same
    form) as the Content-Security-Policy of every response that has none of its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = content_security_policy(settings.SECURE_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response
