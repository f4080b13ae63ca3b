"""文號: 民國 year + a 7-digit yearly serial per agency, 收發文同號 (a receipt's number is its
reply's), never reused and never skipped — also when many requests take numbers at once on
PostgreSQL, and when some of them fail after taking one."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from secretariat.core import roc
from secretariat.documents import numbering, services
from secretariat.documents.models import Document

from .flow import whole_path


@pytest.mark.django_db
def test_received_and_created_share_the_yearly_serial_and_the_reply_keeps_it(office):
    first = whole_path(office)
    created = services.create_document(doc_type="letter", subject="創稿", by=office.officer)
    year = roc.roc_year(first.received_on)
    assert (first.number, created.number) == (f"{year}3000001", f"{year}3000002")
    # 收發文同號: the reply went out under the receipt's number
    assert first.dispatched_on is not None and first.reference.endswith(f"{first.number}號")
    assert numbering.format_number(115, 42) == "1150000042"
    assert numbering.gaps(office.agency, year) == []


@pytest.mark.django_db
def test_documents_are_never_deleted(office):
    document = services.create_document(doc_type="letter", subject="創稿", by=office.officer)
    with pytest.raises(PermissionError):
        document.delete()
    with pytest.raises(PermissionError):
        Document.objects.filter(pk=document.pk).delete()


THREADS, EACH = 8, 15


@pytest.mark.django_db(transaction=True)
def test_numbers_under_concurrency(make_person):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent numbering is tested on PostgreSQL (SQLite serialises writers)")
    from secretariat.core.models import Unit

    people = []
    for index in range(THREADS):
        person = make_person(f"doc-writer-{index}", "秘書處", "case_officer")
        person.unit = Unit.objects.get_or_create(agency=person.agency, name="總務組")[0]
        person.save()
        people.append(person)
    agency = people[0].agency
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    failed_on_purpose = []

    class Abandon(Exception):
        """A request that fails after taking its number (its transaction rolls back)."""

    def write(person, index: int) -> None:
        try:
            start.wait()
            for n in range(EACH):
                if (index + n) % 5 == 0:
                    try:
                        with transaction.atomic():
                            services.create_document(
                                doc_type="letter", subject=f"放棄{index}-{n}", by=person
                            )
                            raise Abandon
                    except Abandon:
                        failed_on_purpose.append((index, n))
                else:
                    services.create_document(
                        doc_type="letter", subject=f"並行{index}-{n}", by=person
                    )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(p, i)) for i, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    written = THREADS * EACH - len(failed_on_purpose)
    assert failed_on_purpose and written > 0
    year = Document.objects.filter(agency=agency).values_list("year", flat=True).first()
    serials = sorted(
        Document.objects.filter(agency=agency, year=year).values_list("serial", flat=True)
    )
    assert serials == list(range(1, written + 1))  # no duplicates, no gaps
    assert numbering.gaps(agency, year) == []
    numbers = list(Document.objects.filter(agency=agency).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == written
