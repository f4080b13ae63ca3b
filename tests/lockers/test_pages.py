"""The locker pages: the sending 收發 packs and prints the cover, the kiosk (paired with the
bank's key) deposits and hands out by code, the receiving 收發 signs for the package; the
administrators set up banks and compartments."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from secretariat.lockers import selectors, services
from secretariat.lockers.models import Package, Status

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _kiosk(office) -> Client:
    kiosk = Client()
    url = f"/lockers/kiosk/{office.bank.code}/"
    assert kiosk.post(url, {"step": "pair", "key": "wrong"}).status_code == 400
    assert kiosk.post(url, {"step": "deposit", "qr": "x"}).status_code == 403
    assert kiosk.post(url, {"step": "pair", "key": office.key}).status_code == 302
    return kiosk


def test_pack_print_deposit_pickup_and_sign_on_the_pages(office, agency):
    first = office.letter("檢送文書講習講義，請查照。")
    second = office.letter("有關公務車輛停放調整一案，請查照。")
    sender = _client(office.clerk)
    police = agency("警察局")
    page = sender.get(f"/lockers/?receiver={police.pk}")
    assert page.status_code == 200
    assert "檢送文書講習講義" in page.content.decode()
    made = sender.post(
        "/lockers/",
        {
            "receiver": police.pk,
            "dispatches": office.rows(first, second),
            "bank": office.bank.pk,
            "size": "M",
        },
    )
    assert made.status_code == 302
    package = Package.objects.get()
    cover = sender.get(f"/lockers/packages/{package.pk}/cover.pdf")
    assert cover["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(cover.content)).pages)
    for printed in (package.number, package.token, police.name, first.reference, second.subject):
        assert printed in text.replace("\n", ""), printed

    kiosk = _kiosk(office)
    url = f"/lockers/kiosk/{office.bank.code}/"
    deposited = kiosk.post(url, {"step": "deposit", "qr": package.token}, follow=True)
    assert re.search(r"第 [0-9]+ 格正在開啟", deposited.content.decode())
    (command,) = selectors.pending_commands(office.bank)
    services.acknowledge(office.bank, command.pk, opened=True)

    receiver = _client(office.police_clerk)
    assert package.number in receiver.get("/lockers/pickups/").content.decode()
    shown = receiver.post(f"/lockers/packages/{package.pk}/", {"step": "code"}).content.decode()
    code = re.search(r'id="pickup-code">([0-9]{8})<', shown)[1]
    wrong = kiosk.post(url, {"step": "pickup", "code": "0000000"})
    assert wrong.status_code == 400
    assert kiosk.post(url, {"step": "pickup", "code": code}).status_code == 302
    (command,) = selectors.pending_commands(office.bank)
    services.acknowledge(office.bank, command.pk, opened=True)

    signed = receiver.post(
        f"/lockers/packages/{package.pk}/", {"step": "sign", "signing_mode": "paper"}, follow=True
    )
    assert "已簽收，登錄收文 2 件" in signed.content.decode()
    package.refresh_from_db()
    assert package.status == Status.SIGNED


def test_other_agencies_do_not_see_a_package(office, make_person):
    package = office.package()
    outsider = _client(make_person("udd-clerk", "都發局", "registry_clerk"))
    assert outsider.get(f"/lockers/packages/{package.pk}/").status_code == 404
    assert outsider.get(f"/lockers/packages/{package.pk}/cover.pdf").status_code == 404
    receiver = _client(office.police_clerk)
    # the receiver sees the package but prints no cover: that is the sender's
    assert receiver.get(f"/lockers/packages/{package.pk}/").status_code == 200
    assert receiver.get(f"/lockers/packages/{package.pk}/cover.pdf").status_code == 404
    officer = _client(office.officer)
    assert officer.get("/lockers/").status_code == 403


def test_administrators_set_up_a_bank(office):
    admin = _client(office.admin)
    page = admin.post(
        "/lockers/administration/",
        {"step": "bank", "site": office.bank.site.pk, "code": "annex-b1", "name": "B 櫃組"},
    )
    assert page.status_code == 200
    key = re.search(r'id="bank-key">([^<]+)<', page.content.decode())[1]
    bank = services.bank_for_key(key)
    assert bank is not None and bank.code == "annex-b1" and bank.key_hash != key
    added = admin.post(
        f"/lockers/administration/banks/{bank.pk}/", {"step": "add", "count": 3, "size": "L"}
    )
    assert added.status_code == 302 and bank.compartments.count() == 3
    bad = admin.post(
        f"/lockers/administration/banks/{bank.pk}/", {"step": "add", "count": 0, "size": "L"}
    )
    assert bad.status_code == 400
    assert _client(office.clerk).get("/lockers/administration/").status_code == 403
