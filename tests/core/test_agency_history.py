"""Dated agency history: report-group membership with a validity period, sourced or unverified
name-change dates that administrators can correct, and agencies not yet (or no longer) in
force on a date."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse

from secretariat.core import services
from secretariat.core.errors import DomainError
from secretariat.core.models import (
    Agency,
    AgencyName,
    AuditEntry,
    ReportGroup,
    ReportGroupMembership,
)
from secretariat.core.registry import (
    DEFAULT_PATH,
    REPORT_PREFETCH,
    agency_by_name,
    agency_in_force_on,
    agency_not_in_force_message,
    load_registry,
    report_label,
    report_label_changes_within,
    report_order,
)
from secretariat.core.services import GroupMember

pytestmark = pytest.mark.django_db

D = dt.date
DOCS = Path(__file__).resolve().parents[2] / "docs" / "agencies.md"
WORKS_GROUP = "工務局（含所屬機關）"


@pytest.fixture
def works_group(registry, admin):
    """新工處 is reported under 工務局（含所屬機關） from 2025-07-01; 工務局 always."""
    works, new_works = agency_by_name("工務局"), agency_by_name("新工處")
    services.set_report_group(
        by=admin,
        code="public-works-with-offices",
        label=WORKS_GROUP,
        members=[works, GroupMember(new_works, valid_from=D(2025, 7, 1))],
        sort_order=50,
    )
    return works, new_works


# --- Report groups with a validity period ----------------------------------------------------


def test_membership_in_force_on_the_day_decides_the_label(works_group):
    works, new_works = works_group
    assert report_label(new_works, D(2025, 6, 30)) == "新工處"
    assert report_label(new_works, D(2025, 7, 1)) == WORKS_GROUP
    assert report_label(works, D(2000, 1, 1)) == WORKS_GROUP
    assert report_order(new_works, D(2025, 6, 30)) == new_works.sort_order
    assert report_order(new_works, D(2025, 7, 1)) == 50


def test_a_period_straddling_the_change_labels_each_case_by_its_own_date(works_group):
    works, new_works = works_group
    # Cases received in 114 (2025), one row per case: (lead agency, received on).
    cases = [
        (new_works, D(2025, 3, 4)),
        (new_works, D(2025, 6, 30)),
        (new_works, D(2025, 7, 1)),
        (new_works, D(2025, 11, 20)),
        (new_works, D(2025, 12, 31)),
        (works, D(2025, 2, 1)),
    ]
    agencies = Agency.objects.prefetch_related(*REPORT_PREFETCH).in_bulk(
        [agency.pk for agency, _ in cases]
    )
    counts = Counter(report_label(agencies[agency.pk], day) for agency, day in cases)
    assert counts == {"新工處": 2, WORKS_GROUP: 4}
    # Only the agency whose label changes inside the period needs counting day by day.
    assert report_label_changes_within(new_works, D(2025, 1, 1), D(2025, 12, 31))
    assert not report_label_changes_within(new_works, D(2025, 7, 1), D(2025, 12, 31))
    assert not report_label_changes_within(works, D(2025, 1, 1), D(2025, 12, 31))
    # A rename inside the period counts too (北水處 → 自來水處 on 2025-01-01).
    assert report_label_changes_within(agency_by_name("自來水處"), D(2024, 7, 1), D(2025, 6, 30))


def test_labels_read_the_prefetch_without_queries(works_group, django_assert_num_queries):
    agencies = list(Agency.objects.prefetch_related(*REPORT_PREFETCH))
    with django_assert_num_queries(0):
        for agency in agencies:
            report_label(agency, D(2025, 6, 30))
            report_order(agency, D(2025, 6, 30))
            report_label_changes_within(agency, D(2025, 1, 1), D(2025, 12, 31))


def test_a_member_that_left_is_labelled_by_its_own_name_afterwards(registry, admin):
    daan = agency_by_name("大安區公所")
    group = ReportGroup.objects.get(code="civil-affairs-with-districts")
    members = [GroupMember(m.agency, m.valid_from, m.valid_to) for m in group.memberships.all()]
    members = [m for m in members if m.agency != daan]
    members.append(GroupMember(daan, valid_to=D(2025, 7, 1)))
    before = AuditEntry.objects.order_by("seq").last().seq
    services.set_report_group(
        by=admin, code=group.code, label=group.label, members=members, sort_order=10
    )
    assert report_label(daan, D(2025, 6, 30)) == "民政局（含區公所）"
    assert report_label(daan, D(2025, 7, 1)) == "大安區公所"
    # The change is one audited membership row, the other members untouched.
    entries = AuditEntry.objects.filter(object_type="core.reportgroupmembership", seq__gt=before)
    assert [(e.action, list(e.changes)) for e in entries] == [("update", ["valid_to"])]


def test_overlapping_or_reversed_periods_are_refused(registry, admin):
    new_works = agency_by_name("新工處")
    with pytest.raises(DomainError, match="重疊") as caught:
        services.set_report_group(
            by=admin,
            code="overlap",
            label="重疊",
            members=[
                GroupMember(new_works, valid_to=D(2025, 7, 2)),
                GroupMember(new_works, valid_from=D(2025, 7, 1)),
            ],
        )
    assert caught.value.code == "overlapping_periods"
    with pytest.raises(DomainError, match="晚於"):
        services.set_report_group(
            by=admin,
            code="reversed",
            label="顛倒",
            members=[GroupMember(new_works, D(2025, 7, 1), D(2025, 7, 1))],
        )
    assert not ReportGroup.objects.filter(code__in=["overlap", "reversed"]).exists()
    # Back to back is not an overlap: valid_to is the first day outside.
    services.set_report_group(
        by=admin,
        code="back-to-back",
        label="接續",
        members=[
            GroupMember(new_works, valid_to=D(2025, 7, 1)),
            GroupMember(new_works, valid_from=D(2025, 7, 1)),
        ],
    )
    assert ReportGroupMembership.objects.filter(group__code="back-to-back").count() == 2


def test_the_file_can_date_members(tmp_path):
    path = tmp_path / "agencies.json"
    data = {
        "agencies": [
            {"code": "a", "name": "甲局", "short_name": "甲局", "kind": "first_level"},
            {"code": "b", "name": "乙處", "short_name": "乙處", "kind": "second_level"},
        ],
        "report_groups": [
            {
                "code": "a-group",
                "label": "甲局（含乙處）",
                "members": ["a", {"agency": "b", "valid_from": "2020-01-01"}],
            }
        ],
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    load_registry(path)
    b = Agency.objects.get(code="b")
    assert report_label(b, D(2019, 12, 31)) == "乙處"
    assert report_label(b, D(2020, 1, 1)) == "甲局（含乙處）"
    assert not load_registry(path).changed
    data["report_groups"][0]["members"][1]["valid_from"] = "2019-13-01"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DomainError, match="YYYY-MM-DD"):
        load_registry(path)


def test_the_agency_pages_show_the_membership_period(client, works_group, admin):
    client.force_login(admin)
    page = client.get(reverse("core:agency_detail", args=["neo"])).content.decode()
    assert f"{WORKS_GROUP}（114年7月1日起）" in page


# --- Sources of the dates, and administrators' corrections ----------------------------------


def test_every_bundled_date_is_sourced_or_marked_unverified():
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    docs = DOCS.read_text(encoding="utf-8")
    for agency in data["agencies"]:
        dated = [agency] if agency.get("established_on") or agency.get("abolished_on") else []
        for item in dated + agency.get("history", []):
            verified = item.get("verified", item.get("dates_verified"))
            source = item.get("source", item.get("dates_source", ""))
            assert isinstance(verified, bool), (agency["code"], item.get("name"))
            if verified:
                assert source, (agency["code"], item.get("name"))
        for row in agency.get("history", []):
            # docs/agencies.md lists every name-change date with its status.
            if row.get("valid_to"):
                status = "已查證" if row["verified"] else "未查證"
                line = next(
                    (line for line in docs.splitlines() if row["valid_to"] in line
                     and row["short_name"] in line),
                    None,
                )  # fmt: skip
                assert line is not None and status in line, (row["short_name"], row["valid_to"])


def test_sources_are_loaded(registry):
    labor = agency_by_name("勞動局")
    row = labor.name_history.get()
    assert row.verified and "勞動局組織規程" in row.source
    assert (labor.established_on, labor.dates_verified) == (D(1988, 1, 15), False)
    youth = agency_by_name("青年局")
    assert youth.dates_verified and "2024年6月1日" in youth.dates_source
    assert not agency_by_name("兵役局").name_history.get().verified


def test_a_correction_in_the_admin_is_audited_and_survives_a_reload(client, admin):
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    army = agency_by_name("兵役局")
    row = army.name_history.get()
    url = reverse("admin:core_agency_change", args=[army.pk])
    form = {
        "code": army.code,
        "name": army.name,
        "short_name": army.short_name,
        "kind": army.kind,
        "parent": "",
        "established_on": "",
        "abolished_on": "",
        "dates_source": "",
        "email": "",
        "phone": "",
        "sort_order": army.sort_order,
        "name_history-TOTAL_FORMS": "1",
        "name_history-INITIAL_FORMS": "1",
        "name_history-MIN_NUM_FORMS": "0",
        "name_history-MAX_NUM_FORMS": "1000",
        "name_history-0-id": row.pk,
        "name_history-0-agency": army.pk,
        "name_history-0-name": row.name,
        "name_history-0-short_name": row.short_name,
        "name_history-0-valid_from": "",
        "name_history-0-valid_to": "2011-12-25",
        "name_history-0-source": "臺北市政府兵役局組織規程（測試用出處）",
        "name_history-0-verified": "on",
        "_save": "儲存",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    army.refresh_from_db()
    row.refresh_from_db()
    assert army.history_corrected
    assert (row.valid_to, row.verified) == (D(2011, 12, 25), True)
    changes = AuditEntry.objects.filter(object_type="core.agencyname", object_id=str(row.pk))
    assert changes.last().changes["valid_to"] == ["2011-12-20", "2011-12-25"]

    result = load_registry()
    assert result.kept == ["docms"]
    assert "經管理者校正" in str(result)
    row.refresh_from_db()
    assert row.valid_to == D(2011, 12, 25)
    # Unticking the flag hands the agency back to the file.
    army.history_corrected = False
    army.save()
    assert load_registry().kept == []
    row = AgencyName.objects.get(agency=army)
    assert (row.valid_to, row.verified) == (D(2011, 12, 20), False)


def test_admin_group_memberships_may_not_overlap(client, admin, registry):
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    new_works = agency_by_name("新工處")
    form = {
        "code": "overlap",
        "label": "重疊",
        "sort_order": "1",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-agency": new_works.pk,
        "memberships-0-valid_from": "",
        "memberships-0-valid_to": "2025-07-02",
        "memberships-1-agency": new_works.pk,
        "memberships-1-valid_from": "2025-07-01",
        "memberships-1-valid_to": "",
    }
    page = client.post(reverse("admin:core_reportgroup_add"), form).content.decode()
    assert "兩段成員期間重疊" in page
    assert not ReportGroup.objects.filter(code="overlap").exists()
    form["memberships-0-valid_to"] = "2025-07-01"
    assert client.post(reverse("admin:core_reportgroup_add"), form).status_code == 302
    assert ReportGroup.objects.get(code="overlap").memberships.count() == 2


# --- Agencies in force on a date -------------------------------------------------------------


def test_an_agency_cannot_be_used_before_it_was_established(registry):
    youth = agency_by_name("青年局")
    assert not agency_in_force_on(youth, D(2024, 5, 3))
    assert agency_in_force_on(youth, D(2024, 6, 1))
    assert agency_not_in_force_message(youth, D(2024, 5, 3)) == (
        "臺北市政府青年局於113年6月1日成立，不能用於113年5月3日的案件。"
    )
    assert agency_not_in_force_message(youth, D(2024, 6, 1)) is None
    # Established under another name: the message names it as it was then.
    labor = agency_by_name("勞動局")
    assert agency_not_in_force_message(labor, D(1987, 12, 3), record="陳情") == (
        "臺北市政府勞工局於77年1月15日成立，不能用於76年12月3日的陳情。"
    )
    # A rename is not an establishment: 勞動局 existed (as 勞工局) on 101年12月3日.
    assert agency_in_force_on(labor, D(2012, 12, 3))
    # No date known: always in force.
    assert agency_not_in_force_message(agency_by_name("秘書處"), D(1950, 1, 1)) is None


def test_an_abolished_agency(registry):
    old = Agency.objects.create(
        code="old", name="臺北市政府舊局", short_name="舊局", kind="first_level",
        abolished_on=D(2012, 9, 18),
    )  # fmt: skip
    assert agency_in_force_on(old, D(2012, 9, 17))
    assert agency_not_in_force_message(old, D(2012, 9, 18)) == (
        "臺北市政府舊局已於101年9月18日裁撤，不能用於101年9月18日的案件。"
    )


def test_the_python_rule_and_the_queryset_agree(registry):
    Agency.objects.create(
        code="old", name="舊局", short_name="舊局", kind="first_level",
        established_on=D(2000, 1, 1), abolished_on=D(2012, 9, 18),
    )  # fmt: skip
    for day in (D(1980, 1, 1), D(2000, 1, 1), D(2012, 9, 17), D(2012, 9, 18), D(2024, 6, 1)):
        in_force = set(Agency.objects.in_force_on(day).values_list("pk", flat=True))
        assert {a.pk for a in Agency.objects.all() if agency_in_force_on(a, day)} == in_force
