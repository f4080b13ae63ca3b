"""E-mails to the citizen go through the mail queue: the receipt (number + password) and the
replies once every agency has replied (the engine's case_replied signal)."""

from __future__ import annotations

import pytest
from django.core import mail

from secretariat.core.models import AuditEntry
from tests.core.test_jobs import run_worker
from tests.petitions.test_intake import FORM

pytestmark = pytest.mark.django_db(transaction=True)


def test_receipt_mail_has_the_number_and_password(client, registry):
    client.post("/petitions/submit/", FORM)
    shown = client.get("/petitions/receipt/").context["receipt"]
    assert mail.outbox == []  # queued, sent by the worker
    run_worker()
    [message] = mail.outbox
    assert message.to == ["xiaoming@example.test"]
    assert message.subject == f"陳情案件受理通知（{shown['number']}）"
    assert f"案件編號：{shown['number']}" in message.body
    assert f"查詢密碼：{shown['password']}" in message.body
    assert "http://testserver/petitions/status/" in message.body
    assert message.body.startswith("王小明 您好：")


def test_no_mail_without_an_address(client, registry):
    client.post("/petitions/submit/", {**FORM, "email": ""})
    run_worker()
    assert mail.outbox == []


def test_replies_are_mailed_when_every_agency_replied(submit, flow, settings):
    settings.PUBLIC_BASE_URL = "https://secretariat.gov.taipei"
    receipt = submit()
    lead, co = flow.route(receipt.petition.case)
    flow.reply(lead, "本局已派員查處。")
    run_worker()
    assert [m.subject for m in mail.outbox] == [f"陳情案件受理通知（{receipt.number}）"]

    flow.reply(co, "本局將加強巡邏。")
    run_worker()
    reply = mail.outbox[-1]
    assert reply.subject == f"陳情案件回復通知（{receipt.number}）"
    assert reply.to == ["xiaoming@example.test"]
    assert "【臺北市政府都市發展局（主辦）】" in reply.body and "本局已派員查處。" in reply.body
    assert "【臺北市政府警察局（協辦）】" in reply.body and "本局將加強巡邏。" in reply.body
    assert "https://secretariat.gov.taipei/petitions/status/" in reply.body
    entry = AuditEntry.objects.get(action="petition:mail_replies")
    assert entry.object_id == str(receipt.petition.case.pk) and entry.changes == {"replies": 2}


def test_no_reply_mail_without_an_address(submit, flow):
    receipt = submit(requester={"name": "王小明"})
    lead, co = flow.route(receipt.petition.case)
    flow.reply(lead, "已處理。")
    flow.reply(co, "已處理。")
    run_worker()
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action="petition:mail_replies").exists()
