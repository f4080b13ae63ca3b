"""Core API: the signed-in account, agencies, people (agency-scoped), the working-day
calendar and notifications. Dates are ISO 8601.

Every parameter is bounded in the schema (ids to the database's integer range, lengths to the
column's), so a request the schema accepts never reaches the database out of range; what the
schema cannot say (a date outside the calendar's range) is a documented 400."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import mimetypes
import posixpath
import re
from typing import Annotated

from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from secretariat.core import roc, selectors, services, workdays
from secretariat.core.errors import DomainError
from secretariat.core.models import Agency, CalendarAdjustment, DayKind, User
from secretariat.core.text import api_text

router = Router(tags=["core"])

# Primary keys are 64-bit signed integers (BigAutoField) on SQLite and PostgreSQL alike.
ID_MAX = 2**63 - 1
# A list page, and the most ids one request may name.
PAGE_MAX = 500
# The calendar's range: 民國元年 to far enough ahead for any deadline, without date overflow.
CALENDAR_FIRST, CALENDAR_LAST = dt.date(1912, 1, 1), dt.date(2199, 12, 31)
# Ten years of working days: beyond any deadline the city sets.
DUE_DAYS_MAX = 2500
AGENCY_CODE_MAX = Agency._meta.get_field("code").max_length


def _iso_date(value):
    """Only the ISO 8601 calendar date the schema promises (``2026-08-16``): not a Unix
    timestamp, a date-time or anything else pydantic would otherwise read as a date."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            # The form is right and the day does not exist: say so (「西元2026年2月30日不存在」).
            raise PydanticCustomError(
                "date_nonexistent", "{message}", {"message": _nonexistent(value)}
            ) from None
        return value
    raise ValueError("日期格式不正確（請用 ISO 8601，例如 2026-08-16）。")


def _nonexistent(value: str) -> str:
    try:
        roc.read_date(value)
    except roc.RocDateError as error:
        return f"{error}。"
    return "日期格式不正確（請用 ISO 8601，例如 2026-08-16）。"


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class InputSchema(BaseModel):
    """A request body: a JSON object with only the documented fields (an unknown field is a
    422, not silently dropped). A plain pydantic model, not ninja's ``Schema``, which reads
    attributes off any object and so would take a list or a number for an object."""

    model_config = ConfigDict(extra="forbid")


def sent_file(name: str, content_base64: str, *, field: str, what: str = "附件"):
    """A file sent in a JSON body — its name and its content in Base64 — as an upload for
    the upload rule (``core.uploads.check_upload``) to judge. The name loses any folder part,
    as a browser sends it; a DomainError on ``field`` names the file when no name is left or
    the content is not Base64."""
    base = posixpath.basename(name.replace("\\", "/")).strip()
    if base in {"", ".", ".."}:
        message = f"{what}檔名「{name}」無效，請提供含副檔名的檔名。"
        raise DomainError("invalid", f"資料有誤：{message}", {field: [message]})
    try:
        content = base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError):
        message = f"{what}「{base}」不是有效的 Base64 內容。"
        raise DomainError("invalid", f"資料有誤：{message}", {field: [message]}) from None
    content_type = mimetypes.guess_type(base)[0] or "application/octet-stream"
    return SimpleUploadedFile(base, content, content_type=content_type)


def object_id(description: str = "識別碼"):
    """A path id bounded to the database's integer range (beyond it: 422, never a 500)."""
    return Path(..., ge=1, le=ID_MAX, description=description)


class ErrorOut(Schema):
    code: str = Field(description="穩定的錯誤代碼，例如 not_found、invalid、permission_denied")
    message: str = Field(description="繁體中文錯誤訊息")
    fields: dict[str, list[str]] = Field(description="欄位錯誤：欄位名稱 → 訊息")


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    official_code: str = Field("", description="機關代碼（10 碼）；空白表示尚未登錄")
    kind: str
    parent: str | None = None
    established_on: dt.date | None = None
    abolished_on: dt.date | None = None

    @staticmethod
    def resolve_parent(obj: Agency) -> str | None:
        return obj.parent.code if obj.parent_id else None


class PersonOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    agency: str | None = None
    unit: str | None = None
    job_title: str
    roles: list[str]

    @staticmethod
    def resolve_agency(obj: User) -> str | None:
        return obj.agency.code if obj.agency_id else None

    @staticmethod
    def resolve_unit(obj: User) -> str | None:
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_roles(obj: User) -> list[str]:
        return sorted(role.code for role in obj.roles.all())


class DueDateOut(Schema):
    start: dt.date
    days: int
    due: dt.date


class BetweenOut(Schema):
    start: dt.date
    end: dt.date
    working_days: int


class DayOut(Schema):
    date: dt.date
    working: bool
    note: str
    source: str


ReasonText = api_text("事由", max_length=CalendarAdjustment._meta.get_field("reason").max_length)
CityText = api_text("縣市", max_length=CalendarAdjustment._meta.get_field("city").max_length)


class AdjustmentIn(InputSchema):
    date: IsoDate
    kind: DayKind = Field(description="closure（停止上班）、holiday（放假）或 workday（補班上班）")
    reason: ReasonText
    city: CityText = ""


class AdjustmentOut(Schema):
    id: int
    date: dt.date
    kind: str
    reason: str
    city: str


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None = None


class ReadIn(InputSchema):
    ids: list[Annotated[int, Field(ge=1, le=ID_MAX)]] | None = Field(
        None, max_length=PAGE_MAX, description=f"通知識別碼（最多 {PAGE_MAX} 個）；省略時全部標示"
    )


class CountOut(Schema):
    count: int


# Every operation documents every error of the one format: 400 a domain rule refused the input,
# 401 no valid session or token, 403 the role may not, 404 missing or outside the caller's
# agency, 422 malformed input, 429 too many requests.
ERRORS = {status: ErrorOut for status in (400, 401, 403, 404, 422, 429)}


def _in_calendar(name: str, day: dt.date) -> dt.date:
    if not CALENDAR_FIRST <= day <= CALENDAR_LAST:
        message = f"日期須在 {CALENDAR_FIRST.isoformat()} 至 {CALENDAR_LAST.isoformat()} 之間。"
        raise DomainError("out_of_range", message, {name: [message]})
    return day


@router.get("/me", response={200: PersonOut, **ERRORS}, summary="目前登入的帳號")
def me(request):
    return request.user


@router.get("/agencies", response={200: list[AgencyOut], **ERRORS}, summary="機關清單")
def list_agencies(request):
    return list(selectors.agencies().order_by("sort_order", "code"))


@router.get("/agencies/{code}", response={200: AgencyOut, **ERRORS}, summary="單一機關")
def get_agency(request, code: str = Path(..., max_length=AGENCY_CODE_MAX)):
    return get_object_or_404(selectors.agencies(), code=code)


@router.get(
    "/people", response={200: list[PersonOut], **ERRORS}, summary="人員（限本機關，管理者可見全部）"
)
def list_people(
    request,
    agency: str | None = Query(None, max_length=AGENCY_CODE_MAX, description="機關代碼"),
    limit: int = Query(100, ge=1, le=PAGE_MAX),
    offset: int = Query(0, ge=0, le=ID_MAX),
):
    people = selectors.people_for(request.user).order_by("pk")
    if agency:
        people = people.filter(agency__code=agency)
    return list(people[offset : offset + limit])


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, summary="單一人員")
def get_person(request, person_id: int = object_id("人員識別碼")):
    return get_object_or_404(selectors.people_for(request.user), pk=person_id)


@router.get(
    "/calendar/due-date",
    response={200: DueDateOut, **ERRORS},
    summary="自次一工作日起算 N 個工作天的期限",
)
def due_date(
    request,
    start: IsoDate,
    days: int = Query(..., ge=0, le=DUE_DAYS_MAX, description="工作天數"),
):
    start = _in_calendar("start", start)
    return {"start": start, "days": days, "due": workdays.add_working_days(start, days)}


@router.get(
    "/calendar/working-days",
    response={200: BetweenOut, **ERRORS},
    summary="兩日之間的工作天數（不含起日、含迄日）",
)
def working_days(request, start: IsoDate, end: IsoDate):
    start, end = _in_calendar("start", start), _in_calendar("end", end)
    return {"start": start, "end": end, "working_days": workdays.working_days_between(start, end)}


@router.get("/calendar/days/{day}", response={200: DayOut, **ERRORS}, summary="單日是否上班")
def day(request, day: IsoDate):
    return workdays.day_info(_in_calendar("day", day))


@router.get(
    "/calendar/adjustments",
    response={200: list[AdjustmentOut], **ERRORS},
    summary="行事曆調整（停止上班等）",
)
def list_adjustments(
    request,
    year: int | None = Query(
        None, ge=CALENDAR_FIRST.year, le=CALENDAR_LAST.year, description="西元年"
    ),
):
    adjustments = CalendarAdjustment.objects.order_by("date")
    return list(adjustments.filter(date__year=year) if year else adjustments)


@router.post(
    "/calendar/adjustments",
    response={201: AdjustmentOut, **ERRORS},
    summary="新增或修改行事曆調整（管理者）",
)
def set_adjustment(request, payload: AdjustmentIn):
    _in_calendar("date", payload.date)
    adjustment = services.set_calendar_day(by=request.user, **payload.model_dump())
    return Status(201, adjustment)


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS}, summary="我的通知")
def list_notifications(request, unread: bool = False):
    return list(selectors.notifications_for(request.user, unread_only=unread)[:200])


@router.post("/notifications/read", response={200: CountOut, **ERRORS}, summary="標示通知為已讀")
def read_notifications(request, payload: ReadIn):
    return {"count": services.mark_notifications_read(request.user, payload.ids)}
