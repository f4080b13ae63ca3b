"""Internal notes (內部註記): staff of the agencies involved add short notes to a case; each
note is seen by the agencies involved only (or by one of them), audited, bounded and free of
control characters — and never reaches the public status page, Open311 or the requester."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from secretariat.cases import selectors, services
from secretariat.cases.models import CaseNote
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def new_case(subject="陳情路口號誌故障"):
    return services.open_case(
        kind="petition",
        subject=subject,
        body=f"{subject}，請儘速處理。",
        channel="letter",
        requester={"name": "王小明", "email": "a@example.test"},
        by=None,
    )


@pytest.fixture
def routed(staff, agency):
    """A case held by 都發局 (lead) and 警察局 (co)."""
    case = new_case()
    services.route_case(case, agency("都發局"), [agency("警察局")], by=staff["router"])
    return case


def texts(user, case):
    return [note.text for note in selectors.notes_for(user, case)]


def test_a_note_is_seen_by_every_agency_involved(staff, routed):
    services.add_note(routed, "請警察局協助封閉路口。", by=staff["udd"])
    for person in ("udd", "udd2", "udd_boss", "police", "router"):
        assert texts(staff[person], routed) == ["請警察局協助封閉路口。"], person


def test_a_note_for_one_agency_is_seen_by_it_and_the_writer_only(staff, routed, agency):
    services.add_note(
        routed, "僅供警察局：夜間勤務安排。", by=staff["udd"], for_agency=agency("警察局")
    )
    assert texts(staff["police"], routed) == ["僅供警察局：夜間勤務安排。"]
    assert texts(staff["udd2"], routed) == ["僅供警察局：夜間勤務安排。"]  # the writer's agency
    assert texts(staff["router"], routed) == ["僅供警察局：夜間勤務安排。"]
    services.add_note(
        routed, "都發局內部：請先會勘。", by=staff["udd"], for_agency=agency("都發局")
    )
    assert "都發局內部：請先會勘。" not in texts(staff["police"], routed)
    assert "都發局內部：請先會勘。" in texts(staff["udd_boss"], routed)


def test_people_not_involved_neither_read_nor_write_notes(staff, routed, make_person):
    services.add_note(routed, "內部討論。", by=staff["router"])
    outsider = make_person("dot-officer", "交通局", "case_officer")
    assert texts(outsider, routed) == []
    with pytest.raises(PermissionDenied):
        services.add_note(routed, "我也想說。", by=outsider)


def test_an_agency_whose_part_was_moved_away_no_longer_reads_the_notes(staff, routed, agency):
    services.add_note(routed, "會勘紀錄。", by=staff["router"])
    co = routed.assignments.get(agency=agency("警察局"))
    services.reroute_part(co, agency("交通局"), "非警察局權責", by=staff["router"])
    assert texts(staff["police"], routed) == []


def test_a_note_may_be_kept_only_for_an_agency_involved(staff, routed, agency):
    with pytest.raises(DomainError) as refused:
        services.add_note(routed, "給交通局。", by=staff["udd"], for_agency=agency("交通局"))
    assert refused.value.fields == {"for_agency": ["交通局 不是本案的相關機關。"]}
    note = services.add_note(routed, "給秘書處。", by=staff["udd"], for_agency=agency("秘書處"))
    assert note.for_agency.short_name == "秘書處"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "請填寫註記內容。"),
        ("   ", "請填寫註記內容。"),
        ("含有\x00控制字元", "註記內容含有不允許的控制字元。"),
        ("逃脫\x1b[31m序列", "註記內容含有不允許的控制字元。"),
        ("長" * 1001, "註記內容不可超過 1,000 字（目前 1,001 字）。"),
    ],
)
def test_bad_notes_are_refused_and_nothing_is_kept(staff, routed, text, message):
    with pytest.raises(DomainError) as refused:
        services.add_note(routed, text, by=staff["udd"])
    assert refused.value.fields == {"text": [message]}
    assert not CaseNote.objects.exists()


def test_line_breaks_are_kept_and_a_note_is_audited(staff, routed):
    note = services.add_note(routed, "第一行\r\n第二行", by=staff["udd"])
    assert note.text == "第一行\n第二行"
    entry = AuditEntry.objects.get(object_type="cases.casenote", object_id=str(note.pk))
    assert entry.action == "case_note" and entry.actor_id == staff["udd"].pk
    assert entry.changes["text"] == [None, "第一行\n第二行"]
    assert entry.agency_id == staff["udd"].agency_id


def test_notes_never_reach_the_public(client, staff, agency, registry):
    from secretariat.petitions import services as petitions

    receipt = petitions.submit_petition(
        channel="web",
        subject="松仁路路燈不亮",
        body="信義區松仁路路燈整排不亮。",
        requester={"name": "王小明", "email": "xiaoming@example.test"},
        category="roads",
        consent=True,
        client_ip="203.0.113.9",
    )
    case = receipt.petition.case
    services.route_case(case, agency("都發局"), by=staff["router"])
    services.add_note(case, "內部註記機密字樣Ψ", by=staff["udd"])
    client.post("/petitions/status/", {"number": case.number, "password": receipt.password})
    status_page = client.get(f"/petitions/status/{case.number}/").content.decode()
    assert case.number in status_page and "內部註記機密字樣Ψ" not in status_page
    for path in ("/open311/v2/requests.json", f"/open311/v2/requests/{case.number}.json"):
        published = json.dumps(client.get(path).json(), ensure_ascii=False)
        assert case.number in published and "內部註記機密字樣Ψ" not in published
    client.force_login(staff["udd"])
    api = json.dumps(client.get(f"/api/v1/petitions/{case.number}").json(), ensure_ascii=False)
    assert case.number in api and "內部註記機密字樣Ψ" not in api
    search = client.get("/search/", {"q": "內部註記機密字樣"}).content.decode()
    assert case.number not in search


# --- On the case page --------------------------------------------------------------------------


def test_the_case_page_shows_the_notes_as_a_timeline_with_a_form(client, staff, routed, agency):
    services.add_note(routed, "已聯繫里長。", by=staff["udd"])
    services.add_note(routed, "警察局內部。", by=staff["police"], for_agency=agency("警察局"))
    client.force_login(staff["udd_boss"])
    html = client.get(routed.get_absolute_url()).content.decode()
    notes = html.split('id="notes-heading"')[1].split("</section>")[0]
    assert "已聯繫里長。" in notes and "黃承辦（都發局）" in notes
    assert "警察局內部。" not in html
    assert 'id="note-text"' in notes and "僅限 警察局" in notes  # the form and its choices


def test_a_note_added_on_the_page(client, staff, routed, agency):
    client.force_login(staff["police"])
    url = reverse("cases:step", args=[routed.number, "note"])
    response = client.post(url, {"text": "已派員", "for_agency": agency("都發局").pk})
    assert response.status_code == 302
    assert CaseNote.objects.get().for_agency == agency("都發局")
    refused = client.post(url, {"text": ""}, headers={"HX-Request": "true"})
    assert refused.status_code == 200 and "請填寫註記內容。" in refused.content.decode()
    assert 'aria-invalid="true"' in refused.content.decode()


def test_a_page_refuses_a_note_from_someone_not_involved(client, staff, routed, make_person):
    contractor_agency_person = make_person("dot-officer", "交通局", "case_officer")
    client.force_login(contractor_agency_person)
    url = reverse("cases:step", args=[routed.number, "note"])
    assert client.post(url, {"text": "看不到"}).status_code == 404
    assert not CaseNote.objects.exists()
