"""What a kind decides in the engine: who routes it, who approves its replies, deadlines set
by the kind (a date instead of N working days); and the Secretariat's own 改分 and deadline
changes, and files attached to a reply."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secretariat.cases import kinds, selectors, services
from secretariat.cases.models import AssignmentStatus
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry, RoleCode

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2025, 3, 3)


@pytest.fixture
def council_kind():
    """A kind routed by the Secretariat's 府會 staff and approved by agency heads only."""
    kinds.register(
        kinds.CaseKind(
            code="test_question",
            label="測試質詢",
            prefix="測",
            reply_days=10,
            router_roles=frozenset({RoleCode.COUNCIL_LIAISON}),
            approver_roles=frozenset({RoleCode.HEAD}),
        )
    )
    yield "test_question"
    kinds.KINDS.pop("test_question")


@pytest.fixture
def council_desk(make_person):
    return make_person("sec-council", "秘書處", "council_liaison")


def new_case(kind="petition", received_on=MONDAY):
    return services.open_case(
        kind=kind, subject="測試案件", body="內容", channel="letter", received_on=received_on
    )


def test_each_kind_has_its_own_routers(staff, council_desk, council_kind, agency):
    question, petition = new_case(council_kind), new_case()
    with pytest.raises(PermissionDenied):
        services.route_case(question, agency("都發局"), by=staff["router"])
    with pytest.raises(PermissionDenied):
        services.route_case(petition, agency("都發局"), by=council_desk)
    services.route_case(question, agency("都發局"), by=council_desk)
    assert set(selectors.cases_for(council_desk)) == {question}
    assert set(selectors.cases_for(staff["router"])) == {petition}
    assert selectors.cases_for(staff["udd"]).get() == question  # the agency holds a part


def test_an_agency_liaison_of_the_secretariat_does_not_route(staff, council_kind, make_person):
    # 府會聯絡人 of an agency (not the Secretariat) routes nothing and sees only its own parts.
    liaison = make_person("udd-liaison", "都發局", "council_liaison")
    new_case(council_kind)
    assert not selectors.cases_for(liaison).exists()


def test_the_kind_names_its_approvers(staff, council_desk, council_kind, agency, make_person):
    head = make_person("udd-head", "都發局", "head")
    (part,) = services.route_case(new_case(council_kind), agency("都發局"), by=council_desk)
    services.draft_reply(part, "書面答復。", by=staff["udd"])
    with pytest.raises(PermissionDenied):
        services.approve_reply(part, by=staff["udd_boss"])  # a supervisor is not enough here
    services.approve_reply(part, by=head)
    part.refresh_from_db()
    assert part.status == AssignmentStatus.REPLIED


def test_a_kind_may_set_its_own_deadlines(staff, agency):
    kinds.register(
        kinds.CaseKind(
            code="test_fixed",
            label="測試固定期限",
            prefix="固",
            reply_days=6,
            deadline=lambda case, on: on + dt.timedelta(days=1),
        )
    )
    try:
        case = new_case("test_fixed")
        lead, co = services.route_case(
            case, agency("都發局"), [agency("警察局")], by=staff["router"], on=MONDAY
        )
        assert lead.due_on == co.due_on == dt.date(2025, 3, 4)
    finally:
        kinds.KINDS.pop("test_fixed")


@pytest.mark.parametrize(
    "due_on, message",
    [
        (dt.date(2025, 3, 2), "期限不可早於分辦日期 114年3月3日"),
        (dt.date(2025, 3, 8), "不是上班日"),
    ],
)
def test_a_deadline_before_routing_or_on_a_day_off_is_refused(staff, agency, due_on, message):
    (lead,) = services.route_case(new_case(), agency("都發局"), by=staff["router"], on=MONDAY)
    with pytest.raises(DomainError, match=message) as raised:
        services.set_due_date(lead, due_on, "調整", by=staff["router"])
    assert "due_on" in raised.value.fields
    lead.refresh_from_db()
    assert lead.due_on == dt.date(2025, 3, 11)


def test_the_secretariat_moves_a_part_and_sets_a_deadline(staff, agency):
    case = new_case()
    (lead,) = services.route_case(case, agency("警察局"), by=staff["router"], on=MONDAY)
    with pytest.raises(PermissionDenied):
        services.reroute_part(lead, agency("都發局"), "權責", by=staff["police"])
    moved = services.reroute_part(
        lead, agency("都發局"), "屬都市發展局權責", by=staff["router"], on=dt.date(2025, 3, 10)
    )
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.WITHDRAWN
    assert moved.role == lead.role and moved.due_on == dt.date(2025, 3, 18)
    entry = AuditEntry.objects.get(action="reroute")
    assert entry.changes["reason"] == "屬都市發展局權責" and entry.changes["to"] == "都發局"

    with pytest.raises(DomainError, match="理由"):
        services.set_due_date(moved, dt.date(2025, 3, 20), " ", by=staff["router"])
    services.set_due_date(moved, dt.date(2025, 3, 20), "爭議處理期間不計", by=staff["router"])
    moved.refresh_from_db()
    assert moved.due_on == dt.date(2025, 3, 20)


def test_files_attached_to_a_reply(staff, agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (lead,) = services.route_case(new_case(), agency("都發局"), by=staff["router"])
    data = SimpleUploadedFile("統計表.csv", "年度,件數\n114,3\n".encode(), "text/csv")
    services.draft_reply(lead, "檢送統計資料如附件。", by=staff["udd"], attachments=[data])
    [attached] = lead.reply_attachments.all()
    assert attached.original_name == "統計表.csv" and attached.case_id == lead.case_id

    bad = SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")
    with pytest.raises(DomainError):
        services.draft_reply(lead, "改稿", by=staff["udd"], attachments=[bad])
    lead.refresh_from_db()
    assert lead.reply_text == "檢送統計資料如附件。"  # nothing half-saved
