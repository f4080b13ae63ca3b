"""數位化、檔案應用、考評 pages (included from the app's urls)."""

from django.urls import path

from secretariat.archives import use_views

urlpatterns = [
    path("use/apply/", use_views.public_apply, name="use_apply"),
    path("use/", use_views.applications, name="use"),
    path("use/<str:number>/", use_views.application, name="use_application"),
    path("digitization/", use_views.digitization, name="digitization"),
    path("digitization/<int:pk>/", use_views.digitization_project, name="digitization_project"),
    path("inspections/", use_views.inspections, name="inspections"),
    path("inspections/<int:pk>/", use_views.inspection, name="inspection"),
]
