"""Turn the Taipei City Council bills into an evaluation file for `secretariat assist evaluate`.

    python bench/assist/bills.py ../shared/data/tcc_bills.json var/tcc_bills.jsonl

Keeps the bills naming exactly one proposing agency and, of those, the agencies with at least
five bills (882 bills, 26 agencies); each line is {"text": abstract, "label": agency}, the agency
as the council wrote it (勞工局 and 勞動局 stay two labels). Prints what it wrote.

With ``--registry`` each agency is first resolved through the agency registry's names and
former names (src/secretariat/core/data/agencies.json) to its short name today, as the
deployment's training data are: 勞工局 and 勞動局 are one agency there, so are 法規委員會 and
法務局, 地政處 and 地政局, 體育處 and 體育局. Names the registry does not know stay as written."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

MIN_EXAMPLES = 5
REGISTRY = Path(__file__).resolve().parents[2] / "src/secretariat/core/data/agencies.json"
PREFIXES = ("臺北市政府", "臺北市")


def _key(name: str) -> str:
    name = "".join(name.split()).replace("台", "臺")
    for prefix in PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return name


def registry_names(path: Path = REGISTRY) -> dict[str, str]:
    """Every name and former name of every agency (without 臺北市政府/臺北市) → its short name."""
    names = {}
    for agency in json.loads(path.read_text(encoding="utf-8"))["agencies"]:
        for entry in (agency, *agency.get("history", ())):
            for name in (entry["name"], entry["short_name"]):
                names[_key(name)] = agency["short_name"]
    return names


def examples(bills: list[dict], resolve: dict[str, str] | None = None) -> list[dict]:
    def label(name: str) -> str:
        return resolve.get(_key(name), name) if resolve is not None else name

    single = [
        {"text": bill["abstract"], "label": label(bill["proposed_by"][0])}
        for bill in bills
        if len(bill.get("proposed_by") or []) == 1 and (bill.get("abstract") or "").strip()
    ]
    counts = Counter(row["label"] for row in single)
    return [row for row in single if counts[row["label"]] >= MIN_EXAMPLES]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bills", type=Path, help="tcc_bills.json")
    parser.add_argument("output", type=Path, help="the JSON Lines file to write")
    parser.add_argument(
        "--registry", action="store_true", help="resolve agencies to today's registry names"
    )
    args = parser.parse_args(argv)
    resolve = registry_names() if args.registry else None
    rows = examples(json.loads(args.bills.read_text(encoding="utf-8")), resolve)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    labels = len({row["label"] for row in rows})
    print(json.dumps({"records": len(rows), "labels": labels, "output": str(args.output)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
