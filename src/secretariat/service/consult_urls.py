"""The professional consultations' and the volunteers' pages (included by the app's urls, in
its namespace)."""

from django.urls import path

from secretariat.service.views import consult, volunteers

urlpatterns = [
    path("consult/", consult.desk, name="consult"),
    path("consult/book/", consult.book, name="consult_book"),
    path("consult/manage/", consult.manage, name="consult_manage"),
    path("volunteers/", volunteers.roster, name="volunteers"),
    path("volunteers/manage/", volunteers.manage, name="volunteers_manage"),
]
