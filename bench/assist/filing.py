"""檔案編目 proposals (issue 20): how often the proposed 分類號 and 保存年限 are those the
officer filed, on held-out documents of a generated agency file plan.

The plan: 12 classes of an agency's 分類表 (文書, 檔案, 人事任免, 考績, 採購, 營繕, 預算, 會計,
資訊, 公共關係, 法制, 研考), each with its own topic terms and 保存年限; subjects are made
from frames every class shares (「有關…一案」「檢送…乙份」「函轉…」) around a class's topic and
action, naming one of 8 agencies. Overlap on purpose: one document in ten takes its topic
from another class (an officer's filing that the subject alone does not explain), and one
in ten has a 保存年限 other than its class's usual one. These are generated texts: the
figures say how the method behaves on a plan with that much overlap, not what a real
agency's files will give (no agency's filed catalogue is in ../shared/data).

    .venv/bin/python bench/assist/filing.py [--documents 600] [--folds 5] [--seed 0]

Stratified k-fold: each fold's documents get the proposal of a model fitted on the other
folds only (``paperwork.learn`` with the other folds as the agency's history). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

PLAN = {
    "0101": ("10年", "公文 文書處理 用印 收發 公文時效 線上簽核 電子交換 文書流程"),
    "0102": ("永久", "檔案清查 檔案銷毀 檔案移轉 目錄彙送 檔案應用 檔案庫房 檔案數位化"),
    "0201": ("永久", "職務派免 人員陞遷 職缺甄選 代理人 調任 新進人員 離職"),
    "0202": ("30年", "年終考績 平時考核 獎懲 考績委員會 記功 嘉獎 申誡"),
    "0301": ("10年", "財物採購 勞務採購 招標 決標 契約變更 驗收 廠商 履約"),
    "0302": ("15年", "營繕工程 廳舍修繕 耐震補強 空調設備 電梯 消防設備 節能改善"),
    "0401": ("10年", "年度預算 預算編列 追加預算 預算執行 經費 概算"),
    "0402": ("10年", "會計報告 決算 支出憑證 內部審核 零用金 出納"),
    "0501": ("5年", "資訊系統 資通安全 網路設備 個人電腦 軟體授權 系統維護"),
    "0601": ("5年", "新聞稿 媒體 記者會 宣導活動 市政宣導 輿情"),
    "0701": ("永久", "自治條例 法規修正 訴願 國家賠償 法律諮詢 契約審查"),
    "0801": ("10年", "施政計畫 管制考核 研考 績效評核 列管事項 工作報告"),
}
FRAMES = (
    "有關{topic}{action}一案，請查照。",
    "檢送{topic}{action}資料乙份，請查照。",
    "函轉{agency}有關{topic}{action}一案。",
    "為辦理{topic}{action}，請於期限內回復。",
    "{agency}函詢{topic}{action}疑義一案。",
    "本處{topic}{action}情形，簽請核示。",
)
ACTIONS = ("事宜", "作業", "計畫", "相關規定", "辦理情形", "執行成果", "會議紀錄", "檢討")
AGENCIES = ("工務局", "交通局", "財政局", "人事處", "主計處", "研考會", "法務局", "資訊局")
RETENTIONS = ("1年", "3年", "5年", "10年", "15年", "30年", "永久")


def generate(count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(text, 分類號, 保存年限) rows, classes in equal shares."""
    codes = list(PLAN)
    rows = []
    for n in range(count):
        code = codes[n % len(codes)]
        topic_code = rng.choice(codes) if rng.random() < 0.1 else code
        topic = rng.choice(PLAN[topic_code][1].split())
        text = rng.choice(FRAMES).format(
            topic=topic, action=rng.choice(ACTIONS), agency=rng.choice(AGENCIES)
        )
        retention = PLAN[code][0] if rng.random() >= 0.1 else rng.choice(RETENTIONS)
        rows.append((text, code, retention))
    rng.shuffle(rows)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=600)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    from sklearn.model_selection import StratifiedKFold

    from secretariat.assist import paperwork
    from secretariat.documents.assistance import PastDocument

    rows = generate(arguments.documents, random.Random(arguments.seed))
    history = [PastDocument(text, file_code=f"115/{code}/1", retention=r) for text, code, r in rows]
    codes = [code for _, code, _ in rows]
    splitter = StratifiedKFold(arguments.folds, shuffle=True, random_state=arguments.seed)
    right = top3 = retention_right = preselected = preselected_right = 0
    fit_seconds, usual = [], Counter()
    for train, test in splitter.split(rows, codes):
        known = [history[i] for i in train]
        started = time.perf_counter()
        paperwork.learn([p.text for p in known], [codes[i] for i in train], "暖身", lambda t: [])
        fit_seconds.append(time.perf_counter() - started)
        for i in test:
            learned = paperwork.learn(
                [p.text for p in known], [codes[j] for j in train], rows[i][0], lambda t: [], 3
            )
            labels = [s.label for s in learned.ranked]
            right += labels[0] == codes[i]
            top3 += codes[i] in labels
            if learned.preselected is not None:
                preselected += 1
                preselected_right += labels[0] == codes[i]
            same = Counter(
                p.retention for j, p in zip(train, known, strict=True) if codes[j] == labels[0]
            )
            retention_right += same.most_common(1)[0][0] == rows[i][2]
        usual.update(r for _, _, r in rows)
    n = len(rows)
    print(
        json.dumps(
            {
                "documents": n,
                "classes": len(PLAN),
                "folds": arguments.folds,
                "classification_top1": round(right / n, 3),
                "classification_top3": round(top3 / n, 3),
                "coverage_at_threshold": round(preselected / n, 3),
                "precision_at_threshold": round(preselected_right / max(preselected, 1), 3),
                "retention_right": round(retention_right / n, 3),
                "fit_seconds_per_fold": round(sum(fit_seconds) / len(fit_seconds), 2),
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
