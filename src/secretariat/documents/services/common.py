"""What every step shares: who may act, the signing act at a 簽核點, pending points, the
versions a point sees, and opening a confidential document (audited)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography import x509
from django.utils import timezone

from secretariat.core import audit
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import RoleCode
from secretariat.core.text import check_text
from secretariat.core.uploads import check_upload
from secretariat.documents import secrecy, selectors, storage, trail
from secretariat.documents import signing as sig  # pyHanko, pkcs11: loaded on first use
from secretariat.documents.models import (
    OPINION_MAX,
    Document,
    DraftRole,
    DraftVersion,
    Point,
    PointStatus,
    Signer,
    SignerCertificate,
    SigningMode,
    Step,
)

if TYPE_CHECKING:
    from secretariat.documents.signing import Credential


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate()


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def same_agency(user, document: Document) -> bool:
    return getattr(user, "agency_id", None) == document.agency_id


def is_clerk(user, document: Document) -> bool:
    """收發: a registry clerk of the document's agency."""
    return same_agency(user, document) and user.has_role(RoleCode.REGISTRY_CLERK)


def signer_of(user) -> Signer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Signer.objects.filter(user=user).select_related("certificate").first()


ATTACHMENTS_MAX = 50


def checked_files(uploads: Sequence, errors: dict, field: str) -> list[tuple[object, str]]:
    """The acceptable uploads with their content types (``core.uploads``); problems go into
    ``errors`` under ``field``."""
    if len(uploads) > ATTACHMENTS_MAX:
        errors.setdefault(field, []).append(f"附件最多 {ATTACHMENTS_MAX} 個。")
        return []
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload, field=field)))
        except DomainError as error:
            errors.setdefault(field, []).extend(error.fields[field])
    return checked


def read_upload(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def checked_opinion(opinion: str, label: str = "意見", *, required: bool = False) -> str:
    opinion = check_text(
        opinion or "", label, field="opinion", multiline=True, max_length=OPINION_MAX
    )
    opinion = opinion.strip()
    if required and not opinion:
        raise DomainError.invalid({"opinion": [f"請填寫{label}。"]})
    return opinion


# --- Who holds the document now -----------------------------------------------------------------


def pending_points(document: Document):
    return document.points.filter(status=PointStatus.PENDING)


def holds(user, point: Point) -> bool:
    """Whether ``user`` may act on a pending point: its person, a person of its unit, or —
    for a desk point — the agency's registry clerks (收發) or seal keepers (監印). The same
    rule as the inbox (``selectors.held_q``)."""
    return Point.objects.filter(pk=point.pk).filter(selectors.held_q(user)).exists()


def held_point(document: Document, user, *steps: str) -> Point:
    """The pending point of ``steps`` that ``user`` holds on ``document``, or a refusal."""
    point = (
        pending_points(document)
        .filter(step__in=steps)
        .filter(selectors.held_q(user))
        .select_related("document")
        .first()
    )
    if point is None:
        labels = "、".join(Step(step).label for step in steps)
        raise PermissionDenied(f"此公文目前不在您的待辦（{labels}）中。")
    return point


def locked(document: Document, user, *steps: str) -> Point | None:
    """Inside a step's transaction: lock the document's row, so that one step at a time
    changes it (two people acting at once: the second finds the point no longer theirs),
    read it fresh and return the point of ``steps`` that ``user`` holds now."""
    list(Document.objects.select_for_update().filter(pk=document.pk).values_list("pk"))
    document.refresh_from_db()
    document._audit_snapshot = document.audit_values()
    return held_point(document, user, *steps) if steps else None


def hold(document: Document, step: str, *, holder=None, unit=None, **extra) -> Point:
    """A new pending point: the document waits for ``holder`` (a person, who is notified),
    ``unit`` (會辦) or the agency's desk for ``step`` (neither)."""
    point = Point.objects.create(
        document=document, step=step, holder=holder, holder_unit=unit, **extra
    )
    if holder is not None and point.status == PointStatus.PENDING:
        core_services.notify(
            holder,
            f"公文待辦：{document.reference}（{point.get_step_display()}）",
            url=document.get_absolute_url(),
        )
    return point


def cancel_pending(document: Document, *, except_pk: int | None = None) -> int:
    """Withdraw every pending point (退回, 撤簽: the document goes back to its drafter)."""
    points = pending_points(document)
    if except_pk is not None:
        points = points.exclude(pk=except_pk)
    cancelled = 0
    for point in points:
        point.status = PointStatus.CANCELLED
        point.save(update_fields=["status"])
        cancelled += 1
    return cancelled


def latest_versions(document: Document) -> list[DraftVersion]:
    """The newest version of each of the document's drafts (來文, 簽, 稿 in that order)."""
    order = {DraftRole.INCOMING: 0, DraftRole.MEMO: 1, DraftRole.OUTGOING: 2}
    newest: dict[int, DraftVersion] = {}
    for version in DraftVersion.objects.filter(draft__document=document).select_related("draft"):
        current = newest.get(version.draft_id)
        if current is None or version.number > current.number:
            newest[version.draft_id] = version
    return sorted(newest.values(), key=lambda v: order[v.draft.role])


# --- Signing --------------------------------------------------------------------------------------


@contextlib.contextmanager
def signing(mode: str, by, pin: str | None) -> Iterator[Credential | None]:
    """The signer's card for an online step, opened with the PIN they give now (never
    stored), before anything is written: a wrong PIN or a missing card changes nothing.
    A paper-signed document (紙本簽核) records its steps without signatures."""
    if mode == SigningMode.PAPER:
        yield None
        return
    signer = signer_of(by)
    if signer is None or not signer.token_label:
        raise DomainError(
            "card_missing", "您尚未登錄憑證卡，無法線上簽核；請先至「我的憑證卡」登錄。"
        )
    spec = sig.TokenSpec(token_label=signer.token_label, key_label=signer.key_label or None)
    with sig.load_credential(spec, pin or "") as credential:
        if signer.certificate is not None and fingerprint(credential.certificate) != (
            signer.certificate.fingerprint
        ):
            raise DomainError(
                "card_mismatch",
                "憑證卡上的憑證與您登錄的憑證不符；換發憑證後請重新登錄憑證卡。",
            )
        yield credential


def fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def certificate_record(der: bytes) -> SignerCertificate:
    found = SignerCertificate.objects.filter(fingerprint=fingerprint(der)).first()
    if found is not None:
        return found
    cert = x509.load_der_x509_certificate(der)
    return SignerCertificate.objects.create(
        fingerprint=fingerprint(der),
        der=der,
        subject=cert.subject.rfc4514_string()[:300],
        issuer=cert.issuer.rfc4514_string()[:300],
        serial=format(cert.serial_number, "X"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
    )


def act(
    document: Document,
    point: Point | None,
    step: str,
    decision: str,
    *,
    by,
    credential: Credential | None,
    opinion: str = "",
    mark: str = "",
) -> Point:
    """Complete ``point`` (or record a new one) as done by ``by``: the decision, the opinion,
    the versions seen now — and, online, the signature over them (``trail.payload``)."""
    if point is None:
        point = Point(document=document)
    point.step = step
    point.status = PointStatus.DONE
    point.acted_by = by
    point.acted_at = now()
    point.decision = decision
    point.mark = mark
    storage.set_opinion(document, point, opinion)
    versions = latest_versions(document)
    point.versions = trail.seen_versions(versions)
    point.content_hash = hashlib.sha256(json.dumps(point.versions).encode()).hexdigest()
    point.save()
    if credential is not None:
        data = trail.payload(
            document,
            point,
            opinion=opinion,
            signer=by.username,
            versions=[tuple(v) for v in point.versions],
        )
        record = sig.sign_detached(data, credential, purpose=point.get_step_display())
        point.signature = record.signature
        point.certificate = certificate_record(record.certificate)
        point.signing_time = record.signing_time
        point.time_source = record.time_source
        point.revocation_checked = record.revocation_checked
        point.save(
            update_fields=[
                "signature",
                "certificate",
                "signing_time",
                "time_source",
                "revocation_checked",
            ]
        )
    return point


# --- Opening a document ---------------------------------------------------------------------------


def may_open(user, document: Document) -> bool:
    """Who may read a document's text (``selectors.visible_documents``: the one rule)."""
    return selectors.visible_documents(user).filter(pk=document.pk).exists()


@dataclass(frozen=True)
class Opened:
    """A document as its reader sees it: the decrypted subject. Texts of versions, opinions
    and files are read through ``storage`` with the same document (its key is unwrapped)."""

    document: Document
    subject: str


def open_document(document: Document, *, by) -> Opened:
    """The document's text for ``by`` (a refusal for anyone off a confidential document's
    chain). Every opening of a confidential document is audited."""
    require(may_open(by, document), "此公文為機密文書，僅簽核流程相關人員可以閱覽。")
    if document.confidential:
        audit.record(
            document,
            "open_confidential",
            {"secrecy": document.get_secrecy_display()},
            actor=audit.actor_of(by),
        )
        try:
            subject = storage.subject_of(document)
        except secrecy.SecrecyError:
            subject = "（無法解密）"
        return Opened(document, subject)
    return Opened(document, document.subject)
