"""What the PostgreSQL benchmarks share (bench/documents, bench/archives): a database of their
own on the server ``DATABASE_URL`` names (run them through scripts/pgcluster.py), Django set
up on it, and one way of timing a call."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL server (run through scripts/pgcluster.py).")
    return url


def recreate_database(url: str, name: str) -> str:
    """Drop and create the benchmark's database ``name``; its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    os.environ.setdefault("SECRETARIAT_DATA_DIR", str(ROOT / "var"))
    import django

    django.setup()


def _summary(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 2),
        "max_ms": round(samples[-1], 2),
    }


def timed(fn, runs: int) -> dict:
    """p50, p95 and the slowest of ``runs`` calls in milliseconds, after one warming call.
    The calls follow each other with no pause (see ``timed_per_request``)."""
    fn()  # warm caches and the connection
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return _summary(samples)


def timed_per_request(fns: dict, runs: int, idle_ms: float = 2.0) -> dict:
    """``timed`` for each of ``fns`` (name → call) as a page makes a call: once, after the
    connection has been idle ``idle_ms`` (untimed), the calls taking turns so that drift on
    the machine falls on all of them alike.

    Back to back, a query that follows its predecessor within about 0.1 ms finds the
    database's process still running and costs less than the same query after any longer
    pause: on this machine the hand-written 屆期 SQL of 200,000 件 takes 0.12 ms back to back
    and 0.61 ms after 1 ms idle (docs/performance.md). A call that does Python work of its own before its query (the
    ORM's compiling) never gets that discount, so back-to-back ratios against bare SQL
    measure the pause as much as the work."""
    for fn in fns.values():
        fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            time.sleep(idle_ms / 1000)
            started = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - started) * 1000)
    return {name: _summary(values) for name, values in samples.items()}
