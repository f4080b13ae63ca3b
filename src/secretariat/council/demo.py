"""Demo council records, created through the services with dates in the last month and never
before the current half-year (so the work report shows every council section there): the 14th
term and a session, councillors (fictional names), a 市政總質詢 with questions in every state,
data requests, service cases, the year's A-share target, two agencies' liaisons with a meeting
one of them attended, a caucus visit and a mayor–councillor meeting. Idempotent: each part is
added once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from secretariat.cases import services as case_services
from secretariat.core import registry, roc
from secretariat.core.models import IndicatorTarget, User
from secretariat.core.roc import Period
from secretariat.council import selectors, services
from secretariat.council.models import (
    Councillor,
    EngagementKind,
    EventKind,
    Grade,
    LiaisonMeeting,
    LiaisonMeetingKind,
    QuestionEvent,
    Session,
    SessionKind,
    Term,
    Urgency,
)

EVENT_TITLE = "市政總質詢（示範）"
LIAISON_MEETING_TITLE = "府會聯絡人座談會（示範）"
TERM = 14
PEOPLE = (
    "sec-council",
    "udd-officer",
    "udd-supervisor",
    "udd-head",
    "udd-liaison",
    "police-officer",
)
# (agency, liaison, their account or None): the account's liaison attends the demo meeting.
LIAISONS = [("都發局", "蔡府會", "udd-liaison"), ("警察局", "許聯絡", None)]
COUNCILLORS = [
    ("林國華", "甲黨團", "第一選舉區（北投、士林）"),
    ("陳美玲", "乙黨團", "第二選舉區（內湖、南港）"),
    ("王志明", "甲黨團", "第三選舉區（松山、信義）"),
    ("張淑芬", "丙黨團", "第四選舉區（中山、大同）"),
    ("李建宏", "乙黨團", "第五選舉區（中正、萬華）"),
    ("黃雅婷", "無黨籍", "第六選舉區（大安、文山）"),
]
QUESTIONS = [
    # (councillors, subject, text, lead agency or "", replied)
    (("林國華",), "社會住宅興建進度", "請說明北投區社會住宅何時動工、何時完工。", "都發局", True),
    (
        ("陳美玲", "李建宏"),
        "老舊公寓增設電梯補助",
        "補助申請門檻過高，請檢討放寬。",
        "都發局",
        True,
    ),
    (("林國華",), "違規停車取締", "士林夜市周邊違規停車嚴重，請加強取締。", "警察局", False),
    (("黃雅婷",), "校園周邊交通安全", "文山區國小周邊人行道不足，請說明改善計畫。", "", False),
]


def _people() -> dict[str, User]:
    found = {name: User.objects.filter(username=name).first() for name in PEOPLE}
    missing = [name for name, person in found.items() if person is None]
    if missing:
        raise RuntimeError(f"示範府會資料需要先建立示範帳號：{'、'.join(missing)}")
    return found


def _council(today: dt.date) -> tuple[Session, dict[str, Councillor]]:
    term, _ = Term.objects.get_or_create(
        number=TERM,
        defaults={"start_on": dt.date(2022, 12, 25), "end_on": dt.date(2026, 12, 24)},
    )
    session, _ = Session.objects.get_or_create(
        term=term,
        kind=SessionKind.REGULAR,
        number=8,
        defaults={
            "start_on": today - dt.timedelta(days=60),
            "end_on": today + dt.timedelta(days=30),
        },
    )
    councillors = {}
    for name, caucus, district in COUNCILLORS:
        councillors[name], _ = Councillor.objects.get_or_create(
            term=term,
            name=name,
            defaults={
                "caucus": caucus,
                "district": district,
                "email": "",
                "active_from": term.start_on,
            },
        )
    return session, councillors


def _reply(part, text: str, officer: User, approver: User, on: dt.date) -> None:
    case_services.draft_reply(part, text, by=officer, on=on)
    case_services.approve_reply(part, by=approver, on=on)


def _day(start: dt.date, offset: int, today: dt.date) -> dt.date:
    return min(start + dt.timedelta(days=offset), today)


@transaction.atomic
def load_demo() -> str:
    people = _people()
    today = timezone.localdate()
    session, councillors = _council(today)
    # Within the current half-year, whatever the day: the work report shows the demo there.
    start = max(today - dt.timedelta(days=30), Period.half_containing(today).start)
    added = []
    if not QuestionEvent.objects.filter(title=EVENT_TITLE).exists():
        added.append(_questions_and_cases(people, session, councillors, start, today))
    if not LiaisonMeeting.objects.filter(title=LIAISON_MEETING_TITLE).exists():
        added.append(_liaisons_and_engagements(people, councillors, start, today))
    return "、".join(added) or "已存在"


def _questions_and_cases(people, session, councillors, start: dt.date, today: dt.date) -> str:
    desk = people["sec-council"]
    event = services.create_event(
        session=session,
        kind=EventKind.GENERAL,
        title=EVENT_TITLE,
        start_on=start,
        end_on=start + dt.timedelta(days=11),
        sittings=9,
        by=desk,
    )
    for index, (names, subject, text, lead, replied) in enumerate(QUESTIONS):
        asked_on = _day(start, index, today)
        question = services.record_question(
            event=event,
            councillors=[councillors[name] for name in names],
            asked_on=asked_on,
            subject=subject,
            text=text,
            by=desk,
        )
        if not lead:
            continue
        (part,) = case_services.route_case(
            question.case, registry.agency_by_name(lead), by=desk, on=asked_on
        )
        if replied:
            reply = f"有關{names[0]}議員質詢「{subject}」，本局說明如下：已納入年度計畫積極辦理。"
            _reply(part, reply, people["udd-officer"], people["udd-head"], asked_on)

    on_time = services.register_data_request(
        councillor=councillors["王志明"],
        subject="近三年社會住宅興建戶數",
        text="請提供近三年各行政區社會住宅興建戶數。",
        urgency=Urgency.NORMAL,
        received_on=start,
        by=desk,
    )
    (part,) = case_services.route_case(
        on_time.case, registry.agency_by_name("都發局"), by=desk, on=start
    )
    _reply(part, "檢送統計資料如說明。", people["udd-officer"], people["udd-supervisor"], start)
    urgent = services.register_data_request(
        councillor=councillors["張淑芬"],
        subject="中山區違規停車舉發件數",
        text="請提供本年度中山區違規停車舉發件數。",
        urgency=Urgency.URGENT,
        received_on=today,
        by=desk,
    )
    case_services.route_case(urgent.case, registry.agency_by_name("警察局"), by=desk, on=today)

    graded = services.register_service_case(
        councillor=councillors["陳美玲"],
        subject="南港區巷道路燈不亮",
        text="選民反映巷道路燈多日未亮，請協處。",
        received_on=start,
        requester={"name": "周先生"},
        by=desk,
    )
    (part,) = case_services.route_case(
        graded.case, registry.agency_by_name("都發局"), by=desk, on=start
    )
    _reply(part, "已通知維護廠商修復。", people["udd-officer"], people["udd-supervisor"], start)
    services.grade_and_close(graded, Grade.A, by=desk)
    services.register_service_case(
        councillor=councillors["李建宏"],
        subject="萬華區人行道不平",
        text="選民反映人行道地磚不平，請協處。",
        received_on=today,
        by=desk,
    )
    IndicatorTarget.objects.get_or_create(
        indicator=selectors.SERVICE_GRADE_A_INDICATOR,
        year=roc.roc_year(today),
        defaults={"value": 98},
    )
    return f"質詢 {len(QUESTIONS)} 題、索資 2 筆、服務案件 2 件"


def _liaisons_and_engagements(people, councillors, start: dt.date, today: dt.date) -> str:
    """Two agencies' liaisons and a meeting one of them attended; a caucus visit and a
    mayor–councillor meeting."""
    desk = people["sec-council"]
    came = []
    for agency_name, name, account in LIAISONS:
        agency = registry.agency_by_name(agency_name)
        if selectors.liaison_history(agency).exists():
            continue  # appointed by hand since: theirs stands
        liaison = services.appoint_liaison(
            agency,
            name=name,
            title="府會聯絡人",
            phone="02-2720-8889",
            start_on=Term.objects.get(number=TERM).start_on,
            person=people.get(account),
            by=desk,
        )
        if account:
            came.append(liaison.pk)
    meeting = services.create_liaison_meeting(
        LiaisonMeetingKind.MEETING,
        LIAISON_MEETING_TITLE,
        _day(start, 5, today),
        "市政大樓北區1樓",
        by=desk,
    )
    services.record_attendance(meeting, came, by=desk)
    services.log_engagement(
        EngagementKind.CAUCUS_VISIT,
        _day(start, 2, today),
        "社會住宅興建計畫說明",
        caucus="甲黨團",
        officials="市長、都發局局長",
        by=desk,
    )
    services.log_engagement(
        EngagementKind.MAYOR_MEETING,
        _day(start, 8, today),
        "北投士林交通改善",
        councillors=[councillors["林國華"]],
        officials="市長、交通局局長",
        by=desk,
    )
    return "府會聯絡人座談會 1 場、市長赴黨團溝通及議員座談各 1 場"
