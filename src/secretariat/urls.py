from django.contrib import admin
from django.urls import include, path

from secretariat.api import api, api_docs

admin.site.site_header = "臺北市政府秘書處 系統管理"
admin.site.site_title = "秘書處系統管理"

# zh-Hant error pages, and the API's JSON errors under /api/ (core/error_views.py).
handler400 = "secretariat.core.error_views.bad_request"
handler403 = "secretariat.core.error_views.permission_denied"
handler404 = "secretariat.core.error_views.page_not_found"
handler500 = "secretariat.core.error_views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/docs", api_docs, name="api_docs"),
    path("api/v1/", api.urls),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("archives/", include("secretariat.archives.urls")),
    path("cases/", include("secretariat.cases.urls")),
    path("council/", include("secretariat.council.urls")),
    path("documents/", include("secretariat.documents.urls")),
    path("exchange/", include("secretariat.exchange.urls")),
    path("media/", include("secretariat.media.urls")),
    path("meetings/", include("secretariat.meetings.urls")),
    path("lockers/", include("secretariat.lockers.urls")),
    path("news/", include("secretariat.media.news_urls")),
    path("press/", include("secretariat.media.press_urls")),
    path("reports/", include("secretariat.reports.urls")),
    path("search/", include("secretariat.search.urls")),
    path("service/", include("secretariat.service.urls")),
    path("", include("secretariat.petitions.urls")),
    path("", include("secretariat.core.urls")),
]
