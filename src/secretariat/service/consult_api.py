"""/api/v1/service (on the app's router): the professional consultations' open sessions and figures, and the
volunteers — names for the desk, personal data for the desk supervisor only (the selectors
decide; a field the caller may not see is null). JSON, ISO dates."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Schema

from secretariat.core.api import ERRORS, IsoDate
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.service import selectors
from secretariat.service.api import router
from secretariat.service.permissions import is_desk_staff

# The longest span a figures request may ask for: ten years.
SPAN_MAX = dt.timedelta(days=3660)


class SessionOut(Schema):
    id: int
    association: str = Field(description="合作公會")
    profession: str = Field(description="legal、architecture 或 land")
    day: dt.date
    starts: dt.time
    ends: dt.time
    mode: str = Field(description="face（面對面）或 phone（電話）")
    place: str = Field(description="地點或電話專線")
    capacity: int
    free: int = Field(description="尚餘名額")


class VolunteerOut(Schema):
    id: int
    name: str
    joined_on: dt.date
    is_active: bool
    phone: str | None = Field(description="聯絡電話：僅服務台督導可見，其他人為 null")
    email: str | None = Field(description="電子郵件：僅服務台督導可見，其他人為 null")


class Span(Schema):
    start: IsoDate
    end: IsoDate


class FiguresOut(Schema):
    start: dt.date
    end: dt.date
    consultations: int = Field(description="專業諮詢件數")
    face_to_face: int
    phone: int
    people_served: int = Field(description="志工服務人次")
    leaflets: int = Field(description="發送文宣件數")


def _desk(request) -> None:
    if not is_desk_staff(request.user):
        raise PermissionDenied("只有服務台人員可以查詢。")


@router.get(
    "/consult/sessions",
    response={200: list[SessionOut], **ERRORS},
    summary="可預約的專業諮詢時段（不含預約者資料）",
)
def consult_sessions(request):
    _desk(request)
    return [
        SessionOut(
            id=s.pk,
            association=s.association.name,
            profession=s.association.profession,
            day=s.day,
            starts=s.starts,
            ends=s.ends,
            mode=s.mode,
            place=s.place,
            capacity=s.capacity,
            free=s.free,
        )
        for s in selectors.bookable_sessions()
    ]


@router.get(
    "/volunteers",
    response={200: list[VolunteerOut], **ERRORS},
    summary="志工（個人資料僅服務台督導可見）",
)
def volunteers(request):
    _desk(request)
    contacts = {c.volunteer_id: c for c in selectors.contacts_for(request.user)}
    found = []
    for volunteer in selectors.volunteers_for(request.user, active_only=False):
        contact = contacts.get(volunteer.pk)
        found.append(
            VolunteerOut(
                id=volunteer.pk,
                name=volunteer.name,
                joined_on=volunteer.joined_on,
                is_active=volunteer.is_active,
                phone=contact.phone if contact else None,
                email=contact.email if contact else None,
            )
        )
    return found


@router.get(
    "/consult-volunteer-figures",
    response={200: FiguresOut, **ERRORS},
    summary="專業諮詢件數及志工服務人次、文宣（期間）",
)
def figures(request, span: Query[Span]):
    _desk(request)
    if span.end < span.start or span.end - span.start > SPAN_MAX:
        raise DomainError.invalid({"end": ["結束日須在開始日之後，且期間不超過十年。"]})
    found = selectors.consultations_by_month(span.start, span.end)
    shifts = selectors.shift_figures(span.start, span.end)
    return FiguresOut(
        start=span.start,
        end=span.end,
        consultations=sum(e.total() for e in found),
        face_to_face=sum(e.total("face") for e in found),
        phone=sum(e.total("phone") for e in found),
        people_served=shifts.people,
        leaflets=shifts.leaflets,
    )
