"""收件: opening a case of any kind — the engine's fields and the kind's checked in one pass —
its number, attachments, related earlier cases; and the requester's identity."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal

from secretariat.cases import kinds
from secretariat.cases.models import (
    Assignment,
    Case,
    CaseAttachment,
    CaseLink,
    CaseSequence,
    Channel,
    Requester,
)
from secretariat.cases.permissions import may_see_requester
from secretariat.cases.services.common import field_error, today
from secretariat.core import audit, roc
from secretariat.core.errors import DomainError, PermissionDenied

ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
# Sent with ``case`` inside open_case's transaction once the case and the kind's record exist:
# modules that derive something from every new case (the routing assistant's embeddings)
# listen; a kind uses its own hooks instead.
case_opened = Signal()

RELATED_WINDOW_DAYS = 90
RELATED_TEXT_RATIO = 0.9
SUBJECT_MAX = Case._meta.get_field("subject").max_length
REQUESTER_FIELDS = ("name", "email", "phone", "address")


def max_attachment_bytes() -> int:
    return settings.CASE_ATTACHMENT_MAX_BYTES


def check_attachment(upload) -> str:
    """The content type of an acceptable upload, or a DomainError naming the file and reason."""
    name = upload.name or ""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in ALLOWED_ATTACHMENT_TYPES:
        allowed = "、".join(sorted(s.lstrip(".") for s in ALLOWED_ATTACHMENT_TYPES))
        raise field_error(
            "attachments",
            f"附件「{name}」的檔案類型不被接受（僅限 {allowed}）。",
            "attachment_type",
        )
    if upload.size > max_attachment_bytes():
        limit = max_attachment_bytes() // (1024 * 1024)
        raise field_error(
            "attachments", f"附件「{name}」超過 {limit} MB 的大小上限。", "attachment_size"
        )
    return ALLOWED_ATTACHMENT_TYPES[suffix]


def attachment_errors(uploads: Sequence) -> tuple[list[str], list[str]]:
    """(content types of the good files, messages about the bad ones)."""
    content_types, problems = [], []
    for upload in uploads:
        try:
            content_types.append(check_attachment(upload))
        except DomainError as error:
            problems.extend(error.fields["attachments"])
    return content_types, problems


def next_number(kind_code: str, received_on: dt.date) -> str:
    """陳115000123: the kind's prefix, the 民國 year, a six-digit yearly sequence."""
    kind = kinds.get(kind_code)
    year = roc.roc_year(received_on)
    sequence, _ = CaseSequence.objects.select_for_update().get_or_create(
        prefix=kind.prefix, roc_year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{kind.prefix}{year:03d}{sequence.last:06d}"


def _engine_errors(
    kind: kinds.CaseKind, subject: str, body: str, channel: str, requester: dict | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values or (kind.channels and channel not in kind.channels):
        errors["channel"] = [f"{kind.label}不接受此來源管道。"]
    if not subject:
        errors["subject"] = ["請填寫主旨。"]
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = [f"主旨不可超過 {SUBJECT_MAX} 字。"]
    if not body:
        errors["body"] = ["請填寫內容。"]
    if requester:
        if not requester.get("name"):
            errors["name"] = ["請填寫姓名。"]
        if requester.get("email"):
            try:
                validate_email(requester["email"])
            except ValidationError:
                errors["email"] = ["電子郵件格式不正確。"]
    return errors


@transaction.atomic
def open_case(
    kind: str,
    *,
    subject: str,
    body: str,
    channel: str,
    received_on: dt.date | None = None,
    requester: Mapping[str, str] | None = None,
    attachments: Sequence = (),
    confidential: bool = False,
    by=None,
    **fields: Any,
) -> Case:
    """收件/錄案: open a case of ``kind``. The engine's fields (subject, body, channel,
    requester — name, email, phone, address — and files) and the kind's own ``fields``
    (through its ``validate`` hook) are checked together, and every error is reported at
    once; nothing is kept on error. The kind's ``create`` hook then writes its own record,
    which the returned case carries as ``kind_record``. Related earlier cases are linked
    for the router."""
    rules = kinds.get(kind)
    subject, body = (subject or "").strip(), (body or "").strip()
    cleaned = {k: (v or "").strip() for k, v in (requester or {}).items()}
    errors = _engine_errors(rules, subject, body, channel, cleaned)
    if received_on is not None and received_on > today():
        errors["received_on"] = ["收件日期不可晚於今天。"]
    received_on = received_on or today()
    context = kinds.OpenContext(
        by=by, channel=channel, received_on=received_on, attachments=tuple(attachments)
    )
    content_types, problems = attachment_errors(attachments)
    if problems:
        errors["attachments"] = problems
    if rules.validate is not None:
        for name, messages in rules.validate(fields, context).items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise DomainError.invalid(errors)
    case = Case.objects.create(
        kind=kind,
        number=next_number(kind, received_on),
        subject=subject,
        body=body,
        channel=channel,
        received_on=received_on,
        confidential=confidential,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if cleaned:
        Requester.objects.create(case=case, **{k: cleaned.get(k, "") for k in REQUESTER_FIELDS})
    store_attachments(case, attachments, content_types)
    case.kind_record = rules.create(case, fields, context) if rules.create else None
    link_related(case)
    case_opened.send(sender=Case, case=case)
    return case


def store_attachments(
    case: Case, uploads: Sequence, content_types: list[str], assignment: Assignment | None = None
) -> None:
    for upload, content_type in zip(uploads, content_types, strict=True):
        CaseAttachment.objects.create(
            case=case,
            assignment=assignment,
            file=upload,
            original_name=upload.name[:200],
            size=upload.size,
            content_type=content_type,
        )


def link_related(case: Case) -> list[CaseLink]:
    """Link earlier cases of the same kind within the window: same requester (e-mail or
    phone), or near-identical text (difflib ratio ≥ 0.9)."""
    since = case.received_on - dt.timedelta(days=RELATED_WINDOW_DAYS)
    earlier = Case.objects.filter(kind=case.kind, received_on__gte=since).exclude(pk=case.pk)
    links = []
    requester = Requester.objects.filter(case=case).first()
    same_person = Q()
    if requester and requester.email:
        same_person |= Q(requester__email__iexact=requester.email)
    if requester and requester.phone:
        same_person |= Q(requester__phone=requester.phone)
    matched: dict[int, str] = {}
    if same_person:
        for other in earlier.filter(same_person).values_list("pk", flat=True)[:50]:
            matched[other] = "同一陳情人"
    for other_pk, other_body in earlier.exclude(pk__in=matched).values_list("pk", "body")[:500]:
        matcher = difflib.SequenceMatcher(None, case.body, other_body, autojunk=False)
        if matcher.quick_ratio() >= RELATED_TEXT_RATIO and matcher.ratio() >= RELATED_TEXT_RATIO:
            matched[other_pk] = "內容近似"
    for other_pk, reason in matched.items():
        links.append(CaseLink.objects.create(case=case, related_id=other_pk, reason=reason))
        CaseLink.objects.get_or_create(case_id=other_pk, related=case, defaults={"reason": reason})
    return links


def reveal_requester(case: Case, *, by) -> Requester | None:
    """The requester's identity for someone whose role needs it; PermissionDenied for
    others, None when the case has no requester (e.g. an anonymous letter). Every reveal is
    audited."""
    if not may_see_requester(by, case):
        raise PermissionDenied("您的角色無權檢視陳情人個人資料。")
    requester = Requester.objects.filter(case=case).first()
    if requester is None:
        return None
    audit.record(case, "view_requester", {"requester": requester.pk}, actor=audit.actor_of(by))
    return requester
