"""Notices that resolve themselves — a notice asking for an action is marked done when the
action is done, by anyone; done notices leave the unread count but stay readable — and the
text of the engine's notices and their e-mails (subject, summary, 民國 deadline, an absolute
link), the same in the notification centre."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from secretariat.cases import services, tasks
from secretariat.core import sealing, selectors
from secretariat.core.models import Notification, OutgoingMail

pytestmark = pytest.mark.django_db

ROUTED = dt.date(2025, 3, 3)  # Monday; six working days: due 2025-03-11


def new_case(subject="陳情人行道破損", received_on=ROUTED):
    return services.open_case(
        kind="petition",
        subject=subject,
        body=f"{subject}，請儘速處理。",
        channel="letter",
        received_on=received_on,
        requester={"name": "王小明"},
        by=None,
    )


def open_notices(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, resolved_at__isnull=True))


@pytest.fixture
def routed(staff, agency):
    case = new_case()
    (lead,) = services.route_case(case, agency("都發局"), by=staff["router"], on=ROUTED)
    return lead


def test_a_new_part_asks_its_holders_and_is_done_when_replied(staff, routed):
    (notice,) = open_notices(staff["udd"])
    assert notice.subject == routed
    assert selectors.notifications_for(staff["udd"], unread_only=True).count() == 1
    services.draft_reply(routed, "已派員修復。", by=staff["udd2"])  # another officer replies
    notice.refresh_from_db()
    assert notice.resolved_at is not None and notice.read_at is None
    assert selectors.notifications_for(staff["udd"], unread_only=True).count() == 0
    assert selectors.notifications_for(staff["udd"]).filter(pk=notice.pk).exists()


def test_a_draft_awaiting_approval_is_done_when_approved(staff, routed):
    services.draft_reply(routed, "已派員修復。", by=staff["udd"])
    (notice,) = open_notices(staff["udd_boss"])
    assert notice.title.startswith(f"回復待核 {routed.case.number}")
    # Revising the draft replaces the request: one open notice, the newest.
    services.draft_reply(routed, "已派員修復，並加強巡查。", by=staff["udd"])
    (newest,) = open_notices(staff["udd_boss"])
    assert newest.pk != notice.pk
    services.approve_reply(routed, by=staff["udd_boss"])
    assert open_notices(staff["udd_boss"]) == []


def test_a_request_asks_the_routers_and_is_done_when_decided(staff, routed, make_person):
    other_clerk = make_person("sec-clerk2", "秘書處", "registry_clerk")
    extension = services.request_extension(
        routed, "需會勘", dt.date(2025, 3, 25), by=staff["udd"], on=ROUTED
    )
    for router in (staff["router"], other_clerk):
        (notice,) = open_notices(router)
        assert notice.subject == extension and notice.title == (
            f"展期待核定 {routed.case.number}（都發局）"
        )
        assert "理由：需會勘" in notice.body and "申請展延至：114年3月25日" in notice.body
    services.decide_extension(extension, approve=True, by=other_clerk)
    assert open_notices(staff["router"]) == [] and open_notices(other_clerk) == []


def test_a_reassignment_request_is_done_when_decided_and_the_old_part_too(staff, routed, agency):
    request = services.request_reassignment(
        routed, "非本局業務", by=staff["udd"], suggested_agency=agency("工務局"), on=ROUTED
    )
    (notice,) = open_notices(staff["router"])
    assert "建議改分機關：工務局" in notice.body
    services.decide_reassignment(request, approve=True, by=staff["router"], on=ROUTED)
    assert open_notices(staff["router"]) == []
    assert open_notices(staff["udd"]) == []  # the part moved away: nothing left to do


def test_reminders_are_done_when_the_part_is_answered(staff, routed):
    Notification.objects.all().delete()
    assert tasks.send_reminders(dt.date(2025, 3, 12)) == 3  # overdue: officers and 研考
    assert len(open_notices(staff["udd_rdec"])) == 1
    services.draft_reply(routed, "已修復。", by=staff["udd"])
    services.approve_reply(routed, by=staff["udd_boss"])
    assert not Notification.objects.filter(resolved_at__isnull=True).exists()


def test_filing_a_case_resolves_its_parts_notices(staff, routed):
    services.file_case(routed.case, "重複陳情", by=staff["router"])
    assert open_notices(staff["udd"]) == []


def test_a_notice_about_something_else_stays_open(staff, routed, agency):
    other = new_case("陳情路燈不亮")
    (part,) = services.route_case(other, agency("都發局"), by=staff["router"], on=ROUTED)
    services.draft_reply(routed, "已修復。", by=staff["udd"])
    assert [n.subject for n in open_notices(staff["udd"])] == [part]


def test_the_notification_centre_keeps_done_notices_readable(client, staff, routed):
    services.draft_reply(routed, "已派員修復。", by=staff["udd"])
    client.force_login(staff["udd2"])
    html = client.get("/notifications/").content.decode()
    assert "【已完成】" in html and f"新分辦案件 {routed.case.number}" in html
    assert 'id="notification-badge"><span class="muted">（無未讀）</span>' in html


def _sealed_mails() -> list[dict]:
    return [json.loads(sealing.unseal(row.sealed)) for row in OutgoingMail.objects.order_by("pk")]


def test_the_new_assignment_email_has_a_summary_the_deadline_and_a_link(staff, agency, settings):
    settings.PUBLIC_BASE_URL = "https://secretariat.example.test/"
    case = new_case("陳情路燈不亮")
    OutgoingMail.objects.all().delete()
    services.route_case(case, agency("都發局"), [agency("警察局")], by=staff["router"], on=ROUTED)
    sent = {m["recipients"][0]: m for m in _sealed_mails()}
    message = sent["udd@example.test"]
    assert message["subject"] == f"新分辦案件 {case.number}（主辦）：陳情路燈不亮"
    body = message["body"]
    for line in (
        f"案號：{case.number}",
        "主旨：陳情路燈不亮",
        "類別：人民陳情",
        "受分辦者：都發局（主辦）",
        "承辦人：未指定",
        "回復期限：114年3月11日",
    ):
        assert line in body, line
    assert body.endswith(f"\n\nhttps://secretariat.example.test{case.get_absolute_url()}")
    # The notification centre carries the same text (its title links to the case).
    notice = Notification.objects.get(recipient=staff["udd"])
    assert notice.title == message["subject"] and body.startswith(notice.body)


def test_every_engine_notice_is_mailed_with_its_summary(staff, routed):
    staff["udd_boss"].email = "boss@example.test"
    staff["udd_boss"].save()
    OutgoingMail.objects.all().delete()
    services.assign_officer(routed, staff["udd"], by=staff["udd_boss"])
    services.draft_reply(routed, "已派員修復。", by=staff["udd"])
    subjects = {m["subject"] for m in _sealed_mails()}
    assert f"您被指定承辦 {routed.case.number}：陳情人行道破損" in subjects
    assert f"回復待核 {routed.case.number}（都發局）：陳情人行道破損" in subjects
    for message in _sealed_mails():
        assert "承辦人：黃承辦" in message["body"] and "回復期限：114年3月11日" in message["body"]


def test_the_reminder_and_overdue_mails_say_the_deadline_in_roc_form(staff, routed):
    OutgoingMail.objects.all().delete()
    tasks.send_reminders(dt.date(2025, 3, 10))
    tasks.send_reminders(dt.date(2025, 3, 13))
    subjects = [m["subject"] for m in _sealed_mails()]
    assert f"期限提醒：{routed.case.number} 將於 114年3月11日 到期" in subjects
    assert f"逾期通知：{routed.case.number} 已逾回復期限 2 個工作天" in subjects
    assert all("回復期限：114年3月11日" in m["body"] for m in _sealed_mails())
