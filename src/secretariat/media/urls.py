from django.urls import path

from secretariat.media import views

app_name = "media"

urlpatterns = [
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/items/<int:pk>/remove/", views.schedule_remove, name="schedule_remove"),
]
