"""The public news page's feeds: the latest published releases as RSS 2.0 and Atom 1.0
(Django's syndication framework). A corrected release says so in its title and carries the
correction's time as its update."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from secretariat.core.text import xml_safe
from secretariat.media import selectors
from secretariat.media.models import PressRelease

ITEMS = 50


class ReleasesFeed(Feed):
    feed_type = Rss201rev2Feed
    title = "臺北市政府新聞稿"
    description = "臺北市政府及所屬機關發布之新聞稿。"
    language = "zh-Hant-TW"

    def link(self) -> str:
        return reverse("news:list")

    def items(self):
        return selectors.published_releases(timezone.now())[:ITEMS]

    def item_title(self, item: PressRelease) -> str:
        prefix = "（更正）" if item.corrected_at else ""
        return xml_safe(f"{prefix}{item.agency.short_name}：{item.title}")

    def item_description(self, item: PressRelease) -> str:
        return xml_safe(item.body or item.title)

    def item_link(self, item: PressRelease) -> str:
        return item.public_url()

    def item_guid(self, item: PressRelease) -> str:
        return item.public_url()

    def item_pubdate(self, item: PressRelease):
        return item.publish_at

    def item_updateddate(self, item: PressRelease):
        return item.corrected_at or item.publish_at

    def item_author_name(self, item: PressRelease) -> str:
        return item.agency.name

    def item_categories(self, item: PressRelease):
        return [item.agency.short_name]


class ReleasesAtomFeed(ReleasesFeed):
    feed_type = Atom1Feed
    subtitle = ReleasesFeed.description
