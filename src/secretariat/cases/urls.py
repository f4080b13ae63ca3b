from django.urls import path

from secretariat.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("export.<slug:fmt>", views.case_export, name="export"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/requester/", views.reveal_requester, name="reveal_requester"),
    path("<str:number>/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<str:number>/steps/<slug:step>/", views.case_step, name="step"),
    path("<str:number>/steps/<slug:step>/<int:pk>/", views.case_step, name="step"),
]
