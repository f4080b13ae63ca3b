"""The council case kinds (府會事務), routed by the Secretariat's 府會 staff. Default working
days are administrators' settings (cases.KindSetting) after installation; the data request's
速別 sets its own deadline."""

from __future__ import annotations

from secretariat.cases.kinds import CaseKind
from secretariat.core.models import RoleCode

QUESTION = "council_question"
DATA_REQUEST = "data_request"
SERVICE = "council_service"
COMMITMENT = "council_commitment"

ROUTERS = frozenset({RoleCode.COUNCIL_LIAISON})

KINDS = [
    # 書面答復 are approved by the agency's head (決行).
    CaseKind(
        code=QUESTION,
        label="議員質詢",
        prefix="質",
        reply_days=10,
        router_roles=ROUTERS,
        approver_roles=frozenset({RoleCode.HEAD}),
    ),
    CaseKind(code=DATA_REQUEST, label="議員索資", prefix="索", reply_days=6, router_roles=ROUTERS),
    CaseKind(code=SERVICE, label="議員服務案件", prefix="議", reply_days=6, router_roles=ROUTERS),
    CaseKind(
        code=COMMITMENT, label="市府承諾事項", prefix="諾", reply_days=10, router_roles=ROUTERS
    ),
]

# 速別 → working days counted from the next working day after the request was received.
URGENCY_DAYS = {"normal": 6, "urgent": 3, "most_urgent": 1}
