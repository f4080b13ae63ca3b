"""輿情, the case kind: captured by the press office, routed to the agencies concerned with a
deadline in working hours (across a weekend), 重大 items the same working day, escalation
(crisis mode) telling the press officers at once, the response drafted and approved through
the engine and its published clarification recorded."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from secretariat.cases import selectors as case_selectors
from secretariat.cases import services as case_services
from secretariat.cases.models import KindSetting
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import Notification
from secretariat.media import selectors, services
from secretariat.media.models import Importance, Tone

pytestmark = pytest.mark.django_db

TAIPEI = ZoneInfo("Asia/Taipei")
FRIDAY_4PM = dt.datetime(2026, 12, 4, 16, 0, tzinfo=TAIPEI)
FRIDAY_6PM = dt.datetime(2026, 12, 4, 18, 0, tzinfo=TAIPEI)
SATURDAY_NOON = dt.datetime(2026, 12, 5, 12, 0, tzinfo=TAIPEI)


def capture(by, **extra):
    values = {
        "title": "社宅抽籤作業遭質疑",
        "summary": "報導指稱社宅抽籤作業未公開。",
        "outlet": "臺北日報",
        "link": "https://news.example/1",
        "tone": Tone.NEGATIVE,
    }
    values.update(extra)
    return services.capture_item(**values, by=by)


def at(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_the_press_office_captures_an_item_waiting_to_be_routed(press_people, agency):
    item = capture(press_people["press"], reported_on=dt.date(2026, 12, 3))
    assert item.case.number.startswith("輿115")
    assert item.case.status == case_selectors.CaseStatus.PENDING
    assert item.case.channel == "media" and item.reported_on == dt.date(2026, 12, 3)
    for outsider in (press_people["udd_press"], press_people["sec_officer"]):
        with pytest.raises(PermissionDenied):
            capture(outsider, link="https://news.example/2")


def test_the_kinds_fields_are_checked_with_the_engines_in_one_pass(press_people):
    with pytest.raises(DomainError) as refused:
        services.capture_item(
            title="",
            summary="",
            outlet="",
            link="ftp://x",
            tone="angry",
            importance="huge",
            by=press_people["press"],
        )
    assert set(refused.value.fields) == {
        "subject",
        "body",
        "outlet",
        "link",
        "tone",
        "importance",
    }


def test_a_link_is_captured_once(press_people):
    first = capture(press_people["press"])
    with pytest.raises(DomainError) as refused:
        capture(press_people["press"])
    assert refused.value.fields["link"] == [f"此連結已登錄為輿情 {first.case.number}。"]


def test_a_deadline_in_working_hours_runs_across_the_weekend(press_people, agency, monkeypatch):
    item = capture(press_people["press"])
    at(monkeypatch, FRIDAY_4PM)
    (part,) = case_services.route_case(item.case, agency("都發局"), by=press_people["press"])
    # Nine working hours: 16:00–17:30 on Friday, then 7.5 hours from Monday's opening.
    assert part.due_at == dt.datetime(2026, 12, 7, 16, 0, tzinfo=TAIPEI)
    assert not part.is_overdue_at(dt.datetime(2026, 12, 7, 15, 59, tzinfo=TAIPEI))
    assert part.is_overdue_at(dt.datetime(2026, 12, 7, 16, 1, tzinfo=TAIPEI))


def test_administrators_change_the_hours(press_people, agency, monkeypatch):
    KindSetting.objects.create(kind="opinion_item", reply_days=1, reply_hours=4, reassign_days=1)
    item = capture(press_people["press"])
    at(monkeypatch, FRIDAY_4PM)
    (part,) = case_services.route_case(item.case, agency("都發局"), by=press_people["press"])
    assert part.due_at == dt.datetime(2026, 12, 7, 11, 0, tzinfo=TAIPEI)


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        # Routed in office hours: that day's closing.
        (FRIDAY_4PM, dt.datetime(2026, 12, 4, 17, 30, tzinfo=TAIPEI)),
        # After closing, or on a day off: the next working day's closing.
        (FRIDAY_6PM, dt.datetime(2026, 12, 7, 17, 30, tzinfo=TAIPEI)),
        (SATURDAY_NOON, dt.datetime(2026, 12, 7, 17, 30, tzinfo=TAIPEI)),
    ],
)
def test_a_major_item_is_due_the_same_working_day(press_people, agency, monkeypatch, moment, due):
    item = capture(press_people["press"], importance=Importance.MAJOR)
    at(monkeypatch, moment)
    lead, co = case_services.route_case(
        item.case, agency("都發局"), [agency("警察局")], by=press_people["press"]
    )
    assert lead.due_at == due and co.due_at == due


def test_escalation_to_major_tells_the_press_officers_at_once(press_people, agency):
    item = capture(press_people["press"])
    case_services.route_case(
        item.case, agency("都發局"), [agency("警察局")], by=press_people["press"]
    )
    mail.outbox.clear()
    Notification.objects.all().delete()
    services.escalate_item(item, by=press_people["press"])
    item.refresh_from_db()
    assert item.importance == Importance.MAJOR and item.escalated_at is not None
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    # The agencies holding a part and the Secretariat (the escalating officer excepted);
    # not 交通局, which holds no part.
    assert told == {"udd-press", "police-press"}
    assert all(n.title.startswith("【重大輿情】") for n in Notification.objects.all())
    with pytest.raises(PermissionDenied):
        services.escalate_item(item, by=press_people["udd_press"])


def test_an_agency_answers_its_press_officer_approves_and_records_the_clarification(
    press_people, agency
):
    item = capture(press_people["press"])
    (part,) = case_services.route_case(item.case, agency("都發局"), by=press_people["press"])
    # The press officer hears of the new item (the kind's notify_roles).
    assert Notification.objects.filter(recipient=press_people["udd_press"]).exists()
    case_services.draft_reply(part, "抽籤全程錄影並公告。", by=press_people["udd_officer"])
    with pytest.raises(DomainError):
        services.record_clarification(item, part, published=True, by=press_people["udd_press"])
    case_services.approve_reply(part, by=press_people["udd_press"])
    part.refresh_from_db()
    assert part.status == case_selectors.AssignmentStatus.REPLIED
    with pytest.raises(PermissionDenied):
        services.record_clarification(item, part, published=True, by=press_people["udd_officer"])
    clarification = services.record_clarification(
        item, part, published=True, link="https://udd.example/news/1", by=press_people["udd_press"]
    )
    assert clarification.published and clarification.published_on == timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.record_clarification(item, part, published=False, by=press_people["police_press"])


def test_each_agency_sees_only_the_items_it_holds(press_people, agency):
    mine = capture(press_people["press"])
    theirs = capture(press_people["press"], link="https://news.example/2")
    case_services.route_case(mine.case, agency("都發局"), by=press_people["press"])
    case_services.route_case(theirs.case, agency("警察局"), by=press_people["press"])
    assert list(selectors.opinion_items_for(press_people["udd_press"])) == [mine]
    assert set(selectors.opinion_items_for(press_people["press"])) == {mine, theirs}
    assert selectors.opinion_item_for(press_people["udd_officer"], theirs.case.number) is None


def test_the_case_page_shows_the_items_facts(press_people):
    item = capture(press_people["press"])
    facts = dict((label, text) for label, text, _ in selectors.opinion_facts(item.case))
    assert facts["媒體來源"] == "臺北日報" and facts["傾向"] == "負面"
