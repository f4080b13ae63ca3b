"""機密文書: visible only to its chain and the 收發 handling it (not another unit, another
agency, the API or the search); 「密不錄由」 in lists and registers; text and attachments
encrypted at rest (the raw rows and files hold no plain text); every opening audited;
electronic exchange of 機密 and above refused unless the agency allows it."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client

from secretariat.core.errors import DomainError, NotFound
from secretariat.core.models import AuditEntry
from secretariat.documents import secrecy, selectors, services
from secretariat.documents.models import AgencyProfile, Document, DraftVersion, Point
from secretariat.search import selectors as search
from secretariat.search.models import SearchDocument
from secretariat.search.selectors import Filters
from secretariat.search.text import parse

from .flow import receive, to_officer, write_drafts

pytestmark = pytest.mark.django_db

SECRET = "鳳凰專案移設計畫"
FILE_SECRET = "附件機密內容甲乙丙".encode()


def confidential(office, *, subject=f"{SECRET}審查", secrecy_level="confidential"):
    document = services.create_document(
        doc_type="memo",
        subject=subject,
        method="together",
        secrecy=secrecy_level,
        declassify="本案結案後解密",
        by=office.officer,
    )
    services.save_draft(
        document,
        "memo",
        doc_type="memo",
        subject=f"擬辦理{SECRET}",
        sections={"說明": f"一、{SECRET}之說明。\n二、預算來源。", "擬辦": "奉核後辦理。"},
        by=office.officer,
    )
    services.save_draft(
        document,
        "outgoing",
        doc_type="letter",
        subject=f"有關{SECRET}一案，請查照。",
        sections={"說明": f"{SECRET}執行方式。"},
        recipients=[{"copy": "original", "name": "臺北市政府", "method": "post"}],
        by=office.officer,
    )
    services.add_attachments(
        document,
        [SimpleUploadedFile(f"{SECRET}.txt", FILE_SECRET, content_type="text/plain")],
        by=office.officer,
    )
    services.submit(
        document, to=office.chief, opinion=f"陳核{SECRET}", by=office.officer, pin=office.pin
    )
    return document


def test_only_the_chain_opens_it(office, make_person):
    document = confidential(office)
    ordinary = services.create_document(doc_type="letter", subject="一般公文", by=office.officer)
    police = make_person("police-officer", "警察局", "case_officer")
    for outsider in (office.cosigner, office.clerk, office.head, office.admin, police):
        with pytest.raises(NotFound):
            selectors.document_for(outsider, "sec", document.number)
    assert selectors.document_for(office.cosigner, "sec", ordinary.number) == ordinary
    with pytest.raises(NotFound):
        selectors.document_for(police, "sec", ordinary.number)  # another agency
    for insider in (office.officer, office.chief):
        assert selectors.document_for(insider, "sec", document.number) == document
    # once the chief sends it on, the next holder is on its chain too — and the chief stays
    services.forward(document, to=office.head, by=office.chief, pin=office.pin)
    assert selectors.document_for(office.head, "sec", document.number) == document
    assert selectors.document_for(office.chief, "sec", document.number) == document


def test_registers_and_lists_say_only_that_it_is_confidential(office):
    received = receive(
        office, subject=f"{SECRET}來函", secrecy="confidential", declassify="至116年底"
    )
    (row,) = selectors.received_register(office.clerk, selectors.RegisterFilters())
    assert (row, row.listed_subject, row.sender_name) == (received, "密不錄由", "臺北市政府工務局")
    client = Client()
    client.force_login(office.clerk)
    page = client.get("/documents/registers/received/").content.decode()
    assert "密不錄由" in page and SECRET not in page
    export = client.get("/documents/registers/received.csv").content.decode()
    assert "密不錄由" in export and SECRET not in export
    document = confidential(office)
    created = selectors.visible_documents(office.chief).get(pk=document.pk)
    assert created.listed_subject == "密不錄由"
    inbox = [p.document for p in selectors.inbox_for(office.chief)]
    assert inbox == [document] and inbox[0].listed_subject == "密不錄由"
    client.force_login(office.chief)
    page = client.get("/documents/").content.decode()
    assert "密不錄由" in page and SECRET not in page


def test_the_api_shows_it_to_the_chain_only(office):
    document = confidential(office)
    url = f"/api/v1/documents/sec/{document.number}"
    outsider, insider = Client(), Client()
    outsider.force_login(office.cosigner)
    insider.force_login(office.chief)
    assert outsider.get(url).status_code == 404
    listed = outsider.get("/api/v1/documents", {"status": ""}).json()
    assert document.number not in json.dumps(listed)
    answer = insider.get(url).json()
    assert answer["subject"] == f"{SECRET}審查"
    assert [p["step"] for p in answer["points"]][:1] == ["draft"]
    listed = insider.get("/api/v1/documents", {"status": ""}).json()
    row = next(i for i in listed["items"] if i["number"] == document.number)
    assert row["subject"] == "密不錄由"


def in_engine(query: str, user=None) -> set[int]:
    """The 公文 the engine itself answers (no database check of the page); ``None`` is the
    command line, which sees every record in the index."""
    return {
        oid
        for key, oid in search.matches(user, parse(query), Filters()).every()
        if key == "documents"
    }


def test_the_search_never_indexes_it(office, search_backend):
    document = confidential(office)
    ordinary = services.create_document(
        doc_type="letter", subject=f"公開的{SECRET[:2]}說明會", by=office.officer
    )
    assert not SearchDocument.objects.filter(source="documents", object_id=document.pk).exists()
    assert SearchDocument.objects.filter(source="documents", object_id=ordinary.pk).exists()
    for person in (office.officer, office.chief, office.admin):
        # 「鳳凰」 is in both subjects, and all over the confidential one's text
        hits = search.search(person, SECRET[:2], Filters())
        assert [hit.document.url for hit in hits.hits] == [ordinary.get_absolute_url()]
        assert search.search(person, SECRET[2:6], Filters()).hits == []
    # not even the engine's own answer, unscoped, holds it
    assert in_engine(SECRET[:2]) == {ordinary.pk}
    assert in_engine(SECRET[2:6]) == in_engine("預算來源") == set()
    # a later change to it, or a full rebuild, still leaves it out
    services.save_draft(
        document,
        "memo",
        doc_type="memo",
        subject=f"擬辦理{SECRET}",
        sections={"說明": f"{SECRET}修正後之說明。", "擬辦": "奉核後辦理。"},
        by=office.chief,
    )
    from secretariat.search import services as search_services

    search_services.reindex(["documents"])
    assert in_engine(SECRET[:2]) == {ordinary.pk}
    assert in_engine("修正後") == set()
    assert not SearchDocument.objects.filter(source="documents", object_id=document.pk).exists()
    assert not SearchDocument.objects.filter(body__contains=SECRET).exists()


def test_the_engine_finds_ordinary_documents_as_the_pages_do(
    office, make_person, agency, search_backend
):
    """The source's ``scope`` (what the engine applies) says what ``visible_documents`` says:
    the agency's staff, whoever is on the chain — a 會辦 unit — and nobody of another agency."""
    from secretariat.core.models import Unit

    udd_unit = Unit.objects.create(agency=agency("都發局"), name="綜合規劃科")
    udd_cosigner = make_person("udd-doc-cosigner", "都發局", "case_officer", unit=udd_unit)
    udd = make_person("udd-doc-officer", "都發局", "case_officer")
    document = to_officer(office, receive(office, subject="函請協助辦理市政大樓節能改善"))
    write_drafts(office, document)
    services.send_for_cosign(document, units=[udd_unit], by=office.officer, pin=office.pin)
    people = [office.officer, office.clerk, office.chief, office.admin, udd_cosigner, udd]
    for person in people:
        expected = set(
            selectors.visible_documents(person).filter(pk=document.pk).values_list("pk", flat=True)
        )
        assert in_engine("節能改善", person) == expected, person.username
    assert in_engine("節能改善", udd_cosigner) == {document.pk}
    assert in_engine("節能改善", udd) == set()
    # once it has signed, the unit's colleague no longer holds it; the signer still finds it
    from secretariat.documents.models import Signer

    card = Signer.objects.get(user=office.cosigner)
    Signer.objects.create(user=udd_cosigner, level=card.level, token_label=card.token_label)
    services.cosign(document, by=udd_cosigner, pin=office.pin)
    colleague = make_person("udd-doc-colleague", "都發局", "case_officer", unit=udd_unit)
    assert in_engine("節能改善", colleague) == set()
    assert in_engine("節能改善", udd_cosigner) == {document.pk}


def _every_stored_value():
    """Every column of every row of every table, as bytes."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes | bytearray):
                        yield table, bytes(value)
                    elif value is not None:
                        yield table, str(value).encode()


def test_the_raw_rows_and_files_hold_no_plain_text(office, settings):
    document = confidential(office)
    services.return_document(document, reason=f"{SECRET}請補充", by=office.chief, pin=office.pin)
    services.create_document(doc_type="letter", subject="明文對照組", by=office.officer)
    needles = [SECRET.encode(), FILE_SECRET, base64.b64encode(FILE_SECRET)]
    stored = list(_every_stored_value())
    assert [t for t, value in stored if any(n in value for n in needles)] == []
    # the scan does see text: an ordinary document's subject is in its row (and the index)
    assert {"documents_document", "search_searchdocument"} <= {
        t for t, value in stored if "明文對照組".encode() in value
    }
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(n in data for n in needles), path
    # …and yet the chain reads it all
    opened = services.open_document(document, by=office.officer)
    assert opened.subject == f"{SECRET}審查"
    from secretariat.documents import storage

    version = DraftVersion.objects.filter(draft__document=document, draft__role="memo").get()
    assert SECRET in json.dumps(storage.version_content(document, version), ensure_ascii=False)
    attachment = document.attachments.get()
    assert storage.file_bytes(document, attachment) == FILE_SECRET
    assert storage.file_name(document, attachment) == f"{SECRET}.txt"
    returned = document.points.get(decision="returned")
    assert returned.opinion == "" and storage.opinion_of(document, returned) == f"{SECRET}請補充"


def test_every_opening_is_audited(office):
    document = confidential(office)
    opened = AuditEntry.objects.filter(action="open_confidential", object_id=str(document.pk))
    before = opened.count()
    client = Client()
    client.force_login(office.chief)
    assert client.get(document.get_absolute_url()).status_code == 200
    assert client.get(document.get_absolute_url() + "trail.xml").status_code == 200
    assert opened.count() == before + 2
    assert set(opened.values_list("actor_id", flat=True)) == {office.chief.pk}
    # an outsider gets a 404 and opens nothing
    client.force_login(office.cosigner)
    assert client.get(document.get_absolute_url()).status_code == 404
    assert opened.count() == before + 2


def test_electronic_exchange_of_classified_documents_is_refused_unless_allowed(office):
    document = confidential(office)
    services.return_document(document, reason="改電子交換", by=office.chief, pin=office.pin)
    exchange = [{"copy": "original", "name": "臺北市政府", "method": "exchange"}]
    with pytest.raises(DomainError) as refused:
        services.save_draft(
            document, "outgoing", doc_type="letter", subject="主旨", sections={},
            recipients=exchange, by=office.officer,
        )  # fmt: skip
    assert refused.value.fields["recipients"] == [
        "受文者「臺北市政府」：機密公文依本機關設定不得以電子交換發文，請改用其他發文方式。"
    ]
    AgencyProfile.objects.filter(agency=office.agency).update(allow_classified_exchange=True)
    services.save_draft(
        document, "outgoing", doc_type="letter", subject="主旨", sections={},
        recipients=exchange, by=office.officer,
    )  # fmt: skip
    # 密 (below 機密) may always go electronically
    AgencyProfile.objects.filter(agency=office.agency).update(allow_classified_exchange=False)
    assert services.exchange_allowed(confidential(office, secrecy_level="secret"))


def test_a_changed_ciphertext_is_reported_and_keys_rotate(office, settings):
    old = secrecy.new_master_key()
    settings.DOCUMENTS_MASTER_KEYS = [old]
    document = confidential(office)
    run = services.verify_document(document, by=office.chief)
    assert run.broken == 0 and run.checked == 1
    version = DraftVersion.objects.filter(draft__document=document, draft__role="memo").get()
    sealed = bytearray(version.sealed_content)
    sealed[-1] ^= 0x01
    DraftVersion.objects.filter(pk=version.pk).update(sealed_content=bytes(sealed))
    run = services.verify_document(document, by=office.chief)
    problem = run.problems.get()
    assert problem.code == "sealed_unreadable"
    assert problem.point_id == Point.objects.get(document=document, decision="submitted").pk
    # rotating the master key: new first, the old one kept until every data key is rewrapped
    settings.DOCUMENTS_MASTER_KEYS = [secrecy.new_master_key(), old]
    assert services.rewrap_data_keys() >= 1
    settings.DOCUMENTS_MASTER_KEYS = settings.DOCUMENTS_MASTER_KEYS[:1]
    document.refresh_from_db()
    document.__dict__.pop("_secrecy_box", None)
    assert services.open_document(document, by=office.chief).subject == f"{SECRET}審查"


def test_a_master_key_on_a_token_wraps_the_data_keys(office, pki, settings):
    """DOCUMENTS_MASTER_TOKEN: the data key is wrapped by an AES key that never leaves the
    token (SoftHSM2 here); documents wrapped before by a settings key still open; without
    the token's key nothing opens; a wrong PIN is a clear error and saves nothing."""
    before = confidential(office)
    pki.hsm.init_token("主金鑰模組", pin="97531246", so_pin="13579111")
    pki.hsm.generate_secret_key("主金鑰模組", "97531246", key_label="documents-master")
    settings.DOCUMENTS_MASTER_TOKEN = "主金鑰模組/documents-master"
    settings.DOCUMENTS_MASTER_TOKEN_PIN = "97531246"
    document = confidential(office, subject=f"{SECRET}第二案")
    token_id = next(iter(secrecy.master_keys()))
    assert bytes(document.wrapped_key)[:8].decode() == token_id
    assert bytes(before.wrapped_key)[:8].decode() != token_id
    fresh = Document.objects.get(pk=document.pk)
    assert services.open_document(fresh, by=office.officer).subject == f"{SECRET}第二案"
    assert (
        services.open_document(Document.objects.get(pk=before.pk), by=office.officer).subject
        == f"{SECRET}審查"
    )
    # rewrap moves the older one under the token's key
    call_command("documents", "rewrap", stdout=io.StringIO())
    assert bytes(Document.objects.get(pk=before.pk).wrapped_key)[:8].decode() == token_id
    # a changed byte in a wrapped key: the token's GCM tag refuses it
    wrapped = bytearray(Document.objects.get(pk=document.pk).wrapped_key)
    wrapped[-1] ^= 0x01
    altered = Document.objects.get(pk=document.pk)
    altered.wrapped_key = bytes(wrapped)
    assert services.open_document(altered, by=office.officer).subject == "（無法解密）"
    # the settings' keys alone open neither any more
    settings.DOCUMENTS_MASTER_TOKEN = ""
    for pk in (before.pk, document.pk):
        opened = services.open_document(Document.objects.get(pk=pk), by=office.officer)
        assert opened.subject == "（無法解密）"
    # `secretariat check` tries the token; a wrong PIN: a clear error, no document half made
    from secretariat.documents.checks import master_token_reachable

    assert master_token_reachable() == []
    settings.DOCUMENTS_MASTER_TOKEN = "主金鑰模組/documents-master"
    assert master_token_reachable() == []
    settings.DOCUMENTS_MASTER_TOKEN_PIN = "00000000"
    (error,) = master_token_reachable()
    assert error.id == "documents.E001" and error.msg.endswith("憑證卡 PIN 碼錯誤。")
    count = Document.objects.count()
    with pytest.raises(DomainError) as refused:
        confidential(office, subject="不應留存")
    assert refused.value.message == "憑證卡 PIN 碼錯誤。"
    assert Document.objects.count() == count
