"""Minutes: drafted (with the assistance from a transcript), reviewed by the presenting
agencies, approved by the chair's office, published to the members and, for an open series,
the public."""

from __future__ import annotations

import pytest

from secretariat.core.errors import DomainError
from secretariat.meetings import selectors, services
from secretariat.meetings.demo import TRANSCRIPT
from secretariat.meetings.models import MinutesStatus, ReviewStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def minutes(today_meeting, people):
    services.sign_in(today_meeting, by=people["udd_head"])
    return services.close_meeting(today_meeting, by=people["staff"])


def test_a_draft_from_the_transcript_fills_every_item(minutes, people):
    services.draft_from_transcript(minutes, TRANSCRIPT, name="逐字稿.txt", by=people["staff"])
    housing, parking = list(selectors.entries(minutes))
    assert housing.speakers == "主席、都發局周局長、警察局褚局長"
    assert "預計明年第二季動工" in housing.report
    assert (
        housing.resolution
        == "請都發局於一個月內提出北投基地施工期間的交通維持計畫，並會同警察局辦理。"
    )
    assert housing.candidates == [{"text": housing.resolution, "agencies": ["udd", "police"]}]
    assert parking.candidates[0]["agencies"] == ["dot"]
    assert "洽悉" in parking.resolution and housing.draft
    minutes.refresh_from_db()
    assert minutes.assisted and minutes.transcript_name == "逐字稿.txt"


def test_review_approval_and_publication(minutes, people, client):
    staff = people["staff"]
    with pytest.raises(DomainError) as empty:
        services.send_for_review(minutes, by=staff)
    assert empty.value.code == "no_resolution"
    for entry in selectors.entries(minutes):
        services.update_entry(
            entry, report="報告", resolution="洽悉。", resolution_kind="resolution", by=staff
        )
    services.send_for_review(minutes, by=staff)
    minutes.refresh_from_db()
    housing, parking = list(selectors.entries(minutes))
    # Each agency reads only its own items while under review; others see nothing.
    assert selectors.minutes_for(people["udd_officer"], minutes.meeting) is not None
    assert list(selectors.visible_entries(people["udd_officer"], minutes)) == [housing]
    assert selectors.minutes_for(people["dot_officer"], minutes.meeting) is None
    with pytest.raises(DomainError) as no_comment:
        services.review_entry(housing, confirmed=False, comment="", by=people["udd_officer"])
    assert no_comment.value.fields == {"comment": ["請填寫修正意見，或勾選「無意見」。"]}
    with pytest.raises(DomainError) as not_theirs:
        services.review_entry(parking, confirmed=True, by=people["udd_officer"])
    assert not_theirs.value.status == 403
    services.review_entry(
        housing, confirmed=False, comment="請補充動工時程。", by=people["udd_officer"]
    )
    with pytest.raises(DomainError) as pending:
        services.submit_minutes(minutes, by=staff)
    assert pending.value.message == "尚有機關未完成核閱：警察局。"
    services.review_entry(parking, confirmed=True, by=people["police_officer"])
    housing.review.refresh_from_db()
    assert housing.review.status == ReviewStatus.COMMENTED
    services.submit_minutes(minutes, by=staff)
    with pytest.raises(DomainError) as not_chair:
        services.approve_minutes(minutes, by=people["udd_head"])
    assert not_chair.value.message == "只有市長室的主管或首長可以核定會議紀錄。"
    with pytest.raises(DomainError) as no_reason:
        services.return_minutes(minutes, "", by=people["mayor_office"])
    assert no_reason.value.fields == {"reason": ["請說明退回修正的理由。"]}
    services.approve_minutes(minutes, by=people["mayor_office"])
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    assert not selectors.public_meetings().exists()
    services.publish_minutes(minutes, by=staff)
    assert list(selectors.public_meetings()) == [minutes.meeting]
    assert people["police_head"].notifications.filter(title__startswith="會議紀錄公布").exists()
    page = client.get(f"/meetings/public/{minutes.meeting.pk}/")
    assert page.status_code == 200 and "洽悉。" in page.content.decode()


def test_a_closed_meeting_is_not_notified_again(minutes, people):
    with pytest.raises(DomainError) as refused:
        services.send_notice(minutes.meeting, by=people["staff"])
    assert refused.value.code == "illegal_transition"
