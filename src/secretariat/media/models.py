"""媒體聯繫與新聞發布: the mayor's public schedule (市長公開行程) now; press releases, public
opinion items and the press contacts later (see ../shared/GUIDE.md)."""

from __future__ import annotations

from django.db import models

from secretariat.core.audit import Audited


class ScheduleItem(Audited):
    """市長公開行程: entered daily, e-mailed to every active councillor by the daily job."""

    day = models.DateField("日期", db_index=True)
    starts_at = models.TimeField("時間")
    title = models.CharField("行程", max_length=200)
    place = models.CharField("地點", max_length=200, blank=True)

    class Meta:
        verbose_name = "市長公開行程"
        verbose_name_plural = "市長公開行程"
        ordering = ["day", "starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.day} {self.starts_at:%H:%M} {self.title}"


class ScheduleMailing(models.Model):
    """That a day's schedule was mailed (once), and to how many councillors."""

    day = models.DateField("日期", unique=True)
    sent_at = models.DateTimeField("寄送時間", auto_now_add=True)
    recipients = models.PositiveIntegerField("收件議員數")
    items = models.PositiveIntegerField("行程數")

    class Meta:
        verbose_name = "行程寄送紀錄"
        verbose_name_plural = "行程寄送紀錄"
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day} 寄送 {self.recipients} 位議員"
