"""Importing locker history (``secretariat import locker-history FILE``): monthly counts from
the locker system this platform replaces, so the report of a past half-year (seed 001: 62
機關, 累計3萬507包 by 114年6月) comes out of records. Format: ``docs/import.md``.

One row: the packages one agency sent another through the lockers in one month (包數), how
many of them were collected with a known pickup time (已取件包數) and their total minutes
from deposit to pickup (取件總分鐘數). The whole file is checked first; nothing is written if
any row is wrong, and every wrong row is listed. A row already imported with the same counts
is unchanged; one with other counts for the same month and pair is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from secretariat.core import audit, importing, registry, roc
from secretariat.core.importing import Column, Importer, Plan, Problems, Row
from secretariat.lockers.models import PackageTally

MONTH, SENDER, RECEIVER = "月份", "發文機關", "受文機關"
PACKAGES, COLLECTED, MINUTES = "包數", "已取件包數", "取件總分鐘數"
COUNT_MAX = 1_000_000
MINUTES_MAX = 10**12
KEY = ("month", "agency_id", "receiver_id")
COUNTS = ("packages", "collected", "pickup_minutes")


def _month(text: str, row: Row, problems: Problems, today: dt.date) -> dt.date | None:
    """「114年6月」, 「114/06」 or any day of the month (民國 or 西元)."""
    try:
        period = roc.parse_period(text)
    except roc.RocDateError:
        period = None
    if period is not None and period.start.day == 1 and period.start.month == period.end.month:
        day = period.start
    elif "/" in text and text.count("/") == 1:
        day = importing.parse_date(f"{text}/01", row.number, MONTH, problems, not_after=None)
    else:
        day = importing.parse_date(text, row.number, MONTH, problems, not_after=None)
    if day is None:
        return None
    day = day.replace(day=1)
    if day > today:
        problems.add(row.number, MONTH, f"{roc.format_month(day.year, day.month)}晚於本月。")
        return None
    return day


class LockerHistoryImporter(Importer):
    type = "locker-history"
    label = "智取櫃歷史統計"
    columns = (
        Column(MONTH, True, "民國 114年6月、114/06，或該月任一日。"),
        Column(SENDER, True, "發文機關全銜、簡稱或當時的舊名。"),
        Column(RECEIVER, True, "受文機關全銜、簡稱或當時的舊名。"),
        Column(PACKAGES, True, "該月透過智取櫃傳遞的包數（至少 1）。"),
        Column(COLLECTED, False, "其中已知取件時間的包數；空白為 0。"),
        Column(MINUTES, False, "上述包件自投遞至取件的總分鐘數；空白為 0。"),
    )

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        index = registry.AgencyIndex.build()
        today = timezone.localdate()
        plan = Plan()
        seen: dict[tuple, int] = {}
        wanted: dict[tuple, tuple[int, PackageTally]] = {}
        for row in rows:
            tally = self._read(row, problems, index, today)
            tick()
            if tally is None:
                continue
            key = tuple(getattr(tally, name) for name in KEY)
            if key in seen:
                problems.add(row.number, "", f"與第{seen[key]}列的月份與機關相同；請合併為一列。")
                continue
            seen[key] = row.number
            wanted[key] = (row.number, tally)
        if problems:
            return plan
        months = {key[0] for key in wanted}
        existing = {}
        if months:
            stored_rows = PackageTally.objects.filter(
                month__gte=min(months), month__lte=max(months)
            )
            existing = {tuple(getattr(s, n) for n in KEY): s for s in stored_rows}
        for key, (number, tally) in wanted.items():
            stored = existing.get(key)
            if stored is None:
                plan.new.append(tally)
            elif all(getattr(stored, n) == getattr(tally, n) for n in COUNTS):
                plan.unchanged += 1
            else:
                problems.add(
                    number, PACKAGES, "此月份與機關已匯入不同的數字；請於系統中更正，不可重複匯入。"
                )
        return plan

    def _read(self, row: Row, problems: Problems, index, today) -> PackageTally | None:
        found = len(problems)
        month = _month(row[MONTH], row, problems, today)
        sender = importing.parse_agency(
            index, row[SENDER], row.number, SENDER, problems, month, record="包件"
        )
        receiver = importing.parse_agency(
            index, row[RECEIVER], row.number, RECEIVER, problems, month, record="包件"
        )
        packages = importing.parse_whole(
            row[PACKAGES], row.number, PACKAGES, problems, most=COUNT_MAX, blank=None
        )
        collected = importing.parse_whole(
            row[COLLECTED], row.number, COLLECTED, problems, most=COUNT_MAX, blank=0
        )
        minutes = importing.parse_whole(
            row[MINUTES], row.number, MINUTES, problems, most=MINUTES_MAX, blank=0
        )
        if packages is not None and packages < 1:
            problems.add(row.number, PACKAGES, "包數至少為 1。")
        if collected is not None and packages is not None and collected > packages:
            problems.add(row.number, COLLECTED, f"不可大於包數（{packages:,}）。")
        if minutes and not collected:
            problems.add(row.number, MINUTES, "已取件包數為 0 時，取件總分鐘數須為 0。")
        if sender is not None and receiver is not None and sender.pk == receiver.pk:
            problems.add(row.number, RECEIVER, "受文機關不可與發文機關相同。")
        if len(problems) > found:
            return None
        return PackageTally(
            month=month,
            agency=sender,
            receiver=receiver,
            packages=packages,
            collected=collected,
            pickup_minutes=minutes,
        )

    def write(self, plan: Plan, *, by) -> None:
        created = PackageTally.objects.bulk_create(plan.new, batch_size=1000)
        audit.record_created(created)


IMPORTERS = (LockerHistoryImporter,)
