"""文號: 民國 year (3 digits) and a 7-digit yearly serial per agency, e.g. 1143009600.

A number is taken inside the transaction that creates its document, by locking the agency's
counter row for the year (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers
by its ``IMMEDIATE`` transactions). So two requests never get the same number, and a
transaction that fails gives its number back with the rest of its work: every number that
exists belongs to a document, and documents are never deleted (a withdrawn one keeps its
number with the reason in its trail), so the serials of a year have no gaps.
"""

from __future__ import annotations

from django.db import transaction

from secretariat.core.errors import DomainError
from secretariat.documents.models import SERIAL_MAX, AgencyProfile, NumberCounter


def format_number(year: int, serial: int) -> str:
    return f"{year:03d}{serial:07d}"


def take_number(agency, year: int) -> tuple[int, str]:
    """The next serial of ``agency`` for 民國 ``year`` and its 文號. Call inside the
    transaction that saves the document."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number must run inside the document's transaction")
    # The row may not exist yet: create it without racing (a concurrent insert of the same
    # row is ignored), then lock it.
    NumberCounter.objects.bulk_create(
        [NumberCounter(agency=agency, year=year, last=_base(agency))], ignore_conflicts=True
    )
    counter = NumberCounter.objects.select_for_update().get(agency=agency, year=year)
    serial = counter.last + 1
    if serial > SERIAL_MAX:
        raise DomainError(
            "numbers_exhausted",
            f"{agency.short_name}{year}年的文號已用盡（流水號上限 {SERIAL_MAX:,}），請洽系統管理者。",
        )
    counter.last = serial
    counter.save(update_fields=["last"])
    return serial, format_number(year, serial)


def _base(agency) -> int:
    profile = AgencyProfile.objects.filter(agency=agency).only("serial_base").first()
    return profile.serial_base if profile else 0


def gaps(agency, year: int) -> list[int]:
    """Serials of ``year`` up to the counter that no document holds (there should be none:
    a number is taken only in its document's transaction, and documents are not deleted)."""
    from secretariat.documents.models import Document

    counter = NumberCounter.objects.filter(agency=agency, year=year).first()
    if counter is None:
        return []
    base = _base(agency)
    held = set(Document.objects.filter(agency=agency, year=year).values_list("serial", flat=True))
    return [serial for serial in range(base + 1, counter.last + 1) if serial not in held]
