"""簽核軌跡 (SI): what a 簽核點 signs, checking stored signatures, and the XML export.

A point signs its **payload**: the document (uid, agency, number), the point (id, step), the
decision, the opinion, the mark (代決 …), the signer, and every version it saw with the
SHA-256 of that version's content. Verifying rebuilds the payload from the stored rows —
re-hashing each version from its stored content — and checks the stored CMS signature over
it (``documents.signing.verify_detached``). So a changed byte in a stored version, decision,
opinion or signature breaks the signature of every point that covered it, and the check
names the document and the 簽核點.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from lxml import etree

from secretariat.core import roc
from secretariat.core.errors import DomainError
from secretariat.documents import content as contents
from secretariat.documents import signing as sig  # pyHanko, pkcs11: loaded on first use
from secretariat.documents import storage
from secretariat.documents.models import Document, DraftVersion, Point, PointStatus

if TYPE_CHECKING:
    from secretariat.documents.signing import TrustStore, Verification

PAYLOAD_VERSION = 1


def payload(
    document: Document,
    point: Point,
    *,
    opinion: str,
    signer: str,
    versions: Iterable[tuple[int, str, int, str]],
) -> bytes:
    """The canonical bytes a point signs. ``versions``: (version id, role, number, hash)."""
    data = {
        "v": PAYLOAD_VERSION,
        "document": str(document.uid),
        "agency": document.agency.code,
        "number": document.number,
        "point": point.pk,
        "step": point.step,
        "decision": point.decision,
        "opinion": opinion,
        "mark": point.mark,
        "signer": signer,
        "versions": [list(v) for v in versions],
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def seen_versions(versions: Iterable[DraftVersion]) -> list[list]:
    """What a point records of the versions it saw: [id, role, number, hash]."""
    return [[v.pk, v.draft.role, v.number, v.content_hash] for v in versions]


@dataclass(frozen=True)
class PointVerdict:
    point: Point
    ok: bool
    code: str = ""
    problem: str = ""
    verification: Verification | None = None


def _rehashed(document: Document, point: Point, stored: dict[int, DraftVersion]) -> list[tuple]:
    """The versions a point saw, hashed again from their stored content now."""
    found = []
    for version_id, role, number, _ in point.versions:
        version = stored.get(version_id)
        if version is None:
            raise _Broken("version_missing", f"簽核時所見的文稿第{number}版已不存在。")
        content = storage.version_content(document, version, role)
        found.append((version_id, role, version.number, contents.content_hash(content)))
    return found


class _Broken(Exception):
    def __init__(self, code: str, problem: str):
        super().__init__(problem)
        self.code, self.problem = code, problem


def verify_point(
    document: Document,
    point: Point,
    stored: dict[int, DraftVersion],
    trust: TrustStore | None = None,
) -> PointVerdict:
    """Check one signed point against what is stored now."""
    try:
        data = payload(
            document,
            point,
            opinion=storage.opinion_of(document, point),
            signer=point.acted_by.username if point.acted_by else "",
            versions=_rehashed(document, point, stored),
        )
    except _Broken as broken:
        return PointVerdict(point, False, broken.code, broken.problem)
    except DomainError as error:  # a sealed text that no longer opens
        return PointVerdict(point, False, error.code, error.message)
    verdict = sig.verify_detached(data, bytes(point.signature), trust=trust)
    return PointVerdict(point, verdict.ok, verdict.code or "", verdict.problem, verdict)


def signed_points(documents) -> Iterator[tuple[Document, list[Point], dict[int, DraftVersion]]]:
    """Each document with its signed points and the versions they saw (few queries a batch)."""
    points = Prefetch(
        "points",
        queryset=Point.objects.filter(status=PointStatus.DONE, signature__isnull=False)
        .select_related("acted_by")
        .order_by("pk"),
        to_attr="signed_points",
    )
    for document in documents.select_related("agency").prefetch_related(points):
        if not document.signed_points:
            continue
        ids = {v[0] for point in document.signed_points for v in point.versions}
        stored = {v.pk: v for v in DraftVersion.objects.filter(pk__in=ids).select_related("draft")}
        yield document, document.signed_points, stored


def verify_documents(documents, trust: TrustStore | None = None) -> Iterator[PointVerdict]:
    trust = trust or sig.TrustStore.from_settings()
    for document, points, stored in signed_points(documents):
        for point in points:
            yield verify_point(document, point, stored, trust)


# --- XML export --------------------------------------------------------------------------------

NAMESPACE = "urn:secretariat:documents:signing-trail:1"


def _sub(parent, tag: str, text: str | None = None, **attributes) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    for name, value in attributes.items():
        if value not in (None, ""):
            element.set(name, str(value))
    if text:
        element.text = text
    return element


def export_xml(document: Document, subject: str, points: list[Point]) -> bytes:
    """The signing trail as XML: every point with its signer, time, decision, opinion, the
    versions it saw and its signature and certificate (base64 DER), for keeping beside the
    document in the archives."""
    root = etree.Element(f"{{{NAMESPACE}}}簽核紀錄", nsmap={None: NAMESPACE})
    root.set("機關", document.agency.name)
    root.set("文號", document.number)
    root.set("發文字號", document.reference)
    _sub(root, "主旨", subject)
    for point in points:
        if point.status != PointStatus.DONE:
            continue
        element = _sub(
            root,
            "簽核點",
            序號=point.pk,
            種類=point.get_step_display(),
            決定=point.get_decision_display(),
            註記=point.get_mark_display() if point.mark else "",
        )
        signer = point.acted_by
        _sub(
            element,
            "簽核人員",
            str(signer) if signer else "",
            帳號=signer.username if signer else "",
            職稱=signer.job_title if signer else "",
        )
        if point.acted_at:
            _sub(
                element,
                "時間",
                roc.format_datetime(point.acted_at),
                iso=point.acted_at.isoformat(),
            )
        opinion = storage.opinion_of(document, point)
        if opinion:
            _sub(element, "意見", opinion)
        seen = _sub(element, "所見版本")
        for _, role, number, digest in point.versions:
            _sub(seen, "版本", 文稿=role, 版次=number, sha256=digest)
        if point.signature:
            signature = _sub(
                element,
                "數位簽章",
                base64.b64encode(bytes(point.signature)).decode(),
                格式="CMS/PKCS#7 detached (CAdES-BES)",
                簽章時間=point.signing_time.isoformat() if point.signing_time else "",
                時間來源=point.time_source,
            )
            if point.certificate is not None:
                _sub(
                    signature,
                    "憑證",
                    base64.b64encode(bytes(point.certificate.der)).decode(),
                    主體=point.certificate.subject,
                    簽發者=point.certificate.issuer,
                    序號=point.certificate.serial,
                )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
