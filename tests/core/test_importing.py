"""The import framework: reading CSV (with or without BOM) and XLSX, header and file problems,
progress, permissions, the `secretariat import` command, the background job and the upload
page's views (the browser path is tests/e2e/test_import_page.py)."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from secretariat import cli
from secretariat.cases.models import Case
from secretariat.core import importing
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.importing import run_import
from secretariat.core.models import ImportRun, ImportStatus

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import"
PETITIONS = (EXAMPLES / "petitions.csv").read_bytes()
BOM = b"\xef\xbb\xbf"
HEADER = "案號,收件日期,主旨,主辦機關\r\n"


def messages(outcome):
    return [str(problem) for problem in outcome.problems]


def test_csv_reads_with_and_without_bom_and_with_crlf_lines(registry):
    assert PETITIONS.startswith(BOM)
    assert run_import("petitions", PETITIONS).created == 5
    Case.objects.all().delete()
    without = PETITIONS.removeprefix(BOM).replace(b"\n", b"\r\n")
    assert run_import("petitions", without).created == 5


def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers(registry):
    data = (
        HEADER + "陳114000001,114/03/03,甲,工務局\r\n,,,\r\n\r\n陳114000002,114/02/30,乙,工務局\r\n"
    ).encode()
    # The form is right and the day does not exist: said so, not 「日期格式不正確」.
    assert messages(run_import("petitions", data)) == [
        "第5列「收件日期」：114年2月30日不存在（該月只有28天）。"
    ]


def test_xlsx_with_date_cells_numbers_and_roc_text(registry):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["屆次", "大會", "質詢類別", "場次名稱", "場次起日", "場次迄日", "天數場數"])
    sheet["H1"], sheet["I1"], sheet["J1"], sheet["K1"], sheet["L1"] = (
        "題序",
        "質詢日期",
        "議員",
        "主旨",
        "主辦機關",
    )
    first, last = dt.datetime(2025, 5, 6), dt.datetime(2025, 5, 16)
    sheet.append(
        [
            14,
            "第6次定期大會",
            "市政總質詢",
            "市政總質詢",
            first,
            last,
            9,
            1,
            "114/05/06",
            "林議員",
            "午餐",
            "教育局",
        ]
    )
    sheet.append([])
    sheet.append(
        [
            14,
            "第6次定期大會",
            "市政總質詢",
            "市政總質詢",
            first,
            last,
            9.0,
            2,
            dt.date(2025, 5, 7),
            "陳議員",
            "捷運",
            "捷運局",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = run_import("council-questions", buffer.getvalue())
    assert outcome.ok, messages(outcome)
    assert outcome.created == 2
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert numbers == ["質114000001", "質114000002"]


def test_xlsx_problems_name_the_spreadsheet_row(registry):
    workbook = Workbook()
    workbook.active.append(["案號", "收件日期", "主旨", "主辦機關"])
    workbook.active.append(["陳114000001", "114/03/03", "甲", "工務局"])
    workbook.active.append(["陳114000002", "下週一", "乙", "工務局"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = run_import("petitions", buffer.getvalue())
    assert [(p.row, p.column) for p in outcome.problems] == [(3, "收件日期")]


FORMULA = "此欄為公式（以「=」開頭），請改為純文字或數值後再匯入。"


def test_formula_cells_are_refused_naming_row_and_column(registry):
    data = (HEADER + '陳114000001,114/03/03,"=HYPERLINK(""http://x"",""y"")",工務局\r\n').encode()
    assert messages(run_import("petitions", data)) == [f"第2列「主旨」：{FORMULA}"]
    assert not Case.objects.exists()


def test_xlsx_formula_cells_are_refused_not_evaluated(registry):
    workbook = Workbook()
    workbook.active.append(["案號", "收件日期", "主旨", "主辦機關"])
    workbook.active.append(["陳114000001", "114/03/03", '=CONCAT("騎樓","占用")', "工務局"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = run_import("petitions", buffer.getvalue())
    assert messages(outcome) == [f"第2列「主旨」：{FORMULA}"]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("騎樓\x00占用", "此欄含有不允許的控制字元。"),
        ("騎樓\x1b[31m占用", "此欄含有不允許的控制字元。"),
        ('"騎樓\n占用"', "此欄不可換行或含有定位字元（Tab）。"),
    ],
)
def test_control_characters_are_refused_naming_row_and_column(registry, cell, message):
    data = (HEADER + f"陳114000001,114/03/03,{cell},工務局\r\n").encode()
    assert messages(run_import("petitions", data)) == [f"第2列「主旨」：{message}"]
    assert not Case.objects.exists()


def test_the_text_column_may_hold_line_breaks_but_is_bounded(registry):
    header = "案號,收件日期,主旨,內容,主辦機關\r\n"
    data = (header + '陳114000001,114/03/03,騎樓占用,"第一段\n第二段\t完",工務局\r\n').encode()
    assert run_import("petitions", data).created == 1
    long = "長" * 10_001
    data = (header + f"陳114000002,114/03/03,騎樓占用,{long},工務局\r\n").encode()
    assert messages(run_import("petitions", data)) == [
        "第2列「內容」：此欄不可超過 10,000 字（目前 10,001 字）。"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (HEADER.encode("big5") + "陳114000001,114/03/03,甲,工務局".encode("big5"), "不是 UTF-8"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "舊版 Excel"),
        (b"PK\x03\x04not really a workbook", "無法讀取 XLSX"),
        (b"", "第1列應為標題列"),
        (HEADER.encode(), "檔案中沒有資料列"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(registry, data, message):
    outcome = run_import("petitions", data)
    assert len(outcome.problems) == 1
    assert message in str(outcome.problems[0])
    assert not Case.objects.exists()


def test_header_problems_stop_before_the_rows(registry):
    data = "案號,主旨,主旨,備註\r\n陳1,甲,甲,x\r\n".encode()
    assert messages(run_import("petitions", data)) == [
        "第1列「主旨」：欄位重複。",
        "第1列「備註」：不是此類型的欄位。",
        "第1列「收件日期」：缺少必要欄位。",
    ]


def test_a_file_of_another_type_is_named(registry):
    data = (EXAMPLES / "data-requests.csv").read_bytes()
    outcome = run_import("petitions", data)
    assert (
        str(outcome.problems[0])
        == "標題列符合「議員索資」（data-requests）的格式，請確認匯入類型。"
    )
    assert all(problem.row == 1 for problem in outcome.problems[1:])


def test_headers_forgive_spaces_and_full_width_forms(registry):
    data = " 案號 ,收件日期,主　旨,主辦機關\n陳114000001,114/03/03,甲,工務局\n".encode()
    assert run_import("petitions", data).ok


def test_cells_beyond_the_header_are_reported(registry):
    data = (HEADER + "陳114000001,114/03/03,甲,工務局,多出來的\r\n").encode()
    assert messages(run_import("petitions", data)) == ["第2列：此列的欄位比標題列多。"]


def test_list_splitting_keeps_positions():
    assert importing.split_list("都發局、 交通局，警察局") == ["都發局", "交通局", "警察局"]
    assert importing.split_list("114/03/05、") == ["114/03/05", ""]
    assert importing.split_list("  ") == []


def test_unknown_type_and_permissions(registry, make_person):
    with pytest.raises(DomainError, match="未知的匯入類型：votes"):
        run_import("votes", PETITIONS)
    clerk = make_person("clerk", "秘書處", "registry_clerk")
    with pytest.raises(PermissionDenied):
        run_import("petitions", PETITIONS, by=clerk)
    assert not Case.objects.exists()
    manager = make_person("manager", "秘書處", "secretariat_admin")
    assert run_import("petitions", PETITIONS, by=manager).created == 5


def test_progress_is_reported_per_row_then_around_the_write(registry):
    calls = []
    run_import("petitions", PETITIONS, progress=lambda *call: calls.append(call))
    assert calls == [
        ("check", 0, 5),
        *[("check", n, 5) for n in range(1, 6)],
        ("write", 0, 5),
        ("write", 5, 5),
    ]


# --- The command ------------------------------------------------------------------------------


def test_the_command_prints_the_counts(registry, capsys):
    call_command("import", "petitions", str(EXAMPLES / "petitions.csv"))
    call_command("import", "petitions", str(EXAMPLES / "petitions.csv"))
    assert capsys.readouterr().out.splitlines() == [
        "新增 5 筆、未變更 0 筆",
        "新增 0 筆、未變更 5 筆",
    ]


def test_the_command_lists_problems_and_exits_with_status_1(registry, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "陳114000001,114/1301,甲,火星局\r\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["import", "petitions", str(bad)])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        "第2列「收件日期」：日期格式不正確：「114/1301」"
        "（請用民國 114/03/05、1140305、114年3月5日，或西元 2025/03/05、2025-03-05）。"
    )
    assert err[1].startswith("第2列「主辦機關」：找不到機關「火星局」")
    assert "資料有誤，未匯入任何資料（共 2 個問題）。" in err[2]
    with pytest.raises(CommandError, match="無法讀取檔案"):
        call_command("import", "petitions", str(tmp_path / "missing.csv"))


# --- The background job -----------------------------------------------------------------------


def run_worker():
    call_command(
        "worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*",
        verbosity=0,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_job_imports_an_uploaded_run_and_drops_the_file(registry, admin):
    run = ImportRun.objects.create(
        type="petitions", file_name="petitions.csv", content=PETITIONS, requested_by=admin
    )
    importing.run_import_task.enqueue(run.pk)
    run_worker()
    run.refresh_from_db()
    assert run.status == ImportStatus.SUCCEEDED
    assert (run.created, run.unchanged, run.done, run.total) == (5, 0, 5, 5)
    assert bytes(run.content) == b"" and run.finished_at is not None
    assert Case.objects.filter(created_by=admin).count() == 5


@pytest.mark.django_db(transaction=True)
def test_the_job_records_every_problem(registry, admin):
    data = (
        HEADER + "陳114000001,114/13/01,甲,工務局\r\n陳114000001,114/03/03,乙,工務局\r\n"
    ).encode()
    run = ImportRun.objects.create(
        type="petitions", file_name="bad.csv", content=data, requested_by=admin
    )
    importing.run_import_task.enqueue(run.pk)
    run_worker()
    run.refresh_from_db()
    assert run.status == ImportStatus.REJECTED
    assert [(p["row"], p["column"]) for p in run.problems] == [(2, "收件日期"), (3, "案號")]
    assert (run.done, run.total) == (2, 2)
    assert not Case.objects.exists()


# --- The pages --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def test_only_administrators_reach_the_import_pages(registry, client, make_person, admin):
    run = ImportRun.objects.create(type="petitions", file_name="a.csv", requested_by=admin)
    urls = [
        reverse("core:imports"),
        reverse("core:import_run", args=[run.pk]),
        reverse("core:import_progress", args=[run.pk]),
    ]
    assert client.get(urls[0]).status_code == 302  # to the sign-in page
    client.force_login(make_person("clerk", "秘書處", "registry_clerk"))
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    assert "資料匯入" not in client.get(reverse("core:dashboard")).content.decode()
    client.force_login(make_person("manager", "秘書處", "secretariat_admin"))
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    assert "資料匯入" in client.get(reverse("core:dashboard")).content.decode()


def test_uploading_queues_a_run_and_shows_its_page(registry, admin_client, admin):
    upload = io.BytesIO(PETITIONS)
    upload.name = "petitions.csv"
    response = admin_client.post(reverse("core:imports"), {"type": "petitions", "file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("core:import_run", args=[run.pk])
    assert (run.type, run.file_name, run.requested_by) == ("petitions", "petitions.csv", admin)
    assert bytes(run.content) == PETITIONS
    page = admin_client.get(response.url).content.decode()
    assert "資料匯入：人民陳情" in page and 'hx-trigger="every 1s"' in page


def test_a_file_of_another_kind_is_refused_at_upload(registry, admin_client):
    upload = io.BytesIO(b"%PDF-1.7")
    upload.name = "petitions.pdf"
    response = admin_client.post(reverse("core:imports"), {"type": "petitions", "file": upload})
    assert response.status_code == 400
    assert "只接受 .csv 或 .xlsx 檔案。" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_the_progress_partial_polls_until_the_run_has_finished(registry, admin_client, admin):
    run = ImportRun.objects.create(
        type="petitions",
        file_name="a.csv",
        requested_by=admin,
        status=ImportStatus.CHECKING,
        done=250,
        total=978,
    )
    url = reverse("core:import_progress", args=[run.pk])
    checking = admin_client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in checking
    assert 'max="978" value="250"' in checking and "已檢查 250／978 列（25%）" in checking
    run.status, run.problems = (
        ImportStatus.REJECTED,
        [
            {"row": 5, "column": "收件日期", "message": "日期格式不正確。"},
            {"row": None, "column": "", "message": "匯入期間資料已被變更。"},
        ],
    )
    run.save()
    rejected = admin_client.get(url).content.decode()
    assert "hx-trigger" not in rejected
    assert "資料有誤，未匯入任何資料：共 2 個問題。" in rejected
    assert '<td class="num">第5列</td><td>收件日期</td><td>日期格式不正確。</td>' in rejected
    assert "整個檔案" in rejected


def test_an_agency_cell_is_read_as_of_the_row_s_date(registry):
    """One reading of an agency cell for every importer: blank, unknown, not yet established on
    the row's date (said for the importer's kind of record), or the agency."""
    from secretariat.core.registry import AgencyIndex

    index, problems = AgencyIndex.build(), importing.Problems()
    read = importing.parse_agency
    assert read(index, "", 2, "機關", problems, dt.date(2024, 5, 3)) is None
    assert read(index, "火星局", 3, "機關", problems, dt.date(2024, 5, 3)) is None
    assert (
        read(index, "青年局", 4, "發布機關", problems, dt.date(2024, 5, 3), record="新聞稿") is None
    )
    youth = read(index, "青年局", 5, "發布機關", problems, dt.date(2024, 6, 1))
    assert youth is not None and youth.name == "臺北市政府青年局"
    assert [(p.row, p.column, p.message) for p in problems.items] == [
        (3, "機關", "找不到機關「火星局」（請用全銜、簡稱或舊名，且不可同時指多個機關）。"),
        (4, "發布機關", "臺北市政府青年局於113年6月1日成立，不能用於113年5月3日的新聞稿。"),
    ]


@pytest.mark.parametrize(
    ("text", "blank", "read", "problem"),
    [
        ("1,000", None, 1000, None),
        ("９９９", None, 999, None),  # full-width digits, as sheets typed in Chinese have
        (" 12 ", None, 12, None),
        ("", 0, 0, None),
        ("", None, None, "必填，不可空白。"),
        ("-1", 0, None, "須為0至1,000的整數：「-1」。"),
        ("1001", 0, None, "須為0至1,000的整數：「1001」。"),
        ("十二", 0, None, "須為0至1,000的整數：「十二」。"),
    ],
)
def test_a_whole_number_cell_is_read_one_way_for_every_importer(text, blank, read, problem):
    problems = importing.Problems()

    found = importing.parse_whole(text, 4, "件數", problems, most=1000, blank=blank)

    assert found == read
    assert [(p.row, p.column, p.message) for p in problems.items] == (
        [(4, "件數", problem)] if problem else []
    )


def test_a_whole_number_below_its_least_is_refused():
    problems = importing.Problems()
    assert importing.parse_whole("0", 2, "件數", problems, least=1, most=9) is None
    assert problems.items[0].message == "須為1至9的整數：「0」。"
