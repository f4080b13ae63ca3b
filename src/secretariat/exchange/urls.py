from django.urls import path

from secretariat.exchange import views

app_name = "exchange"

_DOC = "documents/<slug:agency>/<str:number>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("import/", views.import_package, name="import"),
    path("<uuid:uid>/", views.detail, name="detail"),
    path("<uuid:uid>/sign/", views.sign, name="sign"),
    path("<uuid:uid>/refuse/", views.refuse, name="refuse"),
    path("<uuid:uid>/package.zip", views.package, name="package"),
    path(_DOC, views.document_log, name="document"),
    path(_DOC + "package.zip", views.document_package, name="document_package"),
]
