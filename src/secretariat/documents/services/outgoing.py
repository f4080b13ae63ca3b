"""繕校, 用印, 發文 and 歸檔: a decided document on its way out, and into the archives."""

from __future__ import annotations

import contextlib
import hashlib
import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal

from secretariat.core import audit
from secretariat.core.errors import DomainError
from secretariat.core.models import Agency
from secretariat.core.text import check_text
from secretariat.documents import content as contents
from secretariat.documents import rendering, storage
from secretariat.documents import signing as sig  # pyHanko, pkcs11: loaded on first use
from secretariat.documents.models import (
    AgencyProfile,
    Decision,
    DeliveryMethod,
    DispatchRecipient,
    Document,
    DraftRole,
    SealKind,
    SealUse,
    Step,
)
from secretariat.documents.services.common import (
    act,
    checked_opinion,
    held_point,
    hold,
    locked,
    signing,
    today,
)
from secretariat.documents.services.drafting import check_exchange

# Sent after 發文 (the exchange of issue 19 sends the electronic copies) and after 歸檔
# (the archives module files the record: 檔號, 保存年限).
document_dispatched = Signal()
document_filed = Signal()

IMPRESSIONS_MAX = 10_000
ELECTRONIC_METHODS = (DeliveryMethod.EXCHANGE, DeliveryMethod.EMAIL)
SEALED_PDF = "sealed-pdf"
RETENTION_PATTERN = r"^(永久|[1-9][0-9]?年)$"


def _decided_outgoing(document: Document) -> dict:
    return storage.version_content(
        document,
        document.drafts.get(role=DraftRole.OUTGOING).versions.order_by("-number").first(),
        DraftRole.OUTGOING,
    )


def proof(document: Document, *, by, opinion: str = "", pin: str | None = None) -> Document:
    """繕校: the officer checks the clean copy of the decided 稿. Signed."""
    point = held_point(document, by, Step.PROOF)
    opinion = checked_opinion(opinion)
    with signing(document.signing_mode, by, pin) as credential, transaction.atomic():
        with audit.action("documents:proof"):
            point = locked(document, by, Step.PROOF)
            act(
                document,
                point,
                Step.PROOF,
                Decision.PROOFED,
                by=by,
                credential=credential,
                opinion=opinion,
            )
            document.proof()
            document.save()
            hold(document, Step.SEAL)
    return document


@contextlib.contextmanager
def _agency_seal(document: Document, pin: str | None, needed: bool):
    """The agency's certificate (機關憑證) for the electronic seal, opened with the PIN the
    seal keeper gives now — when the document goes out electronically."""
    if not needed:
        yield None
        return
    profile = AgencyProfile.objects.filter(agency_id=document.agency_id).first()
    if profile is None or not profile.seal_token_label:
        raise DomainError(
            "seal_token_missing",
            "本機關尚未設定機關憑證卡，無法加蓋電子印信；請洽系統管理者於機關公文設定登錄。",
        )
    if not pin:
        raise DomainError.invalid(
            {"seal_pin": ["電子發文須加蓋電子印信，請輸入機關憑證卡 PIN 碼。"]}
        )
    spec = sig.TokenSpec(
        token_label=profile.seal_token_label, key_label=profile.seal_key_label or None
    )
    with sig.load_credential(spec, pin) as credential:
        yield credential


def seal(
    document: Document,
    *,
    by,
    seal_kind: str,
    impressions: int,
    note: str = "",
    pin: str | None = None,
    seal_pin: str | None = None,
) -> SealUse:
    """用印: the seal keeper records which seal and how many impressions (用印登記). A
    document going out electronically gets its PDF sealed with the agency's certificate
    (PAdES) now. Signed."""
    point = held_point(document, by, Step.SEAL)
    errors: dict[str, list[str]] = {}
    if seal_kind not in SealKind.values:
        errors["seal_kind"] = ["請選擇印信。"]
    if not isinstance(impressions, int) or not 1 <= impressions <= IMPRESSIONS_MAX:
        errors["impressions"] = [f"用印次數須為 1 至 {IMPRESSIONS_MAX:,}。"]
    note = check_text(note or "", "備註", field="note", max_length=200).strip()
    if errors:
        raise DomainError.invalid(errors)
    outgoing = _decided_outgoing(document)
    electronic = any(r.method in ELECTRONIC_METHODS for r in contents.recipients_of(outgoing))
    with (
        signing(document.signing_mode, by, pin) as credential,
        _agency_seal(document, seal_pin, electronic) as agency_seal,
        transaction.atomic(),
        audit.action("documents:seal"),
    ):
        point = locked(document, by, Step.SEAL)
        use = SealUse(
            document=document,
            agency=document.agency,
            used_on=today(),
            seal=SealKind.ELECTRONIC if agency_seal is not None else seal_kind,
            impressions=impressions,
            keeper=by,
            note=note,
        )
        if agency_seal is not None:
            sheet = rendering.sheet(document, DraftRole.OUTGOING, outgoing, dated=today())
            sealed = sig.seal_pdf(
                rendering.pdf(sheet),
                agency_seal,
                reason=f"發文 {document.reference}",
                location=document.agency.name,
            )
            use.pdf_sha256 = hashlib.sha256(sealed).hexdigest()
            use.sealed_pdf.save(
                "sealed.pdf",
                ContentFile(storage.seal_bytes(document, SEALED_PDF, sealed)),
                save=False,
            )
        use.save()
        act(
            document,
            point,
            Step.SEAL,
            Decision.SEALED,
            by=by,
            credential=credential,
            opinion=f"{use.get_seal_display()}　用印{impressions}次",
        )
        document.seal()
        document.save()
        hold(document, Step.DISPATCH)
    return use


def sealed_pdf(document: Document, use: SealUse) -> bytes:
    with use.sealed_pdf.open("rb") as handle:
        return storage.open_bytes(document, SEALED_PDF, handle.read())


def dispatch(document: Document, *, by, pin: str | None = None) -> Document:
    """發文: the desk sends the sealed document to the recipients the decided 稿 names, by
    their 發文方式 (機密 and above by 電子交換 only where the agency allows it). Signed."""
    point = held_point(document, by, Step.DISPATCH)
    outgoing = _decided_outgoing(document)
    recipients = contents.recipients_of(outgoing)
    refused = check_exchange(document, recipients)
    if refused:
        raise DomainError("exchange_refused", refused[0], {"recipients": refused})
    with signing(document.signing_mode, by, pin) as credential, transaction.atomic():
        with audit.action("documents:dispatch"):
            point = locked(document, by, Step.DISPATCH)
            day = today()
            agencies = Agency.objects.in_bulk(
                [r.agency for r in recipients if r.agency], field_name="code"
            )
            for position, recipient in enumerate(recipients):
                row = DispatchRecipient(
                    document=document,
                    copy=recipient.copy,
                    agency=agencies.get(recipient.agency),
                    official_code=recipient.code,
                    method=recipient.method,
                    with_attachments=recipient.with_attachments,
                    dispatched_on=day,
                )
                if document.confidential:
                    row.sealed_name = storage.seal_bytes(
                        document, f"recipient:{position}", recipient.name.encode()
                    )
                else:
                    row.name = recipient.name
                row.save()
            act(
                document,
                point,
                Step.DISPATCH,
                Decision.DISPATCHED,
                by=by,
                credential=credential,
                opinion=f"發文 {len(recipients)} 個受文者",
            )
            document.dispatched_on = day
            document.closed_on = document.closed_on or day
            document.dispatch()
            document.save()
            hold(document, Step.FILE, holder=document.officer)
        transaction.on_commit(lambda: document_dispatched.send(Document, document=document))
    return document


def file_document(
    document: Document,
    *,
    by,
    file_code: str = "",
    retention: str = "",
    opinion: str = "",
    pin: str | None = None,
) -> Document:
    """歸檔: the officer closes the document — after 發文, or 存查 of one that needs no reply
    — with its 檔號 and 保存年限 (the archives module fills them from the agency's
    classification scheme through ``document_filed``). Signed."""
    point = held_point(document, by, Step.FILE, Step.DRAFT)
    if not document.may_be_filed_at({point.step}):
        raise DomainError("memo_needed", "公文須先簽奉核准（例如「擬存查」）後，才能歸檔。")
    opinion = checked_opinion(opinion)
    errors: dict[str, list[str]] = {}
    file_code = check_text(file_code or "", "檔號", field="file_code", max_length=60).strip()
    retention = check_text(retention or "", "保存年限", field="retention", max_length=20).strip()
    if retention and not re.match(RETENTION_PATTERN, retention):
        errors["retention"] = ["保存年限須為「永久」或「N年」（例如 10年）。"]
    if errors:
        raise DomainError.invalid(errors)
    with signing(document.signing_mode, by, pin) as credential, transaction.atomic():
        with audit.action("documents:file"):
            point = locked(document, by, Step.FILE, Step.DRAFT)
            document.file_code = file_code
            document.retention = retention
            document.filed_on = today()
            document.closed_on = document.closed_on or document.filed_on
            document.file()
            document.save()
            act(
                document,
                point,
                Step.FILE,
                Decision.FILED,
                by=by,
                credential=credential,
                opinion=opinion or "歸檔",
            )
        transaction.on_commit(lambda: document_filed.send(Document, document=document))
    return document
