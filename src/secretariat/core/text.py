"""The rules for text that comes in and text that goes out to spreadsheets, in one place.

In: every text input — forms (``core.forms.TextChecksMixin``), the API (:func:`api_text`),
importers (``core.importing``), Open311 and the services behind them — refuses control
characters and is bounded in length, with a zh-Hant message naming the field
(:func:`text_problem`, :func:`check_text`). Line breaks and tabs are allowed only where
multi-line text is expected; there CR LF and CR become LF.

Out: a spreadsheet cell that starts like a formula is written as text (:func:`spreadsheet_cell`,
the OWASP rule against CSV/formula injection), by every export."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from secretariat.core.errors import DomainError

# C0 controls except TAB, LF, CR; DEL and the C1 controls; lone surrogates (only reachable
# through JSON escapes) and U+FFFE/U+FFFF. None of them is text a person means to send, and
# most are illegal in XML 1.0 (a NUL makes an XML document ill-formed for every reader).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r]")
# Everything XML 1.0 may not carry at all: TAB, LF and CR are legal there.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# The same rules as JSON Schema patterns (ECMA-262 syntax) for the API's schema. Lone
# surrogates are left out: UTF-8 JSON cannot carry them, and regex engines refuse the range.
_CONTROL_CLASS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff"
MULTILINE_PATTERN = f"^[^{_CONTROL_CLASS}]*$"
LINE_PATTERN = f"^[^{_CONTROL_CLASS}\\t\\n\\r]*$"

CONTROL_MESSAGE = "{label}含有不允許的控制字元。"
LINE_BREAK_MESSAGE = "{label}不可換行或含有定位字元（Tab）。"
LENGTH_MESSAGE = "{label}不可超過 {limit:,} 字（目前 {length:,} 字）。"


def normalise_line_breaks(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def text_problem(
    value: str, label: str, *, multiline: bool = False, max_length: int | None = None
) -> str | None:
    """Why ``value`` may not be accepted as the field ``label`` (zh-Hant), or None. Lengths
    count characters after line breaks are normalised (a browser sends CR LF)."""
    if multiline:
        value = normalise_line_breaks(value)
    if max_length is not None and len(value) > max_length:
        return LENGTH_MESSAGE.format(label=label, limit=max_length, length=len(value))
    if _CONTROL.search(value):
        return CONTROL_MESSAGE.format(label=label)
    if not multiline and _LINE_BREAKS.search(value):
        return LINE_BREAK_MESSAGE.format(label=label)
    return None


@dataclass(frozen=True)
class TextRule:
    """How one text field is checked: its zh-Hant label, its bound, whether it is multi-line."""

    label: str
    max_length: int | None = None
    multiline: bool = False

    def problem(self, value: str) -> str | None:
        return text_problem(value, self.label, multiline=self.multiline, max_length=self.max_length)

    def clean(self, value: str) -> str:
        return normalise_line_breaks(value) if self.multiline else value


def model_rule(model, field_name: str, *, multiline: bool = False, max_length=None) -> TextRule:
    """The rule of a model's text field: its verbose name, and its ``max_length`` unless a
    bound is given (SQLite does not enforce ``max_length``: the services must)."""
    field = model._meta.get_field(field_name)
    bound = max_length if max_length is not None else field.max_length
    return TextRule(str(field.verbose_name), bound, multiline)


def check_text(
    value: str,
    label: str,
    *,
    field: str = "",
    multiline: bool = False,
    max_length: int | None = None,
) -> str:
    """``value`` if it may be accepted (line breaks normalised when multi-line), otherwise a
    DomainError keyed by ``field`` (default: the label)."""
    problem = text_problem(value, label, multiline=multiline, max_length=max_length)
    if problem:
        raise DomainError("invalid_text", problem, {field or label: [problem]})
    return normalise_line_breaks(value) if multiline else value


def check_fields(
    values: Mapping[str, str], rules: Mapping[str, TextRule]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Every field of ``values`` that has a rule, checked at once: the cleaned values, and
    the problems keyed by field (empty when all are acceptable)."""
    cleaned, errors = dict(values), {}
    for name, rule in rules.items():
        value = values.get(name)
        if not value:
            continue
        problem = rule.problem(value)
        if problem:
            errors[name] = [problem]
        else:
            cleaned[name] = rule.clean(value)
    return cleaned, errors


def api_text(label: str, *, max_length: int | None = None, multiline: bool = False) -> Any:
    """A ``str`` type for API schemas with the same rule: the bound appears in the OpenAPI
    schema as ``maxLength`` and a refusal is a 422 whose field message is the zh-Hant one.
    Use: ``subject: api_text("主旨", max_length=200)``."""

    def check(value: str) -> str:
        problem = text_problem(value, label, multiline=multiline, max_length=max_length)
        if problem:
            raise PydanticCustomError("text_invalid", "{message}", {"message": problem})
        return normalise_line_breaks(value) if multiline else value

    # The schema says what the check refuses, so that a client (and the API fuzzer) knows a
    # control character or a line break in a one-line field is not valid input.
    extra: dict[str, Any] = {"pattern": MULTILINE_PATTERN if multiline else LINE_PATTERN}
    if max_length is not None:
        extra["maxLength"] = max_length
    return Annotated[str, Field(json_schema_extra=extra), AfterValidator(check)]


def xml_safe(value: str) -> str:
    """``value`` with every character XML 1.0 cannot carry replaced by U+FFFD: a writer's last
    line of defence, so that one bad value cannot make a whole document ill-formed."""
    return XML_ILLEGAL.sub("\ufffd", value)


# --- Spreadsheets -----------------------------------------------------------------------------

# OWASP "CSV Injection": a cell starting with one of these is read as a formula by Excel,
# LibreOffice or Google Sheets (=HYPERLINK(…) exfiltrates, +1+1 and @SUM(…) compute).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """A text cell as it may be written to a CSV, ODS or XLSX export: one starting like a
    formula gets a leading single quote, which the office suites show as plain text."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value
