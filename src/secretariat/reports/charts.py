"""Bar charts of a report's tables as inline SVG (matplotlib), for the HTML page and the PDF.

A table gets a chart when it has a label column (no unit, text values) and a count column (a
unit other than %); every count column of that same unit is a series (應出席 and 實到 side by
side). Text stays text in the SVG, in "Noto Sans CJK TC", so that it can be read, searched and
printed sharply; numbers are written by ``core.roc`` like everywhere else."""

from __future__ import annotations

import io
import re
import threading
from decimal import Decimal
from html import escape

from secretariat.core import roc
from secretariat.core.documents import FONT
from secretariat.reports.structure import Column, Table

BRAND = ("#0b3d6b", "#b35900", "#2e7d32")  # the site's brand blue, then AA-contrast accents
INCHES_PER_BAR = 0.32
# An A4 page has about 10 inches of text height: a chart of 30 agencies still fits on one.
MAX_HEIGHT_INCHES = 9.0
WIDTH_INCHES = 6.4
_DECLARATIONS = re.compile(r"^.*?(?=<svg)", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
# matplotlib's one style sheet: ``*{stroke-linejoin: round; stroke-linecap: butt}``.
_STYLE_SHEET = re.compile(r"\s*<defs>\s*<style[^>]*>.*?</style>\s*</defs>", re.S)
_STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')
# matplotlib's rcParams are global: two threads of a web process (`secretariat serve`) drawing
# at once would read each other's settings, and the first to finish would restore them under the
# other. Charts are drawn one at a time.
_DRAWING = threading.Lock()


def _label_column(table: Table) -> Column | None:
    for column in table.columns:
        if not column.unit and all(isinstance(row.get(column.key), str) for row in table.rows):
            return column
    return None


def _series(table: Table) -> list[Column]:
    counts = [column for column in table.columns if column.unit and column.unit != "%"]
    if not counts:
        return []
    return [column for column in counts if column.unit == counts[0].unit]


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | Decimal) else 0.0


def _tick(value: float, _position: object) -> str:
    return roc.format_count(int(value)) if value == int(value) else ""


def _scoped(svg: str, prefix: str) -> str:
    """Give every id (and every reference to it) the chart's prefix: matplotlib numbers its
    ids from 1 in each chart, and two charts on one page must not share one."""
    svg = re.sub(r'\bid="', f'id="{prefix}-', svg)
    svg = svg.replace("url(#", f"url(#{prefix}-")
    return svg.replace('xlink:href="#', f'xlink:href="#{prefix}-')


def _presentation(match: re.Match) -> str:
    declarations = (d.split(":", 1) for d in match[1].split(";") if d.strip())
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in declarations)


def _inline(svg: str, prefix: str) -> str:
    """matplotlib's SVG file as an element to put in a page: no XML declaration or metadata,
    and styles as SVG presentation attributes (fill="#0b3d6b"), because a page's CSS parser
    (WeasyPrint's, for the PDF) reads style attributes as CSS and rejects SVG properties, and
    a ``<style>`` element inside an inline SVG would apply to the whole page."""
    svg = _METADATA.sub("", _DECLARATIONS.sub("", svg, count=1), count=1)
    svg = _STYLE_SHEET.sub("", svg, count=1)
    svg = _STYLE_ATTRIBUTE.sub(_presentation, svg)
    svg = svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    return _scoped(svg, prefix)


def bar_chart(table: Table, prefix: str) -> str | None:
    """The table as a horizontal bar chart (``<svg>`` markup, ids starting with ``prefix``),
    or None when it has nothing to draw: no label or count column, no rows, or only zeros."""
    label, series = _label_column(table), _series(table)
    if label is None or not series or not table.rows:
        return None
    values = [[_number(row.get(column.key)) for row in table.rows] for column in series]
    if not any(any(column) for column in values):
        return None

    # Imported here: matplotlib costs about a second to import, and only charts need it.
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    names = [row[label.key] for row in table.rows]
    settings = {"font.family": FONT, "font.size": 10, "svg.fonttype": "none"}
    # A fixed salt keeps the SVG of the same data the same from one run to the next.
    settings["svg.hashsalt"] = prefix
    with _DRAWING, matplotlib.rc_context(settings):
        bars = len(names) * (1 + 0.5 * (len(series) - 1))
        height = min(0.8 + INCHES_PER_BAR * bars, MAX_HEIGHT_INCHES)
        figure = Figure(figsize=(WIDTH_INCHES, height))
        axes = figure.subplots()
        band = 0.8 / len(series)
        positions = range(len(names))
        for index, (column, numbers) in enumerate(zip(series, values, strict=True)):
            offsets = [p - 0.4 + band * (index + 0.5) for p in positions]
            bars = axes.barh(
                offsets, numbers, height=band, color=BRAND[index % len(BRAND)], label=column.label
            )
            axes.bar_label(bars, labels=[roc.format_count(int(n)) for n in numbers], padding=3)
        axes.set_yticks(list(positions), labels=names)
        axes.invert_yaxis()  # the table's first row on top
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.xaxis.set_major_formatter(FuncFormatter(_tick))
        axes.set_xlabel(series[0].unit)
        axes.margins(x=0.12)
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            # Beside the plot, where it cannot cover a bar.
            axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    described = f'<svg role="img" aria-label="{escape(table.caption)}（長條圖）" '
    return _inline(buffer.getvalue(), prefix).replace("<svg ", described, 1)
