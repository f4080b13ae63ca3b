from django.urls import path

from secretariat.service.views import desk

app_name = "service"

urlpatterns = [
    path("", desk.desk, name="desk"),
]
