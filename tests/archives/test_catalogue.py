"""The catalogue's rules: retention arithmetic, a 案卷 taking the highest 密等 and the longest
retention of its 件, the scheme's versions, 歸檔 (propose, check, 檔號) and late filing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from secretariat.archives import selectors, services
from secretariat.archives.models import Disposal, FilingStatus, Folder, Item, Level, Retention
from secretariat.core.errors import DomainError, PermissionDenied

from .conftest import legacy, proposed

pytestmark = pytest.mark.django_db


def test_retention_counts_whole_years_from_the_year_after_the_last_document():
    assert services.expiry_date(dt.date(2015, 5, 1), Retention.Y10) == dt.date(2025, 12, 31)
    assert services.expiry_date(dt.date(2015, 12, 31), Retention.Y1) == dt.date(2016, 12, 31)
    assert services.expiry_date(dt.date(2015, 1, 1), Retention.PERMANENT) is None
    assert services.expiry_date(None, Retention.Y5) is None


def test_retention_text_is_read_as_the_table_allows():
    assert services.parse_retention("永久") == Retention.PERMANENT
    assert services.parse_retention("10年") == 10
    assert services.parse_retention("30") == 30
    assert services.parse_retention("7年") is None
    assert services.parse_retention("999") is None


def test_a_folder_takes_the_longest_retention_and_highest_secrecy_of_its_items(agency, scheme):
    sec = agency("秘書處")
    legacy(
        sec,
        [
            (("105", "0102", "1", "1", "1"), "工作報告初稿", dt.date(2016, 2, 1), 5, "destroy", 0),
            (("105", "0102", "1", "1", "2"), "工作報告定稿", dt.date(2016, 8, 1), 10, "destroy", 2),
            (("105", "0102", "1", "1", "3"), "工作報告附件", dt.date(2016, 5, 1), 3, "destroy", 1),
        ],
    )
    folder = Folder.objects.get(agency=sec, file_code="105-0102-001-001")
    assert folder.retention == Retention.Y10
    assert folder.secrecy == 2
    assert (folder.started_on, folder.ended_on) == (dt.date(2016, 2, 1), dt.date(2016, 8, 1))
    assert folder.expires_on == dt.date(2026, 12, 31)
    assert folder.quantity == 3
    # every 件 expires with its 案卷, whatever its own retention
    assert set(folder.items.values_list("expires_on", flat=True)) == {dt.date(2026, 12, 31)}


def test_a_permanent_item_makes_its_folder_permanent(agency, scheme):
    sec = agency("秘書處")
    legacy(
        sec,
        [
            (("105", "0102", "1", "1", "1"), "工作報告", dt.date(2016, 2, 1), 10, "destroy", 0),
            (("105", "0102", "1", "1", "2"), "施政計畫", dt.date(2016, 3, 1), 999, "national", 0),
        ],
    )
    folder = Folder.objects.get(agency=sec, file_code="105-0102-001-001")
    assert folder.retention == Retention.PERMANENT
    assert folder.expires_on is None
    assert folder.disposal == Disposal.NATIONAL


def test_the_scheme_table_pairs_retention_with_disposal(people, agency):
    scheme = services.draft_scheme(agency("秘書處"), by=people["archivist"])
    with pytest.raises(DomainError) as error:
        services.save_entry(
            scheme,
            by=people["archivist"],
            code="01",
            name="綜合規劃",
            level=Level.CLASS,
            retention=Retention.PERMANENT,
            disposal=Disposal.DESTROY,
        )
    assert "disposal" in error.value.fields
    with pytest.raises(DomainError) as error:
        services.save_entry(
            scheme, by=people["archivist"], code="0101", name="計畫", level=Level.SECTION
        )
    assert "parent_code" in error.value.fields


def test_only_the_agencys_archivist_edits_its_scheme(people, agency):
    with pytest.raises(PermissionDenied):
        services.draft_scheme(agency("秘書處"), by=people["udd_archivist"])
    with pytest.raises(PermissionDenied):
        services.draft_scheme(agency("秘書處"), by=people["sec_officer"])


def test_a_new_version_applies_to_files_filed_after_it(people, agency, scheme):
    sec = agency("秘書處")
    archivist = people["archivist"]
    old_entry = scheme.entries.get(code="0103")
    first = proposed(sec, entry=old_entry)
    services.check_filing(first, by=archivist)
    with pytest.raises(DomainError):
        services.save_entry(
            scheme, by=archivist, code="0105", name="新類目", level=2, parent_code="01"
        )
    draft = services.draft_scheme(sec, by=archivist, note="會議紀錄改為10年")
    assert draft.version == 2
    assert draft.entries.count() == scheme.entries.count()
    services.save_entry(
        draft,
        by=archivist,
        code="0103",
        name="會議紀錄",
        level=2,
        parent_code="01",
        retention=Retention.Y10,
        disposal=Disposal.APPRAISE,
    )
    services.publish_scheme(draft, by=archivist)
    second = proposed(sec, title="第二件")
    services.check_filing(second, by=archivist, entry_code="0103")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.entry.scheme.version, first.retention) == (1, Retention.Y5)
    assert (second.entry.scheme.version, second.retention) == (2, Retention.Y10)


def test_checking_a_filing_opens_a_case_and_gives_the_file_code(people, agency, scheme):
    sec = agency("秘書處")
    item = proposed(sec, entry=scheme.entries.get(code="0102"))
    services.check_filing(item, by=people["archivist"], topics="節能", abstract="函復。")
    item.refresh_from_db()
    year = dt.date.today().year - 1911
    assert item.filing == FilingStatus.FILED
    assert item.file_code == f"{year:03d}-0102-001-001-000001"
    assert item.folder.file_code == f"{year:03d}-0102-001-001"
    another = proposed(sec, title="同案第二件", entry=scheme.entries.get(code="0102"))
    services.check_filing(another, by=people["archivist"], folder=item.folder)
    another.refresh_from_db()
    assert another.file_code.endswith("-000002")
    third = proposed(sec, title="新案", entry=scheme.entries.get(code="0102"))
    services.check_filing(third, by=people["archivist"])
    third.refresh_from_db()
    assert third.folder.case_no == 2


def test_the_officer_proposes_and_only_the_archivist_checks(people, agency, scheme):
    sec = agency("秘書處")
    item = proposed(sec)
    services.propose_filing(item, by=people["sec_officer"], entry_code="0102")
    assert item.retention == Retention.Y10
    with pytest.raises(PermissionDenied):
        services.check_filing(item, by=people["sec_officer"])
    with pytest.raises(DomainError) as error:
        services.propose_filing(item, by=people["sec_officer"], entry_code="01")
    assert "entry_code" in error.value.fields


def test_late_filing_is_listed(people, agency, scheme):
    sec = agency("秘書處")
    on_time = proposed(sec, title="準時")
    late = proposed(
        sec,
        title="逾期",
        filed_on=dt.date(2026, 3, 20),
        filing_due=dt.date(2026, 3, 9),
    )
    found = selectors.late_filings(people["archivist"], dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert list(found) == [late]
    assert on_time not in found


def test_search_by_code_prefix_and_title_words_is_scoped(people, agency, scheme, udd_scheme):
    legacy(
        agency("秘書處"),
        [
            (
                ("105", "0102", "1", "1", "1"),
                "市政大樓節能改善",
                dt.date(2016, 2, 1),
                10,
                "destroy",
                0,
            ),
            (
                ("105", "0102", "2", "1", "1"),
                "市政大樓電梯更新",
                dt.date(2016, 2, 1),
                10,
                "destroy",
                0,
            ),
            (("105", "0103", "1", "1", "1"), "節能會議紀錄", dt.date(2016, 2, 1), 5, "destroy", 1),
        ],
    )
    legacy(
        agency("都發局"),
        [(("105", "0102", "1", "1", "1"), "都更節能", dt.date(2016, 2, 1), 10, "destroy", 0)],
    )
    archivist = people["archivist"]
    assert selectors.search_items(archivist, code_prefix="105-0102").count() == 2
    titles = set(selectors.search_items(archivist, words="節能").values_list("title", flat=True))
    # an archivist sees their own agency's catalogue, classified records included
    assert titles == {"市政大樓節能改善", "節能會議紀錄"}
    assert selectors.search_items(archivist, words="市政大樓 電梯").count() == 1
    officer = people["udd_officer"]
    assert list(selectors.search_items(officer, words="節能").values_list("title", flat=True)) == [
        "都更節能"
    ]
    assert not selectors.search_items(people["sec_officer"], words="會議紀錄").exists()


def test_title_words_of_any_length_find_exactly_the_titles_holding_them(people, agency, scheme):
    rows = ["市政大樓節能改善", "節能會議紀錄", "颱風災害", "風災颱", "A棟"]
    legacy(
        agency("秘書處"),
        [
            (("105", "0102", str(n), "1", "1"), title, dt.date(2016, 2, 1), 10, "destroy", 0)
            for n, title in enumerate(rows, start=1)
        ],
    )
    archivist = people["archivist"]

    def found(words):
        return set(selectors.search_items(archivist, words=words).values_list("title", flat=True))

    assert found("颱") == {"颱風災害", "風災颱"}
    assert found("颱風") == {"颱風災害"}
    # its grams (風災, 災颱) are in 「風災颱」 but 「災颱風」 is in no title
    assert found("災颱風") == set()
    assert found("會議紀錄") == {"節能會議紀錄"}
    assert found("節能 改善") == {"市政大樓節能改善"}
    assert found("A棟") == {"A棟"}
    folders = selectors.search_folders(archivist, words="災害")
    assert list(folders.values_list("title", flat=True)) == ["颱風災害"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's grams index")
def test_title_words_are_looked_up_in_the_grams_index():
    """The search's grams expression is the indexes' one: with sequential scans off, PostgreSQL
    answers it from the index (on a large catalogue the planner chooses it; bench/archives)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    for model, index in (
        (Item, "archive_item_title_grams"),
        (Folder, "archive_folder_title_grams"),
    ):
        found = model.objects.alias(grams=selectors.TitleGrams("title"))
        plan = found.filter(grams__contains=selectors.title_grams("颱風")).explain()
        assert index in plan, plan


def test_a_catalogue_record_is_never_deleted(agency, scheme):
    legacy(
        agency("秘書處"),
        [(("105", "0102", "1", "1", "1"), "工作報告", dt.date(2016, 2, 1), 10, "destroy", 0)],
    )
    with pytest.raises(DomainError), transaction.atomic():
        Item.objects.get(title="工作報告").delete()
    folder = Folder.objects.create(
        agency=agency("秘書處"),
        year=115,
        class_code="0102",
        case_no=9,
        volume_no=1,
        file_code="115-0102-009-001",
        title="空案卷",
        retention=Retention.Y10,
    )
    with pytest.raises(DomainError), transaction.atomic():
        Folder.objects.filter(pk=folder.pk).delete()
    assert Folder.objects.filter(pk=folder.pk).exists()
    assert Item.objects.filter(title="工作報告").exists()


def test_pending_filings_show_on_the_dashboard(people, agency, scheme, client):
    proposed(agency("秘書處"), title="待檢核的函")
    kinds = [item.kind for item in selectors.pending_for(people["archivist"])]
    assert kinds == ["待檢核歸檔"]
    assert selectors.pending_for(people["udd_archivist"]) == []
    client.force_login(people["archivist"])
    response = client.get("/")
    assert response.status_code == 200
    assert "1 件公文待檢核歸檔" in response.content.decode()
