"""Real history from the old systems' exports: a deadline per part, a part's 改分 (from → to,
date) and 展期 (new deadline), petitions that never reached an agency (存查, 撤回), agencies
used only on days they existed, and deadlines counted by the office calendar of the time."""

import csv
import datetime as dt
import io

import pytest

from secretariat.cases import selectors
from secretariat.cases.models import AssignmentStatus, Case, CaseStatus, Extension
from secretariat.core.importing import run_import
from secretariat.petitions.reports import sentence

pytestmark = pytest.mark.django_db

HEADER = ["案號", "收件日期", "主旨", "主辦機關", "協辦機關", "分辦日期", "回復期限"]
HEADER += ["改分紀錄", "展期紀錄", "結案日期", "狀態", "存查撤回理由"]


def petitions(*rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER, restval="")
    writer.writeheader()
    for number, values in enumerate(rows, start=1):
        writer.writerow({"案號": f"陳114{number:06d}", "收件日期": "114/03/03"} | values)
    return out.getvalue().encode()


def imported(*rows):
    outcome = run_import("petitions", petitions(*rows))
    assert outcome.ok, [str(problem) for problem in outcome.problems]
    return outcome


def problems(*rows) -> list[str]:
    outcome = run_import("petitions", petitions(*rows))
    assert not outcome.ok and not Case.objects.exists()
    return [str(problem) for problem in outcome.problems]


def parts_of(number: str) -> dict[str, object]:
    case = Case.objects.get(number=number)
    return {part.agency.short_name: part for part in case.assignments.all()}


def test_a_deadline_for_each_part(registry):
    imported(
        {
            "主旨": "路燈不亮",
            "主辦機關": "工務局",
            "協辦機關": "警察局、交通局",
            "回復期限": "114/03/11、114/03/14、114/03/20",
        }
    )
    parts = parts_of("陳114000001")
    due = {name: part.due_on for name, part in parts.items()}
    assert due == {
        "工務局": dt.date(2025, 3, 11),
        "警察局": dt.date(2025, 3, 14),
        "交通局": dt.date(2025, 3, 20),
    }


def test_as_many_deadlines_as_parts_or_one(registry):
    (message,) = problems(
        {"主旨": "路燈", "主辦機關": "工務局", "協辦機關": "警察局", "回復期限": "a、b、c"}
    )
    assert "有 3 個期限，但受分辦機關有 2 個" in message


def test_a_reassignment_keeps_the_part_it_took_from(registry, agency):
    imported(
        {
            "主旨": "違規停車",
            "主辦機關": "警察局",
            "改分紀錄": "114/03/05 工務局→交通局；114/03/07 交通局→警察局",
        }
    )
    case = Case.objects.get(number="陳114000001")
    parts = parts_of(case.number)
    assert {name: part.status for name, part in parts.items()} == {
        "工務局": AssignmentStatus.WITHDRAWN,
        "交通局": AssignmentStatus.WITHDRAWN,
        "警察局": AssignmentStatus.ASSIGNED,
    }
    assert parts["工務局"].assigned_on == dt.date(2025, 3, 3)
    assert parts["交通局"].assigned_on == dt.date(2025, 3, 5)
    # The part in force was assigned on its 改分 day, its deadline counted from then.
    assert parts["警察局"].assigned_on == dt.date(2025, 3, 7)
    assert parts["警察局"].due_on == dt.date(2025, 3, 17)
    assert case.current_lead.agency == agency("警察局")
    assert selectors.count_by_lead_agency("petition", case.received_on, case.received_on).rows == {
        "警察局": 1
    }
    # The same file again changes nothing.
    assert run_import("petitions", petitions(_moved())).unchanged == 1


def _moved():
    return {
        "主旨": "違規停車",
        "主辦機關": "警察局",
        "改分紀錄": "114/03/05 工務局→交通局；114/03/07 交通局→警察局",
    }


def test_a_reassignment_must_end_at_a_part(registry):
    (message,) = problems(
        {"主旨": "違規停車", "主辦機關": "警察局", "改分紀錄": "114/03/05 工務局→交通局"}
    )
    assert "第2列「改分紀錄」" in message and "交通局" in message
    (message,) = problems({"主旨": "違規停車", "主辦機關": "警察局", "改分紀錄": "工務局→警察局"})
    assert "格式不正確" in message


def test_extensions_are_kept_with_the_deadline_before_each(registry):
    imported(
        {
            "主旨": "人行道",
            "主辦機關": "工務局",
            "展期紀錄": "114/03/10 工務局→114/03/24；114/03/20 工務局→114/04/07",
        }
    )
    part = parts_of("陳114000001")["工務局"]
    assert part.due_on == dt.date(2025, 4, 7)
    extensions = list(Extension.objects.filter(assignment=part).order_by("decided_on"))
    assert [(e.previous_due_on, e.requested_due_on) for e in extensions] == [
        (dt.date(2025, 3, 11), dt.date(2025, 3, 24)),
        (dt.date(2025, 3, 24), dt.date(2025, 4, 7)),
    ]
    assert all(e.status == "approved" and e.requested_by is None for e in extensions)


def test_an_extension_must_move_the_deadline_later(registry):
    (message,) = problems(
        {"主旨": "人行道", "主辦機關": "工務局", "展期紀錄": "114/03/10 工務局→114/03/05"}
    )
    assert "展期後的期限須晚於原期限（114年3月11日）" in message


def test_filed_and_withdrawn_petitions_without_an_agency(registry):
    imported(
        {"主旨": "重複陳情", "狀態": "存查", "結案日期": "114/03/04", "存查撤回理由": "重複陳情"},
        {"主旨": "已自行解決", "狀態": "撤回", "結案日期": "114/03/05"},
        {"主旨": "路燈不亮", "主辦機關": "工務局"},
    )
    filed, withdrawn = (
        Case.objects.get(number="陳114000001"),
        Case.objects.get(number="陳114000002"),
    )
    assert (filed.status, filed.filed_reason, filed.closed_on) == (
        CaseStatus.FILED,
        "重複陳情",
        dt.date(2025, 3, 4),
    )
    assert withdrawn.status == CaseStatus.WITHDRAWN and not withdrawn.assignments.exists()
    counts = selectors.count_by_lead_agency("petition", dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert counts.total == 1 and counts.received == 3
    from secretariat.core.roc import parse_period

    assert sentence(parse_period("114H1"), counts) == (
        "114年上半年受理案件計3件，其中分辦1件，詳如下表；另存查1件、撤回1件。"
    )


def test_a_filed_petition_needs_its_date_and_others_their_agency(registry):
    messages = problems({"主旨": "重複陳情", "狀態": "存查"}, {"主旨": "路燈"})
    assert any("存查或撤回時，請填寫其日期" in m for m in messages)
    assert any("第3列「主辦機關」" in m and "必填" in m for m in messages)


def test_an_agency_only_on_days_it_existed(registry):
    (message,) = problems({"收件日期": "113/05/03", "主旨": "青年創業", "主辦機關": "青年局"})
    assert "青年局於113年6月1日成立" in message


def test_2017_deadlines_skip_the_lunar_new_year(registry):
    imported({"收件日期": "106/01/25", "主旨": "春節前陳情", "主辦機關": "工務局"})
    # 6 working days from 2017-01-25: 1/26, 2/2, 2/3, 2/6, 2/7, 2/8 (1/27–2/1 off).
    assert parts_of("陳114000001")["工務局"].due_on == dt.date(2017, 2, 8)


def test_dates_outside_the_calendar_are_noted(registry):
    with pytest.warns(UserWarning, match="期限僅排除週末"):
        outcome = imported({"收件日期": "94/03/03", "主旨": "舊案", "主辦機關": "工務局"})
    assert any("期限僅排除週末" in note for note in outcome.notes)
