"""公文分辦 and 檔案編目 proposals learned from an agency's past documents (assist.paperwork
through assist.services — the functions documents and archives call)."""

from __future__ import annotations

import pytest

from secretariat.assist import paperwork, services
from secretariat.documents.assistance import PastDocument

# keywords and grounds read the registry's agency names
pytestmark = pytest.mark.django_db

# Our own subjects: three units of an agency and the 分類號 / 保存年限 they file under.
UNITS = {
    "總務組": (
        "0301",
        "10年",
        (
            "市政大樓空調設備維護保養",
            "辦公廳舍電梯汰換採購",
            "市政大樓節能改善工程",
            "公務車輛油料採購",
            "辦公室照明設備更新",
            "市政大樓消防設備檢修",
        ),
    ),
    "文書組": (
        "0101",
        "5年",
        (
            "公文線上簽核系統教育訓練",
            "檔案清查及銷毀作業",
            "公文時效統計報告",
            "機關印信啟用及繳銷",
            "文書處理手冊修正",
            "公文用印作業規定",
        ),
    ),
    "人事室": (
        "0201",
        "永久",
        (
            "職員年終考績評定",
            "公務人員陞遷作業",
            "員工差勤管理規定",
            "新進人員職前訓練",
            "退休人員撫卹申請",
            "職務代理人名冊",
        ),
    ),
}


def history() -> list[PastDocument]:
    rows = []
    for unit, (code, retention, subjects) in UNITS.items():
        for n, subject in enumerate(subjects):
            rows.append(
                PastDocument(
                    text=f"有關{subject}一案",
                    unit=unit,
                    file_code=f"115/{code}/{n + 1}",
                    retention=retention,
                )
            )
    return rows


def test_the_unit_of_a_document_like_past_ones_ranks_first_with_its_grounds():
    learned = services.suggest_unit(history(), "有關市政大樓空調設備汰換採購一案")
    assert learned is not None
    assert learned.ranked[0].label == "總務組"
    assert learned.ranked[0].confidence > learned.ranked[1].confidence
    assert learned.trained_on == 18
    assert learned.ranked[0].grounds


def test_no_unit_suggestion_while_the_history_is_too_small_or_has_one_unit():
    few = history()[: paperwork.MIN_HISTORY - 1]
    assert services.suggest_unit(few, "有關市政大樓空調一案") is None
    one_unit = [p for p in history() if p.unit == "總務組"] * 3
    assert services.suggest_unit(one_unit, "有關市政大樓空調一案") is None


def test_filing_proposes_the_classification_and_the_retention_used_with_it():
    proposal = services.propose_filing(
        history(),
        {
            "主旨": "有關職員年終考績評定結果一案",
            "簽說明": "一、本處職員115年年終考績業經考績委員會評定。\n二、擬依規定函送銓敘部。",
        },
    )
    assert proposal.classification.value == "0201"
    assert "已歸檔公文 18 件" in proposal.classification.derived_from
    assert proposal.retention.value == "永久"
    assert proposal.retention.derived_from == "分類號 0201 已歸檔 6 件中 6 件為永久"
    assert proposal.subjects.value
    assert "考績" in proposal.summary.value
    assert proposal.summary.derived_from.startswith("摘錄自")


def test_filing_without_a_history_still_proposes_subjects_and_a_summary():
    proposal = services.propose_filing([], {"主旨": "有關防汛演練一案，請查照。"})
    assert proposal.classification is None and proposal.retention is None
    assert proposal.notes == ("已歸檔且有檔號的公文僅 0 件，不足以學習分類號。",)
    assert proposal.summary.value == "有關防汛演練一案，請查照。"


def test_the_classification_is_the_second_part_of_a_file_code():
    assert paperwork.classification_of("115/010102/1") == "010102"
    assert paperwork.classification_of("115-0301-2-1-001") == "0301"
    assert paperwork.classification_of("115") == ""


def test_the_summary_keeps_the_sentences_with_the_most_terms_in_their_order_within_its_limit():
    parts = {"說明": "天氣很好。本案市政大樓節能改善。其他事項另案辦理。節能工程預計明年完工。"}
    found = paperwork.summary(parts, {"節能": 1.0, "市政大樓": 0.5})
    assert found.value.startswith("本案市政大樓節能改善。")
    assert "節能工程預計明年完工。" in found.value
    long = {"說明": "節能" * 200 + "。"}
    assert len(paperwork.summary(long, {"節能": 1.0}).value) <= paperwork.SUMMARY_MAX
