"""The background job that makes a report file for the report page."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# Steps after the sections and indicators: rendering the file and saving it.
RENDER_STEPS = 1


@task()
def render_report_task(run_id: int) -> dict:
    """Build the run's report, counting each section in ``done``/``total``, render it in the
    run's format and keep the file; a failure is recorded on the run for the page to show."""
    from secretariat.reports import registry, render
    from secretariat.reports.models import ReportRun, RunStatus
    from secretariat.reports.selectors import build_report

    run = ReportRun.objects.get(pk=run_id)
    runs = ReportRun.objects.filter(pk=run_id)
    # The steps are known before the first section reports (build_report counts each section
    # and then the indicators), so the bar shows 0／N rather than nothing while it computes.
    expected = len(registry.SECTIONS) + 1 + RENDER_STEPS
    runs.update(status=RunStatus.RUNNING, started_at=timezone.now(), total=expected)

    def progress(done: int, total: int) -> None:
        runs.update(done=done, total=total + RENDER_STEPS)

    try:
        report = build_report(run.period, progress=progress)
        fmt = render.FORMATS[run.format]
        content = fmt.render(report)
        run.refresh_from_db()
        run.file.save(f"report-{run.pk}.{fmt.extension}", ContentFile(content), save=False)
    except Exception as error:
        # The job must end with the run marked failed, whatever went wrong, or the page would
        # poll for ever; the traceback goes to the log for the administrators.
        logger.exception("report run %s failed", run_id)
        runs.update(status=RunStatus.FAILED, error=str(error), finished_at=timezone.now())
        return {"ok": False, "error": str(error)}
    run.status = RunStatus.DONE
    run.done = run.total
    run.finished_at = timezone.now()
    run.save(update_fields=["file", "status", "done", "finished_at"])
    return {"ok": True, "file": run.file.name, "bytes": len(content)}
