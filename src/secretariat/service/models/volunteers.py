"""志工便民服務: the volunteers at the city hall's four gates and the joint service centre.
Posts (服務崗位), shifts on a roster (排班) with swaps (換班), signing in and out (service
hours), training sessions attended, and per shift the people served (人次) and leaflets handed
out (文宣), entered at sign-out.

A volunteer's personal data (phone, e-mail, address, birthday, emergency contact) lives apart
in :class:`VolunteerContact`, which only the desk supervisor reads (selectors and API)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from secretariat.core.audit import Audited

__all__ = [
    "LEAFLETS_MAX",
    "PEOPLE_MAX",
    "Post",
    "Shift",
    "ShiftSource",
    "ShiftSwap",
    "Training",
    "Volunteer",
    "VolunteerContact",
]

PEOPLE_MAX = 5_000  # people served in one shift: far above a gate's busiest morning
LEAFLETS_MAX = 5_000


class Post(Audited):
    """服務崗位: a gate of city hall or the joint service centre."""

    name = models.CharField("崗位名稱", max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("使用中", default=True)

    class Meta:
        verbose_name = "志工服務崗位"
        verbose_name_plural = "志工服務崗位"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Volunteer(Audited):
    """志工: the name the roster shows (nothing else about the person; see
    :class:`VolunteerContact`)."""

    name = models.CharField("姓名", max_length=30)
    joined_on = models.DateField("加入日期")
    is_active = models.BooleanField("服務中", default=True)

    class Meta:
        verbose_name = "志工"
        verbose_name_plural = "志工"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class VolunteerContact(Audited):
    """志工個人資料: read by the desk supervisor only (個人資料保護法)."""

    volunteer = models.OneToOneField(
        Volunteer, verbose_name="志工", on_delete=models.CASCADE, related_name="contact"
    )
    phone = models.CharField("聯絡電話", max_length=20)
    email = models.EmailField("電子郵件", max_length=120, blank=True)
    address = models.CharField("通訊地址", max_length=100, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    emergency_contact = models.CharField("緊急聯絡人及電話", max_length=60, blank=True)

    class Meta:
        verbose_name = "志工個人資料"
        verbose_name_plural = "志工個人資料"

    def __str__(self) -> str:
        return f"{self.volunteer}的個人資料"


class ShiftSource(models.TextChoices):
    ROSTER = "roster", "排班"
    IMPORT = "import", "匯入"


class Shift(Audited):
    """班次: a volunteer rostered at a post on a day, from ``starts`` to ``ends``; signed in
    and out (service hours), with the people served and leaflets handed out entered at
    sign-out. Imported history carries the tallies without a volunteer."""

    post = models.ForeignKey(
        Post, verbose_name="崗位", on_delete=models.PROTECT, related_name="shifts"
    )
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name="志工",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shifts",
    )
    day = models.DateField("日期", db_index=True)
    starts = models.TimeField("開始")
    ends = models.TimeField("結束")
    signed_in_at = models.DateTimeField("簽到時間", null=True, blank=True)
    signed_out_at = models.DateTimeField("簽退時間", null=True, blank=True)
    people_served = models.PositiveIntegerField("服務人次", default=0)
    leaflets = models.PositiveIntegerField("發送文宣", default=0)
    source = models.CharField(
        "來源", max_length=10, choices=ShiftSource.choices, default=ShiftSource.ROSTER
    )

    class Meta:
        verbose_name = "志工班次"
        verbose_name_plural = "志工班次"
        ordering = ["day", "starts", "post", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "day", "starts"], name="service_shift_volunteer_once"
            ),
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="service_shift_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(signed_out_at__isnull=True) | Q(signed_in_at__isnull=False),
                name="service_shift_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.starts:%H:%M} {self.post}"

    @property
    def service_minutes(self) -> int:
        """服務時數 in minutes: from sign-in to sign-out."""
        if self.signed_in_at is None or self.signed_out_at is None:
            return 0
        return max(0, int((self.signed_out_at - self.signed_in_at).total_seconds() // 60))


class ShiftSwap(Audited):
    """換班: who held the shift before, who holds it now, and why."""

    shift = models.ForeignKey(
        Shift, verbose_name="班次", on_delete=models.CASCADE, related_name="swaps"
    )
    from_volunteer = models.ForeignKey(
        Volunteer, verbose_name="原排班志工", on_delete=models.PROTECT, related_name="+"
    )
    to_volunteer = models.ForeignKey(
        Volunteer, verbose_name="代班志工", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("原因", max_length=60, blank=True)
    swapped_at = models.DateTimeField("換班時間", auto_now_add=True)
    swapped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登錄人員",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "志工換班"
        verbose_name_plural = "志工換班"
        ordering = ["-swapped_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.shift}：{self.from_volunteer}→{self.to_volunteer}"


class Training(Audited):
    """志工訓練: a training session and its hours."""

    title = models.CharField("課程名稱", max_length=60)
    held_on = models.DateField("日期")
    hours = models.DecimalField("時數", max_digits=4, decimal_places=1)
    attendees = models.ManyToManyField(
        Volunteer, verbose_name="參訓志工", blank=True, related_name="trainings"
    )

    class Meta:
        verbose_name = "志工訓練"
        verbose_name_plural = "志工訓練"
        ordering = ["-held_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="service_training_hours_bounded"
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"
