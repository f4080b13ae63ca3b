"""What every document the platform writes shares: the CJK font, an A4 OpenDocument text with
the standard paragraph styles and page numbers in the footer, and PDF from HTML (WeasyPrint).
Used by 書面答復資料彙編 (council.compilation) and 工作報告 (reports.render)."""

from __future__ import annotations

import io
import threading

from odf import teletype
from odf.opendocument import OpenDocument, OpenDocumentText
from odf.style import (
    DefaultStyle,
    FontFace,
    Footer,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TextProperties,
)
from odf.text import P, PageNumber

FONT = "Noto Sans CJK TC"
# One PDF at a time per process: a web process serves requests in threads (`secretariat serve`),
# and WeasyPrint, over Pango and fontconfig, does not promise to lay out two documents at once.
_PDF_LOCK = threading.Lock()


def paragraph_style(
    name: str,
    display: str,
    *,
    size: str = "12pt",
    bold: bool = False,
    align: str = "justify",
    above: str = "0cm",
    below: str = "0.2cm",
    outline: int | None = None,
) -> Style:
    """A named paragraph style; with ``outline`` a heading style of that outline level."""
    attributes = {"name": name, "displayname": display, "family": "paragraph"}
    if outline is not None:
        attributes["defaultoutlinelevel"] = str(outline)
    style = Style(**attributes)
    style.addElement(
        ParagraphProperties(
            margintop=above,
            marginbottom=below,
            textalign=align,
            # A heading never ends a page alone.
            keepwithnext="always" if outline is not None else "auto",
        )
    )
    weight = "bold" if bold else "normal"
    style.addElement(
        TextProperties(fontsize=size, fontsizeasian=size, fontweight=weight, fontweightasian=weight)
    )
    return style


def declare_font(document: OpenDocument, size: str = "12pt") -> None:
    """Make the CJK font the document's default (western, Asian and complex scripts alike)
    and its language 中文（臺灣）, so that an office suite neither substitutes a font nor
    spell-checks the text as English."""
    document.fontfacedecls.addElement(
        FontFace(name=FONT, fontfamily=f"'{FONT}'", fontfamilygeneric="swiss", fontpitch="variable")
    )
    for family in ("paragraph", "table-cell"):
        default = DefaultStyle(family=family)
        default.addElement(
            TextProperties(
                fontname=FONT,
                fontnameasian=FONT,
                fontnamecomplex=FONT,
                fontsize=size,
                fontsizeasian=size,
                language="zh",
                country="TW",
                languageasian="zh",
                countryasian="TW",
            )
        )
        document.styles.addElement(default)


def text_document() -> tuple[OpenDocumentText, dict[str, Style]]:
    """An empty A4 text document with the CJK font, 「第 N 頁」 in the footer and the standard
    styles: title, subtitle, h1–h3 (outline levels 1–3), body and footer."""
    document = OpenDocumentText()
    declare_font(document)
    styles = {
        "title": paragraph_style(
            "Title", "Title", size="20pt", bold=True, align="center", below="0.3cm"
        ),
        "subtitle": paragraph_style("Subtitle", "Subtitle", align="center", below="0.1cm"),
        "h1": paragraph_style(
            "Heading_20_1", "Heading 1", size="16pt", bold=True, above="0.6cm", outline=1
        ),
        "h2": paragraph_style(
            "Heading_20_2", "Heading 2", size="14pt", bold=True, above="0.4cm", outline=2
        ),
        "h3": paragraph_style(
            "Heading_20_3", "Heading 3", size="12pt", bold=True, above="0.3cm", outline=3
        ),
        "body": paragraph_style("Text_20_body", "Text body"),
        "footer": paragraph_style("Footer", "Footer", size="10pt", align="center", below="0cm"),
    }
    for style in styles.values():
        document.styles.addElement(style)

    layout = PageLayout(name="A4")
    layout.addElement(
        PageLayoutProperties(
            pagewidth="21cm",
            pageheight="29.7cm",
            printorientation="portrait",
            margintop="2cm",
            marginbottom="2cm",
            marginleft="2.5cm",
            marginright="2cm",
        )
    )
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    footer = Footer()
    page = P(stylename=styles["footer"], text="第 ")
    page.addElement(PageNumber(selectpage="current", text="1"))
    page.addText(" 頁")
    footer.addElement(page)
    master.addElement(footer)
    document.masterstyles.addElement(master)
    return document, styles


def add_lines(document: OpenDocumentText, style: Style, text: str) -> None:
    """Each line of a text as its own paragraph, keeping runs of spaces and tabs."""
    for line in text.splitlines():
        if line.strip():
            paragraph = P(stylename=style)
            teletype.addTextToElement(paragraph, line)
            document.text.addElement(paragraph)


def document_bytes(document: OpenDocument) -> bytes:
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def html_to_pdf(html: str) -> bytes:
    """A PDF of an HTML page (its ``@page`` rules give the size and the page numbers)."""
    # Imported here so that only a PDF request loads WeasyPrint and Pango, not every process
    # that imports a module offering PDFs.
    from weasyprint import HTML

    with _PDF_LOCK:
        return HTML(string=html).write_pdf()
