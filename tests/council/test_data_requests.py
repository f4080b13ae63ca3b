"""議員索資: deadlines by 速別 or a shorter date, routing to the owning agency, replies with the
data attached, disputes decided by the Secretariat, and the report's figures."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secretariat.cases import exports
from secretariat.cases import services as case_services
from secretariat.cases.models import AssignmentStatus
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import DayKind
from secretariat.council import selectors, services
from secretariat.council.models import DisputeKind, DisputeOutcome, Urgency

pytestmark = pytest.mark.django_db

FRIDAY_BEFORE_NEW_YEAR = dt.date(2025, 1, 24)  # the Lunar New Year break runs 01-25 … 02-02
ON = dt.date(2025, 3, 3)


def route(data, agency, *, by, on):
    (part,) = case_services.route_case(data.case, agency, by=by, on=on)
    return part


def request(staff, councillors, urgency=Urgency.NORMAL, received_on=dt.date(2025, 3, 3), **extra):
    return services.register_data_request(
        councillor=councillors["林議員"],
        subject="近三年社會住宅興建戶數",
        text="請提供近三年各區社會住宅興建戶數統計。",
        urgency=urgency,
        received_on=received_on,
        by=staff["desk"],
        **extra,
    )


@pytest.mark.parametrize(
    "urgency, due_on",
    [
        # Six working days from Monday 02-03; Saturday 02-08 is a make-up workday (補班).
        (Urgency.NORMAL, dt.date(2025, 2, 8)),
        (Urgency.URGENT, dt.date(2025, 2, 5)),
        (Urgency.MOST_URGENT, dt.date(2025, 2, 3)),
    ],
)
def test_each_urgency_has_its_working_days(staff, councillors, agency, urgency, due_on):
    data = request(staff, councillors, urgency, received_on=FRIDAY_BEFORE_NEW_YEAR)
    part = route(data, agency("都發局"), by=staff["desk"], on=FRIDAY_BEFORE_NEW_YEAR)
    assert part.due_on == due_on
    assert data.case.number.startswith("索114")


def test_a_typhoon_closure_moves_the_deadline(staff, councillors, agency):
    core_services.set_calendar_day(
        by=None, date=dt.date(2025, 3, 5), kind=DayKind.CLOSURE, reason="颱風", city="臺北市"
    )
    data = request(staff, councillors, Urgency.URGENT)  # Monday 03-03
    part = route(data, agency("都發局"), by=staff["desk"], on=ON)
    assert part.due_on == dt.date(2025, 3, 7)  # 03-04, (03-05 closed), 03-06, 03-07


def test_the_deadline_runs_from_routing(staff, councillors, agency):
    data = request(staff, councillors, Urgency.URGENT)
    part = route(data, agency("都發局"), by=staff["desk"], on=dt.date(2025, 3, 4))
    assert part.due_on == dt.date(2025, 3, 7)


def test_a_shorter_custom_deadline(staff, councillors, agency):
    data = request(staff, councillors, custom_due_on=dt.date(2025, 3, 5))
    part = route(data, agency("都發局"), by=staff["desk"], on=ON)
    assert part.due_on == dt.date(2025, 3, 5)


@pytest.mark.parametrize(
    "custom, message",
    [
        (dt.date(2025, 3, 12), "指定期限須短於普通件期限（114年3月11日）"),
        (dt.date(2025, 3, 1), "指定期限不可早於收件日期"),
        (dt.date(2025, 3, 8), "不是上班日"),
    ],
)
def test_a_custom_deadline_must_be_shorter_and_a_working_day(staff, councillors, custom, message):
    with pytest.raises(DomainError, match=message) as raised:
        request(staff, councillors, custom_due_on=custom)
    assert "custom_due_on" in raised.value.fields
    assert not selectors.data_requests_for(staff["desk"]).exists()


def test_reply_with_the_data_attached(staff, councillors, agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = request(staff, councillors)
    part = route(data, agency("都發局"), by=staff["desk"], on=ON)
    sheet = exports.Sheet("社宅戶數", ["年度", "戶數"], [["114", 1200]], [3, 3])
    table = SimpleUploadedFile("社宅戶數.ods", exports.to_ods(sheet), "application/octet-stream")
    case_services.draft_reply(part, "檢送統計表如附件。", by=staff["udd"], attachments=[table])
    case_services.approve_reply(part, by=staff["udd_boss"])
    part.refresh_from_db()
    assert part.status == AssignmentStatus.REPLIED
    assert [a.original_name for a in part.reply_attachments.all()] == ["社宅戶數.ods"]


def test_an_ownership_dispute_moves_the_request(staff, councillors, agency):
    data = request(staff, councillors)
    part = route(data, agency("警察局"), by=staff["desk"], on=ON)
    with pytest.raises(PermissionDenied):
        services.raise_dispute(part, DisputeKind.OWNERSHIP, "非本局權管", by=staff["udd"])
    dispute = services.raise_dispute(
        part, DisputeKind.OWNERSHIP, "社會住宅資料屬都發局權管。", by=staff["police_liaison"]
    )
    with pytest.raises(DomainError, match="已有待處理的爭議"):
        services.raise_dispute(part, DisputeKind.SCOPE, "範圍過大", by=staff["police"])
    with pytest.raises(PermissionDenied):
        services.decide_dispute(dispute, DisputeOutcome.REROUTE, "同意", by=staff["udd_boss"])
    with pytest.raises(DomainError, match="請選擇機關") as raised:
        services.decide_dispute(dispute, DisputeOutcome.REROUTE, "同意", by=staff["desk"])
    assert "new_agency" in raised.value.fields

    services.decide_dispute(
        dispute,
        DisputeOutcome.REROUTE,
        "資料由都發局權管。",
        new_agency=agency("都發局"),
        by=staff["desk"],
        on=dt.date(2025, 3, 4),
    )
    dispute.refresh_from_db()
    part.refresh_from_db()
    assert dispute.outcome == DisputeOutcome.REROUTE and dispute.decided_by == staff["desk"]
    assert part.status == AssignmentStatus.WITHDRAWN
    moved = data.case.assignments.get(status=AssignmentStatus.ASSIGNED)
    assert moved.agency == agency("都發局") and moved.due_on == dt.date(2025, 3, 12)
    with pytest.raises(DomainError, match="已處理"):
        services.decide_dispute(dispute, DisputeOutcome.KEEP, "再議", by=staff["desk"])


def test_a_scope_dispute_narrows_the_request_with_a_new_deadline(staff, councillors, agency):
    data = request(staff, councillors)
    part = route(data, agency("都發局"), by=staff["desk"], on=ON)
    dispute = services.raise_dispute(part, DisputeKind.SCOPE, "十年資料量過大。", by=staff["udd"])
    services.decide_dispute(
        dispute,
        DisputeOutcome.NARROW,
        "經洽議員同意提供近三年資料。",
        new_due_on=dt.date(2025, 3, 14),
        by=staff["desk"],
    )
    part.refresh_from_db()
    assert part.due_on == dt.date(2025, 3, 14) and part.status == AssignmentStatus.ASSIGNED


def test_figures_say_on_time_only_when_true(staff, councillors, agency):
    start, end = dt.date(2025, 1, 1), dt.date(2025, 6, 30)
    parts = [
        route(request(staff, councillors), agency("都發局"), by=staff["desk"], on=ON)
        for _ in range(3)
    ]
    for part in parts:
        case_services.draft_reply(part, "資料如附。", by=staff["udd"], on=dt.date(2025, 3, 10))
        case_services.approve_reply(part, by=staff["udd_boss"], on=dt.date(2025, 3, 10))
    figures = selectors.data_request_figures(start, end, as_of=dt.date(2025, 7, 1))
    assert (figures.received, figures.overdue) == (3, 0)
    assert figures.sentence() == "3筆，均依限回復，無逾期情形"

    late = route(request(staff, councillors), agency("都發局"), by=staff["desk"], on=ON)
    case_services.draft_reply(late, "資料如附。", by=staff["udd"])
    case_services.approve_reply(late, by=staff["udd_boss"], on=dt.date(2025, 3, 20))
    unanswered = request(staff, councillors, received_on=dt.date(2025, 6, 2))
    route(unanswered, agency("都發局"), by=staff["desk"], on=dt.date(2025, 6, 2))
    figures = selectors.data_request_figures(start, end, as_of=dt.date(2025, 6, 5))
    assert (figures.received, figures.overdue, figures.open) == (5, 1, 1)
    assert figures.sentence() == "5筆，逾期1筆，尚在辦理1筆"
    figures = selectors.data_request_figures(start, end, as_of=dt.date(2025, 7, 1))
    assert (figures.overdue, figures.open) == (2, 0)
    assert figures.sentence() == "5筆，逾期2筆"


def test_a_liaison_sees_only_its_agencys_requests(staff, councillors, agency):
    housing, traffic = request(staff, councillors), request(staff, councillors)
    route(housing, agency("都發局"), by=staff["desk"], on=ON)
    route(traffic, agency("警察局"), by=staff["desk"], on=ON)
    assert list(selectors.data_requests_for(staff["udd_liaison"])) == [housing]
    assert list(selectors.data_requests_for(staff["police_liaison"])) == [traffic]
