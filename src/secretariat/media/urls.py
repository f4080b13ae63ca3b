from django.urls import path

from secretariat.media.views import directory, opinion, releases, staff

app_name = "media"

urlpatterns = [
    path("", staff.home, name="home"),
    path("schedule/", staff.schedule, name="schedule"),
    path("schedule/items/<int:pk>/remove/", staff.schedule_remove, name="schedule_remove"),
    path("releases/", releases.release_list, name="releases"),
    path("releases/<int:pk>/", releases.release_detail, name="release"),
    path("releases/<int:pk>/steps/<slug:step>/", releases.release_step, name="release_step"),
    path("releases/<int:pk>/files/", releases.release_file_add, name="release_file_add"),
    path("releases/<int:pk>/files/<int:file_pk>/", releases.release_file, name="release_file"),
    path(
        "releases/<int:pk>/files/<int:file_pk>/remove/",
        releases.release_file_remove,
        name="release_file_remove",
    ),
    path("events/", releases.event_list, name="events"),
    path("events/<int:pk>/remove/", releases.event_remove, name="event_remove"),
    path("posts/", releases.post_list, name="posts"),
    path("posts/<int:pk>/remove/", releases.post_remove, name="post_remove"),
    path("opinion/", opinion.opinion_list, name="opinion"),
    path("opinion/feeds/", opinion.feed_capture, name="feed_capture"),
    path("opinion/feeds/<int:pk>/", opinion.feed_capture_detail, name="feed_capture_detail"),
    path("opinion/monitoring/", opinion.monitoring_import, name="monitoring_import"),
    path("opinion/digest/", opinion.digest, name="digest"),
    path("opinion/weekly/", opinion.weekly_page, name="weekly"),
    path("opinion/weekly.odt", opinion.weekly_odt, name="weekly_odt"),
    path("opinion/<str:number>/", opinion.opinion_item, name="opinion_item"),
    path("opinion/<str:number>/classify/", opinion.opinion_classify, name="opinion_classify"),
    path(
        "opinion/<str:number>/clarification/<int:pk>/",
        opinion.opinion_clarification,
        name="opinion_clarification",
    ),
    path("contacts/", directory.contact_list, name="contacts"),
    path("contacts/<int:pk>/", directory.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/remove/", directory.contact_remove, name="contact_remove"),
    path("journalists/", directory.journalist_list, name="journalists"),
    path(
        "journalists/<int:pk>/<slug:decision>/",
        directory.journalist_decide,
        name="journalist_decide",
    ),
]
