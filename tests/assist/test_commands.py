"""`secretariat assist evaluate` on a labelled file of any kind, and `secretariat assist train`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from secretariat.assist.models import TrainedModel

# Not agencies: any labelled set can be evaluated.
EXAMPLES = {
    "水果": ("香蕉很甜", "蘋果脆又甜", "芒果成熟了", "西瓜多汁", "葡萄一串串"),
    "天氣": ("今天下大雨", "颱風要來了", "午後雷陣雨", "寒流來襲很冷", "晴天出大太陽"),
    "交通工具": ("搭公車上班", "騎機車出門", "坐捷運很快", "開汽車回家", "搭火車旅行"),
}


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "examples.jsonl"
    lines = [
        json.dumps({"text": text, "label": label}, ensure_ascii=False)
        for label, texts in EXAMPLES.items()
        for text in texts
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("assist", *args, stdout=out)
    return out.getvalue()


def test_evaluate_prints_the_figures_in_zh_hant(data):
    text = run("evaluate", "--data", str(data), "--folds", "3")
    assert "15筆、3 個標籤；3 折分層交叉驗證" in text
    for label in ("第一名正確率（top1）", "前三名命中率（top3）", "提供建議比例（coverage）"):
        assert label in text
    assert "門檻以上精確率（precision_at_threshold）" in text
    assert "各標籤的精確率與召回率" in text and "最常混淆（實際 → 建議）" in text
    assert all(label in text for label in EXAMPLES)


def test_evaluate_as_json_has_the_keys(data):
    result = json.loads(run("evaluate", "--data", str(data), "--folds", "3", "--format", "json"))
    assert {"n", "labels", "top1", "top3", "coverage", "precision_at_threshold"} <= set(result)
    assert (result["n"], result["labels"]) == (15, 3)
    assert result["top3"] == 1.0 and 0 <= result["coverage"] <= 1


def test_evaluate_lists_every_bad_line_and_evaluates_nothing(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "好", "label": "甲"}\nnot json\n{"text": ""}\n[1]\n', "utf-8")
    with pytest.raises(CommandError) as error:
        run("evaluate", "--data", str(path))
    message = str(error.value)
    assert "第 2 行" in message and "第 3 行：text、label" in message and "第 4 行" in message
    assert "第 1 行" not in message


def test_evaluate_trains_on_priors_without_testing_them(data, tmp_path):
    priors = tmp_path / "priors.jsonl"
    rows = [
        {"text": "鳳梨", "label": "水果"},
        {"text": "飛機", "label": "交通工具", "weight": 2},
        {"text": "恐龍", "label": "古生物"},  # not a label of the data: left out
    ]
    priors.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    args = ("evaluate", "--data", str(data), "--folds", "3", "--priors", str(priors))
    result = json.loads(run(*args, "--format", "json"))
    assert (result["n"], result["labels"], result["priors"]) == (15, 3, 2)
    assert set(result["per_label"]) == set(EXAMPLES)
    assert "另有 2筆先驗案例只用於訓練" in run(*args)


def test_bad_priors_are_listed_by_line(data, tmp_path):
    priors = tmp_path / "priors.jsonl"
    priors.write_text('{"text": "鳳梨", "label": "水果", "weight": 0}\n{"text": "飛機"}\n', "utf-8")
    with pytest.raises(CommandError) as error:
        run("evaluate", "--data", str(data), "--folds", "3", "--priors", str(priors))
    message = str(error.value)
    assert message.startswith("先驗案例有誤，未執行評估")
    assert "第 1 行：weight 必須是大於 0 的數字" in message and "第 2 行：label" in message


def test_evaluate_needs_enough_examples_for_the_folds(data):
    with pytest.raises(CommandError, match="每個標籤至少需要 6 筆資料"):
        run("evaluate", "--data", str(data), "--folds", "6")


@pytest.mark.django_db
def test_train_trains_and_activates(history):
    text = run("train")
    assert "已訓練分辦建議模型第 1 版：18件、3 個機關" in text and "已啟用此版本" in text
    text = run("train", "--no-activate")
    assert "第 2 版" in text and "未啟用" in text
    assert TrainedModel.objects.get(is_active=True).version == 1


@pytest.mark.django_db
def test_train_explains_why_it_cannot(registry):
    with pytest.raises(CommandError, match="訓練資料不足"):
        run("train")
