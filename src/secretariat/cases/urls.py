from django.urls import path

from secretariat.cases import views, views_workspace

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("export.<slug:fmt>", views.case_export, name="export"),
    path("overdue/", views.overdue_list, name="overdue"),
    # Before <number>/: no case number is one of these words.
    path("assignees/", views_workspace.assignee_search, name="assignees"),
    path("route/", views_workspace.bulk_route, name="bulk_route"),
    path("filters/", views_workspace.save_filter, name="save_filter"),
    path("filters/<int:pk>/delete/", views_workspace.delete_filter, name="delete_filter"),
    path("requesters/", views.requester_search, name="requester_search"),
    path("reply-templates/", views.reply_templates, name="reply_templates"),
    path("reply-templates/text/", views.reply_template_text, name="reply_template_text"),
    path("reply-templates/<int:pk>/", views.reply_template, name="reply_template"),
    path(
        "reply-templates/<int:pk>/delete/",
        views.reply_template_delete,
        name="reply_template_delete",
    ),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/requester/", views.reveal_requester, name="reveal_requester"),
    path("<str:number>/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<str:number>/steps/<slug:step>/", views.case_step, name="step"),
    path("<str:number>/steps/<slug:step>/<int:pk>/", views.case_step, name="step"),
]
