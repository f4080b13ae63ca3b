"""The pages and the API, as each role uses them: steps posted with the card's PIN, a refusal
shown beside its field with nothing saved, versions and tracked changes, registers and their
exports, the 分層負責明細表, the card page; the API's scope."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from odf.opendocument import load

from secretariat.documents import services
from secretariat.documents.models import Document, MatterCategory, Point, Status

from .flow import receive, scan, to_officer, whole_path, write_drafts

pytestmark = pytest.mark.django_db


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_receive_and_distribute_through_the_pages(office):
    clerk = client_for(office.clerk)
    page = clerk.get("/documents/receive/")
    assert page.status_code == 200 and "收文登錄" in page.content.decode()
    answer = clerk.post(
        "/documents/receive/",
        {
            "origin": "paper",
            "doc_type": "letter",
            "subject": "函請配合辦理防災演練",
            "sender_name": "臺北市政府消防局",
            "speed": "urgent",
            "secrecy": "none",
            "signing_mode": "online",
            "scan": scan(),
            "pin": office.pin,
        },
    )
    document = Document.objects.get()
    assert answer.status_code == 302 and answer["Location"] == document.get_absolute_url()
    detail = clerk.get(document.get_absolute_url()).content.decode()
    assert "分文" in detail and "函請配合辦理防災演練" in detail
    # a wrong PIN: the refusal beside the PIN, nothing distributed
    url = f"{document.get_absolute_url()}steps/distribute/"
    refused = clerk.post(url, {"officer": office.officer.pk, "pin": "111111"})
    assert refused.status_code == 400
    assert "憑證卡 PIN 碼錯誤。" in refused.content.decode()
    document.refresh_from_db()
    assert document.status == Status.REGISTERED
    done = clerk.post(url, {"officer": office.officer.pk, "pin": office.pin})
    assert done.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.officer) == (Status.DRAFTING, office.officer)


def test_a_receipt_without_subject_names_the_field(office):
    answer = client_for(office.clerk).post(
        "/documents/receive/",
        {"origin": "electronic", "doc_type": "letter", "subject": "", "sender_name": "工務局",
         "speed": "normal", "secrecy": "none", "signing_mode": "online", "pin": office.pin},
    )  # fmt: skip
    assert answer.status_code == 400
    assert "請填寫主旨。" in answer.content.decode()
    assert not Document.objects.exists()


def test_drafting_versions_and_tracked_changes(office):
    document = to_officer(office, receive(office))
    officer = client_for(office.officer)
    url = f"{document.get_absolute_url()}drafts/outgoing/"
    form = officer.get(url)
    assert form.status_code == 200 and "受文者" in form.content.decode()
    values = {
        "save": "1",
        "doc_type": "letter",
        "subject": "有關節能改善一案，復請查照。",
        "section_0": "一、復貴局來函。\n二、本處已完成勘查。",
        "section_1": "請查照。",
        "r0_copy": "original",
        "r0_name": "臺北市政府",
        "r0_method": "exchange",
        "r0_attachments": "on",
    }
    assert officer.post(url, values).status_code == 302
    values["section_0"] = "一、復貴局來函。\n二、本處已完成勘查及設計。"
    assert officer.post(url, values).status_code == 302
    changes = officer.get(f"{document.get_absolute_url()}drafts/outgoing/changes/")
    page = changes.content.decode()
    assert "<ins>及設計</ins>" in page
    assert "增加 3 字、刪除 0 字" in page
    # a recipient without 機關代碼 for 電子交換: the refusal, no third version
    values.update({"r1_copy": "copy", "r1_name": "某基金會", "r1_method": "exchange"})
    refused = officer.post(url, values)
    assert refused.status_code == 400
    assert "沒有機關代碼，以電子交換發文須填 10 碼機關代碼" in refused.content.decode()
    assert document.drafts.get(role="outgoing").versions.count() == 2


def test_every_role_sees_its_step(office):
    document = to_officer(office, receive(office))
    write_drafts(office, document)
    services.send_for_cosign(
        document, units=[office.units["機要組"]], by=office.officer, pin=office.pin
    )
    cosigner = client_for(office.cosigner).get(document.get_absolute_url()).content.decode()
    assert "會辦完成" in cosigner
    assert client_for(office.cosigner).get("/documents/").content.decode().count(document.reference)
    services.cosign(document, by=office.cosigner, pin=office.pin)
    services.submit(document, to=office.head, by=office.officer, pin=office.pin)
    head = client_for(office.head).get(document.get_absolute_url()).content.decode()
    assert "本案依分層負責由第一層（首長）決行。" in head
    assert "退回承辦人" in head
    answer = client_for(office.head).post(
        f"{document.get_absolute_url()}steps/decide/", {"opinion": "如擬。", "pin": office.pin}
    )
    assert answer.status_code == 302
    officer = client_for(office.officer).get(document.get_absolute_url()).content.decode()
    assert "繕校完成" in officer
    services.proof(document, by=office.officer, pin=office.pin)
    keeper = client_for(office.keeper).get(document.get_absolute_url()).content.decode()
    assert "機關憑證卡 PIN 碼" in keeper
    # the seal keeper's desk is the inbox of every seal keeper, and only theirs
    assert document.reference in client_for(office.keeper).get("/documents/").content.decode()
    assert document.reference not in client_for(office.clerk).get("/documents/").content.decode()


def test_registers_filter_and_export(office):
    document = whole_path(office)
    clerk = client_for(office.clerk)
    for kind in ("received", "dispatched", "seals"):
        page = clerk.get(f"/documents/registers/{kind}/")
        assert page.status_code == 200 and document.number in page.content.decode()
    filtered = clerk.get("/documents/registers/received/", {"speed": "urgent"})
    assert document.number not in filtered.content.decode()
    exported = clerk.get("/documents/registers/received.csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["收文日期", "文號", "來文機關"] and rows[1][1] == document.number
    ods = clerk.get("/documents/registers/seals.ods")
    assert ods["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    load(io.BytesIO(ods.content))
    # an officer without a register role is refused
    assert client_for(office.officer).get("/documents/registers/received/").status_code == 403


def test_a_formula_in_a_register_cell_is_written_as_text(office):
    receive(office, sender_name='=HYPERLINK("http://example.invalid")')
    exported = client_for(office.clerk).get("/documents/registers/received.csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[1][2].startswith("'=HYPERLINK")


def test_the_delegation_table_is_edited_by_the_head(office):
    head = client_for(office.head)
    assert "採購案件" in head.get("/documents/delegation/").content.decode()
    answer = head.post(
        "/documents/delegation/",
        {"code": "D01", "name": "新聞稿發布", "level": "2", "note": "", "active": "on"},
    )
    assert answer.status_code == 302
    assert MatterCategory.objects.get(agency=office.agency, code="D01").level == 2
    officer = client_for(office.officer)
    assert "儲存" not in officer.get("/documents/delegation/").content.decode()
    assert officer.post("/documents/delegation/", {"code": "x"}).status_code == 403


def test_the_card_page_registers_a_card(office, cards):
    page = client_for(office.cosigner)
    answer = page.post("/documents/card/", {"token_label": cards["cosigner"], "pin": "000000"})
    assert answer.status_code == 400 and "憑證卡 PIN 碼錯誤。" in answer.content.decode()
    answer = page.post("/documents/card/", {"token_label": cards["cosigner"], "pin": office.pin})
    assert answer.status_code == 302
    assert "CN=cosigner" in page.get("/documents/card/").content.decode()


def test_verification_page_and_api(office):
    document = whole_path(office)
    api = client_for(office.officer)
    url = f"/api/v1/documents/sec/{document.number}"
    detail = api.get(url).json()
    assert detail["status"] == "filed" and len(detail["points"]) == 12
    assert all(p["signed"] for p in detail["points"])
    checked = api.post(url + "/verify", content_type="application/json").json()
    assert (checked["checked"], checked["broken"]) == (12, 0)
    Point.objects.filter(pk=detail["points"][3]["id"]).update(opinion="改過的意見")
    checked = api.post(url + "/verify", content_type="application/json").json()
    assert checked["broken"] == 1 and checked["problems"][0]["code"] == "signature_mismatch"
    admin = client_for(office.admin)
    assert admin.post("/documents/verification/").status_code == 302
    page = admin.get("/documents/verification/").content.decode()
    assert document.reference in page and "簽章與內容不符。" in page
    assert client_for(office.officer).get("/documents/verification/").status_code == 403
    figures = api.get(
        "/api/v1/documents/statistics/signing",
        {"start": document.decided_on.isoformat(), "end": document.decided_on.isoformat()},
    ).json()
    assert (figures["online"], figures["online_rate"]) == (1, "100.00")


def test_the_admin_sets_signers_and_shows_documents_read_only(office, make_person):
    document = whole_path(office)
    superuser = make_person("doc-superuser", "秘書處", "system_admin")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    admin = client_for(superuser)
    signers = admin.get("/admin/documents/signer/")
    assert signers.status_code == 200 and "card-chief" in signers.content.decode()
    page = admin.get(f"/admin/documents/document/{document.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert document.number in text and "函請協助辦理市政大樓節能改善" not in text
    assert admin.post(f"/admin/documents/document/{document.pk}/delete/").status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()
