"""府級記者會, 媒體專訪市長 and 媒體餐敘, and the mayor's social posts: kept by the Secretariat's
press office and counted by half-year in the work report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import Agency
from secretariat.core.text import check_fields, model_rule
from secretariat.media.models import (
    Platform,
    PostKind,
    PressEvent,
    PressEventKind,
    PressRelease,
    SocialPost,
)
from secretariat.media.permissions import is_press_office

EVENT_RULES = {
    name: model_rule(PressEvent, name)
    for name in ("topic", "host", "outlet", "journalist", "place")
}
POST_RULES = {"title": model_rule(SocialPost, "title"), "link": model_rule(SocialPost, "link")}
_URL = URLValidator(schemes=["http", "https"])


def _require_press_office(by) -> None:
    if not is_press_office(by):
        raise PermissionDenied("只有秘書處新聞聯絡人可以登錄記者會、專訪與社群貼文。")


def _required_day(day: dt.date | None, field: str, errors: dict[str, list[str]]) -> None:
    if day is None:
        errors[field] = ["請填寫日期。"]


@transaction.atomic
def record_event(
    *,
    kind: str,
    held_on: dt.date | None,
    topic: str,
    host: str = "",
    outlet: str = "",
    journalist: str = "",
    place: str = "",
    agencies: Iterable[Agency] = (),
    release: PressRelease | None = None,
    by,
) -> PressEvent:
    """記者會、專訪或餐敘: an interview names its outlet (and journalist); a conference may
    link its press release."""
    _require_press_office(by)
    values, errors = check_fields(
        {
            "topic": (topic or "").strip(),
            "host": (host or "").strip(),
            "outlet": (outlet or "").strip(),
            "journalist": (journalist or "").strip(),
            "place": (place or "").strip(),
        },
        EVENT_RULES,
    )
    if kind not in PressEventKind.values:
        errors["kind"] = ["請選擇類別。"]
    _required_day(held_on, "held_on", errors)
    if not values["topic"]:
        errors.setdefault("topic", ["請填寫主題。"])
    if kind == PressEventKind.INTERVIEW and not values["outlet"]:
        errors.setdefault("outlet", ["專訪請填寫媒體。"])
    if errors:
        raise DomainError.invalid(errors)
    event = PressEvent.objects.create(kind=kind, held_on=held_on, release=release, **values)
    event.agencies.set(list(agencies))
    return event


@transaction.atomic
def remove_event(event: PressEvent, *, by) -> None:
    _require_press_office(by)
    event.delete()


@transaction.atomic
def record_post(
    *,
    platform: str,
    posted_on: dt.date | None,
    kind: str,
    title: str,
    link: str = "",
    by,
) -> SocialPost:
    """市長社群貼文: one post (platform, day, video / image / text, link)."""
    _require_press_office(by)
    values, errors = check_fields(
        {"title": (title or "").strip(), "link": (link or "").strip()}, POST_RULES
    )
    if platform not in Platform.values:
        errors["platform"] = ["請選擇平台。"]
    if kind not in PostKind.values:
        errors["kind"] = ["請選擇類型。"]
    _required_day(posted_on, "posted_on", errors)
    if posted_on is not None and posted_on > timezone.localdate():
        errors["posted_on"] = ["發布日期不可晚於今天。"]
    if not values["title"]:
        errors.setdefault("title", ["請填寫標題。"])
    if values["link"] and "link" not in errors:
        try:
            _URL(values["link"])
        except ValidationError:
            errors["link"] = ["連結須為 http 或 https 網址。"]
    if errors:
        raise DomainError.invalid(errors)
    return SocialPost.objects.create(platform=platform, posted_on=posted_on, kind=kind, **values)


@transaction.atomic
def remove_post(post: SocialPost, *, by) -> None:
    _require_press_office(by)
    post.delete()
