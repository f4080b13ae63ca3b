"""Documents API (/api/v1/documents): the documents a person or system account may see, their
signing trail and 驗章 on demand, the inbox, and the online-signing figures. Read through the
same selectors as the pages — the same scope, 「密不錄由」 in lists, a confidential document
a 404 for anyone off its chain. Signing steps stay on the pages: they need the signer's card
PIN at the server's card reader (docs/documents.md). The assistance is here too: the OCR
reading of a scanned letter for a 收文 form, and the 分文 and 檔案編目 suggestions the
document's page shows. JSON, ISO dates and times."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from ninja import Field, Path, Query, Router, Schema

from secretariat.core.api import ERRORS, InputSchema, IsoDate, sent_file
from secretariat.core.errors import DomainError
from secretariat.core.text import api_text
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


class ScanIn(InputSchema):
    name: api_text("檔名", max_length=200) = Field(
        min_length=1, description="檔名：pdf、jpg 或 png，副檔名須與內容相符"
    )
    content_base64: str = Field(
        max_length=settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        description="掃描檔內容（Base64）；整個請求以 2.5 MB 為限",
    )


class ReadFieldOut(Schema):
    field: str = Field(
        description="收文欄位：sender_name 來文機關、sender_number 發文字號、sender_date "
        "發文日期（ISO）、speed 速別、secrecy 密等、subject 主旨、declassify 解密條件"
    )
    value: str = Field(description="讀到的值，格式同收文欄位（速別、密等為代碼）")
    confidence: float = Field(description="信心（0–1）")
    source: str = Field(description="讀取的來源文字")


class ScanReadingOut(Schema):
    fields: list[ReadFieldOut] = Field(description="讀到的欄位；沒有讀到的不列")
    sender_code: str = Field(description="比對到的來文機關代碼；空白表示未比對到")
    lines: int = Field(description="辨識出的文字行數")
    seconds: float = Field(description="辨識所花秒數")


class SuggestionOut(Schema):
    label: str = Field(description="建議的單位")
    confidence: float = Field(description="信心（0–1，已校準）")
    grounds: list[str] = Field(description="依據：與本件相近的過去公文")


class UnitSuggestionOut(Schema):
    ranked: list[SuggestionOut]
    trained_on: int = Field(description="學習的分文紀錄件數")
    heldout_top1: float | None = Field(description="保留驗證的首位正確率")
    threshold: float | None = Field(description="預選門檻；首位信心達此值時預選")
    preselected: str | None = Field(description="預選的單位")


class ProposalOut(Schema):
    value: str
    confidence: float | None = Field(description="信心（0–1）；不是機率時為空")
    derived_from: str = Field(description="建議的依據")


class FilingProposalOut(Schema):
    classification: ProposalOut | None = Field(description="分類號（檔號）")
    retention: ProposalOut | None = Field(description="保存年限")
    subjects: ProposalOut | None = Field(description="主題項")
    summary: ProposalOut | None = Field(description="案情摘要（摘錄）")
    notes: list[str] = Field(description="說明，例如歷史紀錄不足以學習分類號")


class AssistanceOut(Schema):
    unit_suggestion: UnitSuggestionOut | None = Field(
        description="分文建議：僅給持有本件分文的人；密件或歷史不足時為空"
    )
    filing_proposal: FilingProposalOut | None = Field(
        description="檔案編目建議：僅給此刻可歸檔本件的人；密件時為空"
    )


def _unit_suggestion(learned) -> dict | None:
    if learned is None:
        return None
    return {
        "ranked": [
            {"label": s.label, "confidence": s.confidence, "grounds": list(s.grounds)}
            for s in learned.ranked
        ],
        "trained_on": learned.trained_on,
        "heldout_top1": learned.heldout_top1,
        "threshold": learned.threshold,
        "preselected": learned.preselected.label if learned.preselected else None,
    }


def _filing_proposal(proposal) -> dict | None:
    if proposal is None:
        return None
    parts = ("classification", "retention", "subjects", "summary")
    return {
        **{
            part: None
            if (found := getattr(proposal, part)) is None
            else {
                "value": found.value,
                "confidence": found.confidence,
                "derived_from": found.derived_from,
            }
            for part in parts
        },
        "notes": list(proposal.notes),
    }


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


@router.post(
    "/scan-reading",
    response={200: ScanReadingOut, **ERRORS},
    summary="文件登錄：辨識紙本來文掃描檔，預填收文欄位（收發）",
)
def read_scan(request, payload: ScanIn):
    """OCR of a scanned paper letter (PDF, JPEG or PNG): the 收文 fields it found, each with
    its confidence and the text it was read from. Nothing is saved; the clerk confirms the
    fields and 收文 with the scan. 400 when the file or its content is not accepted, or the
    server has no OCR; 403 for anyone but the agency's 收發."""
    services.require_clerk(request.user)  # before the body is read: 403 whatever it holds
    upload = sent_file(payload.name, payload.content_base64, field="scan", what="掃描檔")
    reading = services.read_scan(upload, by=request.user, keep=False).reading
    return {
        "fields": [
            {"field": name, "value": f.value, "confidence": f.confidence, "source": f.source}
            for name, f in reading.fields.items()
        ],
        "sender_code": reading.sender_code,
        "lines": reading.lines,
        "seconds": round(reading.seconds, 3),
    }


@router.get(
    "/{agency_code}/{document_number}/assistance",
    response={200: AssistanceOut, **ERRORS},
    summary="分文建議與檔案編目建議（依本人此刻持有的步驟）",
)
def assistance(request, agency_code: str = AgencyCode, document_number: str = Number):
    document = selectors.document_for(request.user, agency_code, document_number)
    helped = selectors.assistance_for(request.user, document)
    return {
        "unit_suggestion": _unit_suggestion(helped.unit_suggestion),
        "filing_proposal": _filing_proposal(helped.filing_proposal),
    }


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
