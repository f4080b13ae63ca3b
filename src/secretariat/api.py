"""The versioned REST API at /api/v1/ (django-ninja, OpenAPI at /api/v1/openapi.json).

Authentication: ``Authorization: Bearer <token>`` for agency system accounts, or the browser
session (with CSRF) for signed-in staff. Every error has one shape:
``{"code": "...", "message": "zh-Hant text", "fields": {"field": ["message", ...]}}``.
Domains add their routers here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from secretariat.core import audit
from secretariat.core.api import router as core_router
from secretariat.core.errors import BadRequest, DomainError, NotFound, PermissionDenied
from secretariat.core.middleware import client_ip


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        from secretariat.core.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
            audit.set_actor(audit.actor_for(user, client_ip(request)))
        return user


api = NinjaAPI(
    title="臺北市政府秘書處 API",
    version="1",
    description="秘書處業務作業平台 REST API。日期一律為 ISO 8601（西元）；錯誤格式見各端點說明。",
    urls_namespace="api-v1",
    auth=[BearerToken(), django_auth],
    docs_url=None,
)


def _error(request, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        name = ".".join(str(part) for part in item.get("loc", [])[1:]) or "__all__"
        fields.setdefault(name, []).append(_zh_validation_message(item))
    return _error(request, 422, "invalid", "資料格式有誤，請檢查欄位。", fields)


def _zh_validation_message(item: dict) -> str:
    kind, ctx = item.get("type", ""), item.get("ctx") or {}
    # core.text.api_text and core.api.IsoDate (a day that does not exist): already zh-Hant.
    if kind in {"text_invalid", "date_nonexistent"}:
        return item["msg"]
    if kind == "missing":
        return "此欄位為必填。"
    if kind.startswith(("date", "datetime")):
        return "日期格式不正確（請用 ISO 8601，例如 2026-08-16）。"
    if kind.startswith("int"):
        return "必須是整數。"
    bounds = {
        "greater_than_equal": ("不可小於 {ge}。", "ge"),
        "greater_than": ("必須大於 {gt}。", "gt"),
        "less_than_equal": ("不可大於 {le}。", "le"),
        "less_than": ("必須小於 {lt}。", "lt"),
        "string_too_long": ("最多 {max_length} 字。", "max_length"),
        "string_too_short": ("至少 {min_length} 字。", "min_length"),
        "too_long": ("最多 {max_length} 項。", "max_length"),
    }
    if kind in bounds and bounds[kind][1] in ctx:
        template, key = bounds[kind]
        return template.format(**{key: ctx[key]})
    if kind in {"enum", "literal_error"} and "expected" in ctx:
        return f"必須是下列之一：{ctx['expected']}。"
    return f"格式不正確（{item.get('msg', kind)}）。"


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return _error(request, 401, "unauthenticated", "請先登入或提供有效的 API 權杖。")


@api.exception_handler(DjangoPermissionDenied)
def permission_denied(request, exc):
    return domain_error(request, PermissionDenied())


@api.exception_handler(Http404)
def not_found(request, exc):
    return domain_error(request, NotFound())


@api.exception_handler(SuspiciousOperation)
def suspicious_operation(request, exc: SuspiciousOperation):
    """Django's refusals of a request (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a file name
    with a folder in it …) in the one error format rather than Django's HTML page."""
    if isinstance(exc, RequestDataTooBig):
        return _error(request, 400, "too_large", "請求內容過大，請縮小附件或分次送出。")
    return domain_error(request, BadRequest())


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "http_error", str(exc))


api.add_router("/", core_router)
api.add_router("/cases", "secretariat.cases.api.router")
api.add_router("/documents", "secretariat.documents.api.router")
api.add_router("/exchange", "secretariat.exchange.api.router")
api.add_router("/petitions", "secretariat.petitions.api.router")
api.add_router("/search", "secretariat.search.api.router")
api.add_router("/meetings", "secretariat.meetings.api.router")
api.add_router("/media", "secretariat.media.api.router")
api.add_router("/lockers", "secretariat.lockers.api.router")
api.add_router("/service", "secretariat.service.api.router")
api.add_router("/archives", "secretariat.archives.api.router")
api.add_router("/archives/use", "secretariat.archives.use_api.router")


@login_required
def api_docs(request: HttpRequest):
    """Human-readable API reference rendered from the OpenAPI schema, inside the app's shell."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = [
        {"path": path, "method": method.upper(), **operation}
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    return render(request, "core/api_docs.html", {"schema": schema, "operations": operations})
