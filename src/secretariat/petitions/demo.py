"""Demo petitions in every state, created through the services. Idempotent: a petition whose
subject already exists is skipped. Every demo petition's password is DEMO_PASSWORD so the
public status page can be tried."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from secretariat.cases import services as case_services
from secretariat.cases.selectors import Channel
from secretariat.core import registry
from secretariat.core.models import RoleCode, User
from secretariat.core.roc import Period
from secretariat.petitions import selectors, services

DEMO_PASSWORD = "ABCD2345"
# Who routes, drafts and approves in the demo: accounts of `secretariat demo` (core DEMO_PEOPLE).
PEOPLE = {
    ("秘書處", RoleCode.REGISTRY_CLERK): "sec-clerk",
    ("都發局", RoleCode.CASE_OFFICER): "udd-officer",
    ("都發局", RoleCode.SUPERVISOR): "udd-supervisor",
    ("警察局", RoleCode.CASE_OFFICER): "police-officer",
    ("警察局", RoleCode.SUPERVISOR): "police-supervisor",
}


@dataclass(frozen=True)
class Sample:
    subject: str
    body: str
    category: str
    channel: str
    days_ago: int
    name: str
    lead: str = ""
    co: tuple[str, ...] = ()
    replied_by: tuple[str, ...] = ()  # agencies whose reply is approved
    close: bool = False
    survey: int | None = None
    filed_reason: str = ""
    address_string: str = ""
    publish: bool = False  # 公開同意: the subject and the place in the Open311 feed


SAMPLES = [
    Sample(
        "松仁路人行道地磚破損",
        "信義區松仁路100號前人行道地磚破損翹起，長者行走容易絆倒，請儘速修復。",
        "roads",
        Channel.WEB,
        1,
        "林美華",
        address_string="臺北市信義區松仁路100號",
        publish=True,
    ),
    Sample(
        "垃圾車收運時間調整建議",
        "建議延後本里垃圾車晚間收運時間至晚上9點，方便上班族倒垃圾。",
        "environment",
        Channel.LETTER,
        2,
        "張志明",
    ),
    Sample(
        "社會住宅申請資格詢問",
        "請問單親家庭申請社會住宅是否有加分，以及下一期招租的時間。",
        "urban-development",
        Channel.WEB,
        3,
        "王淑芬",
        lead="都發局",
    ),
    Sample(
        "夜間改裝車噪音擾鄰",
        "每晚11點後常有改裝車在基隆路一段高速行駛，噪音嚴重影響睡眠，請加強取締。",
        "public-safety",
        Channel.OPEN311,
        4,
        "陳建宏",
        lead="警察局",
        address_string="臺北市基隆路一段",
    ),
    Sample(
        "頂樓違章加蓋檢舉",
        "隔壁公寓頂樓近期施工加蓋鐵皮屋，疑似違章建築，並有堆放雜物影響逃生。",
        "urban-development",
        Channel.COUNTER,
        6,
        "李國華",
        lead="都發局",
        co=("警察局",),
        replied_by=("都發局",),
    ),
    Sample(
        "公寓大廈管理委員會爭議",
        "本社區管委會未依規約召開區分所有權人會議，請市府協助說明相關規定。",
        "urban-development",
        Channel.EMAIL,
        8,
        "吳雅婷",
        lead="都發局",
        replied_by=("都發局",),
    ),
    Sample(
        "巷口違規停車影響通行",
        "大安區和平東路二段巷口長期有車輛違規停放，消防車與救護車難以進出。",
        "public-safety",
        Channel.WEB,
        10,
        "黃俊傑",
        lead="警察局",
        replied_by=("警察局",),
        close=True,
        address_string="臺北市大安區和平東路二段",
        publish=True,
    ),
    Sample(
        "老舊公寓增設電梯補助",
        "想了解老舊公寓增設電梯的補助條件與申請流程，本棟住戶多為長者。",
        "urban-development",
        Channel.LETTER,
        12,
        "劉麗玲",
        lead="都發局",
        replied_by=("都發局",),
        close=True,
        survey=5,
    ),
    Sample(
        "建議增設公車候車亭",
        "忠孝東路五段公車站牌無遮雨設施，雨天候車不便，建議增設候車亭。",
        "transport",
        Channel.WEB,
        5,
        "蔡宗翰",
        lead="交通局",
    ),
    Sample(
        "公園遊具損壞（重複陳情）",
        "本人上週已陳情公園遊具損壞一事，再次來信催促。",
        "roads",
        Channel.EMAIL,
        7,
        "楊志偉",
        filed_reason="與前案重複，併前案辦理。",
    ),
]


def _people() -> dict[tuple[str, str], User]:
    found = {key: User.objects.filter(username=name).first() for key, name in PEOPLE.items()}
    missing = [PEOPLE[key] for key, person in found.items() if person is None]
    if missing:
        raise RuntimeError(f"示範陳情需要先建立示範帳號：{'、'.join(missing)}")
    return found


def _reply_text(agency: str, sample: Sample) -> str:
    return f"有關您陳情「{sample.subject}」一案，本局已派員查處並依規定辦理，後續如有問題請洽本局承辦人。（{agency}）"


def _create(sample: Sample, people: dict, today: dt.date):
    # Within the current half-year, whatever the day: the work report shows the demo there.
    earliest = Period.half_containing(today).start
    received_on = max(today - dt.timedelta(days=sample.days_ago), earliest)
    router = people["秘書處", RoleCode.REGISTRY_CLERK]
    receipt = services.submit_petition(
        channel=sample.channel,
        subject=sample.subject,
        body=sample.body,
        category=sample.category,
        requester={"name": sample.name},
        consent=True,
        received_on=received_on,
        address_string=sample.address_string,
        publish=sample.publish,
        by=router,
        password=DEMO_PASSWORD,
    )
    case = receipt.petition.case
    if sample.filed_reason:
        return case_services.file_case(case, sample.filed_reason, by=router)
    if not sample.lead:
        return case
    lead = registry.agency_by_name(sample.lead)
    co = [registry.agency_by_name(name) for name in sample.co]
    assignments = case_services.route_case(case, lead, co, by=router, on=received_on)
    for assignment in assignments:
        agency = assignment.agency.short_name
        if agency not in sample.replied_by:
            continue
        case_services.draft_reply(
            assignment, _reply_text(agency, sample), by=people[agency, RoleCode.CASE_OFFICER]
        )
        case_services.approve_reply(assignment, by=people[agency, RoleCode.SUPERVISOR])
    if sample.close:
        case_services.close_case(case, by=router)
    if sample.survey:
        services.submit_survey(receipt.petition, sample.survey, "承辦人說明清楚，謝謝。")
    return case


def load_demo() -> str:
    """Create the demo petitions that do not exist yet; says how many were added."""
    people = _people()
    today = timezone.localdate()
    existing = set(selectors.petitions().values_list("case__subject", flat=True))
    created = []
    for sample in SAMPLES:
        if sample.subject in existing:
            continue
        with transaction.atomic():
            created.append(_create(sample, people, today))
    return f"新增 {len(created)} 件"
