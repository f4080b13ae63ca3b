"""Issue 21 acceptance in a browser: an agency submits an item (a file too large is refused
beside the field) → the Secretariat accepts it, approves the agenda and sends the notice → a
member signs in → the minutes are drafted from a transcript, reviewed by the agency, approved
by the chair's office → a directive is routed, reported on, and closed by 研考會 (a closure
without a reason refused first). The presentation page on a phone and on a projector. Every
page passes axe-core (WCAG 2.1 AA, no violation of any impact) and the CSP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from secretariat.core.models import AgencyKind
from secretariat.meetings import services
from secretariat.meetings.demo import TRANSCRIPT
from tests.e2e.conftest import assert_accessible, login, logout

PDF = b"%PDF-1.7\n" + b"0" * 2048


@pytest.fixture
def meeting(make_person, agency):
    staff = make_person("sec-council", "秘書處", "council_liaison", display_name="趙議事")
    make_person("udd-officer", "都發局", "case_officer", display_name="黃承辦")
    make_person("udd-head", "都發局", "head", display_name="周局長", job_title="局長")
    make_person("mayor-office", "市長室", "supervisor", display_name="孫主任")
    make_person("rdec-officer", "研考會", "rdec_officer", display_name="錢研考")
    series = services.create_series(
        code="city-council",
        name="市政會議",
        chair_title="市長",
        chair_agency=agency("市長室"),
        default_place="市政大樓11樓市政會議室",
        is_open=True,
        by=staff,
    )
    services.add_seat(
        series, label="各一級機關首長", agency_kind=AgencyKind.FIRST_LEVEL, role="head", by=staff
    )
    today = timezone.localdate()
    deadline = timezone.make_aware(dt.datetime.combine(today, dt.time(23, 59)))
    return services.schedule_meeting(
        series, held_on=today, number=2400, submission_deadline=deadline, by=staff
    )


def _go(page, meeting) -> None:
    page.get_by_role("navigation", name="功能模組").get_by_role("link", name="府級會議").click()
    page.get_by_role("link", name=meeting.title).first.click()


def test_item_to_agenda_sign_in_minutes_and_a_directive_closed_by_rdec(
    page, meeting, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.MEETING_ATTACHMENT_MAX_BYTES = 1024

    # An agency submits an item; a file too large is refused beside the field.
    login(page, "udd-officer")
    _go(page, meeting)
    assert_accessible(page)
    page.get_by_label("議案類別").select_option(label="報告案")
    page.get_by_label("案由").fill("社會住宅興建進度報告")
    page.get_by_label("說明").fill("北投區兩處社會住宅基地發包及動工時程。")
    page.get_by_label("附件").set_input_files(
        files=[{"name": "簡報.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="送出提案").click()
    page.get_by_text("附件「簡報.pdf」超過 0 MB 的大小上限。").wait_for()
    assert_accessible(page)
    page.get_by_label("附件").set_input_files([])
    page.get_by_role("button", name="送出提案").click()
    page.get_by_text("已送出提案，待秘書處審查。").wait_for()
    logout(page)

    # The Secretariat accepts it, approves the agenda and sends the notice.
    login(page, "sec-council")
    _go(page, meeting)
    assert page.get_by_role("heading", name="提案審查").is_visible()
    page.get_by_role("button", name="排入議程").click()
    page.get_by_text("已更新議程。").wait_for()
    page.get_by_role("button", name="核定議程").click()
    page.get_by_text("已核定議程。").wait_for()
    page.get_by_role("button", name="發開會通知").click()
    page.get_by_text("已發開會通知（含行事曆邀請）。").wait_for()
    assert page.get_by_role("link", name="加入行事曆（iCalendar）").is_visible()
    assert_accessible(page)
    logout(page)

    # A member signs in.
    login(page, "udd-head")
    _go(page, meeting)
    page.get_by_role("button", name="簽到", exact=True).click()
    page.get_by_text("簽到完成。").wait_for()
    assert page.get_by_text("您已於").is_visible()
    assert_accessible(page)
    logout(page)

    # Minutes drafted from the transcript and sent for review.
    login(page, "sec-council")
    _go(page, meeting)
    page.get_by_role("button", name="登錄散會（開始草擬紀錄）").click()
    page.get_by_text("已登錄散會，請草擬會議紀錄。").wait_for()
    page.get_by_role("link", name="會議紀錄（草擬中）").click()
    page.get_by_label("逐字稿（UTF-8 文字檔 .txt）").set_input_files(
        files=[{"name": "逐字稿.txt", "mimeType": "text/plain", "buffer": TRANSCRIPT.encode()}]
    )
    page.get_by_role("button", name="產生草稿").click()
    page.get_by_text("已依逐字稿產生草稿，請逐案修訂。").wait_for()
    resolution = page.get_by_label("決議（裁示）內容")
    assert "請都發局於一個月內提出北投基地施工期間的交通維持計畫" in resolution.input_value()
    assert_accessible(page)
    page.get_by_role("button", name="送各機關核閱").click()
    page.get_by_text("已送各機關核閱。").wait_for()
    logout(page)

    # The presenting agency reviews; the chair's office approves.
    login(page, "udd-officer")
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    page.get_by_label("無意見").check()
    page.get_by_role("button", name="送出核閱").click()
    page.get_by_text("已完成核閱。").wait_for()
    logout(page)
    login(page, "sec-council")
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    page.get_by_role("button", name="送主席核定").click()
    page.get_by_text("已送主席核定。").wait_for()
    logout(page)
    login(page, "mayor-office")
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    assert_accessible(page)
    page.get_by_role("button", name="核定會議紀錄").click()
    page.get_by_text("已核定會議紀錄。").wait_for()
    logout(page)

    # The directive is routed (the draft's candidate, its agencies preselected).
    login(page, "sec-council")
    page.goto(f"/meetings/{meeting.pk}/minutes/")
    page.get_by_text("交辦列管（研考會追蹤）").click()
    assert_accessible(page)
    page.get_by_role("button", name="交辦列管").click()
    page.get_by_text("已交辦列管：裁").wait_for()
    page.get_by_role("button", name="公布會議紀錄").click()
    page.get_by_text("已公布會議紀錄。").wait_for()
    logout(page)

    # The agency reports progress on the engine's case page.
    login(page, "udd-officer")
    page.goto("/meetings/directives/")
    page.get_by_role("link", name="裁115000001").click()
    assert_accessible(page)
    page.get_by_role("link", name="前往案件頁辦理（進度報告、解除列管）").click()
    page.get_by_label("辦理情形").first.fill("已完成北投基地交通維持計畫，並會同警察局辦理。")
    page.get_by_role("button", name="送出進度報告").first.click()
    page.get_by_text("已填報進度。").wait_for()
    logout(page)

    # 研考會 closes it: without a reason first.
    login(page, "rdec-officer")
    page.get_by_role("navigation", name="功能模組").get_by_role("link", name="府級會議").click()
    page.get_by_role("link", name="裁示事項列管").click()
    assert_accessible(page)
    page.get_by_role("link", name="裁115000001").click()
    assert page.get_by_text("已完成北投基地交通維持計畫").is_visible()
    page.get_by_role("link", name="前往案件頁辦理（進度報告、解除列管）").click()
    page.get_by_role("button", name="解除列管").first.click()
    page.get_by_text("請說明解除列管理由。").first.wait_for()
    assert_accessible(page)
    page.get_by_label("解除列管理由").first.fill("交通維持計畫已核定並執行。")
    page.get_by_role("button", name="解除列管").first.click()
    page.get_by_text("解除列管：交通維持計畫已核定並執行。").wait_for()
    # The draft named 警察局 beside 都發局 (a co-agency): its part is released too.
    page.get_by_label("解除列管理由").first.fill("已配合完成交通疏導。")
    page.get_by_role("button", name="解除列管").first.click()
    page.get_by_text("解除列管：已配合完成交通疏導。").wait_for()
    page.goto("/meetings/directives/?status=released")
    assert page.get_by_role("link", name="裁115000001").is_visible()
    logout(page)

    # The public page shows the published minutes of the open series.
    page.goto(f"/meetings/public/{meeting.pk}/")
    assert page.get_by_role("heading", name="第2,400次市政會議紀錄").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    "viewport",
    [{"width": 375, "height": 812}, {"width": 1920, "height": 1080}],
    ids=["phone", "projector"],
)
def test_the_presentation_page_on_a_phone_and_a_projector(
    browser, live_server, page, meeting, agency, viewport
):
    from secretariat.core.models import User

    staff = User.objects.get(username="sec-council")
    for title, who in (("社會住宅興建進度報告", "都發局"), ("夜市周邊違規停車取締成效", "警察局")):
        services.propose_item(meeting, kind="report", title=title, agency=agency(who), by=staff)
    services.approve_agenda(meeting, by=staff)
    services.send_notice(meeting, by=staff)
    page.set_viewport_size(viewport)
    login(page, "udd-head")
    page.goto(f"/meetings/{meeting.pk}/present/")
    assert page.get_by_role("heading", name="社會住宅興建進度報告", level=1).is_visible()
    assert page.get_by_role("status").get_by_text("已簽到 0 人").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="下一案").click()
    assert page.get_by_role("heading", name="夜市周邊違規停車取締成效", level=1).is_visible()
    # Nothing spills sideways: the page is as wide as the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    assert_accessible(page)


def _visit_all(page, paths) -> None:
    """Each page at desktop width passes axe (best-practice rules too); at phone width nothing
    scrolls sideways."""
    for path in paths:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        assert_accessible(page, best_practice=True)
        page.set_viewport_size({"width": 360, "height": 740})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at phone width by {overflow}px"


def test_every_role_s_pages_pass_axe_and_fit_a_phone(page):
    from django.core.management import call_command

    from secretariat.meetings.models import Directive, Meeting, MeetingSeries

    call_command("demo", verbosity=0)
    held = Meeting.objects.filter(minutes__isnull=False).get()
    upcoming = Meeting.objects.get(status="planning")
    directive = Directive.objects.order_by("case__number").first().case.number
    series = [s.pk for s in MeetingSeries.objects.order_by("sort_order")[:2]]
    roles = {
        # The meeting staff: every page of the module.
        "sec-council": [
            "/meetings/",
            *(f"/meetings/series/{pk}/" for pk in series),
            f"/meetings/{held.pk}/",
            f"/meetings/{held.pk}/minutes/",
            f"/meetings/{held.pk}/present/",
            f"/meetings/{upcoming.pk}/",
            "/meetings/directives/",
            f"/meetings/directives/{directive}/",
        ],
        # An agency: proposing to the next meeting, its directives.
        "udd-officer": [
            f"/meetings/{upcoming.pk}/",
            "/meetings/directives/",
            f"/meetings/directives/{directive}/",
        ],
        # The chair's office: the minutes it approved; a member: the meeting.
        "mayor-office": [f"/meetings/{held.pk}/minutes/"],
        "police-head": ["/meetings/", f"/meetings/{held.pk}/"],
        # The tracking office.
        "rdec-officer": ["/meetings/directives/", f"/meetings/directives/{directive}/"],
    }
    for username, paths in roles.items():
        login(page, username, "taipei-demo-115")
        _visit_all(page, paths)
        logout(page)
    _visit_all(page, ["/meetings/public/", f"/meetings/public/{held.pk}/"])
