"""Search API (/api/v1/search): the search page's query and filters for other systems and
scripts, with the caller's agency scope. JSON, ISO dates; snippets are HTML with <mark>."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema

from secretariat.core import selectors as core_selectors
from secretariat.core.api import AGENCY_CODE_MAX, ERRORS, IsoDate
from secretariat.core.errors import DomainError
from secretariat.core.text import api_text
from secretariat.search import selectors
from secretariat.search.selectors import COUNT_LIMIT, ORDERS, PER_PAGE, Filters
from secretariat.search.text import MAX_QUERY_LENGTH

router = Router(tags=["search"])

# A kind or status code, and how many of them one query may name.
CODE_MAX, CODES_MAX = 30, 20
QueryText = api_text("搜尋字詞", max_length=MAX_QUERY_LENGTH)
CodeText = api_text("代碼", max_length=CODE_MAX)
AgencyText = api_text("機關代碼", max_length=AGENCY_CODE_MAX)


class SearchIn(Schema):
    q: QueryText = Field(description="搜尋字詞：空格分隔者須同時出現，半形引號括住者為一整句")
    kind: list[CodeText] = Field(
        [], max_length=CODES_MAX, description="類別代碼（可重複），如 petition、council_question"
    )
    status: list[CodeText] = Field([], max_length=CODES_MAX, description="狀態代碼（可重複）")
    agency: AgencyText = Field("", description="主辦機關代碼")
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    order: Literal[tuple(ORDERS)] = Field("newest", description=f"排序：{'、'.join(ORDERS)}")
    page: int = Field(
        1,
        ge=1,
        le=COUNT_LIMIT // PER_PAGE,
        description=f"頁次（每頁 {PER_PAGE} 筆，最多前 {COUNT_LIMIT} 筆）",
    )


class HitOut(Schema):
    source: str
    id: int
    kind: str
    kind_label: str
    title: str
    url: str
    date: dt.date
    status: str
    status_label: str
    agency: str | None = Field(None, description="主辦機關代碼")
    snippet: str = Field(description="內容摘錄（HTML，字詞以 <mark> 標示）")


class ResultsOut(Schema):
    total: int = Field(description=f"符合筆數（最多計 {COUNT_LIMIT}）")
    capped: bool = Field(description=f"為真時符合筆數達 {COUNT_LIMIT} 筆以上")
    page: int
    pages: int
    hits: list[HitOut]


@router.get("", response={200: ResultsOut, **ERRORS}, summary="全文檢索")
def search(request, params: Query[SearchIn]):
    agency_id = None
    if params.agency:
        agency = core_selectors.agencies().filter(code=params.agency).first()
        if agency is None:
            raise DomainError(
                "invalid_filter",
                f"未知的機關代碼：{params.agency}",
                {"agency": ["未知的機關代碼。"]},
            )
        agency_id = agency.pk
    filters = Filters(
        kinds=tuple(params.kind),
        statuses=tuple(params.status),
        agency_id=agency_id,
        date_from=params.date_from,
        date_to=params.date_to,
        order=params.order,
    )
    results = selectors.search(request.user, params.q, filters, params.page)
    return {
        "total": results.total,
        "capped": results.capped,
        "page": results.page.number,
        "pages": results.page.paginator.num_pages,
        "hits": [
            {
                "source": hit.document.source,
                "id": hit.document.object_id,
                "kind": hit.document.kind,
                "kind_label": hit.kind_label,
                "title": hit.document.title,
                "url": hit.document.url,
                "date": hit.document.date,
                "status": hit.document.status,
                "status_label": hit.status_label,
                "agency": hit.document.agency.code if hit.document.agency else None,
                "snippet": hit.snippet_html,
            }
            for hit in results.hits
        ],
    }
