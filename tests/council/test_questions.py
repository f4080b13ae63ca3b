"""Question events and questions recorded at the council (側記), routed to agencies and
answered in writing with the head's approval; statistics by event kind; isolation."""

import datetime as dt

import pytest
from django.http import Http404

from secretariat.cases import selectors as case_selectors
from secretariat.cases import services as case_services
from secretariat.cases.models import CaseStatus
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry
from secretariat.council import selectors, services
from secretariat.council.models import EventKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def general(council_session, staff):
    return services.create_event(
        session=council_session,
        kind=EventKind.GENERAL,
        title="市政總質詢",
        start_on=dt.date(2025, 4, 14),
        end_on=dt.date(2025, 4, 24),
        sittings=9,
        by=staff["desk"],
    )


def ask(event, staff, councillors, *names, day=dt.date(2025, 4, 14), subject="社會住宅進度"):
    return services.record_question(
        event=event,
        councillors=[councillors[name] for name in names],
        asked_on=day,
        subject=subject,
        text=f"{subject}，請市府說明。",
        by=staff["desk"],
    )


def test_recorded_questions_are_numbered_in_the_order_asked(general, staff, councillors):
    first = ask(general, staff, councillors, "林議員")
    joint = ask(general, staff, councillors, "陳議員", "林議員", subject="捷運延伸")
    assert (first.sequence, joint.sequence) == (1, 2)
    assert [a.councillor.name for a in joint.askers.all()] == ["陳議員", "林議員"]
    entry = AuditEntry.objects.get(action="set_askers", object_id=str(joint.pk))
    assert entry.changes == {"councillors": ["陳議員", "林議員"]}
    assert joint.case.number.startswith("質114") and joint.case.status == CaseStatus.PENDING
    assert joint.case.channel == "council" and joint.case.received_on == dt.date(2025, 4, 14)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"asked_on": dt.date(2025, 5, 1)}, "asked_on", "質詢日期須在市政總質詢期間"),
        ({"councillors": []}, "councillors", "請選擇質詢議員"),
        ({"subject": ""}, "subject", "請填寫主旨"),
    ],
)
def test_bad_question_input_names_the_field(general, staff, councillors, fields, field, message):
    values = {
        "event": general,
        "councillors": [councillors["林議員"]],
        "asked_on": dt.date(2025, 4, 15),
        "subject": "公園綠地",
        "text": "請說明。",
        "by": staff["desk"],
    } | fields
    with pytest.raises(DomainError, match=message) as raised:
        services.record_question(**values)
    assert field in raised.value.fields
    assert not general.questions.exists()


def test_a_councillor_out_of_office_is_refused(general, staff, councillors):
    councillors["王議員"].active_to = dt.date(2025, 3, 31)
    councillors["王議員"].save()
    with pytest.raises(DomainError, match="王議員 於質詢日期不在任"):
        ask(general, staff, councillors, "王議員")


def test_an_event_outside_its_session_is_refused(council_session, staff):
    with pytest.raises(DomainError, match="會期內") as raised:
        services.create_event(
            session=council_session,
            kind=EventKind.POLICY_REPORT,
            title="市長施政報告",
            start_on=dt.date(2025, 3, 1),
            end_on=dt.date(2025, 3, 5),
            by=staff["desk"],
        )
    assert "start_on" in raised.value.fields


def test_only_the_secretariats_council_staff_record_and_route(general, staff, councillors, agency):
    for outsider in (staff["clerk"], staff["udd_liaison"], staff["udd"]):
        with pytest.raises(PermissionDenied):
            ask(general, staff | {"desk": outsider}, councillors, "林議員")
    question = ask(general, staff, councillors, "林議員")
    with pytest.raises(PermissionDenied):
        case_services.route_case(question.case, agency("都發局"), by=staff["clerk"])


def test_routed_replied_and_approved_by_the_head(general, staff, councillors, agency):
    question = ask(general, staff, councillors, "林議員")
    (part,) = case_services.route_case(
        question.case, agency("都發局"), by=staff["desk"], on=dt.date(2025, 4, 14)
    )
    assert part.due_on == dt.date(2025, 4, 28)  # 10 working days from 04-15 (04-03/04 holidays)
    case_services.draft_reply(part, "本局已規劃於明年動工。", by=staff["udd"])
    with pytest.raises(PermissionDenied):
        case_services.approve_reply(part, by=staff["udd_boss"])
    case_services.approve_reply(part, by=staff["udd_head"])
    question.case.refresh_from_db()
    assert question.case.status == CaseStatus.REPLIED


def test_a_liaison_sees_only_its_agencys_questions(general, staff, councillors, agency):
    housing = ask(general, staff, councillors, "林議員")
    traffic = ask(general, staff, councillors, "陳議員", subject="違規停車")
    case_services.route_case(housing.case, agency("都發局"), by=staff["desk"])
    case_services.route_case(traffic.case, agency("警察局"), by=staff["desk"])
    assert list(selectors.questions_for(staff["udd_liaison"])) == [housing]
    assert list(selectors.questions_for(staff["police_liaison"])) == [traffic]
    assert set(selectors.questions_for(staff["desk"])) == {housing, traffic}
    # The Secretariat's petition clerks do not route council work and so do not see it.
    assert not selectors.questions_for(staff["clerk"]).exists()
    with pytest.raises(Http404):
        case_selectors.case_for(staff["udd_liaison"], traffic.case.number)


def test_routed_questions_by_event_kind(council_session, general, staff, councillors, agency):
    policy = services.create_event(
        session=council_session,
        kind=EventKind.POLICY_REPORT,
        title="市長施政報告",
        start_on=dt.date(2025, 3, 11),
        end_on=dt.date(2025, 3, 12),
        sittings=2,
        by=staff["desk"],
    )
    special = services.create_event(
        session=council_session,
        kind=EventKind.SPECIAL_REPORT,
        title="市長專案報告",
        start_on=dt.date(2025, 3, 25),
        end_on=dt.date(2025, 3, 26),
        sittings=2,
        by=staff["desk"],
    )
    asked = [ask(policy, staff, councillors, "林議員", day=dt.date(2025, 3, 11)) for _ in "123"]
    asked.append(ask(special, staff, councillors, "陳議員", day=dt.date(2025, 3, 26)))
    asked += [ask(general, staff, councillors, "王議員", day=dt.date(2025, 4, 15)) for _ in "12"]
    for question in asked:
        case_services.route_case(question.case, agency("都發局"), by=staff["desk"])
    ask(general, staff, councillors, "王議員", day=dt.date(2025, 4, 16))  # not routed yet
    rows, total = selectors.questions_by_event_kind(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert [(r.label, r.sittings, r.unit, r.questions) for r in rows] == [
        ("市長施政報告", 2, "天", 3),
        ("市長專案報告", 2, "場", 1),
        ("市政總質詢", 9, "天", 2),
    ]
    assert total == 6
    rows, total = selectors.questions_by_event_kind(dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert [r.label for r in rows] == ["市政總質詢"] and total == 2
