"""Petition API for other systems (/api/v1/petitions): a system account registers a petition
received elsewhere and reads the status of petitions its agency may see. JSON, ISO dates."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from ninja import Field, Path, Router, Schema, Status

from secretariat.cases import selectors as case_selectors
from secretariat.cases.selectors import Channel
from secretariat.core.api import ERRORS, InputSchema, IsoDate, sent_file
from secretariat.core.errors import DomainError, NotFound
from secretariat.core.text import api_text
from secretariat.petitions import selectors, services
from secretariat.petitions.catalogue import DEFAULT_CATEGORY
from secretariat.petitions.models import Petition

router = Router(tags=["petitions"])


def _bound(model, field: str) -> int:
    return model._meta.get_field(field).max_length


LIMITS = case_selectors.FIELD_LIMITS
NameText = api_text("姓名", max_length=LIMITS["name"])
EmailText = api_text("電子郵件", max_length=LIMITS["email"])
PhoneText = api_text("電話", max_length=LIMITS["phone"])
AddressText = api_text("地址", max_length=LIMITS["address"])
SubjectText = api_text("主旨", max_length=LIMITS["subject"])
BodyText = api_text("陳情內容", max_length=LIMITS["body"], multiline=True)
CategoryText = api_text("陳情類別", max_length=_bound(Petition, "category"))
PlaceText = api_text("問題發生地點", max_length=_bound(Petition, "address_string"))
FileNameText = api_text("檔名", max_length=LIMITS["attachment_name"])


# Input objects refuse unknown fields and a value of the wrong type (InputSchema); their texts
# refuse control characters and are bounded by the stored fields (api_text).
class RequesterIn(InputSchema):
    name: NameText = Field("", description="姓名；未提供任何陳情人資料時視為匿名陳情")
    email: EmailText = ""
    phone: PhoneText = ""
    address: AddressText = ""


class AttachmentIn(InputSchema):
    name: FileNameText = Field(
        min_length=1,
        description="檔名：副檔名須與內容相符（pdf、jpg、png、odt、ods、docx、xlsx、csv、txt）",
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
    subject: SubjectText = Field(description="主旨")
    body: BodyText = Field(description=f"陳情內容（最長 {LIMITS['body']:,} 字）")
    category: CategoryText = Field(
        DEFAULT_CATEGORY, description="陳情類別代碼（同 Open311 service_code）"
    )
    received_on: IsoDate | None = Field(None, description="收件日期，預設今天")
    requester: RequesterIn | None = None
    address_string: PlaceText = Field("", description="問題發生地點")
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
    merged_into: str | None = Field(
        None, description="併案：本案併入的案件編號（該案的回復即為本案的回復）"
    )


def _uploads(attachments: list[AttachmentIn]) -> list[SimpleUploadedFile]:
    uploads, problems = [], []
    for item in attachments:
        try:
            uploads.append(sent_file(item.name, item.content_base64, field="attachments"))
        except DomainError as error:
            problems.extend(error.fields["attachments"])
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
    request, number: str = Path(..., max_length=LIMITS["number"], description="案件編號")
):
    number = services.normalize_number(number)
    if not selectors.could_be_number(number):
        raise NotFound()
    case = case_selectors.case_for(request.user, number)
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
        "merged_into": view.merged_into,
    }
