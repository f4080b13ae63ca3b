"""書面答復資料彙編: the agencies' written replies to the questions of one question event,
compiled for the council as an ODT document (to edit) and a PDF (to print).

Order: grouped by councillor in speaking order — a joint question is grouped under its
first-named councillor and lists every asker, and a councillor's group takes the place of the
first question grouped under them — and within a councillor by 題序. Questions filed without
action (存查) are left out. Each question shows one reply
per live part (改分 parts are gone): the lead agency first, then the co-agencies in registry
order. Only replies the agency has approved (已回復) count; a draft awaiting approval is still
missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from odf.text import H, P

from secretariat.cases.selectors import AssignmentRole, AssignmentStatus, CaseStatus
from secretariat.core import roc
from secretariat.core.documents import add_lines, document_bytes, html_to_pdf, text_document
from secretariat.council import selectors
from secretariat.council.models import QuestionEvent

NOT_YET_REPLIED = "（尚未答復）"


@dataclass(frozen=True)
class Reply:
    """One agency's part of a question: its reply once approved, else nothing yet."""

    agency: str  # 全銜 in force on the question date
    role: str  # 主辦 / 協辦
    text: str  # "" until the reply is approved
    replied_on: dt.date | None

    @property
    def answered(self) -> bool:
        return self.replied_on is not None

    @property
    def heading(self) -> str:
        return f"{self.agency}（{self.role}）答復"

    @property
    def replied_on_text(self) -> str:
        return roc.format_date(self.replied_on) if self.replied_on else ""


@dataclass(frozen=True)
class Entry:
    """One question as the compilation shows it."""

    askers: tuple[str, ...]
    sequence: int
    asked_on: dt.date
    case_number: str
    subject: str
    text: str
    replies: tuple[Reply, ...]  # empty while the question is not routed

    @property
    def heading(self) -> str:
        return f"第{self.sequence}題 {self.subject}"

    @property
    def askers_text(self) -> str:
        return "、".join(self.askers)

    @property
    def asked_on_text(self) -> str:
        return roc.format_date(self.asked_on)

    @property
    def complete(self) -> bool:
        return bool(self.replies) and all(reply.answered for reply in self.replies)


@dataclass(frozen=True)
class Group:
    """The questions grouped under one councillor, in 題序."""

    councillor: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Missing:
    """A question still lacking a reply: not routed yet (no agencies), or the agencies whose
    part is not approved."""

    sequence: int
    case_number: str
    subject: str
    askers: tuple[str, ...]
    agencies: tuple[str, ...]

    @property
    def routed(self) -> bool:
        return bool(self.agencies)


@dataclass(frozen=True)
class Compilation:
    event: QuestionEvent
    session: str  # 第14屆第6次定期大會
    period: str  # 114年5月1日至5月20日
    groups: tuple[Group, ...]
    missing: tuple[Missing, ...]

    @property
    def title(self) -> str:
        return f"{self.event.title}書面答復資料彙編"

    @property
    def entries(self) -> list[Entry]:
        return [entry for group in self.groups for entry in group.entries]

    @property
    def complete(self) -> bool:
        return not self.missing


def _part_order(part) -> tuple[bool, int, str]:
    return (part.role != AssignmentRole.LEAD, part.agency.sort_order, part.agency.code)


def _reply(part, asked_on: dt.date) -> Reply:
    replied = part.status == AssignmentStatus.REPLIED
    return Reply(
        agency=part.agency.names_on(asked_on)[0],
        role=part.get_role_display(),
        text=part.reply_text if replied else "",
        replied_on=part.replied_on if replied else None,
    )


def compile_event(event: QuestionEvent) -> Compilation:
    """The event's questions and replies in the compilation's order, and what is missing."""
    rows = sorted(selectors.question_replies(event), key=lambda row: row[0].sequence)
    # One query for every agency's name history rather than one per part.
    prefetch_related_objects([part.agency for _, parts in rows for part in parts], "name_history")

    # Rows come in 題序 order, so groups are created in the order of their first question.
    grouped: dict[int, list[Entry]] = {}
    names: dict[int, str] = {}
    missing: list[Missing] = []
    for question, parts in rows:
        case = question.case
        if case.status == CaseStatus.FILED:
            continue
        askers = sorted(question.askers.all(), key=lambda asker: asker.position)
        names[askers[0].councillor_id] = askers[0].councillor.name
        entry = Entry(
            askers=tuple(asker.councillor.name for asker in askers),
            sequence=question.sequence,
            asked_on=question.asked_on,
            case_number=case.number,
            subject=case.subject,
            text=case.body,
            replies=tuple(
                _reply(part, question.asked_on) for part in sorted(parts, key=_part_order)
            ),
        )
        grouped.setdefault(askers[0].councillor_id, []).append(entry)
        if not entry.complete:
            missing.append(
                Missing(
                    sequence=entry.sequence,
                    case_number=entry.case_number,
                    subject=entry.subject,
                    askers=entry.askers,
                    agencies=tuple(r.agency for r in entry.replies if not r.answered),
                )
            )
    groups = tuple(
        Group(names[councillor_id], tuple(grouped[councillor_id])) for councillor_id in grouped
    )
    return Compilation(
        event=event,
        session=str(event.session),
        period=roc.Period.between(event.start_on, event.end_on).label,
        groups=groups,
        missing=tuple(missing),
    )


# --- ODT ---------------------------------------------------------------------------------------


def render_odt(compilation: Compilation) -> bytes:
    """The compilation as an OpenDocument text (.odt): title, session and period, then a
    heading per councillor and per question, the question and each agency's reply."""
    document, styles = text_document()
    body = document.text
    body.addElement(P(stylename=styles["title"], text=compilation.title))
    body.addElement(P(stylename=styles["subtitle"], text=compilation.session))
    body.addElement(P(stylename=styles["subtitle"], text=compilation.period))
    if not compilation.complete:
        body.addElement(
            P(
                stylename=styles["subtitle"],
                text=f"尚有{len(compilation.missing)}題未完成答復",
            )
        )
    for group in compilation.groups:
        body.addElement(H(outlinelevel=1, stylename=styles["h1"], text=group.councillor))
        for entry in group.entries:
            body.addElement(H(outlinelevel=2, stylename=styles["h2"], text=entry.heading))
            for label, value in (
                ("質詢議員", entry.askers_text),
                ("案號", entry.case_number),
                ("質詢日期", entry.asked_on_text),
            ):
                body.addElement(P(stylename=styles["body"], text=f"{label}：{value}"))
            body.addElement(P(stylename=styles["body"], text="質詢內容："))
            add_lines(document, styles["body"], entry.text)
            if not entry.replies:
                body.addElement(P(stylename=styles["body"], text=NOT_YET_REPLIED))
            for reply in entry.replies:
                body.addElement(H(outlinelevel=3, stylename=styles["h3"], text=reply.heading))
                if not reply.answered:
                    body.addElement(P(stylename=styles["body"], text=NOT_YET_REPLIED))
                    continue
                add_lines(document, styles["body"], reply.text)
                body.addElement(
                    P(stylename=styles["body"], text=f"答復日期：{reply.replied_on_text}")
                )
    return document_bytes(document)


# --- PDF ---------------------------------------------------------------------------------------


def render_pdf(compilation: Compilation) -> bytes:
    """The compilation as an A4 PDF with page numbers, laid out like the ODT."""
    html = render_to_string(
        "council/compilation_pdf.html",
        {"compilation": compilation, "not_yet_replied": NOT_YET_REPLIED},
    )
    return html_to_pdf(html)
