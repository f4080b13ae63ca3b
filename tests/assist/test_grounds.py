"""What the routing page says beside a suggestion: grounds that are whole terms (the keyword
table's, or words of the text — never fragments like 「路五、五段」), and pre-selection only at
or above the suggester's threshold (the learned model's calibrated one; the keyword table's
documented one)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secretariat.assist import keywords
from secretariat.assist import services as assist_services
from secretariat.assist.suggester import LearnedSuggester
from secretariat.cases import suggest
from secretariat.cases.models import RoutingKeyword

pytestmark = pytest.mark.django_db

STREET = "信義路五段的路燈整排不亮，晚上行人看不到路，號誌故障也很常見。"


def test_words_are_whole_and_leave_out_address_pieces(registry):
    found = keywords.words(STREET)
    assert "路燈" in found and "信義路" in found
    assert not {"五段", "路五", "段的"} & set(found)
    assert all(len(word) >= 2 for word in found)


def test_the_learned_suggesters_grounds_are_whole_terms(history, agency):
    RoutingKeyword.objects.create(keyword="號誌故障", agency=agency("交通局"), weight=1)
    assist_services.train_model()
    ranking = LearnedSuggester().ranking(STREET)
    assert ranking.suggestions
    allowed = set(keywords.words(STREET)) | {"號誌故障"}
    for suggestion in ranking.suggestions:
        grounds = suggestion.reason.partition("依據：")[2]
        for ground in filter(None, grounds.split("、")):
            assert ground in allowed, (ground, suggestion.reason)
    top = ranking.suggestions[0]
    assert top.agency == agency("交通局") and "號誌故障" in top.reason


def test_the_keyword_table_is_shown_beside_the_model(history, agency):
    RoutingKeyword.objects.create(keyword="路燈", agency=agency("工務局"), weight=1)
    assist_services.train_model()
    ranking = LearnedSuggester().ranking(STREET)
    assert [s.agency for s in ranking.keyword_matches] == [agency("工務局")]
    assert ranking.keyword_matches[0].reason == "關鍵字：路燈"


def test_the_learned_threshold_decides_preselection(history, settings):
    settings.ASSIST_EMBEDDINGS = False  # the text model's threshold (test_embeddings: both)
    record = assist_services.train_model()
    suggester = LearnedSuggester()
    confident = suggester.ranking("南京東路口號誌故障，綠燈秒數太短，行人很危險。")
    assert confident.threshold == pytest.approx(record.threshold)
    assert confident.preselected is confident.suggestions[0]
    unsure = suggester.ranking("ＸＹＺ\nＸＹＺ ＱＱＱ")
    assert unsure.suggestions and unsure.preselected is None
    assert suggester.suggest("ＸＹＺ\nＸＹＺ ＱＱＱ") == []  # what it stands behind: nothing


def test_the_keyword_table_preselects_only_one_agency_alone(registry, agency):
    RoutingKeyword.objects.create(keyword="路燈", agency=agency("工務局"), weight=1)
    RoutingKeyword.objects.create(keyword="號誌", agency=agency("交通局"), weight=1)
    keyword = suggest.KeywordSuggester()
    alone = keyword.ranking("路燈不亮")
    assert alone.threshold == suggest.KEYWORD_THRESHOLD == 1.0
    assert alone.preselected.agency == agency("工務局")
    both = keyword.ranking(STREET)  # 路燈 and 號誌: two agencies, half each
    assert [s.confidence for s in both.suggestions] == [0.5, 0.5]
    assert both.preselected is None


def test_the_page_preselects_only_above_the_threshold(client, petition, people, agency):
    RoutingKeyword.objects.create(keyword="路燈", agency=agency("工務局"), weight=1)
    RoutingKeyword.objects.create(keyword="號誌", agency=agency("交通局"), weight=1)
    client.force_login(people["router"])
    unsure = petition("路燈與號誌", body=STREET)
    html = client.get(reverse("cases:detail", args=[unsure.number])).content.decode()
    assert "未預選主辦機關（所有符合的關鍵字都屬同一機關時才預選）" in html
    assert '<input type="hidden" name="lead" value=""' in html
    sure = petition("路燈不亮", body="巷口路燈不亮。")
    html = client.get(reverse("cases:detail", args=[sure.number])).content.decode()
    assert f'<input type="hidden" name="lead" value="{agency("工務局").pk}"' in html
    assert "已預選工務局為主辦機關" in html and "100%（已預選）" in html
