"""tantivy's index and its outbox: a crash between the record's commit and the indexer, a crash
inside the indexer, deleted records, scoping inside the engine, concurrent writers, the job, the
command and `secretariat check`."""

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from secretariat.cases import services as case_services
from secretariat.cases.models import Case
from secretariat.search import checks, selectors, tantivy_index
from secretariat.search.models import IndexOutbox, SearchDocument
from secretariat.search.selectors import Filters
from secretariat.search.text import parse


@pytest.fixture(autouse=True)
def _tantivy(settings):
    settings.SEARCH_BACKEND = "tantivy"


def new_case(subject="路燈不亮", body="松仁路路燈不亮，請派員修復。", **extra):
    values = {"kind": "petition", "channel": "letter", "received_on": dt.date(2025, 3, 3)}
    return case_services.open_case(subject=subject, body=body, requester={}, **(values | extra))


def in_index(query: str, user=None) -> set[int]:
    """The records the engine itself answers (no database check of the page)."""
    return {oid for _, oid in selectors.matches(user, parse(query), Filters()).every()}


@pytest.mark.django_db(transaction=True)
def test_the_indexer_resumes_from_the_outbox_after_a_crash(registry, settings):
    """The record commits with its outbox row; the indexer never ran (the process died): the
    index does not have it yet, and the next indexer run catches up."""
    settings.SEARCH_INDEXING = "worker"  # nothing indexes in this process
    case = new_case()
    assert IndexOutbox.objects.filter(object_id=case.pk).exists()
    assert in_index("路燈") == set()
    assert tantivy_index.apply_outbox() == 1
    assert in_index("路燈") == {case.pk} and not IndexOutbox.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_crash_inside_the_indexer_loses_nothing(registry, settings, monkeypatch):
    settings.SEARCH_INDEXING = "worker"
    case = new_case()

    def dies(writer, records):
        writer.delete_all_documents()  # half-done work that must not reach the index
        raise MemoryError("the indexer dies")

    with monkeypatch.context() as patched:
        patched.setattr(tantivy_index, "_upsert", dies)
        with pytest.raises(MemoryError):
            tantivy_index.apply_outbox()
    assert IndexOutbox.objects.count() == 1  # still waiting
    assert tantivy_index.apply_outbox() == 1
    assert in_index("路燈") == {case.pk}


@pytest.mark.django_db(transaction=True)
def test_applying_again_after_the_index_commit_is_harmless(registry, settings, monkeypatch):
    """A crash after the index committed but before the outbox rows were deleted: the rows are
    applied a second time, and the record is still in the index once."""
    settings.SEARCH_INDEXING = "worker"
    case = new_case()
    kept = IndexOutbox.objects.values_list("id", flat=True)
    with monkeypatch.context() as patched:
        patched.setattr(
            IndexOutbox.objects.none().__class__,
            "delete",
            lambda self: (_ for _ in ()).throw(SystemExit("dies before deleting")),
        )
        with pytest.raises(SystemExit):
            tantivy_index.apply_outbox()
    assert list(kept) and in_index("路燈") == {case.pk}
    assert tantivy_index.apply_outbox() == 1
    assert tantivy_index.index().searcher().num_docs == 1


@pytest.mark.django_db(transaction=True)
def test_a_deleted_record_leaves_the_index(registry):
    case = new_case()
    assert in_index("路燈") == {case.pk}
    Case.objects.filter(pk=case.pk).get().delete()
    assert in_index("路燈") == set() and tantivy_index.index().searcher().num_docs == 0


@pytest.fixture
def council_kind():
    """A kind the Secretariat's 府會 staff route, without the council's own fields."""
    from secretariat.cases import kinds
    from secretariat.core.models import RoleCode

    kinds.register(
        kinds.CaseKind(
            code="test_council",
            label="測試府會案件",
            prefix="測",
            reply_days=10,
            router_roles=frozenset({RoleCode.COUNCIL_LIAISON}),
        )
    )
    yield "test_council"
    kinds.KINDS.pop("test_council")


def test_the_engine_scopes_by_holder_before_the_page_checks(db, make_person, agency, council_kind):
    from secretariat.core import services as core_services
    from secretariat.core.models import Unit

    general = Unit.objects.create(agency=agency("秘書處"), name="事務科")
    writing = Unit.objects.create(agency=agency("秘書處"), name="文書科")
    liaison = Unit.objects.create(agency=agency("秘書處"), name="府會聯絡組")
    router = make_person("sec-clerk", "秘書處", "registry_clerk")
    # In a unit: the building's tickets (held by 事務科 and its contractor) are not theirs.
    council = make_person("sec-council", "秘書處", "council_liaison", unit=liaison)
    udd = make_person("udd-officer", "都發局", "case_officer")
    police = make_person("police-officer", "警察局", "case_officer")
    contractor = core_services.register_contractor(
        by=None, name="機電維護公司", agency=agency("秘書處"), unit=general
    )
    unit_officer = make_person("sec-general", "秘書處", "case_officer", unit=general)
    other_unit = make_person("sec-writing", "秘書處", "case_officer", unit=writing)
    tech = make_person("tech", None, contractor=contractor)
    ours, theirs, shared = new_case(), new_case(), new_case()
    [ours_part] = case_services.route_case(ours, agency("都發局"), by=router)
    case_services.route_case(theirs, agency("警察局"), by=router)
    case_services.route_case(shared, agency("警察局"), co_agencies=[agency("都發局")], by=router)
    unit_case, ticket = new_case(), new_case()
    case_services.route_case(unit_case, general, by=router)
    case_services.route_case(ticket, contractor, by=router)
    question = new_case(kind=council_kind, channel="council")
    assert in_index("路燈", udd) == {ours.pk, shared.pk}
    assert in_index("路燈", police) == {theirs.pk, shared.pk}
    assert in_index("路燈", router) == {ours.pk, theirs.pk, shared.pk, unit_case.pk, ticket.pk}
    assert in_index("路燈", council) == {question.pk}
    assert in_index("路燈", unit_officer) == {unit_case.pk, ticket.pk}
    assert in_index("路燈", other_unit) == set()
    assert in_index("路燈", tech) == {ticket.pk}
    # The engine's scope says what the case list says.
    from secretariat.cases.selectors import cases_for

    people = (router, council, udd, police, unit_officer, other_unit, tech)
    for person in people:
        assert in_index("路燈", person) == set(cases_for(person).values_list("pk", flat=True))
    # Re-routing reaches the engine: 改分 withdraws 都發局's part of ours.
    case_services.reroute_part(ours_part, agency("工務局"), "非本局業務", by=router)
    assert in_index("路燈", udd) == {shared.pk}


def test_confidential_records_never_enter_the_index(db, admin):
    secret = new_case(confidential=True)
    public = new_case()
    assert in_index("路燈") == {public.pk} == in_index("路燈", admin)
    assert not SearchDocument.objects.filter(object_id=secret.pk).exists()
    public.confidential = True
    public.save()
    assert in_index("路燈") == set()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_are_serialised_through_the_outbox(registry, settings):
    """Writers commit their outbox rows (concurrently where the database allows it), then
    several indexers start at once: the lock lets one write the index at a time, and every
    record is indexed exactly once."""
    settings.SEARCH_INDEXING = "worker"
    writers, indexers = 6, 3
    one_writer = threading.Lock() if connection.vendor == "sqlite" else None  # shared cache
    errors = []

    def run(work):
        def target():
            try:
                work()
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                connection.close()

        return threading.Thread(target=target)

    def write(i):
        if one_writer is None:
            new_case(body=f"第{i}盞路燈不亮")
            return
        with one_writer:
            new_case(body=f"第{i}盞路燈不亮")

    threads = [run(lambda i=i: write(i)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and IndexOutbox.objects.count() == writers
    start = threading.Barrier(indexers)
    threads = [run(lambda: (start.wait(), tantivy_index.apply_outbox())) for _ in range(indexers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and not IndexOutbox.objects.exists()
    assert tantivy_index.index().searcher().num_docs == writers
    assert len(in_index("路燈")) == writers


def test_the_worker_applies_the_outbox_in_a_job(db, settings):
    from django_tasks_db.models import DBTaskResult

    from secretariat.search.tasks import apply_index_outbox_task

    settings.SEARCH_INDEXING = "worker"
    first, second = new_case(), new_case(subject="號誌故障", body="號誌故障")
    jobs = DBTaskResult.objects.filter(task_path=apply_index_outbox_task.module_path)
    assert jobs.count() == 1  # one waiting job reads every row
    assert in_index("路燈") == set()
    assert apply_index_outbox_task.call() == 2
    assert in_index("路燈") == {first.pk} and in_index("號誌") == {second.pk}


def test_the_command_applies_the_outbox(db, settings):
    settings.SEARCH_INDEXING = "worker"
    new_case()
    out = StringIO()
    call_command("search", "apply", stdout=out)
    assert "已套用索引待辦 1筆" in out.getvalue() and not IndexOutbox.objects.exists()


def test_check_reports_the_lag(db, settings):
    settings.SEARCH_INDEXING = "worker"
    assert checks.index_in_step() == []
    new_case()
    assert [m.id for m in checks.index_in_step()] == ["search.I001", "search.W002"]  # never run
    tantivy_index.apply_outbox()
    new_case(), new_case()
    [message] = checks.index_in_step()
    assert message.id == "search.I001" and "2 筆" in message.msg
    IndexOutbox.objects.update(queued_at=timezone.now() - dt.timedelta(minutes=10))
    [message] = checks.index_in_step()
    assert message.id == "search.W001" and "secretariat search apply" in message.hint
    tantivy_index.apply_outbox()
    assert checks.index_in_step() == []


@pytest.mark.django_db
def test_a_new_index_schema_is_built_from_the_rows_after_migrate(registry, settings, tmp_path):
    """An upgrade to a new SCHEMA_VERSION finds an empty directory; `migrate`'s post_migrate
    step builds it from the rows (and leaves an index that has documents alone)."""
    from secretariat.search.apps import _forget_tokens_of_an_emptied_index

    cases = [new_case(body=f"第{i}件中央主管機關核定") for i in range(3)]
    IndexOutbox.objects.all().delete()  # the old index had them; the new one is empty
    settings.SEARCH_INDEX_DIR = str(tmp_path / "upgraded")
    assert in_index("中央主管機關") == set()
    _forget_tokens_of_an_emptied_index(sender=None, using="default")
    assert in_index("中央主管機關") == {c.pk for c in cases}
    assert tantivy_index.build_if_new() is None
