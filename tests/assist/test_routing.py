"""The routing page with the learned suggester: its suggestion on a new petition, abstention,
the keyword table before any model exists, and the router's choice recorded as feedback and
weighed in the next training."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from secretariat.assist import learning, selectors
from secretariat.assist import services as assist_services
from secretariat.assist.models import RoutingFeedback
from secretariat.cases.models import RoutingKeyword
from secretariat.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SIGNAL = ("南京東路口號誌故障", "南京東路與建國北路口的號誌故障，綠燈秒數太短，行人很危險。")


def page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.number]))
    assert response.status_code == 200
    return response.content.decode()


def route(client, user, case, lead):
    client.force_login(user)
    url = reverse("cases:step", args=[case.number, "route"])
    response = client.post(url, {"lead": lead.pk})
    assert response.status_code == 302
    return RoutingFeedback.objects.get(case=case)


def rows(html: str) -> list[str]:
    return re.findall(r'<tr><th scope="row">([^<]+)</th>', html)


def test_a_new_petition_gets_the_models_suggestion_on_its_routing_page(
    client, history, petition, people, agency
):
    assist_services.train_model()
    case = petition(*SIGNAL)
    html = page(client, people["router"], case)
    assert "依歷史分辦紀錄學習的建議模型（第 1 版）" in html
    assert rows(html)[0] == "交通局"
    assert "學習模型第 1 版；依據：" in html
    # The top suggestion, above the threshold, is the routing form's preselected lead.
    assert f'<input type="hidden" name="lead" value="{agency("交通局").pk}"' in html
    assert "已預選交通局為主辦機關" in html


def test_below_the_threshold_the_ranking_is_shown_but_not_preselected(
    client, history, petition, people, settings
):
    settings.ASSIST_EMBEDDINGS = False  # the text model's threshold, on text it cannot read
    record = assist_services.train_model()
    case = petition("ＸＹＺ", body="ＸＹＺ ＱＱＱ")
    model = learning.Model.from_bytes(selectors.model_weights(record.pk))
    assert model.rank("ＸＹＺ\nＸＹＺ ＱＱＱ")[0].confidence < model.threshold
    html = page(client, people["router"], case)
    assert "信心不足：最高的信心程度未達預選門檻" in html
    assert len(rows(html)) == 3  # shown with their confidence, for the router to judge
    assert '<input type="hidden" name="lead" value=""' in html


def test_without_a_model_the_keyword_table_suggests(client, petition, people, agency):
    RoutingKeyword.objects.create(keyword="號誌", agency=agency("交通局"), weight=1)
    case = petition(*SIGNAL)
    html = page(client, people["router"], case)
    assert "依分辦關鍵字排序的建議主辦機關" in html and "關鍵字：號誌" in html
    feedback = route(client, people["router"], case, agency("交通局"))
    assert feedback.trained_model is None and feedback.accepted
    assert feedback.suggested == [{"agency": agency("交通局").code, "confidence": 1.0}]


def test_the_routers_choice_is_recorded_and_weighs_in_the_next_training(
    client, history, petition, people, agency
):
    first = assist_services.train_model()
    case = petition(*SIGNAL)
    feedback = route(client, people["router"], case, agency("環保局"))
    assert feedback.trained_model == first and feedback.routed_by == people["router"]
    assert feedback.suggested[0]["agency"] == agency("交通局").code
    assert feedback.lead == agency("環保局") and not feedback.accepted and not feedback.abstained
    assert AuditEntry.objects.filter(
        action="assist:routing_feedback",
        object_type="assist.routingfeedback",
        object_id=str(feedback.pk),
        actor=people["router"],
    ).exists()

    example = next(e for e in selectors.training_examples() if e.case_id == case.pk)
    assert (example.agency, example.weight, example.overruled) == (
        agency("環保局").code,
        selectors.OVERRULED_WEIGHT,
        True,
    )
    second = assist_services.train_model()
    assert (second.overruled_cases, second.feedback_cases) == (1, len(history) + 1)
    assert second.evaluation["previous_model"] == {
        "version": 1,
        "routed": 1,
        "accepted": 0,
        "abstained": 0,
        "overruled": 1,
    }


def test_an_accepted_suggestion_counts_once(client, history, petition, people, agency):
    assist_services.train_model()
    case = petition(*SIGNAL)
    feedback = route(client, people["router"], case, agency("交通局"))
    assert feedback.accepted
    example = next(e for e in selectors.training_examples() if e.case_id == case.pk)
    assert (example.weight, example.overruled) == (1.0, False)
