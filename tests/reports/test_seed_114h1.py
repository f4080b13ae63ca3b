"""Issue 5 acceptance: import files whose records reproduce the 114年上半年 figures of the
Secretariat's report to the council (../shared/seeds/001_6d378539b029a80c.txt) are imported
through `secretariat import`; `secretariat report --period 114H1` then gives every figure of
the seed — 978 petitions by agency (every row), 57 + 38 + 70 + 258 = 423 council questions by
event, 126 data requests none overdue — and the ODT's tables read as the seed's rows. The
figures come from the imported records; the test only writes the files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from itertools import groupby

import pytest
from django.core.management import call_command
from odf import teletype
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow

from secretariat.core import roc

pytestmark = pytest.mark.django_db

# 三(一) 妥處市民送交市長之陳情案件: (agency as the report prints it, count), in the seed's order.
PETITIONS = [
    ("都發局", 177), ("警察局", 101), ("工務局", 84), ("教育局", 72), ("交通局", 70),
    ("產業局", 66), ("社會局", 61), ("環保局", 60), ("衛生局", 54), ("體育局", 32),
    ("民政局（含區公所）", 23), ("地政局", 21), ("法務局", 18), ("消防局", 18),
    ("捷運公司", 18), ("勞動局", 16), ("觀傳局", 15), ("政風處", 13), ("捷運局", 10),
    ("財政局", 9), ("文化局", 7), ("秘書處", 7), ("青年局", 6), ("兵役局", 5),
    ("研考會", 4), ("人事處", 3), ("自來水處", 3), ("資訊局", 2), ("原民會", 1),
    ("客委會", 1), ("都委會", 1),
]  # fmt: skip
# 民政局（含區公所）: the records name 民政局 and district offices; the report groups them.
CIVIL_AFFAIRS = ["民政局"] * 11 + ["中山區公所"] * 7 + ["北投區公所"] * 5
# 四(一): (質詢類別, 場次名稱, first day, last day, 天數/場數, 分辦題數).
EVENTS = [
    ("市長施政報告", "市長施政報告", dt.date(2025, 3, 4), dt.date(2025, 3, 5), 2, 57),
    (
        "市長報告總預算追加（減）預算",
        "市長報告114年度本市總預算第1次追加（減）預算",
        dt.date(2025, 3, 18),
        dt.date(2025, 3, 18),
        1,
        38,
    ),
    ("市長專案報告", "市長專案報告", dt.date(2025, 4, 1), dt.date(2025, 4, 8), 2, 70),
    ("市政總質詢", "市政總質詢", dt.date(2025, 5, 6), dt.date(2025, 5, 16), 9, 258),
]
DATA_REQUESTS = 126
QUESTION_AGENCIES = ["都發局", "交通局", "教育局", "工務局", "社會局", "警察局"]
COUNCILLORS = [f"議員{n:02d}" for n in range(1, 21)]
SEED_PETITION_ROWS = """
都發局 177 警察局 101
工務局 84 教育局 72
交通局 70 產業局 66
社會局 61 環保局 60
衛生局 54 體育局 32
民政局（含區公所） 23 地政局 21
法務局 18 消防局 18
捷運公司 18 勞動局 16
觀傳局 15 政風處 13
捷運局 10 財政局 9
文化局 7 秘書處 7
青年局 6 兵役局 5
研考會 4 人事處 3
自來水處 3 資訊局 2
原民會 1 客委會 1
都委會 1
"""
SEED_QUESTION_ROWS = """
1 市長施政報告（2 天） 57
2 市長報告 114 年度本市總預算第 1 次追加（減）預算 38
3 市長專案報告（2 場） 70
4 市政總質詢（9 天） 258
合  計 423
"""


def roc_date(day: dt.date) -> str:
    return f"{roc.roc_year(day)}/{day.month:02d}/{day.day:02d}"


def spread(count: int, first: dt.date, last: dt.date) -> list[dt.date]:
    span = (last - first).days
    return [first + dt.timedelta(days=span * i // max(count - 1, 1)) for i in range(count)]


def write_csv(path, header: list[str], rows: list[list[str]]) -> str:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


def petitions_file(tmp_path) -> str:
    leads = []
    for label, count in PETITIONS:
        leads += CIVIL_AFFAIRS if label == "民政局（含區公所）" else [label] * count
    days = spread(len(leads), dt.date(2025, 1, 2), dt.date(2025, 6, 30))
    rows = []
    for index, (lead, day) in enumerate(zip(leads, days, strict=True), start=1):
        reply = day + dt.timedelta(days=3)
        rows.append(
            [f"陳114{index:06d}", roc_date(day), f"陳情第{index}號", "請處理。", lead]
            + [roc_date(day), roc_date(reply), roc_date(reply + dt.timedelta(days=2))]
        )
    header = [
        "案號",
        "收件日期",
        "主旨",
        "內容",
        "主辦機關",
        "分辦日期",
        "主辦回復日期",
        "結案日期",
    ]
    return write_csv(tmp_path / "petitions.csv", header, rows)


def questions_file(tmp_path) -> str:
    rows, number = [], 0
    for kind, title, first, last, sittings, count in EVENTS:
        for sequence, day in enumerate(spread(count, first, last), start=1):
            number += 1
            rows.append(
                [f"質114{number:06d}", "14", "第6次定期大會", kind, title]
                + [roc_date(first), roc_date(last), str(sittings), str(sequence), roc_date(day)]
                + [COUNCILLORS[number % len(COUNCILLORS)], f"質詢第{number}題", "請說明。"]
                + [QUESTION_AGENCIES[number % len(QUESTION_AGENCIES)], roc_date(day)]
                + [roc_date(day + dt.timedelta(days=7))]
            )
    header = ["案號", "屆次", "大會", "質詢類別", "場次名稱", "場次起日", "場次迄日", "天數場數"]
    header += ["題序", "質詢日期", "議員", "主旨", "內容", "主辦機關", "分辦日期", "回復日期"]
    return write_csv(tmp_path / "council-questions.csv", header, rows)


def requests_file(tmp_path) -> str:
    days = spread(DATA_REQUESTS, dt.date(2025, 1, 6), dt.date(2025, 6, 27))
    rows = [
        [f"索114{n:06d}", roc_date(day), COUNCILLORS[n % len(COUNCILLORS)], f"索資第{n}號"]
        + ["請提供資料。", "普通件", QUESTION_AGENCIES[n % 6], roc_date(day), roc_date(day)]
        for n, day in enumerate(days, start=1)
    ]
    header = [
        "案號",
        "收件日期",
        "議員",
        "主旨",
        "內容",
        "速別",
        "權管機關",
        "分辦日期",
        "回復日期",
    ]
    return write_csv(tmp_path / "data-requests.csv", header, rows)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def odt_tables(data: bytes) -> list[list[list[str]]]:
    document = load(io.BytesIO(data))
    return [
        [
            [squeeze(teletype.extractText(cell)) for cell in row.getElementsByType(TableCell)]
            for row in table.getElementsByType(TableRow)
        ]
        for table in document.getElementsByType(Table)
    ]


def pairs(lines: str) -> list[tuple[str, int]]:
    found = re.findall(r"(\S+)\s+([0-9]+)", lines)
    return [(name, int(n)) for name, n in found]


def runs_of_equal_counts(items: list[tuple[str, int]]) -> list[tuple[int, set[str]]]:
    """The seed does not say how it orders agencies with equal counts: compare the counts in
    order, and within each run of equal counts the agencies as a set."""
    return [(n, {name for name, _ in group}) for n, group in groupby(items, key=lambda x: x[1])]


@pytest.mark.django_db(transaction=True)
def test_114h1_report_from_imported_records(tmp_path, registry, capsys):
    for kind, path in (
        ("petitions", petitions_file(tmp_path)),
        ("council-questions", questions_file(tmp_path)),
        ("data-requests", requests_file(tmp_path)),
    ):
        call_command("import", kind, path)
    capsys.readouterr()

    output = tmp_path / "114H1.json"
    call_command("report", "--period", "114H1", "--format", "json", "--output", str(output))
    report = json.loads(output.read_text(encoding="utf-8"))
    sections = {s["key"]: s for c in report["chapters"] for s in c["sections"]}

    petitions = sections["petitions.by_agency"]
    assert petitions["figures"]["received"]["value"] == 978
    (by_agency,) = petitions["tables"]
    rows = [(row["agency"], row["count"]) for row in by_agency["rows"]]
    assert dict(rows) == dict(PETITIONS)
    assert runs_of_equal_counts(rows) == runs_of_equal_counts(PETITIONS)

    questions = sections["council.questions"]
    (by_event,) = questions["tables"]
    assert [(r["kind"], r["questions"]) for r in by_event["rows"]] == [
        ("市長施政報告（2天）", 57),
        ("市長報告114年度本市總預算第1次追加（減）預算", 38),
        ("市長專案報告（2場）", 70),
        ("市政總質詢（9天）", 258),
    ]
    assert by_event["total"]["questions"] == questions["figures"]["routed"]["value"] == 423

    requests = sections["council.data_requests"]
    assert requests["figures"]["received"]["value"] == 126
    assert requests["figures"]["overdue"]["value"] == 0
    assert "126筆，均依限回復，無逾期情形" in requests["paragraphs"][0]

    odt = tmp_path / "114H1.odt"
    call_command("report", "--period", "114H1", "--format", "odt", "--output", str(odt))
    tables = odt_tables(odt.read_bytes())
    petition_table = next(t for t in tables if t and t[0][:2] == ["機關名稱", "件數"])
    printed = pairs(" ".join(" ".join(row) for row in petition_table[1:]))
    assert runs_of_equal_counts(printed) == runs_of_equal_counts(pairs(SEED_PETITION_ROWS))
    assert len(petition_table) - 1 == len(SEED_PETITION_ROWS.strip().splitlines())
    question_table = next(t for t in tables if t and "分辦題數" in t[0])
    assert ["".join(row) for row in question_table[1:]] == [
        squeeze(line) for line in SEED_QUESTION_ROWS.strip().splitlines()
    ]
