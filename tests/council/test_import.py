"""Importing council questions, data requests and service cases: the example files, the roll
(terms, sessions, events, councillors) found or created, the kinds' own rules (速別 deadlines,
grades), every bad row reported with nothing written, and the half-year figures."""

import csv
import datetime as dt
import io
import time
from pathlib import Path

import pytest

from secretariat.cases.models import Case, CaseSequence, CaseStatus
from secretariat.core.importing import run_import
from secretariat.core.models import AuditEntry
from secretariat.council import selectors, services
from secretariat.council.models import (
    Councillor,
    CouncilQuestion,
    DataRequest,
    QuestionEvent,
    ServiceCase,
    Session,
    Term,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import"
QUESTION_HEADER = [
    "案號", "屆次", "大會", "質詢類別", "場次名稱", "場次起日", "場次迄日", "天數場數", "題序",
    "質詢日期", "議員", "主旨", "內容", "主辦機關", "協辦機關", "回復日期",
]  # fmt: skip
REQUEST_HEADER = ["案號", "收件日期", "議員", "主旨", "速別", "指定期限", "權管機關", "回復日期"]
SERVICE_HEADER = [
    "案號",
    "收件日期",
    "議員",
    "主旨",
    "主辦機關",
    "回復日期",
    "結案日期",
    "處理等級",
]


def csv_bytes(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def question(sequence=1, asked="114/03/04", councillors="林議員", number="", **more):
    values = {
        "kind": "市長施政報告",
        "event": "市長施政報告",
        "start": "114/03/04",
        "end": "114/03/05",
        "sittings": "2",
        "session": "第6次定期大會",
        "lead": "都發局",
        "co": "",
        "replied": "",
    } | more
    return [
        number,
        "14",
        values["session"],
        values["kind"],
        values["event"],
        values["start"],
        values["end"],
        values["sittings"],
        str(sequence),
        asked,
        councillors,
        f"第{sequence}題主旨",
        "質詢內容",
        values["lead"],
        values["co"],
        values["replied"],
    ]


def problems(outcome):
    return [(p.row, p.column, p.message) for p in outcome.problems]


@pytest.mark.parametrize("type_code", ["council-questions", "data-requests", "service-cases"])
def test_the_example_files_import_and_again_change_nothing(registry, type_code):
    data = (EXAMPLES / f"{type_code}.csv").read_bytes()
    outcome = run_import(type_code, data)
    assert outcome.ok, outcome.problems
    assert (outcome.created, outcome.unchanged) == (3, 0)
    again = run_import(type_code, data)
    assert (again.ok, again.created, again.unchanged) == (True, 0, 3)
    assert again.notes == []


def test_questions_create_the_roll_they_name_and_say_so(registry):
    outcome = run_import("council-questions", (EXAMPLES / "council-questions.csv").read_bytes())
    term = Term.objects.get()
    assert (term.number, term.start_on, term.end_on) == (
        14,
        dt.date(2022, 12, 25),
        dt.date(2026, 12, 24),
    )
    session = Session.objects.get()
    assert str(session) == "第14屆第6次定期大會"
    assert (session.start_on, session.end_on) == (dt.date(2025, 3, 4), dt.date(2025, 5, 16))
    events = {e.title: e for e in QuestionEvent.objects.all()}
    assert events["市政總質詢"].kind == "general" and events["市政總質詢"].sittings == 9
    assert sorted(Councillor.objects.values_list("name", flat=True)) == [
        "林議員",
        "王議員",
        "陳議員",
    ]
    assert outcome.notes[0] == "新增議會屆次：第14屆（111年12月25日至115年12月24日）"
    assert "新增議員：陳議員（第14屆）" in outcome.notes
    joint = CouncilQuestion.objects.get(case__number="質114000102")
    assert [a.councillor.name for a in joint.askers.all()] == ["陳議員", "王議員"]
    assert joint.case.status == CaseStatus.REPLIED
    assert joint.case.assignments.count() == 3
    # The row without a number gets the next one after the file's highest.
    numbered = CouncilQuestion.objects.get(event=events["市政總質詢"], sequence=1)
    assert numbered.case.number == "質114000103"
    assert CaseSequence.objects.get(prefix="質", roc_year=114).last == 103


def test_questions_use_the_recorded_roll(registry, term, council_session, councillors):
    rows = [question(1, councillors="林議員、陳議員"), question(2, asked="114/03/05")]
    outcome = run_import("council-questions", csv_bytes(QUESTION_HEADER, rows))
    assert outcome.ok, outcome.problems
    assert outcome.notes == ["新增質詢場次：第14屆第6次定期大會市長施政報告"]
    assert Councillor.objects.count() == 3 and Term.objects.count() == 1
    event = QuestionEvent.objects.get()
    assert event.session == council_session
    assert [q.sequence for q in event.questions.order_by("sequence")] == [1, 2]


def test_a_councillor_out_of_office_is_reported(registry, term, council_session, councillors):
    gone = councillors["王議員"]
    gone.active_to = dt.date(2025, 2, 28)
    gone.save()
    outcome = run_import(
        "council-questions", csv_bytes(QUESTION_HEADER, [question(1, councillors="林議員、王議員")])
    )
    assert problems(outcome) == [
        (2, "議員", "王議員於114年3月4日不在任（第14屆在任期間111年12月25日至114年2月28日）。")
    ]
    assert not Case.objects.exists() and not QuestionEvent.objects.exists()


def test_question_rows_must_agree_on_their_event(registry, term, council_session, councillors):
    rows = [
        question(1),
        question(2, end="114/03/06"),
        question(1, asked="114/03/05"),
        question(3, asked="114/03/09"),
        question(4, session="第6次大會"),
        question(5, kind="市長答詢"),
    ]
    outcome = run_import("council-questions", csv_bytes(QUESTION_HEADER, rows))
    assert [(p.row, p.column) for p in outcome.problems] == [
        (3, "場次迄日"),
        (4, "題序"),
        (5, "質詢日期"),
        (6, "大會"),
        (7, "質詢類別"),
    ]
    assert outcome.problems[0].message == "與第2列同一場次的場次迄日不同。"
    assert outcome.problems[1].message == "與第2列為同一場次的同一題序。"
    assert outcome.problems[2].message == "須在場次期間（114年3月4日至114年3月5日）。"
    assert not Case.objects.exists()


def test_an_event_outside_its_recorded_session_is_reported(registry, council_session):
    row = question(1, start="114/07/01", end="114/07/02", asked="114/07/01")
    outcome = run_import("council-questions", csv_bytes(QUESTION_HEADER, [row]))
    assert problems(outcome) == [
        (2, "場次起日", "場次日期須在第14屆第6次定期大會會期內（114年3月4日至114年6月20日）。")
    ]


def test_a_question_imported_before_keeps_its_number(registry):
    first = csv_bytes(QUESTION_HEADER, [question(1, number="質114000001")])
    assert run_import("council-questions", first).ok
    renumbered = csv_bytes(QUESTION_HEADER, [question(1, number="質114000002")])
    assert problems(run_import("council-questions", renumbered)) == [
        (2, "案號", "此題已以案號 質114000001 匯入。")
    ]
    unnumbered = csv_bytes(QUESTION_HEADER, [question(1)])
    assert run_import("council-questions", unnumbered).unchanged == 1
    other_askers = csv_bytes(QUESTION_HEADER, [question(1, councillors="陳議員")])
    assert problems(run_import("council-questions", other_askers))[0][1] == "案號"


def test_imported_questions_give_the_report_figures(registry, term):
    # The seeds' 114年上半年: 57 + 38 + 70 + 258 = 423 questions routed.
    events = [
        ("市長施政報告", "市長施政報告", "114/03/04", "114/03/05", 2, 57),
        (
            "市長報告總預算追加（減）預算",
            "市長報告114年度本市總預算第1次追加（減）預算",
            "114/03/11",
            "114/03/11",
            1,
            38,
        ),
        ("市長專案報告", "市長專案報告", "114/04/08", "114/04/09", 2, 70),
        ("市政總質詢", "市政總質詢", "114/05/06", "114/05/16", 9, 258),
    ]
    names = [f"議員{n:02d}" for n in range(1, 21)]
    rows = []
    for kind, title, start, end, sittings, count in events:
        for sequence in range(1, count + 1):
            asked = end if sequence % 2 else start
            askers = "、".join(names[sequence % 20 : sequence % 20 + 1 + sequence % 2])
            rows.append(
                question(
                    sequence,
                    asked,
                    askers,
                    kind=kind,
                    event=title,
                    start=start,
                    end=end,
                    sittings=str(sittings),
                    lead="交通局" if sequence % 2 else "都發局",
                    co="捷運局" if sequence % 5 == 0 else "",
                    replied="114/06/10",
                )
            )
    requests = [
        [
            f"索114{n:06d}",
            (dt.date(2025, 1, 6) + dt.timedelta(days=n)).isoformat(),
            names[n % 20],
            f"索資第{n}筆",
            ["普通件", "速件", "最速件"][n % 3],
            "",
            ["工務局", "都發局", "消防局", "教育局"][n % 4],
            (dt.date(2025, 1, 6) + dt.timedelta(days=n)).isoformat(),
        ]
        for n in range(1, 127)
    ]
    started = time.perf_counter()
    asked = run_import("council-questions", csv_bytes(QUESTION_HEADER, rows))
    requested = run_import("data-requests", csv_bytes(REQUEST_HEADER, requests))
    elapsed = time.perf_counter() - started
    assert asked.ok and requested.ok, (asked.problems[:3], requested.problems[:3])
    assert (asked.created, requested.created) == (423, 126)
    assert elapsed < 5, f"549 council records took {elapsed:.1f} s"

    half = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    by_kind, total = selectors.questions_by_event_kind(*half)
    assert total == 423
    assert [(row.label, row.sittings, row.questions) for row in by_kind] == [
        ("市長施政報告", 2, 57),
        ("市長報告總預算追加（減）預算", 1, 38),
        ("市長專案報告", 2, 70),
        ("市政總質詢", 9, 258),
    ]
    figures = selectors.data_request_figures(*half, as_of=dt.date(2025, 7, 1))
    assert figures.sentence() == "126筆，均依限回復，無逾期情形"


def test_data_request_deadlines_follow_the_urgency_or_the_councillor(registry, councillors):
    rows = [
        ["索114000011", "114/03/03", "林議員", "資料", "普通件", "", "工務局", ""],
        ["索114000012", "114/03/03", "林議員", "資料", "速件", "", "工務局", ""],
        ["索114000013", "114/03/03", "林議員", "資料", "最速件", "", "工務局", ""],
        ["索114000014", "114/03/03", "林議員", "資料", "普通件", "114/03/05", "工務局", ""],
    ]
    assert run_import("data-requests", csv_bytes(REQUEST_HEADER, rows)).ok
    due = {
        r.case.number: r.case.assignments.get().due_on
        for r in DataRequest.objects.select_related("case")
    }
    assert due == {
        "索114000011": dt.date(2025, 3, 11),
        "索114000012": dt.date(2025, 3, 6),
        "索114000013": dt.date(2025, 3, 4),
        "索114000014": dt.date(2025, 3, 5),
    }
    assert DataRequest.objects.get(case__number="索114000014").custom_due_on == dt.date(2025, 3, 5)
    # A request routed later by 改分 gets a fresh deadline by the same rule.
    request = DataRequest.objects.get(case__number="索114000012")
    assert services.data_request_deadline(request.case, dt.date(2025, 3, 3)) == dt.date(2025, 3, 6)


def test_data_request_problems(registry, councillors):
    rows = [
        ["索114000021", "114/03/03", "林議員", "資料", "特急件", "", "工務局", ""],
        ["索114000022", "114/03/03", "林議員、陳議員", "資料", "速件", "", "工務局", ""],
        ["索114000023", "114/03/03", "林議員", "資料", "速件", "114/03/01", "工務局", ""],
        ["索114000024", "114/03/03", "林議員", "資料", "速件", "", "", ""],
    ]
    outcome = run_import("data-requests", csv_bytes(REQUEST_HEADER, rows))
    assert problems(outcome) == [
        (2, "速別", "「特急件」不是可用的值（可用：普通件、速件、最速件）。"),
        (3, "議員", "只能填一位議員。"),
        (4, "指定期限", "不可早於收件日期（114年3月3日）。"),
        (5, "權管機關", "必填，不可空白。"),
    ]
    assert not DataRequest.objects.exists()


def test_service_cases_are_graded_when_closed(registry, councillors):
    rows = [
        ["議114000001", "114/01/15", "林議員", "路燈", "公園處", "114/01/20", "114/01/22", "A"],
        ["議114000002", "114/01/15", "林議員", "積水", "工務局", "114/01/20", "", "B"],
        ["議114000003", "114/01/15", "林議員", "攤位", "產業局", "114/01/20", "114/01/22", ""],
        ["議114000004", "114/01/15", "林議員", "路樹", "工務局", "114/01/20", "114/01/22", "E"],
    ]
    outcome = run_import("service-cases", csv_bytes(SERVICE_HEADER, rows))
    assert [(p.row, p.column) for p in outcome.problems] == [
        (3, "處理等級"),
        (4, "處理等級"),
        (5, "處理等級"),
    ]
    assert not ServiceCase.objects.exists()
    assert run_import("service-cases", csv_bytes(SERVICE_HEADER, rows[:1])).ok
    graded = ServiceCase.objects.select_related("case").get()
    assert (graded.grade, graded.case.status) == ("A", CaseStatus.CLOSED)
    shares = selectors.service_grade_shares(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert shares.counts["A"] == 1 and shares.total == 1


def test_a_number_of_another_kind_is_reported(registry, councillors):
    taken = [["議114000001", "114/01/15", "林議員", "路燈", "公園處", "", "", ""]]
    assert run_import("service-cases", csv_bytes(SERVICE_HEADER, taken)).ok
    rows = [["議114000001", "114/03/03", "林議員", "資料", "速件", "", "工務局", ""]]
    outcome = run_import("data-requests", csv_bytes(REQUEST_HEADER, rows))
    assert problems(outcome) == [
        (2, "案號", "案號 議114000001 已是另一類別的案件（議員服務案件）。")
    ]


def test_council_imports_are_audited_as_imported(registry):
    for type_code in ("council-questions", "data-requests", "service-cases"):
        assert run_import(type_code, (EXAMPLES / f"{type_code}.csv").read_bytes()).ok
    actions = set(
        AuditEntry.objects.filter(object_type__startswith="council.").values_list(
            "action", flat=True
        )
    )
    assert actions == {"import:council-questions", "import:data-requests", "import:service-cases"}
    request = DataRequest.objects.get(case__number="索114000001")
    entry = AuditEntry.objects.get(object_type="council.datarequest", object_id=str(request.pk))
    assert entry.action == "import:data-requests"
    assert entry.agency_id == request.case.assignments.get().agency_id
