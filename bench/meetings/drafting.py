"""Benchmark of the minutes drafting assistance (issue 21): time per hour of transcript and how
much of the reference minutes the draft recovers (ROUGE on characters), on generated meetings
(tests/meetings/transcripts.py: the chair, the presenting agency, discussion and asides at
about 240 characters a minute).

    .venv/bin/python bench/meetings/drafting.py [--hours 1 2] [--seeds 5]

Uses a throwaway SQLite database for the agency registry (no server). Prints one JSON object;
results are kept in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))


def setup() -> None:
    os.environ.setdefault("SECRETARIAT_DATA_DIR", tempfile.mkdtemp())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from secretariat.core.models import Role
    from secretariat.core.registry import load_registry
    from secretariat.core.roles import ensure_roles

    ensure_roles(Role)
    load_registry()


def agenda(meeting):
    from secretariat.assist.minutes import AgendaEntry
    from secretariat.core.registry import agency_by_name

    return [
        AgendaEntry(
            title=item.title,
            kind="報告案",
            agency_code=agency_by_name(item.agency).code,
            agency_names=(agency_by_name(item.agency).name, item.agency),
            summary=item.summary,
            speaker=item.speaker,
        )
        for item in meeting.items
    ]


def run(hours: float, seed: int) -> dict:
    from tests.meetings.transcripts import generate

    from secretariat.assist import selectors, services

    # Three asides a sentence; the agenda grows until the transcript lasts the hours asked.
    items = 2
    while True:
        meeting = generate(items=items, seed=seed, fillers=3)
        if meeting.seconds >= hours * 3600:
            break
        items += 1
    started = time.perf_counter()
    draft = services.draft_minutes(agenda(meeting), meeting.transcript, chair_titles=("主席",))
    elapsed = time.perf_counter() - started
    scores = [
        selectors.rouge(reference.reference_text, drafted.text)
        for reference, drafted in zip(meeting.items, draft.items, strict=True)
    ]
    directives = sum(len(r.directives) for r in meeting.items)
    found = sum(
        1
        for reference, drafted in zip(meeting.items, draft.items, strict=True)
        for (text, _), candidate in zip(reference.directives, drafted.candidates, strict=False)
        if candidate.text == text
    )
    return {
        "hours": round(meeting.seconds / 3600, 2),
        "items": items,
        "characters": draft.characters,
        "utterances": draft.utterances,
        "seconds": round(elapsed, 3),
        "seconds_per_hour": round(elapsed / (meeting.seconds / 3600), 3),
        "rouge1_f": round(statistics.mean(s.r1[2] for s in scores), 3),
        "rouge2_f": round(statistics.mean(s.r2[2] for s in scores), 3),
        "rougeL_recall": round(statistics.mean(s.rl[0] for s in scores), 3),
        "rougeL_f": round(statistics.mean(s.rl[2] for s in scores), 3),
        "directives_found": f"{found}/{directives}",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hours", type=float, nargs="+", default=[1.0, 2.0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    setup()
    from secretariat.assist import keywords, selectors

    started = time.perf_counter()
    keywords.extractor(selectors.known_names() + keywords.DISTRICTS)  # jieba's dictionary
    warm = time.perf_counter() - started
    results = [run(hours, seed) for hours in args.hours for seed in range(args.seeds)]
    print(
        json.dumps(
            {"load_dictionary_seconds": round(warm, 2), "runs": results},
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
