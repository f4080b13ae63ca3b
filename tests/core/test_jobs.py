"""Background jobs through the django.tasks API with the database backend, the daily
scheduler, notifications and mail."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from secretariat.core import services, tasks
from secretariat.core.models import ScheduledRun

pytestmark = pytest.mark.django_db
TAIPEI = ZoneInfo("Asia/Taipei")


def run_worker():
    # The worker closes its database connection when it is done, so tests that run it use
    # transaction=True (a closed connection would end the test's wrapping transaction).
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--queue-name",
        "*",
        verbosity=0,
    )


def test_daily_jobs_are_enqueued_once_a_day():
    early = dt.datetime(2026, 3, 2, 1, 0, tzinfo=TAIPEI)
    assert "core.verify_audit_chain" not in tasks.run_due_jobs(early)
    later = dt.datetime(2026, 3, 2, 2, 30, tzinfo=TAIPEI)
    assert "core.verify_audit_chain" in tasks.run_due_jobs(later)
    assert "core.verify_audit_chain" not in tasks.run_due_jobs(later + dt.timedelta(hours=3))
    assert ScheduledRun.objects.filter(job="core.verify_audit_chain").count() == 1
    next_day = dt.datetime(2026, 3, 3, 2, 0, tzinfo=TAIPEI)
    assert "core.verify_audit_chain" in tasks.run_due_jobs(next_day)


@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_audit_verification_job(make_person):
    make_person("admin", "秘書處", "system_admin")
    tasks.run_due_jobs(dt.datetime(2026, 3, 2, 3, 0, tzinfo=TAIPEI))
    run_worker()
    result = DBTaskResult.objects.get(task_path__endswith="verify_audit_chain_task")
    assert result.status == "SUCCESSFUL"
    assert result.return_value["ok"] is True


@pytest.mark.django_db(transaction=True)
def test_notification_mail_goes_through_the_queue(make_person):
    person = make_person("p1", "都發局", "case_officer", email="p1@example.test")
    services.notify(person, "案件即將逾期", "請於期限內回復。", mail=True)
    assert mail.outbox == []  # sent by the worker, not inside the request
    run_worker()
    assert [m.subject for m in mail.outbox] == ["案件即將逾期"]
    assert mail.outbox[0].to == ["p1@example.test"]
    assert person.notifications.filter(read_at__isnull=True).count() == 1
