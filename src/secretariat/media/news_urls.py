"""The public news page (/news/): published releases, their files, the feeds, the agencies'
press contacts (public fields)."""

from django.urls import path

from secretariat.media.views import news

app_name = "news"

urlpatterns = [
    path("", news.release_list, name="list"),
    path("rss.xml", news.rss, name="rss"),
    path("atom.xml", news.atom, name="atom"),
    path("contacts/", news.contacts, name="contacts"),
    path("<int:pk>/", news.release_detail, name="release"),
    path("<int:pk>/files/<int:file_pk>/", news.release_file, name="release_file"),
]
