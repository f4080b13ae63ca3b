"""Open311 GeoReport v2 at /open311/v2/: the petition categories as services, petitions as
service requests (JSON and XML), and anonymous or keyed POST of a new petition.

Only GeoReport v2 field names are used. ``service_request_id`` is the case number;
``description`` is the subject (主旨), never the petition text, and it and the place
(``address``, ``lat``, ``long``) are published only when the citizen agreed to publication
(公開同意, the ``publish`` attribute); requester identity is never output. Confidential cases
(密件) are not published. Errors follow the spec:
``[{"code": 400, "description": "..."}]`` (``<errors><error>`` in XML)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import xml.etree.ElementTree as ET

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from secretariat.cases import selectors as case_selectors
from secretariat.cases.selectors import OPEN_STATUSES, AssignmentRole, Channel
from secretariat.core import audit
from secretariat.core.errors import DomainError
from secretariat.core.middleware import client_ip
from secretariat.core.roc import TAIPEI
from secretariat.core.services import user_for_token
from secretariat.core.text import xml_safe
from secretariat.petitions import selectors, services
from secretariat.petitions.catalogue import (
    CATEGORIES,
    CATEGORY_BY_CODE,
    CONSENT_LABEL,
    PRIVACY_NOTICE,
    PUBLICATION_LABEL,
    PUBLICATION_NOTICE,
    Category,
)
from secretariat.petitions.selectors import ANSWERED_STATUSES
from secretariat.petitions.throttle import RateLimited

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
DEFAULT_DAYS = 90
MAX_RESULTS = 1000
# At most this many ids in one ``service_request_id`` list.
MAX_IDS = 100
# A value the client sent is repeated in an error message at most this long.
ECHO_LENGTH = 40
# An API key is an 8-character prefix, a dot and 43 characters; anything longer is not one.
API_KEY_LENGTH = 100
SUBJECT_LENGTH = 40
CONSENT_ATTRIBUTE = "consent"
CONSENT_AGREE = "agree"
# 公開同意: optional, apart from the 個資 consent; absent or "decline" publishes neither the
# subject nor the place.
PUBLISH_ATTRIBUTE = "publish"
PUBLISH_VALUES = {"agree": True, "decline": False}
# The element of each member of an XML list, by the list's tag.
XML_MEMBERS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
}
# Our field names (services' DomainError.fields) → the GeoReport field the client sent.
FIELD_NAMES = {
    "subject": "description",
    "body": "description",
    "name": "first_name／last_name",
    "email": "email",
    "phone": "phone",
    "address": "address_string",
    "address_string": "address_string",
    "lat": "lat",
    "long": "long",
    "category": "service_code",
    "consent": f"attribute[{CONSENT_ATTRIBUTE}]",
    "publish": f"attribute[{PUBLISH_ATTRIBUTE}]",
}


# --- Rendering ----------------------------------------------------------------------------------


def _append(parent: ET.Element, tag: str, value) -> None:
    element = ET.SubElement(parent, tag)
    _fill(element, value)


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _append(element, XML_MEMBERS[element.tag], item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        # Input is refused with control characters, but one stored value must never make
        # the whole list ill-formed for every reader (a NUL did, for 90 days).
        element.text = xml_safe(str(value))


def _xml(root: str, value) -> bytes:
    element = ET.Element(root)
    _fill(element, value)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
        element, encoding="utf-8", xml_declaration=False
    )


def _render(fmt: str, root: str, value, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        content = _xml(root, value)
    else:
        content = json.dumps(value, ensure_ascii=False).encode()
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt], status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    unique = list(dict.fromkeys(descriptions))
    return _render(
        fmt if fmt in CONTENT_TYPES else "json",
        "errors",
        [{"code": status, "description": d} for d in unique],
        status,
    )


def _unknown_format(fmt: str) -> HttpResponse:
    return _errors("json", 404, [f"不支援的格式「{fmt}」，請使用 .json 或 .xml。"])


# --- Services -----------------------------------------------------------------------------------


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(category.keywords),
        "group": category.group,
    }


def _definition(category: Category) -> dict:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": CONSENT_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": CONSENT_LABEL,
                "order": 1,
                "description": PRIVACY_NOTICE,
                "values": [{"key": CONSENT_AGREE, "name": "同意"}],
            },
            {
                "variable": True,
                "code": PUBLISH_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": PUBLICATION_LABEL,
                "order": 2,
                "description": PUBLICATION_NOTICE,
                "values": [
                    {"key": "agree", "name": "同意公開"},
                    {"key": "decline", "name": "不同意公開"},
                ],
            },
        ],
    }


def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        return _unknown_format(fmt)
    return _render(fmt, "services", [_service(c) for c in CATEGORIES])


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        return _unknown_format(fmt)
    category = CATEGORY_BY_CODE.get(code)
    if category is None:
        return _errors(fmt, 404, [f"查無服務代碼「{_echo(code)}」，請查閱 services.{fmt}。"])
    return _render(fmt, "service_definition", _definition(category))


# --- Service requests ---------------------------------------------------------------------------


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(TAIPEI).isoformat(timespec="seconds")


def _expected(deadline: case_selectors.Deadline | None) -> str | None:
    """The engine's expected reply as a moment: a deadline in hours as it is, a day at its
    last second in Taipei."""
    if deadline is None:
        return None
    if deadline.due_at is not None:
        return _iso(deadline.due_at)
    return dt.datetime.combine(deadline.due_on, dt.time(23, 59, 59), tzinfo=TAIPEI).isoformat()


def _reply_notice() -> str:
    return f"依規定於{selectors.reply_rule()}回復。"


def _status_notes(case) -> str:
    notes = f"目前狀態：{case.get_status_display()}。"
    answering = case_selectors.answering_case(case)
    if answering.pk != case.pk:
        notes += f"已併入 {answering.number} 辦理。"
    if answering.status in ANSWERED_STATUSES:
        notes += "回復內容請以案件編號及查詢密碼至陳情案件查詢網頁查看。"
    return notes


def _request(petition, notice: str) -> dict:
    case = petition.case
    parts = case.parts_in_force
    lead = next((part for part in parts if part.role == AssignmentRole.LEAD), None)
    # The subject and the place only with the citizen's consent to publish them (公開同意).
    public = petition.publishable
    return {
        "service_request_id": case.number,
        "status": "open" if case.status in OPEN_STATUSES else "closed",
        "status_notes": _status_notes(case),
        "service_name": petition.category_name,
        "service_code": petition.category,
        "description": case.subject if public else None,
        "agency_responsible": lead.agency.name if lead else None,
        "service_notice": notice,
        "requested_datetime": _iso(case.created_at),
        "updated_datetime": _iso(petition.case.updated_at),
        "expected_datetime": _expected(case_selectors.latest_deadline(parts)),
        "address": (petition.address_string or None) if public else None,
        "lat": float(petition.lat) if public and petition.lat is not None else None,
        "long": float(petition.long) if public and petition.long is not None else None,
        "media_url": None,
    }


def _moment(text: str, *, end: bool) -> dt.datetime | None:
    # An unencoded "+" of the offset arrives as a space.
    text = text.strip().replace(" ", "+")
    day = parse_date(text)  # a bare date means the whole day
    moment = (
        dt.datetime.combine(day, dt.time.max if end else dt.time.min)
        if day
        else parse_datetime(text)
    )
    if moment is None:
        raise ValueError(text)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=TAIPEI)
    return moment


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    ids = params.get("service_request_id", "").strip()
    if ids:
        numbers = [services.normalize_number(n) for n in ids.split(",") if n.strip()]
        if len(numbers) > MAX_IDS:
            return _errors(fmt, 400, [f"service_request_id：一次最多查詢 {MAX_IDS} 件。"])
        found = selectors.filter_open311(selectors.open311_requests(), numbers=numbers)
        return _render(fmt, "service_requests", [_request(p, _reply_notice()) for p in found])
    problems = []
    code = params.get("service_code", "").strip()
    if code and code not in CATEGORY_BY_CODE:
        problems.append(f"service_code：查無服務代碼「{_echo(code)}」。")
    status = params.get("status", "").strip().lower()
    if status and status not in ("open", "closed"):
        problems.append("status：只能是 open 或 closed。")
    bounds = {}
    for name in ("start_date", "end_date"):
        if params.get(name, "").strip():
            try:
                bounds[name] = _moment(params[name], end=name == "end_date")
            except ValueError:
                problems.append(
                    f"{name}：日期時間格式不正確，請用 ISO 8601（例如 2026-08-01T00:00:00+08:00）。"
                )
    if problems:
        return _errors(fmt, 400, problems)
    start, end = bounds.get("start_date"), bounds.get("end_date")
    if start is None and end is None:
        start = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
    found = selectors.filter_open311(
        selectors.open311_requests(),
        service_code=code or None,
        start=start,
        end=end,
        status=status or None,
    ).order_by("-case__created_at", "-id")[:MAX_RESULTS]
    notice = _reply_notice()
    return _render(fmt, "service_requests", [_request(p, notice) for p in found])


def _subject(description: str) -> str:
    line = next((ln.strip() for ln in description.splitlines() if ln.strip()), "")
    return line if len(line) <= SUBJECT_LENGTH else line[: SUBJECT_LENGTH - 1] + "…"


def _name(first: str, last: str) -> str:
    first, last = first.strip(), last.strip()
    if any(ord(ch) > 0x2E80 for ch in first + last):
        return last + first  # 王 + 小明
    return f"{first} {last}".strip()


def _echo(value: str) -> str:
    """A value the client sent, as an error message may repeat it: short and printable."""
    value = xml_safe(value).replace("\ufffd", "")
    return value if len(value) <= ECHO_LENGTH else value[: ECHO_LENGTH - 1] + "…"


def _field_problems(error: DomainError) -> list[str]:
    if not error.fields:
        return [error.message]
    return [
        f"{FIELD_NAMES.get(field, field)}：{message}"
        for field, messages in error.fields.items()
        for message in messages
    ]


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    account = None
    if data.get("api_key", "").strip():
        key = data["api_key"].strip()
        account = user_for_token(key) if len(key) <= API_KEY_LENGTH else None
        if account is None:
            return _errors(fmt, 403, ["api_key 無效、已過期或已撤銷。"])
    code = data.get("service_code", "").strip()
    if not code:
        return _errors(fmt, 400, ["service_code：請提供服務代碼。"])
    if code not in CATEGORY_BY_CODE:
        return _errors(
            fmt, 400, [f"service_code：查無服務代碼「{_echo(code)}」，請查閱 services.{fmt}。"]
        )
    answer = data.get(f"attribute[{PUBLISH_ATTRIBUTE}]", "").strip() or "decline"
    publish = PUBLISH_VALUES.get(answer)
    if publish is None:
        return _errors(fmt, 400, [f"attribute[{PUBLISH_ATTRIBUTE}]：只能是 agree 或 decline。"])
    description = data.get("description", "")
    fields = {
        "channel": Channel.OPEN311,
        "category": code,
        "subject": _subject(description),
        "body": description,
        "requester": {
            "name": _name(data.get("first_name", ""), data.get("last_name", "")),
            "email": data.get("email", ""),
            "phone": data.get("phone", ""),
        },
        "consent": data.get(f"attribute[{CONSENT_ATTRIBUTE}]", "").strip() == CONSENT_AGREE,
        "publish": publish,
        "address_string": data.get("address_string", ""),
        "lat": data.get("lat") or None,
        "long": data.get("long") or None,
        "client_ip": client_ip(request),
        "status_page_url": request.build_absolute_uri(services.status_url()),
    }
    try:
        keyed = (
            audit.acting_as(account, client_ip(request)) if account else contextlib.nullcontext()
        )
        with keyed:
            receipt = services.submit_petition(**fields, by=account)
    except RateLimited as error:
        return _errors(fmt, 429, [error.message])
    except DomainError as error:
        return _errors(fmt, error.status, _field_problems(error))
    notice = (
        f"已受理您的陳情，案件編號 {receipt.number}，查詢密碼 {receipt.password}"
        "（僅顯示這一次，請妥善保存）。"
        f"請至 {fields['status_page_url']} 以案件編號及查詢密碼查詢辦理情形；{_reply_notice()}"
    )
    return _render(
        fmt,
        "service_requests",
        [{"service_request_id": receipt.number, "service_notice": notice, "account_id": None}],
        status=201,
    )


@csrf_exempt
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        return _unknown_format(fmt)
    if request.method == "GET":
        return _list(request, fmt)
    if request.method == "POST":
        return _create(request, fmt)
    return _errors(fmt, 405, ["只接受 GET 或 POST。"])


def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        return _unknown_format(fmt)
    number = services.normalize_number(request_id)
    found = selectors.filter_open311(selectors.open311_requests(), numbers=[number]).first()
    if found is None:
        return _errors(fmt, 404, [f"查無案件編號「{_echo(number)}」，或該案不公開。"])
    return _render(fmt, "service_requests", [_request(found, _reply_notice())])
