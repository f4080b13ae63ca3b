"""Work queues on 我的待辦: which queues each role gets, their counts and SLA figures (due
today, overdue — the one overdue rule), and that each is one click from a list showing exactly
the rows it counts; the escalation list for every holder; the list's wording of its scope and
of an empty result."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone

from secretariat.cases import selectors, services
from secretariat.cases.forms import CaseFilterForm
from secretariat.cases.models import KindSetting

pytestmark = pytest.mark.django_db

# Parts routed on these Mondays/Tuesdays, six working days: due 2025-03-11 (a Tuesday).
ROUTED_DUE_TODAY = dt.date(2025, 3, 3)
ROUTED_OVERDUE = dt.date(2025, 2, 24)  # due 2025-03-04
ROUTED_DUE_SOON = dt.date(2025, 3, 4)  # due 2025-03-12: within one working day of 03-11
ROUTED_LATER = dt.date(2025, 3, 10)  # due 2025-03-18
AT = timezone.make_aware(dt.datetime(2025, 3, 11, 10, 0))


def new_case(subject, received_on, kind="petition", **extra):
    return services.open_case(
        kind=kind,
        subject=subject,
        body=f"{subject}，請儘速處理。",
        channel="letter",
        received_on=received_on,
        requester={"name": "王小明"},
        by=None,
        **extra,
    )


@pytest.fixture
def parts(staff, agency):
    """Four 都發局 parts (due today, overdue, due soon, later), one 警察局 part, two cases
    waiting to be routed."""
    made = {}
    for key, routed in (
        ("today", ROUTED_DUE_TODAY),
        ("overdue", ROUTED_OVERDUE),
        ("soon", ROUTED_DUE_SOON),
        ("later", ROUTED_LATER),
    ):
        case = new_case(f"陳情{key}", routed)
        (made[key],) = services.route_case(case, agency("都發局"), by=staff["router"], on=routed)
    police = new_case("陳情警察", ROUTED_OVERDUE)
    (made["police"],) = services.route_case(
        police, agency("警察局"), by=staff["router"], on=ROUTED_OVERDUE
    )
    made["waiting"] = [new_case("陳情待分辦一", AT.date()), new_case("陳情待分辦二", AT.date())]
    return made


def counts(user, at=AT) -> dict[str, object]:
    return {queue.key: queue for queue in selectors.queue_counts(user, at)}


def listed(user, queue, at=AT) -> set[str]:
    """The case numbers the list shows for the queue's link (all pages)."""
    query = dict(parse_qsl(urlsplit(queue.url).query))
    form = CaseFilterForm(
        query, sees_all=selectors.lists_cases(user), queues=selectors.queues_of(user)
    )
    filters = form.filters()
    if selectors.lists_cases(user):
        return {case.number for case in selectors.case_list_for(user, at, **filters)}
    return {part.case.number for part in selectors.part_list_for(user, at, **filters)}


def test_an_officer_has_the_holder_queues_with_their_sla_figures(staff, parts):
    queues = counts(staff["udd"])
    assert list(queues) == ["due_soon", "overdue", "unassigned"]  # no approval: not an approver
    due_soon, overdue, unassigned = queues["due_soon"], queues["overdue"], queues["unassigned"]
    assert (due_soon.count, due_soon.due_today, due_soon.overdue) == (2, 1, 0)
    assert (overdue.count, overdue.overdue) == (1, 1)
    assert (unassigned.count, unassigned.due_today, unassigned.overdue) == (4, 1, 1)
    # Each is one click from a list of exactly what it counts.
    assert listed(staff["udd"], due_soon) == {parts["today"].case.number, parts["soon"].case.number}
    assert listed(staff["udd"], overdue) == {parts["overdue"].case.number}
    assert len(listed(staff["udd"], unassigned)) == 4
    # Another agency's parts are in no queue of theirs.
    assert parts["police"].case.number not in listed(staff["udd"], unassigned)


def test_due_soon_follows_the_kinds_reminder_setting(staff, parts):
    KindSetting.objects.create(kind="petition", reply_days=6, reassign_days=1, remind_days_before=5)
    assert counts(staff["udd"])["due_soon"].count == 3  # the part due 03-18 too


def test_a_named_officer_leaves_the_unassigned_queue(staff, parts):
    services.assign_officer(parts["later"], staff["udd"], by=staff["udd_boss"])
    assert counts(staff["udd"])["unassigned"].count == 3


def test_an_approver_has_待我核定(staff, parts):
    services.draft_reply(parts["overdue"], "已派員處理。", by=staff["udd"])
    services.draft_reply(parts["today"], "已排定修復。", by=staff["udd"])
    queues = counts(staff["udd_boss"])
    approval = queues["approval"]
    assert approval.label == "待我核定"
    assert (approval.count, approval.due_today, approval.overdue) == (2, 1, 1)
    assert listed(staff["udd_boss"], approval) == {
        parts["overdue"].case.number,
        parts["today"].case.number,
    }
    # Another agency's approver sees none of them; an officer has no such queue.
    assert counts(staff["police_boss"])["approval"].count == 0
    assert "approval" not in counts(staff["udd"])
    services.approve_reply(parts["today"], by=staff["udd_boss"])
    assert counts(staff["udd_boss"])["approval"].count == 1


def test_a_router_has_待分辦_per_kind_requests_and_the_escalation_list(staff, parts):
    queues = counts(staff["router"])
    waiting = queues["pending:petition"]
    assert (waiting.label, waiting.count) == ("待分辦・人民陳情", 2)
    assert "最早收件" in waiting.note
    assert listed(staff["router"], waiting) == {case.number for case in parts["waiting"]}
    assert "pending:council_question" not in queues  # the clerk routes petitions only
    assert queues["escalation"].count == 2  # 都發局's and 警察局's overdue parts
    assert queues["requests"].count == 0
    services.request_extension(
        parts["later"], "需會勘", dt.date(2025, 3, 25), by=staff["udd"], on=ROUTED_LATER
    )
    requests = counts(staff["router"])["requests"]
    assert requests.count == 1 and listed(staff["router"], requests) == {parts["later"].case.number}
    # The clerk holds no parts as an officer: no holder queues.
    assert "due_soon" not in queues


def test_an_administrator_has_待分辦_of_every_kind(make_person, parts):
    from secretariat.cases import kinds

    admin = make_person("sec-admin", "秘書處", "secretariat_admin")
    labels = {queue.label for queue in selectors.queue_counts(admin, AT)}
    assert {f"待分辦・{kind.label}" for kind in kinds.KINDS.values()} <= labels
    council = make_person("sec-council", "秘書處", "council_liaison")
    labels = {queue.label for queue in selectors.queue_counts(council, AT)}
    assert "待分辦・議員質詢" in labels and "待分辦・人民陳情" not in labels


def test_the_dashboard_shows_the_queues_as_links(client, staff, parts):
    client.force_login(staff["udd"])
    html = client.get("/").content.decode()
    assert "分辦列管工作佇列" in html
    assert '<a href="/cases/?queue=overdue&amp;order=due">' in html
    assert "已逾期" in html and "queue-overdue" in html


def test_the_escalation_list_is_scoped_to_each_holder(client, staff, parts):
    client.force_login(staff["police"])
    html = client.get("/cases/overdue/").content.decode()
    assert parts["police"].case.number in html
    assert parts["overdue"].case.number not in html
    client.force_login(staff["udd"])
    html = client.get("/cases/overdue/").content.decode()
    assert parts["overdue"].case.number in html and parts["police"].case.number not in html


def test_the_list_says_which_cases_the_person_sees(client, staff, parts, make_person):
    client.force_login(staff["router"])
    html = client.get("/cases/").content.decode()
    assert "秘書處檢視：全部案件" not in html
    assert "檢視範圍：人民陳情的全部案件，及秘書處受分辦的案件" in html
    admin = make_person("sec-admin", "秘書處", "secretariat_admin")
    client.force_login(admin)
    assert "檢視範圍：全部類別的全部案件" in client.get("/cases/").content.decode()
    client.force_login(staff["udd"])
    assert (
        "檢視範圍：都發局受分辦的案件（僅本機關的分辦）" in client.get("/cases/").content.decode()
    )


def test_an_empty_result_says_so_with_the_filters(client, staff, parts):
    client.force_login(staff["udd"])
    html = client.get("/cases/", {"text": "不存在的主旨"}).content.decode()
    assert "沒有符合篩選條件的案件。目前的條件：" in html
    assert "案號或主旨關鍵字「不存在的主旨」" in html and "狀態「本機關待辦」" in html
    assert "<caption>" not in html.split('id="list-heading"')[1]
