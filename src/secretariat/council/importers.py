"""Importing council records: questions (``council-questions``), data requests
(``data-requests``) and councillor service cases (``service-cases``). Format: ``docs/import.md``.

The old systems have no roll to import first, so the terms, sessions, question events and
councillors a file names but the database lacks are created from the file's data, and the
outcome says so. Those already recorded must agree with the file (a councillor out of office
on the day, or an event with other dates, is a problem of the row)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from secretariat.cases.importers import (
    CLOSED,
    CO,
    COLUMN_BODY,
    COLUMN_CLOSED,
    COLUMN_DUE,
    COLUMN_EXTENSIONS,
    COLUMN_MOVES,
    COLUMN_NUMBER,
    COLUMN_ROUTED,
    COLUMN_SUBJECT,
    LEAD,
    NUMBER,
    RECEIVED,
    REPLIED,
    CaseImporter,
    CaseRecord,
)
from secretariat.core import importing, roc
from secretariat.core.importing import Column, Plan, Problems, Row
from secretariat.council import kinds
from secretariat.council.models import (
    Asker,
    Councillor,
    CouncilQuestion,
    DataRequest,
    EventKind,
    Grade,
    QuestionEvent,
    ServiceCase,
    Session,
    SessionKind,
    Term,
    Urgency,
)

TERM = "屆次"
SESSION = "大會"
EVENT_KIND = "質詢類別"
EVENT = "場次名稱"
EVENT_START = "場次起日"
EVENT_END = "場次迄日"
SITTINGS = "天數場數"
SEQUENCE = "題序"
ASKED = "質詢日期"
COUNCILLOR = "議員"
URGENCY = "速別"
CUSTOM_DUE = "指定期限"
OWNER = "權管機關"
GRADE = "處理等級"

# 臺北市議會: a term lasts four years from 12月25日; the 14th began on 2022-12-25.
KNOWN_TERM, KNOWN_TERM_START = 14, dt.date(2022, 12, 25)
_TERM = re.compile(r"第?([0-9]+)屆?")
_SESSION = re.compile(r"(?:第([0-9]+)屆)?第([0-9]+)次(定期大會|臨時會)")
SESSION_KINDS = {label: value for value, label in SessionKind.choices}
EVENT_KINDS = {label: value for value, label in EventKind.choices}
URGENCIES = {label: value for value, label in Urgency.choices}
GRADES = {value: value for value in Grade.values}

COLUMN_REPLIED = Column(REPLIED, False, "各機關的回復日期（主辦與協辦同一日期）。")


def term_dates(number: int) -> tuple[dt.date, dt.date]:
    """The statutory dates of a term: 12月25日 four years apart."""
    start = KNOWN_TERM_START.replace(year=KNOWN_TERM_START.year + 4 * (number - KNOWN_TERM))
    return start, start.replace(year=start.year + 4) - dt.timedelta(days=1)


def term_number_on(day: dt.date) -> int:
    years = day.year - KNOWN_TERM_START.year
    if (day.month, day.day) < (KNOWN_TERM_START.month, KNOWN_TERM_START.day):
        years -= 1
    return KNOWN_TERM + years // 4


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _period(start: dt.date, end: dt.date | None) -> str:
    return f"{roc.format_date(start)}至{roc.format_date(end) if end else '今'}"


class Roll:
    """The terms, sessions, question events and councillors a file refers to: those in the
    database, and new ones (saved by :meth:`save` before the cases, and noted)."""

    def __init__(self) -> None:
        self.terms = {term.number: term for term in Term.objects.all()}
        self.sessions = {
            (s.term.number, s.kind, s.number): s for s in Session.objects.select_related("term")
        }
        self.events: dict[tuple, list[QuestionEvent]] = {}
        for event in QuestionEvent.objects.select_related("session__term"):
            session = event.session
            key = (session.term.number, session.kind, session.number, event.title)
            self.events.setdefault(key, []).append(event)
        self.members = {
            (c.term.number, c.name): c for c in Councillor.objects.select_related("term")
        }
        self.new: list[Term | Session | QuestionEvent | Councillor] = []
        self.first_row: dict[tuple, int] = {}

    # --- Terms and councillors

    def term(self, number: int) -> Term:
        if number not in self.terms:
            start, end = term_dates(number)
            self.terms[number] = Term(number=number, start_on=start, end_on=end)
            self.new.append(self.terms[number])
        return self.terms[number]

    def term_on(self, day: dt.date) -> Term:
        """The term in office on ``day``: a recorded one covering it, else the statutory one."""
        for term in sorted(self.terms.values(), key=lambda t: t.start_on, reverse=True):
            if term.pk and term.start_on <= day and (term.end_on is None or day <= term.end_on):
                return term
        return self.term(term_number_on(day))

    def councillors(
        self, row: Row, column: str, term: Term, on: dt.date, problems: Problems
    ) -> list[Councillor] | None:
        """The councillors a cell names (「、」 between names), in office on ``on``."""
        names = importing.split_list(row[column])
        if "" in names:
            problems.add(row.number, column, "議員姓名之間有空白項目。")
            return None
        if len(set(names)) != len(names):
            problems.add(row.number, column, "議員重複。")
            return None
        found = []
        for name in names:
            councillor = self.members.get((term.number, name))
            if councillor is None:
                councillor = Councillor(term=term, name=name, active_from=term.start_on)
                self.members[(term.number, name)] = councillor
                self.new.append(councillor)
            elif not councillor.active_on(on):
                problems.add(
                    row.number,
                    column,
                    f"{name}於{roc.format_date(on)}不在任（{term}在任期間"
                    f"{_period(councillor.active_from, councillor.active_to)}）。",
                )
                return None
            found.append(councillor)
        return found

    # --- Sessions and question events

    def session(self, term: Term, kind: str, number: int) -> Session:
        key = (term.number, kind, number)
        if key not in self.sessions:
            self.sessions[key] = Session(term=term, kind=kind, number=number)
            self.new.append(self.sessions[key])
        return self.sessions[key]

    def event(
        self,
        row: Row,
        problems: Problems,
        session: Session,
        values: dict[str, Any],
    ) -> QuestionEvent | None:
        """The event a row names by its session and title; ``values`` are the row's 質詢類別,
        起日, 迄日 and 天數場數, which must agree with the event recorded or read before."""
        key = (session.term.number, session.kind, session.number, values[EVENT])
        known = self.events.get(key, [])
        if len(known) > 1:
            problems.add(row.number, EVENT, f"{session}有多個名為「{values[EVENT]}」的場次。")
            return None
        if not known:
            event = QuestionEvent(
                session=session,
                title=values[EVENT],
                kind=values[EVENT_KIND],
                start_on=values[EVENT_START],
                end_on=values[EVENT_END],
                sittings=values[SITTINGS],
            )
            self.events[key] = [event]
            self.first_row[key] = row.number
            self.new.append(event)
            if session.pk is None:
                session.start_on = min(filter(None, (session.start_on, event.start_on)))
                session.end_on = max(filter(None, (session.end_on, event.end_on)))
            elif not (session.start_on <= event.start_on and event.end_on <= session.end_on):
                problems.add(
                    row.number,
                    EVENT_START,
                    f"場次日期須在{session}會期內（{_period(session.start_on, session.end_on)}）。",
                )
            return event
        event = known[0]
        recorded = {
            EVENT_KIND: event.kind,
            EVENT_START: event.start_on,
            EVENT_END: event.end_on,
            SITTINGS: event.sittings,
        }
        for column, value in recorded.items():
            if values[column] != value:
                where = (
                    f"與第{self.first_row[key]}列同一場次的"
                    if key in self.first_row
                    else f"場次「{event.title}」已存在，其"
                )
                problems.add(row.number, column, f"{where}{column}不同。")
                return None
        return event

    def save(self) -> list[str]:
        """Save the new records (audited one by one: there are few) and say what was added."""
        notes = []
        for record in self.new:
            record.save()
            if isinstance(record, Term):
                notes.append(f"新增議會屆次：{record}（{_period(record.start_on, record.end_on)}）")
            elif isinstance(record, Session):
                notes.append(
                    f"新增大會：{record}（會期暫以場次日期"
                    f"{_period(record.start_on, record.end_on)}記錄，請於管理介面確認）"
                )
            elif isinstance(record, QuestionEvent):
                notes.append(f"新增質詢場次：{record.session}{record.title}")
            else:
                notes.append(f"新增議員：{record.name}（{record.term}）")
        return notes


@dataclass
class CouncilRecord(CaseRecord):
    """A council case with the roll records it refers to."""

    councillors: list[Councillor] = field(default_factory=list)
    event: QuestionEvent | None = None
    sequence: int = 0


class CouncilImporter(CaseImporter):
    """What the council types share: the roll, and writing it before the cases."""

    def __init__(self) -> None:
        super().__init__()
        self.roll = Roll()

    def councillor(self, row: Row, on: dt.date | None, problems: Problems) -> Councillor | None:
        """The one councillor of a data request or service case, in office on ``on``."""
        if not row[COUNCILLOR] or on is None:
            return None
        if len(importing.split_list(row[COUNCILLOR])) > 1:
            problems.add(row.number, COUNCILLOR, "只能填一位議員。")
            return None
        found = self.roll.councillors(row, COUNCILLOR, self.roll.term_on(on), on, problems)
        return found[0] if found else None

    def replies(self, row: Row, problems: Problems) -> Callable[[int], list | None]:
        """Every part's reply date is the row's 回復日期."""

        def dates(co_count: int) -> list | None:
            found = len(problems)
            replied = self.date(row, REPLIED, problems)
            return None if len(problems) > found else [(replied, REPLIED)] * (co_count + 1)

        return dates

    def write(self, plan: Plan, *, by) -> None:
        plan.notes[:0] = self.roll.save()
        super().write(plan, by=by)


# --- 議員質詢 ---------------------------------------------------------------------------------


class CouncilQuestionImporter(CouncilImporter):
    type = "council-questions"
    label = "議員質詢"
    kind = kinds.QUESTION
    received_column = ASKED
    columns = (
        Column(NUMBER, False, "原系統案號；空白時依質詢日期給新案號。"),
        Column(TERM, True, "例：14 或 第14屆。"),
        Column(SESSION, True, "例：第6次定期大會、第2次臨時會。"),
        Column(EVENT_KIND, True, "、".join(EVENT_KINDS)),
        Column(EVENT, True, "例：市政總質詢。"),
        Column(EVENT_START, True),
        Column(EVENT_END, True),
        Column(SITTINGS, True, "天數（市長專案報告為場數）。"),
        Column(SEQUENCE, True, "該場次中的題序（1 起）。"),
        Column(ASKED, True, "須在場次起迄日之間。"),
        Column(COUNCILLOR, True, "多位以「、」分隔，第一位為質詢議員。"),
        COLUMN_SUBJECT,
        COLUMN_BODY,
        Column(LEAD, True, "全銜、簡稱或質詢當時的舊名。"),
        Column(CO, False, "多個以「、」分隔。"),
        COLUMN_ROUTED,
        COLUMN_DUE,
        COLUMN_REPLIED,
        COLUMN_MOVES,
        COLUMN_EXTENSIONS,
        COLUMN_CLOSED,
    )

    def __init__(self) -> None:
        super().__init__()
        # Questions of the file's recorded events by (event, 題序), and their askers' names.
        self.questions: dict[tuple[int, int], CouncilQuestion] = {}
        self.names: dict[int, tuple[str, ...]] = {}

    def read(self, row: Row, problems: Problems) -> CouncilRecord | None:
        found = len(problems)
        asked_on = self.date(row, ASKED, problems)
        event = self._event(row, problems, asked_on)
        sequence = importing.parse_positive(row[SEQUENCE], row.number, SEQUENCE, problems)
        councillors = None
        if event is not None and asked_on is not None:
            term = event.session.term
            councillors = self.roll.councillors(row, COUNCILLOR, term, asked_on, problems)
        parts = self.parts(row, problems, asked_on, self.replies(row, problems))
        record = self.case_record(row, problems, parts=parts, received_on=asked_on)
        if record is None or len(problems) > found or not councillors:
            return None
        names = tuple(councillor.name for councillor in councillors)
        return CouncilRecord(
            record.row,
            record.case,
            record.due_given,
            {COUNCILLOR: names},
            councillors=councillors,
            event=event,
            sequence=sequence,
        )

    def _event(self, row: Row, problems: Problems, asked_on: dt.date | None):
        found = len(problems)
        term_match = _TERM.fullmatch(_fold(row[TERM]))
        if row[TERM] and term_match is None:
            problems.add(row.number, TERM, f"屆次格式不正確：「{row[TERM]}」（例：14 或 第14屆）。")
        session_match = _SESSION.fullmatch(_fold(row[SESSION]))
        if row[SESSION] and session_match is None:
            problems.add(
                row.number,
                SESSION,
                f"大會格式不正確：「{row[SESSION]}」（例：第6次定期大會、第2次臨時會）。",
            )
        values = {
            EVENT: row[EVENT],
            EVENT_KIND: importing.parse_choice(
                row[EVENT_KIND], row.number, EVENT_KIND, problems, EVENT_KINDS
            ),
            EVENT_START: self.date(row, EVENT_START, problems),
            EVENT_END: self.date(row, EVENT_END, problems),
            SITTINGS: importing.parse_positive(row[SITTINGS], row.number, SITTINGS, problems),
        }
        if len(problems) > found or not all(values.values()) or not term_match or not session_match:
            return None
        start, end = values[EVENT_START], values[EVENT_END]
        if end < start:
            problems.add(row.number, EVENT_END, f"不可早於場次起日（{roc.format_date(start)}）。")
            return None
        if asked_on is not None and not start <= asked_on <= end:
            problems.add(row.number, ASKED, f"須在場次期間（{_period(start, end)}）。")
        term_number = int(term_match[1])
        written_term, session_number, session_kind = session_match.groups()
        if written_term and int(written_term) != term_number:
            problems.add(row.number, SESSION, f"大會的屆次與「{TERM}」（第{term_number}屆）不同。")
            return None
        term = self.roll.term(term_number)
        if not (term.start_on <= start and (term.end_on is None or end <= term.end_on)):
            problems.add(
                row.number,
                EVENT_START,
                f"場次日期須在{term}任期內（{_period(term.start_on, term.end_on)}）。",
            )
            return None
        session = self.roll.session(term, SESSION_KINDS[session_kind], int(session_number))
        return self.roll.event(row, problems, session, values)

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        """A question's natural key is its event and 題序 (its number may be blank): a
        question already imported is matched by them, and its number must then agree."""
        records: list[CouncilRecord] = []
        seen: dict[tuple[int, int], int] = {}
        for row in rows:
            record = self.read(row, problems)
            tick()
            if record is None:
                continue
            key = (id(record.event), record.sequence)
            if key in seen:
                problems.add(row.number, SEQUENCE, f"與第{seen[key]}列為同一場次的同一題序。")
                continue
            seen[key] = row.number
            records.append(record)
        saved_events = {id(r.event): r.event for r in records if r.event.pk is not None}
        self.questions = {
            (q.event_id, q.sequence): q
            for q in CouncilQuestion.objects.filter(event__in=list(saved_events.values()))
            .select_related("case__requester")
            .prefetch_related("case__assignments", "askers__councillor")
        }
        self.names = {
            q.case_id: tuple(asker.councillor.name for asker in q.askers.all())
            for q in self.questions.values()
        }
        by_number = self.existing_cases(r.case.number for r in records)
        plan = Plan()
        for record in records:
            question = self.questions.get((record.event.pk, record.sequence))
            number = record.case.number
            if question is not None:
                if number and number != question.case.number:
                    problems.add(record.row, NUMBER, f"此題已以案號 {question.case.number} 匯入。")
                elif not self.conflicts(record, question.case, problems):
                    plan.unchanged += 1
            elif number in by_number:
                case = by_number[number]
                if case.kind == self.kind:
                    problems.add(record.row, NUMBER, f"案號 {number} 已是另一場次或題序的質詢。")
                else:
                    self.conflicts(record, case, problems)  # reports the other kind
            else:
                plan.new.append(record)
        return plan

    def own_values(self, case) -> dict[str, Any]:
        return {COUNCILLOR: self.names.get(case.pk)}

    def write(self, plan: Plan, *, by) -> None:
        plan.notes[:0] = self.roll.save()
        records: list[CouncilRecord] = plan.new
        cases = self.write_cases(records, by=by)
        questions = [
            CouncilQuestion(
                case=case, event=r.event, asked_on=r.case.received_on, sequence=r.sequence
            )
            for case, r in zip(cases, records, strict=True)
        ]
        self.save_own(questions, records)
        # Askers are not audited records (as when a question is recorded live).
        Asker.objects.bulk_create(
            Asker(question=question, councillor=councillor, position=position)
            for question, record in zip(questions, records, strict=True)
            for position, councillor in enumerate(record.councillors)
        )


# --- 議員索資 ---------------------------------------------------------------------------------


class DataRequestImporter(CouncilImporter):
    type = "data-requests"
    label = "議員索資"
    kind = kinds.DATA_REQUEST
    related = ("data_request__councillor",)
    columns = (
        COLUMN_NUMBER,
        Column(RECEIVED, True),
        Column(COUNCILLOR, True, "一位議員。"),
        COLUMN_SUBJECT,
        COLUMN_BODY,
        Column(URGENCY, True, "、".join(URGENCIES)),
        Column(CUSTOM_DUE, False, "議員指定的期限；空白時依速別的工作天計算。"),
        Column(OWNER, True, "資料權管機關：全銜、簡稱或收件當時的舊名。"),
        COLUMN_ROUTED,
        COLUMN_REPLIED,
        COLUMN_MOVES,
        COLUMN_EXTENSIONS,
        COLUMN_CLOSED,
    )

    def read(self, row: Row, problems: Problems) -> CouncilRecord | None:
        found = len(problems)
        received_on = self.date(row, RECEIVED, problems)
        councillor = self.councillor(row, received_on, problems)
        urgency = importing.parse_choice(row[URGENCY], row.number, URGENCY, problems, URGENCIES)
        custom_due = self.date(row, CUSTOM_DUE, problems)
        if custom_due and received_on and custom_due < received_on:
            self._too_early(row, CUSTOM_DUE, RECEIVED, received_on, problems)
        parts = self.parts(
            row, problems, received_on, self.replies(row, problems), lead_column=OWNER
        )

        def due(routed_on: dt.date) -> dt.date:
            # The kind's rule (services.data_request_deadline), before the DataRequest exists.
            return custom_due or self.working_days(routed_on, kinds.URGENCY_DAYS[urgency])

        record = self.case_record(
            row, problems, parts=parts, received_on=received_on, due_rule=due if urgency else None
        )
        if record is None or len(problems) > found or councillor is None or urgency is None:
            return None
        own = {COUNCILLOR: councillor.name, URGENCY: urgency, CUSTOM_DUE: custom_due}
        return CouncilRecord(
            record.row, record.case, record.due_given, own, councillors=[councillor]
        )

    def own_values(self, case) -> dict[str, Any]:
        request = getattr(case, "data_request", None)
        if request is None:
            return {}
        return {
            COUNCILLOR: request.councillor.name,
            URGENCY: request.urgency,
            CUSTOM_DUE: request.custom_due_on,
        }

    def own_record(self, case, record: CouncilRecord) -> DataRequest:
        return DataRequest(
            case=case,
            councillor=record.councillors[0],
            urgency=record.own[URGENCY],
            custom_due_on=record.own[CUSTOM_DUE],
        )


# --- 議員服務案件 -------------------------------------------------------------------------------


class ServiceCaseImporter(CouncilImporter):
    type = "service-cases"
    label = "議員服務案件"
    kind = kinds.SERVICE
    related = ("service_case__councillor",)
    columns = (
        COLUMN_NUMBER,
        Column(RECEIVED, True),
        Column(COUNCILLOR, True, "一位議員。"),
        COLUMN_SUBJECT,
        COLUMN_BODY,
        Column(LEAD, True, "全銜、簡稱或收件當時的舊名。"),
        Column(CO, False, "多個以「、」分隔。"),
        COLUMN_ROUTED,
        COLUMN_DUE,
        COLUMN_REPLIED,
        COLUMN_MOVES,
        COLUMN_EXTENSIONS,
        COLUMN_CLOSED,
        Column(GRADE, False, "A、B、C 或 D；結案的案件必填。"),
    )

    def read(self, row: Row, problems: Problems) -> CouncilRecord | None:
        found = len(problems)
        received_on = self.date(row, RECEIVED, problems)
        councillor = self.councillor(row, received_on, problems)
        grade = importing.parse_choice(row[GRADE], row.number, GRADE, problems, GRADES)
        if grade and not row[CLOSED]:
            problems.add(row.number, GRADE, "處理等級於結案時評定，請一併填寫結案日期。")
        elif row[CLOSED] and not row[GRADE]:
            problems.add(row.number, GRADE, "結案的服務案件須填處理等級（A、B、C 或 D）。")
        parts = self.parts(row, problems, received_on, self.replies(row, problems))
        record = self.case_record(row, problems, parts=parts, received_on=received_on)
        if record is None or len(problems) > found or councillor is None:
            return None
        own = {COUNCILLOR: councillor.name, GRADE: grade or ""}
        return CouncilRecord(
            record.row, record.case, record.due_given, own, councillors=[councillor]
        )

    def own_values(self, case) -> dict[str, Any]:
        service = getattr(case, "service_case", None)
        if service is None:
            return {}
        return {COUNCILLOR: service.councillor.name, GRADE: service.grade}

    def own_record(self, case, record: CouncilRecord) -> ServiceCase:
        return ServiceCase(case=case, councillor=record.councillors[0], grade=record.own[GRADE])


IMPORTERS = (CouncilQuestionImporter, DataRequestImporter, ServiceCaseImporter)
