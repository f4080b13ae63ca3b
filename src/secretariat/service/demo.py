"""Demo 服務台 records for the current half-year, through the services: a desk supervisor and
衛生局's counter account, the three nursing rooms, the half-year's past months of the desk's
log by category (as an import of the old tally sheets would write them) with petitions
assisted and referrals, the calls to agencies with a few late arrivals, today's visits and a
call still waiting, and the year's 10-minute target (87%). Idempotent: nothing is added once
the desk has a log."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from secretariat.core import registry
from secretariat.core import services as core_services
from secretariat.core.models import IndicatorTarget, RoleCode, User
from secretariat.core.roc import Period, roc_year
from secretariat.service import selectors, services
from secretariat.service.models import (
    ArrivalBy,
    DeskVisit,
    Dispatch,
    NursingRoom,
    NursingRoomUse,
    Referral,
    VisitKind,
    VisitSource,
)

DEMO_PASSWORD = "taipei-demo-115"
PEOPLE = [
    (
        "sec-desk-chief",
        "周督導",
        "秘書處",
        "服務台督導",
        [RoleCode.SERVICE_DESK, RoleCode.SUPERVISOR],
    ),
    ("health-counter", "吳護理師", "衛生局", "聯合服務中心櫃檯", [RoleCode.SERVICE_DESK]),
]
ROOMS = [
    ("1樓哺集乳室", "市政大樓1樓聯合服務中心旁"),
    ("2樓哺集乳室", "市政大樓2樓"),
    ("B1哺集乳室", "市政大樓地下1樓"),
]
# A month's consultations per category (the six of the 106年 table), then petitions assisted.
MONTHLY = {
    "civil": 48,
    "finance-construction": 31,
    "education": 17,
    "transport": 36,
    "public-works": 22,
    "police-health": 28,
}
PETITIONS = 16
CALL_AGENCIES = ["衛生局", "勞動局", "社會局", "產業局", "地政局", "民政局"]


def _people() -> dict[str, User]:
    found = {}
    for username, name, agency_name, title, roles in PEOPLE:
        person = User.objects.filter(username=username).first()
        if person is None:
            person = core_services.create_person(
                by=None,
                username=username,
                password=DEMO_PASSWORD,
                agency=registry.agency_by_name(agency_name),
                display_name=name,
                job_title=title,
                email=f"{username}@demo.secretariat.localhost",
                roles=roles,
            )
        found[username] = person
    found["sec-desk"] = User.objects.get(username="sec-desk")
    return found


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=timezone.get_current_timezone())


def _history(half: Period, today: dt.date) -> tuple[int, int]:
    """The half-year's past months: tallies on the month's first day, and the calls."""
    categories = {c.code: c for c in selectors.categories()}
    visits, calls = [], []
    agencies = [registry.agency_by_name(name) for name in CALL_AGENCIES]
    for index, (year, month) in enumerate(selectors.months_of(half.start, today)):
        first = dt.date(year, month, 1)
        if (year, month) == (today.year, today.month):
            break
        for offset, (code, count) in enumerate(MONTHLY.items()):
            category = categories[code]
            for _ in range(count + (index * (offset + 1)) % 7):
                visits.append(
                    DeskVisit(served_at=_noon(first), category=category, source=VisitSource.IMPORT)
                )
        visits += [
            DeskVisit(served_at=_noon(first), kind=VisitKind.PETITION, source=VisitSource.IMPORT)
            for _ in range(PETITIONS + index)
        ]
        visits.append(
            DeskVisit(
                served_at=_noon(first),
                category=categories["civil"],
                referral=Referral.SIGN_LANGUAGE,
                source=VisitSource.IMPORT,
            )
        )
        # Five calls a month; one of every twelve arrives after the 10 minutes.
        for call in range(5):
            number = index * 5 + call
            called = dt.datetime.combine(
                first + dt.timedelta(days=2 + call * 4),
                dt.time(10, call * 7),
                tzinfo=timezone.get_current_timezone(),
            )
            wait = 13 if number % 12 == 5 else 4 + call
            calls.append(
                Dispatch(
                    agency=agencies[number % len(agencies)],
                    called_at=called,
                    arrived_at=called + dt.timedelta(minutes=wait),
                    arrival_by=ArrivalBy.IMPORT,
                    purpose="民眾臨櫃陳情，請派員說明",
                )
            )
    services.import_visits(visits)
    services.import_dispatches(calls)
    return len(visits), len(calls)


def _today_calls(desk: User) -> None:
    """One call answered on time earlier today, and one still waiting (the board's clock)."""
    now = timezone.now()
    midnight = dt.datetime.combine(timezone.localdate(now), dt.time.min, tzinfo=now.tzinfo)
    called = max(now - dt.timedelta(minutes=40), midnight)
    earlier = services.call_agency(
        by=desk,
        agency=registry.agency_by_name("社會局"),
        purpose="民眾詢問急難救助申請",
        called_at=called,
    )
    services.mark_arrived(earlier, by=desk, at=min(called + dt.timedelta(minutes=6), now))
    services.call_agency(
        by=desk,
        agency=registry.agency_by_name("衛生局"),
        purpose="民眾詢問長照服務申請",
        contact="吳護理師",
    )


def load_demo() -> str:
    if DeskVisit.objects.exists():
        return "已有服務台紀錄，略過"
    today = timezone.localdate()
    half = Period.half_containing(today)
    with transaction.atomic():
        services.load_default_categories()
        people = _people()
        chief, desk = people["sec-desk-chief"], people["sec-desk"]
        for name, place in ROOMS:
            if not NursingRoom.objects.filter(name=name).exists():
                services.add_room(by=chief, name=name, place=place)
        visits, calls = _history(half, today)
        uses = [
            NursingRoomUse(room=room, used_on=day, count=1 + (day.day + room.pk) % 3)
            for room in NursingRoom.objects.all()
            for day in (
                half.start + dt.timedelta(days=n) for n in range(0, (today - half.start).days, 3)
            )
        ]
        services.import_room_uses(uses)
        for code in ("transport", "civil", "police-health"):
            services.log_visit(by=desk, category=selectors.categories().get(code=code))
        _today_calls(desk)
        for room in NursingRoom.objects.all():
            services.count_room_use(room, by=desk)
        IndicatorTarget.objects.get_or_create(
            indicator=selectors.DISPATCH_RATE, year=roc_year(today), defaults={"value": 87}
        )
    return f"服務台紀錄 {visits + 3} 筆、派員通知 {calls + 2} 件、哺集乳室 {len(uses)} 日"
