"""議員服務案件: registered for a councillor, routed, replied, graded A–D when closed; the A
share against the year's target."""

import datetime as dt
from decimal import Decimal

import pytest

from secretariat.cases import services as case_services
from secretariat.cases.models import CaseStatus
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import IndicatorTarget
from secretariat.council import selectors, services
from secretariat.council.models import Grade

pytestmark = pytest.mark.django_db

RECEIVED = dt.date(2025, 3, 3)


def replied_case(staff, councillors, agency, subject="巷口路燈不亮"):
    service = services.register_service_case(
        councillor=councillors["陳議員"],
        subject=subject,
        text=f"選民反映{subject}，請協處。",
        received_on=RECEIVED,
        requester={"name": "張小姐", "phone": "0912000111"},
        by=staff["desk"],
    )
    (part,) = case_services.route_case(
        service.case, agency("都發局"), by=staff["desk"], on=RECEIVED
    )
    case_services.draft_reply(part, "已派員處理。", by=staff["udd"])
    case_services.approve_reply(part, by=staff["udd_boss"])
    return service


def test_graded_when_closed(staff, councillors, agency):
    service = replied_case(staff, councillors, agency)
    assert service.case.number.startswith("議114")
    with pytest.raises(PermissionDenied):
        services.grade_and_close(service, Grade.A, by=staff["udd_boss"])
    with pytest.raises(DomainError, match="處理等級") as raised:
        services.grade_and_close(service, "E", by=staff["desk"])
    assert "grade" in raised.value.fields
    services.grade_and_close(service, Grade.A, by=staff["desk"])
    service.refresh_from_db()
    assert service.grade == Grade.A and service.case.status == CaseStatus.CLOSED


def test_not_graded_before_every_agency_replied(staff, councillors, agency):
    service = services.register_service_case(
        councillor=councillors["陳議員"],
        subject="人行道不平",
        text="請協處。",
        received_on=RECEIVED,
        by=staff["desk"],
    )
    with pytest.raises(DomainError, match="各機關回復後才能評定等級"):
        services.grade_and_close(service, Grade.A, by=staff["desk"])
    service.refresh_from_db()
    assert service.grade == ""


def test_grade_shares_against_the_target(staff, councillors, agency):
    today = dt.date.today()
    grades = [Grade.A] * 7 + [Grade.B, Grade.C, Grade.D]
    for index, grade in enumerate(grades):
        service = replied_case(staff, councillors, agency, subject=f"服務案件{index}")
        services.grade_and_close(service, grade, by=staff["desk"])
    year_start = dt.date(today.year, 1, 1)
    shares = selectors.service_grade_shares(year_start, today)
    assert shares.counts == {"A": 7, "B": 1, "C": 1, "D": 1} and shares.total == 10
    assert shares.share(Grade.A) == Decimal("70.00")
    assert shares.target is None and shares.meets_target is None

    IndicatorTarget.objects.create(
        indicator=selectors.SERVICE_GRADE_A_INDICATOR, year=today.year - 1911, value=98
    )
    shares = selectors.service_grade_shares(year_start, today)
    assert shares.target == Decimal("98") and shares.meets_target is False
    assert selectors.service_grade_shares(dt.date(2000, 1, 1), dt.date(2000, 12, 31)).total == 0


def test_a_councillors_constituent_is_personal_data(staff, councillors, agency):
    service = replied_case(staff, councillors, agency)
    assert case_services.reveal_requester(service.case, by=staff["desk"]).name == "張小姐"
    with pytest.raises(PermissionDenied):
        case_services.reveal_requester(service.case, by=staff["udd_liaison"])
