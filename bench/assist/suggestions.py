"""Turn the Taipei councillors' suggestions into a second evaluation file for `secretariat assist
evaluate` (the council bills are the first: bills.py).

    python bench/assist/suggestions.py ../shared/data/councillor_suggestions.json \
        var/tcc_suggestions.jsonl --priors var/tcc_suggestions_priors.jsonl

Keeps the rows of 臺北市 with a suggestion and an executing unit (``brought_by``), the unit
resolved through the agency registry's names and former names to its short name today
(衛生下水道工程處 and 衛工處 are one agency, so are 臺北市大地工程處 and 大地處), and of those the
agencies with at least five rows; each line is {"text": suggestion, "label": agency}. Short
texts about small works (「側溝改善更新」, 「路燈新設」), carried out by 工務局's offices and the
district offices: unlike the bills, the same words often go to different agencies. With
``--priors FILE`` the keyword table's terms of those agencies are written as training-only
cases, as bills.py does."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bills import REGISTRY, _key, _write, priors, registry_names  # noqa: E402

MIN_EXAMPLES = 5
COUNTY = "臺北市"


def unit_names() -> dict[str, str]:
    """The registry's names, also without the parent agency's name they start with (a unit
    of 工務局 is written 衛生下水道工程處 as often as 工務局衛生下水道工程處)."""
    names = registry_names()
    agencies = json.loads(REGISTRY.read_text(encoding="utf-8"))["agencies"]
    parents = {agency["code"]: _key(agency["name"]) for agency in agencies}
    for agency in agencies:
        parent = parents.get(agency.get("parent") or "")
        name = _key(agency["name"])
        if parent and name.startswith(parent) and len(name) > len(parent):
            names.setdefault(name[len(parent) :], agency["short_name"])
    return names


def examples(rows: list[dict]) -> list[dict]:
    resolve = unit_names()
    pairs = [
        (row["suggestion"].strip(), resolve.get(_key(row["brought_by"]), row["brought_by"].strip()))
        for row in rows
        if row.get("county") == COUNTY
        and (row.get("suggestion") or "").strip()
        and (row.get("brought_by") or "").strip()
    ]
    counts = Counter(label for _, label in pairs)
    return [
        {"text": text, "label": label} for text, label in pairs if counts[label] >= MIN_EXAMPLES
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suggestions", type=Path, help="councillor_suggestions.json")
    parser.add_argument("output", type=Path, help="the JSON Lines file to write")
    parser.add_argument(
        "--priors", type=Path, help="also write the keyword table's terms for these labels here"
    )
    args = parser.parse_args(argv)
    rows = examples(json.loads(args.suggestions.read_text(encoding="utf-8")))
    labels = Counter(row["label"] for row in rows)
    _write(args.output, rows)
    report = {"records": len(rows), "labels": dict(labels.most_common())}
    if args.priors is not None:
        terms = priors(set(labels))
        _write(args.priors, terms)
        report["priors"] = len(terms)
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
