from django.urls import path

from secretariat.council import views

app_name = "council"

urlpatterns = [
    path("", views.home, name="home"),
]
