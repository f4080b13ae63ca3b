"""How often the keyword table's top agency is right, by its confidence: the measurement behind
``cases.suggest.KEYWORD_THRESHOLD`` (docs/assist.md).

    python bench/assist/keyword_threshold.py var/tcc_bills_registry.jsonl var/tcc_suggestions.jsonl

Each file is JSON Lines {"text", "label"} with labels that are the registry's short names today
(bills.py --registry, suggestions.py). The table is the seed (routing_keywords.json, weight 1),
scored as ``KeywordSuggester`` scores it: an agency's score is the number of its terms the text
contains, its confidence that score's share of all scores. For each threshold: the share of
texts whose top agency reaches it (coverage) and how often that agency is the label
(precision). Prints JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src/secretariat"
REGISTRY = SRC / "core/data/agencies.json"
KEYWORDS = SRC / "cases/data/routing_keywords.json"
THRESHOLDS = (0.34, 0.5, 0.6, 0.67, 0.75, 0.9, 1.0)


def rules() -> tuple[list[tuple[str, str]], dict[str, int]]:
    agencies = json.loads(REGISTRY.read_text(encoding="utf-8"))["agencies"]
    short = {a["code"]: a["short_name"] for a in agencies}
    order = {a["short_name"]: n for n, a in enumerate(agencies)}
    terms = json.loads(KEYWORDS.read_text(encoding="utf-8"))["agencies"]
    return [(term, short[code]) for code, listed in terms.items() for term in listed], order


def top(text: str, table, order) -> tuple[str, float] | None:
    scores = Counter(agency for term, agency in table if term in text)
    if not scores:
        return None
    agency = min(scores, key=lambda a: (-scores[a], order.get(a, 0)))
    return agency, scores[agency] / sum(scores.values())


def measure(path: Path, table, order) -> dict:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    ranked = [(top(row["text"], table, order), row["label"]) for row in rows]
    figures = {}
    for threshold in THRESHOLDS:
        covered = [(found[0], label) for found, label in ranked if found and found[1] >= threshold]
        right = sum(agency == label for agency, label in covered)
        figures[str(threshold)] = {
            "coverage": round(len(covered) / len(rows), 3),
            "precision": round(right / len(covered), 3) if covered else None,
        }
    return {"file": path.name, "n": len(rows), "thresholds": figures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="+")
    args = parser.parse_args(argv)
    table, order = rules()
    print(json.dumps([measure(path, table, order) for path in args.data], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
