"""併案: a router merges a duplicate case into another case of its kind. The duplicate ends
(併案) and its unanswered parts are withdrawn; the case it joined answers both requesters —
when that case is answered, the kind's ``on_replied`` hook runs for every case merged into it
too, and the kind's ``on_merged`` hook tells the duplicate's requester at once."""

from __future__ import annotations

import unicodedata

from django.db import transaction

from secretariat.cases import kinds, notices
from secretariat.cases.models import AssignmentStatus, Case, CaseStatus
from secretariat.cases.permissions import is_router
from secretariat.cases.services.common import (
    field_error,
    guard,
    notify_holders,
    require,
    resolve,
    today,
    transition,
)
from secretariat.core import audit
from secretariat.core.text import TextRule

REASON_RULE = TextRule("併案理由", Case._meta.get_field("filed_reason").max_length)
# A case that ended without answering its requester cannot answer another one.
UNANSWERING = (CaseStatus.FILED, CaseStatus.WITHDRAWN, CaseStatus.MERGED)


def _reason(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error("reason", "請說明併案理由。")
    if problem := REASON_RULE.problem(value):
        raise field_error("reason", problem)
    return value


def _check_target(case: Case, into: Case) -> None:
    if into.pk == case.pk:
        raise field_error("into", "不能併入本案自己。")
    if into.kind != case.kind:
        raise field_error(
            "into",
            f"{into.number} 是{kinds.label(into.kind)}，只能併入同類別（{kinds.label(case.kind)}）"
            "的案件。",
        )
    if into.status == CaseStatus.MERGED:
        raise field_error("into", f"{into.number} 已併入 {into.merged_into.number}，請改併入該案。")
    if into.status in UNANSWERING:
        raise field_error(
            "into", f"{into.number} 已{into.get_status_display()}，不會回復陳情人，不能併入。"
        )


def _target(into: Case | str, by) -> Case:
    """The case to merge into: a Case, or its number as typed (spaces and full-width digits
    forgiven) among the cases the router sees."""
    if isinstance(into, Case):
        return into
    number = "".join(unicodedata.normalize("NFKC", into or "").split())
    if not number:
        raise field_error("into", "請填寫併入案號。")
    from secretariat.cases.selectors.scoped import cases_for

    found = cases_for(by).filter(number=number[:20]).first()
    if found is None:
        raise field_error("into", f"查無案號 {number[:20]}，或您無權檢視該案。", "not_found")
    return found


@transaction.atomic
def merge_case(case: Case, into: Case | str, reason: str, *, by) -> Case:
    """併案: ``case`` (not yet answered: 待分辦 or 辦理中) joins ``into`` (a case or its number;
    the same kind, not ended without answer), with the reason. ``case`` becomes 併案 with its unanswered parts
    withdrawn (their holders are told); cases merged into ``case`` before now follow it into
    ``into``. Both cases are audited (``transition:merge`` on the duplicate, ``merge`` on the
    case it joined)."""
    require(is_router(by, case.kind), "只有秘書處分辦人員可以併案。")
    into = _target(into, by)
    reason = _reason(reason)
    # Both rows locked, in one order, so two routers merging the pair both ways cannot deadlock.
    locked = Case.objects.select_for_update().filter(pk__in=[case.pk, into.pk]).order_by("pk")
    rows = {row.pk: row for row in locked}
    case, into = rows[case.pk], rows[into.pk]
    _check_target(case, into)
    guard(case, "merge", {"reason": reason, "into": into}, by)
    with audit.acting_as(audit.actor_of(by)), audit.action("transition:merge"):
        transition(case, case.merge, "併案")
        case.merged_into, case.filed_reason, case.closed_on = into, reason, today()
        case.save()
        withdrawn = list(case.assignments.active())
        for part in withdrawn:
            part.status = AssignmentStatus.WITHDRAWN
            part.save()
            resolve(part)  # what the part's notices asked for is no longer asked
        moved = [case]
        for earlier in Case.objects.filter(merged_into=case):
            earlier.merged_into = into
            earlier.save()
            moved.append(earlier)
    resolve(case)
    audit.record(into, "merge", {"merged": case.number, "reason": reason}, actor=audit.actor_of(by))
    kind = kinds.get(case.kind)
    for part in withdrawn:
        notify_holders(part, notices.merged_part(part, into))
    hook = kind.on_merged
    if hook is not None:
        for merged in moved:
            transaction.on_commit(lambda merged=merged: hook(merged, into))
    return case
