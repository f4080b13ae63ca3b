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
from secretariat.core.models import Agency, IndicatorTarget, RoleCode, User
from secretariat.core.permissions import SECRETARIAT_CODE
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


def _archivists(agency) -> list[User]:
    return list(
        User.objects.filter(agency=agency, roles__code=RoleCode.ARCHIVIST, is_active=True)
        .order_by("username")
        .distinct()
    )


def load_demo() -> str:
    """Uses the catalogue demo's archivists (two of the Secretariat, one of 都發局)."""
    secretariat = Agency.objects.filter(code=SECRETARIAT_CODE).first()
    udd_agency = registry.agency_by_name("都發局")
    if secretariat is None or udd_agency is None:
        return "略過（機關名錄未載入）"
    if DigitizationProject.objects.filter(agency=secretariat, title=PROJECT).exists():
        return "已有示範資料"
    ours, theirs = _archivists(secretariat), _archivists(udd_agency)
    if len(ours) < 2 or not theirs:
        return "略過（缺少秘書處或都發局的檔案管理人員帳號）"
    today = timezone.localdate()
    half = Period.half_containing(today)
    year = roc.roc_year(today)
    archivist, second, udd = ours[0], ours[1], theirs[0]
    with transaction.atomic():
        _digitization(secretariat, udd, archivist, second, half, today, year)
        applications = _use(secretariat, archivist, second, half, today)
        _inspections(second, half, today)
        IndicatorTarget.objects.get_or_create(
            indicator=use_reports.COMPLETION_RATE, year=year, defaults={"value": Decimal(75)}
        )
    return (
        f"數位化專案 2 個、掃描批次 5 批、檔案應用申請 {applications} 件、"
        f"考評 {len(FIELD_INSPECTED + REVIEWED)} 場"
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


def _use(secretariat, archivist, second, half, today) -> int:
    """A citizen's application waiting and a staff one decided, for filed catalogue records
    (none when the catalogue demo has filed nothing)."""
    items = list(
        Item.objects.filter(
            agency=secretariat, filing=FilingStatus.FILED, secrecy=Secrecy.NONE
        ).exclude(file_code="")[:2]
    )
    if not items:
        return 0
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
    return 2


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
