"""The signing chain: 陳核 up to the decider, 會辦 (parallel or in order, and 加會 on the way),
決行 at the level the 分層負責明細表 assigns, 退回 with a reason and 撤簽. Every step is one
audited transaction and, for an online document, a signature at its 簽核點."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from secretariat.core import audit
from secretariat.core.errors import DomainError
from secretariat.core.models import RoleCode, Unit, User
from secretariat.documents.models import (
    Decision,
    DecisionMark,
    Document,
    DraftingMethod,
    DraftRole,
    Level,
    Point,
    PointStatus,
    Signer,
    Status,
    Step,
)
from secretariat.documents.services.common import (
    act,
    cancel_pending,
    checked_opinion,
    held_point,
    hold,
    locked,
    now,
    pending_points,
    require,
    signer_of,
    signing,
    today,
)

COSIGN_UNITS_MAX = 20
_REVIEW_ROLES = (RoleCode.SUPERVISOR, RoleCode.HEAD)


def required_level(document: Document) -> int:
    """The level that decides this document: its 分層負責 row's, else the head's."""
    return document.matter.level if document.matter_id else Level.HEAD


@dataclass(frozen=True)
class Authority:
    """Whether and how someone may decide (決行) a matter of ``level``."""

    allowed: bool
    mark: str = DecisionMark.NONE
    reason: str = ""


def decision_authority(signer: Signer | None, level: int) -> Authority:
    """分層負責: a decider at ``level`` or above may decide; at exactly a delegated level
    (below the head) it is 「授權決行」. A deputy of such a decider decides in their place:
    「代決」, or 「代行」 for the head's deputy. Anyone else is refused."""
    needed = Level(level).label
    if signer is None:
        return Authority(False, reason=f"本案應由{needed}決行，您不是決行人員。")
    if signer.level is not None and signer.level <= level:
        delegated = signer.level == level and level != Level.HEAD
        return Authority(True, DecisionMark.DELEGATED if delegated else DecisionMark.NONE)
    principal = _principal(signer)
    if principal is not None and principal.level is not None and principal.level <= level:
        mark = (
            DecisionMark.ACTING_HEAD
            if principal.level == Level.HEAD
            else (DecisionMark.ACTING_DECISION)
        )
        return Authority(True, mark)
    own = Level(signer.level).label if signer.level else "無決行層級"
    return Authority(
        False, reason=f"本案依分層負責明細表應由{needed}決行；您的層級為{own}，不能決行。"
    )


def _principal(signer: Signer) -> Signer | None:
    if signer.deputy_for_id is None:
        return None
    return Signer.objects.filter(user_id=signer.deputy_for_id).first()


def decision_note(document: Document, decider: User, mark: str) -> str:
    """What the 署名 prints beside the signature."""
    if mark == DecisionMark.DELEGATED:
        title = decider.job_title or Level(document.decision_level or Level.CHIEF).label
        return f"本案依分層負責規定授權{title}決行"
    if mark == DecisionMark.ACTING_DECISION:
        return "代決"
    if mark == DecisionMark.ACTING_HEAD:
        return "代行"
    return ""


def _reviewer_errors(document: Document, to: User | None, by) -> dict[str, list[str]]:
    if to is None:
        return {"to": ["請選擇陳核對象。"]}
    if to.pk == by.pk:
        return {"to": ["陳核對象不能是自己。"]}
    if to.agency_id != document.agency_id or not to.is_active:
        return {"to": ["陳核對象須為本機關在職同仁。"]}
    signer = Signer.objects.filter(user=to).first()
    if not (to.has_role(*_REVIEW_ROLES) or (signer is not None and signer.level is not None)):
        return {"to": [f"{to}不是主管或決行人員，不能陳核給他。"]}
    return {}


def _drafts_ready(document: Document) -> None:
    """What 擬辦方式 asks for before the chain: 簽稿併陳 a 簽 and a 稿, 以稿代簽 a 稿, 先簽後稿
    a 簽 first and, once it is approved, the 稿."""
    roles = set(document.drafts.values_list("role", flat=True))
    method = DraftingMethod(document.method)
    missing = []
    if method == DraftingMethod.TOGETHER:
        missing = [r for r in (DraftRole.MEMO, DraftRole.OUTGOING) if r not in roles]
    elif method == DraftingMethod.DRAFT_ONLY:
        missing = [] if DraftRole.OUTGOING in roles else [DraftRole.OUTGOING]
    elif document.status == Status.APPROVED:
        missing = [] if DraftRole.OUTGOING in roles else [DraftRole.OUTGOING]
    else:
        missing = [] if DraftRole.MEMO in roles else [DraftRole.MEMO]
    if missing:
        names = "、".join(DraftRole(r).label for r in missing)
        raise DomainError("drafts_missing", f"依擬辦方式「{method.label}」，陳核前請先擬{names}。")


def submit(document: Document, *, to: User, by, opinion: str = "", pin: str | None = None):
    """陳核: the drafter sends the document up the chain to ``to``. Signed."""
    point = held_point(document, by, Step.DRAFT)
    opinion = checked_opinion(opinion)
    errors = _reviewer_errors(document, to, by)
    if errors:
        raise DomainError.invalid(errors)
    _drafts_ready(document)
    with signing(document.signing_mode, by, pin) as credential, transaction.atomic():
        with audit.action("documents:submit"):
            point = locked(document, by, Step.DRAFT)
            act(
                document,
                point,
                Step.DRAFT,
                Decision.SUBMITTED,
                by=by,
                credential=credential,
                opinion=opinion,
            )
            document.submit()
            document.save()
            hold(document, Step.REVIEW, holder=to)
    return document


def forward(document: Document, *, to: User, by, opinion: str = "", pin: str | None = None):
    """核轉: a reviewer passes the document on up the chain. Signed."""
    point = held_point(document, by, Step.REVIEW)
    opinion = checked_opinion(opinion)
    errors = _reviewer_errors(document, to, by)
    if errors:
        raise DomainError.invalid(errors)
    with signing(document.signing_mode, by, pin) as credential, transaction.atomic():
        with audit.action("documents:forward"):
            point = locked(document, by, Step.REVIEW)
            act(
                document,
                point,
                Step.REVIEW,
                Decision.FORWARDED,
                by=by,
                credential=credential,
                opinion=opinion,
            )
            hold(document, Step.REVIEW, holder=to)
    return document


def send_for_cosign(
    document: Document,
    *,
    units: Sequence[Unit],
    by,
    parallel: bool = True,
    opinion: str = "",
    pin: str | None = None,
):
    """送會 (by the drafter) or 加會 (by a reviewer): the units sign in parallel or one after
    another; when the last has signed the document comes back to whoever sent it."""
    point = held_point(document, by, Step.DRAFT, Step.REVIEW)
    opinion = checked_opinion(opinion)
    units = list(dict.fromkeys(units))
    if not units:
        raise DomainError.invalid({"units": ["請選擇會辦單位。"]})
    if len(units) > COSIGN_UNITS_MAX:
        raise DomainError.invalid({"units": [f"會辦單位最多 {COSIGN_UNITS_MAX} 個。"]})
    if by.unit_id is not None and any(unit.pk == by.unit_id for unit in units):
        raise DomainError.invalid({"units": ["不能會辦自己的單位。"]})
    if point.step == Step.DRAFT:
        _drafts_ready(document)
    decision = Decision.SENT_FOR_COSIGN if point.step == Step.DRAFT else Decision.ADDED_COSIGN
    with signing(document.signing_mode, by, pin) as credential, transaction.atomic():
        with audit.action("documents:cosign_request"):
            point = locked(document, by, Step.DRAFT, Step.REVIEW)
            act(
                document,
                point,
                point.step,
                decision,
                by=by,
                credential=credential,
                opinion=opinion or "會辦：" + "、".join(str(unit) for unit in units),
            )
            batch = uuid.uuid4()
            for position, unit in enumerate(units):
                hold(
                    document,
                    Step.COSIGN,
                    unit=unit,
                    batch=batch,
                    position=position,
                    parallel=parallel,
                    return_to=by,
                    status=PointStatus.PENDING if parallel or position == 0 else PointStatus.QUEUED,
                )
    return document


def cosign(document: Document, *, by, opinion: str = "", pin: str | None = None):
    """會辦: a person of the unit asked signs with its opinion. Signed."""
    point = held_point(document, by, Step.COSIGN)
    opinion = checked_opinion(opinion)
    with signing(document.signing_mode, by, pin) as credential, transaction.atomic():
        with audit.action("documents:cosign"):
            point = locked(document, by, Step.COSIGN)
            act(
                document,
                point,
                Step.COSIGN,
                Decision.COSIGNED,
                by=by,
                credential=credential,
                opinion=opinion,
            )
            _after_cosign(document, point)
    return document


def _after_cosign(document: Document, point: Point) -> None:
    batch = Point.objects.filter(document=document, batch=point.batch).order_by("position")
    waiting = batch.filter(status=PointStatus.QUEUED).first()
    if waiting is not None:
        waiting.status = PointStatus.PENDING
        waiting.save(update_fields=["status"])
        return
    if batch.filter(status=PointStatus.PENDING).exists():
        return
    back = point.return_to
    step = (
        Step.DRAFT
        if back is not None
        and back.pk == document.officer_id
        and document.status != Status.REVIEWING
        else Step.REVIEW
    )
    hold(document, step, holder=back)


def decide(document: Document, *, by, opinion: str = "", pin: str | None = None):
    """決行 at the level the 分層負責明細表 assigns (or above; a deputy 代決/代行). A 稿 goes
    on to 繕校; a 簽 alone is approved and returns to its officer (先簽後稿: draft the 稿, or
    file it). Signed."""
    point = held_point(document, by, Step.REVIEW)
    opinion = checked_opinion(opinion)
    level = required_level(document)
    authority = decision_authority(signer_of(by), level)
    if not authority.allowed:
        raise DomainError("not_authorized_to_decide", authority.reason)
    has_outgoing = document.drafts.filter(role=DraftRole.OUTGOING).exists()
    with signing(document.signing_mode, by, pin) as credential, transaction.atomic():
        with audit.action("documents:decide"):
            point = locked(document, by, Step.REVIEW)
            document.decided_at = now()
            document.decided_on = today()
            document.decided_by = by
            document.decision_level = level
            document.decision_mark = authority.mark
            document.decision_note = decision_note(document, by, authority.mark)
            if has_outgoing:
                document.decide()
            else:
                document.approve_memo()
            document.save()
            act(
                document,
                point,
                Step.DECIDE,
                Decision.DECIDED,
                by=by,
                credential=credential,
                opinion=opinion,
                mark=authority.mark,
            )
            hold(document, Step.PROOF if has_outgoing else Step.DRAFT, holder=document.officer)
    return document


def return_document(document: Document, *, reason: str, by, pin: str | None = None):
    """退回: a reviewer or a 會辦 unit sends the document back to its drafter, with the
    reason. Every other pending point is withdrawn. Signed."""
    point = held_point(document, by, Step.REVIEW, Step.COSIGN)
    reason = checked_opinion(reason, "退回理由", required=True)
    with signing(document.signing_mode, by, pin) as credential, transaction.atomic():
        with audit.action("documents:return"):
            point = locked(document, by, Step.REVIEW, Step.COSIGN)
            act(
                document,
                point,
                point.step,
                Decision.RETURNED,
                by=by,
                credential=credential,
                opinion=reason,
            )
            cancel_pending(document, except_pk=point.pk)
            if document.status == Status.REVIEWING:
                document.back_to_drafting()
                document.save()
            hold(document, Step.DRAFT, holder=document.officer)
    return document


def withdraw(document: Document, *, reason: str, by, pin: str | None = None):
    """撤簽: the drafter takes the document back from the chain before it is decided, with
    the reason. Signed."""
    require(document.officer_id == by.pk, "只有承辦人可以撤簽。")
    reason = checked_opinion(reason, "撤簽理由", required=True)
    pending = list(pending_points(document))
    if not pending or any(p.holder_id == by.pk for p in pending):
        raise DomainError("nothing_to_withdraw", "公文目前在您手上，不需撤簽。")
    if document.status not in (Status.DRAFTING, Status.REVIEWING, Status.APPROVED):
        raise DomainError("already_decided", "公文已決行，不能撤簽。")
    with signing(document.signing_mode, by, pin) as credential, transaction.atomic():
        with audit.action("documents:withdraw"):
            locked(document, by)
            cancel_pending(document)
            act(
                document,
                None,
                Step.WITHDRAW,
                Decision.WITHDRAWN,
                by=by,
                credential=credential,
                opinion=reason,
            )
            if document.status == Status.REVIEWING:
                document.back_to_drafting()
                document.save()
            hold(document, Step.DRAFT, holder=by)
    return document
