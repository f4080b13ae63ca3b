"""Demo 府級會議 records in the current half-year, made through the services: the series with
their seats and rules, the half-year's meetings held so far (as an import would write them),
one meeting held last week with its agenda, sign-in sheet, minutes drafted from a transcript
by the assistance, reviewed, approved and published, and its directives routed (one
released by 研考會, one with a progress report); the next 市政會議 taking proposals; and the
year's paperless target. Idempotent: nothing is added once the demo series exist."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from secretariat.cases import services as case_services
from secretariat.cases.selectors import assignments_for
from secretariat.core import registry, roc, workdays
from secretariat.core import services as core_services
from secretariat.core.models import AgencyKind, IndicatorTarget, RoleCode, User
from secretariat.meetings import reports, services
from secretariat.meetings.models import ItemKind, Meeting, MeetingSeries, MeetingStatus

DEMO_PASSWORD = "taipei-demo-115"
# (username, name, agency, job title, roles): the accounts the meetings' roles need.
PEOPLE = [
    ("mayor-office", "孫主任", "市長室", "市長室主任", [RoleCode.SUPERVISOR]),
    ("rdec-officer", "錢研考", "研考會", "研考人員", [RoleCode.RDEC_OFFICER]),
    ("udd-cs", "馮主秘", "都發局", "主任秘書", [RoleCode.SUPERVISOR]),
    ("police-head", "褚局長", "警察局", "局長", [RoleCode.HEAD]),
    ("mayor", "蔣市長", "市長室", "市長", [RoleCode.HEAD]),
]
CITY_COUNCIL_REPORT = (
    "由市長親自主持，針對本府重大政策或議題、市政執行與改善、輿情反映與精進等，"
    "進行跨機關橫向聯繫與溝通，對齊本府政策目標與各機關施政重點"
)
CHIEF_SECRETARIES_REPORT = (
    "由秘書長主持，邀集各一級機關主任秘書與會，就共同性事項及需跨機關橫向聯繫事務進行討論與協調"
)
RULES = """第一條　臺北市政府（以下簡稱本府）為使市政會議（以下簡稱本會議）議事順利進行，特訂定本規則。
第二條　本會議每週召開一次，由市長擔任主席；市長因故不能出席時，由副市長代理之。
第三條　本會議出席人員為副市長、秘書長、副秘書長、各一級機關首長；首長因故不能出席時，得指派副首長代理出席。
第四條　各機關提案應於開會前三個工作日下午五時前，將提案及附件送秘書處彙整。
第五條　本會議之議程依序為報告案、討論案、專題演講及臨時動議。
第六條　本會議之決議及主席裁示事項，由主辦機關依限辦理，並由研考會列管追蹤。"""
TRANSCRIPT = """[09:00:05] 主席：各位同仁早安，會議開始，進行第一案，請都發局報告。
[09:01:10] 都發局周局長：社會住宅興建進度，北投區兩處基地已完成發包，預計明年第二季動工。
[09:03:40] 都發局周局長：另外，公共住宅的租金補貼申請人數較去年增加百分之十五，審查作業已加派人力。
[09:06:00] 警察局褚局長：基地周邊施工期間的交通維持，警察局會配合協助疏導。
[09:07:30] 主席：好，請都發局於一個月內提出北投基地施工期間的交通維持計畫，並會同警察局辦理。
[09:08:10] 主席：接下來第二案，請警察局報告。
[09:08:40] 警察局褚局長：夜市周邊違規停車，上半年取締件數增加兩成，民眾陳情已明顯減少。
[09:11:00] 交通局代表：交通局會同步檢討夜市周邊停車格位與公共運輸接駁。
[09:12:30] 主席：洽悉。請交通局儘速研議夜市周邊的接駁方案，下次會議提報。"""


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
    for username in ("sec-council", "udd-head", "udd-officer", "police-officer", "sec-admin"):
        found[username] = User.objects.get(username=username)
    return found


def _series(staff: User) -> tuple[MeetingSeries, MeetingSeries]:
    agency = registry.agency_by_name
    council = services.create_series(
        code="city-council",
        name="市政會議",
        chair_title="市長",
        chair_agency=agency("市長室"),
        default_place="市政大樓11樓市政會議室",
        is_open=True,
        report_text=CITY_COUNCIL_REPORT,
        sort_order=1,
        by=staff,
    )
    services.add_seat(council, label="市長", agency=agency("市長室"), job_title="市長", by=staff)
    services.add_seat(
        council,
        label="各一級機關首長",
        agency_kind=AgencyKind.FIRST_LEVEL,
        role=RoleCode.HEAD,
        by=staff,
    )
    services.add_seat(
        council,
        label="各委員會首長",
        agency_kind=AgencyKind.COMMITTEE,
        role=RoleCode.HEAD,
        by=staff,
    )
    chiefs = services.create_series(
        code="chief-secretaries",
        name="主秘會報",
        chair_title="秘書長",
        chair_agency=agency("秘書處"),
        default_place="市政大樓12樓劉銘傳廳",
        report_text=CHIEF_SECRETARIES_REPORT,
        submission_days=5,
        sort_order=2,
        by=staff,
    )
    services.add_seat(
        chiefs,
        label="各一級機關主任秘書",
        agency_kind=AgencyKind.FIRST_LEVEL,
        job_title="主任秘書",
        by=staff,
    )
    for code, name, chair, sort in (
        ("international", "國際事務委員會", "市長", 3),
        ("mainland", "大陸小組", "副市長", 4),
    ):
        series = services.create_series(
            code=code,
            name=name,
            chair_title=chair,
            chair_agency=agency("市長室"),
            default_place="市政大樓11樓市政會議室",
            sort_order=sort,
            by=staff,
        )
        services.add_seat(
            series, label="秘書長", agency=agency("秘書處"), role=RoleCode.HEAD, by=staff
        )
    return council, chiefs


def _tuesdays(start: dt.date, end: dt.date) -> list[dt.date]:
    day = start + dt.timedelta(days=(1 - start.weekday()) % 7)
    days = []
    while day <= end:
        if workdays.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=7)
    return days


def _history(council: MeetingSeries, chiefs: MeetingSeries, start: dt.date, last: dt.date) -> int:
    """The half-year's meetings before last week, as the old system's export is imported."""
    rows = []
    districts = ("北投區", "文山區", "南港區", "萬華區", "大同區", "信義區")
    months_seen: set[int] = set()
    for number, day in enumerate(_tuesdays(start, last), start=2300):
        first_of_month = day.month not in months_seen
        months_seen.add(day.month)
        district = districts[day.month % len(districts)] if first_of_month else ""
        title = f"第{number:,}次市政會議" + (f"（行動市政會議：{district}）" if district else "")
        rows.append(
            Meeting(
                series=council,
                number=number,
                title=title,
                held_on=day,
                place=f"{district}公所禮堂" if district else council.default_place,
                district=district,
                status=MeetingStatus.HELD,
                imported=True,
                report_items=3,
                discussion_items=1 if day.day % 2 else 0,
                lectures=1 if first_of_month else 0,
                motions=0,
            )
        )
    for month in sorted(months_seen):
        day = next(d for d in _tuesdays(start, last) if d.month == month)
        day += dt.timedelta(days=2)
        if day <= last and workdays.is_working_day(day):
            rows.append(
                Meeting(
                    series=chiefs,
                    title=f"{roc.format_date(day)}主秘會報",
                    held_on=day,
                    place=chiefs.default_place,
                    status=MeetingStatus.HELD,
                    imported=True,
                    report_items=4,
                    discussion_items=1,
                )
            )
    services.import_meetings(rows)
    return len(rows)


def _held_last_week(council: MeetingSeries, people: dict[str, User], day: dt.date) -> Meeting:
    """A 市政會議 recorded after it was held: agenda, sign-in sheet, minutes through
    publication, directives routed."""
    staff = people["sec-council"]
    agency = registry.agency_by_name
    meeting = services.schedule_meeting(council, held_on=day, number=2400, by=staff)
    services.propose_item(
        meeting,
        kind=ItemKind.REPORT,
        title="社會住宅興建進度報告",
        summary="北投區兩處社會住宅基地發包及動工時程。",
        agency=agency("都發局"),
        speaker="周局長",
        by=staff,
    )
    services.propose_item(
        meeting,
        kind=ItemKind.REPORT,
        title="夜市周邊違規停車取締成效",
        summary="上半年取締件數與陳情案件變化。",
        agency=agency("警察局"),
        speaker="褚局長",
        by=staff,
    )
    services.approve_agenda(meeting, by=staff)
    minutes = services.close_meeting(meeting, by=staff)
    services.record_attendance(
        meeting, kind="present", member=people["udd-head"], name="", by=staff
    )
    services.record_attendance(
        meeting, kind="present", member=people["police-head"], name="", by=staff
    )
    services.draft_from_transcript(minutes, TRANSCRIPT, name="第2400次市政會議逐字稿.txt", by=staff)
    services.send_for_review(minutes, by=staff)
    for entry in minutes.entries.select_related("item__agency"):
        reviewer = people["udd-officer"] if entry.item.agency.short_name == "都發局" else None
        if reviewer is None:
            reviewer = people["police-officer"]
        services.review_entry(entry, confirmed=True, by=reviewer)
    services.submit_minutes(minutes, by=staff)
    services.approve_minutes(minutes, by=people["mayor-office"])
    services.publish_minutes(minutes, by=staff)
    first, second = list(minutes.entries.select_related("item").order_by("item__order"))
    housing = services.issue_directive(
        first,
        text="請都發局於一個月內提出北投基地施工期間的交通維持計畫，並會同警察局辦理。",
        lead=agency("都發局"),
        co_agencies=[agency("警察局")],
        on=day,
        by=staff,
    )
    services.issue_directive(
        second,
        text="請交通局儘速研議夜市周邊的接駁方案，下次會議提報。",
        lead=agency("交通局"),
        on=day,
        by=staff,
    )
    parts = {p.agency.short_name: p for p in assignments_for(staff, housing)}
    case_services.report_progress(
        parts["警察局"],
        "已於施工路段規劃替代道路並派員疏導，建議解除列管。",
        by=people["police-officer"],
        asks_release=True,
    )
    case_services.release_part(
        parts["警察局"], "交通疏導已完成規劃並執行。", by=people["rdec-officer"]
    )
    return meeting


@transaction.atomic
def load_demo() -> str:
    if MeetingSeries.objects.filter(code="city-council").exists():
        return "已存在，未變更"
    people = _people()
    staff = people["sec-council"]
    today = timezone.localdate()
    half = roc.Period.half(roc.roc_year(today), 1 if today.month <= 6 else 2)
    council, chiefs = _series(staff)
    services.revise_rules(
        council,
        title="臺北市政府市政會議議事規則",
        text=RULES,
        issued_on=min(half.start + dt.timedelta(days=56), today),
        note="修正出席人員代理及提案期限規定。",
        by=staff,
    )
    # Last week's Tuesday — but within the current half-year whatever the day, so the work
    # report shows the demo there (in its first days: the half's first working day, or today).
    last_week = max(today - dt.timedelta(days=7 + (today.weekday() - 1) % 7), half.start)
    if not workdays.is_working_day(last_week):
        last_week = min(workdays.next_working_day(last_week), today)
    history = _history(council, chiefs, half.start, last_week - dt.timedelta(days=1))
    _held_last_week(council, people, last_week)
    upcoming = today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)
    while not workdays.is_working_day(upcoming):
        upcoming += dt.timedelta(days=7)
    next_meeting = services.schedule_meeting(council, held_on=upcoming, number=2401, by=staff)
    services.propose_item(
        next_meeting,
        kind=ItemKind.LECTURE,
        title="生成式AI與城市治理",
        agency=registry.agency_by_name("秘書處"),
        speaker="王教授（臺灣大學）",
        by=staff,
    )
    IndicatorTarget.objects.get_or_create(
        indicator=reports.PAPERLESS_RATE, year=roc.roc_year(today), defaults={"value": 90}
    )
    return f"會議系列4個、會議{history + 2}場（含受理提案中的{next_meeting.title}）、裁示事項2項"
