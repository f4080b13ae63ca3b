"""檔案應用 and 數位化 in a browser: a citizen applies on a phone to read and copy records by
檔號 (without signing in) and gets the application's number; the Secretariat's archivist
decides (a 不開放 record must be refused with a ground of 檔案法 §18); an agency's archivist
records a scanning batch and a colleague passes its quality check. axe-core (WCAG 2.1 AA) on
every page; no page scrolls sideways at phone width."""

from __future__ import annotations

import pytest

from secretariat.archives.models import (
    Access,
    DigitizationBatch,
    FilingStatus,
    Item,
    Quality,
    UseApplication,
)
from tests.e2e.conftest import assert_accessible, login, logout

PHONE = {"width": 360, "height": 740}


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways at phone width by {overflow}px"


@pytest.fixture
def records(agency):
    secretariat = agency("秘書處")

    def filed(code, title, access=Access.OPEN):
        return Item.objects.create(
            agency=secretariat,
            title=title,
            retention=999,
            access=access,
            filing=FilingStatus.FILED,
            file_code=code,
        )

    return (
        filed("114-0101-001-001-000001", "本府施政計畫"),
        filed("114-0101-001-001-000002", "人事甄審紀錄", Access.CLOSED),
    )


def test_citizen_applies_and_the_archivist_decides(page, make_person, agency, records):
    open_record, closed_record = records
    make_person("sec-arch", "秘書處", "archivist", display_name="馬檔管")
    page.set_viewport_size(PHONE)
    page.goto("/archives/use/apply/")
    assert page.get_by_role("heading", name="申請應用檔案（閱覽、抄錄、複製）").is_visible()
    assert_accessible(page)
    no_sideways_scroll(page)
    page.get_by_label("檔案管有機關").select_option(str(agency("秘書處").pk))
    page.get_by_label("申請人姓名").fill("林小姐")
    page.get_by_label("電子郵件").fill("lin@example.test")
    page.get_by_label("申請目的").fill("研究本府施政計畫之沿革")
    page.get_by_label("第1項 檔號").fill(open_record.file_code)
    page.get_by_label("第1項 應用方式").select_option("copy")
    page.get_by_label("第1項 複製張數").fill("4")
    page.get_by_label("第2項 檔號").fill("114-0101-009-001-000001")
    page.get_by_role("button", name="送出申請").click()
    assert page.get_by_text("查無檔號").is_visible()  # the bad row named, nothing saved
    assert not UseApplication.objects.exists()
    assert_accessible(page)
    page.get_by_label("第2項 檔號").fill(closed_record.file_code)
    page.get_by_role("button", name="送出申請").click()
    assert page.get_by_role("heading", name="檔案應用申請已送出").is_visible()
    number = page.locator("#application-number").inner_text()
    assert number == UseApplication.objects.get().number
    assert_accessible(page)
    no_sideways_scroll(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "sec-arch")
    page.goto("/archives/use/")
    page.get_by_role("link", name=f"{number} 林小姐").click()
    assert_accessible(page)
    page.get_by_label(f"{open_record.file_code} 准駁結果").select_option("approved")
    page.get_by_label(f"{closed_record.file_code} 准駁結果").select_option("approved")
    page.get_by_role("button", name="送出准駁").click()
    assert page.get_by_text("列為不開放，應駁回並敘明法定理由").is_visible()
    assert_accessible(page)
    page.get_by_label(f"{closed_record.file_code} 准駁結果").select_option("refused")
    page.get_by_label(f"{closed_record.file_code} 駁回理由（檔案法第18條）").select_option(
        "personnel"
    )
    page.get_by_role("button", name="送出准駁").click()
    assert "已准駁" in page.locator("#application-status").inner_text()
    assert "8 元" in page.locator("#application-status").inner_text()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)


def test_archivist_records_a_batch_and_a_colleague_checks_it(page, make_person):
    make_person("udd-arch", "都發局", "archivist")
    make_person("udd-arch2", "都發局", "archivist")
    login(page, "udd-arch")
    page.goto("/archives/digitization/")
    assert_accessible(page)
    page.get_by_label("年度（民國）").fill("114")
    page.get_by_label("專案名稱").fill("永久保存紙本檔案數位化")
    page.get_by_label("應數位化件數").fill("2000")
    page.get_by_role("button", name="建立專案").click()
    assert page.get_by_role("heading", name="都發局 114年 永久保存紙本檔案數位化").is_visible()
    page.get_by_label("掃描日期").fill("114/03/03")
    page.get_by_label("件數").fill("500")
    page.get_by_label("影像頁數").fill("7200")
    page.get_by_role("button", name="登錄批次").click()
    assert page.get_by_text("待品質檢查").first.is_visible()
    assert_accessible(page)
    logout(page)

    login(page, "udd-arch2")
    page.goto(f"/archives/digitization/{DigitizationBatch.objects.get().project_id}/")
    page.get_by_label("合格").check()
    page.get_by_role("button", name="送出檢查結果").click()
    assert page.locator(".batch-quality").first.inner_text() == "合格"
    assert DigitizationBatch.objects.get().quality == Quality.PASSED
    assert "25.00%" in page.content()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    for path in ("/archives/digitization/", "/archives/use/", "/archives/inspections/"):
        page.goto(path)
        assert_accessible(page)
        no_sideways_scroll(page)
