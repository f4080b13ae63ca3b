from django.urls import path

from secretariat.documents import views

app_name = "documents"

_DOC = "<slug:agency>/<str:number>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("receive/", views.receive, name="receive"),
    path("new/", views.create, name="create"),
    path("card/", views.card, name="card"),
    path("delegation/", views.delegation, name="delegation"),
    path("verification/", views.verification, name="verification"),
    path("registers/<slug:kind>/", views.register, name="register"),
    path("registers/<slug:kind>.<slug:fmt>", views.register_export, name="register_export"),
    path(_DOC, views.detail, name="detail"),
    path(_DOC + "steps/<slug:step>/", views.step, name="step"),
    path(_DOC + "attachments/", views.attach, name="attach"),
    path(_DOC + "attachments/<int:pk>/", views.attachment, name="attachment"),
    path(_DOC + "control/", views.control, name="control"),
    path(_DOC + "drafts/<slug:role>/", views.edit_draft, name="draft"),
    path(_DOC + "drafts/<slug:role>/changes/", views.draft_changes, name="changes"),
    path(_DOC + "drafts/<slug:role>.<slug:fmt>", views.draft_output, name="output"),
    path(_DOC + "sealed/<int:pk>.pdf", views.sealed, name="sealed"),
    path(_DOC + "trail.xml", views.trail_xml, name="trail_xml"),
    path(_DOC + "verify/", views.verify, name="verify"),
]
