from django.urls import path

from secretariat.archives import views

app_name = "archives"

urlpatterns = [
    path("", views.home, name="home"),
]
