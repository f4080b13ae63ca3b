"""The council case kinds (府會事務), routed by the Secretariat's 府會 staff. Default working
days are administrators' settings (cases.KindSetting) after installation; the data request's
速別 sets its own deadline; a service case is closed with its grade. Each kind's own record is
written and checked through the engine's hooks (``services``)."""

from __future__ import annotations

from importlib import import_module

from django import forms

from secretariat.cases.kinds import CaseKind
from secretariat.core.forms import TextForm
from secretariat.core.models import RoleCode

QUESTION = "council_question"
DATA_REQUEST = "data_request"
SERVICE = "council_service"
COMMITMENT = "council_commitment"

ROUTERS = frozenset({RoleCode.COUNCIL_LIAISON})
CHANNELS = frozenset({"council"})
# 速別 → working days counted from the next working day after the request is routed.
URGENCY_DAYS = {"normal": 6, "urgent": 3, "most_urgent": 1}


class GradeForm(TextForm):
    """What 結案 of a service case asks for (the kind's ``close_form``)."""

    grade = forms.ChoiceField(
        label="處理等級",
        required=False,
        choices=[
            ("", "請選擇"),
            ("A", "A 辦理完成"),
            ("B", "B 辦理中"),
            ("C", "C 計畫執行"),
            ("D", "D 無法執行"),
        ],
    )


def _hook(name: str, module: str = "services"):
    """A function of ``council.services`` (or ``selectors``), looked up when called: those
    modules import this one's codes."""

    def call(*args, **kwargs):
        return getattr(import_module(f"secretariat.council.{module}"), name)(*args, **kwargs)

    call.__name__ = name
    return call


_facts = _hook("case_facts", "selectors")


KINDS = [
    # 書面答復 are approved by the agency's head (決行).
    CaseKind(
        code=QUESTION,
        label="議員質詢",
        prefix="質",
        reply_days=10,
        router_roles=ROUTERS,
        approver_roles=frozenset({RoleCode.HEAD}),
        channels=CHANNELS,
        validate=_hook("validate_question"),
        create=_hook("create_question"),
        facts=_facts,
    ),
    CaseKind(
        code=DATA_REQUEST,
        label="議員索資",
        prefix="索",
        reply_days=URGENCY_DAYS["normal"],
        router_roles=ROUTERS,
        channels=CHANNELS,
        validate=_hook("validate_data_request"),
        create=_hook("create_data_request"),
        deadline=_hook("data_request_deadline"),
        facts=_facts,
    ),
    CaseKind(
        code=SERVICE,
        label="議員服務案件",
        prefix="議",
        reply_days=6,
        router_roles=ROUTERS,
        channels=CHANNELS,
        validate=_hook("validate_councillor"),
        create=_hook("create_service_case"),
        guard=_hook("guard_service_case"),
        on_closed=_hook("keep_grade"),
        close_form=GradeForm,
        facts=_facts,
    ),
    CaseKind(
        code=COMMITMENT,
        label="市府承諾事項",
        prefix="諾",
        reply_days=10,
        router_roles=ROUTERS,
        channels=CHANNELS,
        validate=_hook("validate_commitment"),
        create=_hook("create_commitment"),
        facts=_facts,
    ),
]
