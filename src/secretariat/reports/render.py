"""A ``Report`` in five formats: JSON (raw values, for programs), HTML (the web page, with bar
charts), ODT (to edit, laid out like the seeds' report to the council), PDF (the HTML printed
on A4 with page numbers) and ODS (one sheet per table, typed cells).

Layout as staff read it in the seeds: numbers in table cells are bare (177, 2萬1,403) and the
unit goes in the column heading (應出席（人）) unless the heading already says it (件數,
分辦題數); percentages keep their % sign (99.93%). A table marked ``pairs`` prints two items
per line (機關名稱 件數 機關名稱 件數). A chapter no module fills shows 「本期無資料」 on the
web page and is left out of print (ODT, and PDF through the print style sheet). A section's
figures are printed only when it has no paragraph: otherwise its sentences already state
them. Every number and date goes through ``core.roc``."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from odf.number import DateStyle, Day, Month, Number, NumberStyle, PercentageStyle, Year
from odf.number import Text as NumberText
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from odf.style import (
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TextProperties,
)
from odf.table import Table as OdfTable
from odf.table import TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import H, P

from secretariat.core import roc
from secretariat.core.documents import (
    declare_font,
    document_bytes,
    html_to_pdf,
    paragraph_style,
    text_document,
)
from secretariat.core.text import spreadsheet_cell
from secretariat.reports.charts import bar_chart
from secretariat.reports.structure import (
    ITEM_NUMBER,
    Chapter,
    Column,
    IndicatorResult,
    Report,
    SectionData,
    Table,
    Value,
)

NO_DATA = "本期無資料"
PERCENT = "%"
INDICATORS_HEADING = "績效指標達成情形"
INDICATOR_COLUMNS = ("指標", "目標值", "實際值", "達成率", "是否達成")


# --- Values as the report prints them -----------------------------------------------------------


def _percent(value: int | Decimal) -> str:
    # Values are percentages already (99.93); format_percent takes the ratio (0.9993).
    return roc.format_percent(Decimal(value) / 100)


def cell_text(value: Value, unit: str = "") -> str:
    """A table cell: bare counts (2萬1,403), percentages with their sign (99.93%), 民國 dates
    (114年3月31日), text as it is, nothing for a missing value."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return roc.format_date(value)
    if isinstance(value, int | Decimal):
        if unit == PERCENT:
            return _percent(value)
        if value == int(value):
            return roc.format_count(value)
        # A fraction of a count unit (an average of 3.25 天) has no report style of its own.
        return str(value)
    return str(value)


def value_text(value: Value, unit: str = "") -> str:
    """A figure or an indicator in a sentence: 978件, 99.93%, 「—」 when there is none."""
    if value is None:
        return "—"
    text = cell_text(value, unit)
    if isinstance(value, int | Decimal) and unit != PERCENT:
        return text + unit
    return text


def column_heading(column: Column) -> str:
    """件數 stays 件數; 應出席 with the unit 人 becomes 應出席（人）; % shows in the cells."""
    if not column.unit or column.unit == PERCENT or column.unit in column.label:
        return column.label
    return f"{column.label}（{column.unit}）"


def period_code(period: roc.Period) -> str | None:
    """114H1, 114H2 or 114 for a half or a whole 民國 year (what ``parse_period`` reads);
    None for other spans."""
    year = roc.roc_year(period.start)
    for code, candidate in (
        (f"{year}H1", roc.Period.half(year, 1)),
        (f"{year}H2", roc.Period.half(year, 2)),
        (str(year), roc.Period.year(year)),
    ):
        if period == candidate:
            return code
    return None


def period_sentence(period: roc.Period) -> str:
    """114年1月1日至6月30日（以下簡稱114年上半年）, as the seeds open; a span of days is its
    own label."""
    span = roc.Period.between(period.start, period.end).label
    return span if span == period.label else f"{span}（以下簡稱{period.label}）"


# --- The printed layout, shared by HTML and ODT ---------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False


@dataclass(frozen=True)
class Layout:
    """A table as printed: headings and rows of cells (two items per line for ``pairs``)."""

    key: str
    caption: str
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None
    chart: SafeString | None = None

    @property
    def empty(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class SectionLayout:
    key: str
    heading: str
    paragraphs: tuple[str, ...]
    figures: tuple[str, ...]  # 「受理案件：978件」, only when there is no paragraph
    tables: tuple[Layout, ...]

    @property
    def empty(self) -> bool:
        return not (self.paragraphs or self.figures or self.tables)


@dataclass(frozen=True)
class ChapterLayout:
    code: str
    title: str
    sections: tuple[SectionLayout, ...]

    @property
    def heading(self) -> str:
        return f"{self.code}、{self.title}"


def _cells(row: dict[str, Value] | None, columns: tuple[Column, ...]) -> tuple[Cell, ...]:
    row = row or {}
    return tuple(Cell(cell_text(row.get(c.key), c.unit), bool(c.unit)) for c in columns)


def table_layout(table: Table, chart_prefix: str | None = None) -> Layout:
    """The table as printed; with ``chart_prefix`` also its bar chart (HTML only)."""
    header = tuple(Cell(column_heading(c), bool(c.unit)) for c in table.columns)
    rows = [_cells(row, table.columns) for row in table.rows]
    total = _cells(table.total, table.columns) if table.total is not None else None
    if table.pairs:
        blank = tuple(Cell("", cell.numeric) for cell in header)
        header += header
        if len(rows) % 2:
            rows.append(blank)
        rows = [rows[i] + rows[i + 1] for i in range(0, len(rows), 2)]
        total = total + blank if total is not None else None
    chart = bar_chart(table, chart_prefix) if chart_prefix else None
    return Layout(
        key=table.key,
        caption=table.caption,
        header=header,
        rows=tuple(rows),
        total=total,
        # matplotlib writes the SVG and escapes every text in it; the caption is escaped in
        # bar_chart.
        chart=mark_safe(chart) if chart else None,
    )


def _section_layout(section: SectionData, charts: bool) -> SectionLayout:
    if not section.has_records:
        return SectionLayout(section.key, section.heading, (), (), ())
    figures = () if section.paragraphs else section.figures
    prefix = "chart-" + re.sub(r"[^A-Za-z0-9_-]", "-", section.key)
    return SectionLayout(
        key=section.key,
        heading=section.heading,
        paragraphs=section.paragraphs,
        figures=tuple(f"{f.label}：{value_text(f.value, f.unit)}" for f in figures),
        tables=tuple(
            table_layout(table, f"{prefix}-{table.key}" if charts else None)
            for table in section.tables
        ),
    )


def chapter_layouts(report: Report, *, charts: bool = False) -> tuple[ChapterLayout, ...]:
    return tuple(
        ChapterLayout(
            chapter.code,
            chapter.title,
            tuple(_section_layout(s, charts) for s in chapter.sections),
        )
        for chapter in report.chapters
    )


def indicator_rows(report: Report) -> tuple[tuple[Cell, ...], ...]:
    return tuple(
        (
            Cell(result.label),
            Cell(value_text(result.target, result.unit), True),
            Cell(value_text(result.actual, result.unit), True),
            Cell(value_text(result.achievement, PERCENT), True),
            Cell({True: "是", False: "否", None: "—"}[result.met]),
        )
        for result in report.indicators
    )


def heading(report: Report) -> str:
    """壹、114年上半年重要業務執行成果."""
    return f"壹、{report.period.label}重要業務執行成果"


# --- JSON ----------------------------------------------------------------------------------------


def _raw(value: Value) -> int | str | None:
    # Decimals as strings keep 99.93 exact (a JSON number is a binary float to most readers).
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _table_json(table: Table) -> dict:
    return {
        "key": table.key,
        "caption": table.caption,
        "columns": [{"key": c.key, "label": c.label, "unit": c.unit} for c in table.columns],
        "rows": [{key: _raw(value) for key, value in row.items()} for row in table.rows],
        "total": (
            {key: _raw(value) for key, value in table.total.items()}
            if table.total is not None
            else None
        ),
        "pairs": table.pairs,
    }


def _section_json(section: SectionData) -> dict:
    return {
        "key": section.key,
        "heading": section.heading,
        "has_records": section.has_records,
        "paragraphs": list(section.paragraphs),
        "figures": {
            f.key: {"label": f.label, "value": _raw(f.value), "unit": f.unit}
            for f in section.figures
        },
        "tables": [_table_json(table) for table in section.tables],
    }


def _chapter_json(chapter: Chapter) -> dict:
    return {
        "code": chapter.code,
        "title": chapter.title,
        "sections": [_section_json(section) for section in chapter.sections],
    }


def _indicator_json(result: IndicatorResult) -> dict:
    return {
        "key": result.key,
        "label": result.label,
        "unit": result.unit,
        "actual": _raw(result.actual),
        "target": _raw(result.target),
        "achievement": _raw(result.achievement),
        "met": result.met,
    }


def to_json(report: Report) -> dict:
    """The report as JSON-ready data: raw values (int counts, Decimals as strings, ISO dates,
    null for none); docs/reports.md lists every key."""
    return {
        "title": report.title,
        "period": {
            "code": period_code(report.period),
            "label": report.period.label,
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
        },
        "generated_at": report.generated_at.isoformat(),
        "chapters": [_chapter_json(chapter) for chapter in report.chapters],
        "indicators": [_indicator_json(result) for result in report.indicators],
    }


def json_bytes(report: Report) -> bytes:
    return json.dumps(to_json(report), ensure_ascii=False, indent=2).encode() + b"\n"


# --- HTML and PDF --------------------------------------------------------------------------------


def html_context(report: Report, title_level: int = 1) -> dict:
    """What ``reports/_report.html`` shows: the page view and the standalone page share it.
    ``title_level`` is the title's heading level (2 under the web page's own h1); 壹, the
    chapters and the sections go one level further each."""
    parts = ("title", "part", "chapter", "section")
    return {
        "h": {part: title_level + depth for depth, part in enumerate(parts)},
        "report": report,
        "heading": heading(report),
        "period_sentence": period_sentence(report.period),
        "chapters": chapter_layouts(report, charts=True),
        "indicator_columns": INDICATOR_COLUMNS,
        "indicator_rows": indicator_rows(report),
        "indicators_heading": INDICATORS_HEADING,
        "no_data": NO_DATA,
    }


@functools.cache
def document_styles() -> SafeString:
    """The report's style sheet (``reports/report.css``, the one the report page links), for
    the standalone file: a file saved or mailed on has no static files to link to."""
    return mark_safe(Path(finders.find("reports/report.css")).read_text(encoding="utf-8"))


def to_html(report: Report) -> str:
    """A complete page (styles inline, charts as inline SVG) that prints on A4."""
    context = {**html_context(report), "styles": document_styles()}
    return render_to_string("reports/report.html", context)


def to_pdf(report: Report) -> bytes:
    """The HTML page printed on A4 with 「第 N 頁，共 M 頁」; empty chapters left out."""
    return html_to_pdf(to_html(report))


# --- ODT -----------------------------------------------------------------------------------------


def _odt_styles(document: OpenDocumentText) -> dict[str, Style]:
    styles = {
        "caption": paragraph_style(
            "Table_20_caption", "Table caption", size="11pt", bold=True, align="center"
        ),
        "th": paragraph_style(
            "Table_20_heading", "Table heading", size="11pt", bold=True, align="center", below="0cm"
        ),
        "td": paragraph_style(
            "Table_20_contents", "Table contents", size="11pt", align="start", below="0cm"
        ),
        "td_num": paragraph_style(
            "Table_20_number", "Table number", size="11pt", align="end", below="0cm"
        ),
    }
    for style in styles.values():
        document.styles.addElement(style)
    table = Style(name="ReportTable", family="table")
    table.addElement(TableProperties(width="16.5cm", align="margins", marginbottom="0.3cm"))
    cell = Style(name="ReportCell", family="table-cell")
    cell.addElement(TableCellProperties(border="0.5pt solid #000000", padding="0.08cm"))
    wide = Style(name="ReportTextColumn", family="table-column")
    wide.addElement(TableColumnProperties(relcolumnwidth="3*"))
    narrow = Style(name="ReportNumberColumn", family="table-column")
    narrow.addElement(TableColumnProperties(relcolumnwidth="1*"))
    for style in (table, cell, wide, narrow):
        document.automaticstyles.addElement(style)
    styles |= {"table": table, "cell": cell, "wide": wide, "narrow": narrow}
    return styles


def _odt_row(cells: tuple[Cell, ...], styles: dict[str, Style], header: bool = False) -> TableRow:
    row = TableRow()
    for cell in cells:
        style = styles["th"] if header else styles["td_num" if cell.numeric else "td"]
        element = TableCell(stylename=styles["cell"], valuetype="string")
        element.addElement(P(stylename=style, text=cell.text))
        row.addElement(element)
    return row


def _odt_table(
    document: OpenDocumentText,
    styles: dict[str, Style],
    header: tuple[Cell, ...],
    rows: tuple[tuple[Cell, ...], ...],
    total: tuple[Cell, ...] | None = None,
) -> None:
    """A bordered table: the heading row repeats on every page, a total row closes it."""
    table = OdfTable(name=f"表{len(document.getElementsByType(OdfTable)) + 1}")
    table.setAttribute("stylename", styles["table"])
    for cell in header:
        table.addElement(TableColumn(stylename=styles["narrow" if cell.numeric else "wide"]))
    repeated = TableHeaderRows()
    repeated.addElement(_odt_row(header, styles, header=True))
    table.addElement(repeated)
    for row in rows:
        table.addElement(_odt_row(row, styles))
    if total is not None:
        table.addElement(_odt_row(total, styles))
    document.text.addElement(table)


def to_odt(report: Report) -> bytes:
    """The report as an OpenDocument text to edit: cover (title, period, time of the data),
    壹 → chapters 一、… → sections （一）…, paragraphs, tables with a heading and a total row,
    the indicators at the end. Chapters no module fills are left out."""
    document, styles = text_document()
    styles |= _odt_styles(document)
    body = document.text
    body.addElement(P(stylename=styles["title"], text=report.title))
    body.addElement(P(stylename=styles["subtitle"], text=period_sentence(report.period)))
    body.addElement(
        P(
            stylename=styles["subtitle"],
            text=f"資料產製時間：{roc.format_datetime(report.generated_at)}",
        )
    )
    body.addElement(H(outlinelevel=1, stylename=styles["h1"], text=heading(report)))
    for chapter in chapter_layouts(report):
        if not chapter.sections:
            continue
        body.addElement(H(outlinelevel=2, stylename=styles["h2"], text=chapter.heading))
        for section in chapter.sections:
            body.addElement(H(outlinelevel=3, stylename=styles["h3"], text=section.heading))
            for text in (*section.paragraphs, *section.figures):
                body.addElement(P(stylename=styles["body"], text=text))
            for layout in section.tables:
                body.addElement(P(stylename=styles["caption"], text=layout.caption))
                if layout.empty:
                    body.addElement(P(stylename=styles["body"], text=NO_DATA))
                else:
                    _odt_table(document, styles, layout.header, layout.rows, layout.total)
            if section.empty:
                body.addElement(P(stylename=styles["body"], text=NO_DATA))
    if report.indicators:
        body.addElement(H(outlinelevel=1, stylename=styles["h1"], text=INDICATORS_HEADING))
        header = tuple(Cell(label, i in (1, 2, 3)) for i, label in enumerate(INDICATOR_COLUMNS))
        _odt_table(document, styles, header, indicator_rows(report))
    return document_bytes(document)


# --- ODS -----------------------------------------------------------------------------------------

# Characters a sheet name may not hold in the office suites, and Excel's length limit.
_SHEET_FORBIDDEN = re.compile(r"[\[\]*?:/\\']")
SHEET_NAME_MAX = 31


def _ods_styles(document: OpenDocumentSpreadsheet) -> dict[str, Style]:
    whole = NumberStyle(name="N-count")
    whole.addElement(Number(decimalplaces=0, minintegerdigits=1, grouping="true"))
    percent = PercentageStyle(name="N-percent")
    percent.addElement(Number(decimalplaces=2, minintegerdigits=1))
    percent.addElement(NumberText(text="%"))
    # The 民國 calendar, as every date in the report: 114年3月31日.
    roc_date = DateStyle(name="N-roc-date", language="zh", country="TW")
    for part, suffix in ((Year, "年"), (Month, "月"), (Day, "日")):
        roc_date.addElement(part(calendar="ROC"))
        roc_date.addElement(NumberText(text=suffix))
    for data_style in (whole, percent, roc_date):
        document.automaticstyles.addElement(data_style)

    styles = {}
    for name, data_style in (("count", whole), ("percent", percent), ("date", roc_date)):
        styles[name] = Style(name=f"C-{name}", family="table-cell", datastylename=data_style)
    styles["decimal"] = Style(name="C-decimal", family="table-cell")
    styles["text"] = Style(name="C-text", family="table-cell")
    styles["head"] = Style(name="C-head", family="table-cell")
    # In the schema's order: paragraph properties before text properties.
    styles["head"].addElement(ParagraphProperties(textalign="center"))
    styles["head"].addElement(TextProperties(fontweight="bold", fontweightasian="bold"))
    styles["wide"] = Style(name="CO-wide", family="table-column")
    styles["wide"].addElement(TableColumnProperties(columnwidth="6cm"))
    styles["narrow"] = Style(name="CO-narrow", family="table-column")
    styles["narrow"].addElement(TableColumnProperties(columnwidth="2.8cm"))
    for style in styles.values():
        document.automaticstyles.addElement(style)
    return styles


def _ods_cell(value: Value, unit: str, styles: dict[str, Style]) -> TableCell:
    """A typed cell: counts and percentages are numbers a spreadsheet can sum (a percentage
    holds its ratio, 0.9993, shown as 99.93%), dates are dates; the text is the report's."""
    text = cell_text(value, unit)
    if isinstance(value, int | Decimal):
        if unit == PERCENT:
            cell = TableCell(
                valuetype="percentage", value=str(Decimal(value) / 100), stylename=styles["percent"]
            )
        else:
            whole = value == int(value)
            style = styles["count" if whole else "decimal"]
            cell = TableCell(valuetype="float", value=str(value), stylename=style)
    elif isinstance(value, dt.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), stylename=styles["date"])
    else:
        cell = TableCell(valuetype="string", stylename=styles["text"])
        text = spreadsheet_cell(text)  # names and captions come from records people typed
    if text:
        cell.addElement(P(text=text))
    return cell


def _ods_head(labels: list[str], styles: dict[str, Style]) -> TableRow:
    row = TableRow()
    for label in labels:
        cell = TableCell(valuetype="string", stylename=styles["head"])
        cell.addElement(P(text=label))
        row.addElement(cell)
    return row


def _sheet_name(text: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("", text).strip() or "工作表"
    name, number = base[:SHEET_NAME_MAX], 1
    while name in taken:
        number += 1
        suffix = f"-{number}"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(name)
    return name


def _sheet(name: str, columns: list[bool], title: str | None, styles: dict[str, Style]) -> OdfTable:
    """A sheet with its columns sized (text wide, numbers narrow) and an optional title row."""
    sheet = OdfTable(name=name)
    for numeric in columns:
        sheet.addElement(TableColumn(stylename=styles["narrow" if numeric else "wide"]))
    if title:
        row = TableRow()
        cell = TableCell(valuetype="string", stylename=styles["head"])
        cell.addElement(P(text=title))
        row.addElement(cell)
        sheet.addElement(row)
    return sheet


def _figures_sheet(report: Report, styles: dict[str, Style], taken: set[str]) -> OdfTable:
    labels = ["章", "節", "項目", "數值", "單位"]
    sheet = _sheet(_sheet_name("重要數據", taken), [False, False, False, True, False], None, styles)
    sheet.addElement(_ods_head(labels, styles))
    for chapter in report.chapters:
        for section in chapter.sections:
            for figure in section.figures:
                row = TableRow()
                for text in (f"{chapter.code}、{chapter.title}", section.heading, figure.label):
                    row.addElement(_ods_cell(text, "", styles))
                row.addElement(_ods_cell(figure.value, figure.unit, styles))
                row.addElement(_ods_cell(figure.unit, "", styles))
                sheet.addElement(row)
    return sheet


def _table_sheet(
    section: SectionData, table: Table, styles: dict[str, Style], taken: set[str]
) -> OdfTable:
    base = ITEM_NUMBER.sub("", section.heading)
    if len(section.tables) > 1:
        base = f"{base}-{section.tables.index(table) + 1}"
    sheet = _sheet(
        _sheet_name(base, taken), [bool(c.unit) for c in table.columns], table.caption, styles
    )
    sheet.addElement(_ods_head([column_heading(c) for c in table.columns], styles))
    for values in (*table.rows, *((table.total,) if table.total is not None else ())):
        row = TableRow()
        for column in table.columns:
            row.addElement(_ods_cell(values.get(column.key), column.unit, styles))
        sheet.addElement(row)
    return sheet


def _indicators_sheet(report: Report, styles: dict[str, Style], taken: set[str]) -> OdfTable:
    sheet = _sheet(
        _sheet_name("績效指標", taken), [False, False, True, True, True, False], None, styles
    )
    sheet.addElement(_ods_head(["指標", "單位", *INDICATOR_COLUMNS[1:]], styles))
    for result in report.indicators:
        row = TableRow()
        row.addElement(_ods_cell(result.label, "", styles))
        row.addElement(_ods_cell(result.unit, "", styles))
        row.addElement(_ods_cell(result.target, result.unit, styles))
        row.addElement(_ods_cell(result.actual, result.unit, styles))
        row.addElement(_ods_cell(result.achievement, PERCENT, styles))
        row.addElement(_ods_cell({True: "是", False: "否", None: ""}[result.met], "", styles))
        sheet.addElement(row)
    return sheet


def to_ods(report: Report) -> bytes:
    """The report's data as a spreadsheet: a sheet of every section's figures (重要數據), a
    sheet per table (one row per item, the total row last) and a sheet of the indicators."""
    document = OpenDocumentSpreadsheet()
    declare_font(document, size="11pt")
    styles = _ods_styles(document)
    taken: set[str] = set()
    spreadsheet = document.spreadsheet
    spreadsheet.addElement(_figures_sheet(report, styles, taken))
    for chapter in report.chapters:
        for section in chapter.sections:
            for table in section.tables:
                spreadsheet.addElement(_table_sheet(section, table, styles, taken))
    spreadsheet.addElement(_indicators_sheet(report, styles, taken))
    return document_bytes(document)


# --- Formats -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    code: str
    label: str
    extension: str
    content_type: str
    render: Callable[[Report], bytes]


FORMATS: dict[str, Format] = {
    f.code: f
    for f in (
        Format(
            "html",
            "網頁（HTML）",
            "html",
            "text/html; charset=utf-8",
            lambda r: to_html(r).encode(),
        ),
        Format(
            "odt", "文書檔（ODT，可編輯）", "odt", "application/vnd.oasis.opendocument.text", to_odt
        ),
        Format("pdf", "PDF（A4 列印）", "pdf", "application/pdf", to_pdf),
        Format(
            "ods", "試算表（ODS）", "ods", "application/vnd.oasis.opendocument.spreadsheet", to_ods
        ),
        Format("json", "JSON（原始數值）", "json", "application/json", json_bytes),
    )
}
