"""The bad-input corpus (issue 15): control characters, NUL, formulas, oversize values and
wrong types sent to every importer and every public form and endpoint — the web petition
form, Open311 POST, the petitions API, the status lookup and the survey. Each must answer
with a clear zh-Hant error naming the field (a 4xx; a problem naming row and column for an
import) and save nothing."""

from __future__ import annotations

import base64
import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from secretariat.cases.models import BODY_MAX_LENGTH, Case, CaseAttachment, Requester
from secretariat.core import importing
from secretariat.core.models import RateLimitEvent
from secretariat.petitions.models import Petition
from tests.core.test_api import bearer
from tests.petitions.conftest import flow, media_root, people, submit  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
CONTROL = "含有不允許的控制字元"
# Characters nobody means to type, each of a different kind: NUL, a bell, an escape sequence
# (terminal injection), DEL, a C1 control, a non-character (illegal in XML).
CONTROLS = {
    "nul": "\x00",
    "bell": "\x07",
    "escape": "\x1b[2J",
    "delete": "\x7f",
    "c1": "\x85",
    "non-character": "\uffff",
}
FORMULAS = ('=HYPERLINK("http://evil.example","點我")', "+1+1", "-1+2", "@SUM(A1:A9)")


def nothing_saved() -> None:
    assert not Case.objects.exists()
    assert not Petition.objects.exists()
    assert not Requester.objects.exists()
    assert not CaseAttachment.objects.exists()


def zh(message: str) -> str:
    assert CJK.search(message), message
    return message


# --- The web petition form ---------------------------------------------------------------------

WEB_FORM = {
    "category": "roads",
    "subject": "松仁路人行道破損",
    "body": "信義區松仁路100號前人行道地磚破損翹起，請儘速修復。",
    "address_string": "臺北市信義區松仁路100號",
    "name": "王小明",
    "email": "xiaoming@example.test",
    "phone": "0912-345-678",
    "address": "臺北市信義區市府路1號",
    "consent": "on",
}
# field → (its label in messages, the longest value accepted)
WEB_FIELDS = {
    "subject": ("主旨", 200),
    "body": ("陳情內容", BODY_MAX_LENGTH),
    "address_string": ("問題發生地點", 200),
    "name": ("姓名", 60),
    "email": ("電子郵件", 254),
    "phone": ("電話", 40),
    "address": ("通訊地址", 200),
}


def post_web(client, **changes):
    return client.post("/petitions/submit/", {**WEB_FORM, **changes})


def web_errors(response, field: str) -> list[str]:
    assert response.status_code == 400
    return [zh(message) for message in response.context["form"].errors.get(field, [])]


@pytest.mark.parametrize("field", WEB_FIELDS)
@pytest.mark.parametrize("control", CONTROLS)
def test_web_form_refuses_control_characters(client, registry, field, control):
    response = post_web(client, **{field: f"前{CONTROLS[control]}後"})
    label = WEB_FIELDS[field][0]
    assert f"{label}{CONTROL}。" in web_errors(response, field)
    nothing_saved()


@pytest.mark.parametrize("field", [f for f in WEB_FIELDS if f != "body"])
@pytest.mark.parametrize("character", ["\n", "\t", "\r"])
def test_web_form_refuses_line_breaks_in_single_line_fields(client, registry, field, character):
    response = post_web(client, **{field: f"前{character}後"})
    assert web_errors(response, field)
    nothing_saved()


def test_web_form_accepts_line_breaks_in_the_text(client, registry):
    response = post_web(client, body="第一段。\r\n第二段：\t請修復。")
    assert response.status_code == 302
    assert Case.objects.get().body == "第一段。\n第二段：\t請修復。"


@pytest.mark.parametrize("field", WEB_FIELDS)
def test_web_form_refuses_oversize_values(client, registry, field):
    longest = WEB_FIELDS[field][1]
    value = "a@b.tw" + "w" * (longest - 5) if field == "email" else "長" * (longest + 1)
    response = post_web(client, **{field: value})
    assert web_errors(response, field)
    nothing_saved()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("category", "no-such-category"),
        ("category", "<script>"),
        ("email", "not an address"),
        ("consent", ""),
    ],
)
def test_web_form_refuses_wrong_values(client, registry, field, value):
    response = post_web(client, **{field: value})
    assert web_errors(response, field)
    nothing_saved()


def test_web_form_refuses_a_file_whose_content_is_not_its_name(client, registry):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    response = post_web(client, attachments=upload)
    (message,) = web_errors(response, "attachments")
    assert message == "附件「invoice.pdf」的內容不是PDF，與副檔名不符。"
    nothing_saved()


@pytest.mark.parametrize("formula", FORMULAS)
def test_formulas_from_the_web_form_are_kept_as_text_and_exported_as_text(
    client, registry, make_person, formula
):
    assert post_web(client, subject=formula).status_code == 302
    client.force_login(make_person("sec-clerk", "秘書處", "registry_clerk"))
    rows = list(
        csv.reader(io.StringIO(client.get("/cases/export.csv").content.decode("utf-8-sig")))
    )
    assert rows[1][2] == "'" + formula


# --- Open311 POST ------------------------------------------------------------------------------

OPEN311 = {
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
OPEN311_TEXT = ("description", "first_name", "last_name", "email", "phone", "address_string")


def post_open311(client, fmt="json", **changes):
    return client.post(f"/open311/v2/requests.{fmt}", {**OPEN311, **changes})


def open311_errors(response) -> list[str]:
    assert response.status_code == 400, response.content
    return [zh(error["description"]) for error in response.json()]


@pytest.mark.parametrize("field", OPEN311_TEXT)
@pytest.mark.parametrize("control", CONTROLS)
def test_open311_refuses_control_characters(client, registry, field, control):
    errors = open311_errors(post_open311(client, **{field: f"前{CONTROLS[control]}後"}))
    assert any(CONTROL in error for error in errors), errors
    nothing_saved()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("description", "路" * (BODY_MAX_LENGTH + 1)),
        ("first_name", "明" * 61),
        ("phone", "0" * 41),
        ("email", "a@b.tw" + "w" * 250),
        ("address_string", "路" * 201),
        ("service_code", "roads" * 1000),
        ("lat", "2" * 5000),
    ],
)
def test_open311_refuses_oversize_values(client, registry, field, value):
    errors = open311_errors(post_open311(client, **{field: value}))
    assert errors and all(len(error) < 200 for error in errors)  # nothing echoed at length
    nothing_saved()


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("lat", "abc", "lat：緯度必須是數字。"),
        ("lat", "NaN", "lat：緯度必須介於 -90 與 90 之間。"),
        ("long", "Infinity", "long：經度必須介於 -180 與 180 之間。"),
        ("lat", "1e999", "lat：緯度必須介於 -90 與 90 之間。"),
        ("service_code", "", "service_code：請提供服務代碼。"),
        ("attribute[consent]", "yes", "attribute[consent]："),
        ("email", "not an address", "email：電子郵件格式不正確。"),
    ],
)
def test_open311_refuses_wrong_types(client, registry, field, value, expected):
    errors = open311_errors(post_open311(client, **{field: value}))
    assert any(error.startswith(expected) for error in errors), errors
    nothing_saved()


def test_open311_errors_in_xml_stay_well_formed(client, registry):
    import xml.etree.ElementTree as ET

    response = post_open311(client, "xml", service_code="x\x00\x1b", description="\x00")
    assert response.status_code == 400
    ET.fromstring(response.content)  # parses: no control character reached the document
    nothing_saved()


# --- The petitions API ---------------------------------------------------------------------------

API = {
    "subject": "捷運站出口無障礙坡道",
    "body": "市府站2號出口坡道過陡，輪椅不易通行。",
    "category": "transport",
    "requester": {"name": "陳小華", "email": "hua@example.test", "phone": "", "address": ""},
}


@pytest.fixture
def system(make_person):
    return bearer(make_person("hotline-1999", "研考會", is_system_account=True))


def post_api(client, auth, payload):
    return client.post("/api/v1/petitions", payload, content_type="application/json", **auth)


def api_errors(response, field: str) -> list[str]:
    """The zh-Hant messages of a refused request for ``field`` (schema errors name it under
    ``payload.``, the services' errors by itself)."""
    assert response.status_code in (400, 422), response.content
    body = response.json()
    zh(body["message"])
    messages = body["fields"].get(field) or body["fields"][f"payload.{field}"]
    return [zh(message) for message in messages]


API_TEXT = {
    "subject": ("主旨", 200),
    "body": ("陳情內容", BODY_MAX_LENGTH),
    "category": ("陳情類別", 40),
    "address_string": ("問題發生地點", 200),
    "requester.name": ("姓名", 60),
    "requester.email": ("電子郵件", 254),
    "requester.phone": ("電話", 40),
    "requester.address": ("地址", 200),
}


def with_value(field: str, value) -> dict:
    payload = {**API, "requester": dict(API["requester"])}
    if field.startswith("requester."):
        payload["requester"][field.split(".", 1)[1]] = value
    else:
        payload[field] = value
    return payload


@pytest.mark.parametrize("field", API_TEXT)
@pytest.mark.parametrize("control", CONTROLS)
def test_api_refuses_control_characters(client, system, field, control):
    response = post_api(client, system, with_value(field, f"前{CONTROLS[control]}後"))
    label = API_TEXT[field][0]
    assert api_errors(response, field) == [f"{label}{CONTROL}。"]
    nothing_saved()


def test_api_refuses_a_lone_surrogate(client, system):
    raw = '{"subject": "\\ud800", "body": "內容", "category": "transport"}'
    response = client.post("/api/v1/petitions", raw, content_type="application/json", **system)
    assert api_errors(response, "subject") == [f"主旨{CONTROL}。"]
    nothing_saved()


@pytest.mark.parametrize("field", API_TEXT)
def test_api_refuses_oversize_values(client, system, field):
    label, longest = API_TEXT[field]
    response = post_api(client, system, with_value(field, "長" * (longest + 1)))
    assert api_errors(response, field) == [
        f"{label}不可超過 {longest:,} 字（目前 {longest + 1:,} 字）。"
    ]
    nothing_saved()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", 123),
        ("body", ["內容"]),
        ("lat", "abc"),
        ("long", {"x": 1}),
        ("received_on", "2026-13-45"),
        ("requester", "王小明"),
        ("attachments", "ramp.png"),
    ],
)
def test_api_refuses_wrong_types(client, system, field, value):
    response = post_api(client, system, {**API, field: value})
    assert response.status_code == 422
    assert api_errors(response, field)
    nothing_saved()


def test_api_refuses_a_file_whose_content_is_not_its_name(client, system):
    attachment = {"name": "invoice.pdf", "content_base64": base64.b64encode(b"MZ\x90").decode()}
    response = post_api(client, system, {**API, "attachments": [attachment]})
    assert api_errors(response, "attachments") == [
        "附件「invoice.pdf」的內容不是PDF，與副檔名不符。"
    ]
    nothing_saved()


# --- The status lookup and the survey -----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        *(("number", f"陳115{c}000001") for c in CONTROLS.values()),
        *(("password", f"ABCD{c}2345") for c in CONTROLS.values()),
        ("number", "陳" * 31),
        ("password", "A" * 41),
    ],
)
def test_status_lookup_refuses_bad_input_without_counting_it(client, submit, field, value):  # noqa: F811
    receipt = submit()
    data = {"number": receipt.number, "password": receipt.password, field: value}
    response = client.post("/petitions/status/", data)
    assert response.status_code == 400
    assert [zh(m) for m in response.context["form"].errors[field]]
    assert not RateLimitEvent.objects.filter(scope__startswith="wrong").exists()
    assert "petition_access" not in client.session


@pytest.fixture
def closed(client, submit, flow):  # noqa: F811
    receipt = submit()
    lead, co = flow.route(receipt.petition.case)
    flow.reply(lead, "已處理。")
    flow.reply(co, "已處理。")
    flow.close(receipt.petition.case)
    opened = client.post(
        "/petitions/status/", {"number": receipt.number, "password": receipt.password}
    )
    assert opened.status_code == 302
    return receipt


@pytest.mark.parametrize(
    ("field", "value"),
    [
        *(("comment", f"很{c}好") for c in CONTROLS.values()),
        ("comment", "好" * 1001),
        ("rating", "9"),
        ("rating", "abc"),
        ("rating", "4\x00"),
    ],
)
def test_survey_refuses_bad_input(client, closed, field, value):
    data = {"rating": "4", "comment": "回復很快", field: value}
    response = client.post(f"/petitions/status/{closed.number}/survey/", data)
    assert response.status_code == 400
    assert [zh(m) for m in response.context["survey_form"].errors[field]]
    petition = Petition.objects.get()
    assert petition.surveyed_at is None and petition.survey_rating is None


# --- Every importer ------------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import"


def example(type_code: str) -> tuple[list[str], list[str]]:
    """The header and first data row of the type's example file (docs/import)."""
    text = (EXAMPLES / f"{type_code}.csv").read_text(encoding="utf-8-sig")
    header, row, *_ = csv.reader(io.StringIO(text))
    return header, row


def as_csv(header: list[str], row: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, row])
    return buffer.getvalue().encode()


def poisoned(type_code: str, column: str, value: str) -> bytes:
    header, row = example(type_code)
    row[header.index(column)] = value
    return as_csv(header, row)


IMPORT_COLUMNS = [
    (type_code, column.name)
    for type_code, importer in sorted(importing.IMPORTERS.items())
    for column in importer.columns
]
MULTILINE = {"內容"}


def problems_at(outcome, column: str) -> list[str]:
    assert not outcome.ok
    return [zh(p.message) for p in outcome.problems if (p.row, p.column) == (2, column)]


def prepare(type_code: str) -> None:
    """What an example row refers to and no import creates: the meeting series (set up in
    the app) and, for a directive, the meeting that gave it (imported first); the service
    desk's categories and nursing rooms, the consultations' associations and the volunteers'
    posts (set up in the app)."""
    if type_code in ("service-desk-log", "service-nursing-rooms"):
        from secretariat.service import services as service
        from secretariat.service.models import NursingRoom

        service.load_default_categories()
        if type_code == "service-nursing-rooms":
            NursingRoom.objects.get_or_create(name=example(type_code)[1][1])
        return
    if type_code in ("service-consultations", "service-volunteer-shifts"):
        from secretariat.service.models import Association, Post

        name = example(type_code)[1][1]  # the partner association's or the post's
        if type_code == "service-consultations":
            Association.objects.get_or_create(name=name, defaults={"profession": "architecture"})
        else:
            Post.objects.get_or_create(name=name)
        return
    if type_code not in ("meetings", "meeting-directives"):
        return
    from secretariat.core import services as core_services
    from secretariat.core.registry import agency_by_name
    from secretariat.meetings import selectors as meeting_selectors
    from secretariat.meetings import services as meetings

    if not meeting_selectors.series_list().exists():
        staff = core_services.create_person(
            by=None,
            username="sec-meetings",
            password=None,
            agency=agency_by_name("秘書處"),
            roles=["council_liaison"],
        )
        for code, name in (("city-council", "市政會議"), ("chief-secretaries", "主秘會報")):
            meetings.create_series(
                code=code,
                name=name,
                chair_title="市長",
                chair_agency=agency_by_name("市長室"),
                by=staff,
            )
    if type_code == "meeting-directives":
        assert importing.run_import("meetings", as_csv(*example("meetings"))).ok


def test_the_example_rows_import_cleanly(registry):
    for type_code in importing.IMPORTERS:
        prepare(type_code)
        header, row = example(type_code)
        assert importing.run_import(type_code, as_csv(header, row)).ok, type_code


@pytest.mark.parametrize(("type_code", "column"), IMPORT_COLUMNS)
@pytest.mark.parametrize("control", ["nul", "escape", "c1"])
def test_every_import_column_refuses_control_characters(registry, type_code, column, control):
    outcome = importing.run_import(
        type_code, poisoned(type_code, column, f"前{CONTROLS[control]}後")
    )
    assert "此欄含有不允許的控制字元。" in problems_at(outcome, column)
    nothing_saved()


@pytest.mark.parametrize(("type_code", "column"), IMPORT_COLUMNS)
def test_every_import_column_refuses_formulas(registry, type_code, column):
    outcome = importing.run_import(type_code, poisoned(type_code, column, "=1+1"))
    assert importing.FORMULA_MESSAGE in problems_at(outcome, column)
    nothing_saved()


@pytest.mark.parametrize(("type_code", "column"), IMPORT_COLUMNS)
def test_every_import_column_is_bounded(registry, type_code, column):
    limit = BODY_MAX_LENGTH if column in MULTILINE else importing.MAX_CELL_LENGTH
    outcome = importing.run_import(type_code, poisoned(type_code, column, "長" * (limit + 1)))
    assert problems_at(outcome, column)
    nothing_saved()


@pytest.mark.parametrize(("type_code", "column"), IMPORT_COLUMNS)
def test_line_breaks_only_in_the_text_column(registry, type_code, column):
    outcome = importing.run_import(type_code, poisoned(type_code, column, "第一行\n第二行"))
    if column in MULTILINE:
        assert outcome.ok or not problems_at(outcome, column)
    else:
        assert "此欄不可換行或含有定位字元（Tab）。" in problems_at(outcome, column)
        nothing_saved()


@pytest.mark.parametrize("type_code", sorted(importing.IMPORTERS))
def test_every_importer_refuses_xlsx_formula_cells(registry, type_code):
    header, row = example(type_code)
    # a text column: the subject or title where a type has one, else the agency (the document
    # history and the meeting tallies are counts), else the first
    column = next((c for c in header if c in ("主旨", "標題", "主題", "機關")), header[0])
    row[header.index(column)] = '=HYPERLINK("http://evil.example","點我")'
    workbook = Workbook()
    workbook.active.append(header)
    workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = importing.run_import(type_code, buffer.getvalue())
    assert importing.FORMULA_MESSAGE in problems_at(outcome, column)
    nothing_saved()


WRONG_TYPES = [
    ("petitions", "收件日期", "114/02/30"),
    ("petitions", "來源管道", "飛鴿傳書"),
    ("petitions", "陳情人電子郵件", "not an address"),
    ("council-questions", "質詢日期", "下週一"),
    ("council-questions", "天數場數", "九"),
    ("council-questions", "題序", "-1"),
    ("data-requests", "收件日期", "2025-02-30"),
    ("data-requests", "速別", "特急件"),
    ("service-cases", "收件日期", "明天"),
    ("service-cases", "處理等級", "Z"),
]


@pytest.mark.parametrize(("type_code", "column", "value"), WRONG_TYPES)
def test_importers_refuse_wrong_types(registry, type_code, column, value):
    outcome = importing.run_import(type_code, poisoned(type_code, column, value))
    assert problems_at(outcome, column)
    nothing_saved()


# --- Reads that take a case number ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/open311/v2/requests.json?service_request_id=%E9%99%B3115%00000001", 200),
        ("/open311/v2/requests/%E9%99%B3115%00000001.json", 404),
        ("/open311/v2/requests/%E9%99%B3115%1B000001.xml", 404),
        ("/open311/v2/requests.xml?service_code=%00", 400),
        ("/petitions/status/%E9%99%B3115%00000001/", 302),
    ],
)
def test_public_reads_with_control_characters_fail_cleanly(client, submit, url, status):  # noqa: F811
    """A number with a control character matches no case, and never reaches the database
    (PostgreSQL would refuse the NUL with an error)."""
    submit()
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        assert response.json() == []
    elif status != 302:
        zh(response.content.decode())


def test_api_read_with_a_control_character_is_not_found(client, system, submit):  # noqa: F811
    submit()
    response = client.get("/api/v1/petitions/%E9%99%B3115%00000001", **system)
    assert response.status_code == 404
    zh(response.json()["message"])
