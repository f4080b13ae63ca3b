"""Core API: the signed-in account, agencies, people (agency-scoped), the working-day
calendar and notifications. Dates are ISO 8601."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from secretariat.core import selectors, services, workdays
from secretariat.core.errors import DomainError
from secretariat.core.models import Agency, CalendarAdjustment, User
from secretariat.core.text import api_text

router = Router(tags=["core"])


class ErrorOut(Schema):
    code: str = Field(description="穩定的錯誤代碼，例如 not_found、invalid、permission_denied")
    message: str = Field(description="繁體中文錯誤訊息")
    fields: dict[str, list[str]] = Field(description="欄位錯誤：欄位名稱 → 訊息")


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
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


DayKindText = api_text("類別", max_length=CalendarAdjustment._meta.get_field("kind").max_length)
ReasonText = api_text("事由", max_length=CalendarAdjustment._meta.get_field("reason").max_length)
CityText = api_text("縣市", max_length=CalendarAdjustment._meta.get_field("city").max_length)


class AdjustmentIn(Schema):
    date: dt.date
    kind: DayKindText = Field(
        description="closure（停止上班）、holiday（放假）或 workday（補班上班）"
    )
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


class ReadIn(Schema):
    ids: list[int] | None = None


class CountOut(Schema):
    count: int


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/me", response={200: PersonOut, **ERRORS}, summary="目前登入的帳號")
def me(request):
    return request.user


@router.get("/agencies", response={200: list[AgencyOut], **ERRORS}, summary="機關清單")
def list_agencies(request):
    return list(selectors.agencies().order_by("sort_order", "code"))


@router.get("/agencies/{code}", response={200: AgencyOut, **ERRORS}, summary="單一機關")
def get_agency(request, code: str):
    return get_object_or_404(selectors.agencies(), code=code)


@router.get(
    "/people", response={200: list[PersonOut], **ERRORS}, summary="人員（限本機關，管理者可見全部）"
)
def list_people(request, agency: str | None = None, limit: int = 100, offset: int = 0):
    people = selectors.people_for(request.user).order_by("pk")
    if agency:
        people = people.filter(agency__code=agency)
    return list(people[offset : offset + min(limit, 500)])


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, summary="單一人員")
def get_person(request, person_id: int):
    return get_object_or_404(selectors.people_for(request.user), pk=person_id)


@router.get(
    "/calendar/due-date",
    response={200: DueDateOut, **ERRORS},
    summary="自次一工作日起算 N 個工作天的期限",
)
def due_date(request, start: dt.date, days: int):
    if days < 0:
        raise DomainError("invalid", "工作天數不可為負數。", {"days": ["工作天數不可為負數。"]})
    return {"start": start, "days": days, "due": workdays.add_working_days(start, days)}


@router.get(
    "/calendar/working-days",
    response={200: BetweenOut, **ERRORS},
    summary="兩日之間的工作天數（不含起日、含迄日）",
)
def working_days(request, start: dt.date, end: dt.date):
    return {"start": start, "end": end, "working_days": workdays.working_days_between(start, end)}


@router.get("/calendar/days/{day}", response={200: DayOut, **ERRORS}, summary="單日是否上班")
def day(request, day: dt.date):
    return workdays.day_info(day)


@router.get(
    "/calendar/adjustments",
    response={200: list[AdjustmentOut], **ERRORS},
    summary="行事曆調整（停止上班等）",
)
def list_adjustments(request, year: int | None = None):
    adjustments = CalendarAdjustment.objects.order_by("date")
    return list(adjustments.filter(date__year=year) if year else adjustments)


@router.post(
    "/calendar/adjustments",
    response={201: AdjustmentOut, **ERRORS, 400: ErrorOut},
    summary="新增或修改行事曆調整（管理者）",
)
def set_adjustment(request, payload: AdjustmentIn):
    adjustment = services.set_calendar_day(by=request.user, **payload.dict())
    return Status(201, adjustment)


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS}, summary="我的通知")
def list_notifications(request, unread: bool = False):
    return list(selectors.notifications_for(request.user, unread_only=unread)[:200])


@router.post("/notifications/read", response={200: CountOut, **ERRORS}, summary="標示通知為已讀")
def read_notifications(request, payload: ReadIn):
    return {"count": services.mark_notifications_read(request.user, payload.ids)}
