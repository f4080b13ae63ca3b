"""媒體聯繫 API (/api/v1/media): press releases and opinion items read through the same
selectors as the pages (the same scope, the same overdue rule), an opinion item captured by
another system for the press office, and the press contact lookup — private numbers for
approved journalists and staff only, every lookup recorded. JSON, ISO dates and times."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from secretariat.cases import selectors as case_selectors
from secretariat.core.api import ERRORS, InputSchema, IsoDate, object_id
from secretariat.core.errors import DomainError, NotFound, PermissionDenied
from secretariat.core.models import Agency
from secretariat.core.text import api_text
from secretariat.media import selectors, services
from secretariat.media.models import (
    CaptureSource,
    Importance,
    OpinionItem,
    PressContact,
    PressRelease,
    ReleaseStatus,
    Tone,
)
from secretariat.media.permissions import sees_private_numbers

router = Router(tags=["media"])
MAX_LIMIT = 200
LIMITS = case_selectors.FIELD_LIMITS


class Page(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)


class ReleaseFilters(Page):
    status: str = Field(
        "", max_length=24, description="空白為全部，或 " + "、".join(ReleaseStatus.values)
    )


class ReleaseOut(Schema):
    id: int
    agency: str = Field(description="發布機關代碼")
    agency_name: str
    title: str
    body: str
    in_mayors_name: bool
    status: str
    status_label: str
    publish_at: dt.datetime | None
    published: bool = Field(description="已發布（已核定且發布時間已到）")
    corrected_at: dt.datetime | None
    public_url: str | None


class ReleaseListOut(Schema):
    count: int
    items: list[ReleaseOut]


def _release(release: PressRelease, now: dt.datetime) -> dict:
    published = release.is_published_at(now)
    return {
        "id": release.pk,
        "agency": release.agency.code,
        "agency_name": release.agency.short_name,
        "title": release.title,
        "body": release.body,
        "in_mayors_name": release.in_mayors_name,
        "status": release.status,
        "status_label": release.get_status_display(),
        "publish_at": release.publish_at,
        "published": published,
        "corrected_at": release.corrected_at,
        "public_url": release.public_url() if published else None,
    }


@router.get("/releases", response={200: ReleaseListOut, **ERRORS}, summary="新聞稿（依權限）")
def list_releases(request, filters: Query[ReleaseFilters]):
    """The caller's agency's releases (the press office's: every agency's), newest first."""
    releases = selectors.releases_for(request.user).order_by("-updated_at", "-pk")
    if filters.status:
        if filters.status not in ReleaseStatus.values:
            raise DomainError.invalid({"status": ["狀態不正確。"]})
        releases = releases.filter(status=filters.status)
    now = timezone.now()
    page = releases[filters.offset : filters.offset + filters.limit]
    return {"count": releases.count(), "items": [_release(r, now) for r in page]}


@router.get("/releases/{release_id}", response={200: ReleaseOut, **ERRORS}, summary="單一新聞稿")
def get_release(request, release_id: int = object_id("新聞稿識別碼")):
    release = get_object_or_404(selectors.releases_for(request.user), pk=release_id)
    return _release(release, timezone.now())


# --- 輿情 ---------------------------------------------------------------------------------------


class OpinionFilters(Page):
    status: str = Field(
        "open", max_length=10, description="open（未結）、pending（待分辦）、done 或空白（全部）"
    )


class OpinionPartOut(Schema):
    agency: str
    role: str
    status: str
    due_on: dt.date
    due_at: dt.datetime | None
    is_overdue: bool
    replied_on: dt.date | None
    published: bool | None = Field(None, description="公開澄清；None 為尚未登錄")


class OpinionOut(Schema):
    number: str
    title: str
    summary: str
    outlet: str
    link: str
    reported_on: dt.date
    tone: str
    importance: str
    status: str
    status_label: str
    received_on: dt.date


class OpinionDetailOut(OpinionOut):
    parts: list[OpinionPartOut]


class OpinionListOut(Schema):
    count: int
    items: list[OpinionOut]


def _item(item: OpinionItem) -> dict:
    case = item.case
    return {
        "number": case.number,
        "title": case.subject,
        "summary": case.body,
        "outlet": item.outlet,
        "link": item.link,
        "reported_on": item.reported_on,
        "tone": item.tone,
        "importance": item.importance,
        "status": case.status,
        "status_label": case.get_status_display(),
        "received_on": case.received_on,
    }


@router.get("/opinion-items", response={200: OpinionListOut, **ERRORS}, summary="輿情（依權限）")
def list_opinion_items(request, filters: Query[OpinionFilters]):
    if filters.status not in ("open", "pending", "done", ""):
        raise DomainError.invalid({"status": ["狀態須為 open、pending、done 或空白。"]})
    items = selectors.opinion_list(request.user, status=filters.status)
    page = items[filters.offset : filters.offset + filters.limit]
    return {"count": items.count(), "items": [_item(item) for item in page]}


@router.get(
    "/opinion-items/{item_number}",
    response={200: OpinionDetailOut, **ERRORS},
    summary="單一輿情與各機關回應",
)
def get_opinion_item(
    request, item_number: str = Path(..., max_length=LIMITS["number"], description="輿情案號")
):
    item = selectors.opinion_item_for(request.user, item_number)
    if item is None:
        raise NotFound()
    now = timezone.now()
    data = _item(item)
    data["parts"] = [
        {
            "agency": part.agency.code,
            "role": part.role,
            "status": part.status,
            "due_on": part.due_on,
            "due_at": part.due_at,
            "is_overdue": part.is_overdue_at(now),
            "replied_on": part.replied_on,
            "published": getattr(getattr(part, "clarification", None), "published", None),
        }
        for part in selectors.visible_parts(request.user, item)
    ]
    return data


class OpinionIn(InputSchema):
    title: api_text("標題", max_length=LIMITS["subject"]) = Field(description="報導標題")
    summary: api_text("摘要", max_length=LIMITS["body"], multiline=True) = Field(
        description="報導摘要"
    )
    outlet: api_text("媒體來源", max_length=100)
    link: api_text("連結", max_length=500) = ""
    reported_on: IsoDate | None = Field(None, description="報導日期，預設今天")
    tone: Tone = Tone.NEUTRAL
    importance: Importance = Importance.NORMAL


@router.post(
    "/opinion-items",
    response={201: OpinionOut, **ERRORS},
    summary="登錄輿情（秘書處新聞聯絡人、監測系統）",
)
def capture_opinion_item(request, payload: OpinionIn):
    item = services.capture_item(**payload.model_dump(), source=CaptureSource.API, by=request.user)
    return Status(201, _item(item))


# --- 新聞聯繫通訊錄 ------------------------------------------------------------------------------


class ContactFilters(Schema):
    q: str = Field("", max_length=60, description="機關或議題（例：社會住宅、停車）")
    agency: str = Field("", max_length=40, description="機關代碼")


class ContactOut(Schema):
    id: int
    agency: str
    agency_name: str
    role: str
    role_label: str
    name: str
    job_title: str
    office_phone: str
    email: str
    topics: str
    mobile: str | None = Field(None, description="僅核准記者及機關人員可見")
    line_id: str | None = Field(None, description="僅核准記者及機關人員可見")


def _contact(contact: PressContact) -> dict:
    return {
        "id": contact.pk,
        "agency": contact.agency.code,
        "agency_name": contact.agency.short_name,
        "role": contact.role,
        "role_label": contact.get_role_display(),
        "name": contact.name,
        "job_title": contact.job_title,
        "office_phone": contact.office_phone,
        "email": contact.email,
        "topics": contact.topics,
        "mobile": contact.mobile,
        "line_id": contact.line_id,
    }


@router.get("/contacts", response={200: list[ContactOut], **ERRORS}, summary="新聞聯繫通訊錄查詢")
def lookup_contacts(request, filters: Query[ContactFilters]):
    """Approved journalists and staff; every lookup is recorded in the audit trail."""
    if not sees_private_numbers(request.user):
        raise PermissionDenied("記者帳號核准後才能查詢通訊錄。")
    agency = None
    if filters.agency:
        agency = Agency.objects.filter(code=filters.agency).first()
        if agency is None:
            raise DomainError.invalid({"agency": [f"未知的機關代碼：{filters.agency}"]})
    found = selectors.contact_lookup(filters.q.strip(), agency)
    services.record_lookup(
        request.user, query=filters.q.strip(), agency=agency, contacts=found, how="API"
    )
    return [_contact(contact) for contact in found]
