from django.urls import path

from secretariat.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_page, name="page"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/download/", views.run_download, name="download"),
]
