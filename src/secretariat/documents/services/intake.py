"""收文, 創稿, 分文 and 改分: how a document gets its number and reaches its officer."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

from secretariat.core import audit, roc, workdays
from secretariat.core.errors import DomainError
from secretariat.core.models import OFFICIAL_CODE_PATTERN, RoleCode, Unit, User
from secretariat.core.text import check_fields, model_rule
from secretariat.core.uploads import check_upload
from secretariat.documents import assistance, numbering, scans, storage
from secretariat.documents import content as contents
from secretariat.documents.models import (
    LIMIT_DAYS,
    Decision,
    DocType,
    Document,
    Draft,
    DraftingMethod,
    DraftRole,
    IssuingCode,
    MatterCategory,
    MediaType,
    Origin,
    Secrecy,
    SigningMode,
    Speed,
    Status,
    Step,
)
from secretariat.documents.services.common import (
    act,
    checked_files,
    checked_opinion,
    held_point,
    hold,
    is_clerk,
    local_date,
    locked,
    now,
    read_upload,
    require,
    signing,
    today,
)

# Sent after a document is received or created (issue 19's exchange listens).
document_received = Signal()

TEXT_RULES = {
    "subject": model_rule(Document, "subject"),
    "declassify": model_rule(Document, "declassify"),
    "sender_name": model_rule(Document, "sender_name"),
    "sender_number": model_rule(Document, "sender_number"),
}
_STAFF_ROLES = (RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR, RoleCode.HEAD, RoleCode.REGISTRY_CLERK)


def due_date(received_on: dt.date, speed: str, sender_deadline: dt.date | None = None) -> dt.date:
    """辦理期限: the sender's deadline for a 限期公文, otherwise 1, 3 or 6 working days by 速別,
    counted from the working day after receipt (``core.workdays``)."""
    if sender_deadline is not None:
        return sender_deadline
    return workdays.add_working_days(received_on, LIMIT_DAYS[speed])


def issuing_code(agency, unit: Unit | None) -> IssuingCode | None:
    """The unit's 發文代字, else the agency's default one."""
    codes = {code.unit_id: code for code in IssuingCode.objects.filter(agency=agency)}
    return codes.get(unit.pk if unit else None) or codes.get(None)


def _choice(value: str, choices, field: str, label: str, errors: dict) -> None:
    if value not in choices.values:
        errors.setdefault(field, []).append(f"請選擇{label}。")


def _common_errors(
    values: dict, *, doc_type: str, speed: str, secrecy_level: str, signing_mode: str
) -> tuple[dict, dict[str, list[str]]]:
    cleaned, errors = check_fields(values, TEXT_RULES)
    for name in cleaned:
        if isinstance(cleaned[name], str):
            cleaned[name] = cleaned[name].strip()
    if not cleaned.get("subject") and "subject" not in errors:
        errors["subject"] = ["請填寫主旨。"]
    _choice(doc_type, DocType, "doc_type", "文別", errors)
    _choice(speed, Speed, "speed", "速別", errors)
    _choice(secrecy_level, Secrecy, "secrecy", "密等", errors)
    _choice(signing_mode, SigningMode, "signing_mode", "簽核方式", errors)
    if (
        secrecy_level != Secrecy.NONE
        and not cleaned.get("declassify")
        and "declassify" not in errors
    ):
        errors["declassify"] = ["密等公文須註明解密條件或保密期限。"]
    return cleaned, errors


def _new_document(agency, *, received_on: dt.date, secrecy_level: str, subject: str, **fields):
    year = roc.roc_year(received_on)
    serial, number = numbering.take_number(agency, year)
    document = Document(
        agency=agency, year=year, serial=serial, number=number, received_on=received_on, **fields
    )
    storage.make_confidential(document, secrecy_level)
    storage.set_subject(document, subject)
    document.save()
    return document


def require_clerk(by) -> None:
    """收文 and reading a scan for it are the agency's 收發's."""
    require(
        getattr(by, "agency", None) is not None and by.has_role(RoleCode.REGISTRY_CLERK),
        "只有收發人員可以收文。",
    )


def receive_document(
    *,
    origin: str,
    doc_type: str,
    subject: str,
    sender_name: str,
    by,
    speed: str = Speed.NORMAL,
    secrecy: str = Secrecy.NONE,
    declassify: str = "",
    sender_code: str = "",
    sender_number: str = "",
    sender_date: dt.date | None = None,
    sender_deadline: dt.date | None = None,
    signing_mode: str = SigningMode.ONLINE,
    scan=None,
    attachments: Sequence = (),
    pin: str | None = None,
    sections: Sequence = (),
    meeting: dict | None = None,
) -> Document:
    """收文: a 收發 registers a paper 來文 (with its scanned PDF) or an electronic one. It gets
    its number now (收發文同號: the reply goes out under it), its deadline by 速別 or the
    sender's 限期, and waits at the desk for 分文. The 收文 point is signed. An electronic
    來文 (公文交換, ``exchange``) brings its paragraphs (``sections``: the content's
    ``[title, items]`` pairs) and a notice's meeting details, kept with what was received."""
    agency = getattr(by, "agency", None)
    require_clerk(by)
    values = {
        "subject": subject,
        "declassify": declassify,
        "sender_name": sender_name,
        "sender_number": sender_number,
    }
    cleaned, errors = _common_errors(
        values, doc_type=doc_type, speed=speed, secrecy_level=secrecy, signing_mode=signing_mode
    )
    if origin not in (Origin.PAPER, Origin.ELECTRONIC):
        errors["origin"] = ["請選擇紙本來文或電子來文。"]
    if not cleaned.get("sender_name") and "sender_name" not in errors:
        errors["sender_name"] = ["請填寫來文機關。"]
    sender_code = (sender_code or "").strip().upper()
    if sender_code and not re.match(OFFICIAL_CODE_PATTERN, sender_code):
        errors["sender_code"] = ["機關代碼須為 10 碼（例如 379000000A）。"]
    received_on = today()
    if sender_date is not None and sender_date > received_on:
        errors["sender_date"] = ["來文日期不可晚於今天。"]
    if sender_deadline is not None and sender_deadline < received_on:
        errors["sender_deadline"] = ["來文限期已過，請確認日期。"]
    files = checked_files(list(attachments), errors, "attachments")
    scanned = []
    if origin == Origin.PAPER:
        if scan is None:
            errors["scan"] = ["紙本來文請上傳掃描檔（PDF）。"]
        else:
            scanned = checked_files([scan], errors, "scan")
            if scanned and scanned[0][1] != "application/pdf":
                errors["scan"] = ["紙本來文的掃描檔須為 PDF。"]
    if errors:
        raise DomainError.invalid(errors)
    with signing(signing_mode, by, pin) as credential, transaction.atomic():
        with audit.action("documents:receive"):
            document = _new_document(
                agency,
                received_on=received_on,
                secrecy_level=secrecy,
                subject=cleaned["subject"],
                origin=origin,
                doc_type=doc_type,
                speed=speed,
                declassify=cleaned.get("declassify", ""),
                signing_mode=signing_mode,
                method=DraftingMethod.MEMO_FIRST,
                status=Status.REGISTERED,
                sender_name=cleaned["sender_name"],
                sender_code=sender_code,
                sender_number=cleaned.get("sender_number", ""),
                sender_date=sender_date,
                sender_deadline=sender_deadline,
                received_at=now(),
                registered_by=by,
                due_on=due_date(received_on, speed, sender_deadline),
            )
            stored = []
            for upload, content_type in scanned:
                stored.append(
                    storage.store_file(
                        document,
                        role=DraftRole.INCOMING,
                        name=upload.name,
                        data=read_upload(upload),
                        content_type=content_type,
                        media=MediaType.ELECTRONIC,
                        is_scan=True,
                    )
                )
            for upload, content_type in files:
                stored.append(
                    storage.store_file(
                        document,
                        role=DraftRole.INCOMING,
                        name=upload.name,
                        data=read_upload(upload),
                        content_type=content_type,
                        media=MediaType.ELECTRONIC,
                    )
                )
            draft = Draft.objects.create(
                document=document, role=DraftRole.INCOMING, doc_type=doc_type
            )
            received = contents.incoming(
                doc_type=doc_type,
                subject=cleaned["subject"],
                sender_name=cleaned["sender_name"],
                sender_code=sender_code,
                sender_number=cleaned.get("sender_number", ""),
                sender_date=sender_date.isoformat() if sender_date else "",
                speed=speed,
                secrecy=secrecy,
                deadline=sender_deadline.isoformat() if sender_deadline else "",
                files=[{"sha256": a.sha256, "size": a.size, "scan": a.is_scan} for a in stored],
                sections=sections,
                meeting=meeting,
            )
            storage.write_version(document, draft, received, by=by)
            act(document, None, Step.RECEIVE, Decision.RECEIVED, by=by, credential=credential)
            hold(document, Step.DISTRIBUTE)
        transaction.on_commit(lambda: document_received.send(Document, document=document))
    return document


@dataclass(frozen=True)
class ScanReading:
    """文件登錄: a scan read before 收文 — the token it waits under (``scans``), its file
    name and what OCR read (``assist.LetterReading``)."""

    token: str
    name: str
    reading: object  # assist's LetterReading: fields, sender_code, lines, seconds


def read_scan(upload, *, by, keep: bool = True) -> ScanReading:
    """Read a paper letter's scan (PDF or image) to pre-fill the 收文 form: the file is
    checked (``core.uploads``), an image becomes a one-page PDF, the PDF waits for the
    clerk's save under a token (not with ``keep=False``: the API's reading, whose caller
    sends the file again; the token is then empty), and OCR reads the heading fields
    (``assist``). The clerk confirms or corrects them; ``receive_document`` checks them as
    it checks typed ones."""
    require_clerk(by)
    if upload is None:
        raise DomainError.invalid({"scan": ["請選擇要辨識的掃描檔（PDF 或圖片）。"]})
    content_type = check_upload(upload, field="scan", types=scans.SCAN_TYPES)
    data = read_upload(upload)
    reading = assistance.read_letter(
        data,
        content_type,
        speeds={label: value for value, label in Speed.choices},
        secrecies={label: value for value, label in Secrecy.choices},
        no_secrecy=Secrecy.NONE,
    )
    name, pdf = scans.as_pdf(upload.name, data, content_type)
    return ScanReading(scans.keep(by, name, pdf) if keep else "", name, reading)


def may_create(user) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.agency_id is not None
        and user.has_role(*_STAFF_ROLES)
    )


def create_document(
    *,
    doc_type: str,
    subject: str,
    by,
    speed: str = Speed.NORMAL,
    secrecy: str = Secrecy.NONE,
    declassify: str = "",
    method: str = DraftingMethod.DRAFT_ONLY,
    matter: MatterCategory | None = None,
    signing_mode: str = SigningMode.ONLINE,
) -> Document:
    """創稿: an officer starts a document of their own; it is numbered now (創號) under the
    unit's 發文代字 and waits in the officer's drafts."""
    require(may_create(by), "只有機關同仁可以創稿。")
    cleaned, errors = _common_errors(
        {"subject": subject, "declassify": declassify},
        doc_type=doc_type,
        speed=speed,
        secrecy_level=secrecy,
        signing_mode=signing_mode,
    )
    _choice(method, DraftingMethod, "method", "擬辦方式", errors)
    if matter is not None and matter.agency_id != by.agency_id:
        errors["matter"] = ["分層負責項目須為本機關的項目。"]
    if errors:
        raise DomainError.invalid(errors)
    code = issuing_code(by.agency, by.unit)
    with transaction.atomic(), audit.action("documents:create"):
        document = _new_document(
            by.agency,
            received_on=today(),
            secrecy_level=secrecy,
            subject=cleaned["subject"],
            origin=Origin.CREATED,
            doc_type=doc_type,
            speed=speed,
            declassify=cleaned.get("declassify", ""),
            signing_mode=signing_mode,
            method=method,
            matter=matter,
            status=Status.DRAFTING,
            unit=by.unit,
            officer=by,
            prefix=code.prefix if code else "",
            in_government_name=code.in_government_name if code else False,
        )
        hold(document, Step.DRAFT, holder=by)
        transaction.on_commit(lambda: document_received.send(Document, document=document))
    return document


def distribute(document: Document, *, officer: User, by, pin: str | None = None) -> Document:
    """分文: the desk gives the document to an officer of the agency (and so to the officer's
    unit, whose 發文代字 it will carry). Signed."""
    require(is_clerk(by, document), "只有本機關收發人員可以分文。")
    errors = {}
    if officer is None or officer.agency_id != document.agency_id:
        errors["officer"] = ["承辦人須為本機關同仁。"]
    elif officer.unit_id is None:
        errors["officer"] = ["承辦人尚未設定所屬單位。"]
    if errors:
        raise DomainError.invalid(errors)
    with signing(document.signing_mode, by, pin) as credential, transaction.atomic():
        with audit.action("documents:distribute"):
            point = locked(document, by, Step.DISTRIBUTE)
            code = issuing_code(document.agency, officer.unit)
            document.officer, document.unit = officer, officer.unit
            document.prefix = code.prefix if code else ""
            document.in_government_name = code.in_government_name if code else False
            document.distributed_at = now()
            document.distribute()
            document.save()
            act(
                document,
                point,
                Step.DISTRIBUTE,
                Decision.DISTRIBUTED,
                by=by,
                credential=credential,
                opinion=f"分文至{officer.unit.name}　{officer}",
            )
            hold(document, Step.DRAFT, holder=officer)
    return document


def reroute(document: Document, *, reason: str, by, pin: str | None = None) -> Document:
    """改分: the officer sends a document that is not theirs back to the desk — only on the day
    it was distributed (later it goes up the chain and is re-assigned from there)."""
    reason = checked_opinion(reason, "改分理由", required=True)
    point = held_point(document, by, Step.DRAFT)
    if document.distributed_at is None or local_date(document.distributed_at) != today():
        raise DomainError(
            "reroute_too_late",
            "改分須於分文當日退回收發；已逾分文當日，請陳核後由主管改派。",
        )
    if document.drafts.exclude(role=DraftRole.INCOMING).exists():
        raise DomainError("reroute_drafted", "已開始擬稿的公文不能改分，請陳核後由主管改派。")
    with signing(document.signing_mode, by, pin) as credential, transaction.atomic():
        with audit.action("documents:reroute"):
            point = locked(document, by, Step.DRAFT)
            act(
                document,
                point,
                Step.REROUTE,
                Decision.REROUTED,
                by=by,
                credential=credential,
                opinion=reason,
            )
            document.officer, document.unit = None, None
            document.send_back()
            document.save()
            hold(document, Step.DISTRIBUTE)
    return document
