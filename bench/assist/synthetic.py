"""Synthetic petitions for the routing benchmark, made from real public texts.

Each case takes one labelled source text (a Taipei City Council bill abstract with its first
proposing agency, or a councillor's suggestion with the unit that carried it out) as its
subject, and a body that wraps one to three more texts of the same label in what petitions say
around them: a place in one of Taipei's districts (district, road, lane, number), a date, a
phone-call or visit, and an ask. Lengths (about 80–250 characters), vocabulary growth (every
address and date is new) and label ambiguity (the same suggestion carried out by different
units) are those of real petitions; the texts themselves are read from the files given on the
command line and never stored in the repository."""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from pathlib import Path

DISTRICTS = "松山 信義 大安 中山 中正 大同 萬華 文山 南港 內湖 士林 北投".split()
ROADS = (
    "忠孝東路 仁愛路 信義路 和平東路 南京東路 民生東路 民權東路 八德路 基隆路 敦化南路 "
    "復興南路 建國北路 新生南路 羅斯福路 中山北路 承德路 重慶南路 延平北路 環河南路 康定路 "
    "西園路 木柵路 興隆路 辛亥路 昆陽街 南港路 成功路 內湖路 文德路 至善路 中正路 承德路 "
    "石牌路 中央北路 光明路 天母東路 士東路 福林路 松江路 長安東路 市民大道 林森北路"
).split()
OPENINGS = (
    "市長您好，",
    "您好，我是住在附近的居民，",
    "陳情人反映：",
    "本人多次撥打1999反映未果，",
    "里長轉述里民意見：",
    "",
)
CONTEXT = (
    "{month}月{day}日上午經過{place}時發現",
    "{place}附近近來",
    "自{month}月起{place}一帶",
    "日前{month}月{day}日晚間於{place}",
    "住家位於{place}，",
)
ASKS = (
    "請相關單位儘速派員處理。",
    "懇請市府協助改善，以維安全。",
    "希望能於{days}日內回覆處理情形。",
    "請查明後回覆，謝謝。",
    "已影響附近住戶生活，請儘速處理。",
    "盼早日改善。",
)


def _clean(label: str) -> str:
    return re.sub(r"\s+", "", label or "")


def sources(bills: Path, suggestions: Path) -> dict[str, list[str]]:
    """Label → texts: each bill's abstract under its first proposing agency, each suggestion
    under its executing unit."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for bill in json.loads(bills.read_text(encoding="utf-8")):
        if bill.get("proposed_by") and bill.get("abstract"):
            by_label[_clean(bill["proposed_by"][0])].append(bill["abstract"].strip())
    for row in json.loads(suggestions.read_text(encoding="utf-8")):
        label = _clean(row.get("brought_by"))
        if label and row.get("suggestion"):
            by_label[label].append(row["suggestion"].strip())
    distinct = {label: sorted(set(texts)) for label, texts in by_label.items()}
    return {label: texts for label, texts in distinct.items() if len(texts) >= 5}


def _place(rnd: random.Random) -> str:
    where = f"{rnd.choice(DISTRICTS)}區{rnd.choice(ROADS)}"
    if rnd.random() < 0.5:
        where += f"{rnd.randint(1, 5)}段"
    if rnd.random() < 0.6:
        where += f"{rnd.randint(1, 400)}巷"
    return where + f"{rnd.randint(1, 200)}號"


def cases(bills: Path, suggestions: Path, n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """``n`` synthetic petitions (subject and body in one text) and their labels; labels are
    drawn in proportion to the square root of their source counts, so small units appear too."""
    rnd = random.Random(seed)
    by_label = sources(bills, suggestions)
    labels = sorted(by_label)
    weights = [len(by_label[label]) ** 0.5 for label in labels]
    texts, chosen = [], []
    for label in rnd.choices(labels, weights, k=n):
        pool = by_label[label]
        subject, *rest = rnd.sample(pool, min(len(pool), rnd.randint(2, 4)))
        values = {
            "month": rnd.randint(1, 12),
            "day": rnd.randint(1, 28),
            "place": _place(rnd),
            "days": rnd.choice((3, 5, 7, 10)),
        }
        body = (
            rnd.choice(OPENINGS)
            + rnd.choice(CONTEXT).format(**values)
            + "，".join(rest)
            + "。"
            + rnd.choice(ASKS).format(**values)
        )
        texts.append(f"{subject[:60]}\n{body}")
        chosen.append(label)
    return texts, chosen
