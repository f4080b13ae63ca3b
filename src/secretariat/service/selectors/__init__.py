"""Reads of 市民諮詢及志工服務, already limited to what the person may see. By concern:
``desk`` (服務台)."""

from secretariat.service.permissions import is_desk_staff, is_desk_supervisor
from secretariat.service.selectors.desk import (
    DISPATCH_RATE,
    BoardLine,
    CategoryMonths,
    DispatchRate,
    categories,
    consultations_by_category,
    desk_board,
    dispatch_rate,
    dispatch_rates,
    dispatches_for,
    months_of,
    referrals,
    room_uses,
    room_uses_on,
    rooms,
    visits_by_kind,
    visits_for,
)

__all__ = [
    "DISPATCH_RATE",
    "BoardLine",
    "CategoryMonths",
    "DispatchRate",
    "categories",
    "consultations_by_category",
    "desk_board",
    "dispatch_rate",
    "dispatch_rates",
    "dispatches_for",
    "is_desk_staff",
    "is_desk_supervisor",
    "months_of",
    "referrals",
    "room_uses",
    "room_uses_on",
    "rooms",
    "visits_by_kind",
    "visits_for",
]
from secretariat.service.selectors.consult import *  # noqa: E402, F403
from secretariat.service.selectors.volunteers import *  # noqa: E402, F403
