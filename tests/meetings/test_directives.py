"""Directives are ``meeting_directive`` cases of the engine, tracked (列管): routed by the
meeting staff, reported on by the agencies every month, released (解除列管) only by 研考會's
研考人員 with a reason — a closure without a reason is refused — and listed on the next
meeting's agenda while open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from secretariat.cases import selectors as case_selectors
from secretariat.cases import services as case_services
from secretariat.core.errors import DomainError
from secretariat.meetings import selectors, services
from secretariat.meetings.kinds import DIRECTIVE

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(today_meeting, people):
    staff = people["staff"]
    minutes = services.close_meeting(today_meeting, by=staff)
    for entry in selectors.entries(minutes):
        services.update_entry(entry, resolution="請辦理。", by=staff)
    services.send_for_review(minutes, by=staff)
    for entry in selectors.entries(minutes):
        reviewer = (
            people["udd_officer"]
            if entry.item.agency.short_name == "都發局"
            else people["police_officer"]
        )
        services.review_entry(entry, confirmed=True, by=reviewer)
    services.submit_minutes(minutes, by=staff)
    services.approve_minutes(minutes, by=people["mayor_office"])
    return minutes


@pytest.fixture
def directive(approved, people, agency):
    entry = selectors.entries(approved).first()
    return services.issue_directive(
        entry,
        text="請都發局於一個月內提出北投基地施工期間的交通維持計畫，並會同警察局辦理。",
        lead=agency("都發局"),
        co_agencies=[agency("警察局")],
        by=people["staff"],
    )


def test_a_directive_is_a_routed_tracked_case(directive, approved, people):
    assert directive.kind == DIRECTIVE and directive.number.startswith("裁")
    assert directive.channel == "meeting" and directive.status == "in_progress"
    record = directive.meeting_directive
    assert record.meeting == approved.meeting and record.item.title == "社會住宅興建進度報告"
    facts = dict((label, text) for label, text, _ in selectors.directive_facts(directive))
    assert facts["會議"] == "第2,400次市政會議" and facts["類別"] == "裁示"
    parts = list(case_selectors.assignments_for(people["staff"], directive))
    assert {p.agency.short_name for p in parts} == {"都發局", "警察局"}
    # 研考會 sees every directive (the tracking office); other agencies see their own part.
    assert case_selectors.cases_for(people["rdec"], DIRECTIVE).filter(pk=directive.pk).exists()
    assert not case_selectors.cases_for(people["dot_officer"], DIRECTIVE).exists()
    assert [
        p.agency.short_name
        for p in case_selectors.assignments_for(people["udd_officer"], directive)
    ] == ["都發局"]


def test_minutes_must_be_approved_first(today_meeting, people, agency):
    minutes = services.close_meeting(today_meeting, by=people["staff"])
    entry = selectors.entries(minutes).first()
    with pytest.raises(DomainError) as early:
        services.issue_directive(entry, text="請辦理。", lead=agency("都發局"), by=people["staff"])
    assert early.value.message == "會議紀錄核定後，才能將裁示事項交辦列管。"


def test_progress_reports_and_release_by_rdec_only_with_a_reason(directive, people):
    lead = directive.current_lead
    due = lead.due_on
    report = case_services.report_progress(
        lead, "已完成交通維持計畫初稿。", by=people["udd_officer"]
    )
    lead.refresh_from_db()
    assert report.due_on == due and lead.due_on > due
    # The Secretariat routes but does not release; nor does the agency's own 研考人員.
    for who in ("staff", "udd_rdec"):
        with pytest.raises(DomainError) as refused:
            case_services.release_part(lead, "已完成。", by=people[who])
        assert refused.value.message == "只有列管單位可以解除列管。"
    with pytest.raises(DomainError) as no_reason:
        case_services.release_part(lead, "  ", by=people["rdec"])
    assert no_reason.value.fields == {"reason": ["請說明解除列管理由。"]}
    case_services.release_part(lead, "交通維持計畫已核定並執行。", by=people["rdec"])
    co = directive.assignments.get(agency__short_name="警察局")
    case_services.release_part(co, "已配合疏導。", by=people["rdec"])
    directive.refresh_from_db()
    assert directive.status == "replied"


def test_open_directives_go_on_the_next_agenda_and_overdue_shows(directive, council, people):
    later = timezone.localdate() + dt.timedelta(days=60)
    rows = selectors.open_directives(council, later)
    assert [(r.number, r.lead, r.overdue) for r in rows] == [(directive.number, "都發局", True)]
    from tests.meetings.conftest import next_working_day

    upcoming = services.schedule_meeting(
        council, held_on=next_working_day(timezone.localdate(), 6), by=people["staff"]
    )
    item = services.add_tracking_report(upcoming, by=people["staff"])
    assert item.title == "歷次會議裁示（決議）事項列管情形" and item.agency.short_name == "研考會"
    assert directive.number in item.summary
    listed = selectors.tracking_list(people["rdec"], timezone.now())
    assert [case.number for case, _ in listed] == [directive.number]
