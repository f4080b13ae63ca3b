"""本週重要輿情: the week's 重要 and 重大 opinion items with each agency's response, compiled
for 市政會議 as an OpenDocument text. The meetings module can attach the file to an agenda
(``to_odt(start, end)``); until it exists the press office downloads it from the page."""

from __future__ import annotations

import datetime as dt

from odf.text import H, P

from secretariat.core import roc
from secretariat.core.documents import add_lines, document_bytes, text_document
from secretariat.media import selectors

ODT_TYPE = "application/vnd.oasis.opendocument.text"
NOT_YET = "（尚未回應）"
# An imported response has its day but not its text.
NOT_KEPT = "（回應內容未留存）"


def title(start: dt.date, end: dt.date) -> str:
    return f"本週重要輿情（{roc.format_date(start)}至{roc.format_date(end)}）"


def file_name(start: dt.date, end: dt.date) -> str:
    return f"{title(start, end)}.odt"


def to_odt(start: dt.date, end: dt.date) -> bytes:
    """Title and week, then per item its number, importance and tone, outlet and date, the
    summary, and each agency's response (published clarifications marked)."""
    items = selectors.weekly_items(start, end)
    document, styles = text_document()
    body = document.text
    body.addElement(P(stylename=styles["title"], text=title(start, end)))
    body.addElement(
        P(
            stylename=styles["subtitle"],
            text=f"市政會議報告資料　共{roc.format_count(len(items), '則')}",
        )
    )
    if not items:
        body.addElement(P(stylename=styles["body"], text="本週無重要或重大輿情。"))
    for index, entry in enumerate(items, start=1):
        item, case = entry.item, entry.item.case
        body.addElement(
            H(
                outlinelevel=1,
                stylename=styles["h1"],
                text=f"{index}、【{item.get_importance_display()}】{case.subject}",
            )
        )
        for label, value in (
            ("案號", case.number),
            ("媒體來源", f"{item.outlet}（{roc.format_date(item.reported_on)}）"),
            ("傾向", item.get_tone_display()),
            ("辦理情形", case.get_status_display()),
        ):
            body.addElement(P(stylename=styles["body"], text=f"{label}：{value}"))
        body.addElement(P(stylename=styles["body"], text="摘要："))
        add_lines(document, styles["body"], case.body)
        for part in entry.parts:
            heading = f"{part.agency.short_name}（{part.get_role_display()}）回應"
            body.addElement(H(outlinelevel=2, stylename=styles["h2"], text=heading))
            if part.replied_on is None:
                body.addElement(P(stylename=styles["body"], text=NOT_YET))
                continue
            add_lines(document, styles["body"], part.reply_text or NOT_KEPT)
            clarification = getattr(part, "clarification", None)
            published = "已公開澄清" if clarification and clarification.published else "未公開"
            body.addElement(
                P(
                    stylename=styles["body"],
                    text=f"回應日期：{roc.format_date(part.replied_on)}（{published}）",
                )
            )
    return document_bytes(document)
