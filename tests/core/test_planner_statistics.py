"""Finding 11 of issue 15 (load): SQLite plans well only with table statistics, which it does
not keep up by itself; an import (a bulk load) and a daily job refresh them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from secretariat.core import importing
from secretariat.core import tasks as core_tasks

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "import" / "petitions.csv"


def _statistics() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchall():
            return 0
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'search_searchdocument'")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's autovacuum analyzes")
def test_an_import_refreshes_the_planners_statistics(registry):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchall():
            cursor.execute("DELETE FROM sqlite_stat1")
    assert _statistics() == 0
    outcome = importing.run_import("petitions", EXAMPLE.read_bytes())
    assert outcome.ok and outcome.created
    assert _statistics() > 0


def test_the_statistics_are_refreshed_daily():
    job = core_tasks.DAILY_JOBS["core.refresh_planner_statistics"]
    assert job.enqueue == core_tasks.refresh_planner_statistics_task.enqueue
    core_tasks.refresh_planner_statistics()  # runs on either database
