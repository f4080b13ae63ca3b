"""The audit trail (稽核軌跡): who changed which record, when, from where, before and after.

Every model that inherits :class:`Audited` is recorded automatically on create, update and
delete (and on many-to-many changes), so no service can forget it. Services that perform a
named step — a state transition, a view of personal data — label it with :func:`action` or
call :func:`record` directly.

Entries are append-only and hash-chained: each entry's hash covers its content and the
previous entry's hash, and :class:`~secretariat.core.models.AuditChainHead` remembers the
newest one, so :func:`verify` detects an edited, inserted or deleted entry.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

GENESIS_HASH = "0" * 64
# Any constant: serialises appends on PostgreSQL (SQLite serialises writers by itself).
_PG_LOCK_KEY = 0x5EC2E7A1


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in person, or the system (CLI, a job, the importer)."""

    user_id: int | None
    label: str
    ip: str = ""


SYSTEM = Actor(None, "系統")
_actor: contextvars.ContextVar[Actor] = contextvars.ContextVar("audit_actor", default=SYSTEM)
_action: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_action", default=None)


def actor_for(user, ip: str = "") -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(None, "匿名" if ip else SYSTEM.label, ip)
    return Actor(user.pk, f"{user}（{user.username}）", ip)


@contextlib.contextmanager
def acting_as(actor: Actor | Any, ip: str = "") -> Iterator[Actor]:
    """Attribute every audit entry written inside the block to ``actor`` (an Actor or a user)."""
    if not isinstance(actor, Actor):
        actor = actor_for(actor, ip)
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def actor_of(user) -> Actor:
    """The actor for a service call made ``by`` a person: the request's actor when it is that
    person (keeping the client address), otherwise that person (jobs, tests, the CLI)."""
    current = _actor.get()
    if user is None or not getattr(user, "is_authenticated", False) or current.user_id == user.pk:
        return current
    return actor_for(user, current.ip)


def set_actor(actor: Actor) -> None:
    """Set the actor for the rest of the current context (e.g. after API token
    authentication; the request middleware restores the previous actor afterwards)."""
    _actor.set(actor)


def current_actor() -> Actor:
    return _actor.get()


@contextlib.contextmanager
def action(label: str) -> Iterator[None]:
    """Label the changes saved inside the block, e.g. ``action("transition:approve")``."""
    token = _action.set(label)
    try:
        yield
    finally:
        _action.reset(token)


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | float | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or None
    return str(value)


class Audited(models.Model):
    """Mixin for business records: every create/update/delete is written to the audit trail."""

    audit_exclude: ClassVar[set[str]] = set()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._audit_snapshot = instance.audit_values()
        return instance

    def audit_values(self) -> dict[str, Any]:
        deferred = self.get_deferred_fields()
        return {
            field.attname: _json_value(getattr(self, field.attname))
            for field in self._meta.concrete_fields
            if field.name not in self.audit_exclude and field.attname not in deferred
        }

    def audit_agency_id(self) -> int | None:
        """The agency whose records this belongs to (for scoping audit views)."""
        if type(self).__name__ == "Agency":
            return self.pk
        return getattr(self, "agency_id", None)


def _object_type(instance: models.Model) -> str:
    return instance._meta.label_lower


def _canonical(entry) -> bytes:
    payload = {
        "seq": entry.seq,
        "at": entry.at.astimezone(dt.UTC).isoformat(),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "ip": entry.ip,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "agency_id": entry.agency_id,
        "changes": entry.changes,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(entry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def record(
    instance: models.Model | None,
    action_name: str,
    changes: dict[str, Any] | None = None,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    agency_id: int | None = None,
    actor: Actor | None = None,
):
    """Append one entry to the chain. ``changes`` maps field → [before, after] (or any
    JSON-able detail for non-field events such as a view of personal data)."""
    from secretariat.core.models import AuditChainHead, AuditEntry

    actor = actor or current_actor()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        if instance is not None:
            object_type = object_type or _object_type(instance)
            object_id = object_id or str(instance.pk)
            object_repr = object_repr or str(instance)[:200]
            if agency_id is None and isinstance(instance, Audited):
                agency_id = instance.audit_agency_id()
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor.user_id,
            actor_label=actor.label[:120],
            ip=actor.ip,
            action=action_name,
            object_type=object_type or "",
            object_id=object_id or "",
            object_repr=(object_repr or "")[:200],
            agency_id=agency_id,
            changes=_json_value(changes or {}),
            prev_hash=head.hash,
        )
        entry.hash = entry_hash(entry)
        entry.save()
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


def record_created(
    instances: Iterable[Audited], *, agency_of: Callable[[Audited], int | None] | None = None
) -> int:
    """Append a creation entry for each record saved without signals (``bulk_create``: the
    importers write thousands of records), as the post_save hook would have written it, under
    the current actor and action, holding the chain's lock once. ``agency_of`` gives a
    record's agency where ``audit_agency_id`` would cost a query per record (a case's lead).
    Returns the number of entries."""
    from secretariat.core.models import AuditChainHead, AuditEntry

    actor, action_name = current_actor(), _action.get() or "create"
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        at, entries = timezone.now(), []
        for instance in instances:
            values = instance.audit_values()
            entry = AuditEntry(
                seq=head.seq + 1,
                at=at,
                actor_id=actor.user_id,
                actor_label=actor.label[:120],
                ip=actor.ip,
                action=action_name,
                object_type=_object_type(instance),
                object_id=str(instance.pk),
                object_repr=str(instance)[:200],
                agency_id=agency_of(instance) if agency_of else instance.audit_agency_id(),
                changes={k: [None, v] for k, v in values.items() if v not in (None, "")},
                prev_hash=head.hash,
            )
            entry.hash = entry_hash(entry)
            entries.append(entry)
            head.seq, head.hash = entry.seq, entry.hash
            instance._audit_snapshot = values
        AuditEntry.objects.bulk_create(entries, batch_size=500)
        head.save(update_fields=["seq", "hash"])
    return len(entries)


def _on_save(sender, instance: Audited, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata
        return
    after = instance.audit_values()
    if created:
        changes = {name: [None, value] for name, value in after.items() if value not in (None, "")}
        record(instance, _action.get() or "create", changes)
    else:
        before = getattr(instance, "_audit_snapshot", {})
        changes = {
            name: [before.get(name), value]
            for name, value in after.items()
            if name in before and before[name] != value
        }
        if changes:
            record(instance, _action.get() or "update", changes)
    instance._audit_snapshot = after


def _on_delete(sender, instance: Audited, **kwargs) -> None:
    before = getattr(instance, "_audit_snapshot", None) or instance.audit_values()
    changes = {name: [value, None] for name, value in before.items() if value not in (None, "")}
    record(instance, _action.get() or "delete", changes)


def _on_m2m(sender, instance, action: str, model, pk_set, reverse: bool, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"} or reverse:
        return
    field = next(
        (f.name for f in instance._meta.many_to_many if f.remote_field.through is sender), "m2m"
    )
    verb = {"post_add": "add", "post_remove": "remove", "post_clear": "clear"}[action]
    values = sorted(str(pk) for pk in (pk_set or []))
    record(instance, _action.get() or "update", {field: {verb: values}})


def connect_signals() -> None:
    """Hook every concrete Audited model (called from CoreConfig.ready)."""
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, Audited):
            post_save.connect(
                _on_save, sender=model, dispatch_uid=f"audit-save-{model._meta.label}"
            )
            post_delete.connect(
                _on_delete, sender=model, dispatch_uid=f"audit-del-{model._meta.label}"
            )
            for m2m in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _on_m2m,
                    sender=m2m.remote_field.through,
                    dispatch_uid=f"audit-m2m-{model._meta.label}-{m2m.name}",
                )


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None


def verify() -> VerifyResult:
    """Recompute the chain. Names the first entry that was edited, inserted or deleted."""
    from secretariat.core.models import AuditChainHead, AuditEntry

    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return VerifyResult(
                False, checked, f"第 {expected_seq} 筆稽核紀錄遺失（已被刪除）。", expected_seq
            )
        if entry.prev_hash != prev_hash:
            return VerifyResult(
                False,
                checked,
                f"第 {entry.seq} 筆稽核紀錄的前筆雜湊不符（前一筆被刪除或竄改）。",
                entry.seq,
            )
        if entry_hash(entry) != entry.hash:
            return VerifyResult(
                False, checked, f"第 {entry.seq} 筆稽核紀錄內容與雜湊不符（已被竄改）。", entry.seq
            )
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        missing = expected_seq if head.seq >= expected_seq else head.seq
        return VerifyResult(
            False,
            checked,
            f"稽核鏈結尾不符：最後應為第 {head.seq} 筆，第 {missing} 筆起遺失或被竄改。",
            missing,
        )
    return VerifyResult(True, checked)
