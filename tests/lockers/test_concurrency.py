"""A compartment is never given to two live packages: couriers depositing at one bank at the
same moment (threads, each with its own PostgreSQL connection) are served one after another
with the bank's row locked, and the database refuses a second live package in a compartment
even when the lock is bypassed."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from secretariat.core.errors import DomainError
from secretariat.lockers import services
from secretariat.lockers.models import Package, Status

COURIERS = 6  # the bank has 4 compartments


@pytest.mark.django_db(transaction=True)
def test_couriers_at_one_bank_at_once_never_share_a_compartment(office):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent deposits are tested on PostgreSQL (SQLite serialises writers)")
    tokens = [office.package(office.letter(f"並行投遞{n}")).token for n in range(COURIERS)]
    start = threading.Barrier(COURIERS)
    opened: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def courier(token: str) -> None:
        try:
            start.wait()
            opened.append(services.deposit(office.bank, token).compartment_id)
        except DomainError as error:
            refused.append(error.code)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=courier, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(opened) == 4 and len(set(opened)) == 4
    assert refused == ["no_compartment"] * (COURIERS - 4)
    live = Package.objects.filter(status=Status.DEPOSITING)
    assert sorted(live.values_list("compartment_id", flat=True)) == sorted(opened)


@pytest.mark.django_db
def test_the_database_refuses_two_live_packages_in_one_compartment(office):
    first = office.package()
    command = services.deposit(office.bank, first.token)
    second = office.package()
    second.compartment, second.status = command.compartment, Status.DEPOSITED
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    # A package collected earlier does not hold its compartment.
    services.acknowledge(office.bank, command.pk, opened=True)
    first.refresh_from_db()
    first.status = Status.COLLECTED
    first.save()
    second.save()
