"""Finding 8: the audit chain against someone who can write the database but holds neither the
key file nor the checkpoint file — every tamper case is detected by `audit verify`, which says
what is wrong. Entries from before the key existed still verify (as plain SHA-256)."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.core.management import CommandError, call_command

from secretariat.core import audit, audit_keys
from secretariat.core.models import Agency, AgencyKind, AuditChainHead, AuditCheckpoint, AuditEntry

pytestmark = pytest.mark.django_db


def add_entries(count: int = 4, start: int = 0) -> list[AuditEntry]:
    for i in range(start, start + count):
        Agency.objects.create(
            code=f"t{i}",
            name=f"臺北市政府第{i}局",
            short_name=f"第{i}局",
            kind=AgencyKind.FIRST_LEVEL,
        )
    return list(AuditEntry.objects.order_by("seq"))


@pytest.fixture
def anchor(django_capture_on_commit_callbacks):
    """anchor() writes a checkpoint of the chain as it stands (after the test's 'commit')."""

    def write() -> AuditCheckpoint:
        with django_capture_on_commit_callbacks(execute=True):
            audit.write_checkpoint()
        return audit.latest_checkpoint()

    return write


def rewrite_chain(sign, *, after: int = 0) -> None:
    """What an insider with database access can do: recompute every entry after seq ``after``
    with ``sign(entry) -> (key_id, hash)`` and move the chain head to match."""
    entries = list(AuditEntry.objects.order_by("seq"))
    prev = audit.GENESIS_HASH
    for entry in entries:
        if entry.seq > after:
            entry.prev_hash = prev
            entry.key_id, entry.hash = sign(entry)
            AuditEntry.objects.filter(pk=entry.pk).update(
                prev_hash=entry.prev_hash, key_id=entry.key_id, hash=entry.hash
            )
        prev = entry.hash
    AuditChainHead.objects.filter(pk=1).update(seq=entries[-1].seq, hash=prev)


def plain_sha256(entry) -> tuple[str, str]:
    """The application's old hash function: SHA-256, no secret."""
    entry.key_id = ""
    return "", hashlib.sha256(audit._canonical(entry)).hexdigest()


def verify_fails(seq: int | None, *words: str) -> audit.VerifyResult:
    result = audit.verify()
    assert not result.ok
    if seq is not None:
        assert result.seq == seq, result.problem
    for word in words:
        assert word in result.problem, result.problem
    with pytest.raises(CommandError, match="稽核鏈驗證失敗"):
        call_command("audit", "verify")
    return result


def test_new_entries_are_keyed_hmacs():
    entry = add_entries(1)[-1]
    keyring = audit_keys.load()
    assert entry.key_id == keyring.current_id
    expected = hmac.new(keyring.current, audit._canonical(entry), hashlib.sha256).hexdigest()
    assert entry.hash == expected
    assert entry.hash != hashlib.sha256(audit._canonical(entry)).hexdigest()


def test_an_untouched_chain_with_checkpoints_verifies(anchor):
    add_entries(2)
    anchor()
    entries = add_entries(2, start=2)
    checkpoint = anchor()
    result = audit.verify()
    assert result.ok and result.checked == len(entries)
    assert result.anchored.seq == checkpoint.seq == entries[-1].seq


# --- The tamper cases ---------------------------------------------------------------------


def test_an_edited_field_is_named(anchor):
    entries = add_entries()
    anchor()
    target = entries[-2]
    AuditEntry.objects.filter(pk=target.pk).update(actor_label="冒名者")
    verify_fails(target.seq, f"第 {target.seq} 筆", "金鑰雜湊不符")


def test_a_deleted_middle_row_is_named(anchor):
    entries = add_entries()
    anchor()
    target = entries[-3]
    AuditEntry.objects.filter(pk=target.pk).delete()
    verify_fails(target.seq, f"第 {target.seq} 筆", "遺失")


def test_a_deleted_tail_with_the_head_rolled_back_is_detected(anchor):
    entries = add_entries()
    anchor()
    kept = entries[-3]
    AuditEntry.objects.filter(seq__gt=kept.seq).delete()
    AuditChainHead.objects.filter(pk=1).update(seq=kept.seq, hash=kept.hash)
    verify_fails(kept.seq + 1, f"第 {entries[-1].seq} 筆", f"只到第 {kept.seq} 筆", "鏈頭被改回")


def test_a_full_rehash_with_plain_sha256_is_detected(anchor):
    add_entries()
    anchor()
    rewrite_chain(plain_sha256)
    verify_fails(None, "查核點不符")


def test_a_rehash_with_plain_sha256_under_the_key_id_is_detected():
    """Even with no checkpoint yet: the hash is not the keyed one."""
    add_entries()
    rewrite_chain(lambda entry: (entry.key_id, hashlib.sha256(audit._canonical(entry)).hexdigest()))
    verify_fails(1, "第 1 筆", "金鑰雜湊不符")


def test_a_rehash_of_later_entries_without_the_key_is_a_downgrade():
    """Even with no checkpoint yet: unkeyed entries after keyed ones."""
    entries = add_entries()
    rewrite_chain(plain_sha256, after=entries[-3].seq)
    verify_fails(entries[-2].seq, "未以金鑰簽章")


def test_a_full_rehash_with_a_wrong_key_is_detected(anchor):
    add_entries()
    anchor()
    forged = b"\x01" * 32

    def wrong_key(entry):
        return entry.key_id, hmac.new(forged, audit._canonical(entry), hashlib.sha256).hexdigest()

    rewrite_chain(wrong_key)
    verify_fails(1, "第 1 筆", "金鑰雜湊不符")


def _lines() -> list[str]:
    return audit.checkpoint_file().read_text(encoding="utf-8").splitlines(keepends=True)


def test_an_edited_checkpoint_line_is_detected(anchor):
    add_entries(2)
    anchor()
    add_entries(2, start=2)
    anchor()
    lines = _lines()
    first = json.loads(lines[0])
    first["hash"] = "f" * 64
    lines[0] = json.dumps(first, ensure_ascii=False, separators=(",", ":")) + "\n"
    audit.checkpoint_file().write_text("".join(lines), encoding="utf-8")
    verify_fails(None, "查核點檔第 1 行", "簽章不符")


@pytest.mark.parametrize(
    ("cut", "words"),
    [
        (lambda lines: lines[:-1], ("查核點檔中卻沒有",)),
        (lambda lines: [*lines[:-1], lines[-1][:40]], ("查核點檔第 3 行", "無法讀取")),
        (lambda lines: [lines[0], lines[2]], ("查核點檔第 2 行", "不相連")),
        (lambda lines: [], ("查核點檔中卻沒有",)),
    ],
    ids=["last-line-removed", "cut-mid-line", "middle-line-removed", "emptied"],
)
def test_a_truncated_checkpoint_file_is_detected(anchor, cut, words):
    for start in (0, 2, 4):
        add_entries(2, start=start)
        anchor()
    audit.checkpoint_file().write_text("".join(cut(_lines())), encoding="utf-8")
    verify_fails(None, *words)


def test_a_deleted_checkpoint_file_is_detected(anchor):
    add_entries()
    anchor()
    audit.checkpoint_file().unlink()
    verify_fails(None, "查核點檔中卻沒有")


def test_a_missing_key_file_is_named(anchor, settings, tmp_path):
    add_entries()
    key_id = audit_keys.load().current_id
    settings.AUDIT_KEY_FILE = tmp_path / "elsewhere"
    audit_keys.ensure()  # a new, different key under another id
    verify_fails(None, f"金鑰 {key_id} 不在金鑰檔中")


# --- Legacy entries, rotation, the anchors' writers ---------------------------------------


def test_entries_from_before_the_key_verify_as_plain_sha256_and_are_anchored(anchor):
    """The migration path: entries written before this release have no key id and a plain
    SHA-256 hash; they verify, keyed entries follow them, and the first checkpoint covers
    them, so a later plain rehash of them is still caught."""
    entries = add_entries()
    legacy = entries[-3].seq
    rewrite_chain(plain_sha256)  # the whole chain as the old code wrote it
    rewrite_chain(_keyed, after=legacy)
    result = audit.verify()
    assert result.ok, result.problem
    assert AuditEntry.objects.filter(seq__lte=legacy, key_id="").count() == legacy
    anchor()
    rewrite_chain(plain_sha256)
    verify_fails(None, "查核點不符")


def _keyed(entry) -> tuple[str, str]:
    keyring = audit_keys.load()
    entry.key_id = keyring.current_id
    return entry.key_id, audit.entry_hash(entry, keyring)


def test_old_entries_verify_with_old_keys_after_rotation(settings, tmp_path, anchor):
    settings.AUDIT_KEY_FILE = tmp_path / "audit-keys"
    old = add_entries(2)[-1]
    rewrite_chain(_keyed)  # the whole chain under this test's own key file
    old_key = audit_keys.load().current_id
    call_command("audit", "rotate-key")
    new = add_entries(2, start=2)[-1]
    assert AuditEntry.objects.get(pk=old.pk).key_id == old_key
    assert new.key_id == audit_keys.load().current_id != old_key
    assert audit.verify().ok
    # An entry signed with the retired key after the new one is in use: a stolen old key.
    keyring = audit_keys.load()

    def old_key_again(entry):
        entry.key_id = old_key
        return old_key, audit.entry_hash(entry, keyring)

    rewrite_chain(old_key_again, after=new.seq - 1)
    verify_fails(new.seq, "較舊的金鑰")


def test_the_key_file_is_created_once_and_private(settings, tmp_path):
    settings.AUDIT_KEY_FILE = tmp_path / "keys" / "audit-keys"
    first = audit_keys.ensure()
    assert audit_keys.ensure() == first
    assert (tmp_path / "keys" / "audit-keys").stat().st_mode & 0o777 == 0o600
    assert len(first.current) == audit_keys.KEY_BYTES


def test_verify_writes_a_checkpoint_and_the_scheduler_writes_them(
    django_capture_on_commit_callbacks,
):
    add_entries()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("audit", "verify")
    latest = audit.latest_checkpoint()
    assert latest.seq == AuditEntry.objects.order_by("-seq").first().seq
    assert json.loads(_lines()[-1])["mac"] == latest.mac
    add_entries(1, start=10)
    for _ in range(2):  # the second finds nothing new and writes no line
        with django_capture_on_commit_callbacks(execute=True):
            call_command("scheduler", "--once")
    assert audit.latest_checkpoint().seq == latest.seq + 1
    assert len(_lines()) == 2


def test_the_daily_verification_anchors_the_chain(django_capture_on_commit_callbacks):
    from secretariat.core.tasks import verify_audit_chain_task

    add_entries()
    with django_capture_on_commit_callbacks(execute=True):
        assert verify_audit_chain_task.call()["ok"]
    assert audit.latest_checkpoint() is not None


def test_setup_creates_the_key_and_anchors_the_chain(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.AUDIT_KEY_FILE = tmp_path / "audit-keys"
    rewrite_chain(plain_sha256)  # an installation from before the key
    with django_capture_on_commit_callbacks(execute=True):
        call_command("setup")
    assert settings.AUDIT_KEY_FILE.exists()
    assert audit.latest_checkpoint() is not None
    assert audit.verify().ok


def _restore_backup_taken_at(checkpoint: AuditCheckpoint) -> None:
    """What restoring a database backup taken at ``checkpoint`` looks like: later entries and
    later copies of checkpoints are gone, the head is back where it was."""
    entry = AuditEntry.objects.get(seq=checkpoint.seq)
    AuditEntry.objects.filter(seq__gt=checkpoint.seq).delete()
    AuditCheckpoint.objects.filter(pk__gt=checkpoint.pk).delete()
    AuditChainHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)


def test_a_restored_backup_is_reported_then_accepted_on_record(anchor):
    add_entries(2)
    backup = anchor()
    add_entries(2, start=2)
    anchor()
    _restore_backup_taken_at(backup)
    verify_fails(backup.seq + 1, "鏈頭被改回")
    call_command("audit", "accept-restore")
    assert audit.verify().ok
    assert json.loads(_lines()[-1])["kind"] == audit.RESTORE and len(_lines()) == 3
    add_entries(1, start=10)  # the chain goes on from the restored head
    anchor()
    assert audit.verify().ok


def test_a_restore_is_not_accepted_when_the_chain_disagrees_with_a_checkpoint(anchor):
    entries = add_entries(2)
    backup = anchor()
    add_entries(2, start=2)
    anchor()
    _restore_backup_taken_at(backup)
    AuditEntry.objects.filter(pk=entries[-1].pk).update(actor_label="冒名者")
    with pytest.raises(CommandError, match="還原後的稽核鏈與查核點不符"):
        call_command("audit", "accept-restore")
    assert all(json.loads(line)["kind"] == audit.CHECKPOINT for line in _lines())
