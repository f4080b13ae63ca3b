"""Retention and disposal: the 屆期 selection, the 銷毀目錄's steps, four-eyes, nothing
destroyable without approval, opinions that keep a file longer, 初審, tracking and reminders,
移轉."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from secretariat.archives import selectors, services
from secretariat.archives.models import (
    Folder,
    Item,
    ListStatus,
    Opinion,
    RecordStatus,
    ReviewStatus,
)
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import Notification

from .conftest import legacy

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
THIS = TODAY.year


@pytest.fixture
def expiring(agency, udd_scheme, people):
    """都發局's files: two 案卷 of 5 years ending this year (one of 綜合企劃科), one ending
    next year, one permanent, one 機關永久保存 that ended this year."""
    udd = agency("都發局")
    y = THIS - 5
    roc = str(y - 1911)
    legacy(
        udd,
        [
            ((roc, "0103", "1", "1", "1"), "會議紀錄甲", dt.date(y, 3, 1), 5, "appraise", 0),
            ((roc, "0103", "1", "1", "2"), "會議紀錄甲附件", dt.date(y, 4, 1), 5, "appraise", 0),
            ((roc, "0103", "2", "1", "1"), "會議紀錄乙", dt.date(y, 6, 1), 5, "destroy", 0),
            ((roc, "0103", "3", "1", "1"), "明年屆期", dt.date(y + 1, 1, 5), 5, "destroy", 0),
            ((roc, "0101", "1", "1", "1"), "施政計畫", dt.date(y, 1, 5), 999, "national", 0),
        ],
    )
    Folder.objects.filter(agency=udd, case_no=1, class_code="0103").update(unit=people["unit"])
    return udd


def folder_ids(udd):
    return list(selectors.expiring_folders(udd.pk, THIS).values_list("pk", flat=True))


def test_expiry_selection_is_the_year_and_the_destroyable(expiring):
    titles = set(selectors.expiring_folders(expiring.pk, THIS).values_list("title", flat=True))
    assert titles == {"會議紀錄甲", "會議紀錄乙"}
    assert selectors.expiring_folders(expiring.pk, THIS + 1).get().title == "明年屆期"
    assert not selectors.expiring_folders(expiring.pk, THIS - 1).exists()


def built(expiring, people):
    return services.build_destruction_list(
        expiring, by=people["udd_archivist"], year=THIS, folder_ids=folder_ids(expiring)
    )


def through_review(listing, people):
    services.ask_opinions(listing, by=people["udd_archivist"])
    for entry in listing.entries.all():
        who = people["udd_officer"] if entry.unit_id else people["udd_other"]
        services.give_opinion(entry, by=who, opinion=Opinion.AGREE)
    services.submit_list(listing, by=people["udd_archivist"])
    review = listing.reviews.get()
    services.decide_review(review, by=people["archivist"], forward=True)
    return review


def test_a_list_holds_only_expired_destroyable_folders(expiring, people):
    permanent = Folder.objects.get(agency=expiring, title="施政計畫")
    with pytest.raises(DomainError) as error:
        services.build_destruction_list(
            expiring, by=people["udd_archivist"], year=THIS, folder_ids=[permanent.pk]
        )
    assert "folders" in error.value.fields
    listing = built(expiring, people)
    assert listing.entries.count() == 2
    assert set(
        Folder.objects.filter(status=RecordStatus.LISTED).values_list("title", flat=True)
    ) == {
        "會議紀錄甲",
        "會議紀錄乙",
    }
    entry = listing.entries.get(title="會議紀錄甲")
    assert (entry.items, entry.retention, entry.started_on) == (2, 5, dt.date(THIS - 5, 3, 1))
    # listed folders are not offered again
    assert not selectors.expiring_folders(expiring.pk, THIS).exists()


def test_nothing_is_destroyable_without_approval(expiring, people):
    listing = built(expiring, people)
    with pytest.raises(DomainError) as error:
        services.destroy(listing, by=people["udd_archivist2"], destroyed_on=TODAY, witness="政風室")
    assert error.value.code == "not_approved"
    through_review(listing, people)
    with pytest.raises(DomainError):
        services.destroy(listing, by=people["udd_archivist2"], destroyed_on=TODAY, witness="政風室")
    assert not Folder.objects.filter(status=RecordStatus.DESTROYED).exists()


def test_approval_needs_the_secretariats_review(expiring, people):
    listing = built(expiring, people)
    services.ask_opinions(listing, by=people["udd_archivist"])
    for entry in listing.entries.all():
        who = people["udd_officer"] if entry.unit_id else people["udd_other"]
        services.give_opinion(entry, by=who, opinion=Opinion.AGREE)
    services.submit_list(listing, by=people["udd_archivist"])
    with pytest.raises(DomainError) as error:
        services.record_approval(
            listing, by=people["udd_archivist2"], approval_number="檔徵字第1號", approved_on=TODAY
        )
    assert error.value.code == "not_reviewed"


def test_the_proposer_cannot_record_the_approval(expiring, people):
    listing = built(expiring, people)
    through_review(listing, people)
    with pytest.raises(PermissionDenied):
        services.record_approval(
            listing, by=people["udd_archivist"], approval_number="檔徵字第1號", approved_on=TODAY
        )
    services.record_approval(
        listing, by=people["udd_archivist2"], approval_number="檔徵字第1號", approved_on=TODAY
    )
    assert listing.status == ListStatus.APPROVED
    assert listing.destroy_due == services.add_months(TODAY, 3)


def test_destruction_with_a_witness_notes_the_approval_on_every_record(expiring, people):
    listing = built(expiring, people)
    through_review(listing, people)
    services.record_approval(
        listing,
        by=people["udd_archivist2"],
        approval_number="檔徵字第1150000123號",
        approved_on=TODAY,
    )
    with pytest.raises(DomainError) as error:
        services.destroy(listing, by=people["udd_archivist"], destroyed_on=TODAY, witness="")
    assert "witness" in error.value.fields
    services.destroy(
        listing,
        by=people["udd_archivist"],
        destroyed_on=TODAY,
        witness="政風室 王監毀",
        method="碎紙",
    )
    destroyed = Item.objects.filter(agency=expiring, status=RecordStatus.DESTROYED)
    assert destroyed.count() == 3
    assert set(destroyed.values_list("disposal_number", flat=True)) == {"檔徵字第1150000123號"}
    assert Folder.objects.filter(status=RecordStatus.DESTROYED).count() == 2
    review = listing.reviews.get()
    assert review.destroyed_on == TODAY
    # the figures the report reads
    figures = selectors.destroyed(expiring.pk, TODAY, TODAY)
    assert (figures.cases, figures.volumes) == (2, 2)


def test_a_unit_may_keep_a_file_longer(expiring, people):
    listing = built(expiring, people)
    services.ask_opinions(listing, by=people["udd_archivist"])
    assert Notification.objects.filter(recipient=people["udd_officer"]).exists()
    kept = listing.entries.get(title="會議紀錄甲")
    with pytest.raises(PermissionDenied):
        services.give_opinion(kept, by=people["udd_other"], opinion=Opinion.AGREE)
    with pytest.raises(PermissionDenied):
        services.give_opinion(kept, by=people["udd_archivist2"], opinion=Opinion.AGREE)
    with pytest.raises(DomainError) as error:
        services.give_opinion(kept, by=people["udd_officer"], opinion=Opinion.EXTEND)
    assert {"extend_years", "extend_reason"} <= set(error.value.fields)
    with pytest.raises(DomainError) as error:
        services.submit_list(listing, by=people["udd_archivist"])
    assert error.value.code == "opinions_pending"
    services.give_opinion(
        kept, by=people["udd_officer"], opinion=Opinion.EXTEND, extend_years=3, reason="訴訟中"
    )
    services.give_opinion(
        listing.entries.get(title="會議紀錄乙"), by=people["udd_other"], opinion=Opinion.AGREE
    )
    services.submit_list(listing, by=people["udd_archivist"])
    folder = Folder.objects.get(title="會議紀錄甲")
    assert folder.status == RecordStatus.ACTIVE
    assert folder.expires_on == dt.date(THIS + 3, 12, 31)
    review = listing.reviews.get()
    assert (review.items, review.cases, review.volumes) == (1, 1, 1)


def test_a_returned_list_goes_back_for_correction(expiring, people):
    listing = built(expiring, people)
    services.ask_opinions(listing, by=people["udd_archivist"])
    for entry in listing.entries.all():
        who = people["udd_officer"] if entry.unit_id else people["udd_other"]
        services.give_opinion(entry, by=who, opinion=Opinion.AGREE)
    services.submit_list(listing, by=people["udd_archivist"])
    review = listing.reviews.get()
    with pytest.raises(PermissionDenied):
        services.decide_review(review, by=people["udd_archivist2"], forward=False, remarks="x")
    with pytest.raises(DomainError):
        services.decide_review(review, by=people["archivist"], forward=False)
    services.decide_review(review, by=people["archivist"], forward=False, remarks="起迄日期有誤")
    listing.refresh_from_db()
    assert review.status == ReviewStatus.RETURNED
    assert listing.status == ListStatus.OPINIONS


def test_tracking_and_reminders(people, agency, make_person):
    police = agency("警察局")
    review = services.receive_review(
        police,
        by=people["archivist"],
        received_on=TODAY - dt.timedelta(days=120),
        reference="北市警秘字第1號",
        items=1000,
        cases=3,
        volumes=40,
        shelf_metres=Decimal("12.5"),
    )
    archivist = people["udd_archivist"]  # not 警察局's: must not be told
    police_archivist = make_person("police-arch", "警察局", "archivist")
    with pytest.raises(DomainError):
        services.track_destruction(
            review, by=people["archivist"], approval_number="檔1", approved_on=TODAY
        )
    services.decide_review(review, by=people["archivist"], forward=True)
    approved = TODAY - dt.timedelta(days=100)
    services.track_destruction(
        review, by=people["archivist"], approval_number="檔徵字第9號", approved_on=approved
    )
    assert review.destroy_due == services.add_months(approved, 3)
    assert services.remind_destructions(TODAY) == 1
    assert Notification.objects.filter(recipient=police_archivist).count() == 1
    assert not Notification.objects.filter(recipient=archivist).exists()
    assert services.remind_destructions(TODAY) == 0  # once a week
    figures = selectors.destruction_tracking(approved, TODAY, TODAY)
    assert (figures.approved, figures.late) == (1, 1)
    services.track_destruction(review, by=people["archivist"], destroyed_on=TODAY)
    assert services.remind_destructions(TODAY + dt.timedelta(days=8)) == 0


def test_transfer_of_national_archives(expiring, people):
    permanent = Folder.objects.get(agency=expiring, title="施政計畫")
    other = Folder.objects.get(agency=expiring, title="會議紀錄乙")
    with pytest.raises(DomainError):
        services.record_transfer(
            expiring,
            by=people["udd_archivist"],
            title="移轉",
            approval_number="檔移字第1號",
            transferred_on=TODAY,
            folder_ids=[permanent.pk, other.pk],
        )
    transfer = services.record_transfer(
        expiring,
        by=people["udd_archivist"],
        title="移轉",
        approval_number="檔移字第1號",
        transferred_on=TODAY,
        folder_ids=[permanent.pk],
    )
    permanent.refresh_from_db()
    assert (transfer.cases, transfer.volumes) == (1, 1)
    assert permanent.status == RecordStatus.TRANSFERRED
    assert selectors.transferred(expiring.pk, TODAY, TODAY).volumes == 1
