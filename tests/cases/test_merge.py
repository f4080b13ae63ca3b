"""併案: a router merges a duplicate case into another of its kind, with a reason. The duplicate
ends (併案) with its unanswered parts withdrawn, the case it joined lists it, and the case it
joined cannot then end without answering (存查/撤回 refused). Audited on both cases."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secretariat.cases import kinds, selectors, services
from secretariat.cases.models import AssignmentStatus, CaseStatus
from secretariat.core import workdays
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry, Notification

pytestmark = pytest.mark.django_db


def new_case(subject="陳情路燈不亮", kind="petition", **extra):
    return services.open_case(
        kind=kind,
        subject=subject,
        body=f"{subject}，請儘速處理。",
        channel="letter",
        requester={"name": "王小明", "email": "a@example.test"},
        by=None,
        **extra,
    )


@pytest.fixture
def pair(staff, agency):
    """The case answered (routed to 都發局) and its duplicate (routed to 警察局)."""
    kept, duplicate = new_case("松仁路路燈不亮"), new_case("松仁路路燈整排不亮")
    services.route_case(kept, agency("都發局"), by=staff["router"])
    services.route_case(duplicate, agency("警察局"), by=staff["router"])
    return kept, duplicate


def test_a_merged_case_ends_and_its_parts_are_withdrawn(staff, pair):
    kept, duplicate = pair
    merged = services.merge_case(duplicate, kept, "同一路段重複陳情", by=staff["router"])
    assert merged.status == CaseStatus.MERGED and merged.merged_into == kept
    assert merged.filed_reason == "同一路段重複陳情" and merged.closed_on is not None
    (part,) = merged.assignments.all()
    assert part.status == AssignmentStatus.WITHDRAWN
    assert list(selectors.merged_cases(kept)) == [merged]
    notices = Notification.objects.filter(recipient=staff["police"])
    # The new-part notice asked for a reply no longer wanted: it is done; the merge notice
    # (nothing to do, but unread) stays open until read.
    asked = notices.get(title__startswith="新分辦案件")
    assert asked.resolved_at is not None
    told = notices.get(title=f"{duplicate.number} 已併入 {kept.number} 辦理，本分辦已撤銷")
    assert told.resolved_at is None and "無須回復" in told.body
    # The police no longer hold a part of it: the case is gone from their view.
    assert not selectors.cases_for(staff["police"]).filter(pk=duplicate.pk).exists()


def test_a_merge_is_audited_on_both_cases(staff, pair):
    kept, duplicate = pair
    services.merge_case(duplicate, kept, "重複陳情", by=staff["router"])
    ended = AuditEntry.objects.get(
        object_type="cases.case", object_id=str(duplicate.pk), action="transition:merge"
    )
    assert ended.changes["status"] == ["in_progress", "merged"]
    assert ended.changes["merged_into_id"] == [None, kept.pk]
    assert ended.actor_id == staff["router"].pk
    joined = AuditEntry.objects.get(
        object_type="cases.case", object_id=str(kept.pk), action="merge"
    )
    assert joined.changes == {"merged": duplicate.number, "reason": "重複陳情"}
    withdrawn = AuditEntry.objects.filter(object_type="cases.assignment", action="transition:merge")
    assert [e.changes["status"] for e in withdrawn] == [["assigned", "withdrawn"]]


def test_only_a_router_merges_with_a_reason(staff, pair):
    kept, duplicate = pair
    with pytest.raises(PermissionDenied):
        services.merge_case(duplicate, kept, "重複", by=staff["udd_boss"])
    for reason, message in (
        ("", "請說明併案理由。"),
        ("理由\x00", "併案理由含有不允許的控制字元。"),
        ("長" * 201, "併案理由不可超過 200 字（目前 201 字）。"),
    ):
        with pytest.raises(DomainError) as refused:
            services.merge_case(duplicate, kept, reason, by=staff["router"])
        assert refused.value.fields == {"reason": [message]}
    duplicate.refresh_from_db()
    assert duplicate.status == CaseStatus.IN_PROGRESS


def test_what_a_case_may_be_merged_into(staff, pair, agency):
    kept, duplicate = pair

    def refused(case, into) -> list[str]:
        with pytest.raises(DomainError) as error:
            services.merge_case(case, into, "重複", by=staff["router"])
        return error.value.fields.get("into") or [error.value.message]

    assert refused(duplicate, duplicate) == ["不能併入本案自己。"]
    filed = new_case("另案")
    services.file_case(filed, "無具體訴求", by=staff["router"])
    assert refused(duplicate, filed) == [f"{filed.number} 已存查，不會回復陳情人，不能併入。"]
    other = new_case("其他")
    services.merge_case(other, kept, "重複", by=staff["router"])
    assert refused(duplicate, other) == [f"{other.number} 已併入 {kept.number}，請改併入該案。"]


@pytest.fixture
def memos():
    """A kind of its own with hooks that remember what the engine told them."""
    heard = {"replied": [], "merged": []}
    kinds.register(
        kinds.CaseKind(
            code="test_memo",
            label="測試便簽",
            prefix="簽",
            reply_days=5,
            reply_approval=False,
            on_replied=lambda case: heard["replied"].append(case.number),
            on_merged=lambda case, into: heard["merged"].append((case.number, into.number)),
        )
    )
    yield heard
    kinds.KINDS.pop("test_memo")


def test_cases_of_another_kind_are_not_merged(staff, pair, memos, admin):
    kept, _ = pair
    memo = new_case("便簽", kind="test_memo")
    with pytest.raises(DomainError) as refused:
        services.merge_case(memo, kept, "重複", by=admin)
    assert refused.value.fields == {
        "into": [f"{kept.number} 是人民陳情，只能併入同類別（測試便簽）的案件。"]
    }


def test_the_kind_hears_of_the_merge_and_answers_both_requesters(
    staff, agency, admin, memos, django_capture_on_commit_callbacks
):
    kept, duplicate = new_case("甲", kind="test_memo"), new_case("乙", kind="test_memo")
    (part,) = services.route_case(kept, agency("都發局"), by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.merge_case(duplicate, kept, "重複", by=admin)
    assert memos["merged"] == [(duplicate.number, kept.number)]
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_reply(part, "已處理。", by=staff["udd"])
    assert memos["replied"] == [kept.number, duplicate.number]


def test_an_answered_or_waiting_case_is_not_merged(staff, pair, agency):
    kept, duplicate = pair
    (part,) = duplicate.assignments.all()
    later = workdays.add_working_days(part.due_on, 3)
    services.request_extension(part, "需會勘", later, by=staff["police"])
    with pytest.raises(DomainError) as refused:
        services.merge_case(duplicate, kept, "重複", by=staff["router"])
    assert refused.value.code == "illegal_transition"
    assert "目前為「展期中」，不能併案" in refused.value.message


def test_a_case_others_were_merged_into_cannot_be_filed_or_withdrawn(staff, pair):
    kept, duplicate = pair
    services.merge_case(duplicate, kept, "重複", by=staff["router"])
    for step in (services.file_case, services.withdraw_case):
        with pytest.raises(DomainError) as refused:
            step(kept, "陳情人撤回", by=staff["router"])
        assert refused.value.code == "has_merged_cases"
        assert duplicate.number in refused.value.message
    kept.refresh_from_db()
    assert kept.status == CaseStatus.IN_PROGRESS


def test_cases_merged_into_a_case_follow_it_when_it_is_merged(staff, pair):
    kept, duplicate = pair
    third = new_case("又一件路燈陳情")
    services.merge_case(third, duplicate, "重複", by=staff["router"])
    services.merge_case(duplicate, kept, "重複", by=staff["router"])
    third.refresh_from_db()
    assert third.merged_into == kept
    assert set(selectors.merged_cases(kept)) == {duplicate, third}


def test_a_merged_case_is_counted_apart_in_the_report(staff, pair):
    kept, duplicate = pair
    services.merge_case(duplicate, kept, "重複", by=staff["router"])
    day = kept.received_on
    counts = selectors.count_by_lead_agency("petition", day, day)
    assert counts.without_lead == {CaseStatus.MERGED: 1}
    assert "併案1件" in counts.without_lead_phrases()
    assert counts.received == 2


# --- On the case pages ----------------------------------------------------------------------


def test_merging_on_the_page(client, staff, pair):
    kept, duplicate = pair
    client.force_login(staff["router"])
    page = client.get(duplicate.get_absolute_url()).content.decode()
    assert 'id="merge-into"' in page and "併入案號" in page
    url = reverse("cases:step", args=[duplicate.number, "merge"])
    unknown = client.post(url, {"into": "陳115999999", "reason": "重複"})
    assert unknown.status_code == 400
    assert "查無案號 陳115999999，或您無權檢視該案。" in unknown.content.decode()
    done = client.post(url, {"into": f" {kept.number} ", "reason": "同一路段重複陳情"})
    assert done.status_code == 302
    merged_page = client.get(duplicate.get_absolute_url()).content.decode()
    assert "併入案件" in merged_page and kept.get_absolute_url() in merged_page
    assert "併案理由" in merged_page and 'id="merge-into"' not in merged_page
    kept_page = client.get(kept.get_absolute_url()).content.decode()
    listed = kept_page.split('id="merged-heading"')[1].split("</section>")[0]
    assert duplicate.number in listed and "同一路段重複陳情" in listed
    assert "松仁路路燈整排不亮，請儘速處理。" in listed  # the duplicate's text, to answer it


def test_the_agency_answering_reads_the_merged_case_on_its_case_page(client, staff, pair):
    kept, duplicate = pair
    services.merge_case(duplicate, kept, "重複", by=staff["router"])
    client.force_login(staff["udd"])
    page = client.get(kept.get_absolute_url()).content.decode()
    listed = page.split('id="merged-heading"')[1].split("</section>")[0]
    assert duplicate.number in listed and duplicate.get_absolute_url() not in listed
    assert client.get(duplicate.get_absolute_url()).status_code == 404


def test_agencies_are_not_offered_the_merge(client, staff, pair):
    kept, duplicate = pair
    client.force_login(staff["police"])
    assert 'id="merge-into"' not in client.get(duplicate.get_absolute_url()).content.decode()
    url = reverse("cases:step", args=[duplicate.number, "merge"])
    refused = client.post(url, {"into": kept.number, "reason": "重複"})
    assert refused.status_code in (403, 404)
    duplicate.refresh_from_db()
    assert duplicate.status == CaseStatus.IN_PROGRESS
