"""Writes of the exchange (公文交換): sending a dispatched document to its 電子交換 recipients,
receiving a package (on the platform or uploaded from outside), 簽收 and 退文. Each checks who
may act, validates, changes, audits (``audit.action("exchange:…")``) in one transaction; a
refused package changes nothing but the exchange log, which records the refusal with the
sender so it can be answered.

One rule for every package received: ``_incoming`` — ``formats.read_package`` (zip, XML,
DTD, entities, attachments and their size), then the sender's 機關代碼 must be one the
registry knows and the receiving agency must be in the 交換表單. A document sent inside the
platform passes it on delivery and again at 簽收, exactly like an uploaded one."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from secretariat.core import audit
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import Agency
from secretariat.core.text import check_text
from secretariat.documents import selectors as documents
from secretariat.documents import services as document_services
from secretariat.exchange import formats, selectors
from secretariat.exchange.models import (
    REASON_MAX,
    EventKind,
    Exchange,
    ExchangeEvent,
    Route,
    State,
)

log = logging.getLogger(__name__)
HIDDEN_SUBJECT = "密不錄由"
# An uploaded package: its attachments are bounded one by one (``formats``); the whole is
# bounded too, so a request cannot hold more than this in memory.
PACKAGE_MAX_BYTES = 64 * 1024 * 1024


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _event(exchange: Exchange, kind: str, *, by=None, note: str = "") -> ExchangeEvent:
    return ExchangeEvent.objects.create(exchange=exchange, kind=kind, by=by, note=note[:REASON_MAX])


def _platform_agency(code: str) -> Agency | None:
    """The agency on this platform that a 機關代碼 names (none: outside, via the gateway)."""
    if not code:
        return None
    return Agency.objects.filter(official_code=code).first()


def known_code(code: str) -> bool:
    return code == settings.DOCUMENTS_GOVERNMENT["official_code"] or (
        Agency.objects.filter(official_code=code).exists()
    )


def _incoming(data: bytes, agency: Agency) -> formats.Incoming:
    """The package read and checked for ``agency``; PackageRefused otherwise."""
    incoming = formats.read_package(data)
    if not known_code(incoming.sender_code):
        raise formats.PackageRefused(
            "unknown_agency",
            f"發文機關代碼「{incoming.sender_code}」不在機關名錄中，無法確認來文機關。",
            element="機關代碼",
            line=incoming.sender_line,
            sender_code=incoming.sender_code,
            sender_name=incoming.sender_name,
        )
    if incoming.doc_type in formats.ADDRESSED:
        codes = {entry.code for entry in incoming.recipients}
        if not agency.official_code or agency.official_code not in codes:
            raise formats.PackageRefused(
                "not_addressed",
                f"本機關（{agency.name}）不在交換表單的受文機關中。",
                element="交換表",
                line=incoming.roster_line,
                sender_code=incoming.sender_code,
                sender_name=incoming.sender_name,
            )
    return incoming


# --- Sending -------------------------------------------------------------------------------------


def send_document(document) -> list[Exchange]:
    """Called when a document is dispatched (``document_dispatched``): one exchange per 電子交換
    recipient (``send_letter``)."""
    return send_letter(documents.outgoing_letter(document))


def send_letter(letter: documents.OutgoingLetter) -> list[Exchange]:
    """One exchange per 電子交換 recipient of ``letter`` — delivered at once to an agency on
    the platform (after the same checks as any package received), or written to the outbox
    for the gateway."""
    recipients = formats.exchanged_recipients(letter)
    if not recipients:
        return []
    document = letter.document
    hidden = letter.secrecy != documents.Secrecy.NONE
    subject = HIDDEN_SUBJECT if hidden else letter.subject
    created = []
    problem = ""
    if letter.doc_type not in formats.FORMATS:
        problem = "此文別沒有電子交換格式，請改用其他發文方式。"
    elif not letter.sender_code:
        problem = "發文機關尚未在機關名錄登錄機關代碼，無法電子交換；請洽系統管理者登錄。"
    with transaction.atomic(), audit.action("exchange:send"):
        name, data = formats.package_for(letter) if not problem else ("", b"")
        sender = document.agency if document is not None else _platform_agency(letter.sender_code)
        for recipient in recipients:
            agency = _platform_agency(recipient.code)
            exchange = Exchange(
                route=Route.PLATFORM if agency else Route.GATEWAY,
                state=State.SENT,
                document=document,
                sender_agency=sender,
                sender_name=letter.sender_name,
                sender_code=letter.sender_code,
                sender_number=letter.reference,
                subject=subject[:500],
                recipient_agency=agency,
                recipient_name=recipient.name,
                recipient_code=recipient.code,
                copy=recipient.copy,
                package_name=name,
            )
            if data:
                exchange.package.save(name, ContentFile(data), save=False)
            exchange.save()
            created.append(exchange)
            if problem:
                _refused(exchange, problem)
                continue
            _event(exchange, EventKind.SENT, note=f"交換封包 {name}")
            if agency is None:
                path = _outbox_path(recipient.code, name)
                transaction.on_commit(lambda path=path, data=data: _write(path, data))
                continue
            try:
                _incoming(data, agency)
            except formats.PackageRefused as refusal:
                _refused(exchange, refusal.message)
                continue
            exchange.state = State.DELIVERED
            exchange.save()
            _event(exchange, EventKind.DELIVERED, note=f"已送達{agency.name}收發")
    return created


def _refused(exchange: Exchange, reason: str, *, by=None) -> None:
    exchange.state = State.REFUSED
    exchange.reason = reason[:REASON_MAX]
    exchange.save()
    _event(exchange, EventKind.REFUSED, by=by, note=reason)


def _outbox_path(code: str, name: str) -> Path:
    return Path(settings.EXCHANGE_OUTBOX_DIR) / code / name


def _write(path: Path, data: bytes) -> None:
    """A package for the gateway: written whole under a temporary name, then renamed, so a
    gateway polling the folder never picks up half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(path)


def on_dispatched(sender, document, **kwargs) -> None:
    send_document(document)


# --- Receiving -----------------------------------------------------------------------------------


def _receive(exchange: Exchange, incoming: formats.Incoming, *, by, signing_mode: str, pin):
    """收文 through the documents' own 收文 (the same rule as a paper 來文), then 簽收."""
    document = document_services.receive_document(
        origin=documents.Origin.ELECTRONIC,
        doc_type=incoming.doc_type,
        subject=incoming.subject,
        sender_name=incoming.sender_name,
        sender_code=incoming.sender_code,
        sender_number=incoming.sender_number,
        sender_date=incoming.sender_date,
        speed=incoming.speed,
        secrecy=incoming.secrecy,
        declassify=incoming.declassify,
        signing_mode=signing_mode,
        attachments=[SimpleUploadedFile(f.name, f.data) for f in incoming.files],
        sections=incoming.sections,
        meeting=incoming.meeting or None,
        by=by,
        pin=pin,
    )
    exchange.received_document = document
    exchange.state = State.SIGNED
    exchange.save()
    _event(exchange, EventKind.RECEIVED, by=by, note=f"收文文號 {document.number}")
    _event(exchange, EventKind.SIGNED, by=by)
    return document


def _package_bytes(exchange: Exchange) -> bytes:
    with exchange.package.open("rb") as handle:
        return handle.read()


def sign_for(exchange: Exchange, *, by, signing_mode: str, pin: str | None = None) -> Exchange:
    """簽收: the receiving agency's 收發 accepts a delivered package; it becomes a 收文 (numbered,
    at the desk for 分文) and the sender sees 已簽收."""
    _require(
        selectors.is_clerk(by, exchange.recipient_agency_id), "只有受文機關的收發人員可以簽收。"
    )
    if exchange.state != State.DELIVERED:
        raise DomainError("not_waiting", "此交換公文已簽收或已退文。")
    try:
        incoming = _incoming(_package_bytes(exchange), exchange.recipient_agency)
    except formats.PackageRefused as refusal:
        raise DomainError(
            "package_refused", refusal.message, {"package": [refusal.message]}
        ) from None
    with transaction.atomic(), audit.action("exchange:sign"):
        locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
        if locked.state != State.DELIVERED:
            raise DomainError("not_waiting", "此交換公文已簽收或已退文。")
        _receive(locked, incoming, by=by, signing_mode=signing_mode, pin=pin)
    return locked


def refuse(exchange: Exchange, *, by, reason: str) -> Exchange:
    """退文: the receiving agency's 收發 sends a delivered package back, with the reason the
    sender sees."""
    _require(
        selectors.is_clerk(by, exchange.recipient_agency_id), "只有受文機關的收發人員可以退文。"
    )
    reason = check_text(reason or "", "退文理由", field="reason", max_length=REASON_MAX).strip()
    if not reason:
        raise DomainError.invalid({"reason": ["請填寫退文理由。"]})
    with transaction.atomic(), audit.action("exchange:refuse"):
        locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
        if locked.state != State.DELIVERED:
            raise DomainError("not_waiting", "此交換公文已簽收或已退文。")
        _refused(locked, reason, by=by)
    return locked


def import_package(
    data: bytes, *, by, name: str = "", signing_mode: str, pin: str | None = None
) -> Exchange:
    """A package from an agency outside the platform (uploaded by a 收發, or through the API)
    becomes a 收文 at once. A refused one is logged with its sender (退文) and nothing else
    is saved."""
    agency = getattr(by, "agency", None)
    _require(
        agency is not None and selectors.is_clerk(by, agency.pk), "只有收發人員可以匯入交換封包。"
    )
    name = check_text(name or "", "封包檔名", field="package", max_length=140).strip()
    try:
        if len(data) > PACKAGE_MAX_BYTES:
            raise formats.PackageRefused(
                "too_large", f"交換封包超過 {PACKAGE_MAX_BYTES // (1024 * 1024)} MB 的大小上限。"
            )
        incoming = _incoming(data, agency)
    except formats.PackageRefused as refusal:
        _log_refusal(by, name, refusal.message, refusal.sender_code, refusal.sender_name)
        raise DomainError(
            "package_refused", refusal.message, {"package": [refusal.message]}
        ) from None
    try:
        with transaction.atomic(), audit.action("exchange:import"):
            sender = _platform_agency(incoming.sender_code)
            exchange = Exchange(
                route=Route.UPLOAD,
                state=State.DELIVERED,
                sender_agency=sender,
                sender_name=incoming.sender_name,
                sender_code=incoming.sender_code,
                sender_number=incoming.sender_number,
                subject=(
                    HIDDEN_SUBJECT
                    if incoming.secrecy != documents.Secrecy.NONE
                    else incoming.subject
                )[:500],
                recipient_agency=agency,
                recipient_name=agency.name,
                recipient_code=agency.official_code,
                package_name=name[:140],
            )
            exchange.save()
            _event(exchange, EventKind.DELIVERED, by=by, note="上傳交換封包")
            _receive(exchange, incoming, by=by, signing_mode=signing_mode, pin=pin)
            # Kept last: a refusal above leaves no file behind.
            exchange.package.save("package.zip", ContentFile(data), save=True)
    except DomainError as error:
        if error.code == "invalid":  # the package's content, not the person's card or PIN
            _log_refusal(by, name, error.message, incoming.sender_code, incoming.sender_name)
        raise
    return exchange


def _log_refusal(by, name: str, reason: str, sender_code: str, sender_name: str) -> None:
    with transaction.atomic(), audit.action("exchange:refuse_upload"):
        exchange = Exchange.objects.create(
            route=Route.UPLOAD,
            state=State.REFUSED,
            sender_agency=_platform_agency(sender_code),
            sender_name=sender_name[:100],
            sender_code=sender_code[:10],
            recipient_agency=by.agency,
            recipient_name=by.agency.name,
            recipient_code=by.agency.official_code,
            package_name=name[:140],
            reason=reason[:REASON_MAX],
        )
        _event(exchange, EventKind.REFUSED, by=by, note=reason)


# --- Export --------------------------------------------------------------------------------------


def export_package(document, *, by) -> tuple[str, bytes]:
    """The package of a dispatched document the person may see (opening a 密 one is audited)."""
    if document.dispatched_on is None:
        raise DomainError("not_dispatched", "公文尚未發文，沒有交換封包。")
    if document.doc_type not in formats.FORMATS:
        raise DomainError("no_format", "此文別沒有電子交換格式。")
    document_services.open_document(document, by=by)
    letter = documents.outgoing_letter(document)
    if letter.doc_type in formats.ADDRESSED and not formats.exchanged_recipients(letter):
        raise DomainError("not_exchanged", "此公文沒有以電子交換發文的受文者。")
    return formats.package_for(letter)
