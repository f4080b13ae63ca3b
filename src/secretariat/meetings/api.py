"""府級會議 API (/api/v1/meetings): the meetings the caller may see with their agenda, an
agency's proposal, electronic sign-in, and the directives tracked by 研考會 — read and written
through the same selectors and services as the pages. JSON, ISO dates and times."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from secretariat.core.api import ERRORS, ID_MAX, InputSchema, IsoDate, object_id
from secretariat.core.errors import DomainError
from secretariat.core.text import api_text
from secretariat.meetings import selectors, services
from secretariat.meetings.models import AgendaItem, ItemKind

router = Router(tags=["meetings"])
MAX_LIMIT = 200

TitleText = api_text("案由", max_length=AgendaItem._meta.get_field("title").max_length)
SummaryText = api_text(
    "說明", max_length=AgendaItem._meta.get_field("summary").max_length, multiline=True
)
SpeakerText = api_text("報告人", max_length=AgendaItem._meta.get_field("speaker").max_length)


class MeetingFilters(Schema):
    series: str = Field("", max_length=40, description="會議系列代號，空白為全部")
    start: IsoDate | None = Field(None, description="會議日期起（含）")
    end: IsoDate | None = Field(None, description="會議日期迄（含）")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=ID_MAX)


class ItemOut(Schema):
    id: int
    kind: str = Field(
        description="report（報告案）、discussion（討論案）、lecture（專題演講）、motion（臨時動議）"
    )
    kind_label: str
    title: str
    agency: str = Field(description="提案（報告）機關代碼")
    speaker: str
    status: str = Field(description="proposed（待審）、accepted（排入議程）、returned（退回）")
    order: int
    attachments: list[str]


class MeetingOut(Schema):
    id: int
    series: str
    series_name: str
    title: str
    held_on: dt.date
    starts_at: dt.time
    ends_at: dt.time
    place: str
    district: str
    status: str
    status_label: str
    submission_deadline: dt.datetime | None


class MeetingDetailOut(MeetingOut):
    items: list[ItemOut] = Field(description="呼叫者可見的議案：議程（通知後）及本機關的提案")


class MeetingListOut(Schema):
    count: int
    items: list[MeetingOut]


class ProposalIn(InputSchema):
    kind: str = Field(description="report（報告案）或 discussion（討論案）", max_length=12)
    title: TitleText = Field(description="案由")
    summary: SummaryText = Field("", description="說明")
    speaker: SpeakerText = Field("", description="報告人")


class SignInOut(Schema):
    meeting: int
    kind: str = Field(description="present（親自出席）、observer（列席）")
    signed_at: dt.datetime


class DirectiveOut(Schema):
    number: str
    subject: str
    meeting: str
    held_on: dt.date
    kind: str = Field(description="directive（裁示）或 resolution（決議）")
    status: str
    lead_agency: str | None
    next_due: dt.date | None = Field(description="下次進度報告期限")
    is_overdue: bool


def _meeting(meeting) -> dict:
    return {
        "id": meeting.pk,
        "series": meeting.series.code,
        "series_name": meeting.series.name,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "district": meeting.district,
        "status": meeting.status,
        "status_label": meeting.get_status_display(),
        "submission_deadline": meeting.submission_deadline,
    }


def _item(item) -> dict:
    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "title": item.title,
        "agency": item.agency.code,
        "speaker": item.speaker,
        "status": item.status,
        "order": item.order,
        "attachments": [a.original_name for a in item.attachments.all()],
    }


@router.get("", response={200: MeetingListOut, **ERRORS}, summary="會議清單（依權限）")
def list_meetings(request, filters: Query[MeetingFilters]):
    """Meetings the caller may open (see docs/meetings.md), newest first."""
    rows = selectors.meetings_for(request.user)
    if filters.series:
        rows = rows.filter(series__code=filters.series)
    if filters.start:
        rows = rows.filter(held_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(held_on__lte=filters.end)
    page = rows[filters.offset : filters.offset + filters.limit]
    return {"count": rows.count(), "items": [_meeting(m) for m in page]}


@router.get(
    "/directives", response={200: list[DirectiveOut], **ERRORS}, summary="裁示事項列管（依權限）"
)
def list_directives(
    request,
    status: str = Query(
        "open", max_length=10, description="open（列管中）、released（已解除列管）或空白（全部）"
    ),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
):
    if status not in ("open", "released", ""):
        raise DomainError.invalid({"status": ["狀態須為 open、released 或空白。"]})
    rows = selectors.tracking_list(request.user, timezone.now(), status=status)[:limit]
    return [
        {
            "number": case.number,
            "subject": case.subject,
            "meeting": directive.meeting.title if directive else "",
            "held_on": directive.meeting.held_on if directive else case.received_on,
            "kind": directive.kind if directive else "directive",
            "status": case.status,
            "lead_agency": case.lead_agency,
            "next_due": case.next_due,
            "is_overdue": case.is_overdue,
        }
        for case, directive in rows
    ]


@router.get("/{meeting_id}", response={200: MeetingDetailOut, **ERRORS}, summary="單一會議與議程")
def get_meeting(request, meeting_id: int = object_id("會議識別碼")):
    meeting = selectors.meeting_for(request.user, meeting_id)
    data = _meeting(meeting)
    data["items"] = [_item(i) for i in selectors.items_for(request.user, meeting)]
    return data


@router.post(
    "/{meeting_id}/items", response={201: ItemOut, **ERRORS}, summary="提案（報告案或討論案）"
)
def propose(request, payload: ProposalIn, meeting_id: int = object_id("會議識別碼")):
    """An agency's proposal for its own agency, before the meeting's deadline (after it: 400
    ``after_deadline``; once the agenda is approved: 400 ``agenda_closed``). Files are added
    on the meeting's page."""
    meeting = selectors.meeting_for(request.user, meeting_id)
    if payload.kind not in ItemKind.values:
        raise DomainError.invalid({"kind": ["議案類別須為 report 或 discussion。"]})
    if request.user.agency is None:
        raise DomainError.invalid({"agency": ["帳號沒有所屬機關，不能提案。"]})
    item = services.propose_item(
        meeting,
        kind=payload.kind,
        title=payload.title,
        summary=payload.summary,
        speaker=payload.speaker,
        agency=request.user.agency,
        by=request.user,
    )
    return Status(201, _item(item))


@router.post("/{meeting_id}/sign-in", response={201: SignInOut, **ERRORS}, summary="電子簽到")
def sign_in(request, meeting_id: int = object_id("會議識別碼")):
    """The caller signs in on the meeting day: a member in person, or a presenting agency's
    person as an observer (列席). Refusals: 400 ``sign_in_closed`` (no notice out, or the
    minutes begun), ``not_meeting_day``, ``signed_in``; 403 for anyone else."""
    meeting = selectors.meeting_for(request.user, meeting_id)
    row = services.sign_in(meeting, by=request.user)
    return Status(201, {"meeting": meeting.pk, "kind": row.kind, "signed_at": row.signed_at})
