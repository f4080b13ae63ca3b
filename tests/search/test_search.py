"""The one search over each engine (tantivy, and the database's own: FTS5 on SQLite, the
tsvector on PostgreSQL; the suite runs on both databases): exact substring semantics, scope, the
index kept in step with the records, filters and orders, the page, the API and the command
line."""

import datetime as dt
import json
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from secretariat.cases import services as case_services
from secretariat.cases.models import Case, CaseStatus
from secretariat.core.errors import DomainError
from secretariat.search import selectors, services
from secretariat.search.models import SearchDocument
from secretariat.search.selectors import Filters
from secretariat.search.text import match_form, parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_backend")]


@pytest.fixture
def council_kind():
    """A kind the Secretariat's 府會 staff route (as council questions are), without the
    council's own fields."""
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


def new_case(subject="人行道破損", body="松仁路人行道地磚破損，請派員修復。", **extra):
    values = {"kind": "petition", "channel": "letter", "received_on": dt.date(2025, 3, 3)}
    values |= extra
    return case_services.open_case(subject=subject, body=body, requester={}, **values)


def found(user, query, **filters) -> list[str]:
    """Case numbers of every hit, in order — read the ways the search reads them (the page,
    the count, and the engine's every hit), which must agree."""
    matches = selectors.matches(user, parse(query), Filters(**filters))
    paged = matches[0 : selectors.COUNT_LIMIT]
    assert matches.count() == len(paged), query
    assert matches.every() == {(row.source, row.object_id) for row in paged}, query
    numbers = dict(Case.objects.values_list("pk", "number"))
    return [numbers[row.object_id] for row in paged]


@pytest.fixture
def people(make_person):
    return {
        "admin": make_person("admin", "秘書處", "system_admin"),
        "router": make_person("sec-clerk", "秘書處", "registry_clerk"),
        "council": make_person("sec-council", "秘書處", "council_liaison"),
        "udd": make_person("udd-officer", "都發局", "case_officer"),
        "police": make_person("police-officer", "警察局", "case_officer"),
    }


def test_a_two_character_query_finds_it_inside_any_word(people):
    case = new_case(body="巷口違規停車嚴重")
    assert found(None, "規停") == [case.number]  # no segmenter would cut 違規|停車 there
    assert found(None, "停車嚴") == [case.number]
    assert found(None, "停嚴") == []


def test_a_one_character_query_finds_it_anywhere(people):
    middle, end = new_case(body="巷口違規停車嚴重"), new_case(body="請加強取締違停")
    assert sorted(found(None, "停")) == sorted([middle.number, end.number])
    assert found(None, "嚴") == [middle.number]
    assert found(None, "違") == found(None, "违")


def test_a_simplified_query_finds_traditional_text(people):
    case = new_case(subject="臺北市違規停車", body="請環境保護局協助處理噪音")
    assert found(None, "违规停车") == [case.number]
    assert found(None, "环境保护局") == [case.number]
    assert found(None, "台北") == [case.number]  # 臺 and 台 are one character here


def test_terms_are_all_required_and_a_quoted_phrase_is_one(people):
    both = new_case(body="公園樹木倒塌 影響通行")
    new_case(body="公園遊具損壞")
    assert found(None, "公園 樹木") == [both.number]
    assert found(None, '"倒塌 影響"') == [both.number]
    assert found(None, '"樹木 影響"') == []
    assert found(None, "樹木 遊具") == []


def test_every_substring_is_found_and_nothing_else(people):
    """Against a plain substring scan: random texts over a few characters (variants, Latin,
    punctuation, spaces) so that every kind of overlap and run boundary occurs."""
    rng = random.Random(115)
    alphabet = "臺台北市灣湾aA１1,， 停車"
    bodies = [
        "市" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(40)
    ]
    cases = [new_case(subject=f"測試{i}", body=body) for i, body in enumerate(bodies)]
    texts = {c.number: (match_form(f"{c.number} {c.subject}"), match_form(c.body)) for c in cases}
    queries = {body[i : i + n] for body in bodies for n in (1, 2, 3, 4) for i in range(len(body))}
    # longer ones: phrases of overlapping four-grams on tantivy (runs end inside some)
    longer = sorted({body[i : i + n] for body in bodies for n in (5, 6, 7, 9) for i in range(20)})
    queries |= set(rng.sample(longer, 150))
    # …and the same with their spaces taken out: the term's grams lie on both sides of a run's
    # end in the text, where a gram phrase that did not overlap would find it
    joined = sorted({q.replace(" ", "") for q in longer if " " in q.strip()})
    queries |= set(rng.sample(joined, 150))
    queries |= {"".join(rng.choice(alphabet) for _ in range(n)) for n in (3, 5) for _ in range(40)}
    queries = sorted(q for q in queries if q.strip())
    for query in queries:
        terms = parse(query)
        expected = sorted(
            number
            for number, (title, body) in texts.items()
            if all(t.text in title or t.text in body for t in terms)
        )
        assert sorted(found(None, query)) == expected, query


def test_an_agency_finds_only_the_cases_it_may_see(people, agency, council_kind):
    udd_case, police_case = new_case(body="公園樹木"), new_case(body="公園噪音")
    case_services.route_case(udd_case, agency("都發局"), by=people["router"])
    case_services.route_case(police_case, agency("警察局"), by=people["router"])
    question = new_case(kind=council_kind, body="公園預算", channel="council")
    assert found(people["udd"], "公園") == [udd_case.number]
    assert found(people["police"], "公園") == [police_case.number]
    # 收發 routes petitions; 府會 routes council work; administrators see everything.
    assert sorted(found(people["router"], "公園")) == sorted([udd_case.number, police_case.number])
    assert found(people["council"], "公園") == [question.number]
    assert len(found(people["admin"], "公園")) == 3


def test_the_index_follows_create_update_and_delete(people):
    case = new_case(body="路燈不亮")
    assert found(None, "路燈") == [case.number]
    case.body = "號誌故障"
    case.save()
    assert found(None, "路燈") == [] and found(None, "號誌") == [case.number]
    case.delete()
    assert found(None, "號誌") == []
    assert not SearchDocument.objects.exists()


def test_confidential_cases_are_never_indexed(people):
    new_case(body="機密路燈", confidential=True)
    assert found(None, "機密") == [] and found(people["admin"], "機密") == []
    assert not SearchDocument.objects.exists()


def test_routing_and_status_reach_the_filters(people, agency):
    case = new_case(body="路燈不亮")
    assert found(None, "路燈", statuses=(CaseStatus.PENDING,)) == [case.number]
    case_services.route_case(case, agency("工務局"), by=people["router"])
    assert found(None, "路燈", statuses=(CaseStatus.PENDING,)) == []
    assert found(None, "路燈", statuses=(CaseStatus.IN_PROGRESS,)) == [case.number]
    assert found(None, "路燈", agency_id=agency("工務局").pk) == [case.number]
    assert found(None, "路燈", agency_id=agency("警察局").pk) == []


def test_imported_cases_are_indexed_in_the_same_transaction(people, agency):
    from secretariat.core.importing import run_import

    data = "案號,收件日期,主旨,主辦機關\n陳114000010,114/03/03,行道樹修剪,工務局\n".encode()
    assert run_import("petitions", data).ok
    assert found(None, "行道樹") == ["陳114000010"]
    assert found(None, "行道樹", agency_id=agency("工務局").pk) == ["陳114000010"]


def test_reindex_rebuilds_the_index_from_the_records(people):
    cases = [new_case(body=f"第{i}件路燈不亮") for i in range(3)]
    before = sorted(found(None, "路燈"))
    SearchDocument.objects.all().delete()  # the index lost (its FTS rows are left behind)
    services.reindex()
    assert sorted(found(None, "路燈")) == before == sorted(c.number for c in cases)
    out = StringIO()
    call_command("search", "reindex", stdout=out)
    assert "案件（cases）：3筆" in out.getvalue()
    assert sorted(found(None, "路燈")) == before
    with pytest.raises(DomainError):
        services.reindex(["gazette"])


@pytest.mark.django_db(transaction=True)
def test_a_flushed_index_keeps_no_tokens(registry, settings):
    """`flush` (as between browser tests) empties the index table; the engine's own index
    (tantivy's directory, SQLite's FTS5 table) must be emptied with it, or its entries would
    answer for new documents."""
    new_case(body="路燈不亮")
    call_command("flush", interactive=False, verbosity=0)
    assert selectors.matches(None, parse("路燈")).count() == 0
    if connection.vendor == "sqlite" and settings.SEARCH_BACKEND == "database":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_index_fts WHERE search_index_fts MATCH %s", ['"路灯"']
            )
            assert cursor.fetchone()[0] == 0
    assert not SearchDocument.objects.exists()


def test_kind_and_date_filters(people, council_kind):
    march = new_case(body="公園", received_on=dt.date(2025, 3, 3))
    may = new_case(body="公園", received_on=dt.date(2025, 5, 5))
    question = new_case(kind=council_kind, body="公園", channel="council")
    assert found(None, "公園", kinds=(council_kind,)) == [question.number]
    window = {"date_from": dt.date(2025, 4, 1), "date_to": dt.date(2025, 6, 30)}
    assert found(None, "公園", **window) == [may.number]
    assert march.number in found(None, "公園", date_to=dt.date(2025, 3, 31))


def test_bad_filters_name_their_field(people):
    with pytest.raises(DomainError) as error:
        selectors.search(None, "公園", Filters(kinds=("gazette",), order="random"))
    assert set(error.value.fields) == {"kind", "order"}
    with pytest.raises(DomainError) as error:
        selectors.search(
            None, "公園", Filters(date_from=dt.date(2025, 5, 1), date_to=dt.date(2025, 4, 1))
        )
    assert error.value.fields == {"date_to": ["迄日不可早於起日。"]}


def test_newest_first_and_by_relevance(people):
    old_title = new_case(subject="公園樹木", body="倒塌", received_on=dt.date(2025, 1, 2))
    new_long = new_case(subject="陳情", body="公園" + "。" * 80, received_on=dt.date(2025, 3, 1))
    new_short = new_case(subject="陳情", body="公園倒樹", received_on=dt.date(2025, 2, 1))
    assert found(None, "公園") == [new_long.number, new_short.number, old_title.number]
    # In the title first; then the shorter text.
    ranked = found(None, "公園", order="relevance")
    assert ranked == [old_title.number, new_short.number, new_long.number]


def test_results_page_one_of_many(people):
    for i in range(25):
        new_case(body=f"路燈不亮第{i}件")
    results = selectors.search(None, "路燈", page=2)
    assert results.total == 25 and not results.capped
    assert len(results.hits) == 5 and results.page.number == 2
    assert "<mark>路燈</mark>" in results.hits[0].snippet_html


def test_pages_skip_texts_that_hold_the_bigrams_but_not_the_term(people):
    """公園 園路 holds the bigrams of 公園路 without the term: the index of an engine without
    positions offers it, the check drops it, and pages stay full and in order."""
    real = []
    for i in range(30):
        body = "公園路樹倒" if i % 2 else "公園 園路樹倒"
        case = new_case(body=body, received_on=dt.date(2025, 3, 1) + dt.timedelta(days=i))
        if i % 2:
            real.append(case.number)
    newest = real[::-1]
    first = selectors.search(None, "公園路", per_page=10)
    second = selectors.search(None, "公園路", page=2, per_page=10)
    assert first.total == 15 and first.page.paginator.num_pages == 2
    titles = [h.document.title.split()[0] for h in first.hits + second.hits]
    assert titles == newest


def test_the_page_shows_highlighted_hits_and_field_errors(client, people):
    case = new_case(subject="巷口違規停車", body="每晚違規停車，請加強取締。")
    client.force_login(people["router"])
    page = client.get("/search/", {"q": "违规停车"}).content.decode()
    assert case.number in page and "<mark>違規停車</mark>" in page
    assert "紀錄（1筆）" in page
    page = client.get(
        "/search/", {"q": "停車", "date_from": "114/05/01", "date_to": "114/04/01"}
    ).content.decode()
    assert "迄日不可早於起日。" in page and case.number not in page
    client.force_login(people["police"])
    assert case.number not in client.get("/search/", {"q": "停車"}).content.decode()


def test_the_api_searches_with_the_same_scope(client, people, agency):
    case = new_case(body="公園樹木倒塌")
    case_services.route_case(case, agency("都發局"), by=people["router"])
    client.force_login(people["udd"])
    body = client.get("/api/v1/search", {"q": "树木"}).json()
    assert body["total"] == 1 and body["hits"][0]["title"].startswith(case.number)
    assert body["hits"][0]["date"] == "2025-03-03" and "<mark>" in body["hits"][0]["snippet"]
    client.force_login(people["police"])
    assert client.get("/api/v1/search", {"q": "树木"}).json()["total"] == 0
    error = client.get("/api/v1/search", {"q": "  "})
    assert error.status_code == 400 and error.json()["fields"] == {"q": ["請輸入搜尋字詞。"]}


def test_the_command_line_searches(people):
    case = new_case(subject="巷口違規停車")
    out = StringIO()
    call_command("search", "违规", "停车", stdout=out)
    assert "共 1筆" in out.getvalue() and case.number in out.getvalue()
    out = StringIO()
    call_command("search", "停車", "--format", "json", "--as", "police-officer", stdout=out)
    assert json.loads(out.getvalue())["total"] == 0
    with pytest.raises(CommandError, match="請輸入搜尋字詞"):
        call_command("search", " ")
