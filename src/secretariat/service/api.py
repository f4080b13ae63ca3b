"""/api/v1/service: 服務台 — the desk's log (read and write), its categories, the calls to
agencies and their arrivals, and the 10-minute rate; through the same selectors and services
as the pages. JSON, ISO dates and times."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from secretariat.core import selectors as core_selectors
from secretariat.core.api import AGENCY_CODE_MAX, ERRORS, ID_MAX, InputSchema, IsoDate, object_id
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.text import api_text
from secretariat.service import selectors, services
from secretariat.service.models import NOTE_MAX_LENGTH, Referral, VisitKind

router = Router(tags=["市民諮詢"])
MAX_LIMIT = 200
# A year of figures at most per request: the rate is computed over the span's calls.
MAX_SPAN_DAYS = 366


class CategoryOut(Schema):
    code: str
    name: str = Field(description="目前名稱")
    active: bool


class VisitOut(Schema):
    id: int
    served_at: dt.datetime
    kind: str = Field(description="consultation（諮詢服務）或 petition（陳情服務：協處陳情）")
    category: str | None = Field(description="諮詢類別代號")
    agency: str | None = Field(description="相關機關代碼")
    referral: str = Field(description="sign_language、agency_counter 或空白")
    note: str


class VisitIn(InputSchema):
    kind: str = Field(VisitKind.CONSULTATION, max_length=20, description="consultation 或 petition")
    category: str = Field("", max_length=40, description="諮詢類別代號（諮詢服務必填）")
    agency: str = Field("", max_length=AGENCY_CODE_MAX, description="相關機關代碼（選填）")
    referral: str = Field("", max_length=20, description="sign_language、agency_counter 或空白")
    note: api_text("備註", max_length=NOTE_MAX_LENGTH) = Field("", description="備註（勿填個資）")


class VisitFilters(Schema):
    start: IsoDate | None = Field(None, description="服務日期起（含）")
    end: IsoDate | None = Field(None, description="服務日期迄（含）")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=ID_MAX)


class DispatchOut(Schema):
    id: int
    agency: str = Field(description="通知機關代碼")
    called_at: dt.datetime
    due_at: dt.datetime = Field(description="應到場時間（通知後10分鐘）")
    arrived_at: dt.datetime | None
    purpose: str
    late: bool = Field(description="逾10分鐘到場，或未到場且已逾10分鐘")


class DispatchIn(InputSchema):
    agency: str = Field(max_length=AGENCY_CODE_MAX, description="通知機關代碼")
    purpose: api_text("事由", max_length=200) = Field(description="事由（勿填個資）")
    contact: api_text("受話人員", max_length=60) = Field("", description="受話人員")


class RateRow(Schema):
    agency: str
    calls: int
    on_time: int
    late: int
    rate: Decimal | None = Field(description="達成率（%，小數兩位）")


class RateOut(Schema):
    start: dt.date
    end: dt.date
    total: RateRow
    agencies: list[RateRow]
    target: Decimal | None = Field(description="該年度目標值（%）")


def _visit(visit) -> dict:
    return {
        "id": visit.pk,
        "served_at": visit.served_at,
        "kind": visit.kind,
        "category": visit.category.code if visit.category else None,
        "agency": visit.agency.code if visit.agency else None,
        "referral": visit.referral,
        "note": visit.note,
    }


def _dispatch(dispatch, now) -> dict:
    return {
        "id": dispatch.pk,
        "agency": dispatch.agency.code,
        "called_at": dispatch.called_at,
        "due_at": dispatch.due_at,
        "arrived_at": dispatch.arrived_at,
        "purpose": dispatch.purpose,
        "late": dispatch.is_late_at(now),
    }


def _agency(code: str, field: str):
    if not code:
        return None
    found = core_selectors.agencies().filter(code=code).first()
    if found is None:
        raise DomainError.invalid({field: [f"找不到機關代碼「{code}」。"]})
    return found


def _span(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    end = end or today
    start = start or end.replace(month=1, day=1)
    if start > end:
        raise DomainError.invalid({"end": ["迄日不可早於起日。"]})
    if (end - start).days > MAX_SPAN_DAYS:
        raise DomainError.invalid({"start": [f"期間不可超過 {MAX_SPAN_DAYS} 日。"]})
    return start, end


@router.get("/categories", response={200: list[CategoryOut], **ERRORS}, summary="諮詢類別")
def list_categories(request):
    if not selectors.is_desk_staff(request.user):
        raise PermissionDenied("只有服務台人員可以使用服務台 API。")
    return [
        {"code": c.code, "name": str(c), "active": c.is_active}
        for c in selectors.categories(active_only=False)
    ]


@router.get("/visits", response={200: list[VisitOut], **ERRORS}, summary="服務台服務紀錄")
def list_visits(request, filters: Query[VisitFilters]):
    """The desk's log, newest first (desk staff only; others: 403)."""
    if not selectors.is_desk_staff(request.user):
        raise PermissionDenied("只有服務台人員可以檢視服務紀錄。")
    rows = selectors.visits_for(request.user)
    if filters.start:
        rows = rows.filter(served_at__date__gte=filters.start)
    if filters.end:
        rows = rows.filter(served_at__date__lte=filters.end)
    return [_visit(v) for v in rows[filters.offset : filters.offset + filters.limit]]


@router.post("/visits", response={201: VisitOut, **ERRORS}, summary="登錄服務（諮詢或協處陳情）")
def log_visit(request, payload: VisitIn):
    """One citizen served now. Refusals: 400 ``invalid`` naming the field (a consultation
    without a category, an unknown category, agency or referral); 403 for anyone but desk
    staff."""
    if not selectors.is_desk_staff(request.user):
        raise PermissionDenied("只有服務台人員可以登錄服務紀錄。")
    category = None
    if payload.category:
        category = selectors.categories().filter(code=payload.category).first()
        if category is None:
            raise DomainError.invalid({"category": [f"找不到使用中的類別「{payload.category}」。"]})
    if payload.referral not in Referral.values:
        raise DomainError.invalid(
            {"referral": ["轉介方式須為 sign_language、agency_counter 或空白。"]}
        )
    visit = services.log_visit(
        by=request.user,
        kind=payload.kind,
        category=category,
        agency=_agency(payload.agency, "agency"),
        referral=payload.referral,
        note=payload.note,
    )
    return Status(201, _visit(visit))


@router.get(
    "/dispatches", response={200: list[DispatchOut], **ERRORS}, summary="派員通知（依權限）"
)
def list_dispatches(
    request,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=ID_MAX),
):
    """The desk sees every call; an agency's accounts see the calls to their agency."""
    now = timezone.now()
    rows = selectors.dispatches_for(request.user)[offset : offset + limit]
    return [_dispatch(d, now) for d in rows]


@router.post("/dispatches", response={201: DispatchOut, **ERRORS}, summary="通知機關派員")
def call_agency(request, payload: DispatchIn):
    """The desk phoned an agency: the 10 minutes start now and the agency's counter staff are
    notified with a one-time arrival link. 400 ``invalid`` for an unknown agency; 403 for
    anyone but desk staff."""
    if not selectors.is_desk_staff(request.user):
        raise PermissionDenied("只有服務台人員可以通知機關派員。")
    dispatch = services.call_agency(
        by=request.user,
        agency=_agency(payload.agency, "agency"),
        purpose=payload.purpose,
        contact=payload.contact,
    )
    return Status(201, _dispatch(dispatch, timezone.now()))


@router.post(
    "/dispatches/{dispatch_id}/arrived",
    response={200: DispatchOut, **ERRORS},
    summary="登錄派員到場",
)
def mark_arrived(request, dispatch_id: int = object_id("派員通知識別碼")):
    """The desk saw the person arrive (now). 400 ``already_arrived``; 403 for anyone but desk
    staff; 404 for a call the caller may not see."""
    dispatch = get_object_or_404(selectors.dispatches_for(request.user), pk=dispatch_id)
    dispatch = services.mark_arrived(dispatch, by=request.user)
    return _dispatch(dispatch, timezone.now())


class RateFilters(Schema):
    start: IsoDate | None = Field(None, description="通知日期起（含；預設為迄日當年1月1日）")
    end: IsoDate | None = Field(None, description="通知日期迄（含；預設今天）")


@router.get("/dispatch-rate", response={200: RateOut, **ERRORS}, summary="10分鐘到場達成率")
def dispatch_rate(request, filters: Query[RateFilters]):
    """The on-time rate per agency and overall (desk staff; 403 for others), with the year's
    target of the end date. 400 ``invalid`` for a span over a year or reversed."""
    if not selectors.is_desk_staff(request.user):
        raise PermissionDenied("只有服務台人員可以檢視達成率。")
    start, end = _span(filters.start, filters.end)
    rows, total = selectors.dispatch_rates(start, end)

    def row(r) -> dict:
        return {
            "agency": r.agency,
            "calls": r.calls,
            "on_time": r.on_time,
            "late": r.late,
            "rate": r.rate,
        }

    return {
        "start": start,
        "end": end,
        "total": row(total),
        "agencies": [row(r) for r in rows],
        "target": core_selectors.indicator_target(selectors.DISPATCH_RATE, end),
    }


from secretariat.service import consult_api  # noqa: E402, F401 - its operations join the router
