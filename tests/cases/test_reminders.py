"""The daily reminder job: before the deadline (within the kind's remind_days_before working
days) and after it (every working day), to the officer (or the agency's officers) and the
agency's 研考人員, never to another agency."""

from __future__ import annotations

import datetime as dt

import pytest

from secretariat.cases import services, tasks
from secretariat.cases.models import KindSetting
from secretariat.core import tasks as core_tasks
from secretariat.core.models import Notification

pytestmark = pytest.mark.django_db

# Routed Monday 2025-03-03 with six working days: due Tuesday 2025-03-11.
ROUTED = dt.date(2025, 3, 3)
DUE = dt.date(2025, 3, 11)


@pytest.fixture
def part(staff, agency):
    case = services.open_case(
        kind="petition",
        subject="陳情人行道破損",
        body="人行道破損請修復",
        channel="letter",
        received_on=ROUTED,
        requester={"name": "王小明", "email": "a@example.test"},
        by=None,
    )
    (lead,) = services.route_case(case, agency("都發局"), by=staff["router"], on=ROUTED)
    assert lead.due_on == DUE
    Notification.objects.all().delete()  # the routing notices
    return lead


def recipients() -> set[str]:
    return set(Notification.objects.values_list("recipient__username", flat=True))


def test_the_job_is_registered_daily_at_eight():
    job = core_tasks.DAILY_JOBS["cases.reminders"]
    assert job.at == dt.time(8, 0)
    assert job.enqueue == tasks.send_reminders_task.enqueue


def test_no_reminder_before_the_window(part):
    assert tasks.send_reminders(dt.date(2025, 3, 7)) == 0  # Friday: two working days before
    assert not Notification.objects.exists()


def test_before_the_deadline_the_agencys_officers_and_rdec_are_told(part):
    assert tasks.send_reminders(dt.date(2025, 3, 10)) == 3
    assert recipients() == {"udd-officer", "udd-officer2", "udd-rdec"}
    notice = Notification.objects.get(recipient__username="udd-officer")
    assert notice.title == f"期限提醒：{part.case.number} 將於 114年3月11日 到期"
    assert "尚餘 1 個工作天" in notice.body and notice.url == part.case.get_absolute_url()


def test_with_an_officer_only_the_officer_and_rdec_are_told(part, staff):
    services.assign_officer(part, staff["udd"], by=staff["udd_boss"])
    Notification.objects.all().delete()  # the assignment notice
    tasks.send_reminders(DUE)
    assert recipients() == {"udd-officer", "udd-rdec"}
    assert Notification.objects.filter(title__contains="今天到期").count() == 2


def test_after_the_deadline_a_notice_every_working_day(part, staff):
    services.assign_officer(part, staff["udd"], by=staff["udd_boss"])
    Notification.objects.all().delete()
    assert tasks.send_reminders(dt.date(2025, 3, 12)) == 2
    notice = Notification.objects.get(recipient=staff["udd"])
    assert notice.title == f"逾期通知：{part.case.number} 已逾回復期限 1 個工作天"
    assert tasks.send_reminders(dt.date(2025, 3, 14)) == 2
    assert Notification.objects.filter(title__contains="已逾回復期限 3 個工作天").count() == 2
    assert tasks.send_reminders(dt.date(2025, 3, 15)) == 0  # Saturday: nothing is sent


def test_replied_parts_are_not_reminded(part, staff):
    services.draft_reply(part, "已修復。", by=staff["udd"])
    services.approve_reply(part, by=staff["udd_boss"])
    Notification.objects.all().delete()
    assert tasks.send_reminders(dt.date(2025, 3, 12)) == 0


def test_the_kinds_setting_widens_the_window(part):
    KindSetting.objects.create(kind="petition", reply_days=6, reassign_days=1, remind_days_before=3)
    assert tasks.send_reminders(dt.date(2025, 3, 6)) == 3  # Thursday: three working days before
    assert tasks.send_reminders(dt.date(2025, 3, 5)) == 0


def test_reminders_are_mailed(part, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        tasks.send_reminders(dt.date(2025, 3, 10))
    # Only people with an e-mail address get a mail job (udd-officer here).
    assert len(callbacks) == 1
