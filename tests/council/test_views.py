"""The council pages: events and questions, data requests with disputes, service cases with
grades; zh-Hant errors beside the fields, nothing half-saved; each agency sees its own."""

import datetime as dt

import pytest
from django.urls import reverse

from secretariat.cases import services as case_services
from secretariat.cases.models import Case
from secretariat.council import services
from secretariat.council.models import (
    DataRequest,
    Dispute,
    EventKind,
    QuestionEvent,
    ServiceCase,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(council_session, staff):
    return services.create_event(
        session=council_session,
        kind=EventKind.GENERAL,
        title="市政總質詢",
        start_on=dt.date(2025, 4, 14),
        end_on=dt.date(2025, 4, 24),
        sittings=9,
        by=staff["desk"],
    )


def page(client, user, path, status=200):
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == status
    return response.content.decode()


def test_council_staff_create_an_event(client, staff, council_session):
    client.force_login(staff["desk"])
    form = {
        "session": council_session.pk,
        "kind": EventKind.POLICY_REPORT,
        "title": "市長施政報告",
        "start_on": "114/03/11",
        "end_on": "114/03/10",
        "sittings": 2,
    }
    response = client.post(reverse("council:events"), form)
    assert response.status_code == 400 and "迄日不可早於起日" in response.content.decode()
    assert not QuestionEvent.objects.exists()
    response = client.post(reverse("council:events"), form | {"end_on": "114/03/12"})
    event = QuestionEvent.objects.get()
    assert response.url == reverse("council:event", args=[event.pk])
    html = page(client, staff["desk"], reverse("council:events"))
    assert "市長施政報告" in html and "2天" in html


def test_record_a_question_on_the_event_page(client, staff, councillors, event):
    url = reverse("council:event", args=[event.pk])
    client.force_login(staff["desk"])
    form = {"asked_on": "114/04/15", "subject": "社會住宅", "text": "請說明。"}
    response = client.post(url, form)
    assert response.status_code == 400 and "請選擇質詢議員。" in response.content.decode()
    assert not Case.objects.exists()
    joint = {"councillor": councillors["陳議員"].pk, "joint": [councillors["林議員"].pk]}
    assert client.post(url, form | joint).status_code == 302
    html = page(client, staff["desk"], url)
    number = Case.objects.get().number
    assert number in html and "陳議員、林議員" in html
    assert "尚有 1 題未完成書面答復" in html and "尚未分辦" in html
    case_page = page(client, staff["desk"], reverse("cases:detail", args=[number]))
    assert f'<a href="{url}">市政總質詢</a>' in case_page and "第1題" in case_page


def test_agencies_read_events_but_do_not_record(client, staff, councillors, event):
    url = reverse("council:event", args=[event.pk])
    html = page(client, staff["udd_liaison"], url)
    assert "記錄質詢題目" not in html and "下載彙編" not in html
    assert client.post(url, {"subject": "x"}).status_code == 403
    assert client.post(reverse("council:events"), {}).status_code == 403


def test_an_agency_lists_only_its_own_questions(client, staff, councillors, event, agency):
    for subject, lead in (("社宅興建", "都發局"), ("違規停車", "警察局")):
        question = services.record_question(
            event=event,
            councillors=[councillors["林議員"]],
            asked_on=dt.date(2025, 4, 14),
            subject=subject,
            text="請說明。",
            by=staff["desk"],
        )
        case_services.route_case(question.case, agency(lead), by=staff["desk"])
    html = page(client, staff["udd_liaison"], reverse("council:event", args=[event.pk]))
    assert "社宅興建" in html and "違規停車" not in html


def test_register_a_data_request_and_settle_a_dispute(client, staff, councillors, agency):
    client.force_login(staff["desk"])
    form = {
        "councillor": councillors["林議員"].pk,
        "subject": "社宅戶數",
        "text": "請提供各區社宅戶數。",
        "urgency": "urgent",
        "received_on": "114/03/03",
        "custom_due_on": "114/03/20",
    }
    response = client.post(reverse("council:requests"), form)
    assert response.status_code == 400
    assert "指定期限須短於速件期限" in response.content.decode()
    assert not DataRequest.objects.exists()
    response = client.post(reverse("council:requests"), form | {"custom_due_on": ""})
    data = DataRequest.objects.get()
    assert response.url == data.case.get_absolute_url()
    (part,) = case_services.route_case(
        data.case, agency("警察局"), by=staff["desk"], on=dt.date(2025, 3, 3)
    )
    url = reverse("council:request", args=[data.case.number])

    client.force_login(staff["police_liaison"])
    assert "提出爭議" in client.get(url).content.decode()
    response = client.post(url, {"raise": part.pk, "kind": "ownership", "reason": ""})
    assert response.status_code == 400 and "請說明爭議理由。" in response.content.decode()
    client.post(url, {"raise": part.pk, "kind": "ownership", "reason": "屬都發局權管。"})
    dispute = Dispute.objects.get()
    assert client.post(url, {"decide": dispute.pk, "outcome": "keep"}).status_code == 403

    client.force_login(staff["desk"])
    response = client.post(url, {"decide": dispute.pk, "outcome": "reroute", "decision_note": "x"})
    assert response.status_code == 400 and "請選擇機關" in response.content.decode()
    udd = agency("都發局").pk
    response = client.post(
        url,
        {
            "decide": dispute.pk,
            "outcome": "reroute",
            "decision_note": "屬都發局。",
            "new_agency": udd,
        },
    )
    assert response.status_code == 302
    html = page(client, staff["desk"], url)
    assert "改由其他機關辦理" in html and "都發局" in html
    # The police no longer see the request; 都發局 does.
    assert client.get(url).status_code == 200
    client.force_login(staff["police_liaison"])
    assert client.get(url).status_code == 404
    assert data.case.number not in page(
        client, staff["police_liaison"], reverse("council:requests")
    )
    assert data.case.number in page(client, staff["udd_liaison"], reverse("council:requests"))


def test_service_case_registered_and_graded(client, staff, councillors, agency):
    client.force_login(staff["desk"])
    form = {
        "councillor": councillors["陳議員"].pk,
        "subject": "路燈不亮",
        "text": "選民反映路燈不亮。",
        "received_on": "114/03/03",
        "name": "張小姐",
        "phone": "",
    }
    response = client.post(reverse("council:service"), form)
    service = ServiceCase.objects.get()
    assert response.url == service.case.get_absolute_url()
    (part,) = case_services.route_case(service.case, agency("都發局"), by=staff["desk"])
    grade_url = reverse("council:service_grade", args=[service.case.number])
    response = client.post(grade_url, {"grade": "A"}, follow=True)
    assert "各機關回復後才能評定等級" in response.content.decode()
    case_services.draft_reply(part, "已修復。", by=staff["udd"])
    case_services.approve_reply(part, by=staff["udd_boss"])
    html = client.post(grade_url, {"grade": "A"}, follow=True).content.decode()
    assert "已評定等級並結案" in html
    service.refresh_from_db()
    assert service.grade == "A"
    client.force_login(staff["udd"])
    assert client.post(grade_url, {"grade": "A"}).status_code == 403


def test_councillor_list(client, staff, councillors):
    html = page(client, staff["udd"], reverse("council:councillors"))
    assert "林議員" in html and "甲黨團" in html and "第一選舉區" in html
