"""府會聯絡人 in a real browser: the Secretariat's 府會 staff appoints a liaison (after a refused
attempt shown beside its fields), creates a 座談會 that invites the liaisons in force, ticks
who attended and sees the rate; every page passes axe-core (WCAG 2.1 AA)."""

import datetime as dt

from django.utils import timezone

from secretariat.core import roc
from secretariat.council import services
from tests.e2e.conftest import assert_accessible, login


def test_appoint_a_liaison_hold_a_meeting_and_record_attendance(page, make_person, agency):
    desk = make_person("sec-council", "秘書處", "council_liaison", display_name="府會科")
    today = timezone.localdate()
    services.appoint_liaison(
        agency("警察局"),
        name="王聯絡",
        phone="02-2758-6000",
        start_on=today - dt.timedelta(days=30),
        by=desk,
    )
    login(page, "sec-council")
    page.get_by_role("navigation", name="功能模組").get_by_role("link", name="府會事務").click()
    page.get_by_role("link", name="府會聯絡人", exact=True).click()
    assert page.get_by_role("heading", name=f"{roc.format_date(today)}在任府會聯絡人").is_visible()
    assert page.get_by_role("cell", name="王聯絡").is_visible()
    assert_accessible(page)

    # Refused: the service's messages come back beside the fields.
    page.get_by_label("機關").select_option(label="都發局")
    page.get_by_label("派兼日").fill(roc.format_date(today, "slash"))
    page.get_by_role("button", name="派兼", exact=True).click()
    page.get_by_text("請填寫姓名。").wait_for()
    assert page.get_by_label("姓名").get_attribute("aria-invalid") == "true"
    assert page.get_by_text("請至少填寫電話、手機或電子郵件其中一項。").is_visible()
    assert_accessible(page)

    page.get_by_label("姓名").fill("張聯絡")
    page.get_by_label("職稱").fill("專門委員")
    page.get_by_label("電話").fill("02-2720-8889")
    page.get_by_role("button", name="派兼", exact=True).click()
    page.get_by_text(f"已派兼都發局府會聯絡人張聯絡（{roc.format_date(today)}起）。").wait_for()
    assert page.get_by_role("cell", name="張聯絡").is_visible()

    page.goto("/council/")
    page.get_by_role("link", name="府會聯絡人座談會與研習").click()
    assert_accessible(page)
    page.get_by_label("類別").select_option(label="座談會")
    page.get_by_label("名稱").fill("府會聯絡人座談會")
    page.get_by_label("日期").fill(roc.format_date(today, "slash"))
    page.get_by_label("地點").fill("市政大樓北區1樓")
    page.get_by_role("button", name="新增並邀請聯絡人").click()
    page.get_by_text("已建立「府會聯絡人座談會」，邀請2位府會聯絡人。").wait_for()
    assert page.get_by_role("heading", name="府會聯絡人座談會", level=1).is_visible()
    assert_accessible(page)

    page.get_by_label("都發局　張聯絡").check()
    page.get_by_role("button", name="儲存出席紀錄").click()
    page.get_by_text("已儲存出席紀錄。").wait_for()
    assert page.get_by_label("都發局　張聯絡").is_checked()
    assert not page.get_by_label("警察局　王聯絡").is_checked()
    assert page.locator("dl.facts").get_by_text("50%", exact=True).is_visible()

    page.get_by_role("link", name="回座談會與研習").click()
    row = page.get_by_role("row", name="府會聯絡人座談會")
    assert row.get_by_role("cell", name="50%").is_visible()
    assert page.get_by_text("平均出席率50%").is_visible()
    assert_accessible(page)
