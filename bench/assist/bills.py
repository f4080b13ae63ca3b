"""Turn the Taipei City Council bills into an evaluation file for `secretariat assist evaluate`.

    python bench/assist/bills.py ../shared/data/tcc_bills.json var/tcc_bills.jsonl

Keeps the bills naming exactly one proposing agency and, of those, the agencies with at least
five bills (882 bills, 26 agencies); each line is {"text": abstract, "label": agency}, the agency
as the council wrote it (勞工局 and 勞動局 stay two labels). Prints what it wrote.

With ``--registry`` the same 882 bills' agencies are then resolved through the agency
registry's names and former names (src/secretariat/core/data/agencies.json) to their short
names today, as the deployment's training data are: 勞工局 and 勞動局 are one agency there, so
are 法規委員會 and 法務局, 地政處 and 地政局 (23 agencies). Names the registry does not know
stay as written.

With ``--priors FILE`` it also writes the routing keyword table's seed
(src/secretariat/cases/data/routing_keywords.json: each agency's statutory duty terms) as
training-only cases for ``secretariat assist evaluate --priors FILE``: each term of an agency
once for every label naming that agency (under any of its names, so 勞工局 and 勞動局 both get
勞動局's terms); a label no agency answers to (臺北市政府) gets none."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

MIN_EXAMPLES = 5
SRC = Path(__file__).resolve().parents[2] / "src/secretariat"
REGISTRY = SRC / "core/data/agencies.json"
KEYWORDS = SRC / "cases/data/routing_keywords.json"
PREFIXES = ("臺北市政府", "臺北市")


def _key(name: str) -> str:
    name = "".join(name.split()).replace("台", "臺")
    for prefix in PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return name


def registry_names(path: Path = REGISTRY, value: str = "short_name") -> dict[str, str]:
    """Every name and former name of every agency (without 臺北市政府/臺北市) → its short name
    (or another key of its entry: ``value="code"``)."""
    names = {}
    for agency in json.loads(path.read_text(encoding="utf-8"))["agencies"]:
        for entry in (agency, *agency.get("history", ())):
            for name in (entry["name"], entry["short_name"]):
                names[_key(name)] = agency[value]
    return names


def priors(labels: set[str], keywords: Path = KEYWORDS) -> list[dict]:
    """The keyword table's terms as training-only cases of the labels their agency goes by."""
    code_of = registry_names(value="code")
    terms = json.loads(keywords.read_text(encoding="utf-8"))["agencies"]
    return [
        {"text": term, "label": label}
        for label in sorted(labels)
        for term in terms.get(code_of.get(_key(label), ""), ())
    ]


def examples(bills: list[dict], resolve: dict[str, str] | None = None) -> list[dict]:
    def label(name: str) -> str:
        return resolve.get(_key(name), name) if resolve is not None else name

    single = [
        (bill["abstract"], bill["proposed_by"][0])
        for bill in bills
        if len(bill.get("proposed_by") or []) == 1 and (bill.get("abstract") or "").strip()
    ]
    counts = Counter(name for _, name in single)
    return [
        {"text": text, "label": label(name)}
        for text, name in single
        if counts[name] >= MIN_EXAMPLES
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bills", type=Path, help="tcc_bills.json")
    parser.add_argument("output", type=Path, help="the JSON Lines file to write")
    parser.add_argument(
        "--registry", action="store_true", help="resolve agencies to today's registry names"
    )
    parser.add_argument(
        "--priors", type=Path, help="also write the keyword table's terms for these labels here"
    )
    args = parser.parse_args(argv)
    resolve = registry_names() if args.registry else None
    rows = examples(json.loads(args.bills.read_text(encoding="utf-8")), resolve)
    labels = {row["label"] for row in rows}
    _write(args.output, rows)
    report = {"records": len(rows), "labels": len(labels), "output": str(args.output)}
    if args.priors is not None:
        terms = priors(labels)
        _write(args.priors, terms)
        named = {row["label"] for row in terms}
        report |= {
            "priors": len(terms),
            "labels_with_priors": len(named),
            "without": sorted(labels - named),
        }
    print(json.dumps(report, ensure_ascii=False))
    return 0


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.exit(main())
