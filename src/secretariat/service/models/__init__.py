"""市民諮詢及志工服務 records, one module per concern: ``desk`` (服務台: consultations,
協處陳情, referrals, the 10-minute dispatch, nursing rooms); the professional consultations
and the volunteers add their own modules beside it."""

from secretariat.service.models.desk import (
    DISPATCH_MINUTES,
    NOTE_MAX_LENGTH,
    ArrivalBy,
    CategoryName,
    ConsultationCategory,
    DeskVisit,
    Dispatch,
    NursingRoom,
    NursingRoomUse,
    Referral,
    VisitKind,
    VisitSource,
    decided_q,
    on_time_q,
)

__all__ = [
    "DISPATCH_MINUTES",
    "NOTE_MAX_LENGTH",
    "ArrivalBy",
    "CategoryName",
    "ConsultationCategory",
    "DeskVisit",
    "Dispatch",
    "NursingRoom",
    "NursingRoomUse",
    "Referral",
    "VisitKind",
    "VisitSource",
    "decided_q",
    "on_time_q",
]
from secretariat.service.models.consult import *  # noqa: E402, F403
from secretariat.service.models.volunteers import *  # noqa: E402, F403
