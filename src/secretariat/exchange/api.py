"""Exchange API (/api/v1/exchange): a dispatched document's package (zip) and exchange log, and
importing an external package as a 收文 (收發 system accounts). Read through the same
selectors as the pages; every refusal is a documented error."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Literal

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Path, Router, Schema

from secretariat.core.api import ERRORS, InputSchema
from secretariat.core.errors import DomainError
from secretariat.core.text import api_text
from secretariat.documents import selectors as documents
from secretariat.exchange import selectors, services

router = Router(tags=["exchange"])
AgencyCode = Path(..., max_length=40, pattern=r"^[-a-z0-9_]+$", description="機關代號（名錄）")
Number = Path(..., max_length=10, pattern=r"^[0-9]+$", description="文號")
ZIP = {
    "200": {
        "description": "交換封包（zip：DI、SW 與附件）",
        "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
    }
}


class EventOut(Schema):
    kind: str = Field(
        description="sent 發送、delivered 送達、received 收文、signed 簽收、refused 退文"
    )
    at: dt.datetime
    by: str | None = None
    note: str


class ExchangeOut(Schema):
    id: str = Field(description="交換紀錄識別碼")
    route: str = Field(description="platform 平台內、gateway 交換閘道、upload 上傳")
    state: str = Field(description="sent 已送出、delivered 已送達、signed 已簽收、refused 退文")
    sender_name: str
    sender_code: str
    sender_number: str
    recipient_name: str
    recipient_code: str
    reason: str = Field(description="退文理由")
    received_number: str | None = Field(None, description="受文機關的收文文號")
    events: list[EventOut]


class PackageIn(InputSchema):
    name: api_text("封包檔名", max_length=140) = Field("", description="檔名（選填）")
    content_base64: str = Field(
        min_length=1,
        max_length=settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        description="交換封包 zip 的內容（Base64）；整個請求以 DATA_UPLOAD_MAX_MEMORY_SIZE 為限",
    )
    signing_mode: Literal["online", "paper"] = Field(
        "paper", description="收文的簽核方式：online 線上簽核（須 PIN）、paper 紙本簽核"
    )
    pin: str = Field("", max_length=64, pattern=r"^[0-9A-Za-z]*$", description="憑證卡 PIN 碼")


def _out(exchange) -> dict:
    return {
        "id": str(exchange.uid),
        "route": exchange.route,
        "state": exchange.state,
        "sender_name": exchange.sender_name,
        "sender_code": exchange.sender_code,
        "sender_number": exchange.sender_number,
        "recipient_name": exchange.recipient_name,
        "recipient_code": exchange.recipient_code,
        "reason": exchange.reason,
        "received_number": exchange.received_document.number
        if exchange.received_document_id
        else None,
        "events": [
            {
                "kind": e.kind,
                "at": e.at,
                "by": str(e.by) if e.by else None,
                "note": e.note,
            }
            for e in exchange.events.all()
        ],
    }


@router.get(
    "/documents/{agency_code}/{document_number}/package",
    response=ERRORS,
    openapi_extra={"responses": ZIP},
    summary="已發文公文的交換封包（DI／SW zip）",
)
def export_package(request, agency_code: str = AgencyCode, document_number: str = Number):
    document = documents.document_for(request.user, agency_code, document_number)
    name, data = services.export_package(document, by=request.user)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@router.get(
    "/documents/{agency_code}/{document_number}/log",
    response={200: list[ExchangeOut], **ERRORS},
    summary="公文的交換紀錄（各受文者的送達、簽收、退文）",
)
def document_log(request, agency_code: str = AgencyCode, document_number: str = Number):
    document = documents.document_for(request.user, agency_code, document_number)
    return [_out(e) for e in selectors.document_log(request.user, document)]


@router.post(
    "/packages",
    response={201: ExchangeOut, **ERRORS},
    summary="匯入外部機關的交換封包並收文（收發）",
)
def import_package(request, payload: PackageIn):
    try:
        data = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        message = "交換封包不是有效的 Base64 內容。"
        raise DomainError("invalid", message, {"content_base64": [message]}) from None
    exchange = services.import_package(
        data,
        by=request.user,
        name=payload.name,
        signing_mode=payload.signing_mode,
        pin=payload.pin or None,
    )
    return 201, _out(exchange)
