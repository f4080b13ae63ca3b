"""The learning module on its own: ranking with calibrated confidences, the stored form, the
abstain threshold, case weights and the cross-validated evaluation."""

from __future__ import annotations

import numpy as np
import pytest

from secretariat.assist import learning

from .conftest import HISTORY

TEXTS = [text for texts in HISTORY.values() for text in texts]
LABELS = [label for label, texts in HISTORY.items() for _ in texts]


@pytest.fixture(scope="module")
def model():
    return learning.fit(TEXTS, LABELS)


def test_a_traditional_and_a_simplified_spelling_have_the_same_features():
    assert learning.grams("臺北市交通號誌") == learning.grams("台北市交通号志")
    assert learning.grams("ＡＢ  c") == learning.grams("ab c")


def test_the_model_ranks_labels_with_probabilities(model):
    ranked = model.rank("南京東路口的號誌故障，綠燈秒數太短", 3)
    assert [r.label for r in ranked][0] == "交通局"
    confidences = [r.confidence for r in ranked]
    assert confidences == sorted(confidences, reverse=True)
    assert 0 < sum(confidences) <= 1 + 1e-9
    p = model.probabilities(["垃圾車收運時間太晚", "詐騙電話很多"])
    assert np.allclose(p.sum(axis=1), 1)
    assert [model.labels[i] for i in p.argmax(axis=1)] == ["環保局", "警察局"]


def test_the_model_names_its_grounds_among_whole_words(model):
    text = "南京東路口的號誌故障"
    grounds = model.explain(text, "交通局", ["南京東路", "號誌", "故障", "天氣"])
    assert grounds and set(grounds) <= {"南京東路", "號誌", "故障"}
    # A word the text's grams do not support for the label is never a ground.
    assert "天氣" not in model.explain(text, "交通局", ["天氣"], limit=5)


def test_the_stored_model_ranks_the_same(model):
    stored = learning.Model.from_bytes(model.to_bytes())
    text = "公車站牌的位置不好"
    assert stored.labels == model.labels and stored.threshold == model.threshold
    ours, theirs = model.rank(text), stored.rank(text)
    assert [r.label for r in ours] == [r.label for r in theirs]
    assert [r.confidence for r in theirs] == pytest.approx([r.confidence for r in ours], abs=1e-3)


def test_the_threshold_is_the_lowest_confidence_keeping_the_target_precision():
    confidence = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5])
    correct = np.array([1, 1, 1, 0, 1, 0], dtype=bool)
    assert learning.choose_threshold(confidence, correct, 0.75) == 0.6
    assert learning.choose_threshold(confidence, correct, 0.9) == 0.8
    assert learning.choose_threshold(confidence, ~correct, 0.9) == learning.NEVER
    # A cut cannot separate equal confidences.
    ties = np.array([0.9, 0.9, 0.5])
    assert learning.choose_threshold(ties, np.array([1, 0, 1], dtype=bool), 0.6) == 0.5


def test_below_its_threshold_the_model_abstains(model):
    text = "路邊停車收費的時段"
    assert model.rank(text)
    cautious = learning.Model.from_bytes(model.to_bytes())
    cautious.threshold = learning.NEVER
    assert cautious.suggest(text) == []
    cautious.threshold = 0.0
    assert cautious.suggest(text) == cautious.rank(text)


def test_weights_decide_between_conflicting_cases():
    """How feedback enters training: the heavier of two contradicting cases wins."""
    texts = [*TEXTS, "巷口的路燈整晚不亮", "巷口的路燈整晚不亮"]
    labels = [*LABELS, "交通局", "環保局"]
    for heavier, weights in (("交通局", (2.0, 1.0)), ("環保局", (1.0, 2.0))):
        model = learning.fit(texts, labels, [1.0] * len(TEXTS) + list(weights))
        assert model.rank("巷口的路燈整晚不亮")[0].label == heavier


def test_evaluation_cross_validates_the_whole_procedure():
    result = learning.evaluate(TEXTS, LABELS, folds=3)
    assert {"n", "labels", "top1", "top3", "coverage", "precision_at_threshold"} <= set(result)
    assert (result["n"], result["labels"], result["folds"]) == (18, 3, 3)
    assert 0 <= result["top1"] <= result["top3"] == 1.0  # three labels: the top three hold all
    assert set(result["per_label"]) == set(HISTORY)
    assert all(figures["n"] == 6 for figures in result["per_label"].values())
    assert len(result["thresholds"]) == 3


def test_evaluation_needs_enough_cases_per_label_for_the_folds():
    with pytest.raises(ValueError, match="at least 7"):
        learning.evaluate(TEXTS, LABELS, folds=7)
    with pytest.raises(ValueError, match="two labels"):
        learning.fit(TEXTS[:6], LABELS[:6])


def test_priors_teach_a_duty_the_history_has_not_shown():
    """A keyword-table term is a training case of its label: a duty nobody has routed yet is
    ranked to its agency — without the term it is not. A prior of a label the history lacks
    is left out: it does not make a new label."""
    plain = learning.fit(TEXTS, LABELS)
    priors = [
        learning.Prior("槍械", "警察局"),
        learning.Prior("流浪狗", "環保局"),
        learning.Prior("消防栓", "消防局"),
    ]
    model = learning.fit(TEXTS, LABELS, priors=priors)
    for text, label in (("有人在網路上販賣槍械", "警察局"), ("社區有流浪狗咬人", "環保局")):
        assert plain.rank(text)[0].label != label
        assert model.rank(text)[0].label == label
    assert sorted(model.labels) == sorted(HISTORY)
    assert [p.label for p in learning.usable_priors(priors, model.labels)] == ["警察局", "環保局"]
    # Held-out figures are of the history only: the priors are never tested.
    assert model.heldout["n"] == len(TEXTS)


def test_a_prior_weighs_as_much_as_its_weight():
    texts = [*TEXTS, "巷口的路燈整晚不亮"]
    labels = [*LABELS, "交通局"]
    for weight, first in ((0.5, "交通局"), (2.0, "環保局")):
        prior = learning.Prior("巷口的路燈整晚不亮", "環保局", weight)
        model = learning.fit(texts, labels, priors=[prior])
        assert model.rank("巷口的路燈整晚不亮")[0].label == first


def test_evaluation_trains_on_the_priors_in_every_fold_and_tests_only_the_data():
    priors = [learning.Prior("消防栓", "消防局"), learning.Prior("公車站牌", "交通局")]
    result = learning.evaluate(TEXTS, LABELS, folds=3, priors=priors)
    assert (result["n"], result["labels"], result["priors"]) == (18, 3, 1)
    assert set(result["per_label"]) == set(HISTORY)
    assert 0 <= result["top1"] <= result["top3"] <= 1.0
