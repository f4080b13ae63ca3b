"""檔案應用、數位化、考評 pages and API: the public application, the archivist's decision and
extension, batches and their check, an inspection and its follow-up, the importer (whole file
checked first), and the API's scoping."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from secretariat.archives import use_reports
from secretariat.archives.models import (
    ApplicationStatus,
    DigitizationBatch,
    DigitizationProject,
    Inspection,
    Quality,
    UseApplication,
)
from secretariat.archives.services import use as services
from secretariat.core import importing
from secretariat.core.roc import Period
from tests.archives.test_use_services import filed

pytestmark = pytest.mark.django_db


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def item(agency):
    return filed(agency("秘書處"), "114-0101-001-001-000001")


def apply_form(agency, code, **extra):
    return {
        "agency": agency.pk,
        "name": "林小姐",
        "email": "lin@example.com",
        "purpose": "研究本府施政計畫",
        "file_code_1": code,
        "manner_1": "copy",
        "copies_1": "3",
        **extra,
    }


def test_citizen_applies_on_the_public_page(agency, item):
    client = Client()
    assert client.get(reverse("archives:use_apply")).status_code == 200
    response = client.post(reverse("archives:use_apply"), apply_form(agency("秘書處"), "999-0"))
    assert response.status_code == 400
    assert "查無檔號" in response.content.decode()
    assert not UseApplication.objects.exists()
    response = client.post(
        reverse("archives:use_apply"), apply_form(agency("秘書處"), item.file_code)
    )
    assert response.status_code == 200
    application = UseApplication.objects.get()
    assert application.number in response.content.decode()
    assert application.applicant is None
    assert application.requests.get().copies == 3


def test_the_public_page_refuses_control_characters(agency, item):
    response = Client().post(
        reverse("archives:use_apply"),
        apply_form(agency("秘書處"), item.file_code, purpose="研究\x00"),
    )
    assert response.status_code == 400
    assert not UseApplication.objects.exists()


def test_archivist_extends_then_decides_on_the_page(agency, people, item):
    application = services.apply_for_use(
        agency("秘書處"),
        name="林小姐",
        email="lin@example.com",
        purpose="研究",
        wanted=[services.Wanted(item.file_code, "copy", 10)],
        client_ip="198.51.100.1",
    )
    url = reverse("archives:use_application", args=[application.number])
    outsider = signed_in(people["udd_archivist"])
    assert outsider.get(url).status_code == 404
    client = signed_in(people["archivist"])
    assert "送出准駁" in client.get(url).content.decode()
    response = client.post(url, {"step": "extend", "days": "10", "reason": "會商業務單位"})
    assert response.status_code == 302
    request = application.requests.get()
    response = client.post(url, {"step": "decide", f"decision_{request.pk}": "refused"})
    assert response.status_code == 400
    assert "第18條" in response.content.decode()
    response = client.post(url, {"step": "decide", f"decision_{request.pk}": "approved"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECIDED
    assert application.extended_due and application.fee == 20
    assert signed_in(people["sec_officer"]).post(url, {"step": "decide"}).status_code in {403, 404}


def test_batch_recorded_and_checked_on_the_pages(agency, people):
    client = signed_in(people["udd_archivist"])
    response = client.post(
        reverse("archives:digitization"),
        {"year": "114", "title": "永久檔案數位化", "target_items": "1000"},
    )
    project = DigitizationProject.objects.get()
    assert response.status_code == 302
    url = reverse("archives:digitization_project", args=[project.pk])
    response = client.post(
        url,
        {"step": "batch", "scanned_on": "114/02/03", "items": "100", "pages": "1500", "note": ""},
    )
    assert response.status_code == 302
    batch = DigitizationBatch.objects.get()
    assert (
        client.post(url, {"step": "check", "batch": batch.pk, "result": "passed"}).status_code
        == 400
    )
    second = signed_in(people["udd_archivist2"])
    page = second.get(url).content.decode()
    assert f'id="check-{batch.pk}-result_0"' in page
    response = second.post(url, {"step": "check", "batch": batch.pk, "result": "passed"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.quality == Quality.PASSED
    assert "10.00%" in second.get(reverse("archives:digitization")).content.decode()
    assert signed_in(people["archivist"]).post(url, {"step": "batch"}).status_code == 403
    assert signed_in(people["sec_officer"]).get(url).status_code == 404


def test_inspection_recorded_and_follow_up_done(agency, people):
    client = signed_in(people["archivist"])
    response = client.post(
        reverse("archives:inspections"),
        {
            "agency": agency("都發局").pk,
            "kind": "field",
            "inspected_on": "114/05/06",
            "inspectors": "委員甲",
            "scores": "立案編目,40,35.5\n檔案保管,60,50",
            "follow_ups": "庫房溫濕度紀錄,114/08/31",
        },
    )
    assert response.status_code == 302, response.content.decode()
    inspection = Inspection.objects.get()
    response = client.post(
        reverse("archives:inspections"),
        {
            "agency": agency("都發局").pk,
            "kind": "field",
            "inspected_on": "114/05/06",
            "scores": "立案編目;40",
        },
    )
    assert response.status_code == 400 and "第1行" in response.content.decode()
    url = reverse("archives:inspection", args=[inspection.pk])
    follow_up = inspection.follow_ups.get()
    udd = signed_in(people["udd_archivist"])
    assert "85.5" in udd.get(url).content.decode()
    response = udd.post(url, {"follow_up": follow_up.pk, "note": "已建置紀錄表"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_on is not None
    assert (
        signed_in(people["udd_officer"]).post(url, {"follow_up": follow_up.pk}).status_code == 403
    )


def test_digitization_importer_checks_the_whole_file_then_is_idempotent(agency):
    header = "機關,年度,專案名稱,應數位化件數,完成日期,完成件數,影像頁數,說明\n"
    bad = (
        header
        + "都發局,113,數位化,1000,113/03/31,200,3000,\n"
        + "都發局,113,數位化,999,113/06/30,100,50,\n"
        + "不存在局,113,數位化,10,113/06/30,1,1,\n"
    ).encode()
    outcome = importing.run_import("archive-digitization", bad, by=None)
    assert not outcome.ok
    rows = {problem.row for problem in outcome.problems}
    assert rows == {3, 4}
    assert not DigitizationProject.objects.exists()
    good = (
        header
        + "都發局,113,數位化,1000,113/03/31,200,3000,\n"
        + "都發局,113,數位化,1000,113/06/30,100,1500,\n"
    ).encode()
    outcome = importing.run_import("archive-digitization", good, by=None)
    assert outcome.ok and outcome.created == 2
    outcome = importing.run_import("archive-digitization", good, by=None)
    assert outcome.created == 0 and outcome.unchanged == 2
    assert DigitizationBatch.objects.filter(quality=Quality.PASSED).count() == 2


def test_api_lists_scoped_applications_and_decides(agency, people, item):
    application = services.apply_for_use(
        agency("秘書處"),
        by=people["sec_officer"],
        name="承辦人",
        purpose="業務參考",
        wanted=[services.Wanted(item.file_code, "read")],
    )
    url = f"/api/v1/archives/use/applications/{application.number}"
    assert signed_in(people["udd_archivist"]).get(url).status_code == 404
    mine = signed_in(people["sec_officer"]).get("/api/v1/archives/use/applications").json()
    assert [a["number"] for a in mine] == [application.number]
    request = application.requests.get()
    response = signed_in(people["archivist"]).post(
        url + "/decision",
        json.dumps({"decisions": [{"request_id": request.pk, "decision": "refused"}]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    response = signed_in(people["archivist"]).post(
        url + "/decision",
        json.dumps({"decisions": [{"request_id": request.pk, "decision": "approved"}]}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "decided"
    response = signed_in(people["sec_officer"]).post(
        "/api/v1/archives/use/applications",
        json.dumps(
            {
                "agency": agency("秘書處").code,
                "name": "承辦人",
                "purpose": "再申請",
                "requests": [{"file_code": "999-0", "manner": "read"}],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400 and "查無檔號" in response.json()["fields"]["requests"][0]
    rates = signed_in(people["udd_officer"]).get("/api/v1/archives/use/digitization")
    assert rates.status_code == 200 and rates.json() == []


def test_the_issues_digitization_figures_from_imported_records(agency):
    """Issue 20: 「132萬8,759件 scanned, 73.13%」 — from the imported figures."""
    data = (
        "機關,年度,專案名稱,應數位化件數,完成日期,完成件數,影像頁數,說明\n"
        "秘書處,113,永久保存紙本檔案數位化,1817000,113/12/31,1000000,15000000,\n"
        "秘書處,113,永久保存紙本檔案數位化,1817000,114/03/31,328759,4900000,\n"
    ).encode()
    assert importing.run_import("archive-digitization", data, by=None).ok
    section = use_reports.digitization(Period.half(114, 1))
    assert "累計完成132萬8,759件" in section.paragraphs[0]
    assert "完成率73.13%" in section.paragraphs[0]
    assert "114年上半年完成掃描32萬8,759件" in section.paragraphs[0]
