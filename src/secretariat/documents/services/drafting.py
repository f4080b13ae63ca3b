"""擬辦: writing the 簽 and the 稿 — every signer who holds the document may edit them, and
every save is a new version — their attachments, and 專案管制."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from secretariat.core import audit, roc
from secretariat.core.errors import DomainError
from secretariat.core.models import RoleCode
from secretariat.core.text import check_text
from secretariat.documents import content as contents
from secretariat.documents import storage
from secretariat.documents.models import (
    CLASSIFIED,
    PROJECT_CONTROL_MIN_DAYS,
    AgencyProfile,
    DeliveryMethod,
    Document,
    Draft,
    DraftRole,
    DraftVersion,
    MediaType,
    Status,
    Step,
)
from secretariat.documents.services.common import (
    checked_files,
    checked_opinion,
    held_point,
    locked,
    read_upload,
    require,
    same_agency,
    signer_of,
)

# Who may edit the drafts: whoever holds the document at one of these points.
EDITING_STEPS = (Step.DRAFT, Step.REVIEW, Step.COSIGN)
EDITABLE_ROLES = (DraftRole.MEMO, DraftRole.OUTGOING)


def exchange_allowed(document: Document) -> bool:
    """機密 and above may go by 電子交換 only where the agency's setting allows it."""
    if document.secrecy not in CLASSIFIED:
        return True
    profile = AgencyProfile.objects.filter(agency_id=document.agency_id).first()
    return profile is not None and profile.allow_classified_exchange


def check_exchange(document: Document, recipients: Sequence[contents.Recipient]) -> list[str]:
    if exchange_allowed(document):
        return []
    return [
        f"受文者「{r.name}」：{document.get_secrecy_display()}公文依本機關設定不得以電子交換發文，"
        "請改用其他發文方式。"
        for r in recipients
        if r.method == DeliveryMethod.EXCHANGE
    ]


def save_draft(
    document: Document,
    role: str,
    *,
    doc_type: str,
    subject: str,
    sections: Mapping[str, str],
    by,
    recipients: Sequence[Mapping[str, Any]] = (),
    meeting: Mapping[str, str] | None = None,
) -> DraftVersion:
    """Save the 簽 (``role`` memo) or the 稿 (outgoing) as its next version. The sections
    are numbered automatically; a 稿 names its recipients (正本/副本, 機關代碼, 發文方式).
    Bad input changes nothing; an unchanged text makes no new version."""
    if role not in EDITABLE_ROLES:
        raise DomainError.invalid({"role": ["只能編輯簽或稿。"]})
    held_point(document, by, *EDITING_STEPS)
    content, errors = contents.build(
        doc_type,
        subject,
        sections,
        recipients=recipients,
        meeting=meeting,
        addressed=role == DraftRole.OUTGOING,
    )
    if not errors and role == DraftRole.OUTGOING:
        refused = check_exchange(document, contents.recipients_of(content))
        if refused:
            errors["recipients"] = refused
    if role == DraftRole.MEMO and doc_type and doc_type != "memo" and "doc_type" not in errors:
        errors["doc_type"] = ["簽的文別須為「簽」。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("documents:save_draft"):
        locked(document, by, *EDITING_STEPS)
        draft, _ = Draft.objects.get_or_create(
            document=document, role=role, defaults={"doc_type": doc_type}
        )
        if draft.doc_type != doc_type:
            draft.doc_type = doc_type
            draft.save(update_fields=["doc_type"])
        last = draft.versions.order_by("-number").first()
        if last is not None and last.content_hash == contents.content_hash(content):
            return last
        version = storage.write_version(document, draft, content, by=by)
        audit.record(
            document,
            "save_draft",
            {"draft": draft.get_role_display(), "version": version.number},
            actor=audit.actor_of(by),
        )
    return version


def add_attachments(
    document: Document,
    uploads: Sequence,
    *,
    by,
    media: str = MediaType.ELECTRONIC,
    count: int = 1,
) -> int:
    """Attachments of the 稿 (附件), added by whoever holds the document."""
    held_point(document, by, *EDITING_STEPS)
    errors: dict[str, list[str]] = {}
    files = checked_files(list(uploads), errors, "attachments")
    if media not in MediaType.values:
        errors["media"] = ["請選擇媒體型式。"]
    if not 1 <= count <= 999:
        errors["count"] = ["份數須為 1 至 999。"]
    if not files and "attachments" not in errors:
        errors["attachments"] = ["請選擇檔案。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("documents:attach"):
        locked(document, by, *EDITING_STEPS)
        for upload, content_type in files:
            storage.store_file(
                document,
                role=DraftRole.OUTGOING,
                name=upload.name,
                data=read_upload(upload),
                content_type=content_type,
                media=media,
                count=count,
            )
    return len(files)


def request_project_control(document: Document, *, due_on: dt.date, reason: str, by) -> Document:
    """專案管制: the officer asks for a longer deadline (at least 30 days after receipt) for
    a matter that needs it; a supervisor approves it."""
    held_point(document, by, Step.DRAFT)
    reason = checked_opinion(reason, "專案管制理由", required=True)
    earliest = document.received_on + dt.timedelta(days=PROJECT_CONTROL_MIN_DAYS)
    if not document.received:
        raise DomainError("not_received", "專案管制僅適用於收文。")
    if due_on < earliest:
        raise DomainError.invalid(
            {
                "due_on": [
                    f"專案管制期限須在收文後 {PROJECT_CONTROL_MIN_DAYS} 日以上"
                    f"（{roc.format_date(earliest)}以後）。"
                ]
            }
        )
    with transaction.atomic(), audit.action("documents:request_control"):
        locked(document, by, Step.DRAFT)
        document.control_requested_due = due_on
        document.control_reason = check_text(reason, "專案管制理由", max_length=300)
        document.control_approved = False
        document.save()
    return document


def may_approve_control(user, document: Document) -> bool:
    signer = signer_of(user)
    return same_agency(user, document) and (
        user.has_role(RoleCode.SUPERVISOR, RoleCode.HEAD)
        or (signer is not None and signer.level is not None)
    )


def decide_project_control(document: Document, *, approve: bool, by) -> Document:
    require(may_approve_control(by, document), "只有本機關主管可以核定專案管制。")
    if document.control_requested_due is None or document.control_approved:
        raise DomainError("no_control_request", "此公文沒有待核定的專案管制申請。")
    if document.status not in (Status.DRAFTING, Status.REVIEWING, Status.APPROVED):
        raise DomainError("closed", "已辦結的公文不能專案管制。")
    with transaction.atomic(), audit.action("documents:decide_control"):
        locked(document, by)
        if approve:
            document.control_approved = True
            document.due_on = document.control_requested_due
        else:
            document.control_requested_due = None
        document.save()
    return document
