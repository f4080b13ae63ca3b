"""The routed-case engine through its services: numbers, routing and deadlines in working
days, re-assignment, extension, replies, guarded states, personal data, related cases,
suggestions and statistics."""

import datetime as dt

import pytest
from django.http import Http404

from secretariat.cases import selectors, services, suggest
from secretariat.cases.models import (
    AssignmentRole,
    AssignmentStatus,
    CaseLink,
    CaseStatus,
    KindSetting,
    RequestStatus,
    RoutingKeyword,
)
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry, DayKind

pytestmark = pytest.mark.django_db


def new_case(received_on=dt.date(2025, 3, 3), body="人行道破損請修復", **requester):
    return services.open_case(
        kind="petition",
        subject="陳情人行道破損",
        body=body,
        channel="letter",
        received_on=received_on,
        requester=requester
        or {"name": "王小明", "email": "wang@example.test", "phone": "0912345678"},
    )


def test_numbers_are_a_yearly_sequence_per_kind(registry):
    first, second = new_case(), new_case(body="另一件")
    assert (first.number, second.number) == ("陳114000001", "陳114000002")
    assert new_case(received_on=dt.date(2026, 1, 5)).number == "陳115000001"


def test_routing_sets_deadlines_in_working_days(staff, agency):
    # Received and routed Friday 2025-01-24, the last working day before the Lunar New Year
    # break (01-25 … 02-02). Six working days from the next working day: 02-03 (Mon) … 02-07,
    # then Saturday 02-08, a make-up workday (補班): the deadline.
    case = new_case(received_on=dt.date(2025, 1, 24))
    lead, co = services.route_case(
        case, agency("都發局"), [agency("警察局")], by=staff["router"], on=dt.date(2025, 1, 24)
    )
    assert lead.role == AssignmentRole.LEAD and co.role == AssignmentRole.CO
    assert lead.due_on == co.due_on == dt.date(2025, 2, 8)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.routed_on == dt.date(2025, 1, 24)
    shown = selectors.case_for(staff["router"], case.number).visible_assignments
    assert [part.role for part in shown] == [AssignmentRole.LEAD, AssignmentRole.CO]


def test_a_typhoon_closure_moves_the_deadline(staff, agency):
    core_services.set_calendar_day(
        by=None,
        date=dt.date(2025, 3, 5),
        kind=DayKind.CLOSURE,
        reason="颱風停止上班",
        city="臺北市",
    )
    case = new_case()
    (lead,) = services.route_case(
        case, agency("都發局"), by=staff["router"], on=dt.date(2025, 3, 3)
    )
    # 03-04, (03-05 closed), 03-06, 03-07, 03-10, 03-11, 03-12.
    assert lead.due_on == dt.date(2025, 3, 12)


def test_configured_reply_days_are_used(staff, agency):
    KindSetting.objects.create(kind="petition", reply_days=3, reassign_days=1)
    (lead,) = services.route_case(
        new_case(), agency("都發局"), by=staff["router"], on=dt.date(2025, 3, 3)
    )
    assert lead.due_on == dt.date(2025, 3, 6)


def test_only_routers_route(staff, agency):
    with pytest.raises(PermissionDenied):
        services.route_case(new_case(), agency("都發局"), by=staff["udd"])


def test_overdue_is_computed_not_stored(staff, agency):
    (lead,) = services.route_case(
        new_case(), agency("都發局"), by=staff["router"], on=dt.date(2025, 3, 3)
    )
    assert lead.due_on == dt.date(2025, 3, 11)
    assert not lead.is_overdue_at(dt.date(2025, 3, 11))
    assert lead.is_overdue_at(dt.date(2025, 3, 12))
    overdue = selectors.overdue_assignments(staff["router"], dt.date(2025, 3, 12))
    assert list(overdue) == [lead]
    assert not selectors.overdue_assignments(staff["router"], dt.date(2025, 3, 11)).exists()


def test_reassignment_within_the_limit_approved(staff, agency):
    case = new_case()
    (lead,) = services.route_case(
        case, agency("警察局"), by=staff["router"], on=dt.date(2025, 3, 3)
    )
    request = services.request_reassignment(
        lead,
        "非本局權責，屬都市發展局",
        by=staff["police"],
        suggested_agency=agency("都發局"),
        on=dt.date(2025, 3, 4),
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REASSIGNING
    services.decide_reassignment(request, approve=True, by=staff["router"], on=dt.date(2025, 3, 5))
    case.refresh_from_db()
    lead.refresh_from_db()
    request.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert lead.status == AssignmentStatus.WITHDRAWN
    new_lead = request.new_assignment
    assert new_lead.agency == agency("都發局") and new_lead.role == AssignmentRole.LEAD
    assert new_lead.due_on == dt.date(2025, 3, 13)  # six working days from 03-05
    assert request.status == RequestStatus.APPROVED and request.decided_by == staff["router"]
    # The agency it was taken from no longer sees the case; the new lead does.
    assert not selectors.cases_for(staff["police"]).filter(pk=case.pk).exists()
    with pytest.raises(Http404):
        selectors.case_for(staff["police"], case.number)
    assert selectors.cases_for(staff["udd"]).filter(pk=case.pk).exists()


def test_reassignment_refused_keeps_the_agency(staff, agency):
    case = new_case()
    (lead,) = services.route_case(
        case, agency("警察局"), by=staff["router"], on=dt.date(2025, 3, 3)
    )
    request = services.request_reassignment(
        lead, "人力不足", by=staff["police"], on=dt.date(2025, 3, 3)
    )
    services.decide_reassignment(request, approve=False, note="仍屬本局權責", by=staff["router"])
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.ASSIGNED
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_reassignment_after_the_limit_is_refused(staff, agency):
    (lead,) = services.route_case(
        new_case(), agency("警察局"), by=staff["router"], on=dt.date(2025, 3, 3)
    )
    with pytest.raises(DomainError) as error:
        services.request_reassignment(
            lead, "非本局權責", by=staff["police"], on=dt.date(2025, 3, 5)
        )
    assert error.value.code == "reassign_too_late" and "114年3月4日" in error.value.message


def test_only_the_assigned_agency_asks(staff, agency):
    (lead,) = services.route_case(
        new_case(), agency("警察局"), by=staff["router"], on=dt.date(2025, 3, 3)
    )
    with pytest.raises(PermissionDenied):
        services.request_reassignment(lead, "x", by=staff["udd"], on=dt.date(2025, 3, 3))


def test_extension_approved_moves_the_deadline(staff, agency):
    case = new_case()
    (lead,) = services.route_case(
        case, agency("都發局"), by=staff["router"], on=dt.date(2025, 3, 3)
    )
    extension = services.request_extension(
        lead, "需會同現場勘查", dt.date(2025, 3, 21), by=staff["udd"]
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.EXTENDING
    services.decide_extension(extension, approve=True, by=staff["router"])
    lead.refresh_from_db()
    extension.refresh_from_db()
    assert lead.due_on == dt.date(2025, 3, 21) and extension.previous_due_on == dt.date(2025, 3, 11)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_extension_rules(staff, agency):
    case = new_case()
    (lead,) = services.route_case(
        case, agency("都發局"), by=staff["router"], on=dt.date(2025, 3, 3)
    )
    with pytest.raises(DomainError) as error:
        services.request_extension(lead, "需勘查", dt.date(2025, 3, 10), by=staff["udd"])
    assert "requested_due_on" in error.value.fields
    with pytest.raises(DomainError):
        services.request_extension(
            lead, "需勘查", dt.date(2025, 3, 22), by=staff["udd"]
        )  # a Saturday
    with pytest.raises(DomainError) as error:
        services.request_extension(lead, "", dt.date(2025, 3, 21), by=staff["udd"])
    assert "reason" in error.value.fields
    extension = services.request_extension(lead, "需勘查", dt.date(2025, 3, 21), by=staff["udd"])
    with pytest.raises(DomainError) as error:
        services.request_extension(lead, "再延", dt.date(2025, 3, 28), by=staff["udd"])
    assert error.value.code == "request_pending"
    services.decide_extension(extension, approve=False, by=staff["router"])
    lead.refresh_from_db()
    assert lead.due_on == dt.date(2025, 3, 11)


def test_reply_flow_with_approval(staff, agency):
    case = new_case()
    lead, co = services.route_case(case, agency("都發局"), [agency("警察局")], by=staff["router"])
    services.draft_reply(lead, "已派員修復人行道。", by=staff["udd"])
    with pytest.raises(PermissionDenied):
        services.approve_reply(lead, by=staff["udd"])  # an officer cannot approve
    with pytest.raises(PermissionDenied):
        services.approve_reply(lead, by=staff["police_boss"])  # another agency's supervisor
    services.approve_reply(lead, by=staff["udd_boss"])
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS  # the co-agency has not replied yet
    services.draft_reply(co, "將加強周邊交通疏導。", by=staff["police"])
    services.approve_reply(co, by=staff["police_boss"], text="將加強周邊交通疏導與巡查。")
    case.refresh_from_db()
    co.refresh_from_db()
    assert case.status == CaseStatus.REPLIED and case.replied_on is not None
    assert co.reply_text == "將加強周邊交通疏導與巡查。" and co.approved_by == staff["police_boss"]
    services.close_case(case, by=staff["router"])
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_illegal_transitions_raise_a_domain_error(staff, agency):
    case = new_case()
    with pytest.raises(DomainError) as error:
        services.close_case(case, by=staff["router"])
    assert error.value.code == "illegal_transition" and "待分辦" in error.value.message
    services.route_case(case, agency("都發局"), by=staff["router"])
    with pytest.raises(DomainError):
        services.route_case(case, agency("警察局"), by=staff["router"])
    services.file_case(case, "重複陳情", by=staff["router"])
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED and case.filed_reason == "重複陳情"
    assert not case.assignments.filter(status=AssignmentStatus.ASSIGNED).exists()


def test_state_changes_are_audited(staff, agency):
    case = new_case()
    services.route_case(case, agency("都發局"), by=staff["router"])
    actions = set(
        AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"create", "transition:route"} <= actions


def test_bad_input_names_the_field_and_saves_nothing(registry):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from secretariat.cases.models import Case

    with pytest.raises(DomainError) as error:
        services.open_case(
            kind="petition",
            subject="",
            body="內容",
            channel="web",
            requester={"name": "王小明", "email": "not-mail"},
            attachments=[SimpleUploadedFile("run.exe", b"MZ")],
        )
    # The engine's fields and the kind's (a web petition needs consent) in one pass.
    assert set(error.value.fields) == {"subject", "email", "attachments", "consent"}
    assert "run.exe" in error.value.fields["attachments"][0]
    assert not Case.objects.exists()


def test_agency_scope_in_selectors(staff, agency):
    shared = new_case()
    lead, co = services.route_case(shared, agency("都發局"), [agency("警察局")], by=staff["router"])
    other = new_case(body="另一件與警察局無關的陳情")
    services.route_case(other, agency("都發局"), by=staff["router"])
    assert set(selectors.cases_for(staff["police"])) == {shared}
    assert set(selectors.cases_for(staff["udd"])) == {shared, other}
    assert set(selectors.assignments_for(staff["police"], shared)) == {co}
    assert set(selectors.cases_for(staff["router"])) == {shared, other}


def test_requester_identity_needs_the_role_and_is_audited(staff, agency):
    case = new_case()
    services.route_case(case, agency("都發局"), by=staff["router"])
    for not_needed in (staff["udd_rdec"], staff["police"]):
        with pytest.raises(PermissionDenied):
            services.reveal_requester(case, by=not_needed)
    requester = services.reveal_requester(case, by=staff["udd"])
    assert requester.name == "王小明"
    views = AuditEntry.objects.filter(action="view_requester", object_id=str(case.pk))
    assert views.count() == 1 and views.get().actor_id == staff["udd"].pk
    assert str(requester) == "王○明"
    assert all("王小明" not in str(e.changes) for e in AuditEntry.objects.all())


def test_an_anonymous_case_has_no_requester_to_reveal(staff, agency):
    case = services.open_case(
        kind="petition", subject="匿名檢舉", body="匿名來信。", channel="letter", requester={}
    )
    services.route_case(case, agency("都發局"), by=staff["router"])
    assert services.reveal_requester(case, by=staff["udd"]) is None


def test_related_cases_are_linked_by_the_job_after_commit(
    registry, immediate_jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as jobs:
        first = new_case()
        same_person = new_case(
            body="完全不同的內容：路燈不亮", name="王小明", email="wang@example.test"
        )
        similar = new_case(body="人行道破損請修復！", name="李大華", email="lee@example.test")
        unrelated = new_case(body="公園路燈故障", name="張三", email="chang@example.test")
        assert not CaseLink.objects.exists()  # nothing is linked inside the transactions
    linking = [job for job in jobs if "link_after_commit" in job.__qualname__]
    assert len(linking) == 4  # one job per case, queued on commit
    assert {link.related for link in same_person.links.all()} == {first}
    assert first in {link.related for link in similar.links.all()}
    assert not unrelated.links.exists()
    assert {link.related for link in first.links.all()} >= {same_person, similar}


def test_keyword_suggester(registry, agency):
    RoutingKeyword.objects.create(keyword="人行道", agency=agency("工務局"), weight=2)
    RoutingKeyword.objects.create(keyword="違規停車", agency=agency("警察局"), weight=1)
    RoutingKeyword.objects.create(keyword="破損", agency=agency("工務局"), weight=1)
    ranked = suggest.suggest("人行道破損，且常有違規停車")
    assert [s.agency.short_name for s in ranked] == ["工務局", "警察局"]
    assert ranked[0].confidence == 0.75 and "人行道" in ranked[0].reason
    assert suggest.suggest("與任何關鍵字無關") == []


def test_statistics_by_lead_agency_month_status_and_on_time(staff, agency):
    day = dt.date(2025, 3, 3)
    for short_name, count in (("都發局", 3), ("民政局", 1), ("松山區公所", 2), ("警察局", 1)):
        for i in range(count):
            case = new_case(received_on=day, body=f"{short_name}案件{i}")
            services.route_case(case, agency(short_name), by=staff["router"], on=day)
    april = new_case(received_on=dt.date(2025, 4, 1), body="四月案件")
    (lead,) = services.route_case(
        april, agency("都發局"), by=staff["router"], on=dt.date(2025, 4, 1)
    )
    services.draft_reply(lead, "已處理。", by=staff["udd"])
    services.approve_reply(lead, by=staff["udd_boss"], on=dt.date(2025, 4, 8))
    late = new_case(received_on=dt.date(2025, 4, 1), body="遲復案件")
    (late_lead,) = services.route_case(
        late, agency("警察局"), by=staff["router"], on=dt.date(2025, 4, 1)
    )
    services.draft_reply(late_lead, "已處理。", by=staff["police"])
    services.approve_reply(late_lead, by=staff["police_boss"], on=dt.date(2025, 4, 30))
    by_agency = selectors.count_by_lead_agency(
        "petition", dt.date(2025, 1, 1), dt.date(2025, 6, 30)
    ).rows
    assert by_agency == {"都發局": 4, "民政局（含區公所）": 3, "警察局": 2}
    assert list(by_agency)[0] == "都發局"
    by_month = selectors.count_by_month("petition", dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert by_month == {dt.date(2025, 3, 1): 7, dt.date(2025, 4, 1): 2}
    assert selectors.count_by_status("petition", dt.date(2025, 1, 1), dt.date(2025, 6, 30)) == {
        "in_progress": 7,
        "replied": 2,
    }
    on_time = selectors.on_time_replies("petition", dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert (on_time.replied, on_time.on_time) == (2, 1) and on_time.rate == 0.5


def test_statistics_use_the_name_in_force_on_the_case_date(staff, agency):
    water = agency("自來水處")
    old, _ = water.names_on(dt.date(2024, 6, 1))
    case = new_case(received_on=dt.date(2024, 6, 3))
    services.route_case(case, water, by=staff["router"], on=dt.date(2024, 6, 3))
    labels = selectors.count_by_lead_agency(
        "petition", dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    ).rows
    assert labels == {water.short_name_on(dt.date(2024, 6, 3)): 1}
    assert water.short_name_on(dt.date(2024, 6, 3)) != water.short_name


def test_a_rename_inside_the_period_splits_the_agencys_count(staff, agency):
    water = agency("自來水處")
    for day in (dt.date(2024, 12, 20), dt.date(2025, 1, 10), dt.date(2025, 1, 13)):
        services.route_case(new_case(received_on=day), water, by=staff["router"], on=day)
    before, after = water.short_name_on(dt.date(2024, 12, 20)), water.short_name
    assert before != after and water.renamed_within(dt.date(2024, 7, 1), dt.date(2025, 6, 30))
    labels = selectors.count_by_lead_agency(
        "petition", dt.date(2024, 7, 1), dt.date(2025, 6, 30)
    ).rows
    assert labels == {after: 2, before: 1}
