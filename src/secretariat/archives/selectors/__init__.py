"""檔案管理 reads: querysets already limited to what the person may see (their agency's
catalogue; the Secretariat's reviewers and administrators every agency's), and the figures
the report sections and the export read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Count, F, Func, Q, QuerySet, Sum, TextField

from secretariat.archives import permissions
from secretariat.archives.models import (
    DestructionList,
    DestructionReview,
    Disposal,
    FilingStatus,
    Folder,
    Item,
    ListStatus,
    RecordStatus,
    ReviewStatus,
    Scheme,
    Secrecy,
    Transfer,
)
from secretariat.core.permissions import SECRETARIAT_CODE, scope_to_agency

SEARCH_WORDS_MAX = 5
# Dispositions a 銷毀目錄 may hold (the others are kept for good).
DESTROYABLE = (Disposal.DESTROY, Disposal.APPRAISE)


# 案卷 in keeping that a 銷毀目錄 may hold. Built once, only ever narrowed (``.filter`` clones;
# never evaluated itself, so no result cache is shared): about 0.1 ms less a selection than
# building it from a Q each time (584 against 674 µs for the whole selection, 5 rows).
_DESTROYABLE_FOLDERS = Folder.objects.filter(status=RecordStatus.ACTIVE, disposal__in=DESTROYABLE)


def expiring_folders(agency_id: int, year: int):
    """屆期: the agency's 案卷 in keeping whose retention ends in ``year`` (西元) and whose
    disposal is destruction or appraisal — what a 銷毀目錄 may hold. One rule for the page,
    the API, the service and the benchmark."""
    return _DESTROYABLE_FOLDERS.filter(
        agency_id=agency_id, expires_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31))
    )


def late_filing_q() -> Q:
    """逾期歸檔: handed over (歸檔) after the agency's filing deadline. The one rule."""
    return Q(filing_due__isnull=False, filed_on__gt=F("filing_due"))


def _sees_classified(user, queryset: QuerySet) -> QuerySet:
    """A classified record (密等 above 普通) is listed only to its agency's archivists."""
    if permissions.is_agency_archivist(user):
        return queryset.filter(Q(secrecy=Secrecy.NONE) | Q(agency_id=user.agency_id))
    return queryset.filter(secrecy=Secrecy.NONE)


def folders_for(user) -> QuerySet[Folder]:
    return _sees_classified(user, scope_to_agency(Folder.objects.select_related("agency"), user))


def items_for(user) -> QuerySet[Item]:
    return _sees_classified(
        user, scope_to_agency(Item.objects.select_related("agency", "folder"), user)
    )


def search_words(words: str) -> list[str]:
    return [w for w in (words or "").split() if w][:SEARCH_WORDS_MAX]


class TitleGrams(Func):
    """PostgreSQL: the title's characters and character bigrams (``archives_grams``, migration
    0004), the expression of the catalogues' GIN indexes."""

    function = "archives_grams"
    output_field = ArrayField(TextField())


def title_grams(word: str) -> list[str]:
    """The grams ``archives_grams`` gives a title holding ``word``, that the word needs."""
    if len(word) == 1:
        return [word]
    return sorted({word[i : i + 2] for i in range(len(word) - 1)})


def _titled(found: QuerySet, words: str) -> QuerySet:
    """Every 案名 word is in the title. On PostgreSQL through the grams index (a two-character
    word has no trigram): a word of one or two characters is in the title exactly when its
    gram is, a longer one's grams narrow and ``LIKE`` decides. (Only where it decides: the
    planner would count the word twice, think it rare, and sort every match of a frequent
    one instead of walking the catalogue in 檔號 order.)"""
    wanted = search_words(words)
    if not wanted or connection.vendor != "postgresql":
        for word in wanted:
            found = found.filter(title__contains=word)
        return found
    grams = sorted({gram for word in wanted for gram in title_grams(word)})
    found = found.alias(title_grams=TitleGrams("title")).filter(title_grams__contains=grams)
    for word in wanted:
        if len(word) > 2:
            found = found.filter(title__contains=word)
    return found


def search_items(user, *, code_prefix: str = "", words: str = "") -> QuerySet[Item]:
    """Catalogue search of 件: by 檔號 prefix (115-0101-…) and by 案名 words (all of them)."""
    found = items_for(user).filter(filing=FilingStatus.FILED)
    if code_prefix:
        found = found.filter(file_code__startswith=code_prefix)
    return _titled(found, words).order_by("file_code")


def search_folders(user, *, code_prefix: str = "", words: str = "") -> QuerySet[Folder]:
    found = folders_for(user)
    if code_prefix:
        found = found.filter(file_code__startswith=code_prefix)
    return _titled(found, words).order_by("file_code")


def awaiting_check(user) -> QuerySet[Item]:
    """待檢核: proposed 件 of the person's agency (an archivist's queue; an officer sees the
    ones they proposed)."""
    items = scope_to_agency(Item.objects.select_related("document", "entry"), user).filter(
        filing=FilingStatus.PROPOSED
    )
    if permissions.is_archivist(user):
        return items.order_by("filing_due", "pk")
    return items.filter(proposed_by=user).order_by("filing_due", "pk")


def late_filings(user, start: dt.date, end: dt.date) -> QuerySet[Item]:
    """逾期歸檔 list: 件 handed over in the span after their deadline."""
    return (
        scope_to_agency(Item.objects.select_related("agency", "proposed_by"), user)
        .filter(late_filing_q(), filed_on__range=(start, end))
        .order_by("filed_on", "pk")
    )


def expiring_for(user, agency_id: int, year: int) -> QuerySet[Folder]:
    """屆期 list for the page and the API (the service's rule, scoped)."""
    return scope_to_agency(expiring_folders(agency_id, year), user).order_by("file_code")


def schemes_for(user) -> QuerySet[Scheme]:
    return scope_to_agency(Scheme.objects.select_related("agency"), user)


def destruction_lists_for(user) -> QuerySet[DestructionList]:
    """An agency's lists; the Secretariat's reviewers also every list sent for 初審."""
    lists = DestructionList.objects.select_related("agency", "proposed_by")
    if permissions.is_reviewer(user):
        return lists.filter(
            Q(pk__in=scope_to_agency(lists, user).values("pk")) | Q(reviews__isnull=False)
        ).distinct()
    return scope_to_agency(lists, user)


def reviews_for(user) -> QuerySet[DestructionReview]:
    """初審: the reviewers see every agency's; an agency its own."""
    reviews = DestructionReview.objects.select_related("agency", "destruction_list")
    if permissions.is_reviewer(user):
        return reviews
    return scope_to_agency(reviews, user)


def transfers_for(user) -> QuerySet[Transfer]:
    return scope_to_agency(Transfer.objects.select_related("agency"), user)


def export_folders(agency_id: int, start: dt.date, end: dt.date) -> QuerySet[Folder]:
    """目錄彙送: the agency's 案卷 created or changed in the span, classified ones excluded."""
    return (
        Folder.objects.filter(agency_id=agency_id, secrecy=Secrecy.NONE)
        .filter(Q(created_at__date__range=(start, end)) | Q(changed_at__date__range=(start, end)))
        .exclude(status=RecordStatus.DESTROYED)
        .order_by("file_code")
    )


def exported_items(folder: Folder) -> list[Item]:
    """The 件 of an exported 案卷 (prefetched): classified and destroyed ones left out."""
    return [
        item
        for item in folder.items.all()
        if item.secrecy == Secrecy.NONE and item.status != RecordStatus.DESTROYED
    ]


# --- Figures for the report --------------------------------------------------------------------


def secretariat_agency_id() -> int | None:
    from secretariat.core.models import Agency

    return Agency.objects.filter(code=SECRETARIAT_CODE).values_list("pk", flat=True).first()


def catalogued_items(agency_id: int | None, start: dt.date, end: dt.date) -> int:
    """編目件數: 件 checked (or imported as catalogued) in the span."""
    return Item.objects.filter(
        agency_id=agency_id, filing=FilingStatus.FILED, checked_on__range=(start, end)
    ).count()


@dataclass(frozen=True)
class CaseVolumes:
    cases: int
    volumes: int


def transferred(agency_id: int | None, start: dt.date, end: dt.date) -> CaseVolumes:
    figures = Transfer.objects.filter(
        agency_id=agency_id, transferred_on__range=(start, end)
    ).aggregate(cases=Sum("cases"), volumes=Sum("volumes"))
    return CaseVolumes(figures["cases"] or 0, figures["volumes"] or 0)


def destroyed(agency_id: int | None, start: dt.date, end: dt.date) -> CaseVolumes:
    """案/卷 destroyed in the span (the agency's lists destroyed then)."""
    folders = Folder.objects.filter(
        agency_id=agency_id,
        status=RecordStatus.DESTROYED,
        destruction_entries__destruction_list__status=ListStatus.DESTROYED,
        destruction_entries__destruction_list__destroyed_on__range=(start, end),
    ).distinct()
    cases = folders.values("year", "class_code", "case_no").distinct().count()
    return CaseVolumes(cases, folders.count())


@dataclass(frozen=True)
class ReviewFigures:
    lists: int
    items: int
    cases: int
    volumes: int


def reviewed(start: dt.date, end: dt.date) -> ReviewFigures:
    """初審: every agency's lists reviewed and forwarded in the span (件/案/卷)."""
    figures = DestructionReview.objects.filter(
        status=ReviewStatus.FORWARDED, reviewed_on__range=(start, end)
    ).aggregate(lists=Count("pk"), items=Sum("items"), cases=Sum("cases"), volumes=Sum("volumes"))
    return ReviewFigures(
        figures["lists"], figures["items"] or 0, figures["cases"] or 0, figures["volumes"] or 0
    )


def shelf_metres_destroyed(start: dt.date, end: dt.date) -> Decimal:
    """實體檔案長度 destroyed (every agency) in the span."""
    total = DestructionReview.objects.filter(destroyed_on__range=(start, end)).aggregate(
        m=Sum("shelf_metres")
    )["m"]
    return total or Decimal(0)


@dataclass(frozen=True)
class Tracking:
    approved: int
    on_time: int
    late: int
    waiting: int


def destruction_tracking(start: dt.date, end: dt.date, as_of: dt.date) -> Tracking:
    """Lists approved in the span: destroyed within three months, destroyed late, or still
    waiting (as of ``as_of``; overdue ones count as late)."""
    approved = DestructionReview.objects.filter(approved_on__range=(start, end))
    on_time = approved.filter(destroyed_on__isnull=False, destroyed_on__lte=F("destroy_due"))
    late = approved.filter(
        Q(destroyed_on__gt=F("destroy_due")) | Q(destroyed_on__isnull=True, destroy_due__lt=as_of)
    )
    total = approved.count()
    return Tracking(total, on_time.count(), late.count(), total - on_time.count() - late.count())


def tracking_for(user) -> QuerySet[DestructionReview]:
    """銷毀追蹤 page: approved lists, the soonest due first."""
    return (
        reviews_for(user)
        .filter(approved_on__isnull=False)
        .order_by(F("destroyed_on").asc(nulls_first=True), "destroy_due")
    )


def opinions_waiting(user) -> QuerySet[DestructionList]:
    """銷毀目錄 waiting for the person's unit's opinion."""
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return DestructionList.objects.none()
    lists = DestructionList.objects.filter(
        agency_id=user.agency_id, status=ListStatus.OPINIONS, entries__opinion="pending"
    )
    if user.unit_id is not None:
        lists = lists.filter(Q(entries__unit_id=user.unit_id) | Q(entries__unit__isnull=True))
    return lists.distinct()


def pending_for(user) -> list:
    """我的待辦: filings to check and lists to submit or destroy (archivists), opinions to
    give (business units), lists to review (the Secretariat's reviewers)."""
    from django.urls import reverse
    from django.utils import timezone

    from secretariat.core.modules import PendingItem

    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    found = []
    if permissions.is_archivist(user) and user.agency_id is not None:
        waiting = awaiting_check(user).filter(agency_id=user.agency_id)
        if count := waiting.count():
            first = waiting.first()
            found.append(
                PendingItem(
                    "待檢核歸檔",
                    f"{count} 件公文待檢核歸檔",
                    reverse("archives:filing"),
                    first.filing_due,
                    bool(first.filing_due and first.filing_due < today),
                )
            )
        for listing in DestructionList.objects.filter(
            agency_id=user.agency_id, status=ListStatus.APPROVED
        ):
            found.append(
                PendingItem(
                    "待銷毀",
                    listing.title,
                    reverse("archives:destruction_list", args=[listing.pk]),
                    listing.destroy_due,
                    bool(listing.destroy_due and listing.destroy_due < today),
                )
            )
    if user.has_role(*permissions.OFFICER_ROLES):
        for listing in opinions_waiting(user):
            found.append(
                PendingItem(
                    "銷毀目錄意見",
                    listing.title,
                    reverse("archives:destruction_list", args=[listing.pk]),
                )
            )
    if permissions.is_reviewer(user):
        if count := DestructionReview.objects.filter(status=ReviewStatus.RECEIVED).count():
            found.append(
                PendingItem(
                    "銷毀目錄初審", f"{count} 份銷毀目錄待初審", reverse("archives:reviews")
                )
            )
    return found
