"""Writes of 媒體聯繫: the mayor's public schedule (市長公開行程), kept by the press office and
the 府會 staff, e-mailed to the councillors in office every morning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction

from secretariat.core import roc
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.mail import queue_mail
from secretariat.core.models import RoleCode
from secretariat.core.permissions import is_secretariat_staff
from secretariat.council import selectors as council_selectors
from secretariat.council import services as council_services
from secretariat.media import selectors
from secretariat.media.models import ScheduleItem, ScheduleMailing


def may_enter_schedule(user) -> bool:
    """The Secretariat's 府會 staff, or its 新聞聯絡人 (the press office keeps the schedule)."""
    if council_services.manages_council(user):
        return True
    return is_secretariat_staff(user) and user.has_role(RoleCode.PRESS_LIAISON)


def _require_schedule_keeper(by) -> None:
    if not may_enter_schedule(by):
        raise PermissionDenied("只有秘書處府會業務人員或新聞聯絡人可以登錄市長公開行程。")


@transaction.atomic
def add_schedule_item(
    day: dt.date | None, starts_at: dt.time | None, title: str, place: str = "", *, by
) -> ScheduleItem:
    _require_schedule_keeper(by)
    title, place = (title or "").strip(), (place or "").strip()
    errors: dict[str, list[str]] = {}
    if day is None:
        errors["day"] = ["請填寫日期。"]
    if starts_at is None:
        errors["starts_at"] = ["請填寫時間。"]
    if not title:
        errors["title"] = ["請填寫行程。"]
    if errors:
        raise DomainError.invalid(errors)
    return ScheduleItem.objects.create(day=day, starts_at=starts_at, title=title, place=place)


@transaction.atomic
def remove_schedule_item(item: ScheduleItem, *, by) -> None:
    _require_schedule_keeper(by)
    item.delete()


def schedule_mail(day: dt.date, items: Sequence[ScheduleItem]) -> tuple[str, str]:
    """Subject and body of a day's schedule mail: 「市長公開行程（115年8月16日）」."""
    heading = f"市長公開行程（{roc.format_date(day)}）"
    lines = [f"{heading}如下：", ""]
    for item in items:
        lines.append(f"{roc.format_time(item.starts_at)}　{item.title}")
        if item.place:
            lines.append(f"　地點：{item.place}")
    lines += ["", "臺北市政府秘書處"]
    return heading, "\n".join(lines)


@transaction.atomic
def mail_schedule(day: dt.date) -> ScheduleMailing | None:
    """Mail the day's schedule to every councillor in office with an e-mail address, one mail
    each, once: a day already mailed sends nothing, and a day without items sends and records
    nothing."""
    items = list(selectors.schedule_for(day))
    if not items:
        return None
    addresses = council_selectors.councillor_addresses(day)
    try:
        with transaction.atomic():
            mailing = ScheduleMailing.objects.create(
                day=day, recipients=len(addresses), items=len(items)
            )
    except IntegrityError:
        return None  # the day's row exists: it was mailed already
    subject, body = schedule_mail(day, items)
    # Mails go out only once the ScheduleMailing row is committed (queue_mail enqueues then).
    for address in addresses:
        queue_mail(subject, body, [address], purpose="media:schedule")
    return mailing
