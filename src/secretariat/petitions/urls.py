from django.urls import path, re_path

from secretariat.petitions import open311, views

app_name = "petitions"

FORMAT = r"\.(?P<fmt>[A-Za-z0-9]+)$"

urlpatterns = [
    path("petitions/new/", views.intake, name="intake"),
    path("petitions/submit/", views.submit, name="submit"),
    path("petitions/receipt/", views.receipt, name="receipt"),
    path("petitions/status/", views.status, name="status"),
    path("petitions/status/<str:number>/", views.status_detail, name="status_detail"),
    path("petitions/status/<str:number>/survey/", views.survey, name="survey"),
    # Open311 GeoReport v2
    re_path(r"^open311/v2/services" + FORMAT, open311.services_list, name="open311_services"),
    re_path(
        r"^open311/v2/services/(?P<code>[^/]+?)" + FORMAT,
        open311.service_definition,
        name="open311_service_definition",
    ),
    re_path(r"^open311/v2/requests" + FORMAT, open311.requests, name="open311_requests"),
    re_path(
        r"^open311/v2/requests/(?P<request_id>[^/]+?)" + FORMAT,
        open311.request_detail,
        name="open311_request",
    ),
]
