"""The report is built from records: each module's sections land in their chapters with
figures computed for the period, and indicators carry the year's target and 達成率."""

import datetime as dt
from decimal import Decimal

import pytest

from secretariat.cases import services as case_services
from secretariat.core import roc
from secretariat.core.models import IndicatorTarget
from secretariat.core.roc import parse_period
from secretariat.council import selectors as council_selectors
from secretariat.council import services as council_services
from secretariat.council.models import EventKind, Grade
from secretariat.petitions import services as petition_services
from secretariat.reports import registry as report_registry
from secretariat.reports.selectors import build_report
from secretariat.reports.structure import IndicatorResult

pytestmark = pytest.mark.django_db

H1 = parse_period("114H1")


def section(report, key):
    return next(s for c in report.chapters for s in c.sections if s.key == key)


def petition(received_on, lead, by):
    receipt = petition_services.submit_petition(
        channel="letter",
        subject="陳情",
        body="請處理。",
        category="roads",
        requester={"name": "王小明"},
        consent=True,
        received_on=received_on,
        by=by,
    )
    case_services.route_case(receipt.petition.case, lead, by=by, on=received_on)


def test_the_chapters_follow_the_seed_and_modules_slot_in(registry):
    report = build_report(H1)
    assert [c.code for c in report.chapters] == ["一", "二", "三", "四", "五", "六", "七"]
    assert report.chapters[2].title == "議事業務及行政工作"
    assert [s.key for s in report.chapters[2].sections] == [
        "petitions.by_agency",
        "meetings.meetings",
        "meetings.minutes_assist",
        "meetings.directives",
        "meetings.paperless",
    ]
    assert [s.key for s in report.chapters[3].sections][:2] == [
        "council.questions",
        "council.data_requests",
    ]
    assert report.period.label == "114年上半年"


def test_the_report_numbers_each_chapter_s_sections_by_their_place(registry):
    """Modules write their heading with the seed's number; the report gives the number, so
    two modules' （二） in one chapter cannot both print."""
    report = build_report(H1)
    for chapter in report.chapters:
        numbers = [s.heading[: s.heading.index("）") + 1] for s in chapter.sections]
        assert numbers == [f"（{roc.chinese_numeral(n)}）" for n in range(1, len(numbers) + 1)]
    assert len(report.chapters[5].sections) > 3  # the desk's and the consultations' （二）s
    assert report.chapters[2].sections[0].heading == "（一）妥處市民送交市長之陳情案件"


def test_petitions_by_agency_counts_records_of_the_period(make_person, agency):
    clerk = make_person("sec-clerk", "秘書處", "registry_clerk")
    for day, lead in [
        (dt.date(2025, 1, 6), "都發局"),
        (dt.date(2025, 3, 3), "都發局"),
        (dt.date(2025, 6, 30), "警察局"),
        (dt.date(2025, 7, 1), "警察局"),  # next half-year
        (dt.date(2025, 2, 3), "中山區公所"),  # 民政局（含區公所）
    ]:
        petition(day, agency(lead), clerk)
    data = section(build_report(H1), "petitions.by_agency")
    assert data.figures[0].value == 4 and data.paragraphs == (
        "114年上半年受理案件計4件，詳如下表：",
    )
    (table,) = data.tables
    assert table.pairs
    assert [(r["agency"], r["count"]) for r in table.rows] == [
        ("都發局", 2),
        ("民政局（含區公所）", 1),
        ("警察局", 1),
    ]


def test_council_sections_and_the_grade_indicator(staff, councillors, council_session, agency):
    event = council_services.create_event(
        session=council_session,
        kind=EventKind.GENERAL,
        title="市政總質詢",
        start_on=dt.date(2025, 4, 14),
        end_on=dt.date(2025, 4, 24),
        sittings=9,
        by=staff["desk"],
    )
    for _ in range(2):
        question = council_services.record_question(
            event=event,
            councillors=[councillors["林議員"]],
            asked_on=dt.date(2025, 4, 14),
            subject="社宅",
            text="請說明。",
            by=staff["desk"],
        )
        case_services.route_case(
            question.case, agency("都發局"), by=staff["desk"], on=dt.date(2025, 4, 14)
        )
    report = build_report(H1)
    questions = section(report, "council.questions")
    (table,) = questions.tables
    assert [(r["kind"], r["questions"]) for r in table.rows] == [("市政總質詢（9天）", 2)]
    assert table.total["questions"] == 2
    # No data request in the period: 「本期無資料」, not 「共0筆，均依限回復，無逾期情形」.
    assert not section(report, "council.data_requests").has_records

    service = council_services.register_service_case(
        councillor=councillors["陳議員"],
        subject="路燈",
        text="請協處。",
        received_on=dt.date(2025, 3, 3),
        by=staff["desk"],
    )
    (part,) = case_services.route_case(
        service.case, agency("都發局"), by=staff["desk"], on=dt.date(2025, 3, 3)
    )
    case_services.draft_reply(part, "已修復。", by=staff["udd"])
    case_services.approve_reply(part, by=staff["udd_boss"])
    council_services.grade_and_close(service, Grade.A, by=staff["desk"])
    today = dt.date.today()
    year = parse_period(str(today.year - 1911))
    IndicatorTarget.objects.create(
        indicator=council_selectors.SERVICE_GRADE_A_INDICATOR,
        year=today.year - 1911,
        value=Decimal("98"),
    )
    (indicator,) = [
        i
        for i in build_report(year).indicators
        if i.key == council_selectors.SERVICE_GRADE_A_INDICATOR
    ]
    assert indicator.actual == Decimal("100.00") and indicator.target == Decimal("98.00")
    assert indicator.met and indicator.achievement == Decimal("102.04")


def test_achievement_is_actual_over_target():
    result = IndicatorResult("x", "臨櫃10分鐘到場率", "%", Decimal("86.44"), Decimal("85"))
    assert result.achievement == Decimal("101.69") and result.met
    assert IndicatorResult("x", "x", "%", None, Decimal("85")).achievement is None


def test_a_section_must_name_a_known_chapter():
    from secretariat.reports.structure import Section

    with pytest.raises(ValueError, match="未知的章節"):
        report_registry.register_section(Section("x", "拾", 1, lambda period: None))
