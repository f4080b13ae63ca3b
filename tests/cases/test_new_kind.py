"""A new kind of routed work added the way a module adds one — its rules and hooks on a
CaseKind, nothing in the engine's code: its own fields checked in the same pass as the
engine's, its own record, a guard on 結案, a reaction to the replies, a deadline in working
hours, parts held by a unit and by a contractor, and a tracked kind (列管) answered by monthly
progress reports until the tracking office releases it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from secretariat.cases import kinds, selectors, services
from secretariat.cases.models import AssignmentStatus, CaseStatus
from secretariat.core import services as core_services
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import RoleCode, Unit

pytestmark = pytest.mark.django_db

TAIPEI = ZoneInfo("Asia/Taipei")
MONDAY_4PM = dt.datetime(2025, 3, 3, 16, 0, tzinfo=TAIPEI)


class Tickets:
    """What the repair-ticket kind's hooks saw (a module would keep its own records)."""

    def __init__(self) -> None:
        self.records: dict[int, dict] = {}
        self.replied: list[str] = []


@pytest.fixture
def tickets():
    seen = Tickets()

    def validate(fields, context):
        errors = {}
        if not (fields.get("location") or "").strip():
            errors["location"] = ["請填寫報修地點。"]
        if fields.get("floor") is not None and not 1 <= fields["floor"] <= 12:
            errors["floor"] = ["樓層須在 1 至 12 樓之間。"]
        return errors

    def create(case, fields, context):
        seen.records[case.pk] = {"location": fields["location"], "by": context.by}
        return seen.records[case.pk]

    def guard(case, step, fields, by):
        if step == "close" and not fields.get("checked"):
            return {"checked": ["請確認現場已修復再結案。"]}
        return {}

    kinds.register(
        kinds.CaseKind(
            code="test_repair",
            label="測試報修",
            prefix="修",
            reply_days=1,
            reply_hours=4,
            reply_approval=False,
            channels=frozenset({"phone", "web"}),
            validate=validate,
            create=create,
            guard=guard,
            on_replied=lambda case: seen.replied.append(case.number),
        )
    )
    yield seen
    kinds.KINDS.pop("test_repair")


@pytest.fixture
def directives():
    kinds.register(
        kinds.CaseKind(
            code="test_directive",
            label="測試市長指示",
            prefix="示",
            reply_days=10,
            reply_approval=False,
            tracking=kinds.Tracking(every_months=1),
        )
    )
    yield "test_directive"
    kinds.KINDS.pop("test_directive")


@pytest.fixture
def building(make_person, agency):
    """The Secretariat's 事務科 (building management), a contractor it manages, and people."""
    secretariat = agency("秘書處")
    general = Unit.objects.create(agency=secretariat, name="事務科")
    writing = Unit.objects.create(agency=secretariat, name="文書科")
    contractor = core_services.register_contractor(
        by=None, name="機電維護公司", agency=secretariat, unit=general, contact_name="何經理"
    )
    other = core_services.register_contractor(by=None, name="清潔公司", agency=secretariat)
    return {
        "unit": general,
        "contractor": contractor,
        "router": make_person("sec-clerk", "秘書處", "registry_clerk"),
        "general": make_person("sec-general", "秘書處", "case_officer", unit=general),
        "writing": make_person("sec-writing", "秘書處", "case_officer", unit=writing),
        "head": make_person("sec-head", "秘書處", "head", unit=writing),
        "tech": make_person("tech", None, display_name="何技師", contractor=contractor),
        "cleaner": make_person("cleaner", None, contractor=other),
    }


def open_ticket(by, **fields):
    values = {"location": "市府大樓 3 樓北區男廁", "subject": "水龍頭漏水", "channel": "phone"}
    values |= fields
    return services.open_case(
        "test_repair",
        subject=values.pop("subject"),
        body="3 樓北區男廁洗手台水龍頭漏水。",
        channel=values.pop("channel"),
        received_on=dt.date(2025, 3, 3),
        by=by,
        **values,
    )


def test_the_kind_and_the_engine_report_every_error_in_one_pass(tickets, building):
    with pytest.raises(DomainError) as error:
        open_ticket(building["router"], subject="", location=" ", floor=20, channel="letter")
    assert set(error.value.fields) == {"subject", "location", "floor", "channel"}
    assert not selectors.cases_for(building["router"]).filter(kind="test_repair").exists()


def test_the_kind_keeps_its_own_record(tickets, building):
    case = open_ticket(building["router"])
    assert case.kind_record == tickets.records[case.pk]
    assert tickets.records[case.pk]["by"] == building["router"]
    assert case.number.startswith("修114")


def test_a_deadline_in_working_hours(tickets, building):
    case = open_ticket(building["router"])
    (part,) = services.route_case(
        case, building["unit"], by=building["router"], on=dt.date(2025, 3, 3)
    )
    # Routed on a day alone: the four working hours count from that day's opening.
    assert part.due_at == dt.datetime(2025, 3, 3, 12, 30, tzinfo=TAIPEI)


def test_hours_count_from_the_moment_of_routing_and_overdue_follows_the_hour(
    tickets, building, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: MONDAY_4PM)
    case = open_ticket(building["router"])
    (part,) = services.route_case(case, building["contractor"], by=building["router"])
    # 16:00–17:30 is 1.5 hours; 2.5 more from Tuesday's opening at 08:30.
    assert part.due_on == dt.date(2025, 3, 4)
    assert part.due_at == dt.datetime(2025, 3, 4, 11, 0, tzinfo=TAIPEI)
    before, after = part.due_at - dt.timedelta(minutes=1), part.due_at + dt.timedelta(minutes=1)
    assert not part.is_overdue_at(before) and part.is_overdue_at(after)
    # The day alone does not make it overdue on its due day; the moment does.
    assert not part.is_overdue_at(dt.date(2025, 3, 4))
    assert list(selectors.overdue_assignments(building["router"], after)) == [part]
    assert not selectors.overdue_assignments(building["router"], before).exists()


def test_a_unit_sees_its_parts_and_other_units_do_not(tickets, building):
    case = open_ticket(building["router"])
    services.route_case(case, building["unit"], by=building["router"])
    assert selectors.cases_for(building["general"]).get() == case
    assert not selectors.cases_for(building["writing"]).exists()
    # The head oversees every unit of the agency.
    assert selectors.cases_for(building["head"]).get() == case
    assert not selectors.cases_for(building["tech"]).exists()


def test_a_contractor_sees_only_its_own_tickets_and_replies_to_them(tickets, building):
    mine, theirs = open_ticket(building["router"]), open_ticket(building["router"])
    (part,) = services.route_case(mine, building["contractor"], by=building["router"])
    services.route_case(theirs, building["unit"], by=building["router"])
    assert part.assignee_name == "機電維護公司（秘書處）"
    assert list(selectors.cases_for(building["tech"])) == [mine]
    assert not selectors.cases_for(building["cleaner"]).exists()
    # The managing agency's unit sees its contractor's ticket too.
    assert set(selectors.cases_for(building["general"])) == {mine, theirs}
    with pytest.raises(PermissionDenied):
        services.draft_reply(part, "已更換墊片。", by=building["cleaner"])
    services.draft_reply(part, "已更換水龍頭墊片，測試無漏水。", by=building["tech"])
    part.refresh_from_db()
    assert part.status == AssignmentStatus.REPLIED and part.replied_at is not None
    # The kind hears of the replies once the transaction commits.
    assert tickets.replied == []


def test_the_kind_hears_of_the_replies_after_commit(
    tickets, building, django_capture_on_commit_callbacks
):
    case = open_ticket(building["router"])
    (part,) = services.route_case(case, building["contractor"], by=building["router"])
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_reply(part, "已修復。", by=building["tech"])
    assert tickets.replied == [case.number]


def test_the_kind_guards_closing(tickets, building):
    case = open_ticket(building["router"])
    (part,) = services.route_case(case, building["contractor"], by=building["router"])
    services.draft_reply(part, "已修復。", by=building["tech"])
    with pytest.raises(DomainError) as error:
        services.close_case(case, by=building["router"])
    assert error.value.fields == {"checked": ["請確認現場已修復再結案。"]}
    case.refresh_from_db()
    assert case.status == CaseStatus.REPLIED
    services.close_case(case, by=building["router"], checked=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_a_contractor_person_belongs_to_no_agency(building, make_person):
    with pytest.raises(DomainError):
        make_person("bad", "秘書處", contractor=building["contractor"])
    assert building["tech"].has_role(RoleCode.CONTRACTOR)


def test_a_tracked_part_reports_progress_monthly_until_released(directives, staff, agency):
    case = services.open_case(
        directives,
        subject="市長指示：加速人行道改善",
        body="請工務局每月報告人行道改善進度。",
        channel="letter",
        received_on=dt.date(2025, 3, 3),
    )
    (part,) = services.route_case(
        case, agency("都發局"), by=staff["router"], on=dt.date(2025, 3, 3)
    )
    with pytest.raises(DomainError, match="進度報告"):
        services.draft_reply(part, "已完成。", by=staff["udd"])
    first_due = part.due_on
    services.report_progress(part, "已完成 3 處。", by=staff["udd"], on=dt.date(2025, 3, 10))
    part.refresh_from_db()
    # The next report is due a month after the deadline just answered (on a working day).
    assert part.due_on == dt.date(2025, 4, 17) and first_due == dt.date(2025, 3, 17)
    assert part.status == AssignmentStatus.ASSIGNED
    # A missed report shows like a missed reply.
    assert list(selectors.overdue_assignments(staff["router"], dt.date(2025, 4, 18))) == [part]
    march = (directives, dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    (row,) = selectors.tracked_by_lead_agency(*march, dt.date(2025, 4, 18))
    assert (row.agency, row.issued, row.released, row.open, row.overdue) == ("都發局", 1, 0, 1, 1)
    report = services.report_progress(
        part, "全部完成。", by=staff["udd"], asks_release=True, on=dt.date(2025, 4, 21)
    )
    assert report.late and report.due_on == dt.date(2025, 4, 17)
    with pytest.raises(PermissionDenied):
        services.release_part(part, "已完成。", by=staff["udd"])
    with pytest.raises(DomainError) as error:
        services.release_part(part, " ", by=staff["udd_rdec"])
    assert "reason" in error.value.fields
    services.release_part(part, "各處均已完工。", by=staff["udd_rdec"], on=dt.date(2025, 4, 22))
    part.refresh_from_db()
    case.refresh_from_db()
    assert part.status == AssignmentStatus.REPLIED and part.release_reason == "各處均已完工。"
    assert case.status == CaseStatus.REPLIED
    (row,) = selectors.tracked_by_lead_agency(*march, dt.date(2025, 4, 22))
    assert (row.issued, row.released, row.open, row.overdue) == (1, 1, 0, 0)
    assert selectors.tracked_by_lead_agency(*march, dt.date(2025, 4, 21))[0].released == 0
    reports = list(selectors.progress_reports(part))
    assert [r.reported_on for r in reports] == [dt.date(2025, 3, 10), dt.date(2025, 4, 21)]


def test_a_contractor_signs_in_and_finds_only_its_tickets(tickets, building, client):
    mine, theirs = open_ticket(building["router"]), open_ticket(building["router"])
    services.route_case(mine, building["contractor"], by=building["router"])
    services.route_case(theirs, building["unit"], by=building["router"])
    client.force_login(building["tech"])
    listing = client.get("/cases/").content.decode()
    assert mine.number in listing and theirs.number not in listing
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    api = client.get("/api/v1/cases").json()
    assert [item["number"] for item in api["items"]] == [mine.number]
    (part,) = client.get(f"/api/v1/cases/{mine.number}").json()["parts"]
    assert part["assignee"] == "機電維護公司（秘書處）" and part["due_at"] is not None
