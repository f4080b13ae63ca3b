"""The audit trail (稽核軌跡): who changed which record, when, from where, before and after.

Every model that inherits :class:`Audited` is recorded automatically on create, update and
delete (and on many-to-many changes), so no service can forget it. Services that perform a
named step — a state transition, a view of personal data — label it with :func:`action` or
call :func:`record` directly.

Entries are append-only and hash-chained: each entry's hash is an HMAC-SHA256, under a key
kept outside the database (:mod:`~secretariat.core.audit_keys`), of its content and the
previous entry's hash, and :class:`~secretariat.core.models.AuditChainHead` remembers the
newest one, so :func:`verify` detects an edited, inserted or deleted entry — and someone who
can write the database but not read the key cannot recompute the chain to hide it. Entries
written before the key existed keep their plain SHA-256 (``key_id`` empty) and verify as such.

Checkpoints (查核點) anchor the chain outside the database, the way transparency logs do:
:func:`write_checkpoint` appends the head's sequence number and hash, the time and an HMAC to
an append-only file (``settings.AUDIT_CHECKPOINT_FILE``), each line linked to the one before,
with a copy of each line in the database so a truncated file is noticed. The scheduler writes
one every hour and `audit verify` one after each successful check; :func:`verify` compares
the chain with every checkpoint, so deleting the newest entries and rolling the head back, or
rehashing the whole chain, is detected.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import fcntl
import hashlib
import hmac
import json
import logging
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from secretariat.core import audit_keys

logger = logging.getLogger(__name__)

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
    if entry.key_id:  # legacy entries were hashed without it
        payload["key_id"] = entry.key_id
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


class UnknownKey(Exception):
    """An entry or checkpoint names a key the key file does not hold."""


def _mac(key_id: str, keyring: audit_keys.Keyring | None, message: bytes) -> str:
    if keyring is None or key_id not in keyring.keys:
        raise UnknownKey(key_id)
    return hmac.new(keyring.keys[key_id], message, hashlib.sha256).hexdigest()


def entry_hash(entry, keyring: audit_keys.Keyring | None = None) -> str:
    """HMAC-SHA256 of the entry under its key (``entry.key_id``); plain SHA-256 for a legacy
    entry written before the key existed."""
    if not entry.key_id:
        return hashlib.sha256(_canonical(entry)).hexdigest()
    return _mac(entry.key_id, keyring or audit_keys.load(), _canonical(entry))


def _sign(entry, keyring: audit_keys.Keyring) -> None:
    entry.key_id = keyring.current_id
    entry.hash = entry_hash(entry, keyring)


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
        _sign(entry, audit_keys.ensure())
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
        at, entries, keyring = timezone.now(), [], audit_keys.ensure()
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
            _sign(entry, keyring)
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


# --- Checkpoints -------------------------------------------------------------------------------

_CHECKPOINT_FIELDS = ("seq", "hash", "at", "key", "prev", "kind")
CHECKPOINT, RESTORE = "checkpoint", "restore"


@dataclass(frozen=True)
class Checkpoint:
    """One line of the checkpoint file: the chain's head at a moment, signed."""

    seq: int
    hash: str
    at: str
    key: str
    prev: str
    kind: str  # CHECKPOINT, or RESTORE: the chain was deliberately rolled back to ``seq``
    mac: str

    def line(self) -> str:
        fields = {name: getattr(self, name) for name in (*_CHECKPOINT_FIELDS, "mac")}
        return json.dumps(fields, ensure_ascii=False, separators=(",", ":")) + "\n"


def checkpoint_file():
    from pathlib import Path

    return Path(settings.AUDIT_CHECKPOINT_FILE)


def _checkpoint_mac(fields: dict, keyring: audit_keys.Keyring | None) -> str:
    message = json.dumps(
        {name: fields[name] for name in _CHECKPOINT_FIELDS},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    return _mac(fields["key"], keyring, message)


def _last_mac(handle) -> str:
    """The MAC of the file's last line ('' for an empty file or an unreadable last line,
    which verify reports)."""
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(max(0, size - 4096))
    lines = [line for line in handle.read().splitlines() if line.strip()]
    if not lines:
        return ""
    try:
        return str(json.loads(lines[-1])["mac"])
    except (ValueError, KeyError, TypeError):
        return ""


def write_checkpoint() -> None:
    """Anchor the chain's head outside the database: append its sequence number and hash, the
    time and an HMAC (linked to the previous line) to the checkpoint file, keep a copy in the
    database, and log it. Done when the current transaction commits (at once outside one), so
    a checkpoint never anchors entries that are then rolled back. Nothing is written when the
    head has not moved since the last checkpoint."""
    transaction.on_commit(_append_checkpoint)


def _head() -> tuple[int, str]:
    from secretariat.core.models import AuditChainHead

    head = AuditChainHead.objects.filter(pk=1).first()
    return (head.seq, head.hash) if head else (0, GENESIS_HASH)


def _append_checkpoint(kind: str = CHECKPOINT) -> None:
    from secretariat.core.models import AuditCheckpoint

    keyring = audit_keys.ensure()
    seq, head_hash = _head()
    last = AuditCheckpoint.objects.order_by("-pk").first()
    if kind == CHECKPOINT and last is not None and (last.seq, last.hash) == (seq, head_hash):
        return
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        fields = {
            "seq": seq,
            "hash": head_hash,
            "at": timezone.now().isoformat(timespec="seconds"),
            "key": keyring.current_id,
            "prev": _last_mac(handle),
            "kind": kind,
        }
        checkpoint = Checkpoint(**fields, mac=_checkpoint_mac(fields, keyring))
        handle.write(checkpoint.line())
        handle.flush()
        os.fsync(handle.fileno())
    # The file first: a crash before this copy leaves the file ahead, which verify accepts.
    AuditCheckpoint.objects.create(
        seq=seq, hash=head_hash, at=fields["at"], key_id=keyring.current_id, mac=checkpoint.mac
    )
    logger.info("稽核鏈查核點（%s）：第 %s 筆 %s（%s）", kind, seq, head_hash, fields["at"])


def accept_restore() -> VerifyResult:
    """After restoring a database backup the chain is shorter than the checkpoints say, which
    verify reports as a deleted tail — rightly. Once the operator has decided that the restore
    is the truth: if the restored chain agrees with every checkpoint up to its head, append a
    signed restore line, which sets aside the checkpoints beyond it (they stay in the file, so
    the rollback itself stays on record)."""
    seq, _ = _head()
    result = verify(rolled_back_to=seq)
    if result.ok:
        _append_checkpoint(RESTORE)
    return result


def latest_checkpoint():
    """The newest checkpoint written (the database's copy), or None."""
    from secretariat.core.models import AuditCheckpoint

    return AuditCheckpoint.objects.order_by("-pk").first()


def prepare() -> str:
    """`secretariat setup`: create the key file if there is none and, if the chain verifies,
    anchor it — entries written before the key existed (plain SHA-256) are covered from then
    on by this first keyed checkpoint."""
    keyring = audit_keys.ensure()
    result = verify()
    where = f"金鑰 {keyring.current_id}（{audit_keys.key_file()}）"
    if not result.ok:
        return f"{where}；稽核鏈驗證失敗，未寫入查核點：{result.problem}"
    write_checkpoint()
    return f"{where}；{result.checked} 筆紀錄驗證通過，寫入查核點（{checkpoint_file()}）"


def _read_checkpoints(keyring: audit_keys.Keyring | None) -> tuple[list[Checkpoint], str]:
    """Every checkpoint in the file, each checked against its MAC and its predecessor; or the
    first problem found."""
    path = checkpoint_file()
    if not path.exists():
        return [], ""
    checkpoints: list[Checkpoint] = []
    prev = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            fields = json.loads(line)
            checkpoint = Checkpoint(**{name: fields[name] for name in (*_CHECKPOINT_FIELDS, "mac")})
            expected = _checkpoint_mac(fields, keyring)
        except UnknownKey as error:
            return [], f"查核點檔第 {number} 行使用的金鑰 {error} 不在金鑰檔中。"
        except (ValueError, KeyError, TypeError):
            return [], f"查核點檔第 {number} 行無法讀取（檔案被截斷或竄改）。"
        if not hmac.compare_digest(expected, str(checkpoint.mac)):
            return (
                [],
                f"查核點檔第 {number} 行（第 {checkpoint.seq} 筆）的簽章不符（查核點被竄改）。",
            )
        if checkpoint.prev != prev:
            return [], f"查核點檔第 {number} 行與前一行不相連（其間的查核點被刪除或竄改）。"
        if checkpoint.kind not in {CHECKPOINT, RESTORE}:
            return [], f"查核點檔第 {number} 行的種類不明（查核點被竄改）。"
        if checkpoint.kind == CHECKPOINT and checkpoints and checkpoint.seq < checkpoints[-1].seq:
            return [], f"查核點檔第 {number} 行的序號比前一行小（查核點被竄改）。"
        checkpoints.append(checkpoint)
        prev = checkpoint.mac
    return checkpoints, ""


def _missing_from_file(checkpoints: list[Checkpoint]) -> str:
    """The database's copy of the checkpoints must all be in the file: a file cut short (or
    replaced by an older copy) loses the newest lines, which the copy still holds."""
    from secretariat.core.models import AuditCheckpoint

    in_file = {checkpoint.mac for checkpoint in checkpoints}
    for kept in AuditCheckpoint.objects.order_by("pk").iterator():
        if kept.mac not in in_file:
            return (
                f"資料庫記有 {kept.at.isoformat(timespec='seconds')} 第 {kept.seq} 筆的查核點，"
                "查核點檔中卻沒有（查核點檔被截斷、刪除或換成舊檔）。"
            )
    return ""


# --- Verification ------------------------------------------------------------------------------


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None
    anchored: Checkpoint | None = None  # the newest checkpoint the chain was compared with


def _anchors(
    checkpoints: list[Checkpoint], rolled_back_to: int | None
) -> tuple[dict[int, Checkpoint], Checkpoint | None]:
    """The checkpoints in force by sequence number, and the newest: a restore line (and
    ``rolled_back_to``, a restore being accepted) sets aside those beyond it."""
    anchors: dict[int, Checkpoint] = {}
    newest = None
    for checkpoint in checkpoints:
        if checkpoint.kind == RESTORE:
            anchors = {seq: kept for seq, kept in anchors.items() if seq <= checkpoint.seq}
        if checkpoint.seq > 0:
            anchors[checkpoint.seq] = checkpoint
        newest = checkpoint
    if rolled_back_to is not None:
        anchors = {seq: kept for seq, kept in anchors.items() if seq <= rolled_back_to}
        newest = anchors[max(anchors)] if anchors else None
    return anchors, newest


def verify(*, rolled_back_to: int | None = None) -> VerifyResult:
    """Recompute the chain with its keys and compare it with every checkpoint. Names the first
    entry that was edited, inserted, deleted or rehashed, or what is wrong with the
    checkpoints. ``rolled_back_to``: see :func:`accept_restore`."""
    from secretariat.core.models import AuditChainHead, AuditEntry

    keyring = audit_keys.load()
    checkpoints, problem = _read_checkpoints(keyring)
    problem = problem or _missing_from_file(checkpoints)
    if problem:
        return VerifyResult(False, 0, problem)
    anchors, newest = _anchors(checkpoints, rolled_back_to)

    prev_hash, expected_seq, checked, key_order = GENESIS_HASH, 1, 0, -1
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        problem = _entry_problem(entry, expected_seq, prev_hash, keyring, key_order)
        anchor = anchors.get(entry.seq)
        if not problem and anchor is not None and anchor.hash != entry.hash:
            problem = (
                f"第 {entry.seq} 筆稽核紀錄與 {anchor.at} 寫在資料庫外的查核點不符"
                "（查核點之後稽核鏈被重算）。"
            )
        if problem:
            return VerifyResult(False, checked, problem, min(entry.seq, expected_seq), newest)
        key_order = keyring.order(entry.key_id) if keyring else -1
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    last = expected_seq - 1
    if newest is not None and newest.seq > last:
        return VerifyResult(
            False,
            checked,
            f"{newest.at} 的查核點記錄稽核鏈已到第 {newest.seq} 筆，資料庫中只到第 {last} 筆："
            f"第 {last + 1} 筆起被刪除，鏈頭被改回。",
            last + 1,
            newest,
        )
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != last or head.hash != prev_hash):
        missing = expected_seq if head.seq >= expected_seq else head.seq
        return VerifyResult(
            False,
            checked,
            f"稽核鏈結尾不符：最後應為第 {head.seq} 筆，第 {missing} 筆起遺失或被竄改。",
            missing,
            newest,
        )
    return VerifyResult(True, checked, anchored=newest)


def _entry_problem(
    entry, expected_seq: int, prev_hash: str, keyring: audit_keys.Keyring | None, key_order: int
) -> str:
    if entry.seq != expected_seq:
        return f"第 {expected_seq} 筆稽核紀錄遺失（已被刪除）。"
    if entry.prev_hash != prev_hash:
        return f"第 {entry.seq} 筆稽核紀錄的前筆雜湊不符（前一筆被刪除或竄改）。"
    if entry.key_id and (keyring is None or entry.key_id not in keyring.keys):
        return (
            f"第 {entry.seq} 筆稽核紀錄使用的金鑰 {entry.key_id} 不在金鑰檔中"
            "（金鑰檔遺失或被替換）。"
        )
    # Keys are used in the order they were created: an entry under an older key (or none)
    # after a newer one was rehashed by someone who lacks the newer key.
    order = keyring.order(entry.key_id) if keyring else -1
    if order < key_order:
        return (
            f"第 {entry.seq} 筆稽核紀錄未以金鑰簽章或使用較舊的金鑰，但前面的紀錄已使用較新的"
            "金鑰（以無金鑰的雜湊或舊金鑰重算）。"
        )
    if not hmac.compare_digest(entry_hash(entry, keyring), entry.hash):
        if entry.key_id:
            return (
                f"第 {entry.seq} 筆稽核紀錄內容與其金鑰雜湊不符"
                "（已被竄改，或以其他金鑰、無金鑰的雜湊重算）。"
            )
        return f"第 {entry.seq} 筆稽核紀錄內容與雜湊不符（已被竄改）。"
    return ""
