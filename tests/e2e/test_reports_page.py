"""工作報告 in a browser: a Secretariat officer reads the half-year report on the page, then asks
for the ODT; the progress bar runs while the worker makes it, the download link appears and
the downloaded file is opened and read. axe-checked on the way."""

from __future__ import annotations

import datetime as dt

import pytest
from odf import teletype
from odf.opendocument import load

from secretariat.cases import services as case_services
from secretariat.petitions import services as petition_services
from tests.core.test_jobs import run_worker
from tests.e2e.conftest import assert_accessible, login


@pytest.fixture
def petitions(make_person, agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_person("sec-officer", "秘書處", "service_desk", display_name="秘書處同仁")
    clerk = make_person("sec-clerk", "秘書處", "registry_clerk")
    for lead, day in (("都發局", 6), ("都發局", 7), ("警察局", 8)):
        receipt = petition_services.submit_petition(
            channel="letter",
            subject="人行道破損",
            body="請儘速修復。",
            requester={"name": "王小明"},
            received_on=dt.date(2025, 1, day),
            by=clerk,
        )
        case_services.route_case(
            receipt.petition.case, agency(lead), by=clerk, on=dt.date(2025, 1, day)
        )


@pytest.mark.usefixtures("petitions")
def test_read_the_report_then_download_the_odt(page, tmp_path):
    login(page, "sec-officer")
    page.get_by_role("navigation", name="功能模組").get_by_role("link", name="工作報告").click()
    page.get_by_label("期間").fill("114年上半年")
    page.get_by_role("button", name="產製報告").click()  # 網頁 is the default format
    page.get_by_role("heading", name="臺北市政府秘書處工作報告").wait_for()
    assert page.get_by_text("114年上半年受理案件計3件，詳如下表：").is_visible()
    assert page.get_by_role("img", name="市民送交市長之陳情案件受理件數", exact=False).is_visible()
    assert_accessible(page)

    page.get_by_label("格式").select_option(label="文書檔（ODT，可編輯）")
    page.get_by_role("button", name="產製報告").click()
    bar = page.get_by_role("progressbar", name="產製進度")
    bar.wait_for()
    assert page.get_by_text("排隊等待中").is_visible()
    assert_accessible(page)

    run_worker()  # the background job, while the page keeps polling

    link = page.get_by_role("link", name="下載114年上半年工作報告（ODT）")
    link.wait_for(timeout=10_000)
    assert page.get_by_text("已完成", exact=True).is_visible()
    assert bar.get_attribute("value") == bar.get_attribute("max")
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "臺北市政府秘書處工作報告（114年上半年）.odt"
    target = tmp_path / "report.odt"
    download.value.save_as(target)
    document = load(str(target))
    lines = [teletype.extractText(node) for node in document.text.childNodes]
    assert lines[:2] == ["臺北市政府秘書處工作報告", "114年1月1日至6月30日（以下簡稱114年上半年）"]
    assert "114年上半年受理案件計3件，詳如下表：" in lines
