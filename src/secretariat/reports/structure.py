"""What a report is made of (its structure), independent of its format: sections computed by the modules
(figures, tables, paragraphs) laid out in the seeds' chapters, and the year's indicators with
their targets. Renderers (``render.py``) turn a ``Report`` into JSON, HTML, ODT, PDF or ODS.

Values are raw: counts as int, rates and percentages as Decimal, dates as date. Formatting in
the government style (「4萬6,011件」, 98.42%, 民國 dates) is the renderers' job, through
``core.roc``; ``unit`` says what a count counts (件, 題, 筆, 天, 場)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from secretariat.core.roc import Period

Value = int | Decimal | str | dt.date | None

# A section heading's item number, 「（三）」: modules write the seed's, the report gives it.
ITEM_NUMBER = re.compile(r"^（[^）]*）")


@dataclass(frozen=True)
class Figure:
    """One figure: ``key`` is stable (JSON), ``label`` is what the report prints."""

    key: str
    label: str
    value: Value
    unit: str = ""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str = ""  # for numeric columns: 件, 題 …; empty for text columns


@dataclass(frozen=True)
class Table:
    """A table with rows of values keyed like its columns, and an optional total row.
    ``pairs`` asks renderers for the seeds' two-pairs-per-line layout (機關名稱 件數 機關名稱
    件數); the data stays one row per item."""

    key: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Value], ...]
    total: dict[str, Value] | None = None
    pairs: bool = False


@dataclass(frozen=True)
class SectionData:
    """A section's content. ``has_records`` False means the period has no records of it at
    all: renderers print 「本期無資料」 instead of sentences about zeros (「共0筆，均依限回
    復」), and JSON keeps the figures (zeros) with ``has_records: false``."""

    key: str
    heading: str  # （一）妥處市民送交市長之陳情案件
    paragraphs: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    has_records: bool = True


@dataclass(frozen=True)
class Section:
    """A module's section: where it goes (``chapter`` code of CHAPTERS, ``order`` within it)
    and how to compute it for a period."""

    key: str
    chapter: str
    order: int
    compute: Callable[[Period], SectionData]


@dataclass(frozen=True)
class Chapter:
    code: str  # 三
    title: str  # 議事業務及行政工作
    sections: tuple[SectionData, ...] = ()


@dataclass(frozen=True)
class Indicator:
    """A performance indicator (績效指標): its actual value for a period, in percent or a
    count; its yearly target comes from ``core.IndicatorTarget`` under the same key."""

    key: str
    label: str
    unit: str  # "%" or a count unit
    compute: Callable[[Period], Decimal | None]


@dataclass(frozen=True)
class IndicatorResult:
    key: str
    label: str
    unit: str
    actual: Decimal | None
    target: Decimal | None

    @property
    def achievement(self) -> Decimal | None:
        """達成率: actual / target in percent, two decimals."""
        if self.actual is None or not self.target:
            return None
        return (self.actual / self.target * 100).quantize(Decimal("0.01"))

    @property
    def met(self) -> bool | None:
        if self.actual is None or self.target is None:
            return None
        return self.actual >= self.target


@dataclass(frozen=True)
class Report:
    """工作報告 of the Secretariat for a period."""

    title: str  # 臺北市政府秘書處工作報告
    period: Period
    generated_at: dt.datetime
    chapters: tuple[Chapter, ...]
    indicators: tuple[IndicatorResult, ...] = field(default=())
