"""A case's progress as its requester is told it (cases.selectors.case_steps, expected_reply,
reply_rule): the steps done and the one under way in every state, and the expected reply —
the latest deadline of the parts in force, moved by 展期 and 改分."""

import datetime as dt

import pytest

from secretariat.cases import selectors, services
from secretariat.cases.models import KindSetting
from secretariat.core import workdays

pytestmark = pytest.mark.django_db

RECEIVED = dt.date(2025, 3, 3)
ROUTED = dt.date(2025, 3, 4)


def steps(case):
    case.refresh_from_db()
    return [(step.label, step.done, step.current, step.on) for step in selectors.case_steps(case)]


@pytest.fixture
def case(registry):
    return services.open_case(
        "petition",
        subject="路燈不亮",
        body="信義路路燈不亮。",
        channel="letter",
        received_on=RECEIVED,
    )


def test_a_case_goes_through_the_five_steps(case, staff, agency):
    assert steps(case) == [
        ("收件", True, False, RECEIVED),
        ("分辦", False, True, None),
        ("機關辦理", False, False, None),
        ("回復", False, False, None),
        ("結案", False, False, None),
    ]
    lead, co = services.route_case(
        case, agency("都發局"), [agency("警察局")], by=staff["router"], on=ROUTED
    )
    assert steps(case)[1:3] == [("分辦", True, False, ROUTED), ("機關辦理", False, True, None)]
    for part, officer, boss in ((lead, "udd", "udd_boss"), (co, "police", "police_boss")):
        services.draft_reply(part, "已處理。", by=staff[officer])
        services.approve_reply(part, by=staff[boss], on=dt.date(2025, 3, 7))
    replied = dt.date(2025, 3, 7)
    assert steps(case)[2:] == [
        ("機關辦理", True, False, None),
        ("回復", True, False, replied),
        ("結案", False, True, None),
    ]
    services.close_case(case, by=staff["router"])
    case.refresh_from_db()
    assert steps(case)[-1] == ("結案", True, True, case.closed_on)
    assert [current for _, _, current, _ in steps(case)] == [False] * 4 + [True]


def test_a_request_under_way_keeps_the_agencies_at_work(case, staff, agency):
    (part,) = services.route_case(case, agency("都發局"), by=staff["router"], on=ROUTED)
    later = workdays.add_working_days(part.due_on, 5)
    services.request_extension(part, "須會勘", later, by=staff["udd"])
    assert steps(case)[2] == ("機關辦理", False, True, None)


@pytest.mark.parametrize(("end", "label"), [("file_case", "存查"), ("withdraw_case", "撤回")])
def test_a_case_filed_or_withdrawn_shows_the_steps_taken_and_that_end(
    case, staff, agency, end, label
):
    services.route_case(case, agency("都發局"), by=staff["router"], on=ROUTED)
    getattr(services, end)(case, "重複陳情", by=staff["router"])
    case.refresh_from_db()
    assert steps(case) == [
        ("收件", True, False, RECEIVED),
        ("分辦", True, False, ROUTED),
        (label, True, True, case.closed_on),
    ]


def test_a_case_filed_before_routing_skips_the_routing_step(case, staff):
    services.file_case(case, "非陳情事項", by=staff["router"])
    assert [label for label, *_ in steps(case)] == ["收件", "存查"]


def test_the_expected_reply_is_the_latest_deadline_of_the_parts_in_force(case, staff, agency):
    assert selectors.expected_reply(case) is None
    lead, co = services.route_case(
        case, agency("都發局"), [agency("警察局")], by=staff["router"], on=ROUTED
    )
    assert selectors.expected_reply(case).due_on == lead.due_on == co.due_on
    later = workdays.add_working_days(co.due_on, 3)
    extension = services.request_extension(co, "須會勘", later, by=staff["police"])
    services.decide_extension(extension, approve=True, by=staff["router"])
    assert selectors.expected_reply(case).due_on == later
    # A part taken away by 改分 is not in force: its deadline no longer counts.
    services.reroute_part(co, agency("交通局"), "屬交通局權責。", by=staff["router"])
    expected = selectors.expected_reply(case)
    new_part = case.assignments.current().get(agency=agency("交通局"))
    assert expected.due_on == max(lead.due_on, new_part.due_on) != later


def test_a_deadline_of_a_whole_day_ends_after_an_hour_of_that_day():
    from secretariat.cases.models import Assignment
    from secretariat.core.roc import TAIPEI

    day = dt.date(2025, 3, 10)
    hour = Assignment(due_on=day, due_at=dt.datetime(2025, 3, 10, 15, 0, tzinfo=TAIPEI))
    whole = Assignment(due_on=day)
    assert selectors.latest_deadline([hour, whole]).due_at is None
    assert selectors.latest_deadline([hour]).due_at == hour.due_at
    assert selectors.latest_deadline([]) is None


def test_the_reply_rule_is_the_kind_setting_in_words(registry):
    assert selectors.reply_rule("petition") == "分辦後6個工作天內"
    KindSetting.objects.create(kind="petition", reply_days=8, reassign_days=1)
    assert selectors.reply_rule("petition") == "分辦後8個工作天內"
    KindSetting.objects.filter(kind="petition").update(reply_hours=4)
    assert selectors.reply_rule("petition") == "分辦後4個上班小時內"
    # A kind that sets each deadline from its facts (議員索資 by 速別).
    assert selectors.reply_rule("data_request") == "分辦時依案件性質訂定"
