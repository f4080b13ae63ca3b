"""The case pages: who sees which cases and parts, the list's filters, sorting and pages, the
steps on a case taken through its page (with the engine's messages beside the fields), the
requester's identity, the escalation list, attachments, dashboard items and search."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from secretariat.cases import services
from secretariat.cases.models import (
    Assignment,
    AssignmentStatus,
    CaseStatus,
    Extension,
    Reassignment,
    RequestStatus,
    RoutingKeyword,
)
from secretariat.core import roc, workdays
from secretariat.core.models import AuditEntry

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2025, 3, 3)


def new_case(subject="陳情人行道破損", body=None, received_on=None, **extra):
    return services.open_case(
        kind="petition",
        subject=subject,
        body=body or f"{subject}，請儘速處理。",
        channel="letter",
        received_on=received_on,
        requester={"name": "王小明", "email": "a@example.test"},
        by=None,
        **extra,
    )


def url(case, step=None, pk=None):
    if step is None:
        return reverse("cases:detail", args=[case.number])
    args = [case.number, step] + ([] if pk is None else [pk])
    return reverse("cases:step", args=args)


def page_of(client, user, path, **params):
    client.force_login(user)
    response = client.get(path, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def shared(staff, agency):
    """A case routed to 都發局 (lead) and 警察局 (co), one only 都發局 holds, one not routed."""
    case = new_case("陳情路口號誌故障")
    lead, co = services.route_case(case, agency("都發局"), [agency("警察局")], by=staff["router"])
    own = new_case("陳情公園樹木修剪")
    services.route_case(own, agency("都發局"), by=staff["router"])
    waiting = new_case("陳情垃圾清運時間")
    return {"case": case, "lead": lead, "co": co, "own": own, "waiting": waiting}


# --- Who sees what ------------------------------------------------------------------------


def test_an_agency_lists_only_cases_it_holds_a_part_of(client, staff, shared):
    police = page_of(client, staff["police"], "/cases/")
    assert shared["case"].number in police
    assert shared["own"].number not in police and shared["waiting"].number not in police
    udd = page_of(client, staff["udd"], "/cases/")
    assert shared["case"].number in udd and shared["own"].number in udd
    assert shared["waiting"].number not in udd
    assert "各機關未結分辦概況" not in udd


def test_the_secretariat_lists_every_open_case_with_the_overview(client, staff, shared):
    html = page_of(client, staff["router"], "/cases/")
    for key in ("case", "own", "waiting"):
        assert shared[key].number in html
    assert "各機關未結分辦概況" in html
    overview = html.split('id="overview-heading"')[1].split("</table>")[0]
    assert re.search(r"都發局</a></th>\s*<td class=\"num\"[^>]*>2件</td>", overview)
    assert re.search(r"警察局</a></th>\s*<td class=\"num\"[^>]*>1件</td>", overview)


def test_another_agencys_case_is_not_found(client, staff, shared):
    client.force_login(staff["police"])
    assert client.get(url(shared["own"])).status_code == 404
    assert client.get(url(shared["case"])).status_code == 200


def test_a_shared_case_shows_each_agency_only_its_own_part(client, staff, shared):
    services.draft_reply(shared["lead"], "都發局回復：已排定號誌更新工程。", by=staff["udd"])
    services.draft_reply(shared["co"], "警察局回復：已加派員警疏導交通。", by=staff["police"])
    udd = page_of(client, staff["udd"], url(shared["case"]))
    assert "已排定號誌更新工程" in udd
    assert "加派員警疏導" not in udd and "警察局（協辦）" not in udd
    police = page_of(client, staff["police"], url(shared["case"]))
    assert "加派員警疏導" in police
    assert "已排定號誌更新工程" not in police and "都發局（主辦）" not in police
    router = page_of(client, staff["router"], url(shared["case"]))
    assert "已排定號誌更新工程" in router and "加派員警疏導" in router


def test_the_case_page_shows_dates_in_roc_and_its_audit_trail(client, staff, shared):
    html = page_of(client, staff["router"], url(shared["case"]))
    today = timezone.localdate()
    assert roc.format_date(shared["case"].received_on) in html
    assert roc.format_date(shared["lead"].due_on) in html
    routed = f"分辦：主辦 都發局、協辦 警察局，期限 {roc.format_date(shared['lead'].due_on)}"
    assert "異動紀錄" in html and routed in html
    assert "transition:route" not in html  # the raw entries are for auditors (test_history)
    assert roc.format_date(today) in html


# --- Filters, sorting, pages ----------------------------------------------------------------


@pytest.fixture
def spread(staff, agency):
    """Cases received on different days; one overdue at 都發局, one filed."""
    old = new_case("陳情騎樓占用", received_on=dt.date(2025, 1, 6))
    services.route_case(old, agency("都發局"), by=staff["router"], on=dt.date(2025, 1, 6))
    middle = new_case("陳情路燈不亮", received_on=dt.date(2025, 2, 10))
    services.route_case(middle, agency("警察局"), by=staff["router"], on=timezone.localdate())
    recent = new_case("陳情噪音擾鄰", received_on=dt.date(2025, 3, 3))
    filed = new_case("重複陳情騎樓占用", received_on=dt.date(2025, 3, 4))
    services.file_case(filed, "重複陳情", by=staff["router"])
    return {"old": old, "middle": middle, "recent": recent, "filed": filed}


def numbers_in(html: str) -> list[str]:
    table = html.split('id="list-heading"')[1]
    return re.findall(r"<th scope=\"row\"><a href=\"[^\"]+\">(陳\d+)</a>", table)


def listed(client, **params) -> list[str]:
    return numbers_in(client.get("/cases/", params).content.decode())


def test_filters(client, staff, spread, agency):
    client.force_login(staff["router"])
    assert set(listed(client)) == {spread[k].number for k in ("old", "middle", "recent")}
    assert listed(client, status="filed") == [spread["filed"].number]
    assert len(listed(client, status="")) == 4
    assert listed(client, agency=agency("都發局").code) == [spread["old"].number]
    assert listed(client, overdue="on") == [spread["old"].number]
    assert listed(client, received_from="114/02/01", received_to="114/02/28") == [
        spread["middle"].number
    ]
    assert listed(client, text="噪音") == [spread["recent"].number]
    assert listed(client, kind="petition", text="路燈") == [spread["middle"].number]


def test_a_bad_date_filter_is_shown_with_its_field(client, staff, spread):
    client.force_login(staff["router"])
    html = client.get("/cases/", {"received_from": "114/1345"}).content.decode()
    assert 'id="filter-received_from_error"' in html and "無法辨識的日期：114/1345" in html
    html = client.get("/cases/", {"received_from": "114/02/30"}).content.decode()
    assert "114年2月30日不存在（該月只有28天）" in html
    html = client.get("/cases/", {"received_from": "114/03/01", "received_to": "114/02/01"})
    assert "迄日不可早於起日" in html.content.decode()


def test_an_agency_filters_its_own_queue(client, staff, spread):
    client.force_login(staff["udd"])
    html = client.get("/cases/").content.decode()
    assert numbers_in(html) == [spread["old"].number]
    assert "受分辦機關" not in html  # no agency filter for an agency
    assert listed(client, overdue="on") == [spread["old"].number]
    assert listed(client, text="路燈") == []
    assert listed(client, status="") == [spread["old"].number]


def test_sorting(client, staff, spread):
    client.force_login(staff["router"])
    by_number = sorted(spread[k].number for k in ("old", "middle", "recent"))
    assert listed(client, order="number") == by_number
    assert listed(client, order="-number") == by_number[::-1]
    assert listed(client, order="received") == [
        spread[k].number for k in ("old", "middle", "recent")
    ]
    assert listed(client, order="-received") == [
        spread[k].number for k in ("recent", "middle", "old")
    ]
    # By deadline: the overdue part first, then the later one, unrouted cases last.
    assert listed(client, order="due") == [spread[k].number for k in ("old", "middle", "recent")]


def test_fifty_to_a_page_and_filters_kept_across_pages(client, staff, registry):
    for i in range(53):
        new_case(f"陳情第{i}件", received_on=dt.date(2025, 3, 3))
    client.force_login(staff["router"])
    first = client.get("/cases/", {"text": "陳情第", "order": "number"}).content.decode()
    assert len(numbers_in(first)) == 50
    assert "第 1 頁，共 2 頁" in first
    assert re.search(r'href="\?text=[^"]*&amp;order=number&amp;page=2"', first)
    second = client.get("/cases/", {"text": "陳情第", "order": "number", "page": 2})
    assert len(numbers_in(second.content.decode())) == 3


def test_requesters_are_masked_in_lists(client, staff, shared):
    for person in ("router", "udd"):
        html = page_of(client, staff[person], "/cases/")
        assert "王○明" in html and "王小明" not in html


# --- Steps through the pages ----------------------------------------------------------------


def test_router_routes_from_the_page_with_suggestions_and_related_cases(
    client, staff, agency, immediate_jobs, django_capture_on_commit_callbacks
):
    RoutingKeyword.objects.create(keyword="號誌", agency=agency("交通局"), weight=2)
    with django_capture_on_commit_callbacks(execute=True):  # the related-case job
        earlier = new_case("陳情路口號誌故障", body="南京東路路口號誌故障已三天")
        case = new_case("陳情路口號誌仍未修復", body="南京東路路口號誌故障已三天！")
    html = page_of(client, staff["router"], url(case))
    assert "分辦建議" in html and "交通局" in html and "100%" in html and "關鍵字：號誌" in html
    assert earlier.number in html and "同一陳情人" in html
    response = client.post(
        url(case, "route"), {"lead": agency("交通局").pk, "co_agencies": [agency("警察局").pk]}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    parts = {(a.agency.short_name, a.role) for a in case.assignments.all()}
    assert parts == {("交通局", "lead"), ("警察局", "co")}
    assert "已分辦並通知受分辦機關" in client.get(url(case)).content.decode()


def test_only_routers_get_the_routing_form(client, staff, shared, agency):
    assert "分辦建議" not in page_of(client, staff["udd"], url(shared["case"]))
    html = page_of(client, staff["router"], url(shared["waiting"]))
    assert 'id="route-lead"' in html
    client.force_login(staff["udd"])
    response = client.post(url(shared["case"], "route"), {"lead": agency("都發局").pk})
    assert response.status_code == 403
    assert "只有秘書處分辦人員可以分辦案件" in response.content.decode()


def test_a_missing_lead_agency_is_shown_with_the_field(client, staff, shared):
    client.force_login(staff["router"])
    response = client.post(url(shared["waiting"], "route"), {})
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'id="route-lead_error"[^>]*>\s*<li>請選擇主辦機關。', html)
    assert re.search(r'aria-describedby="[^"]*route-lead_error"', html)


def test_supervisor_assigns_an_officer(client, staff, shared):
    client.force_login(staff["udd_boss"])
    lead = shared["lead"]
    response = client.post(url(shared["case"], "officer", lead.pk), {"officer": staff["udd"].pk})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.officer == staff["udd"]
    # Another agency's part is not there for them.
    response = client.post(url(shared["case"], "officer", shared["co"].pk), {"officer": 1})
    assert response.status_code == 404


def test_officer_drafts_and_supervisor_approves_with_an_edit(client, staff, shared):
    lead = shared["lead"]
    client.force_login(staff["udd"])
    html = client.get(url(shared["case"])).content.decode()
    assert f'id="draft-{lead.pk}-reply_text"' in html and f"approve-{lead.pk}" not in html
    response = client.post(url(shared["case"], "draft", lead.pk), {"reply_text": "已派員修復。"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.DRAFTED
    client.force_login(staff["udd_boss"])
    html = client.get(url(shared["case"])).content.decode()
    assert f'id="approve-{lead.pk}-reply_text"' in html and "已派員修復。" in html
    response = client.post(
        url(shared["case"], "approve", lead.pk), {"reply_text": "已派員修復，並加強巡查。"}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.REPLIED and lead.reply_text == "已派員修復，並加強巡查。"
    assert lead.approved_by == staff["udd_boss"]


def test_an_empty_reply_is_refused_beside_the_field(client, staff, shared):
    lead = shared["lead"]
    client.force_login(staff["udd"])
    response = client.post(url(shared["case"], "draft", lead.pk), {"reply_text": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(rf'id="draft-{lead.pk}-reply_text_error"[^>]*>\s*<li>請填寫回復內容。', html)


def test_an_extension_earlier_than_the_deadline_is_refused_with_htmx(client, staff, shared):
    lead = shared["lead"]
    client.force_login(staff["udd"])
    response = client.post(
        url(shared["case"], "extend", lead.pk),
        {"reason": "需會勘", "requested_due_on": roc.format_date(lead.due_on, "slash")},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx swaps only successful responses
    html = response.content.decode()
    assert html.startswith(f'<div id="action-extend-{lead.pk}"')
    assert f'id="extend-{lead.pk}-requested_due_on_error"' in html
    assert "展延日期必須晚於原期限" in html
    assert not Extension.objects.exists()


def test_extension_requested_and_approved_through_the_pages(client, staff, shared):
    lead = shared["lead"]
    new_due = workdays.add_working_days(lead.due_on, 5)
    client.force_login(staff["udd"])
    response = client.post(
        url(shared["case"], "extend", lead.pk),
        {"reason": "需會同相關單位現場勘查", "requested_due_on": roc.format_date(new_due, "slash")},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response["HX-Redirect"] == url(shared["case"])
    extension = Extension.objects.get()
    router_page = page_of(client, staff["router"], url(shared["case"]))
    assert "展期申請：都發局（主辦）" in router_page and "需會同相關單位現場勘查" in router_page
    response = client.post(
        url(shared["case"], "decide-extension", extension.pk), {"decision": "approve"}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.due_on == new_due
    assert Extension.objects.get().status == RequestStatus.APPROVED


def test_only_routers_decide_requests(client, staff, shared):
    lead = shared["lead"]
    extension = services.request_extension(
        lead, "需勘查", workdays.add_working_days(lead.due_on, 3), by=staff["udd"]
    )
    client.force_login(staff["udd_boss"])
    html = client.get(url(shared["case"])).content.decode()
    assert "待秘書處核定" in html and "decide-extension" not in html
    response = client.post(
        url(shared["case"], "decide-extension", extension.pk), {"decision": "approve"}
    )
    assert response.status_code == 403
    client.force_login(staff["police"])  # not even visible to another agency
    response = client.post(
        url(shared["case"], "decide-extension", extension.pk), {"decision": "approve"}
    )
    assert response.status_code == 404


def test_reassignment_requested_and_approved_through_the_pages(client, staff, shared, agency):
    co = shared["co"]
    client.force_login(staff["police"])
    html = client.get(url(shared["case"])).content.decode()
    assert "改分申請期限" in html
    response = client.post(
        url(shared["case"], "reassign", co.pk),
        {"reason": "非本局權責，屬交通局", "suggested_agency": agency("交通局").pk},
    )
    assert response.status_code == 302
    request = Reassignment.objects.get()
    client.force_login(staff["router"])
    html = client.get(url(shared["case"])).content.decode()
    assert "改分申請：警察局（協辦）" in html and "非本局權責，屬交通局" in html
    response = client.post(
        url(shared["case"], "decide-reassignment", request.pk),
        {"decision": "approve", "new_agency": agency("交通局").pk, "note": "同意改分"},
    )
    assert response.status_code == 302
    co.refresh_from_db()
    assert co.status == AssignmentStatus.WITHDRAWN
    new = Assignment.objects.get(case=shared["case"], agency=agency("交通局"))
    assert new.role == "co"


def test_reassignment_approved_without_an_agency_is_refused_beside_the_field(client, staff, shared):
    request = services.request_reassignment(shared["co"], "人力不足", by=staff["police"])
    client.force_login(staff["router"])
    response = client.post(
        url(shared["case"], "decide-reassignment", request.pk),
        {"decision": "approve", "new_agency": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(
        rf'id="decide-reassignment-{request.pk}-new_agency_error"[^>]*>\s*<li>核准改分時請選擇',
        html,
    )
    response = client.post(
        url(shared["case"], "decide-reassignment", request.pk), {"decision": "refuse"}
    )
    assert response.status_code == 302
    shared["co"].refresh_from_db()
    assert shared["co"].status == AssignmentStatus.ASSIGNED


def test_close_after_every_reply_and_file_with_a_reason(client, staff, shared):
    case, lead, co = shared["case"], shared["lead"], shared["co"]
    for part, officer, boss in ((lead, "udd", "udd_boss"), (co, "police", "police_boss")):
        services.draft_reply(part, "已處理。", by=staff[officer])
        services.approve_reply(part, by=staff[boss])
    client.force_login(staff["router"])
    assert 'id="close-title"' in client.get(url(case)).content.decode()
    assert client.post(url(case, "close")).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED

    waiting = shared["waiting"]
    response = client.post(url(waiting, "file"), {"filed_reason": ""})
    assert response.status_code == 400
    assert re.search(
        r'id="file-filed_reason_error"[^>]*>\s*<li>請說明存查理由。', response.content.decode()
    )
    assert client.post(url(waiting, "file"), {"filed_reason": "重複陳情"}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == CaseStatus.FILED and waiting.filed_reason == "重複陳情"


def test_closing_too_early_says_why(client, staff, shared):
    client.force_login(staff["router"])
    response = client.post(url(shared["case"], "close"))
    assert response.status_code == 400
    assert "目前為「辦理中」，不能結案" in response.content.decode()


def test_an_unknown_step_is_not_found(client, staff, shared):
    client.force_login(staff["router"])
    assert client.post(url(shared["case"], "explode")).status_code == 404
    assert client.get(url(shared["case"], "close")).status_code == 405


# --- The requester's identity ----------------------------------------------------------------


def test_an_officer_reveals_the_requester_and_it_is_audited(client, staff, shared):
    case = shared["case"]
    html = page_of(client, staff["udd"], url(case))
    assert "王○明" in html and "王小明" not in html and "顯示陳情人資料" in html
    response = client.post(
        reverse("cases:reveal_requester", args=[case.number]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "王小明" in html and "a@example.test" in html
    entry = AuditEntry.objects.get(action="view_requester", object_id=str(case.pk))
    assert entry.actor_id == staff["udd"].pk


def test_a_rdec_officer_is_refused_politely(client, staff, shared):
    case = shared["case"]
    client.force_login(staff["udd_rdec"])
    response = client.post(
        reverse("cases:reveal_requester", args=[case.number]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "王小明" not in html and "王○明" in html and "很抱歉，您的角色不能檢視" in html
    assert not AuditEntry.objects.filter(action="view_requester").exists()
    response = client.post(reverse("cases:reveal_requester", args=[case.number]))
    assert response.status_code == 403 and "很抱歉" in response.content.decode()


# --- Escalation list, attachments, dashboard, search ----------------------------------------


def test_the_escalation_list_is_every_holders_scoped(client, staff, agency):
    late = new_case("陳情違建未拆", received_on=dt.date(2025, 3, 3))
    services.route_case(late, agency("都發局"), by=staff["router"], on=MONDAY)
    html = page_of(client, staff["router"], "/cases/overdue/")
    assert late.number in html and "都發局" in html and "個工作天" in html
    assert roc.format_date(dt.date(2025, 3, 11)) in html
    assert "檢視範圍：人民陳情" in html
    # The agency holding the part sees it; another agency's list does not.
    html = page_of(client, staff["udd"], "/cases/overdue/")
    assert late.number in html and "檢視範圍：都發局受分辦的案件" in html
    html = page_of(client, staff["police"], "/cases/overdue/")
    assert late.number not in html and "目前沒有逾期的分辦" in html


def test_attachments_download_only_for_those_who_see_the_case(
    client, staff, agency, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = new_case(attachments=[SimpleUploadedFile("現場照片.pdf", b"%PDF-1.4 test")])
    services.route_case(case, agency("都發局"), by=staff["router"])
    item = case.attachments.get()
    link = reverse("cases:attachment", args=[case.number, item.pk])
    assert link in page_of(client, staff["udd"], url(case))
    response = client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(staff["police"])
    assert client.get(link).status_code == 404


def test_a_reply_carries_files_seen_only_with_its_part(client, staff, shared, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff["udd"])
    draft = reverse("cases:step", args=[shared["case"].number, "draft", shared["lead"].pk])
    refused = client.post(
        draft,
        {"reply_text": "資料如附。", "attachments": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert refused.status_code == 400 and "x.exe" in refused.content.decode()
    assert not shared["lead"].reply_attachments.exists()
    table = SimpleUploadedFile("號誌統計.csv", "路口,數量\n忠孝東路,3\n".encode())
    response = client.post(draft, {"reply_text": "資料如附。", "attachments": table})
    assert response.status_code == 302
    item = shared["lead"].reply_attachments.get()
    link = reverse("cases:attachment", args=[shared["case"].number, item.pk])
    assert link in page_of(client, staff["udd"], url(shared["case"]))
    assert client.get(link).status_code == 200
    client.force_login(staff["police"])  # the co-agency does not see the lead's reply
    assert link not in client.get(url(shared["case"])).content.decode()
    assert client.get(link).status_code == 404


def test_dashboard_lists_my_cases_with_deadlines(client, staff, shared):
    services.assign_officer(shared["lead"], staff["udd"], by=staff["udd_boss"])
    html = page_of(client, staff["udd"], "/")
    assert "我的案件" in html
    mine = html.index(shared["case"].number)
    assert mine < html.index(shared["own"].number)  # the officer's own part first
    assert "由您承辦" in html and roc.format_date(shared["lead"].due_on) in html
    router = page_of(client, staff["router"], "/")
    # What waits for a router is in the work queues, one click from the list.
    assert "待分辦・人民陳情" in router and "/cases/?status=pending&amp;kind=petition" in router


def test_search_finds_cases_the_person_may_see(client, staff, shared):
    html = page_of(client, staff["udd"], "/search/", q="公園樹木")
    assert shared["own"].number in html
    html = page_of(client, staff["police"], "/search/", q="公園樹木")
    assert shared["own"].number not in html
    assert shared["case"].number in page_of(
        client, staff["police"], "/search/", q=shared["case"].number
    )


def test_the_navigation_marks_分辦列管_on_a_case_page(client, staff, shared):
    for path in (reverse("cases:list"), url(shared["case"]), reverse("cases:overdue")):
        html = page_of(client, staff["router"], path)
        assert '<a href="/cases/" aria-current="page">分辦列管</a>' in html, path
    html = page_of(client, staff["router"], reverse("core:calendar"))
    assert 'aria-current="page">分辦列管' not in html
