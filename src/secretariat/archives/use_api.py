"""檔案應用、數位化 API (/api/v1/archives/use): applications the caller may see, a staff
application, the holding agency's decision, and the digitization completion rate — through the
same selectors and services as the pages. JSON, ISO dates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field as InputField

from secretariat.archives.models import Manner, RefusalGround, RequestDecision
from secretariat.archives.selectors import use as selectors
from secretariat.archives.services import use as services
from secretariat.core.api import ERRORS, ID_MAX, InputSchema, IsoDate
from secretariat.core.errors import DomainError, NotFound
from secretariat.core.models import Agency
from secretariat.core.text import api_text

router = Router(tags=["archives"])
MAX_LIMIT = 200
ROC_FIRST_DAY = dt.date(1912, 1, 1)

Name = api_text("申請人姓名", max_length=60)
Purpose = api_text("申請目的", max_length=500)
Email = api_text("電子郵件", max_length=200)
Phone = api_text("電話", max_length=30)
FileCode = api_text("檔號", max_length=60)
Note = api_text("准駁說明", max_length=300)
AgencyCode = api_text("機關代碼", max_length=Agency._meta.get_field("code").max_length)
ApplicationNumber = Annotated[str, Path(..., max_length=20, description="申請編號，例 U115-000001")]


class WantedIn(InputSchema):
    file_code: FileCode = InputField(description="檔號")
    manner: str = InputField(
        pattern="^(read|transcribe|copy)$", description="read 閱覽、transcribe 抄錄、copy 複製"
    )
    copies: int = InputField(0, ge=0, le=services.COPIES_MAX, description="複製張數")


class ApplicationIn(InputSchema):
    agency: AgencyCode = InputField(description="檔案管有機關代碼")
    name: Name
    purpose: Purpose
    email: Email = ""
    phone: Phone = ""
    requests: list[WantedIn] = InputField(min_length=1, max_length=services.REQUESTS_MAX)


class DecisionIn(InputSchema):
    request_id: int = InputField(ge=1, le=ID_MAX, description="申請項目識別碼")
    decision: str = InputField(
        pattern="^(approved|partly|refused)$", description="approved、partly 或 refused"
    )
    ground: str = InputField(
        "",
        pattern="^(|" + "|".join(RefusalGround.values) + ")$",
        description="駁回理由（檔案法第18條各款）",
    )
    note: Note = ""


class DecideIn(InputSchema):
    decisions: list[DecisionIn] = InputField(min_length=1, max_length=services.REQUESTS_MAX)


class RequestOut(Schema):
    id: int
    file_code: str = Field(description="檔號")
    manner: str = Field(description="閱覽、抄錄或複製")
    copies: int
    decision: str = Field(description="pending、approved、partly、refused")
    ground: str = Field(description="駁回理由")
    fee: int = Field(description="費用（元）")


class ApplicationOut(Schema):
    number: str
    agency: str = Field(description="機關代碼")
    applicant_name: str
    received_on: dt.date
    due: dt.date = Field(description="准駁期限（含延長）")
    status: str = Field(description="received 審核中、decided 已准駁")
    decided_on: dt.date | None
    fee: int
    requests: list[RequestOut]


class ListIn(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=1_000_000)


class CompletionOut(Schema):
    agency: str = Field(description="機關簡稱")
    target: int = Field(description="應數位化件數")
    scanned: int = Field(description="累計合格件數")
    pages: int = Field(description="影像頁數")
    rate: float | None = Field(description="完成率（%）")


def _application(application) -> dict:
    return {
        "number": application.number,
        "agency": application.agency.code,
        "applicant_name": application.applicant_name,
        "received_on": application.received_on,
        "due": application.due,
        "status": application.status,
        "decided_on": application.decided_on,
        "fee": application.fee,
        "requests": [
            {
                "id": r.pk,
                "file_code": r.item.file_code,
                "manner": Manner(r.manner).label,
                "copies": r.copies,
                "decision": r.decision,
                "ground": RefusalGround(r.ground).label if r.ground else "",
                "fee": r.fee,
            }
            for r in application.requests.select_related("item")
        ],
    }


def _found(request, number: str):
    application = selectors.applications_for(request.user).filter(number=number).first()
    if application is None:
        raise NotFound()
    return application


@router.get("/applications", response={200: list[ApplicationOut], **ERRORS}, summary="檔案應用申請")
def list_applications(request, params: Query[ListIn]):
    """The caller's own applications; an archivist also the agency's (the Secretariat's
    archivists every agency's); newest first."""
    rows = selectors.applications_for(request.user).order_by("-received_on", "-pk")
    return [_application(a) for a in rows[params.offset : params.offset + params.limit]]


@router.get(
    "/applications/{application_number}",
    response={200: ApplicationOut, **ERRORS},
    summary="單一檔案應用申請",
)
def get_application(request, application_number: ApplicationNumber):
    return _application(_found(request, application_number))


@router.post(
    "/applications", response={201: ApplicationOut, **ERRORS}, summary="申請應用檔案（機關人員）"
)
def apply(request, payload: ApplicationIn):
    """A staff application by 檔號 (citizens apply on the public page). Refusals: 400
    ``invalid`` naming each bad row (unknown 檔號, copies missing)."""
    agency = Agency.objects.filter(code=payload.agency).first()
    if agency is None:
        raise DomainError.invalid({"agency": ["查無此機關代碼。"]})
    application = services.apply_for_use(
        agency,
        by=request.user,
        name=payload.name,
        purpose=payload.purpose,
        email=payload.email,
        phone=payload.phone,
        wanted=[services.Wanted(w.file_code, w.manner, w.copies) for w in payload.requests],
    )
    return Status(201, _application(application))


@router.post(
    "/applications/{application_number}/decision",
    response={200: ApplicationOut, **ERRORS},
    summary="准駁（管有機關檔案管理人員）",
)
def decide(request, payload: DecideIn, application_number: ApplicationNumber):
    """Every 申請項目 decided at once. Refusals: 403 for anyone but the holding agency's
    archivists; 400 ``wrong_state`` once decided; 400 ``invalid`` when a 不開放 or classified
    record is given, a 限制開放 one is given other than in part, or a refusal has no ground."""
    application = _found(request, application_number)
    decided = services.decide_use(
        application,
        by=request.user,
        decisions=[
            services.Decision(d.request_id, RequestDecision(d.decision), d.ground, d.note)
            for d in payload.decisions
        ],
    )
    return _application(decided)


@router.get(
    "/digitization",
    response={200: list[CompletionOut], **ERRORS},
    summary="永久保存紙本檔案數位化完成率",
)
def digitization(request, as_of: IsoDate | None = None):
    """Per agency as of ``as_of`` (default today; 400 ``invalid`` before 民國元年): passed 件
    against the planned 件; the caller's agency only, the Secretariat's archivists every
    agency."""
    from django.utils import timezone

    day = as_of or timezone.localdate()
    if day < ROC_FIRST_DAY:
        raise DomainError.invalid({"as_of": ["日期須在民國元年（1912年）以後。"]})
    projects = selectors.projects_for(request.user)
    return [
        {
            "agency": c.agency,
            "target": c.target,
            "scanned": c.scanned,
            "pages": c.pages,
            "rate": float(c.rate) if c.rate is not None else None,
        }
        for c in selectors.completion_by_agency(day, projects.values("agency_id"))
    ]
