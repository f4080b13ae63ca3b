"""The project's error responses (``handler400/403/404/500`` in urls.py): the zh-Hant pages
(templates ``400.html`` … ``500.html``; 403 and 404 in the site's shell with the person's
navigation, 400 and 500 in a plain shell that needs neither the request nor the database), and
under ``/api/`` the API's one error shape, ``{"code", "message", "fields"}`` — also for a path no
API route matches, which never reaches django-ninja."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from secretariat.core.errors import BadRequest, DomainError, NotFound, PermissionDenied

API_PREFIX = "/api/"
SERVER_ERROR = DomainError("server_error", "系統發生錯誤，錯誤已記錄；請稍後再試。")


def _for_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(error: DomainError, status: int) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        return _json(BadRequest(), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        return _json(PermissionDenied(), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        return _json(NotFound(), 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _for_api(request):
        return _json(SERVER_ERROR, 500)
    return defaults.server_error(request)
