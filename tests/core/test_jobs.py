"""Background jobs through the django.tasks API with the database backend, the daily
scheduler, notifications and mail."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from secretariat.core import jobs, services, tasks
from secretariat.core.models import ScheduledRun, WorkerHeartbeat

pytestmark = pytest.mark.django_db
TAIPEI = ZoneInfo("Asia/Taipei")


def run_worker():
    # The worker closes its database connection when it is done, so tests that run it use
    # transaction=True (a closed connection would end the test's wrapping transaction).
    call_command(
        "worker",
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


# --- The worker survives the database (issue 15, finding 4) --------------------------------


@pytest.fixture
def no_waiting(monkeypatch):
    """The worker's back-off without the wait (the delays are tested on their own)."""
    waits = []
    monkeypatch.setattr("secretariat.core.worker.time.sleep", waits.append)
    return waits


@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_database_errors_and_runs_the_next_jobs(
    make_person, monkeypatch, no_waiting, caplog
):
    from django.db import OperationalError
    from django_tasks_db.models import DBTaskResultQuerySet

    first = make_person("p1", "都發局", "case_officer", email="p1@example.test")
    second = make_person("p2", "都發局", "case_officer", email="p2@example.test")
    services.notify(first, "第一件", "內容", mail=True)
    services.notify(second, "第二件", "內容", mail=True)
    original = DBTaskResultQuerySet.get_locked
    errors = [
        OperationalError("database is locked"),
        OperationalError("server closed the connection unexpectedly"),
    ]

    def flaky(queryset):
        if errors:
            raise errors.pop(0)
        return original(queryset)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", flaky)
    run_worker()
    assert errors == []  # both errors were met …
    assert sorted(m.subject for m in mail.outbox) == ["第一件", "第二件"]  # … and survived
    assert len(no_waiting) == 2 and no_waiting[1] > 0  # it waited after each, then went on
    assert "server closed the connection unexpectedly" in caplog.text
    assert not WorkerHeartbeat.objects.exists()  # a clean stop takes the heartbeat away


@pytest.mark.django_db(transaction=True)
def test_an_outcome_that_cannot_be_written_is_retried_not_the_job(
    make_person, monkeypatch, no_waiting
):
    from django.db import OperationalError
    from django_tasks_db.models import DBTaskResult as Result

    person = make_person("p1", "都發局", "case_officer", email="p1@example.test")
    services.notify(person, "只寄一次", "內容", mail=True)
    original = Result.set_successful
    # More than the backend's own three quick retries: the worker's back-off takes over.
    errors = [OperationalError("database is locked") for _ in range(4)]

    def flaky(self, value):
        if errors:
            raise errors.pop(0)
        return original(self, value)

    monkeypatch.setattr(Result, "set_successful", flaky)
    run_worker()
    assert [m.subject for m in mail.outbox] == ["只寄一次"]
    (result,) = Result.objects.all()
    assert result.status == "SUCCESSFUL" and result.return_value["sent"] == 1


def test_back_off_doubles_up_to_its_limit():
    from secretariat.core.worker import backoff_delay

    for failures, full in ((1, 0.5), (2, 1.0), (3, 2.0), (20, 60.0)):
        assert full / 2 <= backoff_delay(failures) <= full


def _heartbeat(age: dt.timedelta, **fields) -> WorkerHeartbeat:
    beat_at = timezone.now() - age
    return WorkerHeartbeat.objects.create(
        worker_id=fields.pop("worker_id", "w1"),
        host="app-1",
        pid=4242,
        started_at=beat_at - dt.timedelta(hours=1),
        beat_at=beat_at,
        state=fields.pop("state", "idle"),
        **fields,
    )


def test_a_stale_worker_is_a_check_warning_with_its_age(settings):
    settings.WORKER_STALE_SECONDS = 120
    _heartbeat(dt.timedelta(seconds=30), worker_id="fresh")
    _heartbeat(dt.timedelta(minutes=17), worker_id="dead")
    _heartbeat(dt.timedelta(minutes=40), worker_id="busy", state="running", task="x.report")
    out = io.StringIO()
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", "--fail-level", "WARNING", stdout=out, stderr=out)
    text = str(raised.value)
    assert "secretariat.W001" in text and "app-1（pid 4242）已 17 分鐘沒有回報" in text
    assert text.count("secretariat.W001") == 1  # the fresh one and the long job are fine


def test_jobs_waiting_without_a_live_worker_are_a_warning(
    make_person, django_capture_on_commit_callbacks
):
    person = make_person("p1", "都發局", "case_officer", email="p1@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(person, "等待中", "內容", mail=True)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=9))
    assert jobs.problems() == [
        "1 件背景工作等待執行，最久已等 9 分鐘，但沒有運作中的 worker：請啟動 `secretariat worker`。"
    ]
    _heartbeat(dt.timedelta(seconds=5))
    assert jobs.problems() == []


def test_the_status_page_shows_workers_to_system_administrators(client, make_person):
    _heartbeat(dt.timedelta(minutes=17), failures=2, retried=5, last_error="OperationalError: x")
    admin = make_person("it", "秘書處", "system_admin")
    client.force_login(admin)
    html = client.get("/system/status/").content.decode()
    assert "app-1" in html and "17 分鐘前" in html and "未回報" in html and "2／5" in html
    assert "已 17 分鐘沒有回報" in html
    client.force_login(make_person("sec-admin", "秘書處", "secretariat_admin"))
    assert client.get("/system/status/").status_code == 403


def test_finished_results_are_pruned_failed_ones_later(settings):
    settings.JOB_RESULTS_KEEP_DAYS, settings.JOB_FAILURES_KEEP_DAYS = 7, 30
    now = timezone.now()
    for days in (3, 8, 40):
        for status in ("SUCCESSFUL", "FAILED"):
            tasks.verify_audit_chain_task.enqueue()
            DBTaskResult.objects.filter(status="READY").update(
                status=status, finished_at=now - dt.timedelta(days=days)
            )
    pending = tasks.verify_audit_chain_task.enqueue()
    assert jobs.prune(now) == {"succeeded": 2, "failed": 1, "mail": 0, "workers": 0}
    left = sorted(
        (r.status, (now - r.finished_at).days) for r in DBTaskResult.objects.exclude(pk=pending.id)
    )
    assert left == [("FAILED", 3), ("FAILED", 8), ("SUCCESSFUL", 3)]
    assert "core.prune_job_results" in tasks.DAILY_JOBS
