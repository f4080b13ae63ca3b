"""The archives' importers: whole-file validation (every bad row named, nothing written), the
example files, and idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest

from secretariat.archives.models import DestructionReview, Folder, Item, Retention
from secretariat.core import importing

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import"


def run(type_code: str, text: str, admin):
    return importing.run_import(type_code, text.encode("utf-8"), by=admin)


def test_the_example_catalogue_imports_once(registry, admin):
    data = (EXAMPLES / "archive-catalogue.csv").read_bytes()
    outcome = importing.run_import("archive-catalogue", data, by=admin)
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert Item.objects.filter(imported=True).count() == 3
    folder = Folder.objects.get(file_code="105-0102-001-001")
    assert (folder.quantity, folder.retention, str(folder.shelf_metres)) == (2, 10, "0.350")
    assert Folder.objects.get(file_code="106-0101-001-001").retention == Retention.PERMANENT
    again = importing.run_import("archive-catalogue", data, by=admin)
    assert again.ok and again.unchanged == 3 and Item.objects.count() == 3


HEADER = "機關,檔號,案名,文件產生日期,保存年限,屆期處置,密等\n"


def test_every_bad_row_is_named_and_nothing_is_written(registry, admin):
    text = HEADER + (
        "秘書處,105-0102-001-001-000001,好的一列,105/03/10,10年,,\n"
        "秘書處,105/0102/1/1/1,檔號格式錯,105/03/10,10年,,\n"
        "秘書處,105-0102-001-001-000003,年限錯,105/03/10,7年,,\n"
        "秘書處,105-0102-001-001-000004,處置不符,105/03/10,永久,依規定程序銷毀,\n"
        "不存在的機關,105-0102-001-001-000005,機關錯,105/03/10,10年,,\n"
        "秘書處,105-0102-001-001-000006,日期錯,105/02/30,10年,,\n"
        "秘書處,105-0102-001-001-000007,密等錯,105/03/10,10年,,極極機密\n"
        "秘書處,105-0102-001-001-000001,重複檔號,105/03/10,10年,,\n"
    )
    outcome = run("archive-catalogue", text, admin)
    assert not outcome.ok
    rows = {(p.row, p.column) for p in outcome.problems}
    assert {(3, "檔號"), (4, "保存年限"), (5, "屆期處置"), (6, "機關"), (7, "文件產生日期")} <= rows
    assert (8, "密等") in rows
    assert any(p.row == 9 for p in outcome.problems)
    assert not Item.objects.exists() and not Folder.objects.exists()


def test_an_imported_record_is_never_changed_by_a_later_file(registry, admin):
    run(
        "archive-catalogue",
        HEADER + "秘書處,105-0102-001-001-000001,原案名,105/03/10,10年,,\n",
        admin,
    )
    outcome = run(
        "archive-catalogue",
        HEADER + "秘書處,105-0102-001-001-000001,新案名,105/03/10,10年,,\n",
        admin,
    )
    assert not outcome.ok
    assert Item.objects.get().title == "原案名"


def test_review_rows_are_checked_whole(registry, admin):
    header = "機關,來文字號,收件日期,件數,案數,卷數,審查結果,審畢日期,審查意見,核准文號,核准日期,銷毀日期\n"
    text = header + (
        "警察局,A1,114/01/15,10,1,2,轉陳,114/01/31,,檔1,114/03/01,114/02/01\n"
        "警察局,A2,114/01/15,10,1,2,退回,114/01/31,,,,\n"
        "警察局,A3,114/01/15,10,1,2,,,,檔3,114/03/01,\n"
        "警察局,A1,114/01/16,x,1,2,,,,,,\n"
    )
    outcome = run("destruction-reviews", text, admin)
    assert not outcome.ok
    rows = {(p.row, p.column) for p in outcome.problems}
    assert (2, "銷毀日期") in rows  # destroyed before approval
    assert (3, "審查意見") in rows  # returned without remarks
    assert (4, "審查結果") in rows  # approved but never forwarded
    assert (5, "件數") in rows and (5, "來文字號") in rows
    assert not DestructionReview.objects.exists()
