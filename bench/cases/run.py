"""Benchmark of the case engine on PostgreSQL (issue 3): with 1,000,000 cases and 1,500,000
assignments, the server time of the Secretariat's case list (with its per-agency overview),
the escalation list and an agency's queue (first pages), and the half-year counts-by-agency
statistic against the hand-written SQL for the same figures.

    python scripts/pgcluster.py -- .venv/bin/python bench/cases/run.py [--cases 1000000]

Needs DATABASE_URL naming a PostgreSQL server (pgcluster.py sets one); creates and drops its
own database ``bench_cases``. Prints one JSON object; results are kept in docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
DB_NAME = "bench_cases"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL server (run through scripts/pgcluster.py).")
    return url


def _recreate_database(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        connection.execute(f"CREATE DATABASE {DB_NAME} TEMPLATE template0 ENCODING 'UTF8'")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{DB_NAME}"))


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    os.environ.setdefault("SECRETARIAT_DATA_DIR", str(ROOT / "var"))
    import django

    django.setup()


GENERATE = """
WITH numbered AS (
    SELECT g,
           %(today)s::date - (%(span)s - (g::bigint * %(span)s / %(n)s))::int AS received
    FROM generate_series(1, %(n)s) AS g
)
INSERT INTO cases_case (kind, number, subject, body, channel, confidential, received_on,
                        routed_on, replied_on, closed_on, status, filed_reason, created_at,
                        updated_at)
SELECT {kind}, {prefix} || lpad(g::text, 9, '0'),
       '陳情主旨第' || g || '號', '陳情內容第' || g || '號，請儘速處理。', 'web', false,
       received, received,
       CASE WHEN received < %(open_since)s THEN received + 6 END,
       CASE WHEN received < %(open_since)s THEN received + 9 END,
       CASE WHEN received < %(open_since)s THEN 'closed' ELSE 'in_progress' END,
       '', now(), now()
FROM numbered
"""

ASSIGN = """
INSERT INTO cases_assignment (case_id, agency_id, role, assigned_on, due_on, status,
                              reply_text, replied_on, release_reason)
SELECT c.id, (%(agencies)s::bigint[])[1 + (c.id * 7919 + %(shift)s) %% %(count)s],
       %(role)s, c.received_on, c.received_on + 8,
       CASE WHEN c.status = 'closed' THEN 'replied' ELSE 'assigned' END,
       CASE WHEN c.status = 'closed' THEN '已依規定辦理。' ELSE '' END,
       c.replied_on, ''
FROM cases_case c
WHERE %(every)s = 1 OR c.id %% %(every)s = 0
"""


# Every tenth case (g % 10 == 0) is a data request, the rest petitions.
KINDS = {0: ("data_request", "索")}


def _by_remainder(kinds: dict[int, tuple[str, str]], position: int, default: str) -> str:
    """A SQL CASE on g % 10 choosing the kind (position 0) or number prefix (1)."""
    whens = " ".join(f"WHEN {r} THEN '{pair[position]}'" for r, pair in kinds.items())
    return f"CASE g %% 10 {whens} ELSE '{default}' END"


def generate(n: int, today: dt.date, kinds: dict[int, tuple[str, str]] = KINDS) -> dict:
    """``n`` cases over five years up to ``today`` (petitions unless ``kinds`` maps g % 10 to
    another kind and its number prefix), a lead part each and a co-agency for every second."""
    from django.db import connection

    from secretariat.core.models import Agency

    agencies = list(Agency.objects.order_by("pk").values_list("pk", flat=True))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        sql = GENERATE.format(
            kind=_by_remainder(kinds, 0, "petition"), prefix=_by_remainder(kinds, 1, "陳")
        )
        cursor.execute(
            sql,
            {
                "n": n,
                "today": today,
                "span": 5 * 365,
                "open_since": today - dt.timedelta(days=45),
            },
        )
        lead = {"agencies": agencies, "count": len(agencies), "every": 1, "shift": 0}
        cursor.execute(ASSIGN, lead | {"role": "lead"})
        cursor.execute(ASSIGN, lead | {"role": "co", "every": 2, "shift": 17})
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE cases_assignment")
        cursor.execute("SELECT count(*) FROM cases_case")
        cases = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM cases_assignment")
        parts = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM cases_assignment WHERE status = 'assigned'")
        open_parts = cursor.fetchone()[0]
    return {
        "cases": cases,
        "assignments": parts,
        "open_assignments": open_parts,
        "generate_s": round(time.perf_counter() - started, 1),
    }


def _people():
    from secretariat.core import services
    from secretariat.core.models import Role
    from secretariat.core.registry import agency_by_name, load_registry
    from secretariat.core.roles import ensure_roles

    ensure_roles(Role)
    load_registry()

    def person(username, agency, role):
        return services.create_person(
            by=None,
            username=username,
            password="bench-password-115",
            agency=agency_by_name(agency),
            display_name=username,
            roles=[role],
        )

    return person("sec-clerk", "秘書處", "registry_clerk"), person("udd", "都發局", "case_officer")


def timed(fn, runs: int) -> dict:
    fn()  # warm caches and the connection
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
    }


def page(client, path: str):
    def get():
        response = client.get(path, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (path, response.status_code)
        return response

    return get


RAW_COUNTS = """
SELECT a.agency_id, count(*)
FROM cases_assignment a JOIN cases_case c ON c.id = a.case_id
WHERE c.kind = 'petition' AND c.received_on BETWEEN %s AND %s
  AND a.role = 'lead' AND a.status <> 'withdrawn'
GROUP BY a.agency_id
"""
# The cases the table leaves out (no lead in force: 存查, 撤回, 尚未分辦), which the report's
# sentence states beside the table.
RAW_WITHOUT_LEAD = """
SELECT c.status, count(*)
FROM cases_case c
WHERE c.kind = 'petition' AND c.received_on BETWEEN %s AND %s
  AND NOT EXISTS (SELECT 1 FROM cases_assignment a
                  WHERE a.case_id = c.id AND a.role = 'lead' AND a.status <> 'withdrawn')
GROUP BY c.status
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    url = _recreate_database(_database_url())
    _setup_django(url)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from secretariat.cases import selectors

    call_command("migrate", verbosity=0)
    router, officer = _people()
    today = timezone.localdate()
    result = {"data": generate(args.cases, today)}

    secretariat, agency = Client(), Client()
    secretariat.force_login(router)
    agency.force_login(officer)
    result["secretariat_case_list"] = timed(page(secretariat, "/cases/"), args.runs)
    result["secretariat_overdue_list"] = timed(page(secretariat, "/cases/overdue/"), args.runs)
    result["agency_queue"] = timed(page(agency, "/cases/"), args.runs)

    # The half-year before the last full one in the data: about 100,000 cases.
    start, end = dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 6, 30)
    figures = selectors.count_by_lead_agency("petition", start, end)

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(RAW_COUNTS, [start, end])
            rows = cursor.fetchall()
            cursor.execute(RAW_WITHOUT_LEAD, [start, end])
            return rows, cursor.fetchall()

    rows, without = raw()
    assert figures.total == sum(n for _, n in rows)
    assert figures.received == figures.total + sum(n for _, n in without)
    statistic = timed(lambda: selectors.count_by_lead_agency("petition", start, end), 10)
    hand_written = timed(raw, 10)
    result["half_year_counts_by_agency"] = {
        "period": f"{start}..{end}",
        "cases": figures.received,
        "statistic": statistic,
        "raw_sql": hand_written,
        "ratio_p50": round(statistic["p50_ms"] / hand_written["p50_ms"], 2),
    }
    connection.close()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
