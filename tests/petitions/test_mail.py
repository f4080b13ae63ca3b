"""E-mails to the citizen go through the mail queue: the receipt (number + password) and the
replies once every agency has replied (the kind's on_replied hook)."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from secretariat.core import sealing
from secretariat.core.models import AuditEntry, OutgoingMail
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


def _readable_at_rest() -> str:
    """Everything the database shows of jobs, queued mail and sessions, as text."""
    rows = [
        (r.args_kwargs, r.return_value, r.traceback, r.exception_class_path)
        for r in DBTaskResult.objects.all()
    ]
    sealed = [bytes(m.sealed) for m in OutgoingMail.objects.all()]
    sessions = [s.get_decoded() for s in Session.objects.all()]
    return repr((rows, sealed, sessions))


def test_the_password_and_address_never_rest_in_clear(client, registry, make_person):
    client.post("/petitions/submit/", {**FORM, "address": "臺北市信義區市府路1號"})
    receipt = client.get("/petitions/receipt/")
    password = receipt.context["receipt"]["password"]
    secrets = (password, "xiaoming@example.test", "市府路1號", "王小明")
    # Waiting: the job's argument is the sealed mail's id; nothing readable anywhere.
    (job,) = DBTaskResult.objects.filter(task_path__endswith="send_mail_task")
    (queued,) = OutgoingMail.objects.all()
    assert job.args_kwargs == {"args": [queued.pk], "kwargs": {}}
    assert queued.purpose == "petition:receipt"
    assert not any(secret in _readable_at_rest() for secret in secrets)
    # Sent: the mail has the password; the sealed copy is gone, the result holds counts.
    run_worker()
    [message] = mail.outbox
    assert f"查詢密碼：{password}" in message.body
    assert not OutgoingMail.objects.exists()
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL" and job.return_value["sent"] == 1
    assert not any(secret in _readable_at_rest() for secret in secrets)
    # The admin's job pages show what the table holds: no secret either.
    admin = make_person("it", "秘書處", "system_admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = reverse("admin:django_tasks_database_dbtaskresult_change", args=[job.pk])
    page = client.get(url).content.decode()
    assert "send_mail_task" in page and not any(secret in page for secret in secrets)


def test_a_sealed_mail_cannot_be_opened_without_the_key(settings):
    sealed = sealing.seal("查詢密碼：ABCD2345".encode())
    assert b"ABCD2345" not in sealed
    assert sealing.unseal(sealed).decode() == "查詢密碼：ABCD2345"
    settings.SECRET_KEY = "another-key-" + "y" * 40
    with pytest.raises(sealing.InvalidToken):
        sealing.unseal(sealed)
    settings.SEALING_KEYS = [Fernet.generate_key().decode()]
    newer = sealing.seal(b"x")
    settings.SEALING_KEYS = [Fernet.generate_key().decode(), settings.SEALING_KEYS[0]]
    assert sealing.unseal(newer) == b"x"  # an older key still opens what it sealed
