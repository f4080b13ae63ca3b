"""專業諮詢服務: free consultations the Secretariat offers with partner associations
(律師公會, 建築師公會, 地政士公會) and their volunteer professionals, in sessions with a
capacity (a room or a phone line); citizens book a slot online or at the desk with their name
and phone only, or are served as walk-ins. Each consultation is recorded as face to face or by
phone with a topic — never the advice itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from secretariat.core.audit import Audited

__all__ = [
    "CAPACITY_MAX",
    "TOPIC_MAX_LENGTH",
    "Association",
    "Booking",
    "BookingChannel",
    "BookingStatus",
    "ConsultSession",
    "ConsultSource",
    "Consultation",
    "Mode",
    "Profession",
    "Professional",
]

TOPIC_MAX_LENGTH = 60
CAPACITY_MAX = 20  # bookings of one session: a session lasts a few hours


class Profession(models.TextChoices):
    """專業領域 (the association's profession; the report's heading names it)."""

    LEGAL = "legal", "法律"
    ARCHITECTURE = "architecture", "建築"
    LAND = "land", "地政"


class Mode(models.TextChoices):
    """諮詢方式."""

    FACE_TO_FACE = "face", "面對面諮詢"
    PHONE = "phone", "電話諮詢"


class Association(Audited):
    """合作公會: a professional association that lends its members to the desk."""

    name = models.CharField("公會名稱", max_length=40, unique=True)
    profession = models.CharField("專業領域", max_length=20, choices=Profession.choices)
    email = models.EmailField("聯絡信箱", max_length=120, blank=True)
    is_active = models.BooleanField("合作中", default=True)

    class Meta:
        verbose_name = "合作公會"
        verbose_name_plural = "合作公會"
        ordering = ["profession", "name"]

    def __str__(self) -> str:
        return self.name


class Professional(Audited):
    """志工專業人員: an association's member who gives the consultations (律師、建築師、地政士)."""

    association = models.ForeignKey(
        Association, verbose_name="公會", on_delete=models.PROTECT, related_name="professionals"
    )
    name = models.CharField("姓名", max_length=40)
    email = models.EmailField("信箱（提醒用）", max_length=120, blank=True)
    is_active = models.BooleanField("服務中", default=True)

    class Meta:
        verbose_name = "志工專業人員"
        verbose_name_plural = "志工專業人員"
        ordering = ["association", "name"]

    def __str__(self) -> str:
        return self.name


class ConsultSession(Audited):
    """諮詢時段: a professional's session on a day, in a room (face to face) or on a phone
    line, with a number of slots (``capacity``)."""

    association = models.ForeignKey(
        Association, verbose_name="公會", on_delete=models.PROTECT, related_name="sessions"
    )
    professional = models.ForeignKey(
        Professional,
        verbose_name="諮詢人員",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    day = models.DateField("日期", db_index=True)
    starts = models.TimeField("開始")
    ends = models.TimeField("結束")
    mode = models.CharField("方式", max_length=10, choices=Mode.choices)
    place = models.CharField("地點或電話專線", max_length=40)
    capacity = models.PositiveSmallIntegerField("名額")

    class Meta:
        verbose_name = "諮詢時段"
        verbose_name_plural = "諮詢時段"
        ordering = ["day", "starts", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=CAPACITY_MAX),
                name="service_session_capacity_bounded",
            ),
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="service_session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.starts:%H:%M} {self.association}（{self.get_mode_display()}）"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "已預約"
    ATTENDED = "attended", "已諮詢"
    NO_SHOW = "no_show", "未到"
    CANCELLED = "cancelled", "已取消"


class BookingChannel(models.TextChoices):
    ONLINE = "online", "線上預約"
    DESK = "desk", "臨櫃預約"


class Booking(Audited):
    """預約: a slot of a session taken by a citizen (name and phone only). A slot is held
    once: the database refuses a second live booking of it."""

    session = models.ForeignKey(
        ConsultSession, verbose_name="時段", on_delete=models.PROTECT, related_name="bookings"
    )
    slot = models.PositiveSmallIntegerField("序號")
    name = models.CharField("姓名", max_length=30)
    phone = models.CharField("聯絡電話", max_length=20)
    channel = models.CharField("預約方式", max_length=10, choices=BookingChannel.choices)
    status = models.CharField(
        "狀態", max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    booked_at = models.DateTimeField("預約時間", auto_now_add=True)
    reminded_at = models.DateTimeField("提醒時間", null=True, blank=True)

    class Meta:
        verbose_name = "諮詢預約"
        verbose_name_plural = "諮詢預約"
        ordering = ["session", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "slot"],
                condition=~Q(status="cancelled"),
                name="service_booking_one_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(slot__gte=1, slot__lte=CAPACITY_MAX),
                name="service_booking_slot_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} 第{self.slot}號"


class ConsultSource(models.TextChoices):
    DESK = "desk", "服務台登錄"
    IMPORT = "import", "匯入"


class Consultation(Audited):
    """專業諮詢紀錄: one consultation given — by booking or walk-in (現場), face to face or
    by phone, with its topic. The advice is never recorded."""

    association = models.ForeignKey(
        Association, verbose_name="公會", on_delete=models.PROTECT, related_name="consultations"
    )
    session = models.ForeignKey(
        ConsultSession,
        verbose_name="時段",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    booking = models.OneToOneField(
        Booking,
        verbose_name="預約",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultation",
    )
    held_on = models.DateField("諮詢日期", db_index=True)
    mode = models.CharField("方式", max_length=10, choices=Mode.choices)
    topic = models.CharField("諮詢主題", max_length=TOPIC_MAX_LENGTH, blank=True)
    walk_in = models.BooleanField("現場諮詢", default=False)
    source = models.CharField(
        "來源", max_length=10, choices=ConsultSource.choices, default=ConsultSource.DESK
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登錄人員",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "專業諮詢紀錄"
        verbose_name_plural = "專業諮詢紀錄"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.association} {self.held_on} {self.get_mode_display()}"
