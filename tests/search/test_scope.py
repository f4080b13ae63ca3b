"""The search finds, of cases, exactly what the person's case list shows — for every kind of
person (router, council liaison, administrator, agency officer, 研考, a unit's person, a
contractor's) — and says on the page which cases that is."""

from __future__ import annotations

import pytest
from django.utils import timezone

from secretariat.cases import selectors as case_selectors
from secretariat.cases import services
from secretariat.core import services as core_services
from secretariat.core.models import Unit
from secretariat.search import selectors
from secretariat.search.selectors import Filters

pytestmark = pytest.mark.django_db

WORD = "範圍測試"


def open_petition(subject: str):
    return services.open_case(
        kind="petition",
        subject=f"{WORD}{subject}",
        body=f"{WORD}：{subject}。",
        channel="letter",
        requester={"name": "王小明"},
        by=None,
    )


@pytest.fixture
def people(make_person, agency):
    secretariat = agency("秘書處")
    unit = Unit.objects.create(agency=secretariat, name="事務科")
    contractor = core_services.register_contractor(by=None, name="維護公司", agency=secretariat)
    return {
        "router": make_person("sec-clerk", "秘書處", "registry_clerk"),
        "council": make_person("sec-council", "秘書處", "council_liaison"),
        "admin": make_person("sec-admin", "秘書處", "secretariat_admin"),
        "udd": make_person("udd-officer", "都發局", "case_officer"),
        "rdec": make_person("udd-rdec", "都發局", "rdec_officer"),
        "police": make_person("police-officer", "警察局", "case_officer"),
        "unit": make_person("sec-unit", "秘書處", "case_officer", unit=unit),
        "contractor": make_person("contractor", None, contractor=contractor),
        "_unit": unit,
        "_contractor": contractor,
    }


@pytest.fixture
def cases(people, agency):
    router = people["router"]
    made = [open_petition(name) for name in ("甲", "乙", "丙", "丁", "戊", "己")]
    services.route_case(made[0], agency("都發局"), [agency("警察局")], by=router)
    services.route_case(made[1], agency("警察局"), by=router)
    services.route_case(made[2], people["_unit"], by=router)
    services.route_case(made[3], people["_contractor"], by=router)
    services.route_case(made[4], agency("秘書處"), by=router)
    return made  # made[5] waits to be routed


def listed(user) -> set[str]:
    now = timezone.now()
    if case_selectors.lists_cases(user):
        return {c.number for c in case_selectors.case_list_for(user, now, status="")}
    return {p.case.number for p in case_selectors.part_list_for(user, now, status="")}


def found(user) -> set[str]:
    results = selectors.search(user, WORD, Filters(), per_page=100)
    return {hit.document.title.split()[0] for hit in results.hits}


@pytest.mark.parametrize(
    "who", ["router", "council", "admin", "udd", "rdec", "police", "unit", "contractor"]
)
def test_the_search_finds_what_the_list_shows(people, cases, who):
    user = people[who]
    assert found(user) == listed(user)


def test_the_search_page_states_the_scope(client, people, cases):
    client.force_login(people["udd"])
    html = client.get("/search/", {"q": WORD}).content.decode()
    assert "檢視範圍：案件——都發局受分辦的案件（僅本機關的分辦）" in html
    client.force_login(people["unit"])
    html = client.get("/search/", {"q": WORD}).content.decode()
    assert "秘書處（事務科及機關本身）受分辦的案件" in html


def test_the_scopes_differ_as_they_should(people, cases):
    sizes = {who: len(found(people[who])) for who in ("router", "udd", "police", "contractor")}
    assert sizes == {"router": 6, "udd": 1, "police": 2, "contractor": 1}
