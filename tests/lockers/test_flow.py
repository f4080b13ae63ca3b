"""The locker path through the services: pack, deposit (the controller acknowledges), pick up
with the code, sign for it — every document becomes a 收文 of the receiving agency."""

from __future__ import annotations

import json
import re

import pytest

from secretariat.core import sealing
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import OutgoingMail
from secretariat.lockers import selectors, services
from secretariat.lockers.models import OpenCommand, Package, Status

pytestmark = pytest.mark.django_db


def _mailed_code() -> str:
    mails = [
        json.loads(sealing.unseal(m.sealed))
        for m in OutgoingMail.objects.filter(purpose="lockers:pickup-code")
    ]
    assert mails, "a pickup code is mailed"
    return re.search(r"取件碼：([0-9]{8})", mails[-1]["body"])[1]


def _deposited(office, *documents):
    package = office.package(*documents)
    command = services.deposit(office.bank, package.token)
    services.acknowledge(office.bank, command.pk, opened=True)
    package.refresh_from_db()
    return package


def test_pack_deposit_pickup_and_sign(office, agency):
    first = office.letter("檢送文書講習講義，請查照。")
    second = office.letter("有關公務車輛停放調整一案，請查照。")
    package = office.package(first, second)
    assert package.status == Status.PACKED
    assert package.items.count() == 2
    assert not selectors.packable(office.clerk).filter(document__in=[first, second]).exists()

    command = services.deposit(office.bank, package.token)
    package.refresh_from_db()
    assert package.status == Status.DEPOSITING
    assert list(selectors.pending_commands(office.bank)) == [command]
    services.acknowledge(office.bank, command.pk, opened=True)
    package.refresh_from_db()
    assert package.status == Status.DEPOSITED
    assert package.pickup_due_at > package.deposited_at
    assert package.code_hash and len(package.code_hash) == 64

    code = _mailed_code()
    assert code not in package.code_hash
    pickup = services.pickup_with_code(office.bank, code)
    assert pickup.compartment == package.compartment
    package.refresh_from_db()
    assert package.status == Status.COLLECTING
    services.acknowledge(office.bank, pickup.pk, opened=True)
    package.refresh_from_db()
    assert package.status == Status.COLLECTED and package.collected_with_code

    received = services.sign_for(package, by=office.police_clerk)
    assert len(received) == 2
    police = agency("警察局")
    for document, sent in zip(received, (first, second), strict=True):
        assert document.agency == police
        assert document.origin == "paper"
        assert document.sender_number == sent.reference
        assert document.sender_name == agency("秘書處").name
        assert document.subject == sent.subject
        assert document.status == "registered"
    package.refresh_from_db()
    assert package.status == Status.SIGNED
    assert [i.received_id for i in package.items.order_by("pk")] == [d.pk for d in received]


def test_code_is_single_use_and_a_wrong_one_is_counted(office, settings):
    settings.LOCKERS_CODE_LIMIT = (3, 900)
    package = _deposited(office)
    code = _mailed_code()
    for _ in range(3):
        with pytest.raises(DomainError) as refused:
            services.pickup_with_code(office.bank, "00000000" if code != "00000000" else "11111111")
        assert refused.value.code == "bad_code"
    with pytest.raises(DomainError) as limited:
        services.pickup_with_code(office.bank, code)
    assert limited.value.status == 429
    settings.LOCKERS_CODE_LIMIT = (10, 900)
    services.pickup_with_code(office.bank, code)
    with pytest.raises(DomainError):
        services.pickup_with_code(office.bank, code)
    package.refresh_from_db()
    assert package.code_hash == ""


def test_an_expired_code_is_refused(office, settings):
    settings.LOCKERS_CODE_HOURS = 0
    _deposited(office)
    with pytest.raises(DomainError) as refused:
        services.pickup_with_code(office.bank, _mailed_code())
    assert refused.value.code == "bad_code"


def test_a_new_code_replaces_the_old_one(office):
    package = _deposited(office)
    old = _mailed_code()
    new = services.new_code(package, by=office.police_clerk)
    if old != new:  # one chance in 10^8 that the new code is the old one
        with pytest.raises(DomainError):
            services.pickup_with_code(office.bank, old)
    services.pickup_with_code(office.bank, new)


def test_a_failed_opening_puts_the_package_back(office):
    package = office.package()
    command = services.deposit(office.bank, package.token)
    services.acknowledge(office.bank, command.pk, opened=False, error="門鎖故障")
    package.refresh_from_db()
    assert package.status == Status.PACKED and package.compartment is None
    assert OpenCommand.objects.get(pk=command.pk).error == "門鎖故障"
    with pytest.raises(DomainError) as again:
        services.acknowledge(office.bank, command.pk, opened=True)
    assert again.value.code == "acknowledged"


def test_staff_pickup_and_who_may_act(office, make_person):
    package = _deposited(office)
    other = make_person("udd-clerk", "都發局", "registry_clerk")
    for outsider in (other, office.clerk):
        with pytest.raises(PermissionDenied):
            services.pickup_by_staff(package, by=outsider)
    command = services.pickup_by_staff(package, by=office.police_clerk)
    services.acknowledge(office.bank, command.pk, opened=True)
    package.refresh_from_db()
    assert package.collected_by == office.police_clerk and not package.collected_with_code
    with pytest.raises(PermissionDenied):
        services.sign_for(package, by=other)
    assert not selectors.visible_packages(other).filter(pk=package.pk).exists()


def test_packing_refuses_what_it_may_not_pack(office, agency):
    by_post = office.letter("郵寄的公文", method="post")
    with pytest.raises(DomainError) as refused:
        services.make_package(
            receiver=agency("警察局"),
            dispatches=[by_post.recipients.get().pk],
            bank=office.bank,
            by=office.clerk,
        )
    assert "dispatches" in refused.value.fields
    with pytest.raises(DomainError):
        services.make_package(
            receiver=agency("警察局"), dispatches=[], bank=office.bank, by=office.clerk
        )
    package = office.package()
    row = package.items.get().dispatch_id
    with pytest.raises(DomainError):
        services.make_package(
            receiver=agency("警察局"), dispatches=[row], bank=office.bank, by=office.clerk
        )
    with pytest.raises(PermissionDenied):
        services.make_package(
            receiver=agency("警察局"), dispatches=[row], bank=office.bank, by=office.officer
        )
    assert Package.objects.count() == 1


def test_fixed_compartment_first_and_a_full_bank(office, agency):
    fixed = office.bank.compartments.order_by("number").last()
    services.set_compartment(fixed, size="M", agency=agency("警察局"), active=True, by=office.admin)
    package = office.package()
    command = services.deposit(office.bank, package.token)
    assert command.compartment == fixed
    taken = [command.compartment_id]
    for _ in range(3):
        other = office.package()
        taken.append(services.deposit(office.bank, other.token).compartment_id)
    assert len(set(taken)) == 4
    with pytest.raises(DomainError) as full:
        services.deposit(office.bank, office.package().token)
    assert full.value.code == "no_compartment"


def test_overdue_is_reminded_once_a_day(office, settings):
    import datetime as dt

    package = _deposited(office)
    later = package.pickup_due_at + dt.timedelta(minutes=1)
    assert services.remind_overdue(at=package.pickup_due_at - dt.timedelta(minutes=1)) == 0
    assert services.remind_overdue(at=later) == 1
    assert services.remind_overdue(at=later + dt.timedelta(hours=2)) == 0
    assert list(selectors.overdue_packages(office.police_clerk, later)) == [package]
