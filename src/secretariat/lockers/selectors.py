"""Reads of the document lockers, limited to what the person may see: a package is seen by
the staff of its sending and its receiving agency (and roles that see every agency); sites,
banks and compartments by the administrators. Overdue is one rule (:func:`overdue_q`) for
the pages, the reminder job and the API; the report's figures combine packages handled here
with imported history (``PackageTally``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from secretariat.core.errors import NotFound
from secretariat.core.permissions import sees_all_agencies
from secretariat.documents import selectors as documents
from secretariat.lockers.models import (
    LIVE,
    Bank,
    Compartment,
    OpenCommand,
    Package,
    PackageTally,
    Site,
    Status,
)

# Packages that went through a bank: everything deposited, whatever happened since.
DEPOSITED_STATUSES = (Status.DEPOSITED, Status.COLLECTING, Status.COLLECTED, Status.SIGNED)


def overdue_q(at: dt.datetime) -> Q:
    """逾時未取: deposited, not collected, past its pickup time (the working hours of
    ``LOCKERS_PICKUP_HOURS`` after the deposit)."""
    return Q(status=Status.DEPOSITED, pickup_due_at__lt=at)


def visible_packages(user) -> QuerySet[Package]:
    base = Package.objects.select_related("agency", "receiver", "bank", "bank__site", "compartment")
    if sees_all_agencies(user):
        return base
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return base.none()
    return base.filter(Q(agency_id=user.agency_id) | Q(receiver_id=user.agency_id))


def package_for(user, pk: int) -> Package:
    found = visible_packages(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def sent_packages(user) -> QuerySet[Package]:
    """The person's agency's packages (made by its 收發), newest first."""
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return Package.objects.none()
    return visible_packages(user).filter(agency_id=user.agency_id)


def pending_pickups(user) -> QuerySet[Package]:
    """待取件 and 待簽收 for the person's agency, the longest waiting first."""
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return Package.objects.none()
    return (
        visible_packages(user)
        .filter(
            receiver_id=user.agency_id,
            status__in=(Status.DEPOSITED, Status.COLLECTING, Status.COLLECTED),
        )
        .order_by("deposited_at", "pk")
    )


def signed_packages(user) -> QuerySet[Package]:
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return Package.objects.none()
    return (
        visible_packages(user)
        .filter(receiver_id=user.agency_id, status=Status.SIGNED)
        .order_by("-signed_at", "-pk")
    )


def overdue_packages(user, at: dt.datetime | None = None) -> QuerySet[Package]:
    """逾時未取 the person may see (all of them for roles that see every agency)."""
    return visible_packages(user).filter(overdue_q(at or timezone.now())).order_by("pickup_due_at")


def packable(user) -> QuerySet:
    """發文簿 rows the person's agency may pack (sent by hand, not yet in a package)."""
    return documents.paper_dispatches(user).filter(locker_item__isnull=True)


def receivers_for(user) -> list:
    """The agencies the person's agency has documents waiting to be packed for."""
    rows = packable(user).values_list("agency_id", "agency__name").distinct()
    return sorted(set(rows), key=lambda row: row[1])


def items_of(package: Package) -> QuerySet:
    return package.items.select_related("document", "received", "received__agency").order_by("pk")


def active_banks() -> QuerySet[Bank]:
    return Bank.objects.filter(active=True).select_related("site").order_by("site__name", "code")


def bank_by_code(code: str) -> Bank:
    found = active_banks().filter(code=code).first()
    if found is None:
        raise NotFound("查無此櫃組。")
    return found


def sites() -> QuerySet[Site]:
    return Site.objects.prefetch_related("banks").order_by("name")


def compartments_of(bank: Bank) -> QuerySet[Compartment]:
    """A bank's compartments with the package each holds now (``holding``)."""
    live = Package.objects.filter(status__in=LIVE)
    return (
        bank.compartments.select_related("agency")
        .annotate(holding=Count("packages", filter=Q(packages__in=live)))
        .order_by("number")
    )


def pending_commands(bank: Bank) -> QuerySet[OpenCommand]:
    """Commands the bank's controller has not acknowledged, oldest first."""
    return (
        OpenCommand.objects.filter(bank=bank, acknowledged_at__isnull=True)
        .select_related("compartment", "package")
        .order_by("issued_at", "pk")
    )


def command_of(bank: Bank, pk: int) -> OpenCommand:
    found = OpenCommand.objects.filter(bank=bank, pk=pk).select_related("compartment").first()
    if found is None:
        raise NotFound("查無此開門指令。")
    return found


def pending_for(user) -> list:
    """The dashboard's 待辦: packages waiting for the person's agency (its 收發)."""
    from secretariat.core.models import RoleCode
    from secretariat.core.modules import PendingItem

    if not getattr(user, "is_authenticated", False) or not user.has_role(RoleCode.REGISTRY_CLERK):
        return []
    now = timezone.now()
    return [
        PendingItem(
            kind="智取櫃",
            title=f"{package.agency.short_name or package.agency.name}包件 {package.number}"
            f"（{package.get_status_display()}）",
            url=reverse("lockers:pickups"),
            due=timezone.localtime(package.pickup_due_at).date() if package.pickup_due_at else None,
            overdue=bool(
                package.pickup_due_at
                and package.pickup_due_at < now
                and package.status == Status.DEPOSITED
            ),
        )
        for package in pending_pickups(user)[:20]
    ]


# --- Figures (report chapter 二) ------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigure:
    month: dt.date
    packages: int


@dataclass(frozen=True)
class LockerFigures:
    months: tuple[MonthFigure, ...]
    packages: int  # deposited in the period
    cumulative: int  # deposited up to the period's end
    agencies: int  # agencies that sent or received a package up to the period's end
    collected: int  # of the period's packages, collected
    average_minutes: Decimal | None  # deposit → pickup, of those collected


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def figures(start: dt.date, end: dt.date) -> LockerFigures:
    """Packages deposited between ``start`` and ``end`` (inclusive) by month, the cumulative
    count and the agencies using the lockers up to ``end``, and the average time from deposit
    to pickup — live packages and imported monthly tallies alike."""
    live = Package.objects.filter(status__in=DEPOSITED_STATUSES, deposited_at__isnull=False)
    by_month: dict[dt.date, int] = {}
    in_period = live.filter(
        deposited_at__gte=_end_moment(start - dt.timedelta(days=1)),
        deposited_at__lt=_end_moment(end),
    ).only("deposited_at", "collected_at")
    minutes = Decimal(0)
    collected = 0
    for package in in_period:
        month = _month(timezone.localtime(package.deposited_at).date())
        by_month[month] = by_month.get(month, 0) + 1
        if package.collected_at:
            collected += 1
            minutes += Decimal((package.collected_at - package.deposited_at).total_seconds()) / 60
    tallies = PackageTally.objects.filter(month__gte=_month(start), month__lte=end)
    for row in tallies.values("month").annotate(n=Sum("packages")):
        by_month[row["month"]] = by_month.get(row["month"], 0) + row["n"]
    tallied = tallies.aggregate(collected=Sum("collected"), minutes=Sum("pickup_minutes"))
    collected += tallied["collected"] or 0
    minutes += Decimal(tallied["minutes"] or 0)
    before_live = live.filter(deposited_at__lt=_end_moment(end)).count()
    before_tallied = (
        PackageTally.objects.filter(month__lte=end).aggregate(n=Sum("packages"))["n"] or 0
    )
    agencies = set()
    for sender, receiver in (
        live.filter(deposited_at__lt=_end_moment(end))
        .values_list("agency_id", "receiver_id")
        .distinct()
    ):
        agencies.update((sender, receiver))
    for sender, receiver in (
        PackageTally.objects.filter(month__lte=end)
        .values_list("agency_id", "receiver_id")
        .distinct()
    ):
        agencies.update((sender, receiver))
    return LockerFigures(
        months=tuple(MonthFigure(m, n) for m, n in sorted(by_month.items())),
        packages=sum(by_month.values()),
        cumulative=before_live + before_tallied,
        agencies=len(agencies),
        collected=collected,
        average_minutes=(minutes / collected).quantize(Decimal("0.1")) if collected else None,
    )


def _end_moment(end: dt.date) -> dt.datetime:
    """The first moment after ``end`` in Taipei time."""
    return timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
