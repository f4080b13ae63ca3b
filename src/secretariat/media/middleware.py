"""Journalists' accounts use the journalists' pages only. A journalist is an account outside
the city government (no agency, role 記者 once approved): the staff pages that any
signed-in person may open — agencies, the calendar, the council's pages, the API — are not
for it. This keeps such an account to 記者專區, the public news page, the citizens' public
pages and its own sign-in and account-security pages; anything else is refused (403), and
the staff dashboard sends it to 記者專區."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect

from secretariat.media.permissions import is_journalist_account

ALLOWED_NAMESPACES = {"press", "news"}
ALLOWED_VIEWS = {
    "core:login",
    "core:logout",
    "core:totp_verify",
    "core:totp_setup",
    "core:healthz",
    "petitions:submit",
    "petitions:receipt",
    "petitions:status",
    "petitions:status_detail",
    "petitions:survey",
    "petitions:open311_services",
    "petitions:open311_service_definition",
    "petitions:open311_requests",
    "petitions:open311_request",
}
# The API operations a journalist may call: the contact lookup, and who they are.
ALLOWED_API = ("/api/v1/media/contacts", "/api/v1/me", "/api/v1/openapi.json")


class JournalistMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not is_journalist_account(request.user):
            return None
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        if name in ALLOWED_VIEWS or name.split(":", 1)[0] in ALLOWED_NAMESPACES:
            return None
        if request.path.startswith(ALLOWED_API):
            return None
        if name == "core:dashboard":
            return redirect("press:home")
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "code": "permission_denied",
                    "message": "記者帳號僅能使用記者專區。",
                    "fields": {},
                },
                status=403,
            )
        raise PermissionDenied("記者帳號僅能使用記者專區。")
