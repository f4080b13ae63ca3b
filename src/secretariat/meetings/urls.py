from django.urls import path

from secretariat.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.home, name="home"),
    path("series/<int:pk>/", views.series_detail, name="series"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/present/", views.presentation, name="present"),
    path("<int:pk>/present/count/", views.presentation_count, name="present_count"),
    path("<int:pk>/notice.odt", views.notice_odt, name="notice_odt"),
    path("<int:pk>/invite.ics", views.invite_ics, name="invite_ics"),
    path("<int:pk>/minutes/", views.minutes_page, name="minutes"),
    path("<int:pk>/minutes.odt", views.minutes_odt, name="minutes_odt"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("directives/", views.directive_list, name="directives"),
    path("directives/<str:number>/", views.directive_detail, name="directive"),
    path("public/", views.public_list, name="public"),
    path("public/<int:pk>/", views.public_detail, name="public_meeting"),
    path("public/attachments/<int:pk>/", views.public_attachment, name="public_attachment"),
]
