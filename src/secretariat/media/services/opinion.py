"""輿情: the opinion-item case kind's own rules — its fields (checked and written through the
engine's ``validate`` and ``create`` hooks), the importance rule of its deadline (重大: the
same working day), capture by the press office, escalation to 重大 (crisis mode: the press
officers are told at once) and the agencies' published clarifications. Routing, replies,
approval, overdue and closing are the case engine's (``cases.services``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from secretariat.cases import kinds as case_kinds
from secretariat.cases import selectors as case_selectors
from secretariat.cases import services as case_services
from secretariat.cases.kinds import OpenContext
from secretariat.core import audit, roc, workdays
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import RoleCode, User
from secretariat.core.permissions import SECRETARIAT_CODE
from secretariat.core.text import check_fields, model_rule
from secretariat.media.kinds import CHANNEL, OPINION
from secretariat.media.models import (
    CaptureSource,
    Clarification,
    Importance,
    OpinionItem,
    Tone,
)

ITEM_RULES = {
    "outlet": model_rule(OpinionItem, "outlet"),
    "link": model_rule(OpinionItem, "link"),
}
_URL = URLValidator(schemes=["http", "https"])


def may_capture(user) -> bool:
    """The Secretariat's press office (the kind's routers: 新聞聯絡人 of 秘書處, and the
    administrators) captures and routes opinion items."""
    return case_selectors.is_router(user, OPINION)


def _require_press_office(by) -> None:
    if not may_capture(by):
        raise PermissionDenied("只有秘書處新聞聯絡人可以登錄及分辦輿情。")


# --- The kind's deadline ------------------------------------------------------------------------


def office_closing() -> dt.time:
    """When a working day's office hours end (``workdays.office_hours``)."""
    return workdays.office_hours()[-1][1]


def same_working_day(at: dt.date | dt.datetime) -> dt.datetime:
    """重大: the end of the working day in which the item is routed — that day's closing
    time, or the next working day's when it is routed after closing or on a day off. A day
    alone (a preview, an import) counts as its opening."""
    closing = office_closing()
    if isinstance(at, dt.datetime):
        local = timezone.localtime(at)
        day, late = local.date(), local.time() >= closing
    else:
        day, late = at, False
    if late or not workdays.is_working_day(day):
        day = workdays.next_working_day(day)
    return dt.datetime.combine(day, closing, tzinfo=workdays.TAIPEI)


def opinion_deadline(case, at: dt.date | dt.datetime) -> dt.datetime | None:
    """The kind's ``deadline`` hook: 重大 items by the end of the same working day; others
    are left to the engine's working hours (``reply_hours``)."""
    importance = OpinionItem.objects.filter(case=case).values_list("importance", flat=True).first()
    return same_working_day(at) if importance == Importance.MAJOR else None


def deadline_on(importance: str, day: dt.date) -> dt.date | None:
    """The day a 重大 item routed on ``day`` was due, for an import that knows days only;
    None for the others, which the engine counts (``reply_hours`` from the day's opening)."""
    return same_working_day(day).date() if importance == Importance.MAJOR else None


# --- The kind's own fields (the engine's hooks) ------------------------------------------------


def item_field_errors(fields: Mapping[str, Any], today: dt.date) -> dict[str, list[str]]:
    """The item's own fields' problems: outlet, link, report date, tone and importance."""
    values = {name: (fields.get(name) or "").strip() for name in ITEM_RULES}
    cleaned, errors = check_fields(values, ITEM_RULES)
    if not values["outlet"]:
        errors.setdefault("outlet", ["請填寫媒體來源。"])
    if cleaned["link"] and "link" not in errors:
        try:
            _URL(cleaned["link"])
        except ValidationError:
            errors["link"] = ["連結須為 http 或 https 網址。"]
    reported_on = fields.get("reported_on")
    if reported_on is not None and reported_on > today:
        errors["reported_on"] = ["報導日期不可晚於今天。"]
    if fields.get("tone", Tone.NEUTRAL) not in Tone.values:
        errors["tone"] = ["請選擇傾向（負面、中性或正面）。"]
    if fields.get("importance", Importance.NORMAL) not in Importance.values:
        errors["importance"] = ["請選擇重要性（一般、重要或重大）。"]
    return errors


def validate_opinion_item(fields: Mapping[str, Any], context: OpenContext) -> dict[str, list]:
    """The ``validate`` hook: the item's fields, and a link not captured before."""
    errors = item_field_errors(fields, timezone.localdate())
    link = (fields.get("link") or "").strip()
    if link and "link" not in errors:
        taken = OpinionItem.objects.filter(link=link).select_related("case").first()
        if taken is not None:
            errors["link"] = [f"此連結已登錄為輿情 {taken.case.number}。"]
    return errors


def create_opinion_item(case, fields: Mapping[str, Any], context: OpenContext) -> OpinionItem:
    """The ``create`` hook: the item beside its case."""
    return OpinionItem.objects.create(
        case=case,
        outlet=fields["outlet"].strip(),
        link=(fields.get("link") or "").strip(),
        reported_on=fields.get("reported_on") or context.received_on,
        tone=fields.get("tone") or Tone.NEUTRAL,
        importance=fields.get("importance") or Importance.NORMAL,
        source=fields.get("source") or CaptureSource.MANUAL,
    )


# --- Capture, escalation, clarification -------------------------------------------------------


@transaction.atomic
def capture_item(
    *,
    title: str,
    summary: str,
    outlet: str,
    link: str = "",
    reported_on: dt.date | None = None,
    tone: str = Tone.NEUTRAL,
    importance: str = Importance.NORMAL,
    source: str = CaptureSource.MANUAL,
    by,
) -> OpinionItem:
    """登錄輿情: an item the press office saw (by hand, from a feed, a monitoring export or
    another system), waiting to be routed. A 重大 item tells the press officers at once."""
    _require_press_office(by)
    return open_item(
        title=title,
        summary=summary,
        outlet=outlet,
        link=link,
        reported_on=reported_on,
        tone=tone,
        importance=importance,
        source=source,
        by=by,
    )


def open_item(*, title: str, summary: str, source: str, by, **fields: Any) -> OpinionItem:
    """The item's case through the engine (its fields checked by the kind's hooks), for a
    caller that has checked who may: ``capture_item``, or an import the press office (or
    the CLI) runs."""
    case = case_services.open_case(
        OPINION, subject=title, body=summary, channel=CHANNEL, by=by, source=source, **fields
    )
    item = case.kind_record
    if item.importance == Importance.MAJOR:
        _crisis_notice(item, by)
    return item


@transaction.atomic
def classify_item(item: OpinionItem, *, tone: str, importance: str, by) -> OpinionItem:
    """Change an item's tone and importance. Raising it to 重大 is crisis mode: the press
    officers of the Secretariat and of every agency holding a part are told at once (in
    the app and by e-mail); parts routed afterwards are due the same working day."""
    _require_press_office(by)
    item = OpinionItem.objects.select_for_update().select_related("case").get(pk=item.pk)
    errors = item_field_errors(
        {"outlet": item.outlet, "link": item.link, "tone": tone, "importance": importance},
        timezone.localdate(),
    )
    if errors:
        raise DomainError.invalid(errors)
    escalated = importance == Importance.MAJOR and item.importance != Importance.MAJOR
    item.tone, item.importance = tone, importance
    if escalated:
        item.escalated_at = timezone.now()
    with audit.action("media:escalate" if escalated else "media:classify"):
        item.save()
    if escalated:
        _crisis_notice(item, by)
    return item


def escalate_item(item: OpinionItem, *, by) -> OpinionItem:
    """升級為重大 (crisis mode), keeping the item's tone."""
    return classify_item(item, tone=item.tone, importance=Importance.MAJOR, by=by)


def crisis_recipients(item: OpinionItem) -> list[User]:
    """The press officers (新聞聯絡人) of the Secretariat and of the agencies holding a part."""
    agencies = set(
        case_selectors.current_parts().filter(case=item.case).values_list("agency_id", flat=True)
    )
    people = User.objects.filter(is_active=True, roles__code=RoleCode.PRESS_LIAISON).filter(
        agency__code=SECRETARIAT_CODE
    ) | User.objects.filter(
        is_active=True, roles__code=RoleCode.PRESS_LIAISON, agency_id__in=agencies
    )
    return list(people.distinct().order_by("pk"))


def _crisis_notice(item: OpinionItem, by) -> int:
    case = item.case
    title = f"【重大輿情】{case.number} {case.subject}"
    body = "\n".join(
        [
            f"重大輿情：{case.subject}",
            f"媒體來源：{item.outlet}（{roc.format_date(item.reported_on)}）",
            *([f"連結：{item.link}"] if item.link else []),
            "",
            "重大輿情須於當日下班前回應，請立即處理。",
        ]
    )
    people = [person for person in crisis_recipients(item) if person.pk != getattr(by, "pk", None)]
    for person in people:
        core_services.notify(person, title, body, url=item.get_absolute_url(), mail=True)
    audit.record(item, "crisis_notice", {"recipients": len(people)}, actor=audit.actor_of(by))
    return len(people)


def may_record_clarification(user, part) -> bool:
    """The part's holder's approvers (新聞聯絡人, 主管, 首長) say whether it was published."""
    roles = case_kinds.get(OPINION).approver_roles
    return case_selectors.acts_for(user, part, roles)


@transaction.atomic
def record_clarification(
    item: OpinionItem,
    part,
    *,
    published: bool,
    published_on: dt.date | None = None,
    link: str = "",
    by,
) -> Clarification:
    """公開澄清: whether the agency published its response (a press release, a post, a
    statement to the media), when and where. Only for a part that has replied."""
    if part.case_id != item.case_id:
        raise DomainError("not_found", "此分辦不屬於本則輿情。")
    if not may_record_clarification(by, part):
        raise PermissionDenied("只有受分辦機關的新聞聯絡人、主管或首長可以登錄公開澄清。")
    if part.status != case_selectors.AssignmentStatus.REPLIED:
        raise DomainError("not_replied", "此分辦尚未回應，請先回應輿情。")
    link = (link or "").strip()
    errors: dict[str, list[str]] = {}
    if link:
        problem = ITEM_RULES["link"].problem(link)
        if problem is None:
            try:
                _URL(link)
            except ValidationError:
                problem = "連結須為 http 或 https 網址。"
        if problem:
            errors["link"] = [problem]
    if published and published_on is None:
        published_on = timezone.localdate()
    if published_on is not None and published_on > timezone.localdate():
        errors["published_on"] = ["公開日期不可晚於今天。"]
    if errors:
        raise DomainError.invalid(errors)
    clarification, _ = Clarification.objects.update_or_create(
        assignment=part,
        defaults={
            "item": item,
            "published": published,
            "published_on": published_on if published else None,
            "link": link if published else "",
        },
    )
    return clarification
