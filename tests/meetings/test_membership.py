"""Members sit by office: whoever holds the office is a member — a new head the moment their
account has the office, nobody once it is left — and seats must name an office."""

from __future__ import annotations

import pytest

from secretariat.core import services as core_services
from secretariat.core.errors import DomainError
from secretariat.core.models import AgencyKind, RoleCode
from secretariat.meetings import selectors, services
from secretariat.meetings.permissions import member_series_ids, seat_of

pytestmark = pytest.mark.django_db


def test_members_are_the_holders_of_the_offices(council, chiefs, people, make_person):
    members = set(selectors.members_of(council))
    assert {people["mayor"], people["udd_head"], people["police_head"]} <= members
    # Not heads: the deputy, an officer, the mayor's office staff; 研考會 is a committee.
    assert (
        not {people["udd_deputy"], people["udd_officer"], people["mayor_office"], people["rdec"]}
        & members
    )
    assert seat_of(people["udd_head"], council) == "各一級機關首長"
    assert seat_of(people["mayor"], council) == "市長"
    assert member_series_ids(people["udd_head"]) == {council.pk}
    assert list(selectors.members_of(chiefs)) == []


def test_a_new_head_is_a_member_at_once_and_the_old_one_is_not(
    council, people, make_person, agency
):
    new_head = make_person("udd-new-head", "都發局", RoleCode.HEAD, job_title="局長")
    assert new_head in selectors.members_of(council)
    assert council.pk in member_series_ids(new_head)
    # The former head leaves the office: the role goes, and so does the seat.
    old = people["udd_head"]
    core_services.set_roles(old, [RoleCode.SUPERVISOR], by=None)
    old = type(old).objects.get(pk=old.pk)
    assert old not in selectors.members_of(council)
    assert seat_of(old, council) == ""
    # A deactivated account holds no office.
    new_head.is_active = False
    new_head.save()
    assert new_head not in selectors.members_of(council)


def test_a_chief_secretary_sits_by_job_title(chiefs, make_person):
    chief = make_person("udd-cs", "都發局", RoleCode.SUPERVISOR, job_title="主任秘書")
    second_level = make_person("neo-cs", "新工處", RoleCode.SUPERVISOR, job_title="主任秘書")
    assert list(selectors.members_of(chiefs)) == [chief]
    assert seat_of(chief, chiefs) == "各一級機關主任秘書"
    assert seat_of(second_level, chiefs) == ""


def test_a_seat_must_name_an_office(council, people, agency):
    staff = people["staff"]
    with pytest.raises(DomainError) as refused:
        services.add_seat(council, label="", by=staff)
    assert refused.value.fields["label"] == ["請填寫席次名稱（例：各一級機關首長）。"]
    assert "請指定一個機關，或一類機關（例：一級機關），擇一。" in refused.value.fields["agency"]
    assert "請指定角色或職稱（至少一項），以認定誰擔任此席次。" in refused.value.fields["role"]
    with pytest.raises(DomainError) as both:
        services.add_seat(
            council,
            label="重複",
            agency=agency("都發局"),
            agency_kind=AgencyKind.FIRST_LEVEL,
            role=RoleCode.HEAD,
            by=staff,
        )
    assert "agency" in both.value.fields


def test_only_meeting_staff_set_up_series(people, agency):
    with pytest.raises(DomainError) as refused:
        services.create_series(
            code="x",
            name="某會議",
            chair_title="市長",
            chair_agency=agency("市長室"),
            by=people["udd_head"],
        )
    assert refused.value.status == 403
