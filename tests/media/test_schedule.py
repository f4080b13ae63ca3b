"""市長公開行程: who may enter it, and the daily 07:00 job that mails a day's items to every
councillor in office with an e-mail address — one mail each, exactly once, nothing on a day
without items."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from secretariat.core import tasks as core_tasks
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.council.models import Councillor
from secretariat.media import selectors, services
from secretariat.media import tasks as media_tasks
from secretariat.media.models import ScheduleItem, ScheduleMailing
from tests.core.test_jobs import run_worker

pytestmark = pytest.mark.django_db

TAIPEI = ZoneInfo("Asia/Taipei")
DAY = dt.date(2026, 8, 17)


@pytest.fixture
def press(make_person):
    return make_person("sec-press", "秘書處", "press_liaison", display_name="新聞聯絡人")


def add(by, title="出席市政會議", at=dt.time(8, 30), place="市政大樓", day=DAY):
    return services.add_schedule_item(day, at, title, place, by=by)


def test_council_staff_and_the_secretariats_press_liaison_enter_the_schedule(
    staff, press, make_person
):
    add(staff["desk"])
    item = add(press, "視察防汛整備", dt.time(14, 0), "大同區抽水站")
    assert [i.title for i in selectors.schedule_for(DAY)] == ["出席市政會議", "視察防汛整備"]
    agency_press = make_person("udd-press", "都發局", "press_liaison")
    for outsider in (staff["udd"], staff["udd_head"], staff["clerk"], agency_press):
        with pytest.raises(PermissionDenied):
            add(outsider)
        with pytest.raises(PermissionDenied):
            services.remove_schedule_item(item, by=outsider)
    services.remove_schedule_item(item, by=press)
    assert ScheduleItem.objects.count() == 1


def test_an_item_needs_a_day_a_time_and_what_it_is(staff):
    with pytest.raises(DomainError) as refused:
        services.add_schedule_item(None, None, " ", by=staff["desk"])
    assert refused.value.fields == {
        "day": ["請填寫日期。"],
        "starts_at": ["請填寫時間。"],
        "title": ["請填寫行程。"],
    }


def test_the_mail_lists_the_times_and_places():
    items = [
        ScheduleItem(day=DAY, starts_at=dt.time(8, 30), title="出席市政會議", place="市政大樓"),
        ScheduleItem(day=DAY, starts_at=dt.time(14, 0), title="接見外賓"),
    ]
    subject, body = services.schedule_mail(DAY, items)
    assert subject == "市長公開行程（115年8月17日）"
    assert "上午8時30分　出席市政會議\n　地點：市政大樓\n下午2時　接見外賓\n" in body


def job_results() -> list[tuple[str, dict]]:
    results = DBTaskResult.objects.filter(task_path__endswith="mail_schedule_task")
    return [(r.status, r.return_value) for r in results.order_by("enqueued_at")]


def test_the_job_is_registered_for_seven_in_the_morning():
    job = core_tasks.DAILY_JOBS["media.mail_schedule"]
    assert job.at == dt.time(7, 0)


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_mails_each_active_councillor_with_an_address_once(staff, councillors):
    today = timezone.localdate()
    retired = councillors["陳議員"]
    Councillor.objects.create(
        term=retired.term,
        name="趙議員",
        email="chao@council.example.test",
        active_from=retired.term.start_on,
        active_to=today - dt.timedelta(days=1),
    )
    add(staff["desk"], day=today)
    add(staff["desk"], "接見外賓", dt.time(15, 30), "", day=today)

    at_seven = dt.datetime.combine(today, dt.time(7, 0), TAIPEI)
    assert "media.mail_schedule" in core_tasks.run_due_jobs(at_seven)
    run_worker()  # the job, then the mails it queued

    # 王議員 has no address and 趙議員 left office yesterday.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "chen@council.example.test",
        "lin@council.example.test",
    ]
    subject = f"市長公開行程（{today.year - 1911}年{today.month}月{today.day}日）"
    assert {m.subject for m in mail.outbox} == {subject}
    assert "上午8時30分　出席市政會議" in mail.outbox[0].body
    assert "下午3時30分　接見外賓" in mail.outbox[0].body
    mailing = ScheduleMailing.objects.get()
    assert (mailing.day, mailing.recipients, mailing.items) == (today, 2, 2)

    # Run again for the day (by hand): it succeeds and sends nothing more.
    media_tasks.mail_schedule_task.enqueue(day=today.isoformat())
    run_worker()
    assert len(mail.outbox) == 2
    assert ScheduleMailing.objects.count() == 1
    assert job_results() == [
        ("SUCCESSFUL", {"day": today.isoformat(), "recipients": 2}),
        ("SUCCESSFUL", {"day": today.isoformat(), "recipients": 0}),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_day_without_items_sends_and_records_nothing(staff, councillors):
    add(staff["desk"], day=DAY + dt.timedelta(days=1))
    media_tasks.mail_schedule_task.enqueue(day=DAY.isoformat())
    run_worker()
    assert job_results() == [("SUCCESSFUL", {"day": DAY.isoformat(), "recipients": 0})]
    assert mail.outbox == []
    assert not ScheduleMailing.objects.exists()


# --- The page ---------------------------------------------------------------------------------


def test_everyone_signed_in_reads_the_schedule_and_keepers_enter_it(client, staff, press):
    add(staff["desk"])
    client.force_login(staff["udd"])
    page = client.get(reverse("media:schedule"), {"day": DAY.isoformat()})
    html = page.content.decode()
    assert "市長公開行程：115年8月17日" in html
    assert "上午8時30分" in html and "出席市政會議" in html and "市政大樓" in html
    assert "新增行程" not in html
    data = {"day": "115/08/17", "starts_at": "10:00", "title": "記者會"}
    assert client.post(reverse("media:schedule"), data).status_code == 403
    item = ScheduleItem.objects.get()
    assert client.post(reverse("media:schedule_remove", args=[item.pk])).status_code == 403

    client.force_login(press)
    response = client.post(reverse("media:schedule"), data)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('media:schedule')}?day=2026-08-17"
    bad = client.post(reverse("media:schedule"), {**data, "starts_at": "下午13時", "title": ""})
    assert bad.status_code == 400
    assert "無法辨識的時間：下午13時" in bad.content.decode()
    assert ScheduleItem.objects.count() == 2
    client.post(reverse("media:schedule_remove", args=[item.pk]))
    assert list(ScheduleItem.objects.values_list("title", flat=True)) == ["記者會"]


def test_the_page_says_when_the_day_was_mailed(client, staff):
    add(staff["desk"])
    ScheduleMailing.objects.create(day=DAY, recipients=58, items=1)
    client.force_login(staff["desk"])
    html = client.get(reverse("media:schedule"), {"day": "115/08/17"}).content.decode()
    assert "寄送58位議員" in html
