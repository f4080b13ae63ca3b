"""Mail through the ``mail`` queue. Every e-mail the platform sends (notifications, the
petition receipt with its password, reply mails, the schedule to councillors) is queued with
:func:`queue_mail`: the message is sealed into an ``OutgoingMail`` row (``core.sealing``) in
the caller's transaction and the job, enqueued on commit, receives only that row's id. The
job opens the seal, sends, and deletes the row: no job argument, job result or admin page
ever holds a recipient, a body or a password."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django_tasks import task

from secretariat.core import sealing
from secretariat.core.models import OutgoingMail


def absolute_url(path: str) -> str:
    """A link for an e-mail: the site's public address (``PUBLIC_BASE_URL``) and ``path``;
    relative while no address is set."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def queue_mail(
    subject: str,
    body: str,
    recipients: Sequence[str],
    *,
    purpose: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> OutgoingMail:
    """Queue one mail to ``recipients``; it is sent by a worker once the caller's transaction
    has committed (and not at all if it rolls back). ``purpose`` (e.g. ``petition:receipt``)
    is all that stays readable while it waits. ``attachments`` are (file name, content,
    content type), sealed with the rest (a meeting's iCalendar invitation)."""
    message = {"subject": subject, "body": body, "recipients": list(recipients)}
    if attachments:
        message["attachments"] = [
            [name, base64.b64encode(content).decode("ascii"), content_type]
            for name, content, content_type in attachments
        ]
    mail = OutgoingMail.objects.create(
        purpose=purpose, sealed=sealing.seal(json.dumps(message, ensure_ascii=False).encode())
    )
    mail_id = mail.pk
    transaction.on_commit(lambda: send_mail_task.enqueue(mail_id))
    return mail


@task(queue_name="mail")
def send_mail_task(mail_id: int) -> dict:
    """Send a queued mail and delete it. Returns what is safe to keep in the job result."""
    mail = OutgoingMail.objects.filter(pk=mail_id).first()
    if mail is None:  # sent already, or pruned after its job failed
        return {"mail": mail_id, "sent": 0}
    message = json.loads(sealing.unseal(mail.sealed))
    if message.get("attachments"):
        email = EmailMessage(
            message["subject"], message["body"], settings.DEFAULT_FROM_EMAIL, message["recipients"]
        )
        for name, content, content_type in message["attachments"]:
            email.attach(name, base64.b64decode(content), content_type)
        sent = email.send()
    else:
        sent = send_mail(
            message["subject"], message["body"], settings.DEFAULT_FROM_EMAIL, message["recipients"]
        )
    mail.delete()
    return {"mail": mail_id, "purpose": mail.purpose, "sent": sent}
