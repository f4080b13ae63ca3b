"""The routers' and holders' workspace: 指定由我承辦, routing the checked cases in one step
(all or nothing, every refusal listed), saved filters scoped to their owner, the routing
form's picker (its search endpoint scoped and bounded), deadline and warnings, and
「分辦並處理下一件」."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from secretariat.cases import services
from secretariat.cases.deadlines import part_deadline
from secretariat.cases.models import Assignment, CaseStatus, SavedFilter
from secretariat.cases.selectors import assignees
from secretariat.core import roc, workdays
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def new_case(subject="陳情人行道破損", **extra):
    return services.open_case(
        kind="petition",
        subject=subject,
        body=f"{subject}，請儘速處理。",
        channel="letter",
        requester={"name": "王小明"},
        by=None,
        **extra,
    )


def step_url(case, step, pk=None):
    return reverse("cases:step", args=[case.number, step] + ([] if pk is None else [pk]))


@pytest.fixture
def part(staff, agency):
    (lead,) = services.route_case(new_case(), agency("都發局"), by=staff["router"])
    return lead


# --- 指定由我承辦 ----------------------------------------------------------------------------


def test_an_officer_takes_a_part_nobody_handles(staff, part):
    services.take_part(part, by=staff["udd"])
    part.refresh_from_db()
    assert part.officer == staff["udd"]
    assert AuditEntry.objects.filter(
        action="take_part", object_type="cases.assignment", object_id=str(part.pk)
    ).exists()
    with pytest.raises(DomainError, match="您已是此分辦的承辦人"):
        services.take_part(part, by=staff["udd"])
    # Another officer may not take it over; a supervisor may.
    with pytest.raises(DomainError, match="已由黃承辦承辦"):
        services.take_part(part, by=staff["udd2"])
    services.take_part(part, by=staff["udd_boss"])
    part.refresh_from_db()
    assert part.officer == staff["udd_boss"]


def test_only_the_parts_holders_take_it(staff, part):
    for outsider in (staff["police"], staff["router"], staff["udd_rdec"]):
        with pytest.raises(PermissionDenied):
            services.take_part(part, by=outsider)


def test_the_case_page_offers_assign_to_me(client, staff, part):
    client.force_login(staff["udd"])
    html = client.get(part.case.get_absolute_url()).content.decode()
    assert "指定由我承辦" in html
    response = client.post(step_url(part.case, "take", part.pk))
    assert response.status_code == 302
    html = client.get(part.case.get_absolute_url()).content.decode()
    assert "已由您承辦" in html and 'id="take-' not in html


# --- Bulk routing -------------------------------------------------------------------------


def test_bulk_routing_routes_each_case_through_route_case(staff, agency):
    cases = [new_case(f"陳情第{n}件") for n in range(3)]
    due = workdays.add_working_days(timezone.localdate(), 10)
    created = services.route_cases(
        cases,
        agency("工務局"),
        [agency("警察局")],
        by=staff["router"],
        due=due,
        due_reason="需跨機關會勘",
    )
    assert len(created) == 6
    for case in cases:
        case.refresh_from_db()
        assert case.status == CaseStatus.IN_PROGRESS
        assert {p.due_on for p in case.assignments.all()} == {due}
    assert AuditEntry.objects.filter(action="set_due_date_reason").count() == 6


def test_bulk_routing_is_all_or_nothing_listing_every_refusal(staff, agency):
    fine = new_case("陳情可分辦")
    routed = new_case("陳情已分辦")
    services.route_case(routed, agency("都發局"), by=staff["router"])
    filed = new_case("陳情已存查")
    services.file_case(filed, "重複", by=staff["router"])
    with pytest.raises(DomainError) as raised:
        services.route_cases([fine, routed, filed], agency("工務局"), by=staff["router"])
    error = raised.value
    assert error.code == "bulk_refused"
    assert error.fields["cases"] == [
        f"{routed.number}：案件 {routed.number} 目前為「辦理中」，不能分辦。",
        f"{filed.number}：案件 {filed.number} 目前為「存查」，不能分辦。",
    ]
    assert "本次勾選的 3 件都未分辦" in error.message
    fine.refresh_from_db()
    assert fine.status == CaseStatus.PENDING and not fine.assignments.exists()


def test_bulk_routing_refuses_a_deadline_without_reason_for_every_case(staff, agency):
    cases = [new_case("陳情一"), new_case("陳情二")]
    due = workdays.add_working_days(timezone.localdate(), 10)
    with pytest.raises(DomainError) as raised:
        services.route_cases(cases, agency("工務局"), by=staff["router"], due=due)
    assert raised.value.fields["due_reason"] == ["變更期限時請說明理由。"]
    assert not Assignment.objects.exists()


def test_bulk_routing_is_bounded(staff, agency):
    with pytest.raises(DomainError, match="請勾選要分辦的案件"):
        services.route_cases([], agency("工務局"), by=staff["router"])
    many = [new_case(f"陳情{n}") for n in range(services.routing.BULK_ROUTE_MAX + 1)]
    with pytest.raises(DomainError, match="一次最多分辦 100 件"):
        services.route_cases(many, agency("工務局"), by=staff["router"])


def test_the_list_routes_the_checked_cases(client, staff, agency):
    cases = [new_case("陳情甲"), new_case("陳情乙"), new_case("陳情丙")]
    client.force_login(staff["router"])
    html = client.get("/cases/", {"status": "pending"}).content.decode()
    assert 'form="bulk-route" name="cases"' in html and "分辦勾選的案件" in html
    response = client.post(
        reverse("cases:bulk_route"),
        {
            "cases": [cases[0].number, cases[2].number],
            "lead": str(agency("工務局").pk),
            "co_agencies_name": "警察局、交通局",
            "back": "status=pending",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/cases/?status=pending"
    assert {c.status for c in (cases[0], cases[2]) if c.refresh_from_db() is None} == {
        CaseStatus.IN_PROGRESS
    }
    cases[1].refresh_from_db()
    assert cases[1].status == CaseStatus.PENDING
    leads = {p.agency.short_name for p in Assignment.objects.filter(case=cases[0])}
    assert leads == {"工務局", "警察局", "交通局"}
    page = client.get("/cases/", {"status": "pending"}).content.decode()
    assert "已分辦 2 件並通知受分辦機關。" in page
    # Nobody receives 交通局's parts: said once, not once a case; 警察局 has an officer.
    assert page.count("交通局目前沒有可收件的人員") == 1
    assert "警察局目前沒有可收件的人員" not in page


def test_an_agency_may_not_route_in_bulk(client, staff, agency):
    case = new_case()
    client.force_login(staff["udd"])
    response = client.post(
        reverse("cases:bulk_route"), {"cases": [case.number], "lead": agency("工務局").pk}
    )
    assert response.status_code == 403
    assert "分辦勾選的案件" not in client.get("/cases/").content.decode()


# --- Saved filters --------------------------------------------------------------------------


def test_a_saved_filter_keeps_the_filter_parameters_only(staff):
    saved = services.save_filter(
        "逾期的陳情", "kind=petition&overdue=on&page=3&csrfmiddlewaretoken=x", by=staff["udd"]
    )
    assert saved.query == "kind=petition&overdue=on"
    again = services.save_filter("逾期的陳情", "kind=petition", by=staff["udd"])
    assert again.pk == saved.pk and again.query == "kind=petition"
    assert AuditEntry.objects.filter(object_type="cases.savedfilter", action="save_filter").count()


def test_saved_filter_names_are_checked(staff):
    with pytest.raises(DomainError, match="請為篩選命名"):
        services.save_filter("  ", "kind=petition", by=staff["udd"])
    with pytest.raises(DomainError, match="控制字元"):
        services.save_filter("逾期\x00", "", by=staff["udd"])
    with pytest.raises(DomainError, match="不可超過 40 字"):
        services.save_filter("篩" * 41, "", by=staff["udd"])


def test_saved_filters_are_their_owners_only(client, staff):
    saved = services.save_filter("我的篩選", "status=open", by=staff["udd"])
    client.force_login(staff["udd"])
    assert "我的篩選" in client.get("/cases/").content.decode()
    client.force_login(staff["udd2"])
    assert "我的篩選" not in client.get("/cases/").content.decode()
    response = client.post(reverse("cases:delete_filter", args=[saved.pk]))
    assert response.status_code == 404 and SavedFilter.objects.filter(pk=saved.pk).exists()
    with pytest.raises(PermissionDenied):
        services.delete_filter(saved, by=staff["udd2"])
    client.force_login(staff["udd"])
    client.post(reverse("cases:delete_filter", args=[saved.pk]))
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_the_list_saves_its_current_filter(client, staff):
    client.force_login(staff["udd"])
    response = client.post(
        reverse("cases:save_filter"), {"name": "本週到期", "query": "queue=due_soon&page=2"}
    )
    assert response.status_code == 302 and response["Location"] == "/cases/?queue=due_soon"
    html = client.get("/cases/").content.decode()
    assert '<a href="/cases/?queue=due_soon">本週到期</a>' in html


# --- The routing form and its picker ----------------------------------------------------------


def options(client, query: str, picker="route-lead") -> str:
    response = client.get(reverse("cases:assignees"), {"q": query, "picker": picker})
    assert response.status_code == 200
    return response.content.decode()


def test_the_picker_finds_agencies_units_and_contractors(client, staff, agency, make_person):
    from secretariat.core import services as core_services

    secretariat = agency("秘書處")
    contractor = core_services.register_contractor(by=None, name="機電維護公司", agency=secretariat)
    client.force_login(staff["router"])
    html = options(client, "工務")
    assert f'data-value="{agency("工務局").pk}" data-label="工務局"' in html
    assert 'id="route-lead-option-1"' in html and 'role="option"' in html
    assert options(client, "台北市政府工務局").count('data-label="工務局"') == 1  # 台 = 臺
    html = options(client, "機電")
    assert f'data-value="contractor:{contractor.pk}"' in html
    assert "（無人可收件）" in html  # nobody signs in for the company yet
    make_person("contractor-1", None, contractor=contractor)
    assert "（無人可收件）" not in options(client, "機電")


def test_the_picker_is_bounded_and_for_routers_only(client, staff):
    client.force_login(staff["router"])
    assert options(client, "局").count('role="option"') == assignees.OPTIONS_LIMIT
    assert 'role="option"' not in options(client, "")
    assert "控制字元" in options(client, "局\x00")
    assert "沒有名稱含「不存在機關」" in options(client, "不存在機關")
    # An odd picker id is not echoed into the page's ids.
    assert 'id="picker-option-1"' in options(client, "工務", picker='"><script>')
    client.force_login(staff["udd"])
    assert client.get(reverse("cases:assignees"), {"q": "工務"}).status_code == 403


def test_an_abolished_agency_is_not_offered(client, staff, agency):
    old = agency("工務局")
    old.abolished_on = dt.date(2020, 1, 1)
    old.save()
    client.force_login(staff["router"])
    assert 'data-label="工務局"' not in options(client, "工務局")
    assert assignees.assignee_from_value(str(old.pk)) is None


def test_routing_by_typed_names_without_javascript(client, staff, agency):
    case = new_case()
    client.force_login(staff["router"])
    response = client.post(
        step_url(case, "route"), {"lead_name": "台北市政府工務局", "co_agencies_name": "警察局"}
    )
    assert response.status_code == 302
    parts = {(p.agency.short_name, p.role) for p in case.assignments.all()}
    assert parts == {("工務局", "lead"), ("警察局", "co")}


def test_an_unknown_typed_name_is_named_in_the_error(client, staff):
    case = new_case()
    client.force_login(staff["router"])
    response = client.post(step_url(case, "route"), {"lead_name": "火星局"})
    assert response.status_code == 400
    assert "找不到名為「火星局」的機關、單位或承攬廠商" in response.content.decode()


def test_the_form_shows_the_default_deadline_and_a_change_needs_a_reason(client, staff, agency):
    case = new_case()
    default = part_deadline(case, timezone.now())
    client.force_login(staff["router"])
    html = client.get(case.get_absolute_url()).content.decode()
    assert f"依規定為 {default}（6 個工作天，自分辦次日起算）" in html
    assert f'value="{roc.format_date(default.due_on, "slash")}"' in html
    later = workdays.add_working_days(default.due_on, 3)
    data = {"lead": agency("工務局").pk, "due_on": roc.format_date(later, "slash")}
    response = client.post(step_url(case, "route"), data)
    assert response.status_code == 400 and "變更期限時請說明理由。" in response.content.decode()
    response = client.post(step_url(case, "route"), {**data, "due_reason": "需跨局處會勘"})
    assert response.status_code == 302
    assert case.assignments.get().due_on == later
    # The default sent back unchanged is no change.
    other = new_case("陳情二")
    same = {"lead": agency("工務局").pk, "due_on": roc.format_date(default.due_on, "slash")}
    assert client.post(step_url(other, "route"), same).status_code == 302
    assert not AuditEntry.objects.filter(
        action="set_due_date_reason", object_id=str(other.assignments.get().pk)
    ).exists()


def test_routing_to_an_agency_nobody_receives_says_so(client, staff, agency):
    case = new_case()
    client.force_login(staff["router"])
    response = client.post(step_url(case, "route"), {"lead": agency("文化局").pk}, follow=True)
    html = response.content.decode()
    assert "文化局目前沒有可收件的人員" in html
    # 指定承辦人 does not offer an empty list: the page says why instead.
    assert "文化局目前沒有可指定的承辦人" in html and 'id="officer-' not in html


def test_without_anyone_to_name_the_page_says_so_instead_of_an_empty_list(
    client, make_person, agency, staff
):
    boss = make_person("culture-boss", "文化局", "supervisor")
    case = new_case()
    (part,) = services.route_case(case, agency("文化局"), by=staff["router"])
    client.force_login(boss)
    html = client.get(case.get_absolute_url()).content.decode()
    assert f'id="officer-{part.pk}-officer"' in html  # the supervisor may handle it himself
    boss.roles.clear()
    client.force_login(staff["router"])
    html = client.get(case.get_absolute_url()).content.decode()
    assert "文化局目前沒有可指定的承辦人" in html and f'id="officer-{part.pk}-officer"' not in html


def test_route_and_open_the_next_waiting_case(client, staff, agency):
    first = new_case("陳情第一件", received_on=dt.date(2025, 3, 3))
    second = new_case("陳情第二件", received_on=dt.date(2025, 3, 4))
    client.force_login(staff["router"])
    data = {"lead": agency("工務局").pk, "then": "next"}
    response = client.post(step_url(first, "route"), data)
    assert response["Location"] == second.get_absolute_url()
    response = client.post(step_url(second, "route"), data)
    assert response["Location"] == "/cases/?status=pending&kind=petition"
    assert re.search(
        "人民陳情已沒有待分辦的案件", client.get(response["Location"]).content.decode()
    )
