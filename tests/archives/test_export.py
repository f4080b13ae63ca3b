"""目錄彙送: the half-year's new and changed 案卷 with their 件, classified ones excluded, as
XML valid against the schema and as CSV; the API gives the same records."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from lxml import etree

from secretariat.archives import export
from secretariat.archives.models import Folder
from secretariat.core.roc import Period

from .conftest import legacy

pytestmark = pytest.mark.django_db
NS = {"c": export.NAMESPACE}


@pytest.fixture
def catalogue(agency, scheme):
    sec = agency("秘書處")
    legacy(
        sec,
        [
            (("105", "0102", "1", "1", "1"), "工作報告", dt.date(2016, 2, 1), 10, "destroy", 0),
            (("105", "0102", "1", "1", "2"), "工作報告附件", dt.date(2016, 3, 1), 10, "destroy", 0),
            (("105", "0103", "1", "1", "1"), "機密會議紀錄", dt.date(2016, 2, 1), 5, "destroy", 2),
            (
                ("105", "0102", "2", "1", "1"),
                '=HYPERLINK("x")',
                dt.date(2016, 2, 1),
                10,
                "destroy",
                0,
            ),
        ],
    )
    return sec


def this_half():
    return Period.half_containing(dt.date.today())


def test_the_xml_validates_and_leaves_classified_folders_out(catalogue):
    data = export.catalogue_xml(catalogue, this_half())
    root = etree.fromstring(data)
    assert export.schema().validate(root)
    codes = root.xpath("//c:案卷/c:檔號/text()", namespaces=NS)
    assert codes == ["105-0102-001-001", "105-0102-002-001"]
    assert root.xpath("count(//c:件)", namespaces=NS) == 3
    assert "機密會議紀錄" not in data.decode()


def test_an_earlier_half_year_exports_nothing_unchanged(catalogue):
    earlier = Period.half(100, 1)
    root = etree.fromstring(export.catalogue_xml(catalogue, earlier))
    assert root.xpath("count(//c:案卷)", namespaces=NS) == 0


def test_the_csv_is_spreadsheet_safe_and_leaves_classified_out(catalogue):
    text = export.catalogue_csv(catalogue, this_half())
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["案卷檔號", "案卷案名", "檔號"]
    assert len(rows) == 4
    assert all("機密" not in cell for row in rows for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)


def test_a_classified_item_in_an_open_folder_is_left_out(catalogue):
    folder = Folder.objects.get(file_code="105-0102-001-001")
    item = folder.items.get(item_no=2)
    item.secrecy = 1
    item.save()
    root = etree.fromstring(export.catalogue_xml(catalogue, this_half()))
    assert "工作報告附件" not in etree.tostring(root, encoding="unicode")


def test_the_page_and_the_api(catalogue, people):
    client = Client()
    client.force_login(people["archivist"])
    half = this_half()
    year = half.end.year - 1911
    number = 1 if half.end.month == 6 else 2
    response = client.get("/archives/export/", {"year": year, "half": number, "format": "xml"})
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    response = client.get("/api/v1/archives/export", {"year": year, "half": number})
    assert response.status_code == 200
    body = response.json()
    assert [f["file_code"] for f in body["folders"]] == ["105-0102-001-001", "105-0102-002-001"]
    officer = Client()
    officer.force_login(people["sec_officer"])
    assert officer.get("/api/v1/archives/export", {"year": year, "half": number}).status_code == 403
    found = client.get("/api/v1/archives/catalogue", {"code_prefix": "105-0102", "words": "工作"})
    assert [r["title"] for r in found.json()["items"]] == ["工作報告", "工作報告附件"]
    found = officer.get("/api/v1/archives/catalogue", {"words": "會議紀錄"})
    assert found.json()["count"] == 0  # classified: its agency's archivists only
