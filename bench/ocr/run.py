"""OCR of scanned letters (文件登錄, issue 20): field accuracy and throughput.

Letters are printed by the documents renderer (tests/assist/letters.py), rasterised at
200 dpi and made to look scanned at three levels — ``clean`` (as printed), ``scanned``
(up to 1° skew, 2% of pixels speckled, grey paper) and ``poor`` (2.5°, 5%) — and read by
``assist.ocr`` exactly as the 收文 page reads them (first page, 300 dpi rasterisation of
a PDF, median filter, Tesseract chi_tra+eng on one thread). For each level: the share of
letters each field was read exactly right (the 主旨 also at ≥ 90% character similarity),
seconds per page (p50/p95, wall clock) and pages per minute per core: 60 / the CPU seconds
a page takes (this process's and its children's — pdftoppm, Tesseract on one thread), which
a busy shared machine does not distort the way it does the wall clock (also given).

    .venv/bin/python bench/ocr/run.py [--letters 20] [--levels clean,scanned,poor] [--pdf]

``--pdf``: hand the scans over as PDFs (a scanner's 'scan to PDF') instead of PNGs.
Prints one JSON object; the figures are kept in docs/assist.md and docs/performance.md.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

LEVELS = {"clean": (0.0, 0.0), "scanned": (1.0, 0.02), "poor": (2.5, 0.05)}
FIELDS = ("sender_name", "sender_number", "sender_date", "speed", "secrecy", "subject")


def setup() -> None:
    os.environ.setdefault("SECRETARIAT_DATA_DIR", tempfile.mkdtemp(prefix="bench-ocr-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    import django

    django.setup()


def cpu() -> float:
    """CPU seconds of this process (the median filter, the parsing) and of its finished
    children (pdftoppm, Tesseract)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime + time.process_time()


def run_level(name: str, count: int, as_pdf: bool, seed: int) -> dict:
    from tests.assist import letters

    from secretariat.assist import ocr

    skew, noise = LEVELS[name]
    secrecies = {"普通": "none", "密": "secret", "機密": "confidential"}
    names = {sender: sender for sender in letters.SENDERS}
    rng = random.Random(seed)
    right = dict.fromkeys(FIELDS, 0)
    subject_close = 0
    seconds, cpu_seconds = [], []
    for _ in range(count):
        letter = letters.random_letter(rng)
        page = letters.rasterise(letters.letter_pdf(letter))
        if skew or noise:
            page = letters.scanned(page, rng, skew=skew, noise=noise)
        data, content_type = (
            (letters.as_pdf(page), "application/pdf") if as_pdf else (page, "image/png")
        )
        started, started_cpu = time.perf_counter(), cpu()
        lines = ocr.read_page(data, content_type)
        found = ocr.read_letter(lines, names, letters.SPEEDS, secrecies, "none")
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(cpu() - started_cpu)
        expected = letter.expected()
        for field in FIELDS:
            value = found[field].value if field in found else ""
            right[field] += value == expected[field]
        read = found["subject"].value if "subject" in found else ""
        subject_close += difflib.SequenceMatcher(None, read, letter.subject).ratio() >= 0.9
    all_fields = sum(right.values()) / (count * len(FIELDS))
    seconds.sort()
    return {
        "letters": count,
        "field_accuracy": {field: round(right[field] / count, 3) for field in FIELDS},
        "all_fields": round(all_fields, 3),
        "subject_90pct_similar": round(subject_close / count, 3),
        "seconds_p50": round(statistics.median(seconds), 2),
        "seconds_p95": round(seconds[max(0, int(len(seconds) * 0.95) - 1)], 2),
        "cpu_seconds_mean": round(statistics.mean(cpu_seconds), 2),
        "pages_per_minute_per_core": round(60 / statistics.mean(cpu_seconds), 1),
        "pages_per_minute_wall": round(60 / statistics.mean(seconds), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=20)
    parser.add_argument("--levels", default="clean,scanned,poor")
    parser.add_argument("--pdf", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    setup()
    result = {
        "input": "pdf" if arguments.pdf else "png",
        "cores": os.cpu_count(),
        "levels": {
            level: run_level(level, arguments.letters, arguments.pdf, arguments.seed)
            for level in arguments.levels.split(",")
        },
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
