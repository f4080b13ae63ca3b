"""The audit trail: automatic entries with before/after values, and the hash chain."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from secretariat.core import audit, services
from secretariat.core.models import Agency, AgencyKind, AuditEntry, User

pytestmark = pytest.mark.django_db


def make_agency(code="t1", name="臺北市政府測試局", short="測試局"):
    return Agency.objects.create(
        code=code, name=name, short_name=short, kind=AgencyKind.FIRST_LEVEL
    )


def entries_for(obj):
    return list(
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).order_by("seq")
    )


def test_create_update_delete_are_recorded_with_before_and_after():
    with audit.acting_as(audit.Actor(None, "測試者", "10.0.0.8")):
        agency = make_agency()
        agency.short_name = "試局"
        agency.save()
        agency_id = agency.pk
        agency.delete()
    created, updated, deleted = AuditEntry.objects.filter(
        object_id=str(agency_id), object_type="core.agency"
    ).order_by("seq")
    assert created.action == "create" and created.changes["short_name"] == [None, "測試局"]
    assert updated.action == "update" and updated.changes == {"short_name": ["測試局", "試局"]}
    assert deleted.action == "delete" and deleted.changes["short_name"] == ["試局", None]
    assert {e.actor_label for e in (created, updated, deleted)} == {"測試者"}
    assert {e.ip for e in (created, updated, deleted)} == {"10.0.0.8"}


def test_saving_without_changes_writes_nothing():
    agency = make_agency()
    before = AuditEntry.objects.count()
    Agency.objects.get(pk=agency.pk).save()
    assert AuditEntry.objects.count() == before


def test_role_changes_and_state_labels_are_recorded():
    agency = make_agency()
    person = services.create_person(
        by=None, username="p1", password="correct-horse-115", agency=agency, roles=["case_officer"]
    )
    services.set_roles(person, ["supervisor"], by=None)
    role_entries = [e.changes["roles"] for e in entries_for(person) if "roles" in e.changes]
    assert {"add": ["case_officer"]} in role_entries
    assert {"add": ["supervisor"]} in role_entries
    with audit.action("transition:deactivate"):
        person.is_active = False
        person.save()
    assert entries_for(person)[-1].action == "transition:deactivate"
    assert all("password" not in e.changes for e in entries_for(person))


def test_request_records_user_and_address(client, admin):
    client.force_login(admin)
    response = client.post(
        "/calendar/",
        {"date": "115/09/15", "kind": "closure", "city": "臺北市", "reason": "颱風停止上班"},
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(object_type="core.calendaradjustment").last()
    assert entry.actor_id == admin.pk and entry.ip == "192.0.2.7"
    assert entry.changes["reason"] == [None, "颱風停止上班"]


def test_entries_cannot_be_changed_through_the_application():
    make_agency()
    entry = AuditEntry.objects.first()
    entry.action = "forged"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def _several_entries():
    for i in range(4):
        make_agency(code=f"c{i}", name=f"臺北市政府第{i}局", short=f"第{i}局")
    return list(AuditEntry.objects.order_by("seq"))


def test_verify_passes_on_untouched_chain():
    entries = _several_entries()
    result = audit.verify()
    assert result.ok and result.checked == len(entries)
    call_command("audit", "verify")


def test_verify_names_an_entry_edited_by_sql():
    entries = _several_entries()
    target = entries[1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET actor_label = %s WHERE seq = %s",
            ["冒名者", target.seq],
        )
    result = audit.verify()
    assert not result.ok and result.seq == target.seq
    with pytest.raises(CommandError, match=f"第 {target.seq} 筆"):
        call_command("audit", "verify")


@pytest.mark.parametrize("which", ["middle", "last"])
def test_verify_detects_a_deleted_entry(which):
    entries = _several_entries()
    target = entries[1] if which == "middle" else entries[-1]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [target.seq])
    result = audit.verify()
    assert not result.ok and result.seq == target.seq


def test_verify_detects_a_rehashed_edit():
    """Editing an entry and recomputing its own hash still breaks the next entry's link."""
    entries = _several_entries()
    target = entries[1]
    target.actor_label = "冒名者"
    new_hash = audit.entry_hash(target)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET actor_label = %s, hash = %s WHERE seq = %s",
            ["冒名者", new_hash, target.seq],
        )
    result = audit.verify()
    assert not result.ok and result.seq == entries[2].seq


def test_users_are_audited_without_secrets():
    agency = make_agency()
    person = User.objects.create(username="x", agency=agency)
    person.set_password("another-secret-115")
    person.totp_secret = "JBSWY3DPEHPK3PXP"
    person.save()
    assert all(
        "password" not in e.changes and "totp_secret" not in e.changes for e in entries_for(person)
    )
