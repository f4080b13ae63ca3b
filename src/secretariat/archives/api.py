"""檔案管理 API (/api/v1/archives): catalogue search by 檔號 prefix and 案名 words, the 屆期
list, and the 目錄彙送 export — through the same selectors as the pages. JSON, ISO dates."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema

from secretariat.archives import permissions, selectors
from secretariat.archives.models import Access, Retention
from secretariat.core.api import ERRORS
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.roc import Period
from secretariat.core.text import api_text

router = Router(tags=["archives"])
MAX_LIMIT = 200

CodePrefix = api_text("檔號", max_length=60)
Words = api_text("案名關鍵字", max_length=100)


class SearchIn(Schema):
    code_prefix: CodePrefix = Field("", description="檔號開頭，例 115-0101")
    words: Words = Field("", description="案名關鍵字，以空白分隔（須全部符合，至多5個）")
    level: Literal["item", "folder"] = Field("item", description="item（件）或 folder（案卷）")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=1_000_000)


class RecordOut(Schema):
    id: int
    agency: str = Field(description="機關代碼")
    file_code: str = Field(description="檔號")
    title: str = Field(description="案名")
    retention: str = Field(description="保存年限：永久或 N年")
    access: str = Field(description="應用限制")
    status: str = Field(description="active、listed、destroyed、transferred")
    expires_on: dt.date | None = Field(description="保存期限屆滿日（永久為 null）")


class SearchOut(Schema):
    count: int
    items: list[RecordOut]


class ExportIn(Schema):
    year: int = Field(ge=1, le=300, description="民國年度")
    half: int = Field(ge=1, le=2, description="1 上半年、2 下半年")


class ExportItemOut(Schema):
    file_code: str
    item_no: int | None
    title: str
    correspondent: str
    doc_number: str
    produced_on: dt.date | None
    retention: str
    access: str


class ExportFolderOut(Schema):
    file_code: str
    title: str
    started_on: dt.date | None
    ended_on: dt.date | None
    retention: str
    access: str
    media: str
    quantity: int
    topics: str
    items: list[ExportItemOut]


class ExportOut(Schema):
    agency: str
    start: dt.date
    end: dt.date
    folders: list[ExportFolderOut]


def _record(record) -> dict:
    return {
        "id": record.pk,
        "agency": record.agency.code,
        "file_code": record.file_code,
        "title": record.title,
        "retention": Retention(record.retention).label,
        "access": Access(record.access).label,
        "status": record.status,
        "expires_on": record.expires_on,
    }


@router.get("/catalogue", response={200: SearchOut, **ERRORS}, summary="檔案目錄查詢")
def search_catalogue(request, params: Query[SearchIn]):
    """件 or 案卷 the caller may see (their agency's; classified ones only to its archivists),
    by 檔號 prefix and 案名 words, in 檔號 order."""
    find = selectors.search_folders if params.level == "folder" else selectors.search_items
    rows = find(request.user, code_prefix=params.code_prefix, words=params.words)
    page = list(rows[params.offset : params.offset + params.limit])
    return {"count": rows.count(), "items": [_record(r) for r in page]}


@router.get(
    "/export", response={200: ExportOut, **ERRORS}, summary="目錄彙送（半年新增及異動案卷）"
)
def export_catalogue(request, params: Query[ExportIn]):
    """The caller's agency's 案卷 created or changed in the half-year with their 件, classified
    ones excluded (the XML and CSV files are on the page). Archivists only."""
    user = request.user
    if not permissions.is_archivist(user) or user.agency_id is None:
        raise PermissionDenied("只有機關檔案管理人員可以匯出目錄彙送。")
    try:
        period = Period.half(params.year, params.half)
    except ValueError as error:
        raise DomainError("invalid", str(error)) from error
    folders = selectors.export_folders(user.agency_id, period.start, period.end).prefetch_related(
        "items"
    )
    return {
        "agency": user.agency.code,
        "start": period.start,
        "end": period.end,
        "folders": [
            {
                "file_code": f.file_code,
                "title": f.title,
                "started_on": f.started_on,
                "ended_on": f.ended_on,
                "retention": Retention(f.retention).label,
                "access": Access(f.access).label,
                "media": f.media,
                "quantity": f.quantity,
                "topics": f.topics,
                "items": [
                    {
                        "file_code": i.file_code,
                        "item_no": i.item_no,
                        "title": i.title,
                        "correspondent": i.correspondent,
                        "doc_number": i.doc_number,
                        "produced_on": i.produced_on,
                        "retention": Retention(i.retention).label,
                        "access": Access(i.access).label,
                    }
                    for i in selectors.exported_items(f)
                ],
            }
            for f in folders[:5000]
        ],
    }
