"""A report file asked for on the report page: made by a background job (``tasks.py``), which
keeps its progress here for the page's progress bar, then the file to download."""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.db import models

from secretariat.core.roc import Period


class RunStatus(models.TextChoices):
    PENDING = "pending", "等待處理"
    RUNNING = "running", "產製中"
    DONE = "done", "已完成"
    FAILED = "failed", "產製失敗"


def report_path(run: ReportRun, filename: str) -> str:
    # The stored name stays ASCII (the download is named 臺北市政府秘書處工作報告（…）.odt).
    return f"reports/{run.created_at:%Y}/{filename}"


class ReportRun(models.Model):
    period_start = models.DateField("起日")
    period_end = models.DateField("迄日")
    period_label = models.CharField("期間", max_length=60)
    format = models.CharField("格式", max_length=8)
    status = models.CharField(
        "狀態", max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING
    )
    done = models.PositiveIntegerField("已完成步驟", default=0)
    total = models.PositiveIntegerField("總步驟", default=0)
    file = models.FileField("檔案", upload_to=report_path, blank=True)
    error = models.TextField("錯誤訊息", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申請人",
        on_delete=models.PROTECT,
        related_name="report_runs",
    )
    created_at = models.DateTimeField("申請時間", auto_now_add=True)
    started_at = models.DateTimeField("開始時間", null=True, blank=True)
    finished_at = models.DateTimeField("完成時間", null=True, blank=True)

    class Meta:
        verbose_name = "工作報告產製"
        verbose_name_plural = "工作報告產製"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.period_label}工作報告（{self.format.upper()}）"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end, self.period_label)

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def ratio(self) -> Fraction:
        """How much is done (0 before the job starts), for the progress bar's text."""
        return Fraction(self.done, self.total) if self.total else Fraction(0)
