"""異動紀錄 written for people: what every sentence made from an audit entry shares.

A record's history is its audit entries (core.audit) told as sentences: 「115年12月7日
上午9時12分　陳收發　分辦：主辦 工務局、協辦 都發局，期限 115年12月15日」. The module that owns
the records knows what its steps mean and registers a sentence for each of its actions
(:func:`register`; the case engine in ``cases/history.py``, petitions for their mails); this
module gives the rest: the moment in Taipei local time, the actor's name, and any other field
change in words — the field's verbose name, ids as names, codes as their labels, dates in
民國 — never ``agency_id：→13`` or a UTC ISO time. ``core`` knows no domain: the domains
register here, as they register navigation and search."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from secretariat.core import roc
from secretariat.core.models import AuditEntry

# Longer values are cut in a sentence (the raw entry keeps them whole).
VALUE_WORDS = 40
# Fields that change with every save and say nothing to a reader.
QUIET_FIELDS = {"id", "updated_at", "created_at"}


def moment(at: dt.datetime) -> str:
    """115年12月7日 上午9時12分 — always Taipei time, whatever the active time zone."""
    local = at.astimezone(roc.TAIPEI) if at.tzinfo is not None else at
    return f"{roc.format_date(local)} {roc.format_time(local.time())}"


def actor_name(entry: AuditEntry) -> str:
    """The person's name (陳收發), 「系統」 for jobs and imports, 「民眾」 for an anonymous
    visitor (a petition from the web form)."""
    if entry.actor_id is not None and entry.actor is not None:
        return str(entry.actor)
    label = entry.actor_label or ""
    if label == "匿名":
        return "民眾"
    # 「黃承辦（udd-officer）」 of a person since removed: the name without the account.
    return label.split("（", 1)[0] or "系統"


def shorten(value: Any, words: int = VALUE_WORDS) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= words else text[: words - 1] + "…"


def model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _label_of(instance: models.Model) -> str:
    """How a referenced record is named in a sentence: an agency by its short name, a case by
    its number, others as they print."""
    for attribute in ("short_name", "number"):
        value = getattr(instance, attribute, None)
        if isinstance(value, str) and value:
            return value
    return str(instance)


class Names:
    """Names of the records that a batch of entries refers to, loaded once per model: the
    entries' own records (``record``) and the targets of their foreign keys (``of``)."""

    def __init__(self, entries: Iterable[AuditEntry], related: dict[str, tuple[str, ...]]):
        """``related``: per object type, the ``select_related`` paths its records need."""
        self._wanted: dict[type[models.Model], set] = defaultdict(set)
        self._loaded: dict[type[models.Model], dict] = {}
        self._related = related
        entries = list(entries)
        for entry in entries:
            model = model_of(entry.object_type)
            if model is None:
                continue
            if entry.object_id:
                self._wanted[model].add(entry.object_id)
            fields = _fields(model)
            for name, change in (entry.changes or {}).items():
                field = fields.get(name)
                if field is not None and field.is_relation and isinstance(change, list):
                    target = field.related_model
                    self._wanted[target].update(v for v in change if v not in (None, ""))

    def _table(self, model: type[models.Model]) -> dict:
        if model not in self._loaded:
            keys = [str(pk) for pk in self._wanted.get(model, ())]
            queryset = model._default_manager.all()
            if paths := self._related.get(model._meta.label_lower):
                queryset = queryset.select_related(*paths)
            pk_field = model._meta.pk
            wanted = []
            for key in keys:
                try:
                    wanted.append(pk_field.to_python(key))
                except Exception:  # noqa: BLE001 — an id the field cannot read names nothing
                    continue
            self._loaded[model] = {str(k): v for k, v in queryset.in_bulk(wanted).items()}
        return self._loaded[model]

    def record(self, entry: AuditEntry) -> models.Model | None:
        """The record the entry is about (None when deleted since)."""
        model = model_of(entry.object_type)
        return self._table(model).get(entry.object_id) if model else None

    def of(self, model: type[models.Model], pk: Any) -> str:
        """The name of a referenced record, 「（已刪除）」 when it is gone."""
        if pk in (None, ""):
            return ""
        instance = self._table(model).get(str(pk))
        return _label_of(instance) if instance is not None else "（已刪除）"


def _fields(model: type[models.Model]) -> dict[str, models.Field]:
    return {field.attname: field for field in model._meta.concrete_fields}


def value_text(field: models.Field | None, value: Any, names: Names) -> str:
    """One stored value in words: a referenced record by name, a code by its label, a date in
    民國 form, a moment in Taipei time, 是/否, text shortened."""
    if value in (None, ""):
        return "（空白）"
    if field is None:
        return shorten(value)
    if field.is_relation:
        return names.of(field.related_model, value)
    if field.choices:
        return shorten(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    try:
        if isinstance(field, models.DateTimeField):
            return moment(dt.datetime.fromisoformat(str(value)))
        if isinstance(field, models.DateField):
            return roc.format_date(dt.date.fromisoformat(str(value)))
    except (ValueError, roc.RocDateError):
        return shorten(value)
    return shorten(value)


def field_value(entry: AuditEntry, name: str, names: Names, side: int = 1) -> str:
    """A field's value after (``side=1``) or before (``side=0``) the change, in words."""
    change = (entry.changes or {}).get(name)
    if not isinstance(change, list) or len(change) != 2:
        return ""
    model = model_of(entry.object_type)
    field = _fields(model).get(name) if model else None
    return value_text(field, change[side], names) if change[side] not in (None, "") else ""


def field_changes(entry: AuditEntry, names: Names, skip: Iterable[str] = ()) -> list[str]:
    """Every field change of the entry but ``skip``, in words: 「狀態：辦理中 → 待核」,
    「承辦人：黃承辦」 for a value set for the first time."""
    model = model_of(entry.object_type)
    fields = _fields(model) if model else {}
    skipped = QUIET_FIELDS | set(skip)
    phrases = []
    for name, change in (entry.changes or {}).items():
        field = fields.get(name)
        # A detail that is not one of the record's fields has no name for a reader.
        if field is None or name in skipped or not isinstance(change, list) or len(change) != 2:
            continue
        label = str(field.verbose_name)
        before, after = (value_text(field, value, names) for value in change)
        if change[0] in (None, ""):
            phrases.append(f"{label}：{after}")
        else:
            phrases.append(f"{label}：{before} → {after}")
    return phrases


def record_label(entry: AuditEntry) -> str:
    model = model_of(entry.object_type)
    return str(model._meta.verbose_name) if model else "紀錄"


@dataclass(frozen=True)
class Context:
    """What a sentence function may use besides its entry: the names of records, and what the
    page knows (e.g. the case whose history it is)."""

    names: Names
    extra: dict[str, Any]


# A sentence function: the entry's sentence, or None to leave a step out (another entry of
# the same step tells it).
Sentence = Callable[[AuditEntry, Context], str | None]
_SENTENCES: dict[tuple[str, str], Sentence] = {}


def register(object_type: str, action: str, sentence: Sentence) -> None:
    """Tell ``action`` on records of ``object_type`` (``""``: any type) with ``sentence``.
    An action ending in ``*`` covers every action it starts (``import:*``); ``*`` alone every
    other action on that type."""
    _SENTENCES[(object_type, action)] = sentence


def sentence_for(entry: AuditEntry) -> Sentence | None:
    prefix = entry.action.split(":", 1)[0] + ":*" if ":" in entry.action else None
    for key in (
        (entry.object_type, entry.action),
        (entry.object_type, prefix),
        ("", entry.action),
        ("", prefix),
        (entry.object_type, "*"),
    ):
        if key[1] is not None and key in _SENTENCES:
            return _SENTENCES[key]
    return None


def changes_sentence(entry: AuditEntry, names: Names, skip: Iterable[str] = ()) -> str:
    """「案件異動：狀態 辦理中 → 已回復」, or 「案件相關作業」 when no field it names is known
    (the raw entry tells the rest)."""
    phrases = field_changes(entry, names, skip)
    if not phrases:
        return f"{record_label(entry)}相關作業"
    return f"{record_label(entry)}異動：{'；'.join(phrases)}"


def describe(entry: AuditEntry, context: Context) -> str | None:
    """The entry as a sentence: its registered one (None: another entry of the step tells
    it), else its field changes in words."""
    sentence = sentence_for(entry)
    if sentence is not None:
        return sentence(entry, context)
    return changes_sentence(entry, context.names)
