"""Agencies propose items by the deadline (with files); the Secretariat accepts, returns or
defers them and approves the agenda. The bad inputs of the issue — an item after the
deadline, an attachment too large — are refused with a zh-Hant message naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from secretariat.core import roc
from secretariat.core.errors import DomainError
from secretariat.meetings import services
from secretariat.meetings.models import ItemStatus, MeetingStatus
from tests.meetings.conftest import next_working_day, pdf

pytestmark = pytest.mark.django_db


def test_the_deadline_is_working_days_before_at_five(council, people):
    day = next_working_day(timezone.localdate(), 10)
    meeting = services.schedule_meeting(council, held_on=day, by=people["staff"])
    deadline = timezone.localtime(meeting.submission_deadline)
    assert deadline.time() == dt.time(17, 0)
    assert services.working_days_before(day, 3) == deadline.date()
    assert meeting.title == f"{roc.format_date(day)}市政會議"
    assert meeting.place == "市政大樓11樓市政會議室"


def test_an_agency_proposes_with_files_and_the_secretariat_decides(
    planning, people, agency, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    item = services.propose_item(
        planning,
        kind="report",
        title="社會住宅興建進度報告",
        summary="北投區基地。",
        agency=agency("都發局"),
        attachments=[pdf()],
        by=people["udd_officer"],
    )
    assert item.status == ItemStatus.PROPOSED and item.attachments.count() == 1
    planning.refresh_from_db()
    assert planning.report_items == 0  # proposals are not on the agenda yet
    services.accept_item(item, by=people["staff"])
    planning.refresh_from_db()
    assert planning.report_items == 1
    other = services.propose_item(
        planning,
        kind="discussion",
        title="夜市停車",
        agency=agency("警察局"),
        by=people["police_officer"],
    )
    with pytest.raises(DomainError) as pending:
        services.approve_agenda(planning, by=people["staff"])
    assert pending.value.message == "尚有1件提案未審查：警察局「夜市停車」。"
    with pytest.raises(DomainError) as no_reason:
        services.return_item(other, "  ", by=people["staff"])
    assert no_reason.value.fields == {"reason": ["請說明退回理由。"]}
    services.return_item(other, "請併下次會議報告。", by=people["staff"])
    services.approve_agenda(planning, by=people["staff"])
    planning.refresh_from_db()
    assert planning.status == MeetingStatus.AGENDA_APPROVED
    with pytest.raises(DomainError):
        services.propose_item(
            planning, kind="report", title="再提", agency=agency("都發局"), by=people["udd_officer"]
        )


def test_an_item_after_the_deadline_is_refused(planning, people, agency):
    planning.submission_deadline = timezone.now() - dt.timedelta(minutes=1)
    planning.save()
    with pytest.raises(DomainError) as late:
        services.propose_item(
            planning,
            kind="report",
            title="遲到的提案",
            agency=agency("都發局"),
            by=people["udd_officer"],
        )
    assert late.value.code == "after_deadline"
    expected = (
        f"提案已於{roc.format_datetime(planning.submission_deadline)}截止，無法再提案；"
        "如有急要事項，請洽秘書處議事人員。"
    )
    assert late.value.fields == {"title": [expected]}
    # The Secretariat may still put an urgent item on the agenda.
    item = services.propose_item(
        planning, kind="motion", title="颱風整備", agency=agency("工務局"), by=people["staff"]
    )
    assert item.status == ItemStatus.ACCEPTED


def test_an_attachment_too_large_or_not_what_it_says_is_refused(
    planning, people, agency, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.MEETING_ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(DomainError) as large:
        services.propose_item(
            planning,
            kind="report",
            title="附件過大",
            agency=agency("都發局"),
            attachments=[pdf("大簡報.pdf", size=1024 * 1024 + 1)],
            by=people["udd_officer"],
        )
    assert large.value.fields["attachments"] == ["附件「大簡報.pdf」超過 1 MB 的大小上限。"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("簡報.pptx", b"MZ\x90\x00not a presentation")
    with pytest.raises(DomainError) as wrong:
        services.propose_item(
            planning,
            kind="report",
            title="假簡報",
            agency=agency("都發局"),
            attachments=[fake],
            by=people["udd_officer"],
        )
    assert wrong.value.fields["attachments"] == [
        "附件「簡報.pptx」的內容不是PowerPoint 簡報（PPTX），與副檔名不符。"
    ]
    assert not planning.items.exists()


def test_who_proposes_what(planning, people, agency):
    with pytest.raises(DomainError) as other_agency:
        services.propose_item(
            planning, kind="report", title="越權", agency=agency("警察局"), by=people["udd_officer"]
        )
    assert other_agency.value.status == 403
    with pytest.raises(DomainError) as lecture:
        services.propose_item(
            planning,
            kind="lecture",
            title="演講",
            agency=agency("都發局"),
            by=people["udd_officer"],
        )
    assert lecture.value.fields["kind"] == [
        "機關提案限報告案或討論案；專題演講及臨時動議由秘書處安排。"
    ]
    with pytest.raises(DomainError) as speaker:
        services.propose_item(
            planning, kind="lecture", title="AI與城市", agency=agency("秘書處"), by=people["staff"]
        )
    assert speaker.value.fields == {"speaker": ["專題演講請填寫講者。"]}
    with pytest.raises(DomainError) as control:
        services.propose_item(
            planning,
            kind="report",
            title="標題\x1b",
            agency=agency("都發局"),
            by=people["udd_officer"],
        )
    assert "title" in control.value.fields


def test_defer_moves_an_item_to_a_later_meeting(planning, council, people, agency):
    later = services.schedule_meeting(
        council, held_on=next_working_day(planning.held_on, 5), by=people["staff"]
    )
    item = services.propose_item(
        planning, kind="report", title="緩議案", agency=agency("都發局"), by=people["udd_officer"]
    )
    with pytest.raises(DomainError) as wrong:
        services.defer_item(item, planning, "理由", by=people["staff"])
    assert wrong.value.fields == {"to": ["請選擇同一會議系列、日期較晚的會議。"]}
    services.defer_item(item, later, "資料尚未齊備", by=people["staff"])
    item.refresh_from_db()
    assert (item.meeting, item.deferred_from, item.status) == (later, planning, ItemStatus.PROPOSED)


def test_the_agenda_order_moves(planning, people, agency):
    staff = people["staff"]
    first = services.propose_item(
        planning, kind="report", title="甲", agency=agency("都發局"), by=staff
    )
    second = services.propose_item(
        planning, kind="report", title="乙", agency=agency("警察局"), by=staff
    )
    services.move_item(second, -1, by=staff)
    assert [i.title for i in planning.items.order_by("order")] == ["乙", "甲"]
    services.move_item(first, 1, by=staff)  # already last: nothing moves
    assert [i.title for i in planning.items.order_by("order")] == ["乙", "甲"]
