"""The case page's history written for people: each step of the engine as a sentence — who,
when in Taipei time, what, with names, labels and 民國 dates, never raw field codes or UTC ISO
times — and the raw audit entries one click away for those who may read the audit trail."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.utils import timezone

from secretariat.cases import history, kinds, selectors, services
from secretariat.cases.models import Extension, Reassignment
from secretariat.core import audit, workdays
from secretariat.core import history as core_history
from secretariat.core.models import AuditEntry

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# 115年12月7日 上午9時12分 in Taipei.
MONDAY_0912 = dt.datetime(2026, 12, 7, 1, 12, tzinfo=UTC)


@pytest.fixture
def people(make_person):
    return {
        "router": make_person("sec-clerk", "秘書處", "registry_clerk", display_name="陳收發"),
        "pwb": make_person("pwb-officer", "工務局", "case_officer", display_name="黃承辦"),
        "pwb_boss": make_person("pwb-supervisor", "工務局", "supervisor", display_name="吳主管"),
        "udd": make_person("udd-officer", "都發局", "case_officer", display_name="林承辦"),
        "auditor": make_person("sec-admin", "秘書處", "secretariat_admin", display_name="稽核"),
    }


def new_case(subject="陳情路燈不亮", kind="petition"):
    return services.open_case(
        kind=kind,
        subject=subject,
        body=f"{subject}，請儘速處理。",
        channel="letter",
        requester={"name": "王小明", "email": "a@example.test"},
        by=None,
    )


def act(service, *args, by, **kwargs):
    """A service called as a request of ``by`` calls it: every entry of the step is theirs
    (the request's middleware sets the actor; these tests call the services directly)."""
    with audit.acting_as(by):
        return service(*args, by=by, **kwargs)


def at(moment: dt.datetime):
    """Every step inside the block happens at ``moment``."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def lines(user, case) -> list[str]:
    case = selectors.case_for(user, case.number)
    return [
        f"{line.when}　{line.actor}　{line.text}"
        for line in history.case_history(user, case, 100).lines
    ]


def texts(user, case) -> list[str]:
    case = selectors.case_for(user, case.number)
    return [line.text for line in history.case_history(user, case, 100).lines]


def test_routing_reads_as_one_sentence_in_taipei_time(people, agency):
    with at(MONDAY_0912):
        case = new_case()
        act(services.route_case, case, agency("工務局"), [agency("都發局")], by=people["router"])
    expected = (
        "115年12月7日 上午9時12分　陳收發　分辦：主辦 工務局、協辦 都發局，期限 115年12月15日"
    )
    assert expected in lines(people["router"], case)
    assert lines(people["router"], case)[0] == "115年12月7日 上午9時12分　系統　收件（書信）"


def test_times_are_taipei_time_whatever_the_active_time_zone(people, agency):
    with at(dt.datetime(2026, 12, 6, 19, 48, 32, tzinfo=UTC)):  # 12月7日 上午3時48分 in Taipei
        case = new_case()
    with timezone.override("UTC"):
        (line,) = lines(people["router"], case)
    assert line.startswith("115年12月7日 上午3時48分")
    assert "2026-12-06" not in line and "T19:48" not in line


def test_replies_read_as_sentences(people, agency):
    case = new_case()
    (part,) = act(services.route_case, case, agency("工務局"), by=people["router"])
    act(services.assign_officer, part, people["pwb"], by=people["pwb_boss"])
    act(services.draft_reply, part, "已派員修復。", by=people["pwb"])
    act(services.draft_reply, part, "已派員修復路燈。", by=people["pwb"])
    act(services.approve_reply, part, by=people["pwb_boss"])
    act(services.close_case, case, by=people["router"])
    said = [line.split("　", 1)[1] for line in lines(people["router"], case)]
    assert said[2:] == [
        "吳主管　指定承辦人：工務局 黃承辦",
        "黃承辦　擬復（工務局）",
        "黃承辦　修改回復稿（工務局）",
        "吳主管　核定回復（工務局）",
        "吳主管　各受分辦者均已回復，全案已回復",
        "陳收發　結案",
    ]


def test_a_kind_without_approval_replies_at_once(people, agency):
    kinds.register(
        kinds.CaseKind(
            code="test_quick", label="測試", prefix="測", reply_days=3, reply_approval=False
        )
    )
    try:
        case = new_case(kind="test_quick")
        (part,) = act(services.route_case, case, agency("工務局"), by=people["router"])
        act(services.draft_reply, part, "已處理。", by=people["pwb"])
        assert "回復（工務局）" in texts(people["router"], case)
    finally:
        kinds.KINDS.pop("test_quick")


def test_progress_reports_of_a_tracked_part(people, agency):
    from secretariat.core import roc

    kinds.register(
        kinds.CaseKind(
            code="test_tracked",
            label="測試列管",
            prefix="列",
            reply_days=20,
            reply_approval=False,
            tracking=kinds.Tracking(every_months=1),
        )
    )
    try:
        case = new_case(kind="test_tracked")
        (part,) = act(services.route_case, case, agency("工務局"), by=people["router"])
        act(services.report_progress, part, "已完成設計。", by=people["pwb"], asks_release=True)
        part.refresh_from_db()
        act(services.release_part, part, "已辦結", by=people["router"])
        said = texts(people["router"], case)
        assert (
            f"填報進度（工務局），建議解除列管，下次報告期限 {roc.format_date(part.due_on)}" in said
        )
        assert "解除列管（工務局）：已辦結" in said
    finally:
        kinds.KINDS.pop("test_tracked")


def test_a_deadline_set_when_routing_carries_its_reason(people, agency):
    case = new_case()
    due = workdays.add_working_days(timezone.localdate(), 10)
    act(
        services.route_case,
        case,
        agency("工務局"),
        by=people["router"],
        due=due,
        due_reason="需會同台電會勘",
    )
    from secretariat.core import roc

    assert f"分辦：主辦 工務局，期限 {roc.format_date(due)}，期限理由：需會同台電會勘" in texts(
        people["router"], case
    )


def test_the_secretariats_own_moves_read_as_sentences(people, agency):
    from secretariat.core import roc

    case = new_case()
    (part,) = act(services.route_case, case, agency("都發局"), by=people["router"])
    new = act(services.reroute_part, part, agency("工務局"), "屬路燈維護權責", by=people["router"])
    later = workdays.add_working_days(new.due_on, 2)
    act(services.set_due_date, new, later, "配合施工期程", by=people["router"])
    said = texts(people["router"], case)
    assert (
        f"改分：都發局 → 工務局，新期限 {roc.format_date(new.due_on)}，理由：屬路燈維護權責" in said
    )
    assert (
        f"調整期限（工務局）：{roc.format_date(new.due_on)} → {roc.format_date(later)}，"
        "期限理由：配合施工期程" in said
    )


def test_requests_and_decisions_read_as_sentences(people, agency):
    from secretariat.core import roc

    case = new_case()
    (part,) = act(services.route_case, case, agency("都發局"), by=people["router"])
    request = act(
        services.request_reassignment,
        part,
        "非本局權責",
        by=people["udd"],
        suggested_agency=agency("工務局"),
    )
    act(services.decide_reassignment, request, approve=True, by=people["router"])
    new = Reassignment.objects.get().new_assignment
    later = workdays.add_working_days(new.due_on, 3)
    extension = act(services.request_extension, new, "需採購材料", later, by=people["pwb"])
    act(services.decide_extension, extension, approve=True, by=people["router"])
    said = texts(people["router"], case)
    assert "申請改分（都發局），建議改分 工務局：非本局權責" in said
    assert f"核准改分申請（都發局）；改分：主辦 工務局，期限 {roc.format_date(new.due_on)}" in said
    assert f"申請展期（工務局）至 {roc.format_date(later)}：需採購材料" in said
    decided = Extension.objects.get().previous_due_on
    assert (
        "核准展期申請（工務局）" in said
        and f"回復期限變更（工務局）：{roc.format_date(decided)} → {roc.format_date(later)}" in said
    )
    # The agency the part moved to reads its own part and extension, not the request that
    # the other agency made about its own part.
    theirs = texts(people["pwb"], case)
    assert f"改分：主辦 工務局，期限 {roc.format_date(new.due_on)}" in theirs
    assert f"申請展期（工務局）至 {roc.format_date(later)}：需採購材料" in theirs
    assert not any("申請改分" in text for text in theirs)


def test_endings_notes_and_personal_data_read_as_sentences(people, agency):
    kept, duplicate, filed = new_case("甲"), new_case("乙"), new_case("丙")
    act(services.route_case, duplicate, agency("工務局"), [agency("都發局")], by=people["router"])
    act(services.route_case, kept, agency("工務局"), by=people["router"])
    act(services.add_note, kept, "請留意夜間施工。", by=people["pwb"], for_agency=agency("工務局"))
    act(services.reveal_requester, kept, by=people["pwb"])
    act(services.merge_case, duplicate, kept, "同一路段重複陳情", by=people["router"])
    act(services.file_case, filed, "無具體訴求", by=people["router"])
    assert texts(people["router"], duplicate)[-2:] == [
        f"併案：併入 {kept.number}，理由：同一路段重複陳情",
        "撤銷分辦：主辦 工務局、協辦 都發局",
    ]
    assert texts(people["router"], kept)[-3:] == [
        "新增內部註記（僅限 工務局）",
        "檢視陳情人個人資料",
        f"併案：{duplicate.number} 併入本案，理由：同一路段重複陳情",
    ]
    assert texts(people["router"], filed)[-1] == "存查：無具體訴求"


def test_the_history_never_shows_raw_codes(people, agency):
    case = new_case()
    part, co = act(
        services.route_case, case, agency("工務局"), [agency("都發局")], by=people["router"]
    )
    act(services.draft_reply, part, "已修復。", by=people["pwb"])
    act(services.approve_reply, part, by=people["pwb_boss"])
    later = workdays.add_working_days(co.due_on, 3)
    act(services.request_extension, co, "需會勘", later, by=people["udd"])
    every = " ".join(lines(people["router"], case))
    for raw in (
        "agency_id",
        "status",
        "_id",
        "pending",
        "in_progress",
        "transition:",
        "T0",
        "+00:00",
    ):
        assert raw not in every, raw
    assert not re.search(r"\d{4}-\d{2}-\d{2}", every)


def test_an_unknown_change_is_told_in_the_fields_words(people, agency):
    case = new_case()
    entry = AuditEntry(
        seq=1,
        at=MONDAY_0912,
        actor_label="系統",
        action="update",
        object_type="cases.case",
        object_id=str(case.pk),
        changes={"confidential": [False, True], "received_on": ["2026-12-01", "2026-12-02"]},
    )
    (line,) = history.tell([entry])
    assert line.text == "案件異動：密件：否 → 是；收件日期：115年12月1日 → 115年12月2日"
    other = AuditEntry(
        seq=2,
        at=MONDAY_0912,
        actor_label="匿名",
        action="odd",
        object_type="cases.case",
        object_id=str(case.pk),
        changes={"detail": 1},
    )
    (line,) = history.tell([other])
    assert line.text == "案件相關作業" and line.actor == "民眾"
    assert core_history.actor_name(other) == "民眾"


def test_the_newest_entries_are_told_and_the_cut_is_said(people, agency):
    case = new_case()
    (part,) = act(services.route_case, case, agency("工務局"), by=people["router"])
    act(services.draft_reply, part, "已修復。", by=people["pwb"])
    act(services.approve_reply, part, by=people["pwb_boss"])
    shown = selectors.case_for(people["router"], case.number)
    whole = history.case_history(people["router"], shown, 100)
    assert not whole.truncated and whole.lines[0].text == "收件（書信）"
    cut = history.case_history(people["router"], shown, 2)
    assert cut.truncated
    assert [line.text for line in cut.lines] == [
        "核定回復（工務局）",
        "各受分辦者均已回復，全案已回復",
    ]


# --- On the page: sentences for everyone, the raw entries for auditors ---------------------------


def test_the_page_shows_sentences_and_the_raw_entries_to_auditors_only(client, people, agency):
    case = new_case()
    act(services.route_case, case, agency("工務局"), by=people["router"])
    client.force_login(people["router"])
    html = client.get(case.get_absolute_url()).content.decode()
    section = html.split('id="history-heading"')[1].split("</section>")[0]
    assert "陳收發" in section and "分辦：主辦 工務局，期限" in section
    assert "<details>" not in section and "transition:route" not in section
    client.force_login(people["auditor"])
    html = client.get(case.get_absolute_url()).content.decode()
    section = html.split('id="history-heading"')[1].split("</section>")[0]
    assert "<details>" in section and "原始稽核紀錄" in section
    assert "transition:route" in section and "agency_id" in section
