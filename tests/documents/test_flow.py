"""The whole path of a 公文 through the services, signed at every 簽核點 with SoftHSM2 cards;
verifying finds every signature good, and a changed byte in a stored version is reported
with its document and 簽核點."""

from __future__ import annotations

import pytest
from django.utils import timezone

from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry
from secretariat.documents import services, trail
from secretariat.documents.models import (
    Decision,
    DraftVersion,
    Point,
    PointStatus,
    SealUse,
    Status,
    Step,
)
from secretariat.documents.signing import validate_pdf

from .flow import receive, to_officer, whole_path, write_drafts

pytestmark = pytest.mark.django_db


def test_whole_path_signs_every_point(office):
    document = whole_path(office, subject="函請協助辦理市政大樓節能改善")
    assert document.status == Status.FILED
    assert document.number == f"{document.year:03d}3000001"  # the agency's serial base
    assert document.reference == f"北市秘總字第{document.number}號"
    done = list(document.points.filter(status=PointStatus.DONE).order_by("pk"))
    assert [p.decision for p in done] == [
        Decision.RECEIVED,
        Decision.DISTRIBUTED,
        Decision.SENT_FOR_COSIGN,
        Decision.COSIGNED,
        Decision.SUBMITTED,
        Decision.FORWARDED,
        Decision.FORWARDED,
        Decision.DECIDED,
        Decision.PROOFED,
        Decision.SEALED,
        Decision.DISPATCHED,
        Decision.FILED,
    ]
    assert all(p.signature and p.certificate_id for p in done)
    assert {p.acted_by.username for p in done} == {
        f"doc-{who}"
        for who in ("clerk", "officer", "cosigner", "chief", "director", "head", "keeper")
    }
    assert not document.points.filter(status=PointStatus.PENDING).exists()
    # The decider signed the versions it saw: the 來文, the 簽 and the 稿.
    decided = next(p for p in done if p.decision == Decision.DECIDED)
    assert [v[1] for v in decided.versions] == ["incoming", "memo", "outgoing"]
    # 用印 sealed the outgoing PDF with the agency's certificate (PAdES), and pyHanko agrees.
    use = SealUse.objects.get(document=document)
    assert use.seal == "electronic"
    verdict = validate_pdf(services.sealed_pdf(document, use))
    assert verdict.ok, verdict.problem
    assert document.closed_on == document.dispatched_on == timezone.localdate()
    assert (document.file_code, document.retention) == ("115/010101/1", "10年")
    assert document.recipients.count() == 2


def test_verify_finds_every_signature_good_then_a_changed_byte(office):
    document = whole_path(office)
    run = services.verify_document(document, by=office.officer)
    assert (run.checked, run.broken) == (12, 0)

    # Someone with database access changes one character of the decided 稿.
    version = DraftVersion.objects.filter(draft__document=document, draft__role="outgoing").latest(
        "number"
    )
    tampered = version.content.replace("12月20日", "12月21日")
    assert tampered != version.content
    DraftVersion.objects.filter(pk=version.pk).update(content=tampered)

    run = services.verify_document(document, by=office.officer)
    broken = {p.point_id: p for p in run.problems.all()}
    # every point that saw the 稿's last version: 決行 and after
    saw = [p for p in document.points.all() if any(v[0] == version.pk for v in p.versions)]
    assert saw and set(broken) == {p.pk for p in saw}
    problem = broken[saw[0].pk]
    assert problem.document_id == document.pk
    assert problem.code == "signature_mismatch"
    assert problem.problem == "簽章與內容不符。"
    assert run.broken == len(saw)


def test_a_changed_decision_or_signature_is_reported(office):
    document = whole_path(office)
    decided = document.points.get(decision=Decision.DECIDED)
    Point.objects.filter(pk=decided.pk).update(opinion="不准。")
    filed = document.points.get(decision=Decision.FILED)
    signature = bytearray(filed.signature)
    signature[-10] ^= 0x01
    Point.objects.filter(pk=filed.pk).update(signature=bytes(signature))
    verdicts = {v.point.pk: v for v in trail.verify_documents(type(document).objects.all())}
    assert not verdicts[decided.pk].ok and verdicts[decided.pk].code == "signature_mismatch"
    assert not verdicts[filed.pk].ok and verdicts[filed.pk].code == "signature_invalid"
    assert sum(not v.ok for v in verdicts.values()) == 2


def test_nightly_check_notifies_administrators(office, make_person):
    from secretariat.core.models import Notification

    document = whole_path(office)
    DraftVersion.objects.filter(draft__document=document, draft__role="incoming").update(
        content='{"tampered": true}'
    )
    run = services.verify_all()
    assert run.broken >= 2 and run.document is None
    note = Notification.objects.get(recipient=office.admin)
    assert f"{run.broken} 筆異常" in note.title
    assert document.reference in note.body


def test_sequential_cosign_goes_unit_by_unit_and_returns_to_the_sender(office):
    document = to_officer(office, receive(office))
    write_drafts(office, document)
    services.send_for_cosign(
        document,
        units=[office.units["機要組"], office.units["文書組"]],
        parallel=False,
        by=office.officer,
        pin=office.pin,
    )
    cosigns = list(document.points.filter(step=Step.COSIGN).order_by("position"))
    assert [p.status for p in cosigns] == [PointStatus.PENDING, PointStatus.QUEUED]
    with pytest.raises(PermissionDenied):
        services.cosign(document, by=office.clerk, pin=office.pin)  # 文書組 is not yet asked
    services.cosign(document, by=office.cosigner, pin=office.pin)
    services.cosign(document, by=office.clerk, opinion="請注意用印份數。", pin=office.pin)
    back = document.points.get(status=PointStatus.PENDING)
    assert (back.step, back.holder) == (Step.DRAFT, office.officer)


def test_a_reviewer_adds_a_unit_then_returns_and_the_officer_withdraws(office):
    document = to_officer(office, receive(office))
    write_drafts(office, document)
    services.submit(document, to=office.chief, by=office.officer, pin=office.pin)
    services.send_for_cosign(
        document, units=[office.units["機要組"]], by=office.chief, pin=office.pin
    )
    assert document.points.filter(decision=Decision.ADDED_COSIGN).exists()  # 加會
    services.cosign(document, by=office.cosigner, pin=office.pin)
    assert document.points.get(status=PointStatus.PENDING).holder == office.chief
    with pytest.raises(DomainError) as refused:
        services.return_document(document, reason="  ", by=office.chief, pin=office.pin)
    assert refused.value.fields == {"opinion": ["請填寫退回理由。"]}
    services.return_document(document, reason="請補充經費來源。", by=office.chief, pin=office.pin)
    document.refresh_from_db()
    assert document.status == Status.DRAFTING
    assert document.points.get(status=PointStatus.PENDING).holder == office.officer

    services.submit(document, to=office.chief, by=office.officer, pin=office.pin)
    services.withdraw(document, reason="來文機關來電補件。", by=office.officer, pin=office.pin)
    document.refresh_from_db()
    assert document.status == Status.DRAFTING
    assert document.points.filter(status=PointStatus.CANCELLED, holder=office.chief).exists()
    withdrawn = document.points.get(decision=Decision.WITHDRAWN)
    assert withdrawn.signature and withdrawn.opinion == "來文機關來電補件。"


def test_reroute_only_on_the_day_of_distribution(office):
    document = to_officer(office, receive(office))
    services.reroute(document, reason="非本組業務。", by=office.officer, pin=office.pin)
    document.refresh_from_db()
    assert document.status == Status.REGISTERED and document.officer is None
    to_officer(office, document)
    type(document).objects.filter(pk=document.pk).update(
        distributed_at=timezone.now() - timezone.timedelta(days=1)
    )
    document.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.reroute(document, reason="非本組業務。", by=office.officer, pin=office.pin)
    assert refused.value.code == "reroute_too_late"
    assert "分文當日" in refused.value.message


def test_memo_first_then_the_draft_then_filing(office):
    document = services.create_document(
        doc_type="memo", subject="辦理文書處理講習", method="memo_first", by=office.officer
    )
    assert document.number.endswith("3000001") and document.prefix == "北市秘總"
    with pytest.raises(DomainError) as refused:
        services.submit(document, to=office.chief, by=office.officer, pin=office.pin)
    assert refused.value.message == "依擬辦方式「先簽後稿」，陳核前請先擬簽。"
    services.save_draft(
        document,
        "memo",
        doc_type="memo",
        subject="擬辦理文書處理講習",
        sections={"說明": "為提升文書品質。", "擬辦": "奉核後擬稿通知各機關。"},
        by=office.officer,
    )
    services.submit(document, to=office.head, by=office.officer, pin=office.pin)
    services.decide(document, by=office.head, pin=office.pin)
    document.refresh_from_db()
    assert document.status == Status.APPROVED  # the 簽 is approved; the 稿 may follow
    services.file_document(document, by=office.officer, opinion="存查。", pin=office.pin)
    document.refresh_from_db()
    assert document.status == Status.FILED and document.closed_on is not None


def test_every_step_is_audited_and_no_entry_names_the_subject(office):
    document = whole_path(office, subject="獨特主旨甲乙丙")
    entries = AuditEntry.objects.filter(object_type="documents.document", object_id=document.pk)
    actions = set(entries.values_list("action", flat=True))
    assert {"documents:receive", "documents:distribute", "documents:decide"} <= actions
    assert not any("獨特主旨甲乙丙" in e.object_repr for e in AuditEntry.objects.all())
