"""輿情日報: every morning each agency's heads (機關首長) are mailed the opinion items routed to
their agency the day before and those it has still to answer — once a day and agency
(``DigestMailing``). The same list is the digest page (``selectors.digest``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from secretariat.core import roc
from secretariat.core.mail import queue_mail
from secretariat.core.models import Agency, RoleCode, User
from secretariat.media import selectors
from secretariat.media.models import DigestMailing


def _part_lines(index: int, part, now: dt.datetime) -> list[str]:
    item = part.case.opinion_item
    state = part.get_status_display()
    if part.is_overdue_at(now):
        state += "（逾期）"
    due = part.due_at or part.due_on
    return [
        f"{index}. {part.case.number}【{item.get_importance_display()}／"
        f"{item.get_tone_display()}】{part.case.subject}",
        f"   媒體來源：{item.outlet}（{roc.format_date(item.reported_on)}）",
        f"   回應期限：{roc.format_deadline(due)}　狀態：{state}",
    ]


def digest_mail(digest: selectors.Digest, now: dt.datetime) -> tuple[str, str]:
    """Subject and body: 「輿情日報（115年12月5日）：都發局」, the day's items, then the
    unanswered ones, with a link to the page."""
    agency, day = digest.agency, digest.day
    subject = f"輿情日報（{roc.format_date(day)}）：{agency.short_name}"
    lines = [f"{agency.name}　{roc.format_date(day)}輿情日報", ""]
    lines.append(f"一、當日分辦輿情（{roc.format_count(len(digest.routed), '則')}）")
    for index, part in enumerate(digest.routed, start=1):
        lines += _part_lines(index, part, now)
    if not digest.routed:
        lines.append("　無。")
    lines += ["", f"二、尚未回應輿情（{roc.format_count(len(digest.unanswered), '則')}）"]
    for index, part in enumerate(digest.unanswered, start=1):
        lines += _part_lines(index, part, now)
    if not digest.unanswered:
        lines.append("　無。")
    page = reverse("media:digest") + f"?day={day.isoformat()}"
    lines += ["", f"詳見：{settings.PUBLIC_BASE_URL.rstrip('/')}{page}", "", "臺北市政府秘書處"]
    return subject, "\n".join(lines)


def _heads(agency: Agency) -> list[str]:
    return list(
        User.objects.filter(agency=agency, is_active=True, roles__code=RoleCode.HEAD)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
        .distinct()
    )


@transaction.atomic
def mail_digest(agency: Agency, day: dt.date, now: dt.datetime | None = None) -> int:
    """Mail one agency's digest of ``day`` to its heads, once; nothing when it has no item
    (of the day or unanswered) or no head with an address. Returns the mails queued."""
    now = now or timezone.now()
    digest = selectors.digest(agency, day, now)
    addresses = _heads(agency)
    if not (digest.routed or digest.unanswered) or not addresses:
        return 0
    try:
        with transaction.atomic():
            DigestMailing.objects.create(
                day=day,
                agency=agency,
                recipients=len(addresses),
                items=len(digest.routed) + len(digest.unanswered),
            )
    except IntegrityError:
        return 0  # mailed already
    subject, body = digest_mail(digest, now)
    for address in addresses:
        queue_mail(subject, body, [address], purpose="media:digest")
    return len(addresses)


def mail_digests(day: dt.date, now: dt.datetime | None = None) -> int:
    """The daily job: every agency with opinion items of ``day`` or still unanswered."""
    now = now or timezone.now()
    return sum(mail_digest(agency, day, now) for agency in selectors.digest_agencies(day, now))
