"""Demo 數位化、檔案應用、考評 records in the current half-year, made through the services
(after the catalogue demo, whose archivists and imported catalogue they use): the
Secretariat's and 都發局's digitization projects with checked and waiting batches, a citizen's
application waiting for a decision and a staff application decided, 區公所 field inspections
and the 複評 of 兵役局 with follow-up items, and the completion rate's yearly target.
Idempotent: nothing is added once the demo project exists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from secretariat.archives import use_reports
from secretariat.archives.models import (
    DigitizationProject,
    FilingStatus,
    InspectionKind,
    Item,
    Manner,
    RequestDecision,
    Secrecy,
)
from secretariat.archives.services import use as services
from secretariat.core import registry, roc
from secretariat.core.models import IndicatorTarget, User
from secretariat.core.roc import Period

PROJECT = "永久保存紙本檔案數位化"
SCORES = [
    ("組織及人力", 10),
    ("檔案點收及立案編目", 25),
    ("檔案保管", 25),
    ("檔案清理", 20),
    ("檔案應用", 20),
]
FIELD_INSPECTED = ["信義區公所", "大安區公所"]
REVIEWED = ["兵役局"]


def _day(half: Period, today: dt.date, offset: int) -> dt.date:
    return min(today, half.start + dt.timedelta(days=offset))


def load_demo() -> None:
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["sec-archivist", "sec-archivist2", "udd-archivist"]
        )
    }
    if len(people) < 3:
        return
    secretariat = registry.agency_by_name("秘書處")
    if DigitizationProject.objects.filter(agency=secretariat, title=PROJECT).exists():
        return
    today = timezone.localdate()
    half = Period.half_containing(today)
    year = roc.roc_year(today)
    archivist, second, udd = (
        people["sec-archivist"],
        people["sec-archivist2"],
        people["udd-archivist"],
    )
    with transaction.atomic():
        _digitization(secretariat, udd, archivist, second, half, today, year)
        _use(secretariat, archivist, second, half, today)
        _inspections(second, half, today)
        IndicatorTarget.objects.get_or_create(
            indicator=use_reports.COMPLETION_RATE, year=year, defaults={"value": Decimal(75)}
        )


def _digitization(secretariat, udd, archivist, second, half, today, year) -> None:
    project = services.start_project(
        secretariat, by=archivist, year=year, title=PROJECT, target_items=2_400
    )
    for offset, items, pages, passed in (
        (5, 620, 9_830, True),
        (40, 540, 8_120, True),
        (70, 310, 4_400, False),
        (90, 280, 4_020, None),
    ):
        batch = services.record_batch(
            project, by=archivist, scanned_on=_day(half, today, offset), items=items, pages=pages
        )
        if passed is not None:
            services.check_batch(
                batch, by=second, passed=passed, note="" if passed else "影像模糊，須重新掃描"
            )
    udd_project = services.start_project(
        udd.agency, by=udd, year=year, title=PROJECT, target_items=5_000
    )
    services.record_batch(
        udd_project, by=udd, scanned_on=_day(half, today, 20), items=1_200, pages=16_500
    )


def _use(secretariat, archivist, second, half, today) -> None:
    items = list(
        Item.objects.filter(
            agency=secretariat, filing=FilingStatus.FILED, secrecy=Secrecy.NONE
        ).exclude(file_code="")[:2]
    )
    if not items:
        return
    services.apply_for_use(
        secretariat,
        name="林小姐",
        email="lin@example.com",
        purpose="研究本府施政計畫之沿革",
        wanted=[services.Wanted(items[0].file_code, Manner.READ)],
        on=_day(half, today, 100),
        client_ip="demo",
    )
    staff = services.apply_for_use(
        secretariat,
        by=second,
        name=second.display_name,
        purpose="業務參考",
        wanted=[services.Wanted(item.file_code, Manner.COPY, 12) for item in items],
        on=_day(half, today, 30),
    )
    services.decide_use(
        staff,
        by=archivist,
        decisions=[
            services.Decision(request.pk, RequestDecision.APPROVED)
            for request in staff.requests.all()
        ],
    )


def _inspections(second, half, today) -> None:
    on = _day(half, today, 60)
    for offset, name in enumerate(FIELD_INSPECTED + REVIEWED):
        kind = InspectionKind.FIELD if name in FIELD_INSPECTED else InspectionKind.REVIEW
        services.record_inspection(
            registry.agency_by_name(name),
            by=second,
            kind=kind,
            inspected_on=min(today, on + dt.timedelta(days=offset)),
            inspectors="馬檔管、溫檔管",
            scores=[
                services.Score(item, marks, Decimal(marks) - Decimal(offset + 1))
                for item, marks in SCORES
            ],
            follow_ups=[("檔案庫房溫濕度紀錄應每日登載", on + dt.timedelta(days=90))],
        )
