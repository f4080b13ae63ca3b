"""Retention and disposal writes: the 銷毀目錄 from building to destruction, the business
units' opinions, the Secretariat's 初審, destruction tracking (three months from approval)
and 移轉 to the national archives.

Rules kept here and nowhere else: only 案卷 whose retention has ended and whose disposal is
destruction or appraisal can be listed; the person who built a list cannot record its
approval (four-eyes); nothing is destroyed without a recorded approval; a record is never
deleted — a destroyed one stays in the catalogue with its approval number."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from secretariat.archives import permissions
from secretariat.archives.models import (
    DestructionEntry,
    DestructionList,
    DestructionReview,
    Disposal,
    Folder,
    Item,
    ListStatus,
    Opinion,
    RecordStatus,
    Retention,
    ReviewStatus,
    Transfer,
)
from secretariat.archives.selectors import expiring_folders
from secretariat.archives.services.catalogue import expiry_date
from secretariat.core import audit
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import RoleCode, User
from secretariat.core.text import check_text

TRANSFERABLE = (Disposal.NATIONAL,)
DESTROY_WITHIN_MONTHS = 3
REMIND_DAYS_BEFORE = 14
EXTEND_YEARS_MAX = 30
LIST_SIZE_MAX = 5_000


def today() -> dt.date:
    return timezone.localdate()


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _require_archivist(user, agency_id: int) -> None:
    if not permissions.is_archivist(user, agency_id):
        raise PermissionDenied("只有該機關的檔案管理人員可以執行此操作。")


def _require_reviewer(user) -> None:
    if not permissions.is_reviewer(user):
        raise PermissionDenied("只有秘書處檔案管理人員可以辦理銷毀目錄初審。")


def build_destruction_list(
    agency, *, by, year: int, folder_ids: list[int], title: str = ""
) -> DestructionList:
    """編製銷毀目錄: the chosen expired 案卷, each row copied with the fields of 機關檔案保存年限
    及銷毀辦法 §8; the 案卷 are 列入銷毀目錄 until destroyed or kept."""
    _require_archivist(by, agency.pk)
    title = check_text(title or "", "目錄名稱", field="title", max_length=200).strip()
    if not 1911 < year <= today().year:
        raise DomainError.invalid({"year": ["屆期年度不可晚於今年。"]})
    ids = sorted(set(folder_ids))
    if not ids:
        raise DomainError.invalid({"folders": ["請至少選擇一個屆期案卷。"]})
    if len(ids) > LIST_SIZE_MAX:
        raise DomainError.invalid({"folders": [f"一份銷毀目錄至多 {LIST_SIZE_MAX:,} 個案卷。"]})
    with transaction.atomic(), audit.action("archives:build_destruction_list"):
        folders = list(expiring_folders(agency.pk, year).filter(pk__in=ids).select_for_update())
        counts = dict(
            Item.objects.filter(folder_id__in=ids)
            .values_list("folder_id")
            .annotate(n=Count("pk"))
            .values_list("folder_id", "n")
        )
        if len(folders) != len(ids):
            raise DomainError.invalid(
                {"folders": ["所選案卷須為本機關該年度屆期、屆期處置為銷毀或鑑定且未列入目錄者。"]}
            )
        listing = DestructionList.objects.create(
            agency=agency,
            title=title or f"{year - 1911}年屆期檔案銷毀目錄",
            expiry_year=year,
            proposed_by=by,
        )
        for folder in folders:
            DestructionEntry.objects.create(
                destruction_list=listing,
                folder=folder,
                file_code=folder.file_code,
                title=folder.title,
                started_on=folder.started_on,
                ended_on=folder.ended_on,
                retention=folder.retention,
                items=counts.get(folder.pk, folder.quantity),
                volumes=1,
                unit=folder.unit,
            )
            folder.status = RecordStatus.LISTED
            folder.save()
    return listing


def ask_opinions(listing: DestructionList, *, by) -> DestructionList:
    """送業務單位表示意見: each row's unit (or the agency's officers) is told."""
    _require_archivist(by, listing.agency_id)
    if listing.status != ListStatus.DRAFT:
        raise DomainError("wrong_state", "只有編製中的銷毀目錄可以送業務單位表示意見。")
    with transaction.atomic(), audit.action("archives:ask_opinions"):
        listing.status = ListStatus.OPINIONS
        listing.save()
        url = reverse("archives:destruction_list", args=[listing.pk])
        units = set(listing.entries.values_list("unit_id", flat=True))
        officers = User.objects.filter(
            agency_id=listing.agency_id,
            is_active=True,
            roles__code__in=permissions.OFFICER_ROLES,
        ).distinct()
        for person in officers.exclude(pk=by.pk):
            if None in units or person.unit_id in units:
                core_services.notify(
                    person,
                    f"請就「{listing.title}」表示是否同意銷毀",
                    url=url,
                    subject=listing,
                )
    return listing


def give_opinion(
    entry: DestructionEntry,
    *,
    by,
    opinion: str,
    extend_years: int | None = None,
    reason: str = "",
) -> DestructionEntry:
    """業務單位意見: 同意銷毀, or 延長保存 with the years and the reason."""
    listing = entry.destruction_list
    if not permissions.may_give_opinion(by, listing.agency_id, entry.unit_id):
        raise PermissionDenied("只有該案卷業務單位的承辦人或主管可以表示意見。")
    if listing.status != ListStatus.OPINIONS:
        raise DomainError("wrong_state", "此銷毀目錄目前不在徵詢意見階段。")
    reason = check_text(reason or "", "延長理由", field="extend_reason", max_length=300).strip()
    errors: dict[str, list[str]] = {}
    if opinion not in (Opinion.AGREE, Opinion.EXTEND):
        errors["opinion"] = ["請選擇同意銷毀或延長保存。"]
    if opinion == Opinion.EXTEND:
        if extend_years is None or not 1 <= extend_years <= EXTEND_YEARS_MAX:
            errors["extend_years"] = [f"延長年限須為1至{EXTEND_YEARS_MAX}年。"]
        if not reason:
            errors["extend_reason"] = ["延長保存須說明理由。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:opinion"):
        entry.opinion = opinion
        entry.extend_years = extend_years if opinion == Opinion.EXTEND else None
        entry.extend_reason = reason if opinion == Opinion.EXTEND else ""
        entry.opinion_by = by
        entry.opinion_at = timezone.now()
        entry.save()
    return entry


def list_totals(listing: DestructionList) -> dict:
    """件/案/卷 and shelf metres of the rows still to be destroyed (not extended)."""
    rows = listing.entries.exclude(opinion=Opinion.EXTEND)
    figures = rows.aggregate(items=Sum("items"), volumes=Sum("volumes"))
    cases = rows.values("folder__year", "folder__class_code", "folder__case_no").distinct()
    metres = rows.aggregate(m=Sum("folder__shelf_metres"))["m"] or Decimal(0)
    return {
        "items": figures["items"] or 0,
        "cases": cases.count(),
        "volumes": figures["volumes"] or 0,
        "shelf_metres": metres,
    }


def submit_list(listing: DestructionList, *, by) -> DestructionList:
    """報請核准: every row has its opinion; rows to be kept leave the list (their 案卷's
    retention extended), and the list goes to the Secretariat's 初審."""
    _require_archivist(by, listing.agency_id)
    if listing.status != ListStatus.OPINIONS:
        raise DomainError("wrong_state", "銷毀目錄須先徵詢業務單位意見。")
    waiting = listing.entries.filter(opinion=Opinion.PENDING).count()
    if waiting:
        raise DomainError("opinions_pending", f"尚有 {waiting} 個案卷未表示意見。")
    with transaction.atomic(), audit.action("archives:submit_list"):
        for entry in listing.entries.filter(opinion=Opinion.EXTEND).select_related("folder"):
            folder = entry.folder
            folder.status = RecordStatus.ACTIVE
            base = folder.expires_on or expiry_date(folder.ended_on, folder.retention)
            folder.expires_on = dt.date(base.year + entry.extend_years, 12, 31) if base else None
            folder.save()
            for item in folder.items.all():
                item.expires_on = folder.expires_on
                item.save(update_fields=["expires_on"])
        if not listing.entries.exclude(opinion=Opinion.EXTEND).exists():
            raise DomainError("nothing_to_destroy", "所有案卷均延長保存，沒有可報請銷毀的案卷。")
        listing.status = ListStatus.SUBMITTED
        listing.submitted_on = today()
        listing.save()
        totals = list_totals(listing)
        DestructionReview.objects.create(
            agency_id=listing.agency_id,
            destruction_list=listing,
            reference=listing.title[:60],
            received_on=listing.submitted_on,
            items=totals["items"],
            cases=totals["cases"],
            volumes=totals["volumes"],
            shelf_metres=totals["shelf_metres"],
        )
    return listing


def receive_review(
    agency,
    *,
    by,
    received_on: dt.date,
    reference: str,
    items: int,
    cases: int,
    volumes: int,
    shelf_metres: Decimal = Decimal(0),
) -> DestructionReview:
    """收件: an agency's 銷毀目錄 received on paper or from another system (one built here
    arrives by :func:`submit_list`)."""
    _require_reviewer(by)
    reference = check_text(reference or "", "來文字號", field="reference", max_length=60).strip()
    errors: dict[str, list[str]] = {}
    if received_on > today():
        errors["received_on"] = ["收件日期不可晚於今天。"]
    for name, value, label in (("items", items, "件數"), ("cases", cases, "案數")):
        if not 0 <= value <= 100_000_000:
            errors[name] = [f"{label}須為0至1億。"]
    if not 0 <= volumes <= 10_000_000:
        errors["volumes"] = ["卷數須為0至1千萬。"]
    if not Decimal(0) <= shelf_metres <= Decimal(999_999):
        errors["shelf_metres"] = ["排架長度須為0至999,999公尺。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:receive_review"):
        return DestructionReview.objects.create(
            agency=agency,
            received_on=received_on,
            reference=reference,
            items=items,
            cases=cases,
            volumes=volumes,
            shelf_metres=shelf_metres,
        )


def decide_review(review: DestructionReview, *, by, forward: bool, remarks: str = ""):
    """初審: 轉陳 (forwarded to the national archives) or 退回 with remarks; a returned list
    built here goes back to its archivist to correct (and submit again)."""
    _require_reviewer(by)
    if review.status != ReviewStatus.RECEIVED:
        raise DomainError("wrong_state", "此銷毀目錄已審畢。")
    remarks = check_text(remarks or "", "審查意見", field="remarks", max_length=500).strip()
    if not forward and not remarks:
        raise DomainError.invalid({"remarks": ["退回須填寫審查意見。"]})
    with transaction.atomic(), audit.action("archives:decide_review"):
        review.status = ReviewStatus.FORWARDED if forward else ReviewStatus.RETURNED
        review.remarks = remarks
        review.reviewed_on = today()
        review.reviewed_by = by
        review.save()
        listing = review.destruction_list
        if listing is not None and not forward:
            listing.status = ListStatus.OPINIONS
            listing.submitted_on = None
            listing.save()
    return review


def record_approval(
    listing: DestructionList, *, by, approval_number: str, approved_on: dt.date
) -> DestructionList:
    """核准: the national archives' approval (文號, date), recorded by an archivist who did not
    build the list (four-eyes); destruction is then due within three months."""
    _require_archivist(by, listing.agency_id)
    if by.pk == listing.proposed_by_id:
        raise PermissionDenied("銷毀目錄的編製人不可登錄其核准（須由另一位檔案管理人員登錄）。")
    if listing.status != ListStatus.SUBMITTED:
        raise DomainError("wrong_state", "銷毀目錄須先報請核准。")
    review = listing.reviews.filter(status=ReviewStatus.FORWARDED).first()
    if review is None:
        raise DomainError("not_reviewed", "銷毀目錄須經秘書處初審轉陳後，才能登錄核准。")
    number = check_text(approval_number or "", "核准文號", field="approval_number", max_length=60)
    errors: dict[str, list[str]] = {}
    if not number.strip():
        errors["approval_number"] = ["請填寫核准文號。"]
    if approved_on is None or approved_on > today():
        errors["approved_on"] = ["核准日期須填寫且不可晚於今天。"]
    elif listing.submitted_on and approved_on < listing.submitted_on:
        errors["approved_on"] = ["核准日期不可早於報請核准日期。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:record_approval"):
        listing.status = ListStatus.APPROVED
        listing.approval_number = number.strip()
        listing.approved_on = approved_on
        listing.approved_recorded_by = by
        listing.destroy_due = add_months(approved_on, DESTROY_WITHIN_MONTHS)
        listing.save()
        _track(review, listing.approval_number, approved_on)
    return listing


def _track(review: DestructionReview, number: str, approved_on: dt.date) -> None:
    review.approval_number = number
    review.approved_on = approved_on
    review.destroy_due = add_months(approved_on, DESTROY_WITHIN_MONTHS)
    review.save()


def destroy(
    listing: DestructionList,
    *,
    by,
    destroyed_on: dt.date,
    witness: str,
    method: str = "",
) -> DestructionList:
    """銷毀 with 監毀: every 案卷 left on the approved list and its 件 become 已銷毀 with the
    approval number noted; the catalogue keeps them (nothing is deleted)."""
    _require_archivist(by, listing.agency_id)
    if listing.status != ListStatus.APPROVED or not listing.approval_number:
        raise DomainError("not_approved", "銷毀目錄未經核准，不可銷毀。")
    witness = check_text(witness or "", "監毀人員", field="witness", max_length=100).strip()
    method = check_text(method or "", "銷毀方式", field="method", max_length=60).strip()
    errors: dict[str, list[str]] = {}
    if not witness:
        errors["witness"] = ["請填寫監毀人員。"]
    if destroyed_on is None or destroyed_on > today():
        errors["destroyed_on"] = ["銷毀日期須填寫且不可晚於今天。"]
    elif destroyed_on < listing.approved_on:
        errors["destroyed_on"] = ["銷毀日期不可早於核准日期。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:destroy"):
        for entry in listing.entries.exclude(opinion=Opinion.EXTEND).select_related("folder"):
            folder = entry.folder
            folder.status = RecordStatus.DESTROYED
            folder.disposal_number = listing.approval_number
            folder.save()
            for item in folder.items.all():
                item.status = RecordStatus.DESTROYED
                item.disposal_number = listing.approval_number
                item.save(update_fields=["status", "disposal_number"])
        listing.status = ListStatus.DESTROYED
        listing.destroyed_on = destroyed_on
        listing.destroyed_by = by
        listing.witness = witness
        listing.method = method
        listing.save()
        for review in listing.reviews.filter(status=ReviewStatus.FORWARDED):
            review.destroyed_on = destroyed_on
            review.save()
    return listing


def track_destruction(
    review: DestructionReview,
    *,
    by,
    approval_number: str = "",
    approved_on: dt.date | None = None,
    destroyed_on: dt.date | None = None,
) -> DestructionReview:
    """銷毀追蹤 of a list reviewed here but kept in the agency's own system: the approval and
    the day its files were destroyed (recorded by the Secretariat's reviewer)."""
    _require_reviewer(by)
    if review.destruction_list_id is not None:
        raise DomainError("tracked_by_list", "本系統編製的銷毀目錄由該機關登錄核准與銷毀。")
    if review.status != ReviewStatus.FORWARDED:
        raise DomainError("not_reviewed", "銷毀目錄須經初審轉陳後才能追蹤核准與銷毀。")
    number = check_text(approval_number or "", "核准文號", field="approval_number", max_length=60)
    errors: dict[str, list[str]] = {}
    if approved_on is not None and approved_on > today():
        errors["approved_on"] = ["核准日期不可晚於今天。"]
    if destroyed_on is not None:
        if not (review.approved_on or approved_on):
            errors["destroyed_on"] = ["須先登錄核准，才能登錄銷毀。"]
        elif destroyed_on > today() or destroyed_on < (approved_on or review.approved_on):
            errors["destroyed_on"] = ["銷毀日期須在核准日期之後且不晚於今天。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:track_destruction"):
        if approved_on is not None:
            _track(review, number.strip() or review.approval_number, approved_on)
        if destroyed_on is not None:
            review.destroyed_on = destroyed_on
            review.save()
    return review


def remind_destructions(on: dt.date | None = None) -> int:
    """Daily: an agency whose approved list is due for destruction within two weeks, or past
    its three months, is reminded (its archivists), at most once a week per list."""
    on = on or today()
    due = DestructionReview.objects.filter(
        destroyed_on__isnull=True,
        destroy_due__isnull=False,
        destroy_due__lte=on + dt.timedelta(days=REMIND_DAYS_BEFORE),
    ).exclude(reminded_on__gt=on - dt.timedelta(days=7))
    sent = 0
    for review in due.select_related("agency"):
        late = review.destroy_due < on
        title = (
            f"銷毀目錄（核准文號 {review.approval_number}）已逾核准後3個月未銷毀"
            if late
            else f"銷毀目錄（核准文號 {review.approval_number}）應於 {review.destroy_due} 前銷毀"
        )
        with transaction.atomic(), audit.action("archives:remind_destruction"):
            archivists = User.objects.filter(
                agency_id=review.agency_id, is_active=True, roles__code=RoleCode.ARCHIVIST
            )
            for person in archivists:
                core_services.notify(person, title, mail=True, subject=review)
                sent += 1
            review.reminded_on = on
            review.save()
    return sent


def record_transfer(
    agency,
    *,
    by,
    title: str,
    approval_number: str,
    transferred_on: dt.date,
    folder_ids: list[int],
) -> Transfer:
    """移轉: permanent 案卷 designated 國家檔案 handed to the national archives."""
    _require_archivist(by, agency.pk)
    title = check_text(title or "", "移轉目錄名稱", field="title", max_length=200).strip()
    number = check_text(approval_number or "", "核准文號", field="approval_number", max_length=60)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["請填寫移轉目錄名稱。"]
    if not number.strip():
        errors["approval_number"] = ["請填寫核准文號。"]
    if transferred_on is None or transferred_on > today():
        errors["transferred_on"] = ["移轉日期須填寫且不可晚於今天。"]
    ids = sorted(set(folder_ids))
    folders = list(
        Folder.objects.filter(
            pk__in=ids,
            agency=agency,
            status=RecordStatus.ACTIVE,
            retention=Retention.PERMANENT,
            disposal__in=TRANSFERABLE,
        )
    )
    if not ids or len(folders) != len(ids):
        errors["folders"] = ["移轉的案卷須為本機關保存中、永久保存且列為國家檔案者。"]
    if errors:
        raise DomainError.invalid(errors)
    with transaction.atomic(), audit.action("archives:transfer"):
        transfer = Transfer.objects.create(
            agency=agency,
            title=title,
            approval_number=number.strip(),
            transferred_on=transferred_on,
            cases=len({(f.year, f.class_code, f.case_no) for f in folders}),
            volumes=len(folders),
            recorded_by=by,
        )
        transfer.folders.set(folders)
        for folder in folders:
            folder.status = RecordStatus.TRANSFERRED
            folder.disposal_number = transfer.approval_number
            folder.save()
    return transfer


def refuse_delete(sender, instance, **kwargs) -> None:
    """``pre_delete`` of catalogue records: a record is never deleted — even a destroyed one
    stays in the catalogue with its approval number."""
    raise DomainError("never_deleted", "檔案目錄資料不可刪除；銷毀須經核准之銷毀目錄辦理。")


def import_reviews(reviews: list[DestructionReview]) -> list[DestructionReview]:
    """Write imported 初審 records (``importers.ReviewImporter``), checked whole."""
    created = DestructionReview.objects.bulk_create(reviews)
    audit.record_created(created, agency_of=lambda review: review.agency_id)
    return created
