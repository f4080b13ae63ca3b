"""The import framework (匯入): history from the systems this platform replaces, read from a
CSV (UTF-8, with or without BOM) or XLSX file, by one importer per record type that its
domain registers in ``AppConfig.ready()`` (``register(PetitionImporter)``).

An import reads the whole file, checks the header and every row, and writes nothing if
anything is wrong: every problem is reported with its row (numbered as in the spreadsheet, the
header being row 1), its column and a zh-Hant reason. Otherwise every new record is written in
one transaction, audited as ``import:<type>``. A record already imported with the same data is
skipped and counted as unchanged, so importing a file again changes nothing. See
``docs/import.md``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import logging
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from secretariat.core import audit, roc, text
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.permissions import is_administrator
from secretariat.core.tasks import refresh_planner_statistics

logger = logging.getLogger(__name__)

# 「、」 is how the old systems list several names; commas are forgiven.
LIST_SEPARATORS = ("、", "，", ",")
MAX_FILE_BYTES = 20 * 1024 * 1024
# Excel's limit for one cell: a longer value cannot have come from a spreadsheet.
MAX_CELL_LENGTH = 32_767
FORMULA_MESSAGE = "此欄為公式（以「=」開頭），請改為純文字或數值後再匯入。"
# The job's progress is written at most this often (seconds).
PROGRESS_INTERVAL = 0.5

Progress = Callable[[str, int, int], None]  # (phase "check" or "write", done, total)


# --- What an importer declares and reports ---------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a record type's file. ``required`` columns must be in the header and have
    a value in every row; the others may be left out of the file or blank. Every value is
    at most ``max_length`` characters (default: a spreadsheet cell's limit) and free of
    control characters; only a ``multiline`` column may hold line breaks and tabs."""

    name: str
    required: bool = False
    help: str = ""
    max_length: int | None = None
    multiline: bool = False


@dataclass(frozen=True)
class Problem:
    """One reason a file was not imported. ``row`` None: the file as a whole."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        where = f"「{self.column}」" if self.column else ""
        return f"第{self.row}列{where}：{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class Problems:
    """The problems found so far, in the order found."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, row: int | None, column: str, message: str) -> None:
        self.items.append(Problem(row, column, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass
class Row:
    """One data row: its spreadsheet row number and its values by column name (stripped;
    "" when blank or when the column is not in the file)."""

    number: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Plan:
    """What an importer's check found: the records to write (its own objects), how many are
    already imported unchanged, and notes for the person (e.g. councillors it will add)."""

    new: list[Any] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


class Importer:
    """A record type's importer. Subclasses set ``type`` (the CLI name, e.g. ``petitions``),
    ``label``, ``columns`` and optionally ``unique`` (columns whose values may not repeat in a
    file), and implement :meth:`check` and :meth:`write`."""

    type: ClassVar[str]
    label: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    unique: ClassVar[tuple[str, ...]] = ()

    @property
    def action(self) -> str:
        """The audit label of everything this import writes."""
        return f"import:{self.type}"

    @classmethod
    def allowed(cls, user) -> bool:
        """Who may run this import (default: :func:`may_import`, the administrators); a type
        that captures a module's live records may let that module's staff in too."""
        return may_import(user)

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        """Read and validate every row (calling ``tick`` after each) without writing. Blank
        required values are already reported. Report each problem and return the plan."""
        raise NotImplementedError

    def write(self, plan: Plan, *, by) -> None:
        """Write the plan's new records, inside the import's transaction and audit label (in
        bulk where it can: every record still gets its audit entry)."""
        raise NotImplementedError


IMPORTERS: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> None:
    IMPORTERS[importer.type] = importer


def get(type_code: str) -> type[Importer]:
    try:
        return IMPORTERS[type_code]
    except KeyError:
        known = "、".join(IMPORTERS) or "（無）"
        raise DomainError(
            "unknown_import_type", f"未知的匯入類型：{type_code}（可用：{known}）"
        ) from None


# --- Reading files ----------------------------------------------------------------------------


def _header_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _cell(value: Any) -> str:
    """A spreadsheet cell as text: dates in ISO form, whole numbers without 「.0」, a formula
    as its text (「=SUM(A1:A3)」: refused by the row checks, never evaluated)."""
    if value is None:
        return ""
    formula = getattr(value, "text", None)  # openpyxl's ArrayFormula and DataTableFormula
    if isinstance(formula, str):
        return formula.strip()
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            "not_utf8",
            "檔案不是 UTF-8 編碼，無法讀取。請以「CSV UTF-8（逗號分隔）」另存後再匯入。",
        ) from None
    try:
        return [[cell.strip() for cell in line] for line in csv.reader(io.StringIO(text))]
    except csv.Error as error:
        raise DomainError("bad_csv", f"CSV 格式有誤：{error}") from None


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        # Not data_only: a formula cell reads as its formula, which the checks refuse, instead
        # of whatever value the program that saved the file cached for it.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            sheet = workbook.worksheets[0]
            return [[_cell(value) for value in line] for line in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    except Exception as error:  # a damaged or foreign file can fail anywhere inside openpyxl
        raise DomainError(
            "bad_xlsx", "無法讀取 XLSX 檔案（檔案損毀，或不是 Excel 活頁簿）。"
        ) from error


def read_table(data: bytes) -> list[list[str]]:
    """The cells of a CSV or XLSX file (told apart by content, not by name), row by row; the
    first worksheet of an XLSX file."""
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DomainError(
            "old_excel", "不支援舊版 Excel（.xls）檔案，請另存為 .xlsx 或 CSV UTF-8 後再匯入。"
        )
    return _read_csv(data)


def _suggest_type(header: list[str], importer: Importer, problems: Problems) -> None:
    """A header that fits another type exactly is most likely the wrong type chosen."""
    names = {_header_key(raw) for raw in header if raw}
    for other in IMPORTERS.values():
        known = {_header_key(column.name) for column in other.columns}
        required = {_header_key(column.name) for column in other.columns if column.required}
        if other.type != importer.type and required <= names <= known:
            problems.add(
                None, "", f"標題列符合「{other.label}」（{other.type}）的格式，請確認匯入類型。"
            )


def _rows(table: list[list[str]], importer: Importer, problems: Problems) -> tuple[list[Row], bool]:
    """The data rows, keyed by the importer's column names; False when the header is wrong
    (then the rows are not checked: they would only repeat the header's problem)."""
    if not table or not any(table[0]):
        problems.add(1, "", "第1列應為標題列（欄位名稱），但是空白。")
        return [], False
    known = {_header_key(column.name): column.name for column in importer.columns}
    positions: dict[str, int] = {}
    for position, raw in enumerate(table[0]):
        if not raw:
            continue
        name = known.get(_header_key(raw))
        if name is None:
            problems.add(1, raw, "不是此類型的欄位。")
        elif name in positions:
            problems.add(1, raw, "欄位重複。")
        else:
            positions[name] = position
    for column in importer.columns:
        if column.required and column.name not in positions:
            problems.add(1, column.name, "缺少必要欄位。")
    if problems:
        _suggest_type(table[0], importer, problems)
        return [], False
    width = len(table[0])
    rows = []
    for number, line in enumerate(table[1:], start=2):
        if not any(line):
            continue  # blank lines between or after the data
        if any(line[width:]):
            problems.add(number, "", "此列的欄位比標題列多。")
        values = {name: line[i] if i < len(line) else "" for name, i in positions.items()}
        rows.append(Row(number, values))
    if not rows:
        problems.add(None, "", "檔案中沒有資料列。")
    return rows, True


def _check_rows(rows: list[Row], importer: Importer, problems: Problems) -> list[Row]:
    """What every type checks alike: required values, formulas, control characters and
    lengths (``core.text``), and values that may not repeat. Returns the rows whose every
    cell is acceptable text: only those go on to the type's own checks, which look values
    up in the database (PostgreSQL refuses a NUL even in a query)."""
    required = [column.name for column in importer.columns if column.required]
    clean = []
    for row in rows:
        for name in required:
            if not row[name]:
                problems.add(row.number, name, "必填，不可空白。")
        found = len(problems)
        for column in importer.columns:
            value = row[column.name]
            if value.startswith("="):
                problems.add(row.number, column.name, FORMULA_MESSAGE)
                continue
            problem = text.text_problem(
                value,
                "此欄",
                multiline=column.multiline,
                max_length=column.max_length or MAX_CELL_LENGTH,
            )
            if problem:
                problems.add(row.number, column.name, problem)
        if len(problems) == found:
            clean.append(row)
    for name in importer.unique:
        seen: dict[str, int] = {}
        for row in rows:
            value = "".join(unicodedata.normalize("NFKC", row[name]).split())
            if not value:
                continue
            if value in seen:
                problems.add(row.number, name, f"與第{seen[value]}列重複。")
            else:
                seen[value] = row.number
    return clean


# --- Running an import ------------------------------------------------------------------------


@dataclass
class Outcome:
    """The result of an import: counts, or the problems (then nothing was written)."""

    type: str
    created: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return f"資料有誤，未匯入任何資料（共 {len(self.problems)} 個問題）。"
        return f"新增 {self.created} 筆、未變更 {self.unchanged} 筆"


def may_import(user) -> bool:
    """System administrators and the Secretariat's administrators (秘書處管理者)."""
    return is_administrator(user)


def _sorted(problems: Problems) -> list[Problem]:
    return sorted(problems.items, key=lambda p: -1 if p.row is None else p.row)


def run_import(
    type_code: str, data: bytes, *, by=None, progress: Progress | None = None
) -> Outcome:
    """Import a file of ``type_code`` records. ``by`` None is the CLI (the system); a person
    must be an administrator. ``progress(phase, done, total)`` is called after each row is
    checked ("check"), and before and after the writes ("write"): they are one transaction,
    so others see them only when all are done."""
    importer_type = get(type_code)
    if by is not None and not importer_type.allowed(by):
        raise PermissionDenied("只有系統管理者或秘書處管理者可以匯入資料。")
    importer = importer_type()
    outcome = Outcome(type_code)
    report = progress or (lambda phase, done, total: None)
    problems = Problems()
    try:
        table = read_table(data)
    except DomainError as error:
        outcome.problems = [Problem(None, "", error.message)]
        return outcome
    rows, header_ok = _rows(table, importer, problems)
    if not header_ok:
        outcome.problems = _sorted(problems)
        return outcome
    rows = _check_rows(rows, importer, problems)

    checked = 0

    def check_tick() -> None:
        nonlocal checked
        checked += 1
        report("check", checked, len(rows))

    report("check", 0, len(rows))
    plan = importer.check(rows, problems, check_tick)
    if problems:
        outcome.problems = _sorted(problems)
        return outcome

    report("write", 0, len(plan.new))
    actor = audit.acting_as(by) if by is not None else contextlib.nullcontext()
    try:
        with transaction.atomic(), actor, audit.action(importer.action):
            importer.write(plan, by=by)
    except IntegrityError:
        # Another import (or a person) wrote the same record between the check and the write.
        outcome.problems = [
            Problem(None, "", "匯入期間資料已被變更，未匯入任何資料，請重新匯入同一檔案。")
        ]
        return outcome
    except DomainError as error:
        outcome.problems = [Problem(None, "", f"未匯入任何資料：{error.message}")]
        return outcome
    if plan.new:  # a bulk load is when the query planner's statistics go stale
        refresh_planner_statistics()
    report("write", len(plan.new), len(plan.new))
    outcome.created, outcome.unchanged, outcome.notes = len(plan.new), plan.unchanged, plan.notes
    return outcome


# --- Helpers importers share ------------------------------------------------------------------


def split_list(text: str) -> list[str]:
    """「林議員、陳議員」 → ["林議員", "陳議員"]; blank entries are kept as "" so positions
    still line up (「114/03/05、」)."""
    if not text.strip():
        return []
    for separator in LIST_SEPARATORS[1:]:
        text = text.replace(separator, LIST_SEPARATORS[0])
    return [item.strip() for item in text.split(LIST_SEPARATORS[0])]


DATE_FORMS = "民國 114/03/05、1140305、114年3月5日，或西元 2025/03/05、2025-03-05"


def parse_date(
    text: str, row: int, column: str, problems: Problems, *, not_after: dt.date | None = None
) -> dt.date | None:
    """A date as ``roc.read_date`` reads it (民國 114/03/05, 1140305, 114年3月5日; 西元 with a
    four-digit year, 2025/03/05 or 2025-03-05); None when blank or bad. A bad one is reported:
    unreadable (with the forms accepted), a day that does not exist (「114年2月30日不存在」), or
    later than ``not_after`` (usually today) saying how it was read (「2030/01/01（西元，即
    119年1月1日）晚於今天」)."""
    if not text:
        return None
    try:
        reading = roc.read_date(text)
    except roc.NonexistentDate as error:
        problems.add(row, column, f"{error}。")
        return None
    except roc.RocDateError:
        problems.add(row, column, f"日期格式不正確：「{text}」（請用{DATE_FORMS}）。")
        return None
    if not_after is not None and reading.day > not_after:
        problems.add(row, column, f"{reading}晚於今天。")
        return None
    return reading.day


def how_read(text: str) -> str:
    """How a cell's date was read, to start a message about it, when that is not plain to
    see (「2024/03/05（西元，即113年3月5日）」, 「1130305（即113年3月5日）」); "" for a plain 民國
    date or a cell that is not one date."""
    try:
        reading = roc.read_date(text)
    except roc.RocDateError:
        return ""
    return str(reading) if reading.needs_explaining else ""


def parse_whole(
    text: str,
    row: int,
    column: str,
    problems: Problems,
    *,
    most: int,
    least: int = 0,
    blank: int | None = None,
) -> int | None:
    """A whole number ``least`` … ``most`` as a sheet writes it (full-width digits, thousands
    commas: 「3,598」). A blank cell is ``blank`` — or, when ``blank`` is None, a required
    cell left empty. None (and a problem naming the row and column) when it is not one."""
    folded = unicodedata.normalize("NFKC", text or "").replace(",", "").strip()
    if not folded:
        if blank is None:
            problems.add(row, column, "必填，不可空白。")
        return blank
    if not folded.isdigit() or not least <= int(folded) <= most:
        problems.add(row, column, f"須為{least:,}至{most:,}的整數：「{text}」。")
        return None
    return int(folded)


def parse_positive(text: str, row: int, column: str, problems: Problems) -> int | None:
    if not text:
        return None
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded.isdigit() or int(folded) < 1:
        problems.add(row, column, f"須為正整數：「{text}」。")
        return None
    return int(folded)


def parse_choice(
    text: str, row: int, column: str, problems: Problems, choices: dict[str, str]
) -> str | None:
    """The value for a label (or code) among ``choices`` (label → value); None when blank or
    unknown (an unknown one is reported, listing the labels)."""
    if not text:
        return None
    wanted = _header_key(text)
    for label, value in choices.items():
        if wanted in (_header_key(label), _header_key(value)):
            return value
    problems.add(row, column, f"「{text}」不是可用的值（可用：{'、'.join(choices)}）。")
    return None


def parse_agency(
    index,
    text: str,
    row: int,
    column: str,
    problems: Problems,
    on: dt.date | None,
    *,
    record: str = "案件",
):
    """The agency a full, short or former name meant on ``on`` (the row's date), from an
    ``core.registry.AgencyIndex`` built once per file; None when blank, unknown (reported) or
    not in force on ``on`` (reported as ``agency_not_in_force_message`` says, for a
    ``record``)."""
    from secretariat.core.registry import agency_not_in_force_message

    if not text:
        return None
    found = index.find(text, on)
    if found is None:
        problems.add(
            row, column, f"找不到機關「{text}」（請用全銜、簡稱或舊名，且不可同時指多個機關）。"
        )
        return None
    if on is not None and (message := agency_not_in_force_message(found, on, record=record)):
        problems.add(row, column, message)
        return None
    return found


# --- The background job behind the upload page -------------------------------------------------


def _progress_writer(run_id: int) -> Progress:
    """Writes the check phase's progress to the run (throttled). The write phase runs in the
    import's transaction, where an update would stay invisible until the end; the run only
    says it is writing."""
    from secretariat.core.models import ImportRun, ImportStatus

    last = {"at": 0.0, "phase": ""}

    def write(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == "write":
            if last["phase"] != "write":
                ImportRun.objects.filter(pk=run_id).update(
                    status=ImportStatus.WRITING, done=0, total=total
                )
        elif phase != last["phase"] or done == total or now - last["at"] >= PROGRESS_INTERVAL:
            ImportRun.objects.filter(pk=run_id).update(
                status=ImportStatus.CHECKING, done=done, total=total
            )
            last["at"] = now
        last["phase"] = phase

    return write


@task()
def run_import_task(run_id: int) -> dict:
    """Run an uploaded import (``core.ImportRun``) and record its outcome on the run. The
    uploaded file is dropped afterwards: it may hold personal data and is no longer needed."""
    from secretariat.core.models import ImportRun, ImportStatus

    run = ImportRun.objects.select_related("requested_by").get(pk=run_id)
    run.status = ImportStatus.CHECKING
    run.save(update_fields=["status"])
    try:
        outcome = run_import(
            run.type, bytes(run.content), by=run.requested_by, progress=_progress_writer(run.pk)
        )
    except Exception:
        logger.exception("import run %s failed", run.pk)
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED, content=b"", finished_at=timezone.now()
        )
        raise
    run.refresh_from_db(fields=["total"])
    run.status = ImportStatus.SUCCEEDED if outcome.ok else ImportStatus.REJECTED
    run.created, run.unchanged, run.done = outcome.created, outcome.unchanged, run.total
    run.problems = [problem.as_dict() for problem in outcome.problems]
    run.notes = outcome.notes
    run.content = b""
    run.finished_at = timezone.now()
    run.save()
    return {"ok": outcome.ok, "created": outcome.created, "unchanged": outcome.unchanged}
