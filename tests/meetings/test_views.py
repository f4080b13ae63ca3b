"""The pages of every role: the meeting staff, an agency proposing, a member signing in, the
chair's office approving, 研考會 tracking, the public; refusals beside the fields; another
agency's meeting is a 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from secretariat.meetings import selectors, services
from secretariat.meetings.models import ItemStatus
from tests.meetings.conftest import pdf

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_agency_proposes_and_the_staff_decide_on_the_page(planning, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("meetings:meeting", args=[planning.pk])
    agency = client_for(people["udd_officer"])
    page = agency.get(url)
    assert page.status_code == 200 and "送出提案" in page.content.decode()
    refused = agency.post(url, {"step": "propose", "kind": "report", "title": ""})
    assert refused.status_code == 400 and "請填寫案由。" in refused.content.decode()
    done = agency.post(
        url,
        {"step": "propose", "kind": "report", "title": "社會住宅興建進度", "attachments": [pdf()]},
    )
    assert done.status_code == 302
    item = planning.items.get()
    assert item.status == ItemStatus.PROPOSED and item.attachments.count() == 1
    # Another agency does not see the proposal; the staff do, and accept it.
    assert "社會住宅興建進度" not in client_for(people["police_officer"]).get(url).content.decode()
    staff = client_for(people["staff"])
    assert staff.post(url, {"step": "accept", "item": item.pk}).status_code == 302
    assert staff.post(url, {"step": "approve"}).status_code == 302
    assert staff.post(url, {"step": "notice"}).status_code == 302
    planning.refresh_from_db()
    assert planning.status == "notified"
    # Now 警察局 is neither a member's agency's item holder nor presenting: its head is a member.
    assert client_for(people["police_head"]).get(url).status_code == 200
    assert client_for(people["dot_officer"]).get(url).status_code == 404
    ics = client_for(people["udd_head"]).get(reverse("meetings:invite_ics", args=[planning.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert Calendar.from_ical(ics.content).walk("VEVENT")[0]["SUMMARY"] == planning.title
    odt = staff.get(reverse("meetings:notice_odt", args=[planning.pk]))
    assert odt.status_code == 200 and odt.content.startswith(b"PK")
    attachment = item.attachments.get()
    download = client_for(people["police_head"]).get(
        reverse("meetings:attachment", args=[attachment.pk])
    )
    assert download.status_code == 200
    assert (
        client_for(people["dot_officer"])
        .get(reverse("meetings:attachment", args=[attachment.pk]))
        .status_code
        == 404
    )


def test_a_member_signs_in_on_the_page_and_the_presentation_shows_the_agenda(today_meeting, people):
    url = reverse("meetings:meeting", args=[today_meeting.pk])
    member = client_for(people["udd_head"])
    assert "簽到" in member.get(url).content.decode()
    assert member.post(url, {"step": "sign_in"}).status_code == 302
    assert "您已於" in member.get(url).content.decode()
    substitute = client_for(people["police_officer"])
    page = substitute.get(url).content.decode()
    assert "代理出席的成員" in page
    assert (
        substitute.post(url, {"step": "substitute", "member": people["police_head"].pk}).status_code
        == 302
    )
    present = member.get(reverse("meetings:present", args=[today_meeting.pk]) + "?item=2")
    body = present.content.decode()
    assert (
        present.status_code == 200 and "夜市周邊違規停車取締成效" in body and "已簽到 2 人" in body
    )
    count = member.get(reverse("meetings:present_count", args=[today_meeting.pk]))
    assert "已簽到 2 人" in count.content.decode()
    assert (
        client_for(people["dot_officer"])
        .get(reverse("meetings:present", args=[today_meeting.pk]))
        .status_code
        == 404
    )


def test_minutes_pages_for_staff_reviewers_and_the_chair(today_meeting, people):
    staff = client_for(people["staff"])
    url = reverse("meetings:meeting", args=[today_meeting.pk])
    staff.post(url, {"step": "close"})
    minutes_url = reverse("meetings:minutes", args=[today_meeting.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    from secretariat.meetings.demo import TRANSCRIPT

    bad = staff.post(
        minutes_url,
        {
            "step": "transcript",
            "transcript": SimpleUploadedFile("t.txt", "主席：好".encode("big5")),
        },
    )
    assert (
        bad.status_code == 400
        and "附件「t.txt」的內容不是UTF-8 文字檔，與副檔名不符。" in bad.content.decode()
    )
    upload = SimpleUploadedFile("逐字稿.txt", TRANSCRIPT.encode())
    assert staff.post(minutes_url, {"step": "transcript", "transcript": upload}).status_code == 302
    assert "請都發局於一個月內提出北投基地" in staff.get(minutes_url).content.decode()
    assert staff.post(minutes_url, {"step": "review_start"}).status_code == 302
    reviewer = client_for(people["udd_officer"])
    page = reviewer.get(minutes_url).content.decode()
    assert "社會住宅興建進度報告" in page and "夜市周邊" not in page
    entry = selectors.entries(today_meeting.minutes).get(item__agency__code="udd")
    refused = reviewer.post(minutes_url, {"step": "review", "entry": entry.pk, "comment": ""})
    assert (
        refused.status_code == 400
        and "請填寫修正意見，或勾選「無意見」。" in refused.content.decode()
    )
    assert (
        reviewer.post(
            minutes_url, {"step": "review", "entry": entry.pk, "confirmed": "on"}
        ).status_code
        == 302
    )
    other = selectors.entries(today_meeting.minutes).get(item__agency__code="police")
    services.review_entry(other, confirmed=True, by=people["police_officer"])
    assert staff.post(minutes_url, {"step": "submit"}).status_code == 302
    chair = client_for(people["mayor_office"])
    assert "核定會議紀錄" in chair.get(minutes_url).content.decode()
    assert chair.post(minutes_url, {"step": "approve"}).status_code == 302
    directive = staff.post(
        minutes_url,
        {
            "step": "directive",
            "entry": entry.pk,
            "text": "",
            "lead": people["udd_head"].agency_id,
            "resolution_kind": "directive",
        },
    )
    assert directive.status_code == 400 and "請填寫內容。" in directive.content.decode()
    ok = staff.post(
        minutes_url,
        {
            "step": "directive",
            "entry": entry.pk,
            "text": "請都發局提出計畫。",
            "lead": people["udd_head"].agency_id,
            "resolution_kind": "directive",
        },
    )
    assert ok.status_code == 302
    listed = client_for(people["rdec"]).get(reverse("meetings:directives")).content.decode()
    assert "請都發局提出計畫。" in listed
    (directive_row,) = selectors.directives_for(people["rdec"])
    detail = client_for(people["rdec"]).get(
        reverse("meetings:directive", args=[directive_row.case.number])
    )
    assert detail.status_code == 200 and "前往案件頁辦理" in detail.content.decode()
    assert (
        client_for(people["dot_officer"])
        .get(reverse("meetings:directive", args=[directive_row.case.number]))
        .status_code
        == 404
    )
    assert staff.post(minutes_url, {"step": "publish"}).status_code == 302
    assert (
        Client().get(reverse("meetings:public_meeting", args=[today_meeting.pk])).status_code == 200
    )
    assert staff.get(reverse("meetings:minutes_odt", args=[today_meeting.pk])).content.startswith(
        b"PK"
    )


def test_home_and_series_pages(council, people):
    staff = client_for(people["staff"])
    home = staff.get(reverse("meetings:home"))
    assert home.status_code == 200 and "召開會議" in home.content.decode()
    refused = staff.post(reverse("meetings:home"), {"series": council.pk, "held_on": "115/13/40"})
    assert refused.status_code == 400
    assert (
        "新增會議系列"
        not in client_for(people["udd_officer"]).get(reverse("meetings:home")).content.decode()
    )
    series = staff.get(reverse("meetings:series", args=[council.pk])).content.decode()
    assert "各一級機關首長" in series and "周局長" in series
    bad_seat = staff.post(
        reverse("meetings:series", args=[council.pk]), {"step": "seat", "label": "新席次"}
    )
    assert bad_seat.status_code == 400 and "請指定一個機關" in bad_seat.content.decode()
    assert (
        client_for(people["udd_officer"])
        .post(reverse("meetings:series", args=[council.pk]), {"step": "seat"})
        .status_code
        == 403
    )
    assert Client().get(reverse("meetings:public")).status_code == 200


def test_the_staff_add_a_series_on_the_home_page(council, people):
    staff = client_for(people["staff"])
    home = reverse("meetings:home")
    mayor_office = council.chair_agency
    fields = {
        "step": "series",
        "name": "青年事務委員會",
        "code": "Youth Committee",
        "chair_title": "副市長",
        "chair_agency": mayor_office.pk,
        "submission_days": "5",
    }
    refused = staff.post(home, fields)
    assert refused.status_code == 400
    assert "代號須為1至40個英文小寫字母、數字或連字號" in refused.content.decode()
    assert not selectors.series_list().filter(name="青年事務委員會").exists()
    again = staff.post(home, {**fields, "code": "city-council", "name": "市政會議"})
    page = again.content.decode()
    assert again.status_code == 400 and "代號「city-council」已使用。" in page
    assert "已有「市政會議」。" in page
    done = staff.post(home, {**fields, "code": "youth-committee"})
    series = selectors.series_list().get(code="youth-committee")
    assert done.status_code == 302 and done["Location"] == reverse(
        "meetings:series", args=[series.pk]
    )
    assert (series.chair_title, series.chair_agency, series.submission_days) == (
        "副市長",
        mayor_office,
        5,
    )
    # Nobody else adds one: the form is the staff's, and the service refuses anyone else.
    assert client_for(people["udd_officer"]).post(home, fields).status_code == 403
