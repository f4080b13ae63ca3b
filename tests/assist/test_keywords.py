"""Subject keywords: jieba over the projection, cut back out of the Traditional text, with the
registry's agency names and Taipei's districts as words and stop words left out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secretariat.assist.keywords import keywords

pytestmark = pytest.mark.django_db

TEXT = "臺北市北投區石牌路的人行道破損嚴重，請都發局儘速修繕人行道。"


def test_keywords_of_a_traditional_sentence(registry):
    words = keywords(TEXT, 5)
    # The place, the subject (twice in the text) and the agency named come first.
    assert set(words[:3]) == {"北投區", "人行道", "都發局"}
    assert all(word in TEXT for word in words)  # as written: Traditional, not the projection
    assert not {"請", "儘速", "臺北市"} & set(words)


def test_a_former_agency_name_stays_one_word(registry):
    assert "勞工局" in keywords("陳情勞工局的就業服務中心態度不佳", 5)


def test_the_case_page_shows_the_keywords(client, people, petition):
    case = petition("石牌路人行道破損", body=TEXT)
    client.force_login(people["router"])
    html = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "<dt>主題關鍵詞</dt>" in html and "人行道" in html
