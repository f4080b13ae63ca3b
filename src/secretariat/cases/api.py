"""Case API (/api/v1/cases): the cases and parts a person or system account may see, read
through the same selectors as the case pages — the same scope, the same overdue rule, the same
lead and deadlines. JSON, ISO dates and times."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from secretariat.cases import kinds, selectors, services
from secretariat.cases.models import CaseStatus
from secretariat.core.api import ERRORS, InputSchema
from secretariat.core.errors import DomainError
from secretariat.core.text import api_text

router = Router(tags=["cases"])
MAX_LIMIT = 200
STATUS_CHOICES = "open（未結）、空白（全部）或 " + "、".join(CaseStatus.values)


class CaseFilters(Schema):
    kind: str = Field("", max_length=30, description="案件類別代碼，空白為全部")
    status: str = Field("open", max_length=20, description=f"狀態：{STATUS_CHOICES}")
    overdue: bool = Field(False, description="僅列有逾期分辦的案件（依現在時刻判斷）")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)


class PartOut(Schema):
    assignee: str = Field(description="受分辦者：機關、機關單位或承攬廠商")
    agency_code: str
    role: str = Field(description="lead（主辦）或 co（協辦）")
    status: str
    assigned_on: dt.date
    due_on: dt.date = Field(description="回復期限（或列管案件的下次進度報告期限）")
    due_at: dt.datetime | None = Field(None, description="以上班時數計算的期限時刻")
    is_overdue: bool
    replied_on: dt.date | None


class CaseOut(Schema):
    number: str
    kind: str
    kind_label: str
    subject: str
    status: str
    status_label: str
    received_on: dt.date
    lead_agency: str | None = Field(None, description="目前主辦機關（改分後）的簡稱")
    next_due: dt.date | None = Field(None, description="未回復分辦中最近的期限")
    is_overdue: bool


class CaseDetailOut(CaseOut):
    parts: list[PartOut]


class CaseListOut(Schema):
    count: int
    items: list[CaseOut]


def _case(case, lead: str | None, next_due, overdue: bool) -> dict:
    return {
        "number": case.number,
        "kind": case.kind,
        "kind_label": kinds.label(case.kind),
        "subject": case.subject,
        "status": case.status,
        "status_label": case.get_status_display(),
        "received_on": case.received_on,
        "lead_agency": lead,
        "next_due": next_due,
        "is_overdue": overdue,
    }


@router.get("", response={200: CaseListOut, **ERRORS}, summary="案件清單（依權限）")
def list_cases(request, filters: Query[CaseFilters]):
    """The Secretariat's list for those who route, otherwise the cases the person's parts
    belong to, newest first; ``overdue`` keeps the cases with an overdue part they see."""
    if filters.status not in ("open", "", *CaseStatus.values):
        raise DomainError.invalid({"status": [f"狀態須為 {STATUS_CHOICES}。"]})
    if filters.kind and filters.kind not in kinds.KINDS:
        raise DomainError.invalid({"kind": [f"未知的案件類別：{filters.kind}"]})
    now = timezone.now()
    rows = selectors.case_list_for(
        request.user,
        now,
        kind=filters.kind,
        status=filters.status,
        overdue=filters.overdue,
    )
    page = rows[filters.offset : filters.offset + filters.limit]
    return {
        "count": rows.count(),
        "items": [_case(c, c.lead_agency, c.next_due, c.is_overdue) for c in page],
    }


RequesterText = api_text("陳情人姓名或電話", max_length=selectors.FIELD_LIMITS["name"])


class RequesterSearchIn(InputSchema):
    query: RequesterText


class RequesterSearchOut(Schema):
    count: int
    items: list[CaseOut]


@router.post(
    "/requester-search",
    response={200: RequesterSearchOut, **ERRORS},
    summary="以陳情人姓名或電話查詢案件（稽核）",
)
def search_by_requester(request, payload: RequesterSearchIn):
    """Cases whose requester's name contains the query, or whose phone number contains its
    digits, among those whose requesters the caller may see (403 for roles that may not).
    A POST so that the name or number stays out of addresses and logs; every search is
    audited (``search_requester``: who, the query masked and as a keyed digest, the cases
    found). Requesters stay masked in the answer."""
    found = services.search_requesters(payload.query, by=request.user)
    now = timezone.now()
    rows = selectors.case_list_for(request.user, now, status="").filter(
        pk__in=[case.pk for case in found]
    )
    return {
        "count": len(found),
        "items": [_case(c, c.lead_agency, c.next_due, c.is_overdue) for c in rows],
    }


@router.get("/{number}", response={200: CaseDetailOut, **ERRORS}, summary="單一案件與其分辦")
def get_case(request, number: str = Path(..., max_length=20)):
    now = timezone.now()
    case = selectors.case_for(request.user, number)
    parts = case.visible_assignments
    active = [part for part in parts if part.is_active]
    lead = next((part for part in parts if part.role == "lead"), None)
    data = _case(
        case,
        lead.agency.short_name if lead else None,
        min((part.due_on for part in active), default=None),
        any(part.is_overdue_at(now) for part in parts),
    )
    data["parts"] = [
        {
            "assignee": part.assignee_name,
            "agency_code": part.agency.code,
            "role": part.role,
            "status": part.status,
            "assigned_on": part.assigned_on,
            "due_on": part.due_on,
            "due_at": part.due_at,
            "is_overdue": part.is_overdue_at(now),
            "replied_on": part.replied_on,
        }
        for part in parts
    ]
    return data
