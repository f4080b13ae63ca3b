"""The report's structure and the modules' sections. A module registers its sections in its
AppConfig.ready() (``register_section``) and never formats another module's figures."""

from __future__ import annotations

from secretariat.reports.structure import Indicator, Section

# The chapters of 壹、重要業務執行成果 in the seeds' order; a module slots in by code.
CHAPTERS: tuple[tuple[str, str], ...] = (
    ("一", "國際交流及城市外交"),
    ("二", "文書 e 化及檔案管理"),
    ("三", "議事業務及行政工作"),
    ("四", "府會事務及議會互動"),
    ("五", "媒體聯繫與新聞發布"),
    ("六", "市政諮詢及志工服務"),
    ("七", "市政大樓管理及公共事務"),
)
CHAPTER_CODES = {code for code, _ in CHAPTERS}

SECTIONS: dict[str, Section] = {}
INDICATORS: dict[str, Indicator] = {}


def register_section(section: Section) -> None:
    if section.chapter not in CHAPTER_CODES:
        raise ValueError(f"未知的章節：{section.chapter}")
    SECTIONS[section.key] = section


def register_indicator(indicator: Indicator) -> None:
    INDICATORS[indicator.key] = indicator
