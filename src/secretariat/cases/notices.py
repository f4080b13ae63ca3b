"""The texts of the engine's notices (通知 and their e-mails): a new or moved part, a draft
awaiting approval, a named officer, a request awaiting a decision, reminders and overdue
notices. Each is a title and a body that summarises the part — case number, subject, kind,
role, assignee and officer, the deadline in 民國 form — so that the e-mail can be acted on
without opening the site; ``core.services.notify`` adds the link (absolute in the e-mail)."""

from __future__ import annotations

from secretariat.cases import kinds
from secretariat.cases.models import Assignment, Case
from secretariat.core import roc


def due_label(part: Assignment) -> str:
    """回復期限, or 進度報告期限 for a tracked part (列管)."""
    kind = kinds.KINDS.get(part.case.kind)
    return "進度報告期限" if kind is not None and kind.tracking else "回復期限"


def due_text(part: Assignment) -> str:
    """The part's deadline as a 公文 writes it: 115年8月16日, or 115年8月16日下午3時 for one in
    working hours."""
    return roc.format_deadline(part.due_at if part.due_at is not None else part.due_on)


def case_lines(case: Case) -> list[str]:
    return [
        f"案號：{case.number}",
        f"主旨：{case.subject}",
        f"類別：{kinds.label(case.kind)}",
    ]


def part_summary(part: Assignment) -> str:
    """The lines every notice about a part carries."""
    lines = case_lines(part.case)
    lines += [
        f"受分辦者：{part.assignee_name}（{part.get_role_display()}）",
        f"承辦人：{part.officer or '未指定'}",
        f"{due_label(part)}：{due_text(part)}",
    ]
    return "\n".join(lines)


def _notice(title: str, lead: str, part: Assignment) -> tuple[str, str]:
    return title, f"{lead}\n\n{part_summary(part)}"


def new_part(part: Assignment) -> tuple[str, str]:
    case = part.case
    return _notice(
        f"新分辦案件 {case.number}（{part.get_role_display()}）：{case.subject}",
        f"秘書處分辦本案予{part.assignee_name}（{part.get_role_display()}），"
        f"請於{due_label(part)} {due_text(part)} 前辦理。",
        part,
    )


def moved_part(part: Assignment) -> tuple[str, str]:
    case = part.case
    return _notice(
        f"改分案件 {case.number}（{part.get_role_display()}）：{case.subject}",
        f"本案改分予{part.assignee_name}（{part.get_role_display()}），"
        f"請於{due_label(part)} {due_text(part)} 前辦理。",
        part,
    )


def merged_part(part: Assignment, into) -> tuple[str, str]:
    """The part's case was merged (併案) into ``into``: the part is withdrawn, nothing to do."""
    case = part.case
    return _notice(
        f"{case.number} 已併入 {into.number} 辦理，本分辦已撤銷",
        f"本案已併入 {into.number}（{into.subject}）辦理，{part.assignee_name}"
        f"（{part.get_role_display()}）的分辦已撤銷，無須回復。",
        part,
    )


def draft_awaiting_approval(part: Assignment, drafted_by) -> tuple[str, str]:
    return _notice(
        f"回復待核 {part.case.number}（{part.assignee_name}）：{part.case.subject}",
        f"{drafted_by} 已擬具回復稿，請核定。",
        part,
    )


def officer_named(part: Assignment) -> tuple[str, str]:
    return _notice(
        f"您被指定承辦 {part.case.number}：{part.case.subject}",
        f"您已被指定為本案{part.assignee_name}（{part.get_role_display()}）的承辦人。",
        part,
    )


def release_asked(part: Assignment) -> tuple[str, str]:
    return _notice(
        f"{part.case.number} 建議解除列管：{part.case.subject}",
        f"{part.assignee_name}填報進度並建議解除列管，請審核。",
        part,
    )


def request_awaiting_decision(label: str, part: Assignment, reason: str, detail: str = ""):
    """改分申請 or 展期申請 awaiting a router's decision."""
    lead = f"{part.assignee_name}申請{label}，請核定。\n理由：{reason}"
    if detail:
        lead += f"\n{detail}"
    return _notice(f"{label}待核定 {part.case.number}（{part.assignee_name}）", lead, part)


def reminder(part: Assignment, left: int) -> tuple[str, str]:
    """期限提醒, ``left`` working days before the deadline (0: due today)."""
    when = "今天到期" if left == 0 else f"將於 {roc.format_date(part.due_on)} 到期"
    remaining = f"今天為{due_label(part)}" if left == 0 else f"尚餘 {left} 個工作天"
    return _notice(
        f"期限提醒：{part.case.number} {when}",
        f"{_about(part)}{due_label(part)}為 {due_text(part)}，{remaining}。",
        part,
    )


def overdue(part: Assignment, late: int) -> tuple[str, str]:
    """逾期通知, ``late`` working days after the deadline."""
    label = due_label(part)
    return _notice(
        f"逾期通知：{part.case.number} 已逾{label} {late} 個工作天",
        f"{_about(part)}{label}為 {due_text(part)}，至今尚未辦理，請儘速辦理或申請展期。",
        part,
    )


def _about(part: Assignment) -> str:
    return f"{part.assignee_name}（{part.get_role_display()}）辦理的「{part.case.subject}」"
