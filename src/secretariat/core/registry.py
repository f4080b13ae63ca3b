"""The agency registry (機關名錄): the real Taipei City Government agencies, their names over
time and the report grouping rules, loaded from ``data/agencies.json``; and the lookups other
modules use to turn a name someone wrote into an agency, or an agency into a report row label.

The file is the source of truth for agencies and their name history; report groups are only
seeded from it (administrators own them afterwards). See ``docs/agencies.md``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from secretariat.core import audit, roc, services
from secretariat.core.errors import DomainError
from secretariat.core.models import Agency, AgencyKind, AgencyName, ReportGroup

# What a caller prefetches on agencies before labelling many report rows with report_label /
# report_order: Agency.objects.prefetch_related(*REPORT_PREFETCH) (then no query per call).
REPORT_PREFETCH = ("name_history", "report_memberships__group")

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "agencies.json"

# Optional agency keys: when a file entry leaves them out, the value in the database (e.g. a
# phone number an administrator entered) is kept rather than blanked.
_OPTIONAL_FIELDS = ("email", "phone", "official_code")
# The agency's dated history: left alone by a load once an administrator corrected it.
_HISTORY_FIELDS = ("established_on", "abolished_on", "dates_source", "dates_verified")


@dataclass
class RegistryResult:
    """How many records (agencies, name-history entries, report groups) a load touched."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    # Codes of agencies whose history administrators corrected (not synced from the file).
    kept: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def __str__(self) -> str:
        text = (
            f"新增 {self.created} 筆、更新 {self.updated} 筆、"
            f"未變更 {self.unchanged} 筆、刪除 {self.deleted} 筆"
        )
        if self.kept:
            text += f"；{len(self.kept)} 個機關的沿革經管理者校正，未依檔案更新（{'、'.join(self.kept)}）"
        return text


# --- Loading -----------------------------------------------------------------------------------


def _invalid(message: str) -> DomainError:
    return DomainError("invalid_registry", f"機關名錄資料有誤：{message}")


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise _invalid(f"{where} 的日期「{value}」不是 YYYY-MM-DD 格式。") from error


def _flag(value: Any, where: str) -> bool:
    if value in (None, False, True):
        return bool(value)
    raise _invalid(f"{where} 的 verified 必須是 true 或 false。")


def _text(value: Any, where: str) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise _invalid(f"{where} 的 source 必須是文字。")
    return value.strip()


def _clean(instance, where: str, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        detail = DomainError.from_validation(error).message
        raise _invalid(f"{where}：{detail}") from error


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise _invalid(f"無法讀取 {path}：{error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("agencies"), list):
        raise _invalid("最上層必須是含 agencies 清單的物件。")
    return data


def _parse_agencies(raw: list[dict[str, Any]], known_codes: set[str]) -> list[dict[str, Any]]:
    """Validate the entries and return them parents-first, so every agency is saved once with
    its parent already in place (a second save would write a second audit entry)."""
    by_code: dict[str, dict[str, Any]] = {}
    for position, item in enumerate(raw, start=1):
        code = item.get("code")
        where = f"第 {position} 筆機關（{code or '無代號'}）"
        if not code or not isinstance(code, str):
            raise _invalid(f"{where} 缺少 code。")
        if code in by_code:
            raise _invalid(f"代號 {code} 重複。")
        for key in ("name", "short_name", "kind"):
            if not item.get(key):
                raise _invalid(f"{where} 缺少 {key}。")
        if item["kind"] not in AgencyKind.values:
            raise _invalid(f"{where} 的 kind「{item['kind']}」不在 {AgencyKind.values} 之中。")
        entry = {
            "code": code,
            "name": item["name"],
            "short_name": item["short_name"],
            "kind": item["kind"],
            "parent": item.get("parent") or None,
            "established_on": _date(item.get("established_on"), where),
            "abolished_on": _date(item.get("abolished_on"), where),
            "dates_source": _text(item.get("dates_source"), where),
            "dates_verified": _flag(item.get("dates_verified"), where),
            "sort_order": int(item.get("sort_order") or 0),
            "optional": {key: item[key] or "" for key in _OPTIONAL_FIELDS if key in item},
            "history": [],
        }
        seen_from: set[dt.date | None] = set()
        for number, raw_name in enumerate(item.get("history") or [], start=1):
            name_where = f"{where} 的第 {number} 筆名稱沿革"
            if not raw_name.get("name") or not raw_name.get("short_name"):
                raise _invalid(f"{name_where} 缺少 name 或 short_name。")
            valid_from = _date(raw_name.get("valid_from"), name_where)
            valid_to = _date(raw_name.get("valid_to"), name_where)
            if valid_from in seen_from:
                # History rows are matched by (agency, valid_from); two would be ambiguous.
                raise _invalid(f"{name_where} 的 valid_from 與同機關另一筆相同。")
            if valid_from and valid_to and valid_to <= valid_from:
                raise _invalid(f"{name_where} 的 valid_to 必須晚於 valid_from。")
            seen_from.add(valid_from)
            entry["history"].append(
                {
                    "name": raw_name["name"],
                    "short_name": raw_name["short_name"],
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "source": _text(raw_name.get("source"), name_where),
                    "verified": _flag(raw_name.get("verified"), name_where),
                }
            )
        by_code[code] = entry

    for entry in by_code.values():
        parent = entry["parent"]
        if parent is not None and parent not in by_code and parent not in known_codes:
            raise _invalid(f"機關 {entry['code']} 的上級機關 {parent} 不存在。")

    ordered: list[dict[str, Any]] = []
    state: dict[str, str] = {}

    def visit(code: str, chain: tuple[str, ...]) -> None:
        if state.get(code) == "done":
            return
        if state.get(code) == "visiting":
            raise _invalid(f"上級機關形成循環：{' → '.join((*chain, code))}。")
        state[code] = "visiting"
        parent = by_code[code]["parent"]
        if parent in by_code:
            visit(parent, (*chain, code))
        state[code] = "done"
        ordered.append(by_code[code])

    for code in by_code:
        visit(code, ())
    return ordered


def _sync_agency(
    entry: dict[str, Any], agencies: dict[str, Agency], result: RegistryResult
) -> Agency:
    parent = agencies.get(entry["parent"]) if entry["parent"] else None
    values: dict[str, Any] = {
        "name": entry["name"],
        "short_name": entry["short_name"],
        "kind": entry["kind"],
        "parent_id": parent.pk if parent else None,
        "established_on": entry["established_on"],
        "abolished_on": entry["abolished_on"],
        "dates_source": entry["dates_source"],
        "dates_verified": entry["dates_verified"],
        "sort_order": entry["sort_order"],
        **entry["optional"],
    }
    where = f"機關 {entry['code']}"
    agency = agencies.get(entry["code"])
    if agency is not None and agency.history_corrected:
        for name in _HISTORY_FIELDS:
            values.pop(name)
    if agency is None:
        agency = Agency(code=entry["code"], **values)
        _clean(agency, where)
        agency.save()
        agencies[agency.code] = agency
        result.created += 1
        return agency
    changed = {name: value for name, value in values.items() if getattr(agency, name) != value}
    if not changed:
        result.unchanged += 1
        return agency
    for name, value in changed.items():
        setattr(agency, name, value)  # setting parent_id also drops a cached parent object
    _clean(agency, where)
    agency.save()
    result.updated += 1
    return agency


def _sync_history(
    agency: Agency,
    wanted: list[dict[str, Any]],
    existing: list[AgencyName],
    result: RegistryResult,
) -> None:
    """Make the agency's name history equal the file's, matching rows by valid_from."""
    current: dict[dt.date | None, AgencyName] = {}
    for row in existing:
        if row.valid_from in current:  # a duplicate an administrator added: keep one
            row.delete()
            result.deleted += 1
        else:
            current[row.valid_from] = row
    for item in wanted:
        row = current.pop(item["valid_from"], None)
        where = f"機關 {agency.code} 的名稱沿革 {item['name']}"
        if row is None:
            row = AgencyName(agency=agency, **item)
            _clean(row, where, exclude=["agency"])
            row.save()
            result.created += 1
            continue
        changed = {k: v for k, v in item.items() if getattr(row, k) != v}
        if not changed:
            result.unchanged += 1
            continue
        for name, value in changed.items():
            setattr(row, name, value)
        _clean(row, where, exclude=["agency"])
        row.save()
        result.updated += 1
    for row in current.values():
        row.delete()
        result.deleted += 1


def _parse_members(
    item: dict[str, Any], code: str, agencies: dict[str, Agency]
) -> list[services.GroupMember]:
    """A group's ``members``: agency codes (no time limit) or objects with ``agency``,
    ``valid_from`` and ``valid_to`` (exclusive)."""
    members = []
    for number, raw in enumerate(item.get("members") or [], start=1):
        where = f"報表合併列 {code} 的第 {number} 個成員"
        entry = raw if isinstance(raw, dict) else {"agency": raw}
        agency = agencies.get(entry.get("agency"))
        if agency is None:
            raise _invalid(f"{where}（{entry.get('agency')}）不存在。")
        valid_from = _date(entry.get("valid_from"), where)
        valid_to = _date(entry.get("valid_to"), where)
        if valid_from and valid_to and valid_to <= valid_from:
            raise _invalid(f"{where} 的 valid_to 必須晚於 valid_from。")
        members.append(services.GroupMember(agency, valid_from, valid_to))
    return members


def _sync_groups(
    raw: list[dict[str, Any]],
    agencies: dict[str, Agency],
    result: RegistryResult,
    *,
    by,
    replace_groups: bool,
) -> None:
    existing = {g.code: g for g in ReportGroup.objects.prefetch_related("memberships")}
    for position, item in enumerate(raw, start=1):
        code, label = item.get("code"), item.get("label")
        if not code or not label:
            raise _invalid(f"第 {position} 筆報表合併列缺少 code 或 label。")
        members = _parse_members(item, code, agencies)
        sort_order = int(item.get("sort_order") or 0)
        group = existing.get(code)
        if group is not None:
            same = (
                group.label == label
                and group.sort_order == sort_order
                and {(m.agency_id, m.valid_from, m.valid_to) for m in group.memberships.all()}
                == {(m.agency.pk, m.valid_from, m.valid_to) for m in members}
            )
            # Administrators own groups once they exist; only an explicit request
            # (replace_groups) puts the file's definition back over their edits.
            if same or not replace_groups:
                result.unchanged += 1
                continue
        services.set_report_group(
            by=by, code=code, label=label, members=members, sort_order=sort_order
        )
        if group is None:
            result.created += 1
        else:
            result.updated += 1


def load_registry(
    path: Path | None = None, *, by=None, replace_groups: bool = False
) -> RegistryResult:
    """Create or update the agencies in ``path`` (default: the bundled real registry) by code,
    make each one's name history match the file, and create the file's report groups that do
    not exist yet (with ``replace_groups`` also reset existing ones to the file's definition).
    An agency whose history administrators corrected (``history_corrected``) keeps its dates,
    their sources and its name history; ``RegistryResult.kept`` lists such agencies.

    Idempotent: a record is saved only when a value differs, so a second load writes no audit
    entries. Agencies in the database but not in the file are left alone. One transaction;
    raises DomainError (code ``invalid_registry``) on bad data, changing nothing.
    """
    data = _read(Path(path) if path is not None else DEFAULT_PATH)
    result = RegistryResult()
    actor = audit.acting_as(by) if by is not None else contextlib.nullcontext()
    with transaction.atomic(), actor:
        agencies = {a.code: a for a in Agency.objects.all()}
        ordered = _parse_agencies(data["agencies"], set(agencies))
        names_by_agency: dict[int, list[AgencyName]] = defaultdict(list)
        for row in AgencyName.objects.order_by("pk"):
            names_by_agency[row.agency_id].append(row)
        for entry in ordered:
            agency = _sync_agency(entry, agencies, result)
            if agency.history_corrected:
                result.kept.append(agency.code)
                continue
            _sync_history(agency, entry["history"], names_by_agency.get(agency.pk, []), result)
        _sync_groups(
            data.get("report_groups") or [],
            agencies,
            result,
            by=by,
            replace_groups=replace_groups,
        )
    return result


# --- Looking agencies up by name ----------------------------------------------------------------

# Prefixes people put before an agency's own name, longest first. 「臺北市立」 goes too so
# 「臺北市立動物園」 meets its short name 「動物園」.
_PREFIXES = ("臺北市政府", "臺北市立", "臺北市", "北市府", "本府")


def name_key(text: str) -> str:
    """The form names are compared in: width-folded, without whitespace (data often carries
    stray spaces and line breaks), 台 → 臺, and without a leading 「臺北市政府」/「臺北市」/「本府」."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(text.split()).replace("台", "臺")
    stripped = True
    while stripped:
        stripped = False
        for prefix in _PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix) :]
                stripped = True
                break
    return text


@dataclass(frozen=True)
class _Known:
    agency_id: int
    history: AgencyName | None  # None: a name in force today


class AgencyIndex:
    """Every name of every agency, for resolving many names with two queries (importers:
    build once, call :meth:`find` per row). :func:`agency_by_name` builds one per call."""

    def __init__(self, agencies: Iterable[Agency]):
        self.agencies: dict[int, Agency] = {}
        self._keys: dict[str, list[_Known]] = defaultdict(list)
        agencies = list(agencies)
        own_keys: dict[int, set[str]] = {}
        for agency in agencies:
            self.agencies[agency.pk] = agency
            keys = {name_key(agency.name), name_key(agency.short_name)}
            for row in agency.name_history.all():
                keys |= {name_key(row.name), name_key(row.short_name)}
            own_keys[agency.pk] = keys
        # Keys of agencies that have children, for names written as parent + child short name
        # (工務局新工處), which no stored name spells out.
        self._parent_keys: dict[str, set[int]] = defaultdict(set)
        for agency in agencies:
            if agency.parent_id in own_keys:
                for key in own_keys[agency.parent_id]:
                    self._parent_keys[key].add(agency.parent_id)
        for agency in agencies:
            # Second-level full names start with the parent's (臺北市政府工務局新建工程處), but
            # people also write them without it (臺北市新建工程處, 新建工程處).
            parent_keys = sorted(own_keys.get(agency.parent_id, ()), key=len, reverse=True)
            self._add(agency, (agency.name, agency.short_name), None, parent_keys)
            for row in agency.name_history.all():
                self._add(agency, (row.name, row.short_name), row, parent_keys)

    def _add(self, agency: Agency, names, row, parent_keys: list[str]) -> None:
        for name in names:
            key = name_key(name)
            variants = {key}
            for parent_key in parent_keys:
                if key.startswith(parent_key) and len(key) > len(parent_key):
                    variants.add(key[len(parent_key) :])
                    break
            for variant in variants:
                known = _Known(agency.pk, row)
                if variant and known not in self._keys[variant]:
                    self._keys[variant].append(known)

    @classmethod
    def build(cls) -> AgencyIndex:
        return cls(Agency.objects.prefetch_related("name_history"))

    def find(self, text: str, on: dt.date | None = None) -> Agency | None:
        """The agency ``text`` names: first among names in force on ``on`` (when given), then
        today's names, then any former name. None when unknown or when two agencies share the
        name at the deciding step (guessing would misroute a case)."""
        key = name_key(text)
        candidates = self._keys.get(key) or self._under_parent(key)
        if not candidates:
            return None
        tiers = []
        if on is not None:
            tiers.append([c for c in candidates if self._in_force(c, on)])
        tiers.append([c for c in candidates if c.history is None])
        tiers.append([c for c in candidates if c.history is not None])
        for tier in tiers:
            ids = {c.agency_id for c in tier}
            if len(ids) == 1:
                return self.agencies[ids.pop()]
            if len(ids) > 1:
                return None
        return None

    def _under_parent(self, key: str) -> list[_Known]:
        """Candidates for 「<parent name><child name>」: the child's names, kept only where
        the child really belongs to that parent."""
        for parent_key, parent_ids in self._parent_keys.items():
            if key.startswith(parent_key) and len(key) > len(parent_key):
                rest = self._keys.get(key[len(parent_key) :], [])
                found = [c for c in rest if self.agencies[c.agency_id].parent_id in parent_ids]
                if found:
                    return found
        return []

    def _in_force(self, known: _Known, on: dt.date) -> bool:
        if known.history is not None:
            return known.history.covers(on)
        agency = self.agencies[known.agency_id]
        return not any(row.covers(on) for row in agency.name_history.all())


def agency_by_name(text: str, on: dt.date | None = None) -> Agency | None:
    """Resolve a full name, short name or former name (全銜、簡稱或舊名) to an agency; with
    ``on``, names in force that day win. 「民政局（含區公所）」 is a report group, not an agency."""
    return AgencyIndex.build().find(text, on)


def report_label(agency: Agency, on: dt.date) -> str:
    """The row label an agency is reported under on ``on``: the label of its report group in
    force that day (e.g. 「民政局（含區公所）」 for a district office), else its short name in
    force that day. Prefetch :data:`REPORT_PREFETCH` when labelling many rows."""
    group = _report_group(agency, on)
    return group.label if group is not None else agency.short_name_on(on)


def report_order(agency: Agency, on: dt.date | None = None) -> int:
    """Where the agency's row goes among rows with equal figures: the place of its report
    group in force on ``on`` (default today), else its own place in the registry."""
    group = _report_group(agency, on)
    return group.sort_order if group is not None else agency.sort_order


def report_label_changes_within(agency: Agency, start: dt.date, end: dt.date) -> bool:
    """Whether the agency's report label may differ between days of ``start`` .. ``end``: it
    was renamed, or joined or left a report group, on a day after ``start`` up to ``end``.
    Only such agencies need their records labelled day by day in a report of the period."""
    if agency.renamed_within(start, end):
        return True
    return any(
        (m.valid_from is not None and start < m.valid_from <= end)
        or (m.valid_to is not None and start < m.valid_to <= end)
        for m in agency.report_memberships.all()
    )


def _report_group(agency: Agency, on: dt.date | None):
    day = on if on is not None else timezone.localdate()
    # .all() and filtering here, not a filtered query: a prefetch (REPORT_PREFETCH) then
    # serves every call (statistics label thousands of rows).
    groups = [m.group for m in agency.report_memberships.all() if m.covers(day)]
    groups.sort(key=lambda group: (group.sort_order, group.code))
    return groups[0] if groups else None


# --- Agencies in force ---------------------------------------------------------------------


def agency_in_force_on(agency: Agency, day: dt.date) -> bool:
    """Whether the agency existed on ``day``: established on or before it (or no date known),
    not yet abolished. The same rule as ``Agency.objects.in_force_on(day)`` in SQL."""
    established, abolished = agency.established_on, agency.abolished_on
    return (established is None or established <= day) and (abolished is None or day < abolished)


def agency_not_in_force_message(
    agency: Agency, day: dt.date, *, record: str = "案件"
) -> str | None:
    """The zh-Hant reason ``agency`` cannot be used for a ``record`` dated ``day``, e.g.
    「臺北市政府青年局於113年6月1日成立，不能用於113年5月3日的案件。」; None when it is
    in force that day. The name is the one the agency carried at the boundary."""
    if agency_in_force_on(agency, day):
        return None
    on = roc.format_date(day)
    if agency.established_on is not None and day < agency.established_on:
        name = agency.names_on(agency.established_on)[0]
        return f"{name}於{roc.format_date(agency.established_on)}成立，不能用於{on}的{record}。"
    name = agency.names_on(agency.abolished_on - dt.timedelta(days=1))[0]
    return f"{name}已於{roc.format_date(agency.abolished_on)}裁撤，不能用於{on}的{record}。"
