"""Exports of the case list: CSV (UTF-8 with a BOM, so Excel reads the Chinese) and ODS (a
real spreadsheet: a header row, text and number cells). Requesters are masked (王○明); dates
are 民國 (115/08/16) as on the pages. Text that starts like a formula (citizens write the
subjects) is written as text (``core.text.spreadsheet_cell``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import P

from secretariat.cases import kinds
from secretariat.cases.models import Assignment, Case, Requester, mask_name
from secretariat.core import roc
from secretariat.core.text import spreadsheet_cell

Cell = str | int


@dataclass(frozen=True)
class Sheet:
    title: str
    header: list[str]
    rows: list[list[Cell]]
    widths: list[float]  # centimetres, one per column


def _date(value) -> str:
    return roc.format_date(value, "slash") if value else ""


def masked_requester(case: Case) -> str:
    """The requester as lists show them (王○明), or "" when the case has none."""
    try:
        return mask_name(case.requester.name)
    except Requester.DoesNotExist:
        return ""


def case_sheet(cases: Iterable[Case]) -> Sheet:
    """The Secretariat's list (cases from selectors.case_list_for)."""
    header = ["案號", "案件類別", "主旨", "來源管道", "收件日期", "狀態", "主辦機關"]
    header += ["最近回復期限", "逾期", "陳情人"]
    rows = [
        [
            case.number,
            kinds.label(case.kind),
            case.subject,
            case.get_channel_display(),
            _date(case.received_on),
            case.get_status_display(),
            case.lead_agency or "",
            _date(case.next_due),
            "已逾期" if case.is_overdue else "",
            masked_requester(case),
        ]
        for case in cases
    ]
    return Sheet("案件清單", header, rows, [3.2, 2.4, 9, 2.2, 2.4, 2, 3, 2.6, 1.6, 2])


def part_sheet(parts: Iterable[Assignment]) -> Sheet:
    """An agency's queue (parts from selectors.part_list_for)."""
    header = ["案號", "案件類別", "主旨", "來源管道", "收件日期", "案件狀態", "主協辦"]
    header += ["承辦人", "分辦日期", "回復期限", "辦理狀態", "逾期", "陳情人"]
    rows = [
        [
            part.case.number,
            kinds.label(part.case.kind),
            part.case.subject,
            part.case.get_channel_display(),
            _date(part.case.received_on),
            part.case.get_status_display(),
            part.get_role_display(),
            str(part.officer) if part.officer else "",
            _date(part.assigned_on),
            _date(part.due_on),
            part.get_status_display(),
            "已逾期" if part.is_overdue else "",
            masked_requester(part.case),
        ]
        for part in parts
    ]
    widths = [3.2, 2.4, 9, 2.2, 2.4, 2, 1.6, 2.4, 2.4, 2.4, 2, 1.6, 2]
    return Sheet("本機關案件", header, rows, widths)


def _safe(value: Cell) -> Cell:
    return spreadsheet_cell(value) if isinstance(value, str) else value


def to_csv(sheet: Sheet) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_safe(title) for title in sheet.header])
    writer.writerows([_safe(value) for value in row] for row in sheet.rows)
    return buffer.getvalue().encode("utf-8-sig")


def _cell(value: Cell, style: Style | None = None) -> TableCell:
    if isinstance(value, int):
        cell = TableCell(valuetype="float", value=value)
    else:
        cell = TableCell(valuetype="string")
    if style is not None:
        cell.setAttribute("stylename", style)
    cell.addElement(P(text=str(_safe(value))))
    return cell


def to_ods(sheet: Sheet) -> bytes:
    document = OpenDocumentSpreadsheet()
    bold = Style(name="header", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold", fontweightasian="bold"))
    document.automaticstyles.addElement(bold)
    table = Table(name=sheet.title)
    for number, width in enumerate(sheet.widths):
        column_style = Style(name=f"column{number}", family="table-column")
        column_style.addElement(TableColumnProperties(columnwidth=f"{width}cm"))
        document.automaticstyles.addElement(column_style)
        table.addElement(TableColumn(stylename=column_style))
    header = TableHeaderRows()
    row = TableRow()
    for title in sheet.header:
        row.addElement(_cell(title, bold))
    header.addElement(row)
    table.addElement(header)
    for values in sheet.rows:
        row = TableRow()
        for value in values:
            row.addElement(_cell(value))
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
