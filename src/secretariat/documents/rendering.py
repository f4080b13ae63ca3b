"""公文的輸出: 函, 書函, 簽, 公告, 開會通知單 … in the standard layout (文書處理手冊's 公文
格式), as ODT (ODF, which government documents must be in) and PDF.

One ``Sheet`` — what the printed document says, line by line — feeds both formats, so they
cannot disagree: 檔號 and 保存年限 top right; the 全銜 and 文別; address and contact lines;
受文者; 發文日期 in 民國; 發文字號; 速別; 密等 and 解密條件; 附件; the body with its numbered
items; 正本 and 副本; the 署名 with 「本案依分層負責規定授權○○決行」 where it applies; and
「第○頁，共○頁」 at the foot of every page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from odf.style import Footer, ParagraphProperties, Style, TextProperties
from odf.text import P, PageCount, PageNumber

from secretariat.core import roc
from secretariat.core.documents import document_bytes, html_to_pdf, text_document
from secretariat.documents import content as contents
from secretariat.documents import storage
from secretariat.documents.models import (
    AgencyProfile,
    CopyKind,
    DecisionMark,
    DocType,
    Document,
    DraftRole,
    Secrecy,
    Speed,
)
from secretariat.documents.paragraphs import Line


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Line, ...]

    @property
    def single(self) -> bool:
        return len(self.lines) == 1 and not self.lines[0].label


@dataclass
class Sheet:
    """What the printed document says."""

    doc_type: str
    heading: str  # 臺北市政府秘書處　函
    top_right: list[str] = field(default_factory=list)  # 檔號, 保存年限
    contact: list[str] = field(default_factory=list)  # 地址, 承辦人, 電話, 電子信箱
    facts: list[tuple[str, str]] = field(default_factory=list)  # 受文者 … 附件
    subject_label: str = "主旨"
    subject: str = ""
    sections: list[Section] = field(default_factory=list)
    meeting: list[tuple[str, str]] = field(default_factory=list)
    originals: list[str] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.heading} {self.subject}"


def agency_heading(document: Document, profile: AgencyProfile | None) -> str:
    """The 全銜 a document goes out under (臺北市政府 for a 代字 issued in its name)."""
    if document.in_government_name:
        return settings.DOCUMENTS_GOVERNMENT["name"]
    return profile.heading if profile else document.agency.name


def sheet(document: Document, role: str, content: dict, *, dated: dt.date | None) -> Sheet:
    """The sheet of the ``role`` draft (a 簽 or a 稿) with ``content``, dated ``dated``
    (the 發文日期; None while it is a draft)."""
    profile = AgencyProfile.objects.filter(agency_id=document.agency_id).first()
    doc_type = content.get("doc_type") or document.doc_type
    label = DocType(doc_type).label
    heading = agency_heading(document, profile)
    sheet = Sheet(
        doc_type=doc_type,
        heading=f"{heading}　{label}",
        subject_label=contents.subject_label(doc_type),
        subject=content.get("subject", ""),
        sections=[
            Section(title, tuple(lines)) for title, lines in contents.numbered_sections(content)
        ],
    )
    if document.file_code:
        sheet.top_right.append(f"檔號：{document.file_code}")
    if document.retention:
        sheet.top_right.append(f"保存年限：{document.retention}")
    date_text = roc.format_date(dated, "long") if dated else "（發文時填入）"
    if role == DraftRole.MEMO:
        unit = document.unit.name if document.unit else ""
        sheet.heading = f"簽　於{unit}"
        sheet.facts.append(("日期", date_text))
        officer = document.officer
        sheet.signature = [f"{officer.job_title}　{officer}".strip()] if officer else []
        return sheet
    officer = document.officer
    if profile and profile.address:
        sheet.contact.append(f"地址：{profile.address}")
    if officer is not None:
        sheet.contact.append(f"承辦人：{officer}")
        if officer.phone:
            sheet.contact.append(f"電話：{officer.phone}")
        if officer.email:
            sheet.contact.append(f"電子信箱：{officer.email}")
    recipients = contents.recipients_of(content)
    originals = [r.name for r in recipients if r.copy == CopyKind.ORIGINAL]
    sheet.originals = originals
    sheet.copies = [r.name for r in recipients if r.copy == CopyKind.COPY]
    if doc_type in contents.ADDRESSED:
        addressee = originals[0] if len(originals) == 1 else "如正副本行文單位"
        sheet.facts.append(("受文者", addressee))
    sheet.facts.append(("發文日期", date_text))
    sheet.facts.append(("發文字號", document.reference))
    sheet.facts.append(("速別", Speed(document.speed).label))
    secrecy = Secrecy(document.secrecy).label
    if document.confidential and document.declassify:
        secrecy = f"{secrecy}（{document.declassify}）"
    sheet.facts.append(("密等及解密條件或保密期限", secrecy if document.confidential else ""))
    sheet.facts.append(("附件", _attachments(document)))
    sheet.meeting = [
        (field_label, content.get("meeting", {}).get(key, ""))
        for key, field_label in contents.MEETING_FIELDS
        if content.get("meeting", {}).get(key)
    ]
    sheet.signature = _signature(document, profile, doc_type)
    return sheet


def _attachments(document: Document) -> str:
    found = [
        f"{storage.file_name(document, a)}（{a.get_media_display()}{a.count}份）"
        for a in document.attachments.filter(role=DraftRole.OUTGOING)
    ]
    return "、".join(found)


def _signature(document: Document, profile: AgencyProfile | None, doc_type: str) -> list[str]:
    """署名: the head's title and name (a 書函 is stamped with the agency's strip stamp
    instead), and how the decision was taken."""
    if doc_type == DocType.BRIEF_LETTER:
        return [f"{agency_heading(document, profile)}（條戳）"]
    head = "　".join(p for p in (profile.head_title, profile.head_name) if p) if profile else ""
    lines = [head] if head else []
    decider = document.decided_by
    if document.decision_mark == DecisionMark.ACTING_HEAD and decider is not None:
        if lines:
            lines[0] += "　請假"
        lines.append(f"{decider.job_title}　{decider}　代行")
    elif document.decision_mark == DecisionMark.ACTING_DECISION and decider is not None:
        lines.append(f"{decider.job_title}　{decider}　代決")
    elif document.decision_mark == DecisionMark.DELEGATED:
        lines.append(document.decision_note)
    return lines


def sheet_for(document: Document, role: str, *, dated: dt.date | None = None) -> Sheet:
    """The sheet of the document's newest version of the ``role`` draft."""
    draft = document.drafts.get(role=role)
    version = draft.versions.order_by("-number").first()
    return sheet(document, role, storage.version_content(document, version), dated=dated)


# --- ODT ----------------------------------------------------------------------------------------


def _style(
    name: str,
    *,
    align: str = "justify",
    size: str = "12pt",
    bold: bool = False,
    indent: str = "0cm",
    hanging: str = "0cm",
) -> Style:
    """A paragraph style; ``indent`` with a negative ``hanging`` hangs the number (一、)
    out to the left of the item's text, as printed documents do."""
    style = Style(name=name, displayname=name, family="paragraph")
    style.addElement(
        ParagraphProperties(
            textalign=align, marginbottom="0.1cm", marginleft=indent, textindent=hanging
        )
    )
    weight = "bold" if bold else "normal"
    style.addElement(
        TextProperties(fontsize=size, fontsizeasian=size, fontweight=weight, fontweightasian=weight)
    )
    return style


def odt(sheet: Sheet) -> bytes:
    document, _ = text_document()
    extra = {
        "right": _style("Doc_Right", align="end", size="10pt"),
        "heading": _style("Doc_Heading", align="center", size="20pt", bold=True),
        "contact": _style("Doc_Contact", align="end", size="10pt"),
        "fact": _style("Doc_Fact", size="12pt"),
        "subject": _style("Doc_Subject", size="14pt", indent="1.5cm", hanging="-1.5cm"),
        "section": _style("Doc_Section", size="14pt"),
        "signature": _style("Doc_Signature", align="end", size="16pt", bold=True),
    }
    for level in range(6):
        extra[f"item{level}"] = _style(
            f"Doc_Item_{level}",
            size="14pt",
            indent=f"{1.0 * (level + 1):.1f}cm",
            hanging="-1.0cm",
        )
    for style in extra.values():
        document.styles.addElement(style)
    footer_style = Style(name="Doc_Footer", family="paragraph")
    footer_style.addElement(ParagraphProperties(textalign="center"))
    footer_style.addElement(TextProperties(fontsize="10pt", fontsizeasian="10pt"))
    document.styles.addElement(footer_style)
    _page_count_footer(document, footer_style)

    def add(style_key: str, text: str) -> None:
        document.text.addElement(P(stylename=extra[style_key], text=text))

    for line in sheet.top_right:
        add("right", line)
    add("heading", sheet.heading)
    for line in sheet.contact:
        add("contact", line)
    for label, value in sheet.facts:
        add("fact", f"{label}：{value}")
    add("subject", f"{sheet.subject_label}：{sheet.subject}")
    for section in sheet.sections:
        if section.single:
            add("subject", f"{section.title}：{section.lines[0].text}")
            continue
        add("section", f"{section.title}：")
        for line in section.lines:
            add(f"item{line.level}", f"{line.label}{line.text}")
    for label, value in sheet.meeting:
        add("fact", f"{label}：{value}")
    if sheet.originals or sheet.copies:
        add("fact", f"正本：{'、'.join(sheet.originals)}")
        add("fact", f"副本：{'、'.join(sheet.copies)}")
    for line in sheet.signature:
        add("signature", line)
    return document_bytes(document)


def _page_count_footer(document, style: Style) -> None:
    """「第○頁，共○頁」 in the master page's footer (replacing the shell's 「第 N 頁」)."""
    master = next(e for e in document.masterstyles.childNodes if e.qname[1] == "master-page")
    for child in list(master.childNodes):
        if child.qname[1] == "footer":
            master.removeChild(child)
    footer = Footer()
    page = P(stylename=style, text="第")
    page.addElement(PageNumber(selectpage="current", text="1"))
    page.addText("頁，共")
    page.addElement(PageCount(text="1"))
    page.addText("頁")
    footer.addElement(page)
    master.addElement(footer)


# --- PDF ----------------------------------------------------------------------------------------


def pdf(sheet: Sheet) -> bytes:
    return html_to_pdf(render_to_string("documents/sheet_pdf.html", {"sheet": sheet}))
