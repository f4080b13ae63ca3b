"""Intake: the public web form and the staff page. Bad input names the field and keeps nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import check_password
from django.core.files.uploadedfile import SimpleUploadedFile

from secretariat.cases.models import Case, CaseAttachment, Channel, Requester
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry
from secretariat.petitions import services
from secretariat.petitions.catalogue import (
    CONSENT_LABEL,
    PRIVACY_NOTICE,
    PUBLICATION_LABEL,
    PUBLICATION_NOTICE,
)
from secretariat.petitions.models import Petition
from tests.petitions.conftest import png

pytestmark = pytest.mark.django_db

FORM = {
    "category": "roads",
    "subject": "松仁路人行道破損",
    "body": "信義區松仁路100號前人行道地磚破損翹起，請儘速修復。",
    "address_string": "臺北市信義區松仁路100號",
    "name": "王小明",
    "email": "xiaoming@example.test",
    "phone": "0912-345-678",
    "address": "",
    "consent": "on",
}


def post_form(client, **changes):
    data = {**FORM, **changes}
    return client.post("/petitions/submit/", {k: v for k, v in data.items() if v is not None})


def assert_nothing_saved(media_root):
    assert not Case.objects.exists()
    assert not Petition.objects.exists()
    assert not Requester.objects.exists()
    assert not CaseAttachment.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def field_errors(response, name):
    return response.context["form"].errors.get(name, [])


def test_form_shows_the_privacy_notice_and_needs_no_login(client, registry):
    response = client.get("/petitions/submit/")
    assert response.status_code == 200
    page = response.content.decode()
    assert PRIVACY_NOTICE in page and CONSENT_LABEL in page
    assert "功能模組" not in page  # the public layout has no module navigation


def test_the_notice_says_what_is_published_and_publication_is_a_consent_of_its_own(
    client, registry
):
    page = client.get("/petitions/submit/").content.decode()
    # The 個資 notice says exactly what the open data carries, with and without consent.
    assert (
        "六、公開資訊：本府以開放資料（Open311）公開每件陳情的案件編號、陳情類別" in PRIVACY_NOTICE
    )
    assert "陳情主旨及問題發生地點（地址及經緯度）僅於您另行同意公開時公開" in PRIVACY_NOTICE
    assert PUBLICATION_NOTICE in page and PUBLICATION_LABEL in page
    post_form(client)
    assert Petition.objects.get().publication_consented_at is None
    post_form(client, subject="另一件", publish="on")
    assert Petition.objects.get(case__subject="另一件").publication_consented_at is not None


def test_only_the_citizen_agrees_to_publication(registry, people):
    with pytest.raises(DomainError) as refused:
        services.submit_petition(
            channel="letter", subject="信件", body="內容", publish=True, by=people["router"]
        )
    assert refused.value.fields == {"publish": ["公開同意只能由陳情人於網路表單或 Open311 表示。"]}
    assert not Case.objects.exists()


def test_valid_submission_with_attachment(client, registry, media_root):
    response = post_form(client, attachments=png())
    assert response.status_code == 302 and response["Location"] == "/petitions/receipt/"
    petition = Petition.objects.select_related("case").get()
    case = petition.case
    assert case.kind == "petition" and case.channel == Channel.WEB and case.number.startswith("陳")
    assert case.status == "pending"
    assert petition.category == "roads" and petition.consented_at is not None
    assert petition.address_string == "臺北市信義區松仁路100號"
    assert case.attachments.get().original_name == "photo.png"
    assert (media_root / case.attachments.get().file.name).is_file()

    receipt = client.get("/petitions/receipt/")
    page = receipt.content.decode()
    number = receipt.context["receipt"]["number"]
    password = receipt.context["receipt"]["password"]
    assert number == case.number and number in page and password in page
    assert len(password) == 8 and set(password) <= set(services.PASSWORD_ALPHABET)
    assert check_password(password, petition.password_hash)
    assert password not in petition.password_hash
    assert receipt["Cache-Control"].startswith("max-age=0")

    again = client.get("/petitions/receipt/").content.decode()
    assert password not in again and "只在送出後顯示一次" in again


def test_missing_consent_is_refused_next_to_the_checkbox(client, registry, media_root):
    response = post_form(client, consent=None, attachments=png())
    assert response.status_code == 400
    assert field_errors(response, "consent") == [
        "請勾選同意個人資料蒐集、處理及利用告知事項，才能送出陳情。"
    ]
    page = response.content.decode()
    assert 'id="id_consent_error"' in page and 'aria-invalid="true"' in page
    assert_nothing_saved(media_root)


def test_bad_email_names_the_field(client, registry, media_root):
    response = post_form(client, email="not-an-address")
    assert field_errors(response, "email") == ["電子郵件格式不正確。"]
    assert_nothing_saved(media_root)


def test_disallowed_attachment_is_refused_with_the_reason(client, registry, media_root):
    upload = SimpleUploadedFile(
        "run.exe", b"MZ" + b"\x00" * 32, content_type="application/octet-stream"
    )
    response = post_form(client, attachments=upload)
    [message] = field_errors(response, "attachments")
    assert "run.exe" in message and "檔案類型不被接受" in message
    assert_nothing_saved(media_root)


def test_oversize_attachment_is_refused_with_the_limit(client, registry, media_root, settings):
    settings.CASE_ATTACHMENT_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile(
        "scan.pdf", b"%PDF" + b"0" * (1024 * 1024), content_type="application/pdf"
    )
    response = post_form(client, attachments=upload)
    [message] = field_errors(response, "attachments")
    assert "scan.pdf" in message and "超過 1 MB" in message
    assert_nothing_saved(media_root)


def test_every_bad_field_is_reported_at_once(client, registry, media_root):
    response = post_form(client, subject="", name="", consent=None, attachments=png("a.exe"))
    errors = response.context["form"].errors
    assert {"subject", "name", "consent", "attachments"} <= set(errors)
    assert errors["subject"] == ["請填寫主旨。"] and errors["name"] == ["請填寫姓名。"]
    assert_nothing_saved(media_root)


def test_the_service_refuses_too_many_attachments_and_half_coordinates(submit, media_root):
    with pytest.raises(DomainError) as caught:
        submit(attachments=[png(f"p{i}.png") for i in range(6)], lat="25.03")
    assert caught.value.fields["attachments"] == ["附件最多 5 個。"]
    assert caught.value.fields["long"] == ["緯度與經度須同時提供。"]
    assert_nothing_saved(media_root)


def test_password_hash_stays_out_of_the_audit_trail(submit):
    receipt = submit()
    entry = AuditEntry.objects.get(object_type="petitions.petition", action="create")
    assert "password_hash" not in entry.changes
    assert receipt.password not in str(entry.changes)


def test_staff_page_is_for_routers(client, people):
    assert client.get("/petitions/new/")["Location"].startswith("/accounts/login/")
    client.force_login(people["udd"])
    assert client.get("/petitions/new/").status_code == 403
    client.force_login(people["router"])
    assert client.get("/petitions/new/").status_code == 200


def test_staff_register_an_anonymous_letter(client, people):
    client.force_login(people["router"])
    data = {
        "channel": "letter",
        "received_on": "115/01/05",
        "category": "petition",
        "subject": "建議延長圖書館開放時間",
        "body": "建議週末延長開放至晚上9點。",
    }
    response = client.post("/petitions/new/", data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == Channel.LETTER and case.received_on.isoformat() == "2026-01-05"
    assert case.created_by == people["router"]
    assert not Requester.objects.exists()
    receipt = client.get("/petitions/receipt/").content.decode()
    assert case.number in receipt and case.get_absolute_url() in receipt


def test_staff_channels_need_a_router(people, submit):
    with pytest.raises(PermissionDenied):
        submit(channel=Channel.LETTER, by=people["udd"])
    receipt = submit(channel=Channel.COUNTER, by=people["router"], consent=False)
    assert receipt.petition.consented_at is None  # consent is asked only where we collect directly


def test_staff_errors_show_next_to_fields(client, people):
    client.force_login(people["router"])
    data = {
        "channel": "email",
        "received_on": "",
        "category": "petition",
        "subject": "",
        "body": "x",
    }
    response = client.post("/petitions/new/", data)
    assert response.context["form"].errors["subject"] == ["請填寫主旨。"]
    assert not Case.objects.exists()


def test_future_received_date_is_refused(client, people):
    client.force_login(people["router"])
    data = {
        "channel": "letter",
        "received_on": "200/01/01",
        "category": "petition",
        "subject": "a",
        "body": "b",
    }
    response = client.post("/petitions/new/", data)
    assert response.context["form"].errors["received_on"] == [
        "收件日期（200年1月1日）不可晚於今天。"
    ]


def test_a_gregorian_received_date_is_read_as_such_and_a_refusal_says_so(client, people):
    client.force_login(people["router"])
    data = {"channel": "letter", "category": "petition", "subject": "a", "body": "b"}
    response = client.post("/petitions/new/", {**data, "received_on": "2099/01/01"})
    assert response.status_code == 400
    # The page says how the date was read, beside the field.
    assert (
        "收件日期（188年1月1日）不可晚於今天。您輸入的「2099/01/01」讀作西元，即188年1月1日。"
        in response.content.decode()
    )
    response = client.post("/petitions/new/", {**data, "received_on": "2025/03/05"})
    assert response.status_code == 302
    assert Case.objects.get().received_on == dt.date(2025, 3, 5)


def test_a_day_that_does_not_exist_is_named(client, people):
    client.force_login(people["router"])
    data = {"channel": "letter", "category": "petition", "subject": "a", "body": "b"}
    response = client.post("/petitions/new/", {**data, "received_on": "114/02/30"})
    assert response.context["form"].errors["received_on"] == ["114年2月30日不存在（該月只有28天）"]
    assert not Case.objects.exists()
