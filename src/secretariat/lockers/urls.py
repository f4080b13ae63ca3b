from django.urls import path

from secretariat.lockers import views

app_name = "lockers"

urlpatterns = [
    path("", views.home, name="home"),
    path("packages/<int:pk>/", views.package_detail, name="package"),
    path("packages/<int:pk>/cover.pdf", views.cover_pdf, name="cover"),
    path("pickups/", views.pickups, name="pickups"),
    path("overdue/", views.overdue, name="overdue"),
    path("kiosk/<slug:bank>/", views.kiosk, name="kiosk"),
    path("administration/", views.administration, name="administration"),
    path("administration/banks/<int:pk>/", views.bank_detail, name="bank"),
]
