"""The report in five formats, built over records made through the real services: JSON keys
and raw values, the HTML page with its charts, the ODT in the seeds' layout (the petitions
table two pairs per line), the PDF on A4 with page numbers, the ODS with typed cells."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from odf import teletype
from odf.opendocument import load
from odf.table import Table as OdfTable
from odf.table import TableCell, TableRow
from pypdf import PdfReader

from secretariat.archives import reports as archives_reports
from secretariat.archives import use_reports as archives_use_reports
from secretariat.cases import services as case_services
from secretariat.core.models import IndicatorTarget
from secretariat.core.roc import parse_period
from secretariat.council import selectors as council_selectors
from secretariat.council import services as council_services
from secretariat.council.models import EventKind, LiaisonMeetingKind
from secretariat.documents import reports as documents_reports
from secretariat.exchange import reports as exchange_reports
from secretariat.petitions import services as petition_services
from secretariat.reports import render
from secretariat.reports.charts import bar_chart
from secretariat.reports.selectors import build_report
from secretariat.reports.structure import (
    Chapter,
    Column,
    IndicatorResult,
    Report,
    SectionData,
    Table,
)

pytestmark = pytest.mark.django_db

H1 = parse_period("114H1")
TITLE = "臺北市政府秘書處工作報告"
PERIOD_SENTENCE = "114年1月1日至6月30日（以下簡稱114年上半年）"


def _petition(clerk, lead, on: dt.date) -> None:
    receipt = petition_services.submit_petition(
        channel="letter",
        subject="人行道破損",
        body="請儘速修復。",
        category="roads",
        requester={"name": "王小明"},
        received_on=on,
        by=clerk,
    )
    case_services.route_case(receipt.petition.case, lead, by=clerk, on=on)


@pytest.fixture
def records(staff, council_session, councillors, agency):
    """Petitions to three agencies (one after the half-year), three questions of a 市政總質詢
    routed to 都發局, a liaison meeting half attended, and the year's grade-A target."""
    clerk, desk = staff["clerk"], staff["desk"]
    udd, police, pwd = agency("都發局"), agency("警察局"), agency("工務局")
    for lead, on in [
        (udd, dt.date(2025, 1, 6)),
        (udd, dt.date(2025, 3, 3)),
        (police, dt.date(2025, 6, 30)),
        (pwd, dt.date(2025, 2, 3)),
        (police, dt.date(2025, 7, 1)),  # the next half-year
    ]:
        _petition(clerk, lead, on)

    event = council_services.create_event(
        session=council_session,
        kind=EventKind.GENERAL,
        title="市政總質詢",
        start_on=dt.date(2025, 4, 14),
        end_on=dt.date(2025, 4, 24),
        sittings=9,
        by=desk,
    )
    for subject in ("社會住宅", "都市更新", "公園綠地"):
        question = council_services.record_question(
            event=event,
            councillors=[councillors["林議員"]],
            asked_on=dt.date(2025, 4, 15),
            subject=subject,
            text="請說明。",
            by=desk,
        )
        case_services.route_case(question.case, udd, by=desk, on=dt.date(2025, 4, 15))

    came = council_services.appoint_liaison(
        udd, name="張聯絡", phone="02-2720-8889", start_on=dt.date(2025, 3, 3), by=desk
    )
    council_services.appoint_liaison(
        police, name="王聯絡", phone="02-2720-8889", start_on=dt.date(2025, 3, 3), by=desk
    )
    meeting = council_services.create_liaison_meeting(
        LiaisonMeetingKind.MEETING, "府會聯絡人座談會", dt.date(2025, 3, 31), "市政大樓", by=desk
    )
    council_services.record_attendance(meeting, [came.pk], by=desk)
    IndicatorTarget.objects.create(
        indicator=council_selectors.SERVICE_GRADE_A_INDICATOR, year=114, value=Decimal("98")
    )


@pytest.fixture
def report(records) -> Report:
    return build_report(H1)


def _kind(report: Report) -> str:
    """The questions table's label of the 市政總質詢 (the council module words it)."""
    section = next(s for c in report.chapters for s in c.sections if s.key == "council.questions")
    kind = section.tables[0].rows[0]["kind"]
    assert kind.startswith("市政總質詢（9")
    return kind


def _section(data: dict, key: str) -> dict:
    return next(s for c in data["chapters"] for s in c["sections"] if s["key"] == key)


# --- Values as printed ---------------------------------------------------------------------------


def test_values_are_in_report_style():
    assert render.cell_text(21403) == "2萬1,403"
    assert render.cell_text(177, "件") == "177"  # the unit is in the column heading
    assert render.cell_text(Decimal("99.93"), "%") == "99.93%"
    assert render.cell_text(Decimal("100.00"), "%") == "100%"
    assert render.cell_text(dt.date(2025, 3, 31)) == "114年3月31日"
    assert render.cell_text(None, "件") == ""
    assert render.value_text(978, "件") == "978件"
    assert render.value_text(Decimal("95.50"), "%") == "95.50%"
    assert render.value_text(None, "%") == "—"
    assert render.column_heading(Column("count", "件數", "件")) == "件數"
    assert render.column_heading(Column("questions", "分辦題數", "題")) == "分辦題數"
    assert render.column_heading(Column("invited", "應出席", "人")) == "應出席（人）"
    assert render.column_heading(Column("rate", "出席率", "%")) == "出席率"


@pytest.mark.parametrize(
    ("text", "code", "sentence"),
    [
        ("114H1", "114H1", PERIOD_SENTENCE),
        ("114年下半年", "114H2", "114年7月1日至12月31日（以下簡稱114年下半年）"),
        ("114", "114", "114年1月1日至12月31日（以下簡稱114年）"),
        ("114年1月至3月", None, "114年1月1日至3月31日（以下簡稱114年1月至3月）"),
        ("114年1月1日至3月31日", None, "114年1月1日至3月31日"),
    ],
)
def test_period_code_and_opening_sentence(text, code, sentence):
    period = parse_period(text)
    assert render.period_code(period) == code
    assert render.period_sentence(period) == sentence


# --- JSON ----------------------------------------------------------------------------------------


def test_json_has_stable_keys_and_raw_values(report):
    data = json.loads(render.json_bytes(report))

    assert set(data) == {"title", "period", "generated_at", "chapters", "indicators"}
    assert data["title"] == TITLE
    assert data["period"] == {
        "code": "114H1",
        "label": "114年上半年",
        "start": "2025-01-01",
        "end": "2025-06-30",
    }
    assert dt.datetime.fromisoformat(data["generated_at"]).utcoffset() == dt.timedelta(hours=8)
    assert [c["code"] for c in data["chapters"]] == ["一", "二", "三", "四", "五", "六", "七"]
    assert set(data["chapters"][0]) == {"code", "title", "sections"}
    assert data["chapters"][0]["sections"] == []

    petitions = _section(data, "petitions.by_agency")
    assert set(petitions) == {"key", "heading", "has_records", "paragraphs", "figures", "tables"}
    assert petitions["has_records"] is True
    assert petitions["figures"] == {
        "received": {"label": "受理案件", "value": 4, "unit": "件"},
        "routed": {"label": "分辦案件", "value": 4, "unit": "件"},
    }
    (table,) = petitions["tables"]
    assert set(table) == {"key", "caption", "columns", "rows", "total", "pairs"}
    assert table["columns"] == [
        {"key": "agency", "label": "機關名稱", "unit": ""},
        {"key": "count", "label": "件數", "unit": "件"},
    ]
    assert table["rows"] == [
        {"agency": "都發局", "count": 2},
        {"agency": "工務局", "count": 1},
        {"agency": "警察局", "count": 1},
    ]
    assert table["total"] is None and table["pairs"] is True

    questions = _section(data, "council.questions")["tables"][0]
    assert questions["total"] == {"number": "", "kind": "合計", "questions": 3}
    attendance = _section(data, "council.liaison_meetings")
    assert attendance["figures"]["attendance_rate"]["value"] == "50.00"  # Decimal as a string
    row = attendance["tables"][0]["rows"][0]
    assert row["held_on"] == "2025-03-31" and row["invited"] == 2 and row["rate"] == "50.00"

    indicators = {indicator["key"]: indicator for indicator in data["indicators"]}
    assert indicators[council_selectors.SERVICE_GRADE_A_INDICATOR] == {
        "key": council_selectors.SERVICE_GRADE_A_INDICATOR,
        "label": "已結案議員服務案件 A 級（辦理完成）比率",
        "unit": "%",
        "actual": None,  # no service case closed in the half-year
        "target": "98.00",
        "achievement": None,
        "met": None,
    }


# --- HTML ----------------------------------------------------------------------------------------


def test_html_shows_every_chapter_the_tables_and_their_charts(report):
    html = render.to_html(report)

    assert html.startswith("<!DOCTYPE html>")
    assert f'<h1 id="report-title" class="report-title">{TITLE}</h1>' in html
    assert PERIOD_SENTENCE in html and "壹、114年上半年重要業務執行成果" in html
    # A chapter no module fills is shown, marked, and hidden in print.
    empty = re.search(r'<section class="chapter chapter-empty"[^>]*>\s*<h3[^>]*>(.*?)</h3>', html)
    assert empty and empty[1] == "一、國際交流及城市外交"
    assert "本期無資料" in html and ".report .chapter-empty { display: none; }" in html
    # Pairs: two agencies per line.
    assert (
        '<th scope="col">機關名稱</th><th scope="col" class="num">件數</th>'
        '<th scope="col">機關名稱</th><th scope="col" class="num">件數</th>'
    ) in html
    assert '<td>都發局</td><td class="num">2</td><td>工務局</td><td class="num">1</td>' in html
    assert '<td>警察局</td><td class="num">1</td><td></td><td class="num"></td>' in html
    assert '<th scope="col" class="num">應出席（人）</th>' in html
    assert '<td class="num">50%</td>' in html and "<td>114年3月31日</td>" in html
    assert "平均出席率：50%" in html  # figures of a section without paragraphs
    # One chart per table with counts: petitions, questions, attendance, grades (all zero: none).
    charts = re.findall(r'<svg role="img" aria-label="([^"]*)"', html)
    assert charts == [
        "114年上半年市民送交市長之陳情案件受理件數（依主辦機關）（長條圖）",
        "114年上半年議員質詢分辦題數（依質詢類別）（長條圖）",
        "114年上半年府會聯絡人座談會及研習出席情形（長條圖）",
    ]
    assert "font-family=\"'Noto Sans CJK TC'\"" in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert "style=" not in html.split("<svg", 1)[1]  # presentation attributes, not CSS


def test_a_chart_needs_a_label_and_a_count_with_something_to_draw():
    columns = (Column("agency", "機關名稱"), Column("count", "件數", "件"))
    counted = Table("t", "表", columns, ({"agency": "都發局", "count": 3},))
    assert bar_chart(counted, "c1") == bar_chart(counted, "c1")  # the same data, the same SVG
    assert 'id="c1-' in bar_chart(counted, "c1")
    zero = Table("t", "表", columns, ({"agency": "都發局", "count": 0},))
    assert bar_chart(zero, "c") is None
    rates = Table("t", "表", (Column("grade", "等級"), Column("share", "比率", "%")), ())
    assert bar_chart(rates, "c") is None
    numbered = Table("t", "表", (Column("n", "序號"), Column("count", "件數", "件")), ({"n": 1},))
    assert bar_chart(numbered, "c") is None


# --- ODT -----------------------------------------------------------------------------------------


def _odt(data: bytes):
    return load(io.BytesIO(data))


def _lines(document) -> list[str]:
    return [
        teletype.extractText(node)
        for node in document.text.childNodes
        if node.qname[1] in ("p", "h")
    ]


def _rows(table) -> list[list[str]]:
    return [
        [teletype.extractText(cell) for cell in row.getElementsByType(TableCell)]
        for row in table.getElementsByType(TableRow)
    ]


def test_odt_follows_the_seed_layout(report):
    document = _odt(render.to_odt(report))
    lines = _lines(document)

    assert lines[:2] == [TITLE, PERIOD_SENTENCE]
    assert lines[2].startswith("資料產製時間：")
    assert lines[3] == "壹、114年上半年重要業務執行成果"
    assert "三、議事業務及行政工作" in lines and "四、府會事務及議會互動" in lines
    assert "一、國際交流及城市外交" not in lines  # empty chapters are left out of print
    petitions = lines.index("（一）妥處市民送交市長之陳情案件")
    assert lines[petitions + 1 : petitions + 3] == [
        "114年上半年受理案件計4件，詳如下表：",
        "114年上半年市民送交市長之陳情案件受理件數（依主辦機關）",
    ]
    levels = [
        (node.getAttribute("outlinelevel"), teletype.extractText(node))
        for node in document.text.childNodes
        if node.qname[1] == "h"
    ]
    assert levels[0] == ("1", "壹、114年上半年重要業務執行成果")
    # chapters a module fills come in order (二, 公文's, prints its sections without records)
    chapter = levels.index(("2", "三、議事業務及行政工作"))
    assert levels[chapter + 1] == ("3", "（一）妥處市民送交市長之陳情案件")
    assert levels[-1] == ("1", "績效指標達成情形")

    tables = document.text.getElementsByType(OdfTable)
    assert _rows(tables[0]) == [
        ["機關名稱", "件數", "機關名稱", "件數"],
        ["都發局", "2", "工務局", "1"],
        ["警察局", "1", "", ""],
    ]
    assert _rows(tables[1]) == [
        ["序號", "類別", "分辦題數"],
        ["1", _kind(report), "3"],
        ["", "合計", "3"],
    ]
    assert _rows(tables[2])[:2] == [
        ["日期", "名稱", "應出席（人）", "實到（人）", "出席率"],
        ["114年3月31日", "府會聯絡人座談會", "2", "1", "50%"],
    ]
    # the documents', the exchange's and the archives' indicators are tested with their modules
    elsewhere = {
        i.label
        for i in (
            *documents_reports.INDICATORS,
            *exchange_reports.INDICATORS,
            *archives_reports.INDICATORS,
            *archives_use_reports.INDICATORS,
        )
    }
    assert [row for row in _rows(tables[-1]) if row[0] not in elsewhere] == [
        ["指標", "目標值", "實際值", "達成率", "是否達成"],
        ["已結案議員服務案件 A 級（辦理完成）比率", "98%", "—", "—", "—"],
        ["智取櫃運用機關數", "—", "—", "—", "—"],  # lockers: no package yet
        ["智取櫃傳遞包數", "—", "—", "—", "—"],
        ["輿情依限回應率", "—", "—", "—", "—"],  # media: no target, no response
        ["電子化會議場次", "—", "—", "—", "—"],
        ["電子化會議比率", "—", "—", "—", "—"],
        ["機關10分鐘內派員到場達成率", "—", "—", "—", "—"],  # service: no call, no target
        ["專業諮詢服務件數", "—", "—", "—", "—"],
        ["志工服務人次", "—", "—", "—", "—"],
    ]
    styles = document.stylesxml()
    assert 'style:font-name-asian="Noto Sans CJK TC"' in styles
    assert 'fo:page-width="21cm"' in styles


# --- ODS -----------------------------------------------------------------------------------------


def _cells(sheet) -> list[list[tuple[str | None, float | str | None, str]]]:
    """(value type, value, text) of each cell."""
    rows = []
    for row in sheet.getElementsByType(TableRow):
        cells = []
        for cell in row.getElementsByType(TableCell):
            value = cell.getAttribute("value")
            # Numbers as numbers (0.50 and 0.5 are the same value), dates as ISO text.
            value = float(value) if value is not None else cell.getAttribute("datevalue")
            cells.append((cell.getAttribute("valuetype"), value, teletype.extractText(cell)))
        rows.append(cells)
    return rows


def test_ods_has_a_typed_sheet_per_table_and_the_indicators(report):
    document = load(io.BytesIO(render.to_ods(report)))
    sheets = {sheet.getAttribute("name"): sheet for sheet in document.spreadsheet.childNodes}

    expected = [
        "重要數據",
        "妥處市民送交市長之陳情案件",
        "掌握議員關注議題並分辦機關依限妥處",
        "促進府會互動關係",
        "議員服務案件處理等級",
        "績效指標",
    ]
    # other modules' sections (公文's, in 二) add their sheets in between
    assert [name for name in sheets if name in expected] == expected
    assert list(sheets)[0] == "重要數據" and list(sheets)[-1] == "績效指標"
    petitions = _cells(sheets["妥處市民送交市長之陳情案件"])
    assert petitions[0][0][2] == "114年上半年市民送交市長之陳情案件受理件數（依主辦機關）"
    assert [text for _, _, text in petitions[1]] == ["機關名稱", "件數"]
    # One row per agency (no pairs in a sheet), the counts numbers a spreadsheet can sum.
    assert petitions[2:] == [
        [("string", None, "都發局"), ("float", 2, "2")],
        [("string", None, "工務局"), ("float", 1, "1")],
        [("string", None, "警察局"), ("float", 1, "1")],
    ]
    assert sum(row[1][1] for row in petitions[2:]) == 4
    questions = _cells(sheets["掌握議員關注議題並分辦機關依限妥處"])
    assert questions[-1][1:] == [("string", None, "合計"), ("float", 3, "3")]
    attendance = _cells(sheets["促進府會互動關係"])[2]
    assert attendance[0] == ("date", "2025-03-31", "114年3月31日")
    assert attendance[4] == ("percentage", 0.5, "50%")
    figures = _cells(sheets["重要數據"])
    petition_figures = [row for row in figures[1:] if row[0][2] == "三、議事業務及行政工作"]
    assert petition_figures[0] == [
        ("string", None, "三、議事業務及行政工作"),
        ("string", None, "（一）妥處市民送交市長之陳情案件"),
        ("string", None, "受理案件"),
        ("float", 4, "4"),
        ("string", None, "件"),
    ]
    indicators = _cells(sheets["績效指標"])
    assert [text for _, _, text in indicators[0]] == [
        "指標",
        "單位",
        "目標值",
        "實際值",
        "達成率",
        "是否達成",
    ]
    council = next(row for row in indicators if row[0][2].startswith("已結案議員服務案件"))
    assert council[2] == ("percentage", 0.98, "98%")
    assert council[3][0] == "string" and council[3][2] == ""


def test_indicators_with_values_and_empty_tables_say_so():
    table = Table(
        "by_agency", "陳情案件", (Column("agency", "機關名稱"), Column("count", "件數", "件")), ()
    )
    section = SectionData(
        "petitions.by_agency",
        "（一）妥處市民送交市長之陳情案件",
        ("受理案件計0件。",),
        (),
        (table,),
    )
    report = Report(
        TITLE,
        H1,
        dt.datetime(2025, 7, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        (Chapter("三", "議事業務及行政工作", (section,)),),
        (IndicatorResult("x", "臨櫃10分鐘到場率", "%", Decimal("86.44"), Decimal("85")),),
    )
    lines = _lines(_odt(render.to_odt(report)))
    assert lines[2] == "資料產製時間：114年7月1日上午9時30分"
    assert lines[lines.index("陳情案件") + 1] == "本期無資料"
    (indicators,) = _odt(render.to_odt(report)).text.getElementsByType(OdfTable)
    assert _rows(indicators)[1] == ["臨櫃10分鐘到場率", "85%", "86.44%", "101.69%", "是"]
    sheet = load(io.BytesIO(render.to_ods(report))).spreadsheet.childNodes[-1]
    assert _cells(sheet)[1][3:5] == [
        ("percentage", 0.8644, "86.44%"),
        ("percentage", 1.0169, "101.69%"),
    ]
    html = render.to_html(report)
    assert '<p class="table-caption">陳情案件</p>' in html and "<table>" in html  # indicators


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_is_a4_with_page_numbers_and_leaves_out_empty_chapters(report):
    reader = PdfReader(io.BytesIO(render.to_pdf(report)))
    text = "".join(page.extract_text() for page in reader.pages)

    assert TITLE in text and PERIOD_SENTENCE in text
    assert "三、議事業務及行政工作" in text and "國際交流及城市外交" not in text
    assert "114年上半年受理案件計4件" in text and _kind(report) in text
    assert f"第 1 頁，共 {len(reader.pages)} 頁" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Noto-Sans-CJK-TC" in font for font in fonts), fonts


def test_ods_text_cells_that_start_like_a_formula_are_written_as_text():
    table = Table(
        "by_agency",
        "陳情案件",
        (Column("agency", "機關名稱"), Column("count", "件數", "件")),
        (
            {"agency": '=HYPERLINK("http://evil.example")', "count": 3},
            {"agency": "@x", "count": -1},
        ),
    )
    section = SectionData("petitions.by_agency", "（一）陳情", (), (), (table,))
    report = Report(
        TITLE,
        H1,
        dt.datetime(2025, 7, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        (Chapter("三", "議事業務及行政工作", (section,)),),
        (),
    )
    sheets = load(io.BytesIO(render.to_ods(report))).spreadsheet.childNodes
    (sheet,) = [sheet for sheet in sheets if sheet.getAttribute("name") == "陳情"]
    rows = _cells(sheet)[2:]
    assert rows[0] == [("string", None, '\'=HYPERLINK("http://evil.example")'), ("float", 3, "3")]
    # A number stays a number: only text is neutralised.
    assert rows[1] == [("string", None, "'@x"), ("float", -1, "-1")]
