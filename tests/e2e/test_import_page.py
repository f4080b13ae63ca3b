"""資料匯入 in a real browser: an administrator uploads a file with mistakes and sees every
problem in a table once the background job has checked it (nothing imported), then uploads the
example file and sees the counts; the page polls the job's progress (htmx). Every state passes
axe-core (WCAG 2.1 AA)."""

from pathlib import Path

from django.core.management import call_command

from secretariat.cases.models import Case
from tests.e2e.conftest import assert_accessible, login

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "import" / "petitions.csv"
BAD = (
    "案號,收件日期,主旨,主辦機關\n"
    "陳114000001,114/03/03,路燈不亮,工務局\n"
    "陳114000002,114/13/01,人行道破損,火星局\n"
).encode()


def run_worker() -> None:
    call_command(
        "worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*",
        verbosity=0,
    )  # fmt: skip


def upload(page, name: str, data: bytes) -> None:
    page.get_by_label("匯入類型").select_option(label="人民陳情")
    page.get_by_label("檔案").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="上傳並匯入").click()
    page.get_by_role("heading", name="資料匯入：人民陳情").wait_for()


def test_upload_see_problems_then_import(page, make_person):
    make_person("admin", "秘書處", "system_admin", display_name="王系統")
    login(page, "admin")
    page.get_by_role("navigation", name="功能模組").get_by_role("link", name="資料匯入").click()
    page.get_by_role("heading", name="資料匯入", exact=True).wait_for()
    page.get_by_text("人民陳情（指令：").click()  # open the format of petitions
    assert page.get_by_role("cell", name="協辦回復日期").is_visible()
    assert_accessible(page)

    upload(page, "bad.csv", BAD)
    assert page.get_by_text("排隊等待中").is_visible()
    assert page.get_by_role("progressbar", name="匯入進度").is_visible()
    assert_accessible(page)
    run_worker()
    page.get_by_text("資料有誤，未匯入任何資料：共 2 個問題。").wait_for()
    table = page.get_by_role("table", name="檔案中的問題（列號同試算表，第1列為標題列）")
    assert table.get_by_role("row").nth(1).inner_text().split("\t")[:2] == ["第3列", "收件日期"]
    assert table.get_by_role("cell", name="找不到機關「火星局」", exact=False).is_visible()
    assert not Case.objects.exists()
    assert_accessible(page)

    page.get_by_role("link", name="回資料匯入").click()
    upload(page, "petitions.csv", EXAMPLE.read_bytes())
    run_worker()
    page.get_by_text("匯入完成：新增 5 筆、未變更 0 筆。").wait_for()
    assert page.get_by_role("progressbar", name="匯入進度").get_attribute("value") == "1"
    assert Case.objects.count() == 5
    assert_accessible(page)

    page.get_by_role("link", name="回資料匯入").click()
    runs = page.get_by_role("table", name="最近 2 次匯入（新到舊）")
    assert runs.get_by_role("cell", name="新增 5 筆、未變更 0 筆").is_visible()
    assert runs.get_by_role("cell", name="2 個問題").is_visible()
