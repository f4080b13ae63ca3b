"""檔案管理 in a real browser: a closed 公文 (歸檔 by its officer) is checked and filed by the
archivist; expired 案卷 go into a 銷毀目錄, the business unit agrees, the Secretariat's 初審
forwards it, another archivist records the national archives' approval, and the files are
destroyed with a 監毀 witness. Every page passes axe; nothing scrolls sideways on a phone."""

from __future__ import annotations

import datetime as dt

from secretariat.archives import services
from secretariat.archives.models import FilingStatus, Item, Level, RecordStatus, Retention
from tests.documents.flow import whole_path
from tests.e2e.conftest import assert_accessible, login, logout

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def fits_a_phone(page) -> None:
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways at phone width by {overflow}px"
    page.set_viewport_size(DESKTOP)


def checked(page) -> None:
    assert page.get_by_role("heading", level=1).count() == 1
    assert_accessible(page, best_practice=True)
    fits_a_phone(page)


def _scheme(agency, archivist) -> None:
    scheme = services.draft_scheme(agency, by=archivist)
    for code, name, level, parent, retention, disposal in (
        ("03", "事務管理", Level.CLASS, "", None, ""),
        ("0301", "節能管理", Level.SECTION, "03", Retention.Y10, "destroy"),
        ("0302", "車輛管理", Level.SECTION, "03", Retention.Y5, "destroy"),
    ):
        services.save_entry(
            scheme,
            by=archivist,
            code=code,
            name=name,
            level=level,
            parent_code=parent,
            retention=retention,
            disposal=disposal,
        )
    services.publish_scheme(scheme, by=archivist)


def _expired(agency) -> None:
    year = dt.date.today().year - 5
    services.import_catalogue(
        [
            services.CatalogueRecord(
                agency=agency,
                parts=(str(year - 1911), "0302", str(case), "1", "1"),
                folder_title=f"公務車輛保養紀錄{case}",
                location=("B1", "01", "3", "001"),
                shelf_metres=0.4,
                disposal="destroy",
                catalogued_on=dt.date(year, 3, 1),
                item={
                    "title": f"公務車輛保養紀錄第{case}件",
                    "produced_on": dt.date(year, 3, 1),
                    "retention": Retention.Y5,
                },
            )
            for case in (1, 2)
        ]
    )


def test_file_a_closed_document_then_destroy_expired_files_with_a_witness(
    page, office, make_person
):
    archivist = make_person("sec-arch", "秘書處", "archivist", display_name="馬檔管")
    second = make_person("sec-arch2", "秘書處", "archivist", display_name="溫檔管")
    _scheme(office.agency, archivist)
    _expired(office.agency)
    document = whole_path(office)  # 收文 … 發文, then 歸檔 by its officer
    item = Item.objects.get(document=document)
    assert item.filing == FilingStatus.PROPOSED

    # The officer proposes the 分類號 of the closed document.
    login(page, office.officer.username)
    page.goto("/archives/filing/")
    checked(page)
    page.get_by_role("link", name=document.number).click()
    page.locator("#propose-entry_code").fill("0301")
    page.get_by_role("button", name="擬定").click()
    page.locator(".msg-success").wait_for()

    # The archivist checks it: a new 案 under 0301, the 檔號 given.
    logout(page)
    login(page, archivist.username)
    page.goto("/archives/filing/")
    page.get_by_role("link", name=document.number).click()
    checked(page)
    page.locator("#check-topics").fill("節能")
    page.get_by_role("button", name="檢核並歸檔").click()
    page.locator(".msg-success").wait_for()
    item.refresh_from_db()
    assert item.filing == FilingStatus.FILED and item.file_code.endswith("-0301-001-001-000001")
    assert item.retention == Retention.Y10

    # 屆期 → 銷毀目錄
    page.goto("/archives/expiring/")
    checked(page)
    for box in page.get_by_role("checkbox").all():
        box.check()
    page.get_by_role("button", name="編製銷毀目錄").click()
    page.locator(".msg-success").wait_for()
    list_url = page.url
    checked(page)
    page.get_by_role("button", name="送業務單位表示意見").click()
    page.locator(".msg-success").wait_for()

    # The business unit agrees, row by row.
    logout(page)
    login(page, office.officer.username)
    page.goto(list_url)
    checked(page)
    for _ in range(2):
        form = page.locator("form", has=page.get_by_role("button", name="送出意見")).first
        form.get_by_label("同意銷毀").check()
        form.get_by_role("button", name="送出意見").click()
        page.locator(".msg-success").wait_for()

    # 報請核准 → the Secretariat's 初審 forwards it.
    logout(page)
    login(page, archivist.username)
    page.goto(list_url)
    page.get_by_role("button", name="報請核准（送秘書處初審）").click()
    page.locator(".msg-success").wait_for()
    assert page.get_by_text("登錄檔案管理局核准").count() == 0  # not the proposer's to record
    logout(page)
    login(page, second.username)
    page.goto("/archives/reviews/")
    checked(page)
    page.locator("#decide-decision").select_option(label="轉陳檔案管理局")
    page.locator("#decide-remarks").fill("目錄格式符合規定，轉陳。")
    page.get_by_role("button", name="送出審查結果").click()
    page.locator(".msg-success").wait_for()

    # Another archivist records the approval; the proposer destroys with a witness.
    page.goto(list_url)
    page.locator("#approval-approval_number").fill("檔徵字第1150000456號")
    page.locator("#approval-approved_on").fill(dt.date.today().strftime("%Y/%m/%d"))
    checked(page)
    page.get_by_role("button", name="登錄核准").click()
    page.locator(".msg-success").wait_for()
    logout(page)
    login(page, archivist.username)
    page.goto(list_url)
    page.locator("#destroy-destroyed_on").fill(dt.date.today().strftime("%Y/%m/%d"))
    page.locator("#destroy-witness").fill("政風室 王監毀")
    page.locator("#destroy-method").fill("碎紙")
    checked(page)
    page.get_by_role("button", name="登錄銷毀").click()
    page.locator(".msg-success").wait_for()
    assert page.locator("#list-status").inner_text() == "已銷毀"
    gone = Item.objects.filter(status=RecordStatus.DESTROYED)
    assert gone.count() == 2
    assert set(gone.values_list("disposal_number", flat=True)) == {"檔徵字第1150000456號"}
    # the filed document was not on the list
    item.refresh_from_db()
    assert item.status == RecordStatus.ACTIVE

    # The catalogue search finds the destroyed record with its approval number.
    page.goto("/archives/?code_prefix=&words=保養紀錄&level=item")
    checked(page)
    assert page.get_by_role("cell", name="已銷毀").count() == 2


def test_every_role_s_pages_pass_axe_and_fit_a_phone(page):
    from secretariat.archives.demo import DEMO_PASSWORD, load_demo
    from secretariat.archives.models import DestructionList, Folder

    load_demo()
    listing = DestructionList.objects.get()
    folder = Folder.objects.filter(agency=listing.agency).order_by("file_code").first()
    item = folder.items.order_by("item_no").first()
    roles = {
        "sec-archivist": [
            "/archives/",
            "/archives/?code_prefix=&words=工作報告&level=folder",
            f"/archives/folders/{folder.pk}/",
            f"/archives/items/{item.pk}/",
            "/archives/scheme/",
            "/archives/filing/",
            f"/archives/expiring/?year={dt.date.today().year - 1911 + 1}",
            "/archives/destruction/",
            f"/archives/destruction/{listing.pk}/",
            "/archives/transfers/",
            "/archives/export/",
        ],
        "sec-archivist2": ["/archives/reviews/"],
        "udd-archivist": ["/archives/", "/archives/reviews/", "/archives/scheme/"],
    }
    for username, paths in roles.items():
        login(page, username, DEMO_PASSWORD)
        for path in paths:
            page.goto(path)
            checked(page)
        logout(page)
