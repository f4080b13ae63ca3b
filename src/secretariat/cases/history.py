"""The case page's 異動紀錄 as sentences: 「115年12月7日 上午9時12分　陳收發　分辦：主辦 工務局、
協辦 都發局，期限 115年12月15日」, 「…　黃承辦　擬復（工務局）」, 「…　吳主管　核定回復（工務局）」.

Made from the audit entries the person may read (``selectors.audit_trail_for``: the case, the
parts they see, those parts' 改分/展期 requests and progress reports, the notes they see). The
engine registers a sentence for each of its actions with ``core.history`` (the generic part:
Taipei time, names, field changes in words), and this module puts the entries of one step
together: the parts created by one 分辦 are one sentence, a deadline's reason joins the change
it explains. The raw entries stay with each line for those who may read the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from secretariat.cases import kinds
from secretariat.cases.models import AssignmentRole, AssignmentStatus
from secretariat.core import history
from secretariat.core.models import AuditEntry

CASE, PART = "cases.case", "cases.assignment"
REASSIGNMENT, EXTENSION = "cases.reassignment", "cases.extension"
PROGRESS, NOTE = "cases.progressreport", "cases.casenote"
# The records whose sentences name a part's holder load it with them.
RELATED = {
    PART: ("agency", "unit", "contractor__agency"),
    REASSIGNMENT: ("assignment__agency", "assignment__unit", "assignment__contractor__agency"),
    EXTENSION: ("assignment__agency", "assignment__unit", "assignment__contractor__agency"),
    PROGRESS: ("assignment__agency", "assignment__unit", "assignment__contractor__agency"),
    NOTE: ("for_agency",),
}
# Entries of one step are written within the same request: the same person, a moment apart.
STEP_SECONDS = 5


@dataclass
class HistoryLine:
    """One sentence of the history, with the audit entries it tells (for auditors)."""

    at: dt.datetime
    when: str  # 115年12月7日 上午9時12分
    actor: str
    text: str
    entries: list[AuditEntry] = field(default_factory=list)
    # A line listing parts (分辦, 改分, 撤銷分辦) that others of its step may join.
    verb: str = ""
    fragments: list[tuple[str, str]] = field(default_factory=list)


# --- Helpers for the sentences -------------------------------------------------------------


def _after(entry: AuditEntry, name: str):
    change = (entry.changes or {}).get(name)
    return change[1] if isinstance(change, list) and len(change) == 2 else None


def _before(entry: AuditEntry, name: str):
    change = (entry.changes or {}).get(name)
    return change[0] if isinstance(change, list) and len(change) == 2 else None


def _changed(entry: AuditEntry, name: str) -> bool:
    change = (entry.changes or {}).get(name)
    return isinstance(change, list) and len(change) == 2 and change[0] != change[1]


def _part(entry: AuditEntry, context: history.Context):
    """The part an entry is about: the assignment itself, or the request's or report's."""
    record = context.names.record(entry)
    if record is None:
        return None
    return record if entry.object_type == PART else record.assignment


def _holder(entry: AuditEntry, context: history.Context) -> str:
    part = _part(entry, context)
    return part.assignee_name if part is not None else "（已刪除的分辦）"


def _due(entry: AuditEntry, context: history.Context, side: int = 1) -> str:
    """A part's deadline in the entry: the moment for a deadline in hours, else the day."""
    for name in ("due_at", "due_on"):
        text = history.field_value(entry, name, context.names, side)
        if text:
            return text
    return ""


# A reason is the point of its sentence: shown whole up to the longest one a form takes.
REASON_WORDS = 200


def _detail(entry: AuditEntry, name: str) -> str:
    """A detail of a recorded event (not a field change): a reason, a case number."""
    value = (entry.changes or {}).get(name)
    return history.shorten(value, REASON_WORDS) if value not in (None, "") else ""


def _reason(entry: AuditEntry, name: str) -> str:
    """A reason field as changed by the entry, whole."""
    value = _after(entry, name)
    return history.shorten(value, REASON_WORDS) if value not in (None, "") else ""


# --- The engine's sentences --------------------------------------------------------------------


def _case_opened(entry, context):
    channel = history.field_value(entry, "channel", context.names)
    return f"收件（{channel}）" if channel else "收件"


def _case_imported(entry, context):
    return "由舊系統匯入"


def _case_step(verb: str):
    def sentence(entry, context):
        reason = _reason(entry, "filed_reason")
        return f"{verb}：{reason}" if reason else verb

    return sentence


def _case_merged(entry, context):
    into = history.field_value(entry, "merged_into_id", context.names)
    if _before(entry, "merged_into_id") not in (None, ""):
        return f"改併入 {into}（原併入案件另併他案）"
    reason = _reason(entry, "filed_reason")
    return f"併案：併入 {into}" + (f"，理由：{reason}" if reason else "")


def _merged_here(entry, context):
    reason = _detail(entry, "reason")
    return f"併案：{_detail(entry, 'merged')} 併入本案" + (f"，理由：{reason}" if reason else "")


def _rerouted(entry, context):
    reason = _detail(entry, "reason")
    moved = f"改分：{_detail(entry, 'from')} → {_detail(entry, 'to')}"
    return moved + (f"，理由：{reason}" if reason else "")


def _quiet(entry, context):
    return None


def _case_update(entry, context):
    phrases = history.field_changes(entry, context.names, skip={"updated_at"})
    return f"案件異動：{'；'.join(phrases)}" if phrases else None


def _part_changed(entry, context) -> str | None:
    holder = _holder(entry, context)
    status = _after(entry, "status") if _changed(entry, "status") else None
    action = entry.action
    if status == AssignmentStatus.WITHDRAWN:
        return None  # told by ``_part_line`` as 撤銷分辦 (or by the 改分 that moved it)
    if action == "transition:draft_reply":
        revised = not _changed(entry, "status")  # a draft awaiting approval, rewritten
        return f"修改回復稿（{holder}）" if revised else f"擬復（{holder}）"
    if action == "transition:approve_reply":
        case = context.extra.get("case")
        kind = kinds.KINDS.get(case.kind) if case is not None else None
        approved = kind is None or kind.reply_approval  # else the officer's reply is final
        return f"核定回復（{holder}）" if approved else f"回復（{holder}）"
    if action == "transition:release":
        reason = _reason(entry, "release_reason")
        return f"解除列管（{holder}）" + (f"：{reason}" if reason else "")
    if action == "transition:report_progress":
        return f"填報進度（{holder}），下次報告期限 {_due(entry, context)}"
    phrases = []
    if _changed(entry, "officer_id"):
        officer = history.field_value(entry, "officer_id", context.names) or "（未指定）"
        phrases.append(f"指定承辦人：{holder} {officer}")
    if _changed(entry, "due_on") or _changed(entry, "due_at"):
        verb = "調整期限" if action == "set_due_date" else "回復期限變更"
        phrases.append(f"{verb}（{holder}）：{_due(entry, context, 0)} → {_due(entry, context)}")
    rest = history.field_changes(
        entry,
        context.names,
        skip={
            "officer_id",
            "due_on",
            "due_at",
            "status",
            "reply_text",
            "drafted_by_id",
            "approved_by_id",
            "replied_on",
            "replied_at",
        },
    )
    if rest:
        phrases.append(f"{holder}：{'；'.join(rest)}")
    return "；".join(phrases) or None


def _due_reason(entry, context):
    return f"期限調整理由（{_holder(entry, context)}）：{_detail(entry, 'reason')}"


def _request_created(verb: str):
    def sentence(entry, context):
        holder = _holder(entry, context)
        reason = _reason(entry, "reason")
        text = f"{verb}（{holder}）"
        if entry.object_type == EXTENSION:
            text += f"至 {history.field_value(entry, 'requested_due_on', context.names)}"
        suggested = history.field_value(entry, "suggested_agency_id", context.names)
        if suggested:
            text += f"，建議改分 {suggested}"
        return text + (f"：{reason}" if reason else "")

    return sentence


def _request_decided(noun: str):
    def sentence(entry, context):
        if not _changed(entry, "status"):
            return None
        verdict = "核准" if _after(entry, "status") == "approved" else "駁回"
        note = _reason(entry, "decision_note")
        text = f"{verdict}{noun}（{_holder(entry, context)}）"
        return text + (f"：{note}" if note else "")

    return sentence


def _progress_reported(entry, context):
    asks = "，建議解除列管" if _after(entry, "asks_release") else ""
    return f"填報進度（{_holder(entry, context)}）{asks}"


def _note_added(entry, context):
    note = context.names.record(entry)
    if note is not None and note.for_agency_id is not None:
        return f"新增內部註記（僅限 {note.for_agency.short_name}）"
    return "新增內部註記"


def _requester_viewed(entry, context):
    return "檢視陳情人個人資料"


def register_sentences() -> None:
    """The engine's sentences (called from the cases app's ready)."""
    for action, sentence in (
        ("create", _case_opened),
        ("import:*", _case_imported),
        ("transition:route", _quiet),  # the parts created tell it (``_part_line``)
        ("transition:request_reassignment", _quiet),  # the request tells it
        ("transition:request_extension", _quiet),
        ("transition:decide_reassignment", _quiet),  # the decision tells it
        ("transition:decide_extension", _quiet),
        ("transition:replied", lambda entry, context: "各受分辦者均已回復，全案已回復"),
        ("transition:close", _case_step("結案")),
        ("transition:file", _case_step("存查")),
        ("transition:withdraw", _case_step("登錄撤回")),
        ("transition:merge", _case_merged),
        ("merge", _merged_here),
        ("reroute", _rerouted),
        ("view_requester", _requester_viewed),
        ("*", _case_update),
    ):
        history.register(CASE, action, sentence)
    history.register(PART, "*", _part_changed)
    history.register(PART, "set_due_date_reason", _due_reason)
    history.register(REASSIGNMENT, "create", _request_created("申請改分"))
    history.register(EXTENSION, "create", _request_created("申請展期"))
    for action in ("update", "transition:decide_reassignment", "transition:decide_extension"):
        history.register(REASSIGNMENT, action, _request_decided("改分申請"))
        history.register(EXTENSION, action, _request_decided("展期申請"))
    history.register(PROGRESS, "create", _progress_reported)
    history.register(NOTE, "case_note", _note_added)
    history.register(NOTE, "create", _note_added)


# --- Putting one step's entries together ------------------------------------------------------

# What creating a part means in the step that does it.
_CREATED = {"transition:reroute": "改分", "transition:decide_reassignment": "改分"}
# A part withdrawn by 改分: the 改分 tells it.
_WITHDRAWN_QUIET = set(_CREATED)


def _part_line(entry: AuditEntry, context: history.Context) -> tuple[str, tuple[str, str]] | None:
    """A part created (分辦/改分, with its deadline) or withdrawn with its case (撤銷分辦), as a
    (verb, fragment) that one sentence lists with the others of the step."""
    if entry.object_type != PART:
        return None
    part = context.names.record(entry)
    name = f"{part.get_role_display()} {part.assignee_name}" if part is not None else "（已刪除）"
    if _changed(entry, "status") and _before(entry, "status") is None:
        return _CREATED.get(entry.action, "分辦"), (name, _due(entry, context))
    withdrawn = _changed(entry, "status") and _after(entry, "status") == AssignmentStatus.WITHDRAWN
    if withdrawn and entry.action not in _WITHDRAWN_QUIET:
        return "撤銷分辦", (name, "")
    return None


def _fragments_text(verb: str, fragments: list[tuple[str, str]]) -> str:
    lead = AssignmentRole.LEAD.label
    fragments = sorted(fragments, key=lambda fragment: not fragment[0].startswith(lead))
    dues = {due for _, due in fragments}
    if len(dues) == 1:
        (due,) = dues
        listed = "、".join(name for name, _ in fragments)
        return f"{verb}：{listed}" + (f"，期限 {due}" if due else "")
    listed = "、".join(f"{name}（期限 {due}）" if due else name for name, due in fragments)
    return f"{verb}：{listed}"


def _one_step(first: AuditEntry, entry: AuditEntry) -> bool:
    return (
        first.actor_id == entry.actor_id
        and first.actor_label == entry.actor_label
        and abs((entry.at - first.at).total_seconds()) <= STEP_SECONDS
    )


def _line(entry: AuditEntry, text: str, verb: str = "") -> HistoryLine:
    return HistoryLine(
        at=entry.at,
        when=history.moment(entry.at),
        actor=history.actor_name(entry),
        text=text,
        entries=[entry],
        verb=verb,
    )


class _Teller:
    """Walks the entries oldest first, keeping the lines and the entries of a step that said
    nothing yet (a case's 分辦 before the parts that tell it)."""

    def __init__(self, entries: list[AuditEntry], extra: dict) -> None:
        self.context = history.Context(history.Names(entries, RELATED), extra)
        self.lines: list[HistoryLine] = []
        self.waiting: list[AuditEntry] = []

    def _last_of_step(self, entry: AuditEntry) -> HistoryLine | None:
        last = self.lines[-1] if self.lines else None
        return last if last is not None and _one_step(last.entries[0], entry) else None

    def _add(self, line: HistoryLine) -> None:
        line.entries[:0] = self.waiting
        self.waiting = []
        self.lines.append(line)

    def _flush(self) -> None:
        """Entries of a step no line told: each in words of its own."""
        waiting, self.waiting = self.waiting, []
        for entry in waiting:
            self.lines.append(_line(entry, history.changes_sentence(entry, self.context.names)))

    def take(self, entry: AuditEntry) -> None:
        if self.waiting and not _one_step(self.waiting[0], entry):
            self._flush()
        last = self._last_of_step(entry)
        part_line = _part_line(entry, self.context)
        if part_line is not None:
            verb, fragment = part_line
            if last is not None and last.verb == verb:
                last.fragments.append(fragment)
                last.text = _fragments_text(verb, last.fragments)
                last.entries.append(entry)
            else:
                line = _line(entry, _fragments_text(verb, [fragment]), verb=verb)
                line.fragments.append(fragment)
                self._add(line)
            return
        if last is not None and self._joined(last, entry):
            last.entries.append(entry)
            return
        text = history.describe(entry, self.context)
        if text is None:
            if last is not None:
                last.entries.append(entry)  # a step already told
            else:
                self.waiting.append(entry)
            return
        if last is not None and last.verb == "改分" and entry.object_type == REASSIGNMENT:
            # 「核准改分申請（工務局）」 explains the move that the new part tells.
            last.text, last.verb = f"{text}；{last.text}", ""
            last.entries.append(entry)
            return
        self._add(_line(entry, text))

    def _joined(self, last: HistoryLine, entry: AuditEntry) -> bool:
        """What joins the line of its step: a deadline's reason, the Secretariat's reason for
        its 改分, a progress report's next deadline."""
        if entry.action == "set_due_date_reason":
            last.text += f"，期限理由：{_detail(entry, 'reason')}"
            return True
        if (
            entry.action == "transition:report_progress"
            and entry.object_type == PART
            and last.entries[-1].object_type == PROGRESS
        ):
            last.text += f"，下次報告期限 {_due(entry, self.context)}"
            return True
        if entry.object_type == CASE and entry.action == "reroute" and last.verb == "改分":
            due = last.fragments[-1][1] if last.fragments else ""
            reason = _detail(entry, "reason")
            last.text = f"改分：{_detail(entry, 'from')} → {_detail(entry, 'to')}"
            last.text += (f"，新期限 {due}" if due else "") + (
                f"，理由：{reason}" if reason else ""
            )
            last.verb = ""
            return True
        return False

    def told(self) -> list[HistoryLine]:
        self._flush()
        return self.lines


def tell(entries: list[AuditEntry], extra: dict | None = None) -> list[HistoryLine]:
    """The entries (oldest first) as the lines of a history."""
    teller = _Teller(entries, extra or {})
    for entry in entries:
        teller.take(entry)
    return teller.told()


@dataclass(frozen=True)
class History:
    lines: list[HistoryLine]
    truncated: bool  # older entries were left out


def case_history(user, case, limit: int) -> History:
    """The newest ``limit`` entries of the case's trail the person may read, told oldest
    first. ``case`` comes from ``selectors.case_for`` (it carries the visible parts)."""
    from secretariat.cases import selectors

    newest = list(selectors.audit_trail_for(user, case)[: limit + 1])
    return History(tell(newest[:limit][::-1], {"case": case}), len(newest) > limit)
