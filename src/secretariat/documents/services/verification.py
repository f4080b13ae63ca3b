"""驗章: checking the stored signatures of one document (on demand) or of all of them
(nightly), recording what was found and telling the administrators of a broken one."""

from __future__ import annotations

from django.db import transaction

from secretariat.core import audit
from secretariat.core import services as core_services
from secretariat.core.models import RoleCode, User
from secretariat.documents import signing as sig  # pyHanko, pkcs11: loaded on first use
from secretariat.documents import trail
from secretariat.documents.models import Document, VerificationProblem, VerificationRun
from secretariat.documents.services.common import may_open, now, require

BATCH = 500


def verify_document(document: Document, *, by) -> VerificationRun:
    """Check every signature of one document now (anyone who may open it)."""
    require(may_open(by, document), "您沒有檢視此公文的權限。")
    return _run(Document.objects.filter(pk=document.pk), by=by, document=document)


def verify_all(*, by=None) -> VerificationRun:
    """The nightly check of every stored signature; administrators are told of each broken
    one (the document and its 簽核點)."""
    run = _run(Document.objects.order_by("pk"), by=by, document=None)
    if run.broken:
        _notify_administrators(run)
    return run


def _run(documents, *, by, document: Document | None) -> VerificationRun:
    run = VerificationRun.objects.create(started_at=now(), requested_by=by, document=document)
    trust = sig.TrustStore.from_settings()
    checked = broken = 0
    problems: list[VerificationProblem] = []
    last = 0
    while True:
        ids = list(
            documents.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            break
        last = ids[-1]
        batch = Document.objects.filter(pk__in=ids).order_by("pk")
        for verdict in trail.verify_documents(batch, trust):
            checked += 1
            if not verdict.ok:
                broken += 1
                problems.append(
                    VerificationProblem(
                        run=run,
                        document_id=verdict.point.document_id,
                        point=verdict.point,
                        code=verdict.code[:40],
                        problem=verdict.problem[:300],
                    )
                )
    with transaction.atomic():
        VerificationProblem.objects.bulk_create(problems)
        run.checked, run.broken, run.finished_at = checked, broken, now()
        run.save()
        audit.record(
            document,
            "verify_signatures",
            {"checked": checked, "broken": broken},
            object_type="documents.verificationrun" if document is None else None,
            object_id=str(run.pk) if document is None else None,
            object_repr=str(run) if document is None else None,
            actor=audit.actor_of(by) if by is not None else None,
        )
    return run


def _notify_administrators(run: VerificationRun) -> None:
    first = run.problems.select_related("document").first()
    detail = f"第一筆：{first.document.reference} 簽核點#{first.point_id}：{first.problem}"
    for person in User.objects.filter(roles__code=RoleCode.SYSTEM_ADMIN, is_active=True).distinct():
        core_services.notify(
            person,
            f"公文簽章查核發現 {run.broken} 筆異常",
            detail,
            url="/documents/verification/",
            mail=True,
        )
