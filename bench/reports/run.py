"""Benchmark of the half-year report on PostgreSQL (issue 5): 1,000,000 cases (petitions,
council questions with their events, data requests, councillor service cases), the report for
114年上半年 built from the registered sections, against hand-written SQL for the same figures.

    python scripts/pgcluster.py -- .venv/bin/python bench/reports/run.py [--cases 1000000]

Needs DATABASE_URL naming a PostgreSQL server; creates its own database (see bench/cases).
Prints one JSON object; results are kept in docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cases"))
import run as cases_bench  # noqa: E402 (bench/cases/run.py: database, data, timing)

PERIOD = "114H1"
# g % 10: 0 data request, 5 council question, 7 service case, the rest petitions.
KINDS = {
    0: ("data_request", "索"),
    5: ("council_question", "質"),
    7: ("council_service", "議"),
}

COUNCIL = """
INSERT INTO council_questionevent (session_id, kind, title, start_on, end_on, sittings)
SELECT s.id, (ARRAY['policy_report','budget_report','special_report','general'])[1 + m %% 4],
       '第' || m || '場質詢', d, (d + interval '1 month' - interval '1 day')::date, 1 + m %% 9
FROM council_session s,
     LATERAL (SELECT m, (s.start_on + (m || ' months')::interval)::date AS d
              FROM generate_series(0, 11) AS m) months;

INSERT INTO council_councilquestion (case_id, event_id, asked_on, sequence)
SELECT c.id, e.id, c.received_on,
       row_number() OVER (PARTITION BY e.id ORDER BY c.id)
FROM cases_case c JOIN council_questionevent e
  ON c.received_on BETWEEN e.start_on AND e.end_on
WHERE c.kind = 'council_question';

INSERT INTO council_asker (question_id, councillor_id, position)
SELECT q.id, %(councillor)s, 0 FROM council_councilquestion q;

INSERT INTO council_datarequest (case_id, councillor_id, urgency, custom_due_on)
SELECT id, %(councillor)s, 'normal', NULL FROM cases_case WHERE kind = 'data_request';

INSERT INTO council_servicecase (case_id, councillor_id, grade)
SELECT id, %(councillor)s,
       CASE WHEN status <> 'closed' THEN '' WHEN id %% 50 = 0 THEN 'B' ELSE 'A' END
FROM cases_case WHERE kind = 'council_service';

ANALYZE;
"""

# The same figures as the report's sections, written by hand.
RAW = {
    "petitions_received": """
        SELECT count(*) FROM cases_case
        WHERE kind = 'petition' AND received_on BETWEEN %(start)s AND %(end)s""",
    "petitions_by_agency": """
        SELECT a.agency_id, count(*) FROM cases_assignment a
        JOIN cases_case c ON c.id = a.case_id
        WHERE c.kind = 'petition' AND c.received_on BETWEEN %(start)s AND %(end)s
          AND a.role = 'lead' AND a.status <> 'withdrawn' GROUP BY a.agency_id""",
    "petitions_without_lead": """
        SELECT c.status, count(*) FROM cases_case c
        WHERE c.kind = 'petition' AND c.received_on BETWEEN %(start)s AND %(end)s
          AND NOT EXISTS (SELECT 1 FROM cases_assignment a WHERE a.case_id = c.id
                          AND a.role = 'lead' AND a.status <> 'withdrawn')
        GROUP BY c.status""",
    "questions_by_event_kind": """
        SELECT e.kind, count(*) FROM council_councilquestion q
        JOIN council_questionevent e ON e.id = q.event_id
        JOIN cases_case c ON c.id = q.case_id
        WHERE q.asked_on BETWEEN %(start)s AND %(end)s AND c.routed_on IS NOT NULL
        GROUP BY e.kind""",
    "event_sittings": """
        SELECT kind, sum(sittings) FROM council_questionevent
        WHERE start_on BETWEEN %(start)s AND %(end)s GROUP BY kind""",
    "data_requests": """
        SELECT count(*),
               count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM cases_assignment a WHERE a.case_id = c.id
                     AND a.status <> 'withdrawn'
                     AND ((a.status = 'replied' AND a.replied_on > a.due_on)
                          OR (a.status IN ('assigned', 'drafted') AND a.due_on < %(today)s))))
        FROM council_datarequest r JOIN cases_case c ON c.id = r.case_id
        WHERE c.received_on BETWEEN %(start)s AND %(end)s""",
    "service_grades": """
        SELECT s.grade, count(*) FROM council_servicecase s JOIN cases_case c ON c.id = s.case_id
        WHERE c.closed_on BETWEEN %(start)s AND %(end)s AND s.grade <> '' GROUP BY s.grade""",
}


def council_data(today: dt.date) -> None:
    from django.db import connection

    from secretariat.council.models import Councillor, Session, SessionKind, Term

    term = Term.objects.create(number=14, start_on=today - dt.timedelta(days=6 * 365))
    councillor = Councillor.objects.create(
        term=term, name="林國華", active_from=term.start_on, caucus="甲黨團"
    )
    for year in range(today.year - 5, today.year + 1):
        Session.objects.create(
            term=term,
            kind=SessionKind.REGULAR,
            number=year,
            start_on=dt.date(year, 1, 1),
            end_on=dt.date(year, 12, 31),
        )
    with connection.cursor() as cursor:
        cursor.execute(COUNCIL.replace("%%", "%").replace("%(councillor)s", str(councillor.pk)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    url = cases_bench._recreate_database(cases_bench._database_url())
    cases_bench._setup_django(url)

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from secretariat.core.roc import parse_period
    from secretariat.reports.render import to_json
    from secretariat.reports.selectors import build_report

    call_command("migrate", verbosity=0)
    cases_bench._people()
    today = timezone.localdate()
    data = cases_bench.generate(args.cases, today, KINDS)
    council_data(today)
    period = parse_period(PERIOD)
    params = {"start": period.start, "end": period.end, "today": today}

    def raw() -> dict:
        with connection.cursor() as cursor:
            figures = {}
            for key, sql in RAW.items():
                cursor.execute(sql, params)
                figures[key] = cursor.fetchall()
            return figures

    figures = raw()
    report = to_json(build_report(period))
    sections = {s["key"]: s for c in report["chapters"] for s in c["sections"]}
    received = sections["petitions.by_agency"]["figures"]["received"]["value"]
    assert received == figures["petitions_received"][0][0], (received, figures)
    routed = sections["council.questions"]["figures"]["routed"]["value"]
    assert routed == sum(n for _, n in figures["questions_by_event_kind"]), routed

    built = cases_bench.timed(lambda: to_json(build_report(period)), args.runs)
    hand_written = cases_bench.timed(raw, args.runs)
    result = {
        "data": data,
        "period": period.label,
        "petitions_received": received,
        "questions_routed": routed,
        "report": built,
        "raw_sql": hand_written,
        "ratio_p50": round(built["p50_ms"] / hand_written["p50_ms"], 2),
    }
    connection.close()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
