"""The meetings the tests work with: 市政會議 (members by office: the mayor, every first-level
agency's head; approved by 市長室; open to the public) and 主秘會報 (every first-level
agency's 主任秘書), the Secretariat's meeting staff, agencies' proposers, 研考會's officer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from secretariat.core import workdays
from secretariat.core.models import AgencyKind, RoleCode
from secretariat.meetings import services

PDF = b"%PDF-1.7\n" + b"0" * 64


def pdf(name: str = "簡報.pdf", size: int = 0) -> SimpleUploadedFile:
    content = PDF + b"0" * max(0, size - len(PDF))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def next_working_day(after: dt.date, days: int = 1) -> dt.date:
    return workdays.add_working_days(after, days)


@pytest.fixture
def people(make_person):
    return {
        "staff": make_person(
            "sec-council", "秘書處", RoleCode.COUNCIL_LIAISON, display_name="趙議事"
        ),
        "mayor": make_person(
            "mayor", "市長室", RoleCode.HEAD, display_name="蔣市長", job_title="市長"
        ),
        "mayor_office": make_person(
            "mayor-office", "市長室", RoleCode.SUPERVISOR, display_name="孫主任", job_title="主任"
        ),
        "udd_head": make_person(
            "udd-head",
            "都發局",
            RoleCode.HEAD,
            display_name="周局長",
            job_title="局長",
            email="udd-head@example.test",
        ),
        "udd_officer": make_person(
            "udd-officer", "都發局", RoleCode.CASE_OFFICER, display_name="黃承辦"
        ),
        "udd_deputy": make_person(
            "udd-deputy", "都發局", RoleCode.SUPERVISOR, display_name="吳副局長", job_title="副局長"
        ),
        "udd_rdec": make_person("udd-rdec", "都發局", RoleCode.RDEC_OFFICER, display_name="鄭研考"),
        "police_head": make_person(
            "police-head",
            "警察局",
            RoleCode.HEAD,
            display_name="褚局長",
            job_title="局長",
            email="police-head@example.test",
        ),
        "police_officer": make_person(
            "police-officer", "警察局", RoleCode.CASE_OFFICER, display_name="許承辦"
        ),
        "rdec": make_person("rdec-officer", "研考會", RoleCode.RDEC_OFFICER, display_name="錢研考"),
        "dot_officer": make_person(
            "dot-officer", "交通局", RoleCode.CASE_OFFICER, display_name="交承辦"
        ),
    }


@pytest.fixture
def council(people, agency):
    staff = people["staff"]
    series = services.create_series(
        code="city-council",
        name="市政會議",
        chair_title="市長",
        chair_agency=agency("市長室"),
        default_place="市政大樓11樓市政會議室",
        is_open=True,
        report_text="由市長親自主持，針對本府重大政策或議題進行跨機關橫向聯繫與溝通",
        sort_order=1,
        by=staff,
    )
    services.add_seat(series, label="市長", agency=agency("市長室"), job_title="市長", by=staff)
    services.add_seat(
        series,
        label="各一級機關首長",
        agency_kind=AgencyKind.FIRST_LEVEL,
        role=RoleCode.HEAD,
        by=staff,
    )
    return series


@pytest.fixture
def chiefs(people, agency):
    series = services.create_series(
        code="chief-secretaries",
        name="主秘會報",
        chair_title="秘書長",
        chair_agency=agency("秘書處"),
        sort_order=2,
        by=people["staff"],
    )
    services.add_seat(
        series,
        label="各一級機關主任秘書",
        agency_kind=AgencyKind.FIRST_LEVEL,
        job_title="主任秘書",
        by=people["staff"],
    )
    return series


@pytest.fixture
def planning(council, people):
    """A 市政會議 a week or so ahead, taking proposals."""
    day = next_working_day(timezone.localdate(), 6)
    return services.schedule_meeting(council, held_on=day, number=2401, by=people["staff"])


@pytest.fixture
def today_meeting(council, people, agency):
    """Today's 市政會議 with two items (都發局, 警察局), agenda approved and notice sent."""
    staff = people["staff"]
    meeting = services.schedule_meeting(
        council, held_on=timezone.localdate(), number=2400, by=staff
    )
    services.propose_item(
        meeting,
        kind="report",
        title="社會住宅興建進度報告",
        summary="北投區兩處社會住宅基地發包及動工時程。",
        agency=agency("都發局"),
        speaker="周局長",
        by=staff,
    )
    services.propose_item(
        meeting,
        kind="report",
        title="夜市周邊違規停車取締成效",
        summary="上半年取締件數與陳情案件變化。",
        agency=agency("警察局"),
        speaker="褚局長",
        by=staff,
    )
    services.approve_agenda(meeting, by=staff)
    services.send_notice(meeting, by=staff)
    meeting.refresh_from_db()
    return meeting
