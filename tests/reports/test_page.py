"""The report page: who may use it, the report on the page, file formats made by a background
job whose progress the page polls, the download, and a job that fails."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from odf.opendocument import load

from secretariat.core.roc import Period, chinese_numeral
from secretariat.reports import registry
from secretariat.reports.models import ReportRun, RunStatus
from secretariat.reports.render import period_code
from secretariat.reports.selectors import build_report, default_period
from secretariat.reports.structure import Section, SectionData
from tests.core.test_jobs import run_worker
from tests.reports.test_render import PERIOD_SENTENCE, TITLE, _lines, records  # noqa: F401

pytestmark = pytest.mark.django_db
PAGE = "/reports/"
FILE_NAME = "臺北市政府秘書處工作報告（114年上半年）.odt"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(staff, make_person):
    return {
        **staff,
        "sec_desk": make_person("sec-desk", "秘書處", "service_desk"),
        "it_admin": make_person("it-admin", "資訊局", "system_admin"),
    }


def _run(person, fmt: str = "odt") -> ReportRun:
    return ReportRun.objects.create(
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        period_label="114年上半年",
        format=fmt,
        requested_by=person,
    )


# --- Who may use it ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sec_desk", "desk", "clerk", "it_admin"])
def test_the_secretariat_and_administrators_use_the_page(client, people, who):
    client.force_login(people[who])

    response = client.get(PAGE)

    assert response.status_code == 200
    assert '<a href="/reports/" aria-current="page">工作報告</a>' in response.content.decode()


@pytest.mark.parametrize("who", ["udd", "udd_boss", "udd_head", "police_liaison"])
def test_agencies_may_not(client, people, who):
    run = _run(people["desk"])
    client.force_login(people[who])

    for url in (
        PAGE,
        reverse("reports:run", args=[run.pk]),
        reverse("reports:run_progress", args=[run.pk]),
        reverse("reports:download", args=[run.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(PAGE, {"period": "114H1", "format": "odt"}).status_code == 403
    assert not ReportRun.objects.exclude(pk=run.pk).exists()
    assert ">工作報告</a>" not in client.get(reverse("core:dashboard")).content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


# --- The form and the report on the page ---------------------------------------------------------


def test_the_form_offers_the_last_half_year_that_has_ended(client, people):
    # Nothing recorded at all: the last half-year that has ended.
    assert default_period(dt.date(2026, 3, 2)) == Period.half(114, 2)
    assert default_period(dt.date(2026, 7, 1)) == Period.half(115, 1)
    client.force_login(people["sec_desk"])

    html = client.get(PAGE).content.decode()

    assert f'value="{period_code(default_period(timezone.localdate()))}"' in html
    assert '<option value="html" selected>網頁（HTML）</option>' in html


@pytest.mark.usefixtures("records")  # in 114年上半年, and a petition of 1 July 2025 (114H2)
def test_the_current_half_year_is_offered_when_the_ended_one_has_no_records():
    assert default_period(dt.date(2025, 8, 15)) == Period.half(114, 1)  # both have records
    assert default_period(dt.date(2026, 1, 15)) == Period.half(114, 2)  # that one petition
    assert default_period(dt.date(2025, 3, 10)) == Period.half(114, 1)  # none in 113H2
    assert default_period(dt.date(2026, 8, 1)) == Period.half(115, 1)  # none in either


def test_the_demo_fills_every_section_of_the_period_the_page_offers():
    """The demo shows each module's part of the report, in the current half-year."""
    call_command("demo", verbosity=0)
    today = timezone.localdate()

    period = default_period(today)

    assert period == Period.half_containing(today)
    report = build_report(period)
    assert [s.key for c in report.chapters for s in c.sections if not s.has_records] == []


@pytest.mark.usefixtures("records")
def test_the_html_format_shows_the_report_on_the_page(client, people):
    client.force_login(people["sec_desk"])

    response = client.post(PAGE, {"period": " 114年上半年 ", "format": "html"})

    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?period={quote('114年上半年')}"
    html = client.get(response["Location"]).content.decode()
    assert TITLE in html and PERIOD_SENTENCE in html
    # The page keeps one h1; the report's headings start one level down.
    assert html.count("<h1") == 1
    assert f'<h2 id="report-title" class="report-title">{TITLE}</h2>' in html
    assert '<h5 class="report-section-heading">（一）妥處市民送交市長之陳情案件</h5>' in html
    assert "114年上半年受理案件計4件，詳如下表：" in html
    assert '<svg role="img"' in html
    assert "一、國際交流及城市外交" in html and "本期無資料" in html
    assert not ReportRun.objects.exists()  # nothing to queue for the page itself


@pytest.mark.parametrize("fmt", ["odt", "html"])
def test_a_bad_period_is_explained_beside_the_field(client, people, fmt):
    client.force_login(people["sec_desk"])

    response = client.post(PAGE, {"period": "114H3", "format": fmt})

    assert response.status_code == 400
    assert "無法辨識的期間：114H3" in response.content.decode()
    assert not ReportRun.objects.exists()
    assert client.get(PAGE, {"period": "上半年"}).status_code == 400


def test_a_file_format_queues_a_job_and_shows_its_progress(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people["sec_desk"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, {"period": "114年1月1日至3月31日", "format": "ods"})

    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:run", args=[run.pk])
    assert (run.period_start, run.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert run.period_label == "114年1月1日至3月31日"
    assert (run.format, run.status, run.requested_by) == ("ods", "pending", people["sec_desk"])
    job = DBTaskResult.objects.get()
    assert job.task_path.endswith("render_report_task") and job.args_kwargs["args"] == [run.pk]

    html = client.get(response["Location"]).content.decode()
    progress = reverse("reports:run_progress", args=[run.pk])
    assert f'hx-get="{progress}" hx-trigger="every 1s" hx-swap="outerHTML"' in html
    assert '<progress id="run-progress" max="1" value="0" aria-label="產製進度">' in html
    assert "排隊等待中" in html and "等待處理" in html


# --- The job -------------------------------------------------------------------------------------


def _probe(seen: list):
    """A section that notes the run's progress while the report is being built."""

    def compute(period):
        seen.append(ReportRun.objects.values_list("status", "done", "total").get())
        return SectionData("zz.probe", "（九）進度")

    # Computed after 一, 二 and 三's other sections (petitions, meetings): those are done by then.
    return Section("zz.probe", chapter="三", order=99, compute=compute)


def _sections_before(chapter: str, order: int) -> int:
    place = {code: index for index, (code, _) in enumerate(registry.CHAPTERS)}
    return sum(
        1
        for section in registry.SECTIONS.values()
        if (place[section.chapter], section.order) < (place[chapter], order)
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("records")
def test_the_job_makes_the_file_counting_its_progress(client, people, media_root, monkeypatch):
    seen: list = []
    monkeypatch.setitem(registry.SECTIONS, "zz.probe", _probe(seen))
    steps = len(registry.SECTIONS) + 2  # every section, the indicators, the file
    client.force_login(people["sec_desk"])
    client.post(PAGE, {"period": "114H1", "format": "odt"})
    run = ReportRun.objects.get()

    run_worker()

    ((status, done, total),) = seen
    assert (status, done, total) == (RunStatus.RUNNING, _sections_before("三", 99), steps)
    run.refresh_from_db()
    assert (run.status, run.done, run.total, run.error) == ("done", steps, steps, "")
    assert run.started_at <= run.finished_at
    assert run.file.name.startswith(f"reports/{run.created_at:%Y}/")
    assert (media_root / run.file.name).is_file()

    html = client.get(reverse("reports:run_progress", args=[run.pk])).content.decode()
    assert "hx-trigger" not in html  # polling stops
    assert f'href="{reverse("reports:download", args=[run.pk])}"' in html
    response = client.get(reverse("reports:download", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert quote(FILE_NAME) in response["Content-Disposition"]
    lines = _lines(load(io.BytesIO(b"".join(response.streaming_content))))
    assert lines[:2] == [TITLE, PERIOD_SENTENCE]
    # the probe comes last in 三 and the report numbers it by its place there
    last = sum(1 for section in registry.SECTIONS.values() if section.chapter == "三")
    assert f"（{chinese_numeral(last)}）進度" in lines
    # The page lists the person's runs with the download.
    assert "114年上半年" in client.get(PAGE).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_marked_and_stops_the_polling(client, people, monkeypatch):
    def broken(period):
        raise RuntimeError("資料庫連線中斷")

    monkeypatch.setitem(registry.SECTIONS, "zz.broken", Section("zz.broken", "七", 99, broken))
    client.force_login(people["sec_desk"])
    client.post(PAGE, {"period": "114H1", "format": "pdf"})
    run = ReportRun.objects.get()

    run_worker()

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error == "資料庫連線中斷"
    assert run.finished_at is not None and not run.file
    html = client.get(reverse("reports:run_progress", args=[run.pk])).content.decode()
    assert "報告產製失敗" in html and "hx-trigger" not in html
    assert client.get(reverse("reports:download", args=[run.pk])).status_code == 404
