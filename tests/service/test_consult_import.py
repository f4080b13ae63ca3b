"""Importing the professional consultations and the volunteers' tallies: the example files
reproduce seed 001's 114年上半年 665 architectural consultations (317 face to face, 348 by
phone, with the monthly rows) and 12萬3,859人次 / 1萬7,306件; bad rows are all reported with
nothing written; importing again changes nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from secretariat.core.importing import run_import
from secretariat.core.roc import Period
from secretariat.service import consult_reports, services, volunteer_reports
from secretariat.service.models import Consultation, Shift

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import"
POSTS = ("市府大樓東門", "市府大樓西門", "市府大樓南門", "市府大樓北門", "聯合服務中心")


def read(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def architects(desk_supervisor):
    return services.add_association(
        by=desk_supervisor, name="臺北市建築師公會", profession="architecture"
    )


@pytest.fixture
def posts(desk_supervisor):
    return [services.add_post(by=desk_supervisor, name=name) for name in POSTS]


def test_seed_001s_665_consultations_are_reproduced(architects):
    outcome = run_import("service-consultations", read("service-consultations.csv"))
    assert outcome.ok, outcome.problems
    section = consult_reports.professional_consultations(Period.half(114, 1))
    assert section.heading == "（二）建築專業諮詢服務"
    assert section.paragraphs[0] == (
        "本處與臺北市建築師公會合作，強化公私協力夥伴關係，免費提供民眾建築專業諮詢服務，"
        "114年上半年共計受理665件（含面對面諮詢317件、電話諮詢348件），各月服務情形詳如下表："
    )
    table = section.tables[0]
    months = [f"m2025{m:02d}" for m in range(1, 7)]
    face, phone = table.rows
    assert [face[m] for m in months] == [48, 49, 58, 46, 53, 63] and face["total"] == 317
    assert [phone[m] for m in months] == [38, 53, 73, 76, 54, 54] and phone["total"] == 348
    assert [table.total[m] for m in months] == [86, 102, 131, 122, 107, 117]
    assert table.total["total"] == 665
    assert consult_reports.consultations_count(Period.half(114, 1)) == 665


def test_importing_the_consultations_again_changes_nothing(architects):
    assert run_import("service-consultations", read("service-consultations.csv")).ok
    again = run_import("service-consultations", read("service-consultations.csv"))
    assert again.ok and Consultation.objects.count() == 665


def test_bad_consultation_rows_are_all_reported_and_nothing_written(architects):
    data = csv_bytes(
        [
            ["日期", "公會", "方式", "件數", "主題"],
            ["114/01/15", "臺北市建築師公會", "面對面諮詢", "3", ""],
            ["114/02/30", "臺北市建築師公會", "面對面諮詢", "1", ""],
            ["114/03/01", "臺北律師公會", "電話諮詢", "1", ""],
            ["114/03/02", "臺北市建築師公會", "書面", "0", ""],
        ]
    )
    outcome = run_import("service-consultations", data)
    assert not outcome.ok
    rows = {(p.row, p.column) for p in outcome.problems}
    assert {(3, "日期"), (4, "公會"), (5, "方式"), (5, "件數")} <= rows
    assert not Consultation.objects.exists()


def test_seed_001s_volunteer_figures_are_reproduced(posts):
    outcome = run_import("service-volunteer-shifts", read("service-volunteer-shifts.csv"))
    assert outcome.ok, outcome.problems
    section = volunteer_reports.volunteers(Period.half(114, 1))
    assert section.paragraphs[0].endswith(
        "114年上半年共計提供民眾簡易諮詢、洽公引導及臨櫃取號等服務12萬3,859人次、"
        "發送1萬7,306件文宣資料。"
    )
    assert section.tables[0].total == {"post": "合計", "people": 123859, "leaflets": 17306}
    again = run_import("service-volunteer-shifts", read("service-volunteer-shifts.csv"))
    assert again.ok and Shift.objects.count() == 30


def test_bad_tally_rows_are_all_reported(posts):
    data = csv_bytes(
        [
            ["日期", "崗位", "服務人次", "發送文宣"],
            ["114/01/01", "市府大樓東門", "-5", "1"],
            ["114/01/01", "後門", "5", "x"],
            ["114/01/02", "市府大樓東門", "5", ""],
            ["114/01/02", "市府大樓東門", "6", ""],
        ]
    )
    outcome = run_import("service-volunteer-shifts", data)
    assert not outcome.ok
    rows = {(p.row, p.column) for p in outcome.problems}
    assert {(2, "服務人次"), (3, "崗位"), (3, "發送文宣"), (5, "日期")} <= rows
    assert not Shift.objects.exists()
