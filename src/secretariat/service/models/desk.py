"""服務台 (the city hall general service desk, 綜合業務服務臺) and its counts: consultations
by category (市政業務諮詢) and the petitions it assists (協處陳情), referrals (1999 手語視訊,
another agency's counter), the 10-minute dispatch of agency staff (派員到場), and the
nursing rooms' uses (哺集乳室).

Categories are versioned: a category keeps its identity (``code``) while its name changes
(:class:`CategoryName`), so a report of an earlier period prints the name of that period and a
renamed category's history stays one row."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import DateTimeField, ExpressionWrapper, F, Q
from django.utils import timezone

from secretariat.core.audit import Audited
from secretariat.core.models import Agency

# 臺北市政府聯合服務中心作業及管理規範: an agency sends someone within 10 minutes of the call.
DISPATCH_MINUTES = 10
NOTE_MAX_LENGTH = 200


class ConsultationCategory(Audited):
    """諮詢類別 (民政、財政建設、教育、交通、工務、警政衛生 …). Its name lives in
    :class:`CategoryName`, dated, so a rename keeps the history."""

    code = models.SlugField("代號", max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("使用中", default=True)

    class Meta:
        verbose_name = "諮詢類別"
        verbose_name_plural = "諮詢類別"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name_on(timezone.localdate())

    def name_on(self, day: dt.date) -> str:
        """The category's name in force on ``day`` (its first name before it had one)."""
        names = sorted(self.names.all(), key=lambda n: n.valid_from)
        current = names[0].name if names else self.code
        for name in names:
            if name.valid_from <= day:
                current = name.name
        return current


class CategoryName(Audited):
    """類別名稱沿革: the name a category carries from ``valid_from`` on."""

    category = models.ForeignKey(
        ConsultationCategory, verbose_name="類別", on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField("名稱", max_length=20)
    valid_from = models.DateField("生效日")

    class Meta:
        verbose_name = "類別名稱"
        verbose_name_plural = "類別名稱"
        ordering = ["category", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "valid_from"], name="service_category_name_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return self.name


class VisitKind(models.TextChoices):
    CONSULTATION = "consultation", "諮詢服務"
    PETITION = "petition", "陳情服務"


class Referral(models.TextChoices):
    NONE = "", "無"
    SIGN_LANGUAGE = "sign_language", "轉介1999手語視訊"
    AGENCY_COUNTER = "agency_counter", "轉介機關櫃檯"


class VisitSource(models.TextChoices):
    DESK = "desk", "服務台登錄"
    IMPORT = "import", "匯入"


class DeskVisit(Audited):
    """服務台服務紀錄: one citizen served at the desk — a consultation of a category, or a
    petition the desk helped file (協處陳情); optionally referred on. No personal data."""

    served_at = models.DateTimeField("服務時間", db_index=True)
    kind = models.CharField(
        "服務類型", max_length=20, choices=VisitKind.choices, default=VisitKind.CONSULTATION
    )
    category = models.ForeignKey(
        ConsultationCategory,
        verbose_name="諮詢類別",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="相關機關",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referral = models.CharField(
        "轉介", max_length=20, choices=Referral.choices, default=Referral.NONE, blank=True
    )
    note = models.CharField("備註", max_length=NOTE_MAX_LENGTH, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登錄人員",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Imported history is told apart so that importing the same file again changes nothing.
    source = models.CharField(
        "來源", max_length=10, choices=VisitSource.choices, default=VisitSource.DESK
    )

    class Meta:
        verbose_name = "服務台服務紀錄"
        verbose_name_plural = "服務台服務紀錄"
        ordering = ["-served_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="petition") | Q(category__isnull=False),
                name="service_consultation_has_category",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.served_at:%Y-%m-%d %H:%M}"


class ArrivalBy(models.TextChoices):
    DESK = "desk", "服務台登錄"
    LINK = "link", "機關以通知連結回報"
    IMPORT = "import", "匯入"


class Dispatch(Audited):
    """派員通知: the desk phones an agency to send someone for a citizen; the agency must be
    there within :data:`DISPATCH_MINUTES` of the call."""

    agency = models.ForeignKey(
        Agency, verbose_name="通知機關", on_delete=models.PROTECT, related_name="+"
    )
    called_at = models.DateTimeField("通知時間", db_index=True)
    contact = models.CharField("受話人員", max_length=60, blank=True)
    purpose = models.CharField("事由", max_length=NOTE_MAX_LENGTH)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="通知人員",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    arrived_at = models.DateTimeField("到場時間", null=True, blank=True)
    arrival_by = models.CharField(
        "到場登錄方式", max_length=10, choices=ArrivalBy.choices, blank=True
    )
    arrival_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="到場登錄人員",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The one-time arrival link: a fresh value per call, cleared once used, so a link works once.
    link_nonce = models.CharField("連結識別碼", max_length=64, blank=True)

    class Meta:
        verbose_name = "派員通知"
        verbose_name_plural = "派員通知"
        ordering = ["-called_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.agency.short_name} {self.called_at:%Y-%m-%d %H:%M}"

    @property
    def due_at(self) -> dt.datetime:
        return self.called_at + dt.timedelta(minutes=DISPATCH_MINUTES)

    def is_late_at(self, at: dt.datetime) -> bool:
        """Late: arrived after the 10 minutes, or not arrived and the 10 minutes are over
        (the same rule as :func:`on_time_q` and :func:`decided_q` in the database)."""
        if self.arrived_at is not None:
            return self.arrived_at > self.due_at
        return at > self.due_at


def _due() -> ExpressionWrapper:
    return ExpressionWrapper(
        F("called_at") + dt.timedelta(minutes=DISPATCH_MINUTES), output_field=DateTimeField()
    )


def on_time_q() -> Q:
    """Calls whose person arrived within the 10 minutes (exactly 10 is on time)."""
    return Q(arrived_at__isnull=False, arrived_at__lte=_due())


def decided_q(at: dt.datetime) -> Q:
    """Calls counted in the rate at ``at``: arrived, or the 10 minutes are over."""
    return Q(arrived_at__isnull=False) | Q(
        called_at__lt=at - dt.timedelta(minutes=DISPATCH_MINUTES)
    )


class NursingRoom(Audited):
    """哺集乳室: a room whose uses are counted (no personal data)."""

    name = models.CharField("名稱", max_length=40, unique=True)
    place = models.CharField("位置", max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("使用中", default=True)

    class Meta:
        verbose_name = "哺集乳室"
        verbose_name_plural = "哺集乳室"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class NursingRoomUse(Audited):
    """哺集乳室使用人次: the number of uses of a room on a day."""

    room = models.ForeignKey(
        NursingRoom, verbose_name="哺集乳室", on_delete=models.PROTECT, related_name="uses"
    )
    used_on = models.DateField("日期")
    count = models.PositiveIntegerField("使用人次", default=0)

    class Meta:
        verbose_name = "哺集乳室使用"
        verbose_name_plural = "哺集乳室使用"
        ordering = ["-used_on", "room"]
        constraints = [
            models.UniqueConstraint(fields=["room", "used_on"], name="service_room_use_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.used_on}：{self.count}"
