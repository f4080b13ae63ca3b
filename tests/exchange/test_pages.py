"""The exchange pages: 待簽收 → 簽收 (a 收文) or 退文 (with reason), the upload page refusing a
bad package beside the field, a document's exchange log and its package — each only for whom
it belongs to."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secretariat.exchange.models import State
from tests.exchange.conftest import CIVIL_AFFAIRS_CODE
from tests.exchange.flow import dispatch_letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(office, codes, receiver_clerk, outbox, django_capture_on_commit_callbacks):
    return dispatch_letter(office, django_capture_on_commit_callbacks)


def test_receiver_signs_for_on_the_page(client, sent, receiver_clerk):
    _document, exchanges = sent
    exchange = exchanges[CIVIL_AFFAIRS_CODE]
    client.force_login(receiver_clerk)
    home = client.get("/exchange/")
    assert home.status_code == 200 and "待簽收" in home.content.decode()
    assert exchange.sender_number in home.content.decode()
    page = client.get(f"/exchange/{exchange.uid}/")
    assert "簽收" in page.content.decode() and "退文理由" in page.content.decode()
    answer = client.post(f"/exchange/{exchange.uid}/sign/", {"signing_mode": "paper", "pin": ""})
    exchange.refresh_from_db()
    assert exchange.state == State.SIGNED
    assert answer.status_code == 302
    assert answer["Location"] == exchange.received_document.get_absolute_url()


def test_refuse_needs_a_reason(client, sent, receiver_clerk, office):
    _document, exchanges = sent
    exchange = exchanges[CIVIL_AFFAIRS_CODE]
    client.force_login(receiver_clerk)
    answer = client.post(f"/exchange/{exchange.uid}/refuse/", {"reason": ""})
    assert answer.status_code == 400 and "請填寫退文理由" in answer.content.decode()
    client.post(f"/exchange/{exchange.uid}/refuse/", {"reason": "非本局業管"})
    exchange.refresh_from_db()
    assert exchange.state == State.REFUSED
    # The sender sees 退文 and the reason, on its 發文交換 and the document's log.
    client.force_login(office.clerk)
    assert "非本局業管" in client.get("/exchange/").content.decode()
    document = exchange.document
    log = client.get(f"/exchange/documents/{document.agency.code}/{document.number}/")
    assert "退文" in log.content.decode() and "非本局業管" in log.content.decode()
    package = client.get(
        f"/exchange/documents/{document.agency.code}/{document.number}/package.zip"
    )
    assert package.status_code == 200 and package["Content-Type"] == "application/zip"


def test_sender_cannot_sign_and_strangers_see_nothing(client, sent, office, make_person):
    _document, exchanges = sent
    exchange = exchanges[CIVIL_AFFAIRS_CODE]
    client.force_login(office.clerk)
    answer = client.post(f"/exchange/{exchange.uid}/sign/", {"signing_mode": "paper"})
    assert answer.status_code == 403
    client.force_login(make_person("udd-clerk", "都發局", "registry_clerk"))
    assert client.get(f"/exchange/{exchange.uid}/").status_code == 404
    assert client.get(f"/exchange/{exchange.uid}/package.zip").status_code == 404


def test_upload_page_refuses_a_bad_package_beside_the_field(client, codes, receiver_clerk):
    client.force_login(receiver_clerk)
    assert client.get("/exchange/import/").status_code == 200
    answer = client.post(
        "/exchange/import/",
        {
            "package": SimpleUploadedFile("來文.zip", b"not a zip"),
            "signing_mode": "paper",
        },
    )
    assert answer.status_code == 400
    assert "交換封包不是有效的 zip 檔" in answer.content.decode()


def test_upload_page_is_for_clerks(client, codes, make_person):
    client.force_login(make_person("ca-officer", "民政局", "case_officer"))
    assert client.get("/exchange/import/").status_code == 403
