"""The project's error pages with DEBUG off (as the suite runs, and as `secretariat serve` and
production serve): zh-Hant 400, 403, 404 and 500 pages — never Django's debug page listing the
URL patterns — and the API's JSON error shape for every path under /api/."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import path

from secretariat import urls as project_urls


def _boom(request):
    raise RuntimeError("a bug")


# The project's URLs (and error handlers) with one page and one API path that fail.
urlpatterns = [
    path("boom/", _boom),
    path("api/v1/boom", _boom),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


def _page(response) -> str:
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'lang="zh-Hant-TW"' in page and 'class="site-header"' in page
    assert "URLconf" not in page and "Traceback" not in page
    return page


@pytest.mark.django_db
def test_a_missing_page_is_the_projects_404(client, settings):
    assert settings.DEBUG is False
    page = _page(client.get("/no-such-page/"))
    assert "<h1>查無此頁</h1>" in page and 'href="/"' in page


def test_a_missing_record_is_a_404_in_the_shell_for_staff(client, make_person):
    client.force_login(make_person("sec-clerk", "秘書處", "registry_clerk"))
    response = client.get("/cases/999999999/")
    assert response.status_code == 404
    page = _page(response)
    assert "<h1>查無此頁</h1>" in page and 'aria-label="功能模組"' in page  # the navigation


def test_a_forbidden_page_is_the_projects_403(client, make_person):
    client.force_login(make_person("udd-officer", "都發局", "case_officer"))
    response = client.get("/system/status/")
    assert response.status_code == 403
    assert "<h1>沒有權限</h1>" in _page(response)


def test_a_request_for_an_unknown_host_is_the_projects_400():
    response = Client().get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "<h1>無法處理此請求</h1>" in _page(response)


def test_a_form_without_its_csrf_token_is_the_projects_403():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})
    assert response.status_code == 403
    assert "<h1>表單已失效</h1>" in _page(response)


@pytest.mark.urls(__name__)
def test_a_failing_page_is_the_projects_500_without_the_database():
    # No database fixture: a query while rendering the 500 page would fail this test.
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "<h1>系統發生錯誤</h1>" in _page(response)


@pytest.mark.urls(__name__)
def test_the_api_answers_its_json_errors_for_every_path():
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"
    response = client.get("/api/v1/no-such-route")
    assert response.status_code == 404
    body = json.loads(response.content)
    assert body == {"code": "not_found", "message": "查無此資料，或您沒有檢視權限。", "fields": {}}
    response = client.get("/api/v1/no-such-route", HTTP_HOST="attacker.example")
    assert response.status_code == 400 and json.loads(response.content)["code"] == "bad_request"
