"""The document's rules: numbering of items, 速別 limits on the working-day calendar, 分層負責
levels and the marks of 代決 / 代行 / 授權決行, and bad input refused whole — a draft without
主旨, a recipient without 機關代碼, an expired or untrusted certificate, a wrong PIN."""

from __future__ import annotations

import datetime as dt

import pytest

from secretariat.core.errors import DomainError
from secretariat.core.models import AuditEntry
from secretariat.documents import paragraphs, services
from secretariat.documents.models import (
    Decision,
    DecisionMark,
    Document,
    DraftVersion,
    Point,
    Signer,
    Status,
)

from .flow import receive, to_decision, to_officer, write_drafts

# --- 項次 ------------------------------------------------------------------------------------------


def test_items_are_numbered_by_level_whatever_was_typed():
    typed = "三、依據來函辦理。\n(五) 已勘查\n    1. 第一期\n\t\t2.第二期\n一、請查照"
    lines = paragraphs.lines(paragraphs.parse(typed))
    assert [(line.level, line.label, line.text) for line in lines] == [
        (0, "一、", "依據來函辦理。"),
        (1, "（一）", "已勘查"),
        (2, "1、", "第一期"),
        (2, "2、", "第二期"),
        (0, "二、", "請查照"),
    ]
    indented = paragraphs.lines(paragraphs.parse("甲\n　乙\n  丙\n\t\t丁"))
    assert [(line.label, line.text) for line in indented] == [
        ("一、", "甲"),
        ("（一）", "乙"),
        ("（二）", "丙"),
        ("1、", "丁"),
    ]
    # a number inside the text is not an item number
    assert paragraphs.lines(paragraphs.parse("面積1.5公頃")) == [
        paragraphs.Line(0, "", "面積1.5公頃")
    ]


def test_a_skipped_level_is_refused_with_the_line():
    with pytest.raises(paragraphs.ParagraphError) as refused:
        paragraphs.parse("依據來函辦理。\n（1）細目", "說明")
    assert str(refused.value) == "說明第2行的層次跳級：此處應為「（一）」層次的項目。"


def test_nested_numbering_and_a_single_item():
    items = paragraphs.parse("甲案\n（一）子項\n1、細目\n（1）小目\n乙案")
    assert [(line.label, line.text) for line in paragraphs.lines(items)] == [
        ("一、", "甲案"),
        ("（一）", "子項"),
        ("1、", "細目"),
        ("（1）", "小目"),
        ("二、", "乙案"),
    ]
    assert paragraphs.lines(paragraphs.parse("請查照。")) == [paragraphs.Line(0, "", "請查照。")]
    assert [paragraphs.label(0, n) for n in (10, 11, 20, 21, 105)] == [
        "十、",
        "十一、",
        "二十、",
        "二十一、",
        "一百零五、",
    ]


def test_typed_text_round_trips_for_editing():
    items = paragraphs.parse("甲案\n\t子項\n\t\t細目\n乙案")
    assert paragraphs.parse(paragraphs.as_text(items)) == items


# --- 速別 limits ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received", "speed", "due"),
    [
        # 114年春節: 1/25–2/2 off; the three working days after Friday 1/24 end on 2/5
        (dt.date(2025, 1, 24), "urgent", dt.date(2025, 2, 5)),
        (dt.date(2025, 1, 24), "most_urgent", dt.date(2025, 2, 3)),
        # Saturday 2/8 was a make-up workday (補班): it counts
        (dt.date(2025, 1, 24), "normal", dt.date(2025, 2, 8)),
        (dt.date(2025, 2, 7), "most_urgent", dt.date(2025, 2, 8)),
        (dt.date(2025, 2, 6), "normal", dt.date(2025, 2, 13)),
    ],
)
def test_processing_limits_count_working_days_from_the_day_after(received, speed, due):
    assert services.due_date(received, speed) == due


@pytest.mark.django_db
def test_a_sender_deadline_sets_the_limit(office):
    deadline = dt.date.today() + dt.timedelta(days=20)
    document = receive(office, sender_deadline=deadline)
    assert document.due_on == deadline
    assert receive(office, speed="most_urgent").due_on == services.due_date(
        document.received_on, "most_urgent"
    )


@pytest.mark.django_db
def test_project_control_needs_thirty_days_and_approval(office):
    document = to_officer(office, receive(office))
    with pytest.raises(DomainError) as refused:
        services.request_project_control(
            document,
            due_on=document.received_on + dt.timedelta(days=29),
            reason="需跨機關協調",
            by=office.officer,
        )
    assert "30 日以上" in refused.value.fields["due_on"][0]
    wanted = document.received_on + dt.timedelta(days=45)
    services.request_project_control(
        document, due_on=wanted, reason="需跨機關協調", by=office.officer
    )
    with pytest.raises(DomainError):
        services.decide_project_control(document, approve=True, by=office.cosigner)
    services.decide_project_control(document, approve=True, by=office.chief)
    document.refresh_from_db()
    assert (document.due_on, document.control_approved) == (wanted, True)
    assert not Document.objects.overdue_on(wanted).filter(pk=document.pk).exists()
    assert (
        Document.objects.overdue_on(wanted + dt.timedelta(days=1)).filter(pk=document.pk).exists()
    )


# --- 分層負責 ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("matter", "decider", "mark", "note"),
    [
        ("A01", "chief", DecisionMark.DELEGATED, "本案依分層負責規定授權科長決行"),
        ("A01", "director", DecisionMark.NONE, ""),
        ("B01", "director", DecisionMark.DELEGATED, "本案依分層負責規定授權組長決行"),
        ("C01", "head", DecisionMark.NONE, ""),
        ("C01", "deputy", DecisionMark.ACTING_HEAD, "代行"),
    ],
)
def test_decisions_at_the_level_of_the_table(office, matter, decider, mark, note):
    document = services.create_document(
        doc_type="letter",
        subject="分層負責測試",
        method="draft_only",
        matter=office.matters[matter],
        by=office.officer,
    )
    write_drafts(office, document)
    services.submit(document, to=getattr(office, decider), by=office.officer, pin=office.pin)
    services.decide(document, by=getattr(office, decider), pin=office.pin)
    document.refresh_from_db()
    assert document.status == Status.DECIDED
    assert (document.decision_mark, document.decision_note) == (mark, note)
    assert document.decision_level == office.matters[matter].level
    point = document.points.get(decision=Decision.DECIDED)
    assert point.mark == mark and point.signature
    # the mark prints in the 署名 of the outgoing draft
    from secretariat.documents import rendering

    signature = rendering.sheet_for(document, "outgoing").signature
    assert signature[0].startswith("處長　陳處長")
    assert signature[1:] == ([] if not note else [note] if note != "代行" else [
        f"{document.decided_by.job_title}　{document.decided_by}　代行"
    ])  # fmt: skip


@pytest.mark.django_db
def test_a_lower_level_is_refused_and_a_deputy_decides_for_the_chief(office):
    document = services.create_document(
        doc_type="letter",
        subject="分層負責測試",
        method="draft_only",
        matter=office.matters["B01"],
        by=office.officer,
    )
    write_drafts(office, document)
    services.submit(document, to=office.chief, by=office.officer, pin=office.pin)
    with pytest.raises(DomainError) as refused:
        services.decide(document, by=office.chief, pin=office.pin)
    assert refused.value.message == (
        "本案依分層負責明細表應由第二層（一級主管）決行；您的層級為第三層（科長），不能決行。"
    )
    # 代決: the 科長 stands in for the 組長 (their deputy)
    Signer.objects.filter(user=office.chief).update(deputy_for=office.director)
    services.decide(document, by=office.chief, pin=office.pin)
    document.refresh_from_db()
    assert (document.decision_mark, document.decision_note) == (
        DecisionMark.ACTING_DECISION,
        "代決",
    )
    from secretariat.documents import rendering

    signature = rendering.sheet_for(document, "outgoing").signature
    assert signature == ["處長　陳處長", f"{office.chief.job_title}　{office.chief}　代決"]
    from .test_outputs import odt_lines, pdf_text, squash

    sheet = rendering.sheet_for(document, "outgoing")
    assert f"{office.chief.job_title}　{office.chief}　代決" in odt_lines(rendering.odt(sheet))
    assert squash(f"{office.chief}代決") in squash(pdf_text(rendering.pdf(sheet)))


@pytest.mark.django_db
def test_the_decision_marks_print_in_the_signature(office):
    from secretariat.documents import rendering

    document = to_officer(office, receive(office))
    write_drafts(office, document)
    to_decision(office, document, decider=office.deputy, cosign=False)
    document.refresh_from_db()
    sheet = rendering.sheet_for(document, "outgoing")
    assert sheet.signature == ["處長　陳處長　請假", "副處長　副處長deputy　代行"]


# --- Bad input: a clear zh-Hant refusal, nothing half-saved ----------------------------------------


def _snapshot():
    return (
        Document.objects.count(),
        DraftVersion.objects.count(),
        Point.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.django_db
def test_a_draft_without_subject(office):
    document = to_officer(office, receive(office))
    before = _snapshot()
    with pytest.raises(DomainError) as refused:
        services.save_draft(
            document,
            "outgoing",
            doc_type="letter",
            subject="  ",
            sections={"說明": "說明文字。"},
            recipients=[{"copy": "original", "name": "臺北市政府", "method": "exchange"}],
            by=office.officer,
        )
    assert refused.value.fields == {"subject": ["請填寫主旨。"]}
    assert refused.value.message == "資料有誤：請填寫主旨。"
    assert _snapshot() == before
    with pytest.raises(DomainError) as refused:
        receive(office, subject="")
    assert refused.value.fields["subject"] == ["請填寫主旨。"]
    assert _snapshot() == before


@pytest.mark.django_db
def test_a_recipient_without_official_code(office):
    document = to_officer(office, receive(office))
    before = _snapshot()
    rows = [
        {"copy": "original", "name": "民政局", "method": "exchange"},  # no code in the registry
        {"copy": "copy", "name": "財團法人臺北市文化基金會", "method": "exchange"},
        {"copy": "copy", "name": "某協會", "code": "12345", "method": "exchange"},
    ]
    with pytest.raises(DomainError) as refused:
        services.save_draft(
            document, "outgoing", doc_type="letter", subject="主旨", sections={},
            recipients=rows, by=office.officer,
        )  # fmt: skip
    assert refused.value.fields["recipients"] == [
        "受文者「臺北市政府民政局」在機關名錄尚未登錄機關代碼，請洽系統管理者登錄，或改用其他發文方式。",
        "受文者「財團法人臺北市文化基金會」沒有機關代碼，以電子交換發文須填 10 碼機關代碼。",
        "受文者「某協會」的機關代碼「12345」格式不正確（10 碼，例如 379000000A）。",
    ]
    assert _snapshot() == before
    # once the registry has the code, the agency can be sent to electronically
    from secretariat.core.models import Agency

    Agency.objects.filter(short_name="民政局").update(official_code="379020000A")
    version = services.save_draft(
        document, "outgoing", doc_type="letter", subject="主旨", sections={},
        recipients=rows[:1], by=office.officer,
    )  # fmt: skip
    assert '"code": "379020000A"' in version.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("card", "code", "message"),
    [
        ("expired", "cert_expired", "憑證已過期。"),
        ("stranger", "cert_untrusted", "憑證不受信任（無法連結到設定的信任憑證）。"),
    ],
)
def test_an_expired_or_untrusted_certificate(office, cards, card, code, message):
    document = receive(office)
    Signer.objects.filter(user=office.clerk).update(token_label=cards[card])
    before = _snapshot()
    with pytest.raises(DomainError) as refused:
        services.distribute(document, officer=office.officer, by=office.clerk, pin=office.pin)
    assert (refused.value.code, refused.value.message) == (code, message)
    assert _snapshot() == before
    document.refresh_from_db()
    assert document.status == Status.REGISTERED and document.officer is None


@pytest.mark.django_db
def test_an_untrusted_card_cannot_be_registered(office, cards):
    with pytest.raises(DomainError) as refused:
        services.register_card(
            office.cosigner, token_label=cards["stranger"], pin=office.pin, by=office.cosigner
        )
    assert refused.value.code == "cert_untrusted"
    signer = services.register_card(
        office.cosigner, token_label=cards["cosigner"], pin=office.pin, by=office.cosigner
    )
    assert signer.certificate.subject.startswith("CN=cosigner")


@pytest.mark.django_db
def test_a_wrong_pin(office):
    before = _snapshot()
    with pytest.raises(DomainError) as refused:
        receive(office, pin="000000")
    assert (refused.value.code, refused.value.message) == ("pin_incorrect", "憑證卡 PIN 碼錯誤。")
    assert _snapshot() == before
    document = to_officer(office, receive(office))
    write_drafts(office, document)
    before = _snapshot()
    with pytest.raises(DomainError) as refused:
        services.submit(document, to=office.chief, by=office.officer, pin="999999")
    assert refused.value.code == "pin_incorrect"
    assert _snapshot() == before
    document.refresh_from_db()
    assert document.status == Status.DRAFTING


@pytest.mark.django_db
def test_a_card_other_than_the_registered_one_is_refused(office, cards):
    services.register_card(
        office.officer, token_label=cards["officer"], pin=office.pin, by=office.officer
    )
    Signer.objects.filter(user=office.officer).update(token_label=cards["cosigner"])
    document = to_officer(office, receive(office))
    write_drafts(office, document)
    with pytest.raises(DomainError) as refused:
        services.submit(document, to=office.chief, by=office.officer, pin=office.pin)
    assert refused.value.code == "card_mismatch"
