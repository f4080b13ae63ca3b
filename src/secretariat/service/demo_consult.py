"""Demo professional consultations and volunteers in the current half-year, made through the
services: the three partner associations with their professionals, the coming two weeks'
sessions (some booked), the half-year's consultations so far (as the importer writes them),
the four gates and the centre with eight volunteers, today's roster, the half-year's tallies,
a training, and the two indicators' yearly targets. The people are fictional. Idempotent:
nothing is added once the demo associations exist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from secretariat.core import audit, roc
from secretariat.core.models import IndicatorTarget, User
from secretariat.core.roc import TAIPEI, Period
from secretariat.service import consult_reports, services
from secretariat.service.models import (
    Association,
    Consultation,
    ConsultSource,
    Mode,
    Profession,
    Shift,
    ShiftSource,
)
from secretariat.service.selectors import PEOPLE_SERVED, months_of

ASSOCIATIONS = (
    ("臺北律師公會", Profession.LEGAL, ("吳律師", "鄭律師")),
    ("臺北市建築師公會", Profession.ARCHITECTURE, ("林建築師", "陳建築師")),
    ("臺北市地政士公會", Profession.LAND, ("黃地政士",)),
)
# Seed 001's 114年上半年 architectural consultations by month (face to face, phone): the
# demo's months follow their shape.
MONTHLY = ((48, 38), (49, 53), (58, 73), (46, 76), (53, 54), (63, 54))
POSTS = ("市府大樓東門", "市府大樓西門", "市府大樓南門", "市府大樓北門", "聯合服務中心")
VOLUNTEERS = ("白志工", "石志工", "羅志工", "簡志工", "江志工", "范志工", "宋志工", "韓志工")
# Seed 001: 12萬3,859人次 and 1萬7,306件 in six months over five posts.
MONTHLY_PEOPLE, MONTHLY_LEAFLETS = 4_128, 576
MORNING, AFTERNOON = (dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 30), dt.time(16, 30))


def _workdays(start: dt.date, days: int) -> list[dt.date]:
    return [
        start + dt.timedelta(days=n)
        for n in range(days)
        if (start + dt.timedelta(days=n)).weekday() < 5
    ]


def load_demo() -> str:
    if Association.objects.filter(name=ASSOCIATIONS[0][0]).exists():
        return "已有示範資料"
    # The desk's demo (registered first) makes the supervisor and desk accounts.
    chief = User.objects.get(username="sec-desk-chief")
    desk = User.objects.get(username="sec-desk")
    today = timezone.localdate()
    period = Period.half_containing(today)
    with transaction.atomic():
        associations = []
        for name, profession, people in ASSOCIATIONS:
            association = services.add_association(by=chief, name=name, profession=profession)
            professionals = [
                services.add_professional(
                    by=chief,
                    association=association,
                    name=person,
                    email=f"pro{n}@demo.secretariat.localhost",
                )
                for n, person in enumerate(people)
            ]
            associations.append((association, professionals))
        sessions = []
        for n, day in enumerate(_workdays(today + dt.timedelta(days=1), 14)):
            association, professionals = associations[n % len(associations)]
            for mode, place, starts in (
                (Mode.FACE_TO_FACE, "聯合服務中心專業諮詢室", dt.time(14, 0)),
                (Mode.PHONE, "專業諮詢專線（02）2720-8889", dt.time(9, 30)),
            ):
                sessions.append(
                    services.add_session(
                        by=chief,
                        association=association,
                        professional=professionals[n % len(professionals)],
                        day=day,
                        starts=starts,
                        ends=dt.time(starts.hour + 3, starts.minute),
                        mode=mode,
                        place=place,
                        capacity=6,
                    )
                )
        for n, (name, phone) in enumerate(
            (("王小明", "0912-000-101"), ("李大華", "02-2720-0102"), ("張美玲", "0933-000-103"))
        ):
            services.book(sessions[n * 2], name=name, phone=phone, by=None if n else desk)
        past = []
        months = months_of(period.start, today)
        for (year, month), (face, phone) in zip(months, MONTHLY, strict=False):
            for mode, count in ((Mode.FACE_TO_FACE, face), (Mode.PHONE, phone)):
                for k in range(count):
                    day = dt.date(year, month, 1 + k % 28)
                    if day > today:
                        continue
                    association = associations[k % 3][0]
                    past.append(
                        Consultation(
                            association=association,
                            held_on=day,
                            mode=mode,
                            topic="",
                            source=ConsultSource.IMPORT,
                        )
                    )
        with audit.action("demo:service_consult"):
            services.import_consultations(past)
        posts = [
            services.add_post(by=chief, name=name, sort_order=n * 10)
            for n, name in enumerate(POSTS)
        ]
        volunteers = [
            services.add_volunteer(
                by=chief,
                name=name,
                phone=f"0910-000-{n:03d}",
                joined_on=period.start - dt.timedelta(days=365),
                email=f"volunteer{n}@demo.secretariat.localhost",
            )
            for n, name in enumerate(VOLUNTEERS)
        ]
        # Mornings by the first five volunteers, afternoons by the last five; the first
        # morning's volunteer has signed in and out (so the half-year has a shift on its first
        # day too).
        for n, post in enumerate(posts):
            for first, (starts, ends) in ((0, MORNING), (3, AFTERNOON)):
                shift = services.roster_shift(
                    by=chief,
                    post=post,
                    volunteer=volunteers[first + n],
                    day=today,
                    starts=dt.time(0, 0) if (n, first) == (0, 0) else starts,
                    ends=ends,
                )
                if (n, first) == (0, 0):
                    now = timezone.now()
                    midnight = dt.datetime.combine(today, dt.time(0, 0), tzinfo=TAIPEI)
                    services.sign_in(shift, by=desk, at=max(now - dt.timedelta(hours=1), midnight))
                    services.sign_out(shift, by=desk, people_served=86, leaflets=12, at=now)
        tallies = [
            Shift(
                post=post,
                day=dt.date(year, month, 1),
                starts=dt.time(8, 30),
                ends=dt.time(17, 30),
                people_served=MONTHLY_PEOPLE,
                leaflets=MONTHLY_LEAFLETS,
                source=ShiftSource.IMPORT,
            )
            for year, month in months
            if dt.date(year, month, 1) < today
            for post in posts
        ]
        with audit.action("demo:service_volunteers"):
            services.import_shifts(tallies)
        training = services.add_training(
            by=chief,
            title="志工基礎訓練：服務禮儀與緊急應變",
            held_on=period.start,
            hours=Decimal("3"),
        )
        services.record_attendance(training, volunteers[:6], by=chief)
        year = roc.roc_year(today)
        IndicatorTarget.objects.get_or_create(
            indicator=consult_reports.CONSULTATIONS, year=year, defaults={"value": 1300}
        )
        IndicatorTarget.objects.get_or_create(
            indicator=PEOPLE_SERVED, year=year, defaults={"value": 240000}
        )
    return (
        f"合作公會{len(associations)}個、諮詢時段{len(sessions)}個、專業諮詢{len(past)}件、"
        f"志工{len(volunteers)}位、崗位{len(posts)}個"
    )
