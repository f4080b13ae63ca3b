"""Importing petitions from the old system: the example file, names and dates as people wrote
them, every bad row reported with nothing written, idempotent re-imports, audit and numbers."""

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path

import pytest

from secretariat.cases import selectors as case_selectors
from secretariat.cases.models import Assignment, Case, CaseStatus, Channel, Requester
from secretariat.core.importing import run_import
from secretariat.core.models import AuditEntry
from secretariat.petitions import services
from secretariat.petitions.models import Petition

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "import" / "petitions.csv"
HEADER = [
    "案號",
    "收件日期",
    "主旨",
    "主辦機關",
    "協辦機關",
    "主辦回復日期",
    "協辦回復日期",
    "結案日期",
]


def csv_bytes(rows, header=HEADER, bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def row(number="陳114000010", received="114/03/03", subject="路燈不亮", lead="工務局", **more):
    values = {"co": "", "lead_replied": "", "co_replied": "", "closed": ""} | more
    return [
        number,
        received,
        subject,
        lead,
        values["co"],
        values["lead_replied"],
        values["co_replied"],
        values["closed"],
    ]


def problems(outcome):
    return [(p.row, p.column, p.message) for p in outcome.problems]


def test_the_example_file_imports(registry, agency):
    outcome = run_import("petitions", EXAMPLE.read_bytes())
    assert outcome.ok, outcome.problems
    assert (outcome.created, outcome.unchanged) == (5, 0)
    assert outcome.summary() == "新增 5 筆、未變更 0 筆"
    closed = Case.objects.get(number="陳114000001")
    assert closed.status == CaseStatus.CLOSED
    assert closed.routed_on == dt.date(2025, 1, 3)
    assert closed.replied_on == dt.date(2025, 1, 13)  # the last of the three replies
    parts = {a.agency.short_name: a for a in closed.assignments.all()}
    assert parts["都發局"].role == "lead" and parts["新工處"].role == "co"
    assert parts["新工處"].replied_on == dt.date(2025, 1, 9)
    assert parts["信義區公所"].replied_on == dt.date(2025, 1, 13)
    assert closed.petition.category == "roads"
    assert closed.channel == Channel.LETTER
    waiting = Case.objects.get(number="陳114000004")
    assert waiting.status == CaseStatus.IN_PROGRESS
    assert {a.due_on for a in waiting.assignments.all()} == {dt.date(2025, 7, 31)}
    assert waiting.requester.name == "李小華"
    assert str(waiting.requester) == "李○華"


def test_status_and_deadlines_follow_the_dates(registry, agency):
    rows = [
        row("陳114000011", "114/03/03", lead="工務局"),
        row("陳114000012", "114/03/03", lead="工務局", co="交通局", lead_replied="114/03/05"),
        row("陳114000013", "114/03/03", lead="工務局", lead_replied="114/03/05"),
        row(
            "陳114000014", "114/03/03", lead="工務局", lead_replied="114/03/05", closed="114/03/06"
        ),
    ]
    assert run_import("petitions", csv_bytes(rows)).ok
    status = dict(Case.objects.values_list("number", "status"))
    assert status == {
        "陳114000011": CaseStatus.IN_PROGRESS,
        "陳114000012": CaseStatus.IN_PROGRESS,
        "陳114000013": CaseStatus.REPLIED,
        "陳114000014": CaseStatus.CLOSED,
    }
    # Routed on the received date (Monday 2025-03-03): six working days → Tuesday 03-11.
    part = Assignment.objects.get(case__number="陳114000011")
    assert (part.assigned_on, part.due_on) == (dt.date(2025, 3, 3), dt.date(2025, 3, 11))
    assert part.status == "assigned"
    co = Assignment.objects.get(case__number="陳114000012", role="co")
    assert co.status == "assigned" and co.replied_on is None


@pytest.mark.parametrize(
    ("received", "lead", "expected"),
    [
        ("114/03/03", "臺北市政府工務局", "工務局"),  # full name, 民國 with slashes
        ("1140303", "工務局", "工務局"),  # short name, compact 民國
        ("2025-03-03", "臺北市政府警察局", "警察局"),  # ISO
        ("中華民國114年3月3日", "新建工程處", "新工處"),  # without the parent's name
        ("113/06/03", "北水處", "自來水處"),  # the name in force on the received date
        ("114/03/03", "北水處", "自來水處"),  # a former name still resolves
    ],
)
def test_agencies_and_dates_as_people_write_them(registry, agency, received, lead, expected):
    assert run_import("petitions", csv_bytes([row(received=received, lead=lead)])).ok
    case = Case.objects.get()
    assert case.assignments.get().agency == agency(expected)
    assert case.received_on in (dt.date(2025, 3, 3), dt.date(2024, 6, 3))


def test_the_report_counts_an_imported_former_name_under_that_name(registry, agency):
    water = agency("自來水處")
    assert run_import("petitions", csv_bytes([row(received="113/06/03", lead="北水處")])).ok
    counts = case_selectors.count_by_lead_agency(
        services.KIND, dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    ).rows
    assert counts == {water.short_name_on(dt.date(2024, 6, 3)): 1} == {"北水處": 1}


def assert_nothing_imported():
    assert not Case.objects.exists()
    assert not Petition.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="import:").exists()


def test_a_bad_date_is_reported_with_row_and_column_and_nothing_is_imported(registry):
    rows = [row("陳114000021"), row("陳114000022", received="114/13/40"), row("陳114000023")]
    outcome = run_import("petitions", csv_bytes(rows))
    assert not outcome.ok
    assert len(outcome.problems) == 1
    problem = outcome.problems[0]
    assert (problem.row, problem.column) == (3, "收件日期")
    assert str(problem) == "第3列「收件日期」：114年13月40日不存在（月份為1至12）。"
    assert_nothing_imported()


def test_dates_people_write_are_read_and_a_refusal_says_how(registry):
    # A four-digit year is 西元: 2025/03/05 is 114年3月5日, not 民國2025年 (「晚於今天」).
    rows = [
        row("陳114000024", received="2025/03/05", lead_replied="2025/03/04"),
        row("陳114000025", received="2099/01/01"),
        row("陳114000026", received="1140230"),
    ]
    outcome = run_import("petitions", csv_bytes(rows))
    assert problems(outcome) == [
        (2, "主辦回復日期", "2025/03/04（西元，即114年3月4日）不可早於分辦日期（114年3月5日）。"),
        (3, "收件日期", "2099/01/01（西元，即188年1月1日）晚於今天。"),
        (4, "收件日期", "114年2月30日不存在（該月只有28天）。"),
    ]
    assert_nothing_imported()
    outcome = run_import("petitions", csv_bytes([row("陳114000024", received="2025/03/05")]))
    assert outcome.ok, outcome.problems
    assert Case.objects.get().received_on == dt.date(2025, 3, 5)


def test_an_unknown_agency_is_reported(registry):
    rows = [row("陳114000031"), row("陳114000032", co="交通局、火星局")]
    outcome = run_import("petitions", csv_bytes(rows))
    assert problems(outcome) == [
        (3, "協辦機關", "找不到機關「火星局」（請用全銜、簡稱或舊名，且不可同時指多個機關）。")
    ]
    assert_nothing_imported()


def test_a_duplicate_number_in_the_file_is_reported(registry):
    rows = [row("陳114000041"), row("陳114000042"), row("陳114000041", subject="另一件")]
    outcome = run_import("petitions", csv_bytes(rows))
    assert problems(outcome) == [(4, "案號", "與第2列重複。")]
    assert_nothing_imported()


def test_a_wrong_header_is_reported_on_row_one(registry):
    header = ["案號", "收文日期", "主旨", "主辦機關"]
    outcome = run_import("petitions", csv_bytes([row()[:4]], header=header))
    assert problems(outcome) == [
        (1, "收文日期", "不是此類型的欄位。"),
        (1, "收件日期", "缺少必要欄位。"),
    ]
    assert_nothing_imported()


def test_every_bad_row_is_listed_in_row_order(registry):
    rows = [
        row("陳114000051", received=""),
        row("陳114000052", lead="工務局", co="工務局"),
        row("陳114000053", received="114/03/10", lead_replied="114/03/07"),
        row("陳114000054", closed="114/03/20"),
        row("陳114000055", co="交通局、警察局", co_replied="114/03/05、114/03/06、114/03/07"),
        row("陳114000056", received="2099-01-01"),
    ]
    outcome = run_import("petitions", csv_bytes(rows))
    assert [(p.row, p.column) for p in outcome.problems] == [
        (2, "收件日期"),
        (3, "協辦機關"),
        (4, "主辦回復日期"),
        (5, "結案日期"),
        (6, "協辦回復日期"),
        (7, "收件日期"),
    ]
    messages = [p.message for p in outcome.problems]
    assert messages[0] == "必填，不可空白。"
    assert messages[2] == "不可早於分辦日期（114年3月10日）。"
    assert messages[3] == "已結案的案件，各機關都須有回復日期。"
    assert messages[5] == "2099-01-01（西元，即188年1月1日）晚於今天。"
    assert_nothing_imported()


def test_unknown_channel_category_and_bad_email_are_reported(registry):
    header = ["案號", "收件日期", "主旨", "主辦機關", "來源管道", "陳情類別", "陳情人電子郵件"]
    outcome = run_import(
        "petitions",
        csv_bytes([["陳114000061", "114/03/03", "主旨", "工務局", "飛鴿", "其他", "x@"]], header),
    )
    assert [(p.row, p.column) for p in outcome.problems] == [
        (2, "來源管道"),
        (2, "陳情類別"),
        (2, "陳情人"),
        (2, "陳情人電子郵件"),
    ]
    assert outcome.problems[0].message.startswith("「飛鴿」不是可用的值（可用：書信、電子郵件")


def test_reimporting_the_same_file_changes_nothing(registry):
    data = EXAMPLE.read_bytes()
    assert run_import("petitions", data).created == 5
    entries = AuditEntry.objects.count()
    again = run_import("petitions", data)
    assert (again.ok, again.created, again.unchanged) == (True, 0, 5)
    assert again.summary() == "新增 0 筆、未變更 5 筆"
    assert AuditEntry.objects.count() == entries
    assert Case.objects.count() == 5


def test_a_case_imported_before_with_other_data_is_an_error(registry):
    assert run_import("petitions", csv_bytes([row("陳114000071"), row("陳114000072")])).ok
    changed = [row("陳114000071", subject="路燈不亮（更正）", lead_replied="114/03/04"), row()]
    outcome = run_import("petitions", csv_bytes(changed))
    assert problems(outcome) == [
        (
            2,
            "案號",
            "案件 陳114000071 已匯入，但主旨、回復日期與檔案不同；匯入不會修改既有案件，"
            "請在系統中更正或修改檔案。",
        )
    ]
    assert not Case.objects.filter(number="陳114000010").exists()
    assert Case.objects.get(number="陳114000071").subject == "路燈不亮"


def test_imported_records_are_audited_as_imported(registry, admin):
    assert run_import("petitions", EXAMPLE.read_bytes(), by=admin).ok
    case = Case.objects.get(number="陳114000001")
    entries = AuditEntry.objects.filter(action="import:petitions")
    assert not AuditEntry.objects.filter(action="create", object_type__startswith="cases.").exists()
    by_type = Counter(entries.values_list("object_type", flat=True))
    assert by_type == {
        "cases.case": 5,
        "cases.assignment": 9,
        "petitions.petition": 5,
        "cases.requester": 2,
    }
    entry = entries.get(object_type="cases.case", object_id=str(case.pk))
    assert entry.agency_id == case.assignments.get(role="lead").agency_id
    assert entry.actor_id == admin.pk
    assert entry.changes["status"] == [None, "closed"]
    requester = entries.get(object_type="cases.requester", object_repr="王○明")
    assert "name" not in requester.changes  # personal data stays out of the trail
    from secretariat.core import audit

    assert audit.verify().ok


def test_a_new_petition_after_the_import_gets_the_next_number(registry, people):
    rows = [row("陳114000123", "114/03/03"), row("陳114000007", "114/03/04")]
    assert run_import("petitions", csv_bytes(rows)).ok
    receipt = services.submit_petition(
        channel=Channel.LETTER,
        subject="新陳情",
        body="內容",
        received_on=dt.date(2025, 6, 2),
        by=people["router"],
    )
    assert receipt.number == "陳114000124"


def test_the_engine_service_guards_its_invariants(registry, agency, people):
    from secretariat.cases.services import ImportedCase, ImportedPart, import_cases
    from secretariat.core.errors import DomainError, PermissionDenied

    day = dt.date(2025, 3, 3)
    lead = ImportedPart(agency("工務局"), "lead", day)
    unanswered = ImportedCase(None, "主旨", "", Channel.LETTER, day, (lead,), closed_on=day)
    with pytest.raises(DomainError, match="各機關都須有回復日期"):
        import_cases(services.KIND, [unanswered])
    two_leads = ImportedCase(None, "主旨", "", Channel.LETTER, day, (lead, lead))
    with pytest.raises(DomainError, match="須有一個主辦機關"):
        import_cases(services.KIND, [two_leads])
    with pytest.raises(PermissionDenied):
        import_cases(
            services.KIND,
            [ImportedCase(None, "主旨", "", Channel.LETTER, day)],
            by=people["router"],
        )
    created = import_cases(
        services.KIND,
        [
            ImportedCase(None, "未分辦", "", Channel.LETTER, day),
            ImportedCase("陳114000500", "甲", "", Channel.LETTER, day, (lead,)),
        ],
    )
    assert [(case.number, case.status) for case in created] == [
        ("陳114000501", CaseStatus.PENDING),
        ("陳114000500", CaseStatus.IN_PROGRESS),
    ]
    assert not Case.objects.get(number="陳114000501").assignments.exists()


def test_imported_petitions_cannot_be_opened_with_a_password(registry):
    assert run_import("petitions", csv_bytes([row()])).ok
    petition = Petition.objects.get()
    assert not petition.password_hash.startswith("argon2")
    with pytest.raises(services.DomainError):
        services.open_for_citizen(petition.case.number, "ABCD2345", client_ip="203.0.113.1")


def test_no_mail_is_sent_for_imported_replies(registry, mailoutbox):
    header = [*HEADER, "陳情人", "陳情人電子郵件"]
    line = [*row(lead_replied="114/03/05"), "王小明", "xiaoming@example.test"]
    assert run_import("petitions", csv_bytes([line], header)).ok
    assert Requester.objects.get().email == "xiaoming@example.test"
    assert mailoutbox == []


# The seeds' table of petitions received in 114年上半年 by lead agency (978 in all). 民政局
# is reported with the district offices (民政局（含區公所）).
SEED_TABLE = {
    "都發局": 177, "警察局": 101, "工務局": 84, "教育局": 72, "交通局": 70, "產業局": 66,
    "社會局": 61, "環保局": 60, "衛生局": 54, "體育局": 32, "民政局（含區公所）": 23,
    "地政局": 21, "法務局": 18, "消防局": 18, "捷運公司": 18, "勞動局": 16, "觀傳局": 15,
    "政風處": 13, "捷運局": 10, "財政局": 9, "文化局": 7, "秘書處": 7, "青年局": 6,
    "兵役局": 5, "研考會": 4, "人事處": 3, "自來水處": 3, "資訊局": 2, "原民會": 1,
    "客委會": 1, "都委會": 1,
}  # fmt: skip


def half_year_petitions() -> bytes:
    leads = []
    for label, count in SEED_TABLE.items():
        if label == "民政局（含區公所）":
            leads += ["民政局"] * 20 + ["大安區公所"] * 3
        else:
            leads += [label] * count
    rows = []
    for index, lead in enumerate(leads, start=1):
        received = dt.date(2025, 1, 2) + dt.timedelta(days=index % 178)
        replied = received + dt.timedelta(days=5)
        rows.append(
            row(
                f"陳114{index:06d}",
                f"{received.year - 1911}/{received.month:02d}/{received.day:02d}",
                f"陳情事項第{index}件",
                lead,
                co="交通局" if index % 3 == 0 and lead != "交通局" else "",
                lead_replied=replied.isoformat(),
                co_replied=replied.isoformat() if index % 3 == 0 and lead != "交通局" else "",
                closed=(replied + dt.timedelta(days=1)).isoformat(),
            )
        )
    return csv_bytes(rows)


def test_the_half_year_petitions_import_and_give_the_seed_table(registry):
    outcome = run_import("petitions", half_year_petitions())
    assert outcome.ok and outcome.created == 978
    counts = case_selectors.count_by_lead_agency(
        services.KIND, dt.date(2025, 1, 1), dt.date(2025, 6, 30)
    )
    assert dict(counts.rows) == SEED_TABLE and counts.received == 978
