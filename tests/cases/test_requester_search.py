"""The requester search (陳情人查詢): cases by their requester's name or phone, for roles that
may see requesters only; every search is audited like a view of personal data, with the query
masked and as a keyed digest, never in clear; the page and the API refuse everyone else."""

from __future__ import annotations

import json

import pytest

from secretariat.cases import services
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def new_case(subject, name, phone=""):
    return services.open_case(
        kind="petition",
        subject=subject,
        body=f"{subject}。",
        channel="letter",
        requester={"name": name, "phone": phone},
        by=None,
    )


@pytest.fixture
def cases(staff, agency):
    """王小明's two petitions (one held by 都發局), 李大華's one (held by 警察局)."""
    first = new_case("陳情路燈不亮", "王小明", "0912-345-678")
    second = new_case("陳情人行道破損", "王小明", "(02) 2720-8889")
    other = new_case("陳情噪音", "李大華", "0987654321")
    services.route_case(first, agency("都發局"), by=staff["router"])
    services.route_case(other, agency("警察局"), by=staff["router"])
    return {"first": first, "second": second, "other": other}


def numbers(found) -> set[str]:
    return {case.number for case in found}


def test_routers_find_every_case_of_their_kinds_by_name_or_phone(staff, cases):
    router = staff["router"]
    assert numbers(services.search_requesters("王小明", by=router)) == {
        cases["first"].number,
        cases["second"].number,
    }
    assert numbers(services.search_requesters("0912345678", by=router)) == {cases["first"].number}
    assert numbers(services.search_requesters("02-27208889", by=router)) == {cases["second"].number}
    assert services.search_requesters("張三豐", by=router) == []


def test_an_agency_finds_only_the_cases_it_holds(staff, cases):
    assert numbers(services.search_requesters("王小明", by=staff["udd"])) == {cases["first"].number}
    assert services.search_requesters("李大華", by=staff["udd_boss"]) == []
    assert numbers(services.search_requesters("李大華", by=staff["police"])) == {
        cases["other"].number
    }


def test_every_search_is_audited_with_the_query_masked(staff, cases):
    services.search_requesters("王小明", by=staff["udd"])
    services.search_requesters("0912-345-678", by=staff["router"])
    by_name, by_phone = AuditEntry.objects.filter(action="search_requester").order_by("seq")
    assert by_name.actor_id == staff["udd"].pk and by_name.agency_id == staff["udd"].agency_id
    assert by_name.object_type == "cases.requester"
    assert by_name.changes == {
        "by": "name",
        "query": "王○明",
        "digest": services.requester_query_digest("王小明"),
        "found": [cases["first"].number],
    }
    assert by_phone.changes["query"] == "0912***678" and by_phone.changes["by"] == "phone"
    assert by_phone.changes["digest"] == services.requester_query_digest("0912345678")
    stored = json.dumps([by_name.changes, by_phone.changes], ensure_ascii=False)
    assert "王小明" not in stored and "0912345678" not in stored and "345-678" not in stored


def test_roles_that_may_not_see_requesters_are_refused_and_nothing_is_recorded(
    staff, cases, make_person
):
    liaison = make_person("udd-liaison", "都發局", "council_liaison")
    for person in (staff["udd_rdec"], liaison):
        assert not services.may_search_requesters(person)
        with pytest.raises(PermissionDenied):
            services.search_requesters("王小明", by=person)
    assert not AuditEntry.objects.filter(action="search_requester").exists()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "請填寫陳情人姓名或電話。"),
        ("王", "姓名請至少輸入 2 個字。"),
        ("0912", "電話請至少輸入 8 位數字。"),
        ("王\x00明", "陳情人姓名或電話含有不允許的控制字元。"),
        ("王" * 61, "陳情人姓名或電話不可超過 60 字（目前 61 字）。"),
    ],
)
def test_a_bad_query_is_refused_and_not_recorded(staff, query, message):
    with pytest.raises(DomainError) as refused:
        services.search_requesters(query, by=staff["router"])
    assert refused.value.fields == {"requester": [message]}
    assert not AuditEntry.objects.filter(action="search_requester").exists()


# --- The page and the API ----------------------------------------------------------------------


def test_the_page_searches_by_post_and_shows_requesters_masked(client, staff, cases):
    client.force_login(staff["udd"])
    form = client.get("/cases/requesters/")
    assert form.status_code == 200 and 'id="search-requester"' in form.content.decode()
    found = client.post("/cases/requesters/", {"requester": "王小明"})
    html = found.content.decode()
    assert found.status_code == 200
    assert cases["first"].number in html and cases["second"].number not in html
    assert "王○明" in html and "王小明" not in html.split('id="found-heading"')[1]
    assert AuditEntry.objects.filter(action="search_requester").count() == 1
    refused = client.post("/cases/requesters/", {"requester": "王"})
    assert refused.status_code == 400 and "姓名請至少輸入 2 個字。" in refused.content.decode()


def test_the_page_is_refused_to_roles_that_may_not_see_requesters(client, staff, cases):
    client.force_login(staff["udd_rdec"])
    assert client.get("/cases/requesters/").status_code == 403
    assert client.post("/cases/requesters/", {"requester": "王小明"}).status_code == 403
    listing = client.get("/cases/").content.decode()
    assert "/cases/requesters/" not in listing
    client.force_login(staff["udd"])
    assert "/cases/requesters/" in client.get("/cases/").content.decode()
    assert not AuditEntry.objects.filter(action="search_requester").exists()


def test_the_api_searches_and_refuses_alike(client, staff, cases):
    client.force_login(staff["router"])
    url = "/api/v1/cases/requester-search"
    answer = client.post(url, {"query": "王小明"}, content_type="application/json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    assert {item["number"] for item in body["items"]} == {
        cases["first"].number,
        cases["second"].number,
    }
    assert "王小明" not in json.dumps(body, ensure_ascii=False)
    too_short = client.post(url, {"query": "王"}, content_type="application/json")
    assert too_short.status_code == 400 and too_short.json()["fields"] == {
        "requester": ["姓名請至少輸入 2 個字。"]
    }
    client.force_login(staff["udd_rdec"])
    refused = client.post(url, {"query": "王小明"}, content_type="application/json")
    assert refused.status_code == 403
    assert AuditEntry.objects.filter(action="search_requester").count() == 1
