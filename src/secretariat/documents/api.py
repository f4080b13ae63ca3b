"""Documents API (/api/v1/documents): the documents a person or system account may see, their
signing trail and 驗章 on demand, the inbox, and the online-signing figures. Read through the
same selectors as the pages — the same scope, 「密不錄由」 in lists, a confidential document
a 404 for anyone off its chain. Signing steps stay on the pages: they need the signer's card
PIN at the server's card reader (docs/documents.md). JSON, ISO dates and times."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Path, Query, Router, Schema

from secretariat.core.api import ERRORS, IsoDate
from secretariat.core.errors import DomainError
from secretariat.documents import selectors, services, storage
from secretariat.documents.models import NUMBER_LENGTH, OPEN_STATUSES, Status

router = Router(tags=["documents"])
MAX_LIMIT = 200
STATUSES = "open（未結）、空白（全部）或 " + "、".join(Status.values)
AgencyCode = Path(..., max_length=40, pattern=r"^[-a-z0-9_]+$", description="機關代號（名錄）")
Number = Path(..., max_length=NUMBER_LENGTH, pattern=r"^[0-9]+$", description="文號")


class DocumentFilters(Schema):
    status: str = Field("open", max_length=20, description=f"狀態：{STATUSES}")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)


class DocumentOut(Schema):
    agency: str = Field(description="機關代號")
    number: str = Field(description="文號（民國年 3 碼＋流水號 7 碼）")
    reference: str = Field(description="發文字號")
    doc_type: str
    subject: str = Field(description="主旨；密件為「密不錄由」")
    speed: str
    secrecy: str
    status: str
    signing_mode: str
    received_on: dt.date
    due_on: dt.date | None = None
    is_overdue: bool
    decided_on: dt.date | None = None
    dispatched_on: dt.date | None = None


class DocumentListOut(Schema):
    count: int
    items: list[DocumentOut]


class PointOut(Schema):
    id: int
    step: str
    status: str
    decision: str
    mark: str
    acted_by: str | None = None
    acted_at: dt.datetime | None = None
    opinion: str
    signed: bool
    signer_subject: str = ""
    signing_time: dt.datetime | None = None
    versions: list[dict]


class DocumentDetailOut(DocumentOut):
    sender_name: str
    sender_number: str
    officer: str | None = None
    decision_note: str
    points: list[PointOut]


class VerificationOut(Schema):
    checked: int
    broken: int
    problems: list[dict] = Field(description="異常：簽核點、代碼、說明")


class InboxOut(Schema):
    agency: str
    number: str
    reference: str
    subject: str
    step: str
    due_on: dt.date | None = None


class SigningFiguresOut(Schema):
    total: int = Field(description="期間內決行的公文")
    online: int = Field(description="其中線上簽核")
    online_rate: Decimal | None
    paper_received: int = Field(description="其中紙本來文")
    paper_received_online: int = Field(description="紙本來文採線上簽核")
    paper_received_rate: Decimal | None


def _out(document, today: dt.date, subject: str | None = None) -> dict:
    return {
        "agency": document.agency.code,
        "number": document.number,
        "reference": document.reference,
        "doc_type": document.doc_type,
        "subject": document.listed_subject if subject is None else subject,
        "speed": document.speed,
        "secrecy": document.secrecy,
        "status": document.status,
        "signing_mode": document.signing_mode,
        "received_on": document.received_on,
        "due_on": document.due_on,
        "is_overdue": document.is_overdue_on(today),
        "decided_on": document.decided_on,
        "dispatched_on": document.dispatched_on,
    }


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


@router.get("", response={200: DocumentListOut, **ERRORS}, summary="公文清單（依權限）")
def list_documents(request, filters: Query[DocumentFilters]):
    if filters.status not in ("open", "", *Status.values):
        raise DomainError.invalid({"status": [f"狀態須為 {STATUSES}。"]})
    rows = selectors.visible_documents(request.user).select_related("agency")
    if filters.status == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        rows = rows.filter(status=filters.status)
    rows = rows.order_by("-received_on", "-pk")
    today = _today()
    page = rows[filters.offset : filters.offset + filters.limit]
    return {"count": rows.count(), "items": [_out(d, today) for d in page]}


@router.get("/inbox", response={200: list[InboxOut], **ERRORS}, summary="我的待辦公文")
def inbox(request):
    return [
        {
            "agency": point.document.agency.code,
            "number": point.document.number,
            "reference": point.document.reference,
            "subject": point.document.listed_subject,
            "step": point.step,
            "due_on": point.document.due_on,
        }
        for point in selectors.inbox_for(request.user)[:MAX_LIMIT]
    ]


@router.get(
    "/statistics/signing",
    response={200: SigningFiguresOut, **ERRORS},
    summary="線上簽核統計（期間內決行的公文，含匯入的歷史統計）",
)
def signing_statistics(request, start: IsoDate, end: IsoDate):
    if end < start:
        raise DomainError.invalid({"end": ["迄日不可早於起日。"]})
    figures = selectors.signing_figures(start, end)
    return {
        "total": figures.total,
        "online": figures.online,
        "online_rate": figures.online_rate,
        "paper_received": figures.paper_received,
        "paper_received_online": figures.paper_received_online,
        "paper_received_rate": figures.paper_received_rate,
    }


def _points(document) -> list[dict]:
    return [
        {
            "id": p.pk,
            "step": p.step,
            "status": p.status,
            "decision": p.decision,
            "mark": p.mark,
            "acted_by": str(p.acted_by) if p.acted_by else None,
            "acted_at": p.acted_at,
            "opinion": storage.opinion_of(document, p),
            "signed": p.signed,
            "signer_subject": p.certificate.subject if p.certificate else "",
            "signing_time": p.signing_time,
            "versions": [
                {"role": role, "number": number, "sha256": digest}
                for _, role, number, digest in p.versions
            ],
        }
        for p in selectors.trail_of(document)
    ]


@router.get(
    "/{agency_code}/{document_number}",
    response={200: DocumentDetailOut, **ERRORS},
    summary="單一公文與簽核軌跡",
)
def get_document(request, agency_code: str = AgencyCode, document_number: str = Number):
    document = selectors.document_for(request.user, agency_code, document_number)
    opened = services.open_document(document, by=request.user)
    data = _out(document, _today(), opened.subject)
    data.update(
        {
            "sender_name": document.sender_name,
            "sender_number": document.sender_number,
            "officer": str(document.officer) if document.officer else None,
            "decision_note": document.decision_note,
            "points": _points(document),
        }
    )
    return data


@router.post(
    "/{agency_code}/{document_number}/verify",
    response={200: VerificationOut, **ERRORS},
    summary="驗證公文的所有數位簽章",
)
def verify(request, agency_code: str = AgencyCode, document_number: str = Number):
    document = selectors.document_for(request.user, agency_code, document_number)
    run = services.verify_document(document, by=request.user)
    return {
        "checked": run.checked,
        "broken": run.broken,
        "problems": [
            {"point": p.point_id, "code": p.code, "problem": p.problem} for p in run.problems.all()
        ],
    }
