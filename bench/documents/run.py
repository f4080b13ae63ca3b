"""Benchmark of the documents workflow on PostgreSQL (issue 18): with 2,500,000 documents (the
city's half-year volume) and 7,500,000 簽核點, the server time of an officer's inbox and of a
收發's register (first pages), and the half-year online-signing statistic against the
hand-written SQL for the same figures.

    nice -n 10 python scripts/pgcluster.py -- .venv/bin/python bench/documents/run.py \
        [--documents 2500000] [--runs 30]

Needs DATABASE_URL naming a PostgreSQL server (pgcluster.py sets one); creates and drops its
own database ``bench_documents``. The rows are generated with SQL (generate_series), spread
over the 72 agencies of the registry and over the first half of 民國115 (the statistic's
period), the last ten days of it still open with a pending point each. A 簽核點's signature
column holds a 16-byte stand-in: the inbox and the statistic never read it, and real CMS
signatures (about 2.8 KB each) would make the table 21 GB; signing and verifying speed is
``bench/documents/signing.py``'s. Prints one JSON object; results are kept in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from postgres import database_url, recreate_database, setup_django, timed  # noqa: E402

DB_NAME = "bench_documents"
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)  # 115年上半年
OFFICERS_PER_AGENCY = 30


def _people() -> dict:
    """An officer (承辦人) in a unit of every agency, OFFICERS_PER_AGENCY of them, and a 收發
    per agency; no password hashing (bulk), no audit (generated data)."""
    from django.contrib.auth.hashers import make_password

    from secretariat.core.models import Agency, Role, Unit, User
    from secretariat.core.registry import load_registry
    from secretariat.core.roles import ensure_roles

    ensure_roles(Role)
    load_registry()
    agencies = list(Agency.objects.order_by("pk"))
    units = Unit.objects.bulk_create(
        [Unit(agency=a, name=f"第{n}科") for a in agencies for n in range(1, 6)]
    )
    by_agency: dict[int, list] = {}
    for unit in units:
        by_agency.setdefault(unit.agency_id, []).append(unit)
    unusable = make_password(None)
    people = []
    for agency in agencies:
        for n in range(OFFICERS_PER_AGENCY):
            people.append(
                User(
                    username=f"officer-{agency.code}-{n}",
                    password=unusable,
                    agency=agency,
                    unit=by_agency[agency.pk][n % 5],
                    display_name=f"承辦人{n}",
                )
            )
        people.append(User(username=f"clerk-{agency.code}", password=unusable, agency=agency))
    people = User.objects.bulk_create(people)
    through = User.roles.through
    through.objects.bulk_create(
        through(
            user_id=p.pk,
            role_id="registry_clerk" if p.username.startswith("clerk-") else "case_officer",
        )
        for p in people
    )
    return {"agencies": len(agencies), "units": len(units), "people": len(people)}


DOCUMENTS = """
WITH officers AS (
    SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, agency_id, unit_id
    FROM core_user WHERE username LIKE 'officer-%%'
), numbered AS (
    SELECT g,
           %(start)s::date + ((g::bigint * %(days)s) / %(n)s)::int AS received,
           (SELECT count(*) FROM officers) AS officer_count
    FROM generate_series(1, %(n)s) AS g
), assigned AS (
    SELECT n.g, n.received, o.id AS officer_id, o.agency_id, o.unit_id
    FROM numbered n JOIN officers o ON o.i = (n.g::bigint * 7919) %% n.officer_count
)
INSERT INTO documents_document (
    uid, agency_id, year, serial, number, prefix, in_government_name, origin, doc_type,
    subject, speed, secrecy, declassify, signing_mode, method, status, sender_name, sender_code,
    sender_number, received_at, received_on, unit_id, officer_id, distributed_at, due_on,
    control_reason, control_approved, decided_at, decided_on, decided_by_id, decision_level,
    decision_mark, decision_note, dispatched_on, closed_on, file_code, retention, filed_on,
    created_at)
SELECT gen_random_uuid(), a.agency_id, 115,
       row_number() OVER (PARTITION BY a.agency_id ORDER BY a.g),
       '115' || lpad((row_number() OVER (PARTITION BY a.agency_id ORDER BY a.g))::text, 7, '0'),
       '北市測', false,
       CASE WHEN a.g %% 20 < 5 THEN 'paper' WHEN a.g %% 20 < 17 THEN 'electronic' ELSE 'created' END,
       CASE WHEN a.g %% 5 = 0 THEN 'memo' ELSE 'letter' END,
       CASE WHEN a.g %% 1000 = 7 THEN '' ELSE '公文主旨第' || a.g || '號，請查照。' END,
       CASE WHEN a.g %% 10 = 0 THEN 'most_urgent' WHEN a.g %% 10 < 4 THEN 'urgent' ELSE 'normal' END,
       CASE WHEN a.g %% 1000 = 7 THEN 'confidential' ELSE 'none' END,
       '', CASE WHEN a.g %% 1500 = 3 THEN 'paper' ELSE 'online' END, 'together',
       CASE WHEN a.received >= %(open_since)s THEN 'reviewing' ELSE 'filed' END,
       '來文機關' || (a.g %% 300), '', '', a.received, a.received, a.unit_id, a.officer_id,
       a.received, a.received + 8, '', false,
       CASE WHEN a.received < %(open_since)s THEN a.received + 3 END,
       CASE WHEN a.received < %(open_since)s THEN a.received + 3 END,
       CASE WHEN a.received < %(open_since)s THEN a.officer_id END,
       CASE WHEN a.received < %(open_since)s THEN 1 END,
       '', '',
       CASE WHEN a.received < %(open_since)s AND a.g %% 5 <> 0 THEN a.received + 4 END,
       CASE WHEN a.received < %(open_since)s THEN a.received + 4 + (a.g %% 17 = 0)::int * 9 END,
       '', '',
       CASE WHEN a.received < %(open_since)s THEN a.received + 5 END,
       now()
FROM assigned a
"""

# Three points a document: 收文 (or 擬辦 of a 創稿), 決行 and 歸檔 — for an open one the last
# two are a pending 陳核 held by its officer and the 擬辦 done.
POINTS = """
INSERT INTO documents_point (
    document_id, step, status, holder_id, position, parallel, created_at, acted_by_id,
    acted_at, decision, opinion, mark, versions, content_hash, signature, signing_time,
    time_source, revocation_checked)
SELECT d.id, s.step,
       CASE WHEN d.status <> 'filed' AND s.k = 3 THEN 'pending' ELSE 'done' END,
       CASE WHEN d.status <> 'filed' AND s.k = 3 THEN d.officer_id END,
       0, true, d.received_at,
       CASE WHEN d.status <> 'filed' AND s.k = 3 THEN NULL ELSE d.officer_id END,
       CASE WHEN d.status <> 'filed' AND s.k = 3 THEN NULL ELSE d.received_at END,
       CASE WHEN d.status <> 'filed' AND s.k = 3 THEN '' ELSE s.decision END,
       '', '', '[]'::jsonb, md5(d.id::text || s.step),
       CASE WHEN d.status <> 'filed' AND s.k = 3 THEN NULL ELSE decode(md5(d.id::text || s.step), 'hex') END,
       CASE WHEN d.status <> 'filed' AND s.k = 3 THEN NULL ELSE d.received_at END,
       'server', true
FROM documents_document d
CROSS JOIN LATERAL (VALUES
    (1, CASE WHEN d.origin = 'created' THEN 'draft' ELSE 'receive' END,
        CASE WHEN d.origin = 'created' THEN 'submitted' ELSE 'received' END),
    (2, CASE WHEN d.status = 'filed' THEN 'decide' ELSE 'draft' END,
        CASE WHEN d.status = 'filed' THEN 'decided' ELSE 'submitted' END),
    (3, CASE WHEN d.status = 'filed' THEN 'file' ELSE 'review' END,
        CASE WHEN d.status = 'filed' THEN 'filed' ELSE '' END)
) AS s(k, step, decision)
"""


def generate(n: int) -> dict:
    from django.db import connection

    started = time.perf_counter()
    days = (END - START).days
    with connection.cursor() as cursor:
        cursor.execute(
            DOCUMENTS,
            {"n": n, "start": START, "days": days, "open_since": END - dt.timedelta(days=9)},
        )
        cursor.execute(POINTS)
        for table in ("documents_document", "documents_point", "core_user"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        counts = {}
        for key, sql in (
            ("documents", "SELECT count(*) FROM documents_document"),
            ("points", "SELECT count(*) FROM documents_point"),
            ("pending_points", "SELECT count(*) FROM documents_point WHERE status = 'pending'"),
            ("confidential", "SELECT count(*) FROM documents_document WHERE secrecy <> 'none'"),
            ("database_mb", "SELECT pg_database_size(current_database()) / 1048576"),
        ):
            cursor.execute(sql)
            counts[key] = cursor.fetchone()[0]
    counts["generate_s"] = round(time.perf_counter() - started, 1)
    return counts


def page(client, path: str):
    def get():
        response = client.get(path, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (path, response.status_code)
        return response

    return get


RAW_SIGNING = """
SELECT count(*),
       count(*) FILTER (WHERE signing_mode = 'online'),
       count(*) FILTER (WHERE origin = 'paper'),
       count(*) FILTER (WHERE origin = 'paper' AND signing_mode = 'online')
FROM documents_document WHERE decided_on BETWEEN %s AND %s
"""
RAW_TALLIES = """
SELECT coalesce(sum(count), 0),
       coalesce(sum(count) FILTER (WHERE signing_mode = 'online'), 0),
       coalesce(sum(count) FILTER (WHERE origin = 'paper'), 0),
       coalesce(sum(count) FILTER (WHERE origin = 'paper' AND signing_mode = 'online'), 0)
FROM documents_historytally WHERE date BETWEEN %s AND %s
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2_500_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    url = recreate_database(database_url(), DB_NAME)
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from secretariat.core.models import User
    from secretariat.documents import selectors

    call_command("migrate", verbosity=0)
    result = {"setup": _people()}
    result["data"] = generate(args.documents)

    # the officer with the most pending points, and the 收發 of the agency with most receipts
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT holder_id, count(*) FROM documents_point WHERE status = 'pending' "
            "GROUP BY holder_id ORDER BY 2 DESC LIMIT 1"
        )
        officer_id, pending = cursor.fetchone()
        cursor.execute(
            "SELECT agency_id, count(*) FROM documents_document "
            "WHERE origin IN ('paper', 'electronic') GROUP BY agency_id ORDER BY 2 DESC LIMIT 1"
        )
        agency_id, receipts = cursor.fetchone()
    officer = User.objects.get(pk=officer_id)
    clerk = User.objects.get(username__startswith="clerk-", agency_id=agency_id)
    client = Client()
    client.force_login(officer)
    result["officer_inbox"] = {"pending": pending, **timed(page(client, "/documents/"), args.runs)}
    client.force_login(clerk)
    result["received_register_first_page"] = {
        "agency_receipts": receipts,
        **timed(page(client, "/documents/registers/received/"), args.runs),
    }
    result["dispatched_register_first_page"] = timed(
        page(client, "/documents/registers/dispatched/"), args.runs
    )

    figures = selectors.signing_figures(START, END)

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(RAW_SIGNING, [START, END])
            documents = cursor.fetchone()
            cursor.execute(RAW_TALLIES, [START, END])
            tallies = cursor.fetchone()
        return [a + b for a, b in zip(documents, tallies, strict=True)]

    total, online, paper, paper_online = raw()
    assert (figures.total, figures.online) == (total, online)
    assert (figures.paper_received, figures.paper_received_online) == (paper, paper_online)
    statistic = timed(lambda: selectors.signing_figures(START, END), 10)
    hand_written = timed(raw, 10)
    result["half_year_online_signing"] = {
        "period": f"{START}..{END}",
        "decided": figures.total,
        "online_rate": str(figures.online_rate),
        "statistic": statistic,
        "raw_sql": hand_written,
        "ratio_p50": round(statistic["p50_ms"] / hand_written["p50_ms"], 2),
        "ratio_p95": round(statistic["p95_ms"] / hand_written["p95_ms"], 2),
    }
    connection.close()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
