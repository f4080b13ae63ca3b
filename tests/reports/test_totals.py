"""Every figure and its table come from the same count: a section's sentence states the total
its table sums to (or says what the table leaves out), and a period without records says
「本期無資料」 instead of sentences about zeros."""

import datetime as dt
import re

import pytest

from secretariat.cases import services as case_services
from secretariat.core.roc import Period, parse_count, parse_period
from secretariat.council import services as council_services
from secretariat.council.models import EngagementKind, EventKind, Grade, LiaisonMeetingKind
from secretariat.petitions import services as petition_services
from secretariat.reports import registry
from secretariat.reports.render import NO_DATA, to_html, to_json
from secretariat.reports.selectors import build_report

pytestmark = pytest.mark.django_db

H1 = parse_period("114H1")
DAY = dt.date(2025, 4, 14)


def section(report, key):
    return next(s for c in report.chapters for s in c.sections if s.key == key)


def counts_in(sentence: str) -> list[int]:
    """The report-style numbers of a sentence (「978件」, 「4萬6,011件」)."""
    return [parse_count(n) for n in re.findall(r"[0-9][0-9萬億,]*(?=[件題筆場])", sentence)]


def table_sum(table, column: str) -> int:
    return sum(row[column] for row in table.rows)


@pytest.fixture
def seeded(staff, councillors, council_session, agency):
    desk = staff["desk"]
    clerk_petitions = []
    for lead in ("都發局", "都發局", "警察局"):
        receipt = petition_services.submit_petition(
            channel="letter", subject="陳情", body="請處理。", received_on=DAY, by=staff["clerk"]
        )
        case_services.route_case(receipt.petition.case, agency(lead), by=staff["clerk"], on=DAY)
        clerk_petitions.append(receipt)
    filed = petition_services.submit_petition(
        channel="letter", subject="重複", body="同前案。", received_on=DAY, by=staff["clerk"]
    )
    case_services.file_case(filed.petition.case, "重複陳情", by=staff["clerk"])
    petition_services.submit_petition(
        channel="letter", subject="待分辦", body="請處理。", received_on=DAY, by=staff["clerk"]
    )
    event = council_services.create_event(
        session=council_session,
        kind=EventKind.GENERAL,
        title="市政總質詢",
        start_on=DAY,
        end_on=dt.date(2025, 4, 24),
        sittings=9,
        by=desk,
    )
    for _ in range(3):
        question = council_services.record_question(
            event=event,
            councillors=[councillors["林議員"]],
            asked_on=DAY,
            subject="社宅",
            text="請說明。",
            by=desk,
        )
        case_services.route_case(question.case, agency("都發局"), by=desk, on=DAY)
    for grade in (Grade.A, Grade.A, Grade.B):
        service = council_services.register_service_case(
            councillor=councillors["陳議員"],
            subject="路燈",
            text="請協處。",
            received_on=DAY,
            by=desk,
        )
        (part,) = case_services.route_case(service.case, agency("都發局"), by=desk, on=DAY)
        case_services.draft_reply(part, "已修復。", by=staff["udd"])
        case_services.approve_reply(part, by=staff["udd_boss"])
        council_services.grade_and_close(service, grade, by=desk)
    council_services.log_engagement(
        EngagementKind.CAUCUS_VISIT, DAY, "預算溝通", caucus="甲黨團", by=desk
    )
    return build_report(H1)


def test_petitions_sentence_is_the_table_and_what_it_leaves_out(seeded):
    data = section(seeded, "petitions.by_agency")
    (table,) = data.tables
    assert table_sum(table, "count") == 3
    assert data.paragraphs == (
        "114年上半年受理案件計5件，其中分辦3件，詳如下表；另存查1件、尚未分辦1件。",
    )
    received, routed, filed, pending = counts_in(data.paragraphs[0])
    assert routed == table_sum(table, "count") and received == routed + filed + pending


def test_council_questions_sentence_is_the_table_total(seeded):
    data = section(seeded, "council.questions")
    (table,) = data.tables
    (total,) = counts_in(data.paragraphs[0])
    assert total == table_sum(table, "questions") == table.total["questions"] == 3


def test_service_grades_total_is_the_table_sum(seeded):
    # Service cases count in the half-year they were closed: today's.
    today = dt.date.today()
    now = Period.half(today.year - 1911, 1 if today.month <= 6 else 2)
    data = section(build_report(now), "council.service_grades")
    (table,) = data.tables
    closed = next(f.value for f in data.figures if f.key == "closed")
    assert closed == table_sum(table, "count") == table.total["count"] == 3


def test_a_section_without_records_says_no_data(seeded):
    for key in ("council.data_requests", "council.liaison_meetings"):
        assert not section(seeded, key).has_records
    assert section(seeded, "council.caucus_visits").has_records


def test_an_empty_period_has_no_data_in_every_section_and_no_sentence_of_zeros(registry):
    report = build_report(parse_period("113H1"))
    keys = [s.key for c in report.chapters for s in c.sections]
    assert set(keys) == set(registry_sections())
    assert all(not s.has_records for c in report.chapters for s in c.sections)
    html = to_html(report)
    assert html.count(NO_DATA) >= len(keys) and "共0" not in html and "計0" not in html
    data = to_json(report)
    assert all(not s["has_records"] for c in data["chapters"] for s in c["sections"])


def registry_sections():
    return registry.SECTIONS.keys()


def test_liaison_meetings_count_is_their_rows(staff, councillors, council_session):
    from secretariat.council.models import Liaison

    Liaison.objects.create(
        agency=staff["udd"].agency, name="蔡府會", phone="1", start_on=dt.date(2025, 1, 1)
    )
    council_services.create_liaison_meeting(
        LiaisonMeetingKind.MEETING, "座談會", DAY, by=staff["desk"]
    )
    data = section(build_report(H1), "council.liaison_meetings")
    (table,) = data.tables
    meetings = next(f.value for f in data.figures if f.key == "meetings")
    assert data.has_records and meetings == len(table.rows) == 1
