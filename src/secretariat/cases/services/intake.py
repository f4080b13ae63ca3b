"""收件: opening a case of any kind — the engine's fields and the kind's checked in one pass —
its number, attachments, related earlier cases; and the requester's identity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.dispatch import Signal
from django.utils.crypto import salted_hmac

from secretariat.cases import kinds, related
from secretariat.cases.models import (
    Assignment,
    Case,
    CaseAttachment,
    CaseSequence,
    Channel,
    Requester,
    mask_name,
)
from secretariat.cases.permissions import may_see_requester, requester_kinds
from secretariat.cases.services.common import today
from secretariat.core import audit, roc, uploads
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.text import TextRule, check_fields, model_rule, text_problem

# Sent with ``case`` inside open_case's transaction once the case and the kind's record exist:
# modules that derive something from every new case (the routing assistant's embeddings)
# listen; a kind uses its own hooks instead.
case_opened = Signal()

REQUESTER_FIELDS = ("name", "email", "phone", "address")
# What the engine accepts as a case's text and its requester's details: each field bounded by
# its model's max_length (the text by BODY_MAX_LENGTH) and free of control characters
# (core.text). SQLite does not enforce max_length: this keeps every channel within the bounds.
CASE_RULES: dict[str, TextRule] = {
    "subject": model_rule(Case, "subject"),
    "body": model_rule(Case, "body", multiline=True),
}
REQUESTER_RULES: dict[str, TextRule] = {
    name: model_rule(Requester, name) for name in REQUESTER_FIELDS
}


def check_attachment(upload) -> str:
    """The content type of an acceptable upload (``core.uploads``: extension, size and
    content), or a DomainError naming the file and reason."""
    return uploads.check_upload(upload, field="attachments")


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


def check_case_text(
    subject: str, body: str, requester: dict[str, str]
) -> tuple[str, str, dict[str, str], dict[str, list[str]]]:
    """The subject, body and requester as they may be stored (line breaks of the body
    normalised), and every problem keyed by field (``subject``, ``body``, ``name`` …)."""
    case, errors = check_fields({"subject": subject, "body": body}, CASE_RULES)
    person, person_errors = check_fields(requester, REQUESTER_RULES)
    return case["subject"], case["body"], person, {**errors, **person_errors}


def _engine_errors(
    kind: kinds.CaseKind, subject: str, body: str, channel: str, requester: dict | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values or (kind.channels and channel not in kind.channels):
        errors["channel"] = [f"{kind.label}不接受此來源管道。"]
    if not subject:
        errors["subject"] = ["請填寫主旨。"]
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
    for the router by a job after commit (``cases.related``), outside this transaction."""
    rules = kinds.get(kind)
    subject, body = (subject or "").strip(), (body or "").strip()
    cleaned = {k: (v or "").strip() for k, v in (requester or {}).items()}
    subject, body, cleaned, errors = check_case_text(subject, body, cleaned)
    for name, messages in _engine_errors(rules, subject, body, channel, cleaned).items():
        errors.setdefault(name, messages)
    if received_on is not None and received_on > today():
        # Named in 民國, the date as read: 2030-01-01 is 119年1月1日.
        errors["received_on"] = [f"收件日期（{roc.format_date(received_on)}）不可晚於今天。"]
    elif received_on is not None:
        try:
            roc.roc_year(received_on)  # the case number carries the 民國 year
        except roc.RocDateError as error:
            errors["received_on"] = [str(error)]
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
    related.link_after_commit(case)
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


# --- The requester search -------------------------------------------------------------------

REQUESTER_QUERY_MAX = Requester._meta.get_field("name").max_length
# Short fragments would list everyone sharing a surname or an exchange: a name of at least two
# characters, a phone number of at least eight digits (a local number without its area code).
NAME_MIN, PHONE_MIN_DIGITS = 2, 8
REQUESTER_RESULTS_MAX = 100
_PHONE_CHARACTERS = set("0123456789-+() .#")
_DIGEST_SALT = "secretariat.cases.requester_search"


def may_search_requesters(user) -> bool:
    """Whether the person may look cases up by their requester's name or phone: whoever may
    see the requesters of some kind (``permissions.requester_kinds``)."""
    kinds_seen = requester_kinds(user)
    return kinds_seen is None or bool(kinds_seen)


def requester_query_digest(text: str) -> str:
    """The keyed digest the audit trail keeps of a requester search: an auditor asking
    whether someone searched for 王小明 computes it for 王小明 and looks for it; the trail
    itself holds no name or number in clear."""
    return salted_hmac(_DIGEST_SALT, text).hexdigest()


def _requester_query(text: str):
    from secretariat.cases.selectors.casework import RequesterQuery

    text = " ".join((text or "").split())
    if not text:
        raise DomainError.invalid({"requester": ["請填寫陳情人姓名或電話。"]})
    problem = text_problem(text, "陳情人姓名或電話", max_length=REQUESTER_QUERY_MAX)
    if problem:
        raise DomainError.invalid({"requester": [problem]})
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits and set(text) <= _PHONE_CHARACTERS:
        if len(digits) < PHONE_MIN_DIGITS:
            message = f"電話請至少輸入 {PHONE_MIN_DIGITS} 位數字。"
            raise DomainError.invalid({"requester": [message]})
        return RequesterQuery(phone_digits=digits)
    if len(text) < NAME_MIN:
        raise DomainError.invalid({"requester": [f"姓名請至少輸入 {NAME_MIN} 個字。"]})
    return RequesterQuery(name=text)


def _masked(query) -> str:
    if query.phone_digits:
        digits = query.phone_digits
        return digits[:4] + "*" * (len(digits) - 7) + digits[-3:]
    return mask_name(query.name)


@transaction.atomic
def search_requesters(text: str, *, by) -> list[Case]:
    """Cases whose requester's name contains ``text`` or whose phone number contains its
    digits (separators ignored), among those whose requesters the person may see; newest
    first, at most ``REQUESTER_RESULTS_MAX``. Like every view of personal data the search is
    audited (``search_requester``): who, the query masked (王○明, 0912***678) and as a keyed
    digest (:func:`requester_query_digest`), and the cases found. Refused (PermissionDenied)
    to roles that may not see requesters."""
    from secretariat.cases.selectors.casework import requester_matches

    if not may_search_requesters(by):
        raise PermissionDenied("您的角色無權以陳情人姓名或電話查詢案件。")
    query = _requester_query(text)
    found = list(requester_matches(by, query, REQUESTER_RESULTS_MAX))
    audit.record(
        None,
        "search_requester",
        {
            "by": "phone" if query.phone_digits else "name",
            "query": _masked(query),
            "digest": requester_query_digest(query.phone_digits or query.name),
            "found": [case.number for case in found],
        },
        object_type="cases.requester",
        object_repr="陳情人查詢",
        agency_id=getattr(by, "agency_id", None),
        actor=audit.actor_of(by),
    )
    return found
