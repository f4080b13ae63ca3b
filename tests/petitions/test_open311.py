"""Open311 GeoReport v2 at /open311/v2/: only the spec's field names, JSON and XML, filters,
errors in the spec's shape, POST with consent, and no requester identity in any output."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from secretariat.cases.models import Case, Channel, Requester
from secretariat.core import services as core_services
from secretariat.core import workdays
from secretariat.petitions import services
from tests.petitions.conftest import REQUESTER

pytestmark = pytest.mark.django_db

SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "lat",
    "long",
    "media_url",
}
POST = {
    "service_code": "roads",
    "description": "信義路四段路燈不亮\n已經一週，夜間行人很危險。",
    "first_name": "小明",
    "last_name": "王",
    "email": "xiaoming@example.test",
    "phone": "0912-345-678",
    "address_string": "臺北市大安區信義路四段1號",
    "lat": "25.033964",
    "long": "121.543872",
    "attribute[consent]": "agree",
}


def xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


def as_dict(element: ET.Element) -> dict:
    return {child.tag: child.text for child in element}


def test_services_json(client, registry):
    response = client.get("/open311/v2/services.json")
    assert (
        response.status_code == 200
        and response["Content-Type"] == "application/json; charset=utf-8"
    )
    services_ = response.json()
    assert all(set(s) == SERVICE_FIELDS for s in services_)
    general = next(s for s in services_ if s["service_code"] == "petition")
    assert general["service_name"] == "人民陳情（一般）"
    assert general["metadata"] is True and general["type"] == "realtime"


def test_services_xml(client, registry):
    root = xml(client.get("/open311/v2/services.xml"))
    assert root.tag == "services"
    first = as_dict(root.find("service"))
    assert set(first) == SERVICE_FIELDS and first["metadata"] == "true"


def test_service_definition_asks_for_consent(client, registry):
    definition = client.get("/open311/v2/services/roads.json").json()
    attribute, publish = definition["attributes"]
    assert definition["service_code"] == "roads"
    assert attribute["code"] == "consent" and attribute["required"] is True
    assert attribute["datatype"] == "singlevaluelist" and attribute["values"] == [
        {"key": "agree", "name": "同意"}
    ]
    assert "個人資料保護法" in attribute["description"]
    # 公開同意: a separate, optional attribute.
    assert publish["code"] == "publish" and publish["required"] is False
    assert [value["key"] for value in publish["values"]] == ["agree", "decline"]
    assert "陳情主旨及問題發生地點" in publish["description"]
    root = xml(client.get("/open311/v2/services/roads.xml"))
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key").text == "agree"
    missing = client.get("/open311/v2/services/nope.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


def post(client, fmt="json", **changes):
    data = {k: v for k, v in {**POST, **changes}.items() if v is not None}
    return client.post(f"/open311/v2/requests.{fmt}", data)


def test_anonymous_post_creates_a_petition(client, registry):
    response = post(client)
    assert response.status_code == 201
    [created] = response.json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert created["account_id"] is None
    case = Case.objects.get(number=created["service_request_id"])
    assert case.channel == Channel.OPEN311 and case.subject == "信義路四段路燈不亮"
    assert case.body == POST["description"]
    petition = case.petition
    assert str(petition.lat) == "25.033964" and str(petition.long) == "121.543872"
    assert petition.consented_at is not None and petition.category == "roads"
    assert not petition.publishable  # no 公開同意 asked for: nothing of it published
    assert Requester.objects.get(case=case).name == "王小明"
    notice = created["service_notice"]
    assert case.number in notice and "http://testserver/petitions/status/" in notice
    password = re.search(r"查詢密碼 ([A-Z0-9]{8})", notice)[1]
    assert services.open_for_citizen(case.number, password, client_ip="203.0.113.1") == petition


def test_post_with_consent_to_publish_publishes_the_subject_and_the_place(client, registry):
    number = post(client, **{"attribute[publish]": "agree"}).json()[0]["service_request_id"]
    assert Case.objects.get(number=number).petition.publication_consented_at is not None
    [published] = client.get(f"/open311/v2/requests/{number}.json").json()
    assert published["description"] == "信義路四段路燈不亮"
    assert published["address"] == POST["address_string"]
    assert (published["lat"], published["long"]) == (25.033964, 121.543872)
    # The petition text and the requester stay unpublished even so.
    assert "夜間行人很危險" not in str(published) and "王" not in published["description"]
    for answer in ("decline", ""):
        declined = post(client, **{"attribute[publish]": answer}).json()[0]["service_request_id"]
        [unpublished] = client.get(f"/open311/v2/requests/{declined}.json").json()
        assert unpublished["description"] is None and unpublished["address"] is None


def test_post_with_an_unknown_publication_answer_is_refused(client, registry):
    response = post(client, **{"attribute[publish]": "yes"})
    assert response.status_code == 400
    assert response.json() == [
        {"code": 400, "description": "attribute[publish]：只能是 agree 或 decline。"}
    ]
    assert not Case.objects.exists()


def test_post_xml_response(client, registry):
    root = xml(post(client, "xml"))
    assert root.tag == "service_requests"
    request = as_dict(root.find("request"))
    assert set(request) == {"service_request_id", "service_notice", "account_id"}
    assert request["account_id"] is None and request["service_request_id"].startswith("陳")


def test_post_without_consent_is_refused(client, registry):
    response = post(client, **{"attribute[consent]": None})
    assert response.status_code == 400
    assert response.json() == [
        {
            "code": 400,
            "description": "attribute[consent]：請勾選同意個人資料蒐集、處理及利用告知事項，才能送出陳情。",
        }
    ]
    assert not Case.objects.exists()


def test_post_errors_name_the_open311_fields(client, registry):
    response = post(client, description="", email="bad", lat="95")
    assert response.status_code == 400
    descriptions = [e["description"] for e in response.json()]
    assert descriptions == [
        "description：請填寫主旨。",
        "description：請填寫內容。",
        "email：電子郵件格式不正確。",
        "lat：緯度必須介於 -90 與 90 之間。",
    ]
    root = xml(post(client, "xml", first_name="", last_name=""))
    assert root.tag == "errors"
    error = as_dict(root.find("error"))
    assert error == {"code": "400", "description": "first_name／last_name：請填寫姓名。"}
    assert not Case.objects.exists()


def test_post_service_code_errors(client, registry):
    assert post(client, service_code=None).json() == [
        {"code": 400, "description": "service_code：請提供服務代碼。"}
    ]
    unknown = post(client, service_code="graffiti")
    assert unknown.status_code == 400 and "graffiti" in unknown.json()[0]["description"]


def test_api_key(client, make_person, settings):
    settings.PETITION_SUBMIT_LIMIT = (1, 3600)
    assert post(client, api_key="bogus.key").status_code == 403
    assert (
        post(client, api_key="bogus.key").json()[0]["description"]
        == "api_key 無效、已過期或已撤銷。"
    )
    partner = make_person("partner-app", "研考會", is_system_account=True)
    _, key = core_services.issue_api_token(partner, "Open311 夥伴", by=None)
    for _ in range(2):  # keyed clients are not held to the anonymous limit
        assert post(client, api_key=key).status_code == 201
    assert set(Case.objects.values_list("created_by", flat=True)) == {partner.pk}


@pytest.fixture
def requests(submit, flow):
    """Three petitions: one routed (都發局 leads), one answered, one confidential."""
    routed = submit(
        subject="社會住宅申請",
        category="urban-development",
        address_string="臺北市信義區松仁路100號",
        lat="25.04",
        long="121.56",
        publish=True,
    )
    flow.route(routed.petition.case, co=())
    answered = submit(
        subject="違規停車：王小明家門口",
        category="public-safety",
        address_string="臺北市大安區和平東路二段1號",
        lat="25.02",
        long="121.54",
    )
    [assignment] = flow.route(answered.petition.case, lead="警察局", co=())
    flow.reply(assignment, "已派員取締。")
    secret = submit(subject="密件陳情")
    Case.objects.filter(pk=secret.petition.case.pk).update(confidential=True)
    return {"routed": routed, "answered": answered, "secret": secret}


def test_get_requests_json_uses_only_georeport_fields(client, requests):
    listed = client.get("/open311/v2/requests.json").json()
    assert {r["service_request_id"] for r in listed} == {
        requests["routed"].number,
        requests["answered"].number,
    }
    assert all(set(r) == REQUEST_FIELDS for r in listed)
    routed = next(r for r in listed if r["service_request_id"] == requests["routed"].number)
    case = requests["routed"].petition.case
    lead = case.assignments.get()
    assert routed["status"] == "open" and routed["status_notes"] == "目前狀態：辦理中。"
    assert (
        routed["service_code"] == "urban-development"
        and routed["service_name"] == "都市計畫、建築與住宅"
    )
    assert routed["description"] == "社會住宅申請"
    assert routed["agency_responsible"] == "臺北市政府都市發展局"
    assert routed["expected_datetime"] == f"{lead.due_on.isoformat()}T23:59:59+08:00"
    assert routed["requested_datetime"].endswith("+08:00")
    assert dt.datetime.fromisoformat(routed["requested_datetime"]) == case.created_at.replace(
        microsecond=0
    )
    assert routed["lat"] == 25.04 and routed["long"] == 121.56 and routed["media_url"] is None
    assert routed["address"] == "臺北市信義區松仁路100號"
    assert routed["service_notice"] == "依規定於分辦後6個工作天內回復。"
    answered = next(r for r in listed if r["service_request_id"] == requests["answered"].number)
    assert answered["status"] == "closed" and "已回復" in answered["status_notes"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_without_consent_to_publish_neither_the_subject_nor_the_place_is_published(
    client, requests, fmt
):
    number = requests["answered"].number
    response = client.get(f"/open311/v2/requests.{fmt}")
    if fmt == "json":
        [answered] = [r for r in response.json() if r["service_request_id"] == number]
    else:
        rows = [as_dict(r) for r in xml(response).findall("request")]
        [answered] = [r for r in rows if r["service_request_id"] == number]
    assert answered["description"] is None
    assert answered["address"] is None and answered["lat"] is None and answered["long"] is None
    # What is always public still is.
    assert answered["agency_responsible"] == "臺北市政府警察局"
    assert answered["service_code"] == "public-safety"
    text = response.content.decode()
    assert "王小明家門口" not in text and "和平東路" not in text and "25.02" not in text
    [alone] = client.get(f"/open311/v2/requests/{number}.json").json()
    assert alone["description"] is None and alone["address"] is None


def test_the_expected_reply_is_the_latest_deadline_of_the_parts_in_force(
    client, submit, flow, people
):
    from secretariat.cases import services as case_services

    receipt = submit()
    lead, co = flow.route(receipt.petition.case)
    later = workdays.add_working_days(lead.due_on, 10)
    case_services.set_due_date(co, later, "協辦機關須會勘", by=people["router"])
    [listed] = client.get(f"/open311/v2/requests/{receipt.number}.json").json()
    assert listed["expected_datetime"] == f"{later.isoformat()}T23:59:59+08:00"
    assert listed["agency_responsible"] == "臺北市政府都市發展局"


def test_a_pending_request_has_no_agency_or_deadline_yet(client, submit):
    number = submit().number
    [pending] = client.get(f"/open311/v2/requests/{number}.json").json()
    assert pending["agency_responsible"] is None and pending["expected_datetime"] is None
    assert pending["address"] is None and pending["lat"] is None


def test_get_requests_xml(client, requests):
    root = xml(client.get("/open311/v2/requests.xml"))
    assert root.tag == "service_requests"
    rows = [as_dict(r) for r in root.findall("request")]
    assert len(rows) == 2 and all(set(r) == REQUEST_FIELDS for r in rows)
    answered = next(r for r in rows if r["service_request_id"] == requests["answered"].number)
    assert answered["agency_responsible"] == "臺北市政府警察局" and answered["media_url"] is None


def test_filters(client, requests):
    def ids(query):
        response = client.get(f"/open311/v2/requests.json?{query}")
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in response.json()}

    routed, answered = requests["routed"].number, requests["answered"].number
    assert ids(f"service_request_id={routed},{requests['secret'].number},陳115999999") == {routed}
    assert ids("service_code=public-safety") == {answered}
    assert ids("status=open") == {routed}
    assert ids("status=closed") == {answered}
    old = timezone.now() - dt.timedelta(days=120)
    Case.objects.filter(number=answered).update(created_at=old)
    assert ids("") == {routed}  # the last 90 days by default
    day = old.astimezone(timezone.get_current_timezone()).date()
    assert ids(f"start_date={day}T00:00:00%2B08:00&end_date={day}T23:59:59%2B08:00") == {answered}
    assert ids(f"start_date={day}T00:00:00+08:00&end_date={day}") == {answered}  # unencoded "+"
    assert ids(f"start_date={(day + dt.timedelta(days=1)).isoformat()}T00:00:00Z") == {routed}


def test_filter_errors(client, registry):
    response = client.get("/open311/v2/requests.json?status=pending&start_date=yesterday")
    assert response.status_code == 400
    [status, start] = [e["description"] for e in response.json()]
    assert status == "status：只能是 open 或 closed。" and start.startswith(
        "start_date：日期時間格式不正確"
    )
    assert client.get("/open311/v2/requests.json?service_code=x").status_code == 400


def test_get_one_request(client, requests):
    number = requests["routed"].number
    [one] = client.get(f"/open311/v2/requests/{number}.json").json()
    assert one["service_request_id"] == number and set(one) == REQUEST_FIELDS
    root = xml(client.get(f"/open311/v2/requests/{number}.xml"))
    assert root.find("request/service_request_id").text == number
    missing = client.get("/open311/v2/requests/陳115999999.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404
    secret = client.get(f"/open311/v2/requests/{requests['secret'].number}.json")
    assert secret.status_code == 404


def test_requester_identity_is_never_in_get_responses(client, requests):
    pages = [
        client.get("/open311/v2/requests.json").content.decode(),
        client.get("/open311/v2/requests.xml").content.decode(),
        client.get(f"/open311/v2/requests/{requests['routed'].number}.json").content.decode(),
    ]
    body = requests["routed"].petition.case.body
    for page in pages:
        for value in REQUESTER.values():
            assert value not in page
        assert body not in page  # the petition text stays private; description is the subject


def test_updated_datetime_follows_the_case(client, submit, flow):
    receipt = submit()
    Case.objects.update(updated_at=timezone.now() - dt.timedelta(days=1))
    before = client.get(f"/open311/v2/requests/{receipt.number}.json").json()[0]["updated_datetime"]
    flow.route(receipt.petition.case)
    after = client.get(f"/open311/v2/requests/{receipt.number}.json").json()[0]["updated_datetime"]
    assert after > before


def test_unknown_format(client, registry):
    response = client.get("/open311/v2/services.csv")
    assert response.status_code == 404
    assert response.json() == [
        {"code": 404, "description": "不支援的格式「csv」，請使用 .json 或 .xml。"}
    ]


# --- Control characters and lengths (issue 15, findings 2 and 6) ----------------------------


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("description", "路燈不亮\x00已一週", "description：內容含有不允許的控制字元。"),
        ("first_name", "小\x00明", "first_name／last_name：姓名含有不允許的控制字元。"),
        ("phone", "0912\x07345678", "phone：電話含有不允許的控制字元。"),
        ("address_string", "信義路\x1b[2J", "address_string：地點含有不允許的控制字元。"),
        ("phone", "0" * 100, "phone：電話不可超過 40 字（目前 100 字）。"),
        ("first_name", "明" * 200, "first_name／last_name：姓名不可超過 60 字（目前 201 字）。"),
        (
            "description",
            "路" * 10_001,
            "description：內容不可超過 10,000 字（目前 10,001 字）。",
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_refuses_control_characters_and_overlong_fields(
    client, registry, field, value, expected, fmt
):
    response = post(client, fmt, **{field: value})
    assert response.status_code == 400
    if fmt == "json":
        descriptions = [error["description"] for error in response.json()]
    else:
        descriptions = [error.findtext("description") for error in xml(response)]
    assert expected in descriptions
    assert not Case.objects.exists() and not Requester.objects.exists()


def test_a_stored_control_character_cannot_break_the_xml_list(client, submit):
    receipt = submit(subject="路燈不亮", publish=True)
    # As a petition accepted before input was checked: characters XML cannot carry in its
    # subject (SQLite kept even a NUL; PostgreSQL refuses NUL in text, so it is not used here).
    Case.objects.filter(pk=receipt.petition.case.pk).update(subject="路燈\x0b不亮\x1b")
    response = client.get("/open311/v2/requests.xml")
    [request] = xml(response)  # well-formed: the parser accepts it
    assert as_dict(request)["description"] == "路燈\ufffd不亮\ufffd"
    assert client.get("/open311/v2/requests.json").json()[0]["description"] == "路燈\x0b不亮\x1b"


def test_errors_repeat_a_sent_value_short_and_printable(client, registry):
    response = post(client, "xml", service_code="x\x00" + "y" * 5000)
    [error] = xml(response)
    assert (
        error.findtext("description")
        == f"service_code：查無服務代碼「x{'y' * 38}…」，請查閱 services.xml。"
    )
    too_many = ",".join(f"陳115{n:06d}" for n in range(101))
    response = client.get("/open311/v2/requests.json", {"service_request_id": too_many})
    assert response.status_code == 400
    assert response.json()[0]["description"] == "service_request_id：一次最多查詢 100 件。"
