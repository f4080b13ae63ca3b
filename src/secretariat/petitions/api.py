"""Petition API for other systems (/api/v1/petitions): a system account registers a petition
received elsewhere and reads the status of petitions its agency may see. JSON, ISO dates."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import mimetypes
import posixpath

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from ninja import Field, Path, Router, Schema, Status

from secretariat.cases import selectors as case_selectors
from secretariat.cases.models import Case, CaseAttachment, Channel, Requester
from secretariat.core.api import ERRORS, InputSchema, IsoDate
from secretariat.core.errors import DomainError, NotFound
from secretariat.petitions import selectors, services
from secretariat.petitions.catalogue import DEFAULT_CATEGORY
from secretariat.petitions.models import Petition

router = Router(tags=["petitions"])

# A petition's text: longer than any letter the Secretariat has received, short enough that
# one request cannot tie up a worker.
BODY_MAX = 20_000


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class RequesterIn(InputSchema):
    name: str = Field(
        "",
        max_length=_max(Requester, "name"),
        description="姓名；未提供任何陳情人資料時視為匿名陳情",
    )
    email: str = Field("", max_length=_max(Requester, "email"))
    phone: str = Field("", max_length=_max(Requester, "phone"))
    address: str = Field("", max_length=_max(Requester, "address"))


class AttachmentIn(InputSchema):
    name: str = Field(
        min_length=1,
        max_length=_max(CaseAttachment, "original_name"),
        description="檔名，副檔名決定檔案類型（pdf、jpg、png、odt、docx、txt）",
    )
    content_base64: str = Field(
        # Base64 takes 4 characters for every 3 bytes; and the whole request body is capped by
        # DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) before any of this is read.
        max_length=min(
            -(-settings.CASE_ATTACHMENT_MAX_BYTES // 3) * 4, settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        ),
        description="檔案內容（Base64）；整個請求以 2.5 MB 為限",
    )


class PetitionIn(InputSchema):
    subject: str = Field(max_length=_max(Case, "subject"), description="主旨")
    body: str = Field(max_length=BODY_MAX, description="陳情內容")
    category: str = Field(
        DEFAULT_CATEGORY,
        max_length=_max(Petition, "category"),
        description="陳情類別代碼（同 Open311 service_code）",
    )
    received_on: IsoDate | None = Field(None, description="收件日期，預設今天")
    requester: RequesterIn | None = None
    address_string: str = Field(
        "", max_length=_max(Petition, "address_string"), description="問題發生地點"
    )
    lat: float | None = Field(None, ge=-90, le=90)
    long: float | None = Field(None, ge=-180, le=180)
    attachments: list[AttachmentIn] = Field([], max_length=services.MAX_ATTACHMENTS)


class PetitionCreatedOut(Schema):
    number: str = Field(description="案件編號")
    password: str = Field(description="查詢密碼（只在此回應出現一次，請轉交陳情人）")
    status: str
    status_label: str
    received_on: dt.date
    status_url: str = Field(description="陳情人以案件編號及密碼查詢的網頁")


class ReplyOut(Schema):
    agency: str
    role: str
    text: str
    replied_on: dt.date


class PetitionOut(Schema):
    number: str
    subject: str
    status: str
    status_label: str
    received_on: dt.date
    agencies: list[str] = Field(description="受分辦機關（主辦在前）")
    replies: list[ReplyOut] = Field(description="各機關回復；全部機關回復後才列出")


def _file_name(name: str) -> str:
    """The name without any folder part, as a browser sends it ('' when nothing is left)."""
    base = posixpath.basename(name.replace("\\", "/")).strip()
    return "" if base in {".", ".."} else base


def _uploads(attachments: list[AttachmentIn]) -> list[SimpleUploadedFile]:
    uploads, problems = [], []
    for item in attachments:
        name = _file_name(item.name)
        if not name:
            problems.append(f"附件檔名「{item.name}」無效，請提供含副檔名的檔名。")
            continue
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            problems.append(f"附件「{name}」不是有效的 Base64 內容。")
            continue
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        uploads.append(SimpleUploadedFile(name, content, content_type=content_type))
    if problems:
        raise DomainError("invalid", "資料有誤：" + "；".join(problems), {"attachments": problems})
    return uploads


@router.post("", response={201: PetitionCreatedOut, **ERRORS}, summary="登錄陳情（系統介接帳號）")
def create_petition(request, payload: PetitionIn):
    receipt = services.submit_petition(
        channel=Channel.API,
        subject=payload.subject,
        body=payload.body,
        category=payload.category,
        received_on=payload.received_on,
        requester=payload.requester.model_dump() if payload.requester else None,
        address_string=payload.address_string,
        lat=payload.lat,
        long=payload.long,
        attachments=_uploads(payload.attachments),
        by=request.user,
        status_page_url=request.build_absolute_uri(services.status_url()),
    )
    case = receipt.petition.case
    return Status(
        201,
        {
            "number": case.number,
            "password": receipt.password,
            "status": case.status,
            "status_label": case.get_status_display(),
            "received_on": case.received_on,
            "status_url": request.build_absolute_uri(services.status_url()),
        },
    )


@router.get("/{number}", response={200: PetitionOut, **ERRORS}, summary="陳情辦理情形")
def get_petition(
    request, number: str = Path(..., max_length=_max(Case, "number"), description="案件編號")
):
    case = case_selectors.case_for(request.user, services.normalize_number(number))
    petition = selectors.petition_by_number(case.number)
    if petition is None:
        raise NotFound()
    view = selectors.public_status(petition)
    return {
        "number": view.number,
        "subject": view.subject,
        "status": view.status,
        "status_label": view.status_label,
        "received_on": view.received_on,
        "agencies": view.agencies,
        "replies": [
            {
                "agency": r.agency_name,
                "role": r.role_label,
                "text": r.text,
                "replied_on": r.replied_on,
            }
            for r in view.replies
        ],
    }
