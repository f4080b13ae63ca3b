from django.urls import path

from secretariat.council import views

app_name = "council"

urlpatterns = [
    path("", views.home, name="home"),
    path("events/", views.event_list, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<str:number>/", views.request_detail, name="request"),
    path("service/", views.service_list, name="service"),
    path("service/<str:number>/grade/", views.service_grade, name="service_grade"),
    path("councillors/", views.councillor_list, name="councillors"),
    path("events/<int:pk>/compilation.odt", views.compilation_odt, name="compilation_odt"),
    path("events/<int:pk>/compilation.pdf", views.compilation_pdf, name="compilation_pdf"),
    path("liaisons/", views.liaisons, name="liaisons"),
    path("liaisons/agencies/<slug:code>/", views.liaison_history, name="liaison_history"),
    path("liaisons/meetings/", views.liaison_meetings, name="liaison_meetings"),
    path("liaisons/meetings/<int:pk>/", views.liaison_meeting, name="liaison_meeting"),
    path("engagements/", views.engagements, name="engagements"),
    path("engagements/<int:pk>/", views.engagement, name="engagement"),
]
