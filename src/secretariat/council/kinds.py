"""The council case kinds (府會事務), routed by the Secretariat's 府會 staff. Default working
days are administrators' settings (cases.KindSetting) after installation; the data request's
速別 sets its own deadline."""

from __future__ import annotations

import datetime as dt

from secretariat.cases.kinds import CaseKind
from secretariat.core.models import RoleCode

QUESTION = "council_question"
DATA_REQUEST = "data_request"
SERVICE = "council_service"
COMMITMENT = "council_commitment"

ROUTERS = frozenset({RoleCode.COUNCIL_LIAISON})
# 速別 → working days counted from the next working day after the request is routed.
URGENCY_DAYS = {"normal": 6, "urgent": 3, "most_urgent": 1}


def _data_request_deadline(case, on: dt.date) -> dt.date:
    from secretariat.council.services import data_request_deadline

    return data_request_deadline(case, on)


def _facts(case) -> list[tuple[str, str, str | None]]:
    from secretariat.council.selectors import case_facts

    return case_facts(case)


KINDS = [
    # 書面答復 are approved by the agency's head (決行).
    CaseKind(
        code=QUESTION,
        label="議員質詢",
        prefix="質",
        reply_days=10,
        router_roles=ROUTERS,
        approver_roles=frozenset({RoleCode.HEAD}),
        facts=_facts,
    ),
    CaseKind(
        code=DATA_REQUEST,
        label="議員索資",
        prefix="索",
        reply_days=URGENCY_DAYS["normal"],
        router_roles=ROUTERS,
        deadline=_data_request_deadline,
        facts=_facts,
    ),
    CaseKind(
        code=SERVICE,
        label="議員服務案件",
        prefix="議",
        reply_days=6,
        router_roles=ROUTERS,
        facts=_facts,
    ),
    CaseKind(
        code=COMMITMENT,
        label="市府承諾事項",
        prefix="諾",
        reply_days=10,
        router_roles=ROUTERS,
        facts=_facts,
    ),
]
