"""檔案應用、數位化、考評 rules, through the services: the decision deadline (30 days, once
extended by at most 30), restricted records refused with a ground of 檔案法 §18, fees from the
schedule, the four-eyes quality check and the completion rate, inspections and follow-ups,
scoping, and the report sections' sentences."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from secretariat.archives import use_reports
from secretariat.archives.models import (
    Access,
    ApplicationStatus,
    FilingStatus,
    InspectionKind,
    Manner,
    Quality,
    RefusalGround,
    RequestDecision,
    UseApplication,
)
from secretariat.archives.selectors import use as selectors
from secretariat.archives.services import use as services
from secretariat.archives.services.use import Decision, Score, Wanted
from secretariat.core import sealing, workdays
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry, OutgoingMail
from secretariat.core.roc import Period
from tests.archives.conftest import proposed

pytestmark = pytest.mark.django_db


def filed(agency, code, *, access=Access.OPEN, secrecy=0, title="本府施政計畫"):
    return proposed(
        agency, title, filing=FilingStatus.FILED, file_code=code, access=access, secrecy=secrecy
    )


@pytest.fixture
def records(agency):
    sec = agency("秘書處")
    return {
        "open": filed(sec, "114-0101-001-001-000001"),
        "restricted": filed(sec, "114-0101-001-001-000002", access=Access.RESTRICTED),
        "closed": filed(sec, "114-0101-001-001-000003", access=Access.CLOSED),
        "secret": filed(sec, "114-0101-001-001-000004", secrecy=2),
    }


def citizen_applies(agency, *codes, manner=Manner.READ, copies=0, on=None, ip="198.51.100.7"):
    return services.apply_for_use(
        agency("秘書處"),
        name="林小姐",
        email="lin@example.com",
        purpose="研究",
        wanted=[Wanted(code, manner, copies) for code in codes],
        on=on,
        client_ip=ip,
    )


# --- 檔案應用 -----------------------------------------------------------------------------------


def test_decision_is_due_thirty_calendar_days_after_receipt_or_next_working_day():
    received = dt.date(2026, 3, 2)  # a Monday; 30 days later is Wednesday 4月1日
    assert services.decision_due(received) == dt.date(2026, 4, 1)
    # Through February 2026 (the 春節 holidays and weekends among the 30th days): the last day
    # is the 30th calendar day, or the next working day when that is not one.
    for day in range(1, 29):
        received = dt.date(2026, 2, day)
        due = services.decision_due(received)
        last = received + dt.timedelta(days=30)
        assert due >= last
        assert workdays.is_working_day(due)
        if workdays.is_working_day(last):
            assert due == last


def test_citizen_applies_by_file_code_and_the_public_cannot_find_classified_records(
    agency, records
):
    application = citizen_applies(agency, records["open"].file_code)
    assert application.by_citizen
    assert application.number.startswith("U")
    assert application.decision_due == services.decision_due(application.received_on)
    assert AuditEntry.objects.filter(action="archives:apply_for_use").exists()
    with pytest.raises(DomainError) as error:
        citizen_applies(agency, records["secret"].file_code, "999-0000-001-001-000001")
    messages = error.value.fields["requests"]
    assert len(messages) == 2  # both rows named, nothing saved
    assert messages[0].startswith("第1項") and messages[1].startswith("第2項")
    assert UseApplication.objects.count() == 1


def test_application_refuses_bad_rows_control_characters_and_missing_email(agency, records):
    with pytest.raises(DomainError) as error:
        services.apply_for_use(
            agency("秘書處"),
            name="林\x07小姐",
            purpose="",
            wanted=[Wanted(records["open"].file_code, Manner.COPY, 0)],
        )
    fields = error.value.fields
    assert {"name", "purpose", "email", "requests"} <= set(fields)
    assert "複製須填寫張數" in fields["requests"][0]


def test_public_applications_are_rate_limited_per_address(agency, records):
    for _ in range(services.PUBLIC_LIMIT.events):
        citizen_applies(agency, records["open"].file_code, ip="203.0.113.9")
    with pytest.raises(DomainError) as error:
        citizen_applies(agency, records["open"].file_code, ip="203.0.113.9")
    assert error.value.status == 429
    citizen_applies(agency, records["open"].file_code, ip="203.0.113.10")


def test_closed_and_classified_records_are_refused_only_with_a_legal_ground(
    agency, people, records
):
    staff = services.apply_for_use(
        agency("秘書處"),
        by=people["sec_officer"],
        name="承辦人",
        purpose="業務參考",
        wanted=[Wanted(records[k].file_code, Manner.READ) for k in ("closed", "secret")],
    )
    closed, secret = staff.requests.order_by("pk")
    with pytest.raises(DomainError) as error:
        services.decide_use(
            staff,
            by=people["archivist"],
            decisions=[
                Decision(closed.pk, RequestDecision.APPROVED),
                Decision(secret.pk, RequestDecision.REFUSED),
            ],
        )
    problems = error.value.fields["decisions"]
    assert "不開放" in problems[0] and "第18條" in problems[1]
    services.decide_use(
        staff,
        by=people["archivist"],
        decisions=[
            Decision(closed.pk, RequestDecision.REFUSED, RefusalGround.PERSONNEL),
            Decision(secret.pk, RequestDecision.REFUSED, RefusalGround.NATIONAL_SECRET),
        ],
    )
    staff.refresh_from_db()
    assert staff.status == ApplicationStatus.DECIDED and staff.fee == 0


def test_restricted_records_are_given_only_in_part_with_the_reason(agency, people, records):
    application = citizen_applies(agency, records["restricted"].file_code)
    request = application.requests.get()
    with pytest.raises(DomainError):
        services.decide_use(
            application,
            by=people["archivist"],
            decisions=[Decision(request.pk, RequestDecision.APPROVED)],
        )
    with pytest.raises(DomainError):
        services.decide_use(
            application,
            by=people["archivist"],
            decisions=[Decision(request.pk, RequestDecision.PARTLY)],
        )
    services.decide_use(
        application,
        by=people["archivist"],
        decisions=[Decision(request.pk, RequestDecision.PARTLY, note="遮蔽個人資料")],
    )
    request.refresh_from_db()
    assert request.decision == RequestDecision.PARTLY


def test_fee_follows_the_schedule_for_what_is_given(agency, people, records):
    application = citizen_applies(agency, records["open"].file_code, manner=Manner.COPY, copies=12)
    services.set_fee_rate(Manner.COPY, by=people["archivist"], unit_price=3)
    with pytest.raises(DomainError):
        services.set_fee_rate(Manner.COPY, by=people["archivist"], unit_price=10_000)
    services.decide_use(
        application,
        by=people["archivist"],
        decisions=[Decision(application.requests.get().pk, RequestDecision.APPROVED)],
    )
    application.refresh_from_db()
    assert application.fee == 36
    mail = OutgoingMail.objects.get(purpose="archives:use_decision")
    message = json.loads(sealing.unseal(bytes(mail.sealed)))
    assert message["recipients"] == ["lin@example.com"]
    assert "准予應用" in message["body"] and "應繳費用：36 元" in message["body"]
    with pytest.raises(DomainError):  # decided once
        services.decide_use(application, by=people["archivist"], decisions=[])


def test_only_the_holding_agencys_archivist_decides(agency, people, records):
    application = citizen_applies(agency, records["open"].file_code)
    request = application.requests.get()
    for outsider in (people["udd_archivist"], people["sec_officer"]):
        with pytest.raises(PermissionDenied):
            services.decide_use(
                application, by=outsider, decisions=[Decision(request.pk, "approved")]
            )
    with pytest.raises(PermissionDenied):
        services.set_fee_rate(Manner.COPY, by=people["udd_archivist"], unit_price=1)


def test_extension_once_by_at_most_the_original_period_with_a_reason(agency, people, records):
    application = citizen_applies(agency, records["open"].file_code)
    archivist = people["archivist"]
    with pytest.raises(DomainError) as error:
        services.extend_decision(application, by=archivist, days=31, reason="")
    assert {"days", "reason"} <= set(error.value.fields)
    services.extend_decision(application, by=archivist, days=30, reason="須會商業務單位")
    assert application.extended_due >= application.decision_due + dt.timedelta(days=30)
    assert application.due == application.extended_due
    with pytest.raises(DomainError) as error:
        services.extend_decision(application, by=archivist, days=5, reason="再延")
    assert error.value.code == "extended_once"


def test_an_extension_after_the_deadline_is_refused(agency, people, records):
    application = citizen_applies(agency, records["open"].file_code, on=dt.date(2020, 1, 2))
    with pytest.raises(DomainError) as error:
        services.extend_decision(application, by=people["archivist"], days=5, reason="逾期")
    assert error.value.code == "lapsed"


def test_applications_are_scoped(agency, people, records):
    application = citizen_applies(agency, records["open"].file_code)
    assert list(selectors.applications_for(people["archivist"])) == [application]
    assert not selectors.applications_for(people["udd_archivist"]).exists()
    assert not selectors.applications_for(people["udd_officer"]).exists()
    assert [p.title for p in selectors.pending_for(people["archivist"])] == [
        f"{application.number} 林小姐"
    ]


# --- 數位化 --------------------------------------------------------------------------------------


@pytest.fixture
def project(agency, people):
    return services.start_project(
        agency("都發局"), by=people["udd_archivist"], year=114, title="數位化", target_items=1_000
    )


def test_batches_count_once_passed_by_someone_else(agency, people, project):
    day = dt.date(2025, 2, 3)
    batch = services.record_batch(
        project, by=people["udd_archivist"], scanned_on=day, items=400, pages=6_000
    )
    with pytest.raises(DomainError) as error:
        services.check_batch(batch, by=people["udd_archivist"], passed=True)
    assert error.value.code == "four_eyes"
    with pytest.raises(DomainError):  # 重製 needs its reason
        services.check_batch(batch, by=people["udd_archivist2"], passed=False)
    assert selectors.completion(dt.date(2025, 3, 31), project.agency_id).scanned == 0
    services.check_batch(batch, by=people["udd_archivist2"], passed=True)
    redo = services.record_batch(
        project, by=people["udd_archivist"], scanned_on=day, items=331, pages=4_000
    )
    services.check_batch(redo, by=people["udd_archivist2"], passed=False, note="影像模糊")
    assert redo.quality == Quality.REDO
    figures = selectors.completion(dt.date(2025, 3, 31), project.agency_id)
    assert (figures.scanned, figures.pages, figures.rate) == (400, 6_000, Decimal("40.00"))
    assert selectors.completion(dt.date(2025, 1, 31)).scanned == 0  # before the batch
    rows = selectors.quarterly(114, dt.date(2025, 7, 15))
    assert rows == [
        selectors.QuarterRow("都發局", (Decimal("40.00"), Decimal("40.00"), None, None))
    ]


def test_batch_bounds_and_scope(agency, people, project):
    with pytest.raises(DomainError) as error:
        services.record_batch(
            project, by=people["udd_archivist"], scanned_on=dt.date(2099, 1, 1), items=5, pages=4
        )
    assert {"scanned_on", "pages"} <= set(error.value.fields)
    with pytest.raises(PermissionDenied):
        services.record_batch(
            project, by=people["archivist"], scanned_on=dt.date(2025, 1, 1), items=1, pages=1
        )
    assert list(selectors.projects_for(people["archivist"])) == [project]  # reviewers see all
    assert not selectors.projects_for(people["sec_officer"]).exists()


def test_digitization_section_and_indicator(agency, people, project):
    batch = services.record_batch(
        project, by=people["udd_archivist"], scanned_on=dt.date(2025, 2, 3), items=731, pages=900
    )
    services.check_batch(batch, by=people["udd_archivist2"], passed=True)
    data = use_reports.digitization(Period.half(114, 1))
    assert "累計完成731件" in data.paragraphs[0]
    assert "完成率73.10%" in data.paragraphs[0]
    assert data.tables[0].rows[0]["agency"] == "都發局"
    assert use_reports.completion_rate(Period.half(114, 1)) == Decimal("73.10")


# --- 考評 ---------------------------------------------------------------------------------------


def inspect(agency, people, name, kind=InspectionKind.FIELD, on=dt.date(2025, 5, 6)):
    return services.record_inspection(
        agency(name),
        by=people["archivist"],
        kind=kind,
        inspected_on=on,
        inspectors="委員甲",
        scores=[Score("立案編目", 40, Decimal("35.5")), Score("檔案保管", 60, Decimal("50"))],
        follow_ups=[("庫房溫濕度紀錄", on + dt.timedelta(days=60))],
    )


def test_inspection_scores_are_bounded_and_follow_ups_tracked(agency, people):
    with pytest.raises(DomainError) as error:
        services.record_inspection(
            agency("都發局"),
            by=people["archivist"],
            kind=InspectionKind.FIELD,
            inspected_on=dt.date(2025, 5, 6),
            inspectors="",
            scores=[Score("立案編目", 40, Decimal("41")), Score("立案編目", 40, Decimal("1"))],
            follow_ups=[("改善", dt.date(2025, 5, 1))],
        )
    assert len(error.value.fields["scores"]) == 2
    assert "晚於考評日期" in error.value.fields["follow_ups"][0]
    with pytest.raises(PermissionDenied):
        inspect(agency, {"archivist": people["udd_archivist"]}, "都發局")
    inspection = inspect(agency, people, "都發局")
    follow_up = inspection.follow_ups.get()
    assert list(selectors.open_follow_ups(people["udd_archivist"])) == [follow_up]
    assert not selectors.open_follow_ups(people["udd_officer"]).exclude(pk=follow_up.pk).exists()
    with pytest.raises(PermissionDenied):
        services.complete_follow_up(follow_up, by=people["archivist"], note="完成")
    services.complete_follow_up(follow_up, by=people["udd_archivist"], note="已建置紀錄表")
    assert not selectors.open_follow_ups(people["udd_archivist"]).exists()
    inspect(agency, people, "警察局")
    assert list(selectors.inspections_for(people["udd_officer"])) == [inspection]
    assert selectors.inspections_for(people["archivist"]).count() == 2


def test_inspection_section_in_the_seeds_sentence(agency, people):
    inspect(agency, people, "信義區公所")
    inspect(agency, people, "大安區公所")
    for name in ("兵役局", "資訊局", "原民會"):
        inspect(agency, people, name, InspectionKind.REVIEW)
    data = use_reports.inspections(Period.half(114, 1))
    text = data.paragraphs[0]
    assert "辦理信義區公所及大安區公所等2個機關檔案實地考評" in text
    assert "並針對兵役局、資訊局及原民會進行檔管業務個別機關輔導與檔案複評作業" in text
    assert "提出改善事項5項，已改善完成0項" in text
    assert data.tables[0].rows[0]["points"] == Decimal("85.5")


def test_use_section_counts_decisions_and_deadlines(agency, people, records):
    application = citizen_applies(agency, records["open"].file_code, on=dt.date(2025, 3, 3))
    services.decide_use(
        application,
        by=people["archivist"],
        decisions=[Decision(application.requests.get().pk, RequestDecision.APPROVED)],
    )
    data = use_reports.use(Period.half(114, 1))
    # decided today, long after the 2025 deadline: decided, not on time
    assert "受理民眾及機關申請應用檔案1件（1筆檔案），准予應用1筆" in data.paragraphs[0]
    assert "其中於法定期限內准駁0件" in data.paragraphs[0]
