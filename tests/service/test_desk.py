"""The desk's log: two taps for a consultation, a petition assisted without a category,
referrals counted, the rules refused in zh-Hant, categories renamed with their history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import AuditEntry
from secretariat.core.roc import Period
from secretariat.service import reports, selectors, services
from secretariat.service.models import DeskVisit, Referral, VisitKind

pytestmark = pytest.mark.django_db


def test_a_consultation_is_one_category_and_is_audited(desk, categories):
    visit = services.log_visit(by=desk, category=categories["transport"])
    assert visit.kind == VisitKind.CONSULTATION and visit.logged_by == desk
    assert AuditEntry.objects.filter(object_id=str(visit.pk), action="service:log_visit").exists()
    assert list(selectors.visits_for(desk)) == [visit]


def test_a_consultation_needs_a_category_and_a_clean_note(desk, categories):
    with pytest.raises(DomainError) as error:
        services.log_visit(by=desk)
    assert error.value.fields["category"] == ["諮詢服務須選擇諮詢類別。"]
    with pytest.raises(DomainError) as error:
        services.log_visit(by=desk, category=categories["civil"], note="路口\x07號誌")
    assert "note" in error.value.fields
    with pytest.raises(DomainError) as error:
        services.log_visit(by=desk, category=categories["civil"], note="長" * 201)
    assert "不可超過 200 字" in error.value.fields["note"][0]
    assert not DeskVisit.objects.exists()


def test_a_petition_assisted_needs_no_category_and_referrals_are_counted(desk, categories, agency):
    services.log_visit(by=desk, kind=VisitKind.PETITION)
    services.log_visit(
        by=desk, category=categories["civil"], referral=Referral.SIGN_LANGUAGE, note="聽障民眾"
    )
    services.log_visit(
        by=desk,
        category=categories["police-health"],
        agency=agency("衛生局"),
        referral=Referral.AGENCY_COUNTER,
    )
    today = timezone.localdate()
    assert selectors.referrals(today, today) == {"sign_language": 1, "agency_counter": 1}
    by_kind = selectors.visits_by_kind(today, today)
    assert sum(by_kind["petition"].values()) == 1
    assert sum(by_kind["consultation"].values()) == 2


def test_only_desk_staff_log_and_only_they_see_the_log(make_person, desk, categories):
    officer = make_person("udd-officer", "都發局", "case_officer")
    clerk = make_person("sec-clerk", "秘書處", "registry_clerk")
    services.log_visit(by=desk, category=categories["civil"])
    for person in (officer, clerk):
        with pytest.raises(PermissionDenied):
            services.log_visit(by=person, category=categories["civil"])
        assert not selectors.visits_for(person).exists()


def test_a_visit_may_not_be_dated_in_the_future(desk, categories):
    later = timezone.now() + dt.timedelta(hours=2)
    with pytest.raises(DomainError) as error:
        services.log_visit(by=desk, category=categories["civil"], served_at=later)
    assert error.value.fields["served_at"] == ["服務時間不可晚於現在。"]


def test_desk_staff_remove_only_todays_mistakes(desk, desk_supervisor, categories):
    visit = services.log_visit(by=desk, category=categories["civil"])
    DeskVisit.objects.filter(pk=visit.pk).update(served_at=timezone.now() - dt.timedelta(days=2))
    visit.refresh_from_db()
    with pytest.raises(DomainError):
        services.remove_visit(visit, by=desk)
    services.remove_visit(visit, by=desk_supervisor)
    assert not DeskVisit.objects.exists()


def test_categories_are_set_by_the_supervisor(desk, desk_supervisor, categories):
    with pytest.raises(PermissionDenied):
        services.add_category(by=desk, code="labour", name="勞動")
    added = services.add_category(by=desk_supervisor, code="labour", name="勞動")
    assert str(added) == "勞動"
    with pytest.raises(DomainError) as error:
        services.add_category(by=desk_supervisor, code="labour", name="勞工")
    assert "code" in error.value.fields
    services.set_category_active(added, False, by=desk_supervisor)
    with pytest.raises(DomainError) as error:
        services.log_visit(by=desk, category=added)
    assert error.value.fields["category"] == ["類別「勞動」已停用。"]


def test_a_renamed_category_keeps_its_history_in_reports(desk, desk_supervisor, categories):
    """Visits before a rename stay the category's own: the earlier period's report prints the
    earlier name, a later one the new name, and the category is one row in both."""
    civil = categories["civil"]
    first = timezone.make_aware(dt.datetime(2025, 3, 10, 10, 0))
    DeskVisit.objects.bulk_create(
        [DeskVisit(served_at=first, category=civil, kind=VisitKind.CONSULTATION)] * 3
    )
    services.rename_category(
        civil, by=desk_supervisor, name="民政及戶政", valid_from=dt.date(2025, 7, 1)
    )
    later = timezone.make_aware(dt.datetime(2025, 8, 4, 10, 0))
    DeskVisit.objects.bulk_create(
        [DeskVisit(served_at=later, category=civil, kind=VisitKind.CONSULTATION)] * 2
    )
    before = reports.consultations(Period.half(114, 1)).tables[1]
    after = reports.consultations(Period.half(114, 2)).tables[1]
    whole = reports.consultations(Period.year(114)).tables[1]
    assert [(r["category"], r["total"]) for r in before.rows] == [("民政", 3)]
    assert [(r["category"], r["total"]) for r in after.rows] == [("民政及戶政", 2)]
    # One category across the rename: one row, named as at the period's end.
    assert [(r["category"], r["m202503"], r["m202508"]) for r in whole.rows] == [
        ("民政及戶政", 3, 2)
    ]
    with pytest.raises(DomainError) as error:
        services.rename_category(
            civil, by=desk_supervisor, name="民政", valid_from=dt.date(2025, 5, 1)
        )
    assert "valid_from" in error.value.fields


def test_nursing_room_uses_are_counts_only(desk, desk_supervisor):
    room = services.add_room(by=desk_supervisor, name="1樓哺集乳室", place="市政大樓1樓")
    services.count_room_use(room, by=desk)
    use = services.count_room_use(room, by=desk, count=2)
    assert use.count == 3
    with pytest.raises(DomainError):
        services.count_room_use(room, by=desk, count=0)
    today = timezone.localdate()
    assert selectors.room_uses(today, today) == [(room, 3)]
    section = reports.nursing_rooms(Period.between(today, today))
    assert section.figures[0].value == 3
    assert "共計使用3人次" in section.paragraphs[0]
