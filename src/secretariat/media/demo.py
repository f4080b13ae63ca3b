"""Demo records of 媒體聯繫 in the current half-year, created through the services and the
importers: the press officers of 秘書處, 都發局 and 警察局 and an approved journalist (and one
waiting), the agencies' press contacts, the half-year's published releases, press events and
social posts (imported as history), releases waiting for approval, opinion items in every
state, and the on-time target. Idempotent: nothing is added once the demo journalist exists."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.db import transaction
from django.utils import timezone

from secretariat.cases import services as case_services
from secretariat.core import importing, registry, roc
from secretariat.core import services as core_services
from secretariat.core.models import IndicatorTarget, RoleCode, Unit, User
from secretariat.media import reports, selectors, services
from secretariat.media.models import ContactRole, Importance, Journalist, Tone

PASSWORD = "taipei-demo-115"
# (username, name, agency, unit, title, roles)
PEOPLE = [
    ("udd-press", "林新聞", "都發局", "秘書室", "新聞聯絡人", [RoleCode.PRESS_LIAISON]),
    ("police-press", "王發言", "警察局", "公共關係室", "新聞聯絡人", [RoleCode.PRESS_LIAISON]),
]
JOURNALIST = ("reporter", "陳記者", "臺北日報（示範）", "市政記者", "02-2345-0001")
PENDING_JOURNALIST = ("reporter2", "吳記者", "北市電視（示範）", "文字記者", "02-2345-0002")
# (agency, role, name, title, office phone, mobile, e-mail, LINE, topics)
CONTACTS = [
    (
        "秘書處",
        ContactRole.SPOKESPERSON,
        "張發言",
        "發言人",
        "02-2720-8889#1000",
        "0912-000-101",
        "spokesperson@gov.taipei.example",
        "taipei-spokes",
        "市政綜合、市長行程",
    ),
    (
        "秘書處",
        ContactRole.CONTACT,
        "張新聞",
        "媒體事務組組長",
        "02-2720-8889#1001",
        "0912-000-102",
        "press@gov.taipei.example",
        "",
        "新聞稿、記者會",
    ),
    (
        "都發局",
        ContactRole.SPOKESPERSON,
        "周首長",
        "局長",
        "02-2720-8889#2000",
        "0912-000-201",
        "udd@gov.taipei.example",
        "",
        "都市計畫、社會住宅",
    ),
    (
        "都發局",
        ContactRole.CONTACT,
        "林新聞",
        "新聞聯絡人",
        "02-2720-8889#2001",
        "0912-000-202",
        "udd-press@gov.taipei.example",
        "udd-press",
        "社會住宅、都市更新、老屋電梯",
    ),
    (
        "警察局",
        ContactRole.CONTACT,
        "王發言",
        "公共關係室主任",
        "02-2331-3561",
        "0912-000-301",
        "police-press@gov.taipei.example",
        "",
        "治安、交通違規、拖吊",
    ),
    (
        "交通局",
        ContactRole.CONTACT,
        "黃交通",
        "新聞聯絡人",
        "02-2725-6888",
        "0912-000-401",
        "dot-press@gov.taipei.example",
        "",
        "公車、捷運、停車、自行車",
    ),
]
RELEASE_TOPICS = [
    ("秘書處", "市長出席跨年活動記者會，邀市民共迎新年"),
    ("秘書處", "市府與姊妹市簽署城市合作備忘錄"),
    ("都發局", "北投社會住宅動工，預計兩年完工"),
    ("都發局", "老舊公寓增設電梯補助申請放寬"),
    ("警察局", "年終加強取締酒駕，守護用路安全"),
    ("交通局", "公車轉乘優惠延長至年底"),
    ("衛生局", "流感疫苗開打，長者可至各區健康服務中心接種"),
]
CONFERENCES = [("北投社會住宅動工說明", "市長"), ("年終治安交通安全維護", "副市長")]
OPINION_HISTORY = [
    # (title, outlet, importance, tone, lead agency, days to reply: 0 same day, 1 next day)
    ("社宅租金過高引議", "臺北日報（示範）", "重要", "負面", "都發局", 0),
    ("夜市周邊違停嚴重", "北市電視（示範）", "一般", "負面", "警察局", 0),
    ("公車轉乘優惠獲好評", "網路論壇（示範）", "一般", "正面", "交通局", 1),
    ("老屋電梯補助審查冗長", "臺北日報（示範）", "一般", "負面", "都發局", 2),
]


def _people() -> dict[str, User]:
    made = {}
    for username, name, agency_name, unit_name, title, roles in PEOPLE:
        person = User.objects.filter(username=username).first()
        if person is None:
            agency = registry.agency_by_name(agency_name)
            unit, _ = Unit.objects.get_or_create(agency=agency, name=unit_name)
            person = core_services.create_person(
                by=None,
                username=username,
                password=PASSWORD,
                agency=agency,
                unit=unit,
                display_name=name,
                email=f"{username}@gov.taipei.example",
                job_title=title,
                roles=roles,
            )
        made[username] = person
    for username in ("sec-press", "udd-officer", "udd-supervisor", "police-officer"):
        person = User.objects.filter(username=username).first()
        if person is None:
            raise RuntimeError(f"示範媒體資料需要先建立示範帳號：{username}")
        made[username] = person
    return made


def _journalists(press: User) -> None:
    for (username, name, outlet, title, phone), approve in (
        (JOURNALIST, True),
        (PENDING_JOURNALIST, False),
    ):
        journalist = services.register_journalist(
            username=username,
            password=PASSWORD,
            name=name,
            outlet=outlet,
            job_title=title,
            phone=phone,
            email=f"{username}@news.example",
            beat="市政",
        )
        if approve:
            journalist = services.decide_journalist(journalist, approve=True, by=press)
            # The approved journalist has looked up the directory once (the report counts it).
            found = selectors.contact_lookup("交通")
            services.record_lookup(
                journalist.user, query="交通", agency=None, contacts=found, how="頁面"
            )


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _import(type_code: str, data: bytes) -> int:
    outcome = importing.run_import(type_code, data)
    if not outcome.ok:
        raise RuntimeError("；".join(str(problem) for problem in outcome.problems))
    return outcome.created


def _half_year_start(today: dt.date) -> dt.date:
    return today.replace(month=1 if today.month <= 6 else 7, day=1)


def _days(start: dt.date, end: dt.date, count: int) -> list[dt.date]:
    span = max((end - start).days, 1)
    return [start + dt.timedelta(days=span * i // count) for i in range(count)]


def _once(rows: list[list[str]]) -> list[list[str]]:
    """Each row once: in a half-year's first days the spread days fall on the same day, and
    the importer refuses a second row of the same release or post."""
    return [list(row) for row in dict.fromkeys(tuple(row) for row in rows)]


def _history(today: dt.date) -> int:
    """The half-year so far, up to yesterday: releases, events, posts, answered items."""
    start, end = _half_year_start(today), today - dt.timedelta(days=1)
    if end < start:
        return 0
    releases = [
        [roc.format_date(day, "slash"), "10:00", agency, f"{title}（示範）", f"{title}。", "否"]
        for i, day in enumerate(_days(start, end, 28))
        for agency, title in [RELEASE_TOPICS[i % len(RELEASE_TOPICS)]]
    ]
    created = _import(
        "press-releases",
        _csv(["發布日期", "發布時間", "發布機關", "標題", "內容", "以市長名義"], _once(releases)),
    )
    events = [
        ["府級記者會", roc.format_date(day, "slash"), topic, host, "", "", "市政大樓"]
        for day, (topic, host) in zip(_days(start, end, 2), CONFERENCES, strict=True)
    ]
    events.append(
        [
            "媒體專訪市長",
            roc.format_date(end, "slash"),
            "市政願景專訪",
            "",
            "臺北日報（示範）",
            "陳記者",
            "",
        ]
    )
    created += _import(
        "press-events", _csv(["類別", "日期", "主題", "主持人", "媒體", "記者", "地點"], events)
    )
    posts = [
        [platform, roc.format_date(day, "slash"), kind, f"市長{kind}貼文（示範）", ""]
        for i, day in enumerate(_days(start, end, 15))
        for platform, kind in [
            (("Facebook", "Instagram", "YouTube")[i % 3], ("影音", "圖文")[i % 2])
        ]
    ]
    created += _import(
        "social-posts", _csv(["平台", "發布日期", "類型", "標題", "連結"], _once(posts))
    )
    items = []
    for i, (day, (title, outlet, importance, tone, lead, late)) in enumerate(
        zip(_days(start, end, len(OPINION_HISTORY)), OPINION_HISTORY, strict=True)
    ):
        replied = min(day + dt.timedelta(days=late), end)
        items.append(
            [
                f"輿{roc.roc_year(day):03d}{900001 + i:06d}",
                roc.format_date(day, "slash"),
                title,
                f"{title}（示範摘要）。",
                outlet,
                importance,
                tone,
                lead,
                roc.format_date(replied, "slash"),
                roc.format_date(replied, "slash"),
            ]
        )
    created += _import(
        "opinion-items",
        _csv(
            [
                "案號",
                "收件日期",
                "主旨",
                "內容",
                "媒體來源",
                "重要性",
                "傾向",
                "主辦機關",
                "主辦回應日期",
                "結案日期",
            ],
            items,
        ),
    )
    return created


def _live(people: dict[str, User], today: dt.date) -> None:
    """Today's work: releases waiting for approval, opinion items in every state."""
    press, udd_press = people["sec-press"], people["udd-press"]
    udd = registry.agency_by_name("都發局")
    draft = services.draft_release(
        agency=udd,
        title="社會住宅第二期招租說明（示範）",
        body="都發局今日公布社會住宅第二期招租資訊，申請期間自下週一起。",
        contact_name="林新聞",
        contact_phone="02-2720-8889#2001",
        by=people["udd-officer"],
    )
    services.submit_release(draft, by=people["udd-officer"])
    mayors = services.draft_release(
        agency=udd,
        title="市長視察社會住宅工地（示範）",
        body="市長今日視察北投社會住宅工地，關心工程進度與工安。",
        in_mayors_name=True,
        by=people["udd-officer"],
    )
    services.submit_release(mayors, by=people["udd-officer"])
    services.approve_release(mayors, by=udd_press)
    published = services.draft_release(
        agency=registry.agency_by_name("秘書處"),
        title="市府年終記者會時間異動（示範）",
        body="市府年終記者會改於本週五上午10時舉行。",
        by=press,
    )
    services.submit_release(published, by=press)
    services.approve_release(published, by=press)
    services.correct_release(
        published,
        title="市府年終記者會時間異動（示範）",
        body="市府年終記者會改於本週五上午10時30分舉行。",
        note="更正記者會時間為上午10時30分。",
        by=press,
    )

    services.capture_item(
        title="市民反映垃圾車收運時間不固定（示範）",
        summary="網路論壇多則貼文反映收運時間變動。",
        outlet="網路論壇（示範）",
        tone=Tone.NEGATIVE,
        by=press,
    )
    routed = services.capture_item(
        title="社宅抽籤作業遭質疑不公開（示範）",
        summary="報導指稱社宅抽籤作業未公開直播。",
        outlet="臺北日報（示範）",
        link="https://news.example/demo/social-housing-lottery",
        tone=Tone.NEGATIVE,
        importance=Importance.IMPORTANT,
        by=press,
    )
    (part,) = case_services.route_case(routed.case, udd, by=press)
    case_services.draft_reply(
        part, "抽籤作業全程由律師見證並錄影，結果已公告於本局網站。", by=people["udd-officer"]
    )
    crisis = services.capture_item(
        title="捷運站周邊大規模停電（示範）",
        summary="多家媒體報導捷運站周邊停電，交通號誌失靈。",
        outlet="北市電視（示範）",
        tone=Tone.NEGATIVE,
        by=press,
    )
    case_services.route_case(
        crisis.case,
        registry.agency_by_name("交通局"),
        [registry.agency_by_name("警察局")],
        by=press,
    )
    services.escalate_item(crisis, by=press)


def _contacts(press: User) -> None:
    for agency_name, role, name, title, phone, mobile, email, line, topics in CONTACTS:
        services.add_contact(
            registry.agency_by_name(agency_name),
            role=role,
            name=name,
            job_title=title,
            office_phone=phone,
            mobile=mobile,
            email=email,
            line_id=line,
            topics=topics,
            by=press,
        )


@transaction.atomic
def load_demo() -> str:
    if Journalist.objects.filter(user__username=JOURNALIST[0]).exists():
        return "已存在"
    people = _people()
    today = timezone.localdate()
    _contacts(people["sec-press"])
    _journalists(people["sec-press"])
    created = _history(today)
    _live(people, today)
    IndicatorTarget.objects.get_or_create(
        indicator=reports.ON_TIME_INDICATOR, year=roc.roc_year(today), defaults={"value": 95}
    )
    return f"帳號 {len(PEOPLE)} 個、記者 2 位、通訊錄 {len(CONTACTS)} 位、歷史資料 {created} 筆"
