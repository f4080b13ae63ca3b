"""Benchmark of anonymous intake under the longest accepted text (issue 15, finding 2): with
``--recent`` petitions of maximal length (10,000 characters) in the 90-day window, the time of
a maximal Open311 POST (the whole request, its write transaction included), of the
related-case job that runs after it, and — for comparison — of the former in-transaction
comparison (difflib over every recent case), measured on a few pairs and scaled.

    .venv/bin/python bench/intake/run.py [--recent 500]
    python scripts/pgcluster.py -- .venv/bin/python bench/intake/run.py

SQLite by default (a fresh database in a temporary folder); PostgreSQL when DATABASE_URL is
set (creates and drops ``bench_intake``). Prints one JSON object; the figures are kept in
docs/security.md.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
DB_NAME = "bench_intake"
WORDS = "人行道破損路燈不亮公園樹木違規停車噪音交通號誌故障排水溝堵塞垃圾清運騎樓占用"
FORMER_PAIRS = 3  # pairs the former difflib comparison is timed on (each takes seconds)


def _setup(database_url: str) -> str:
    os.environ.setdefault("SECRETARIAT_DATA_DIR", tempfile.mkdtemp(prefix="bench-intake-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    engine = "sqlite"
    if database_url.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
            connection.execute(f"CREATE DATABASE {DB_NAME} TEMPLATE template0 ENCODING 'UTF8'")
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(database_url)._replace(path=f"/{DB_NAME}"))
        engine = "postgresql"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("setup", verbosity=0)
    return engine


def _text(generator: random.Random, length: int) -> str:
    return "".join(generator.choice(WORDS) for _ in range(length))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recent", type=int, default=500)
    parser.add_argument("--posts", type=int, default=5)
    args = parser.parse_args()
    engine = _setup(os.environ.get("DATABASE_URL", ""))

    from django.test import Client

    from secretariat.cases import related, services
    from secretariat.cases.models import BODY_MAX_LENGTH, Case

    generator = random.Random(15)
    started = time.perf_counter()
    for _ in range(args.recent):
        services.open_case(
            kind="petition",
            subject="陳情",
            body=_text(generator, BODY_MAX_LENGTH),
            channel="letter",
        )
    related.fill_missing_keys_task.call()
    setup_seconds = time.perf_counter() - started

    client = Client()
    request_ms, job_ms = [], []
    for number in range(args.posts):
        description = "路燈不亮\n" + _text(generator, BODY_MAX_LENGTH - 5)
        form = {
            "service_code": "roads",
            "description": description,
            "first_name": "小明",
            "last_name": "王",
            "attribute[consent]": "agree",
        }
        started = time.perf_counter()
        response = client.post(
            "/open311/v2/requests.json", form, REMOTE_ADDR=f"198.51.100.{number + 1}"
        )
        request_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 201, response.content
        case = Case.objects.get(number=response.json()[0]["service_request_id"])
        started = time.perf_counter()
        related.link_related_task.call(case.pk)
        job_ms.append((time.perf_counter() - started) * 1000)

    bodies = list(Case.objects.values_list("body", flat=True)[:FORMER_PAIRS])
    started = time.perf_counter()
    for body in bodies:
        matcher = difflib.SequenceMatcher(None, description, body, autojunk=False)
        if matcher.quick_ratio() >= 0.9:
            matcher.ratio()
    former_pair = (time.perf_counter() - started) / len(bodies)

    print(
        json.dumps(
            {
                "engine": engine,
                "recent_cases": args.recent,
                "text_length": BODY_MAX_LENGTH,
                "setup_seconds": round(setup_seconds, 1),
                "post_ms_median": round(statistics.median(request_ms), 1),
                "post_ms_max": round(max(request_ms), 1),
                "link_job_ms_median": round(statistics.median(job_ms), 1),
                "link_job_ms_max": round(max(job_ms), 1),
                "former_difflib_seconds_per_case": round(former_pair, 2),
                "former_in_transaction_seconds_scaled": round(former_pair * args.recent, 0),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
