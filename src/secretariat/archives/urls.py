from django.urls import include, path

from secretariat.archives import views

app_name = "archives"

urlpatterns = [
    path("", views.home, name="home"),
    path("folders/<int:pk>/", views.folder_detail, name="folder"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("scheme/", views.scheme, name="scheme"),
    path("filing/", views.filing, name="filing"),
    path("filing/<int:pk>/", views.filing_item, name="filing_item"),
    path("expiring/", views.expiring, name="expiring"),
    path("destruction/", views.destruction_lists, name="destruction_lists"),
    path("destruction/<int:pk>/", views.destruction_list, name="destruction_list"),
    path("reviews/", views.reviews, name="reviews"),
    path("transfers/", views.transfers, name="transfers"),
    path("export/", views.export_page, name="export"),
    path("", include("secretariat.archives.use_urls")),
]
