"""Exchange between agencies on the platform and with the gateway: dispatch → delivered →
簽收 (a 收文 keeping every field) or 退文; uploaded packages; the log; the scope."""

from __future__ import annotations

import json
import zipfile

import pytest

from secretariat.core.errors import DomainError, NotFound, PermissionDenied
from secretariat.core.models import AuditEntry
from secretariat.documents import selectors as documents
from secretariat.documents.models import Document, DraftRole, SigningMode, Status
from secretariat.exchange import formats, selectors, services
from secretariat.exchange.models import EventKind, Exchange, Route, State
from tests.exchange.conftest import CIVIL_AFFAIRS_CODE, SECRETARIAT_CODE
from tests.exchange.flow import ATTACHMENT, dispatch_letter
from tests.exchange.letters import letter, member, rezip

pytestmark = pytest.mark.django_db
GOVERNMENT = "379000000A"


@pytest.fixture
def sent(office, codes, receiver_clerk, outbox, django_capture_on_commit_callbacks):
    return dispatch_letter(office, django_capture_on_commit_callbacks)


def test_dispatch_delivers_inside_and_writes_the_gateway_outbox(sent, outbox):
    document, exchanges = sent
    assert set(exchanges) == {CIVIL_AFFAIRS_CODE, GOVERNMENT}  # not the one by post
    inside, outside = exchanges[CIVIL_AFFAIRS_CODE], exchanges[GOVERNMENT]
    assert (inside.route, inside.state) == (Route.PLATFORM, State.DELIVERED)
    assert inside.recipient_agency.name.endswith("民政局")
    assert [e.kind for e in inside.events.all()] == [EventKind.SENT, EventKind.DELIVERED]
    assert (outside.route, outside.state) == (Route.GATEWAY, State.SENT)
    written = outbox / GOVERNMENT / outside.package_name
    assert written.exists() and outside.package_name == f"{SECRETARIAT_CODE}{document.number}.zip"
    names = zipfile.ZipFile(written).namelist()
    assert sorted(names) == sorted(
        [
            f"{SECRETARIAT_CODE}{document.number}.di",
            f"{SECRETARIAT_CODE}{document.number}.sw",
            f"{SECRETARIAT_CODE}{document.number}_ATTCH1.pdf",
        ]
    )
    assert AuditEntry.objects.filter(action="exchange:send").exists()


def test_round_trip_on_another_agency_keeps_every_field(sent, receiver_clerk):
    document, exchanges = sent
    exchange = services.sign_for(
        exchanges[CIVIL_AFFAIRS_CODE], by=receiver_clerk, signing_mode=SigningMode.PAPER
    )
    assert exchange.state == State.SIGNED
    received = exchange.received_document
    assert received.agency == receiver_clerk.agency
    assert received.status == Status.REGISTERED  # at the desk, ready for 分文
    assert received.origin == "electronic"
    assert received.sender_name == "臺北市政府秘書處"
    assert received.sender_code == SECRETARIAT_CODE
    assert received.sender_number == document.reference
    assert received.sender_date == document.dispatched_on
    assert (received.speed, received.secrecy, received.subject) == (
        document.speed,
        document.secrecy,
        "有關市政大樓節能改善一案，復請查照。",
    )
    sent_content = documents.versions_of(document, DraftRole.OUTGOING)[-1].content
    got_content = documents.versions_of(received, DraftRole.INCOMING)[-1].content
    assert json.loads(got_content)["sections"] == json.loads(sent_content)["sections"]
    files = list(received.attachments.all())
    assert [(f.name, f.size) for f in files] == [("節能改善計畫.pdf", len(ATTACHMENT))]
    kinds = [e.kind for e in exchange.events.all()]
    assert kinds[-2:] == [EventKind.RECEIVED, EventKind.SIGNED]
    # The sender sees 已簽收 in its log.
    log = selectors.document_log(document.officer, document)
    assert {e.recipient_code: e.state for e in log}[CIVIL_AFFAIRS_CODE] == State.SIGNED
    with pytest.raises(DomainError):
        services.sign_for(exchange, by=receiver_clerk, signing_mode=SigningMode.PAPER)


def test_refuse_with_reason(sent, receiver_clerk, office):
    _document, exchanges = sent
    exchange = exchanges[CIVIL_AFFAIRS_CODE]
    with pytest.raises(DomainError) as caught:
        services.refuse(exchange, by=receiver_clerk, reason="")
    assert caught.value.fields == {"reason": ["請填寫退文理由。"]}
    with pytest.raises(PermissionDenied):
        services.refuse(exchange, by=office.clerk, reason="非本機關")
    refused = services.refuse(exchange, by=receiver_clerk, reason="非本局業管，請改函工務局。")
    assert (refused.state, refused.reason) == (State.REFUSED, "非本局業管，請改函工務局。")
    assert refused.events.last().kind == EventKind.REFUSED
    assert Document.objects.filter(agency=receiver_clerk.agency).count() == 0


def test_scope_of_the_pages_and_api(sent, receiver_clerk, make_person, office):
    _document, exchanges = sent
    exchange = exchanges[CIVIL_AFFAIRS_CODE]
    stranger = make_person("udd-clerk", "都發局", "registry_clerk")
    assert not selectors.visible_exchanges(stranger).exists()
    with pytest.raises(NotFound):
        selectors.exchange_for(stranger, exchange.uid)
    assert selectors.exchange_for(receiver_clerk, exchange.uid) == exchange
    assert list(selectors.waiting(receiver_clerk)) == [exchange]
    assert set(selectors.outbox(office.clerk)) == set(exchanges.values())
    assert not selectors.inbox(office.clerk).exists()


def _package(**changes) -> bytes:
    changes.setdefault("recipients", letter().recipients)
    return formats.package_for(letter(**changes))[1]


def test_upload_from_outside_becomes_a_received_document(codes, receiver_clerk):
    exchange = services.import_package(
        _package(), by=receiver_clerk, name="來文.zip", signing_mode=SigningMode.PAPER
    )
    assert (exchange.route, exchange.state) == (Route.UPLOAD, State.SIGNED)
    received = exchange.received_document
    assert received.sender_number == "北市秘總字第1153000012號"
    assert received.speed == "urgent"
    assert exchange.sender_agency == codes["sender"]


@pytest.mark.parametrize(
    ("mangle", "needle"),
    [
        (lambda p: b"not a zip", "zip"),
        (lambda p: rezip(p, drop=(f"{SECRETARIAT_CODE}1153000012_ATTCH1.pdf",)), "ATTCH1"),
        (
            lambda p: rezip(
                p,
                replace={
                    member(p, ".di")[0]: member(p, ".di")[1].replace(
                        SECRETARIAT_CODE.encode(), b"399999999Z"
                    )
                },
            ),
            "399999999Z",
        ),
    ],
    ids=["not-zip", "missing-attachment", "unknown-code"],
)
def test_refused_upload_saves_nothing_but_the_log(codes, receiver_clerk, mangle, needle):
    before = Document.objects.count()
    with pytest.raises(DomainError) as caught:
        services.import_package(
            mangle(_package()), by=receiver_clerk, name="來文.zip", signing_mode="paper"
        )
    assert caught.value.code == "package_refused" and needle in caught.value.message
    if needle != "zip":  # the element and the line
        assert caught.value.message.startswith("第") and "元素「" in caught.value.message
    assert Document.objects.count() == before
    logged = Exchange.objects.get(state=State.REFUSED)
    assert logged.recipient_agency == receiver_clerk.agency and needle in logged.reason
    if needle != "zip":  # the sender is named so the refusal can be answered
        assert logged.sender_name == "臺北市政府秘書處"


def test_a_package_not_addressed_to_us_is_refused(codes, make_person):
    clerk = make_person("udd-clerk", "都發局", "registry_clerk")
    clerk.agency.official_code = "379110000X"
    clerk.agency.save()
    with pytest.raises(DomainError) as caught:
        services.import_package(_package(), by=clerk, signing_mode="paper")
    assert "不在交換表單" in caught.value.message


def test_only_a_clerk_imports(codes, make_person):
    officer = make_person("ca-officer", "民政局", "case_officer")
    with pytest.raises(PermissionDenied):
        services.import_package(_package(), by=officer, signing_mode="paper")
    assert not Exchange.objects.exists()


def test_export_needs_a_dispatched_document(sent, office):
    document, _ = sent
    name, data = services.export_package(document, by=office.officer)
    assert name.endswith(".zip") and formats.read_package(data).subject
    draft = Document.objects.exclude(pk=document.pk).filter(agency=office.agency).first()
    if draft is not None:
        with pytest.raises(DomainError):
            services.export_package(draft, by=office.officer)


def test_volume_section(sent, receiver_clerk):
    import datetime as dt

    from secretariat.core.roc import Period
    from secretariat.exchange import reports

    _document, exchanges = sent
    services.sign_for(
        exchanges[CIVIL_AFFAIRS_CODE], by=receiver_clerk, signing_mode=SigningMode.PAPER
    )
    today = dt.date.today()
    data = reports.exchange_volume(Period(today.replace(day=1), today, "本月"))
    figures = {f.key: f.value for f in data.figures}
    assert (figures["sent"], figures["inside"], figures["gateway"]) == (2, 1, 1)
    assert figures["signed"] == 1 and figures["agencies"] == 2
    assert "透過電子公文交換發文計2件" in data.paragraphs[0]
