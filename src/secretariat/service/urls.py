from django.urls import include, path

from secretariat.service.views import desk

app_name = "service"

urlpatterns = [
    path("", desk.desk, name="desk"),
    path("call/", desk.call, name="call"),
    path("board/", desk.board, name="board"),
    path("calls/", desk.calls, name="calls"),
    path("calls/<int:pk>/arrived/", desk.arrived, name="arrived"),
    path("visits/<int:pk>/remove/", desk.remove_visit, name="remove_visit"),
    path("rooms/<int:pk>/use/", desk.room_use, name="room_use"),
    path("manage/", desk.manage, name="manage"),
    path("arrive/<str:token>/", desk.arrival, name="arrival"),
    path("", include("secretariat.service.consult_urls")),
]
