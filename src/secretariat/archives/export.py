"""目錄彙送: every half-year an agency sends its new and changed 案卷 (with their 件),
classified ones excluded, as XML (validated against ``data/catalogue.xsd`` before it leaves)
and as CSV (one row per 件, spreadsheet-safe cells)."""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

from lxml import etree

from secretariat.archives import selectors
from secretariat.archives.models import Access, Retention
from secretariat.core.errors import DomainError
from secretariat.core.roc import Period
from secretariat.core.text import spreadsheet_cell, xml_safe

NAMESPACE = "urn:secretariat:archives:catalogue:1"
SCHEMA = Path(__file__).parent / "data" / "catalogue.xsd"
CSV_COLUMNS = (
    "案卷檔號",
    "案卷案名",
    "檔號",
    "目次號",
    "案名",
    "來(受)文者",
    "收發文字號",
    "文件產生日期",
    "保存年限",
    "應用限制",
    "媒體型式",
    "數量",
    "主題項",
    "案情摘要",
    "庫房",
    "架",
    "層",
    "箱",
)


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _sub(parent, tag: str, value) -> None:
    if value in (None, ""):
        return
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
    element.text = xml_safe(value.isoformat() if hasattr(value, "isoformat") else str(value))


def _exported(folder_qs):
    return folder_qs.prefetch_related("items")


def catalogue_xml(agency, period: Period) -> bytes:
    """The XML of the agency's 目錄彙送 for ``period``; refused if it would not validate."""
    root = etree.Element(
        f"{{{NAMESPACE}}}機關檔案目錄",
        nsmap={None: NAMESPACE},
        機關代碼=agency.official_code or agency.code,
        機關名稱=agency.name,
        期間起=period.start.isoformat(),
        期間迄=period.end.isoformat(),
    )
    for folder in _exported(selectors.export_folders(agency.pk, period.start, period.end)):
        node = etree.SubElement(root, f"{{{NAMESPACE}}}案卷")
        for tag, value in (
            ("檔號", folder.file_code),
            ("年度號", folder.year),
            ("分類號", folder.class_code),
            ("案次號", folder.case_no),
            ("卷次號", folder.volume_no),
            ("案名", folder.title),
            ("案由", folder.subject),
            ("檔案產生日期起", folder.started_on),
            ("檔案產生日期迄", folder.ended_on),
            ("保存年限", Retention(folder.retention).label),
            ("應用限制", Access(folder.access).label),
            ("媒體型式", folder.media),
            ("數量", folder.quantity),
            ("主題項", folder.topics),
            ("案情摘要", folder.abstract),
        ):
            _sub(node, tag, value)
        for item in selectors.exported_items(folder):
            child = etree.SubElement(node, f"{{{NAMESPACE}}}件")
            for tag, value in (
                ("檔號", item.file_code),
                ("目次號", item.item_no),
                ("案名", item.title),
                ("來受文者", item.correspondent),
                ("收發文字號", item.doc_number),
                ("文件產生日期", item.produced_on),
                ("保存年限", Retention(item.retention).label),
                ("應用限制", Access(item.access).label),
                ("媒體型式", item.media),
                ("數量", item.quantity),
                ("主題項", item.topics),
                ("案情摘要", item.abstract),
            ):
                _sub(child, tag, value)
    if not schema().validate(root):
        problem = schema().error_log.last_error
        raise DomainError("export_invalid", f"目錄彙送資料不符格式：{problem.message}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def catalogue_csv(agency, period: Period) -> str:
    """The same records as CSV, one row per 件 (a 案卷 without 件: one row)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for folder in _exported(selectors.export_folders(agency.pk, period.start, period.end)):
        location = (folder.store, folder.shelf, folder.layer, folder.box)
        for item in selectors.exported_items(folder) or [None]:
            row = (
                folder.file_code,
                folder.title,
                item.file_code if item else "",
                item.item_no if item else "",
                item.title if item else "",
                item.correspondent if item else "",
                item.doc_number if item else "",
                item.produced_on.isoformat() if item and item.produced_on else "",
                Retention((item or folder).retention).label,
                Access((item or folder).access).label,
                (item or folder).media,
                (item or folder).quantity,
                (item or folder).topics,
                (item or folder).abstract,
                *location,
            )
            writer.writerow([spreadsheet_cell(str(value)) for value in row])
    return "\ufeff" + out.getvalue()
