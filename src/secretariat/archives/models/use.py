"""Digitization (檔案數位化), use (檔案應用) and inspections (考評).

* A :class:`DigitizationProject` is an agency's plan to scan its permanent paper files (應數位化
  件數); its :class:`DigitizationBatch` es record what was scanned (件, 影像頁數) and the quality
  check (合格 / 重製). Only passed batches count towards the completion rate.
* A :class:`UseApplication` is one 檔案應用申請 (by a citizen on the public page, or by staff),
  holding one :class:`UseRequest` per record asked for (閱覽、抄錄 or 複製 by 檔號); the
  decision is due within 30 days (檔案法 §19), extendable once (行政程序法 §51).
* An :class:`Inspection` is one year's 考評 of an agency's archive management, with a score per
  item (:class:`InspectionScore`) and follow-up items (:class:`FollowUp`, 改善事項) tracked to
  completion.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from secretariat.core.audit import Audited
from secretariat.core.models import Agency


class DigitizationProject(Audited):
    """檔案數位化專案: an agency's plan for one year."""

    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.PROTECT, related_name="digitization_projects"
    )
    year = models.PositiveSmallIntegerField("年度（民國）")
    title = models.CharField("專案名稱", max_length=200)
    target_items = models.PositiveIntegerField("應數位化件數")
    imported = models.BooleanField("匯入之歷年資料", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="建立人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("建立時間", auto_now_add=True)

    class Meta:
        verbose_name = "檔案數位化專案"
        verbose_name_plural = "檔案數位化專案"
        ordering = ["agency", "-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "title"], name="archive_digitization_project"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"


class Quality(models.TextChoices):
    """品質檢查結果."""

    PENDING = "pending", "待檢查"
    PASSED = "passed", "合格"
    REDO = "redo", "重製"


class DigitizationBatch(Audited):
    """掃描批次: 件 and 影像頁數 scanned on a day, and its quality check."""

    project = models.ForeignKey(
        DigitizationProject, verbose_name="專案", on_delete=models.PROTECT, related_name="batches"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.PROTECT, related_name="+"
    )
    scanned_on = models.DateField("掃描日期", db_index=True)
    items = models.PositiveIntegerField("件數")
    pages = models.PositiveIntegerField("影像頁數")
    quality = models.CharField(
        "品質檢查", max_length=10, choices=Quality.choices, default=Quality.PENDING
    )
    checked_on = models.DateField("檢查日期", null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="檢查人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("說明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登錄人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "掃描批次"
        verbose_name_plural = "掃描批次"
        ordering = ["-scanned_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.project.title} {self.scanned_on} {self.items}件"


class Manner(models.TextChoices):
    """應用方式 (檔案法 §17)."""

    READ = "read", "閱覽"
    TRANSCRIBE = "transcribe", "抄錄"
    COPY = "copy", "複製"


class RefusalGround(models.TextChoices):
    """拒絕應用之法定理由 (檔案法 §18 各款)."""

    NATIONAL_SECRET = "secret", "有關國家機密者（檔案法第18條第1款）"
    CRIME = "crime", "有關犯罪資料者（檔案法第18條第2款）"
    TRADE_SECRET = "trade", "有關工商秘密者（檔案法第18條第3款）"
    EXAMINATION = "exam", "有關學識技能檢定及資格審查之資料者（檔案法第18條第4款）"
    PERSONNEL = "personnel", "有關人事及薪資資料者（檔案法第18條第5款）"
    CONFIDENTIALITY = "duty", "依法令或契約有保密之義務者（檔案法第18條第6款）"
    PUBLIC_INTEREST = "interest", "其他為維護公共利益或第三人之正當權益者（檔案法第18條第7款）"


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", "審核中"
    DECIDED = "decided", "已准駁"


class UseApplication(Audited):
    """檔案應用申請. A citizen applies on the public page (no account); staff apply signed in."""

    number = models.CharField("申請編號", max_length=20, unique=True)
    agency = models.ForeignKey(
        Agency, verbose_name="檔案管有機關", on_delete=models.PROTECT, related_name="+"
    )
    applicant_name = models.CharField("申請人", max_length=60)
    applicant_email = models.EmailField("電子郵件", max_length=200, blank=True)
    applicant_phone = models.CharField("電話", max_length=30, blank=True)
    purpose = models.CharField("申請目的", max_length=500)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申請人帳號",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_on = models.DateField("受理日期", db_index=True)
    decision_due = models.DateField("准駁期限")
    extended_due = models.DateField("延長後期限", null=True, blank=True)
    extension_reason = models.CharField("延長理由", max_length=300, blank=True)
    status = models.CharField(
        "狀態", max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED
    )
    decided_on = models.DateField("准駁日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="准駁人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fee = models.PositiveIntegerField("應繳費用（元）", default=0)

    class Meta:
        verbose_name = "檔案應用申請"
        verbose_name_plural = "檔案應用申請"
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"

    @property
    def due(self):
        """The decision's deadline, extended or not."""
        return self.extended_due or self.decision_due

    @property
    def by_citizen(self) -> bool:
        return self.applicant_id is None


class RequestDecision(models.TextChoices):
    PENDING = "pending", "待審核"
    APPROVED = "approved", "准予應用"
    PARTLY = "partly", "部分提供"
    REFUSED = "refused", "駁回"


class UseRequest(Audited):
    """申請項目: one record (by 檔號) and how it is to be used."""

    application = models.ForeignKey(
        UseApplication, verbose_name="申請", on_delete=models.CASCADE, related_name="requests"
    )
    item = models.ForeignKey(
        "archives.Item", verbose_name="件", on_delete=models.PROTECT, related_name="use_requests"
    )
    manner = models.CharField("應用方式", max_length=12, choices=Manner.choices)
    copies = models.PositiveIntegerField("複製張數", default=0)
    decision = models.CharField(
        "准駁", max_length=10, choices=RequestDecision.choices, default=RequestDecision.PENDING
    )
    ground = models.CharField("駁回理由", max_length=12, choices=RefusalGround.choices, blank=True)
    note = models.CharField("准駁說明", max_length=300, blank=True)
    fee = models.PositiveIntegerField("費用（元）", default=0)

    class Meta:
        verbose_name = "檔案應用申請項目"
        verbose_name_plural = "檔案應用申請項目"
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return f"{self.item.file_code} {self.get_manner_display()}"

    def audit_agency_id(self) -> int | None:
        return self.application.agency_id


class FeeRate(Audited):
    """收費標準: the price of one unit of a manner of use (閱覽 and 抄錄 are free by default;
    複製 per sheet). The Secretariat keeps it for every agency."""

    manner = models.CharField("應用方式", max_length=12, choices=Manner.choices, unique=True)
    unit_price = models.PositiveIntegerField("單價（元）")
    unit = models.CharField("計費單位", max_length=10, default="張")

    class Meta:
        verbose_name = "檔案應用收費標準"
        verbose_name_plural = "檔案應用收費標準"

    def __str__(self) -> str:
        return f"{self.get_manner_display()} 每{self.unit}{self.unit_price}元"


class InspectionKind(models.TextChoices):
    FIELD = "field", "實地考評"
    REVIEW = "review", "複評"
    COACHING = "coaching", "個別機關輔導"


class Inspection(Audited):
    """檔案管理考評: one visit to an agency in a year."""

    agency = models.ForeignKey(
        Agency,
        verbose_name="受評機關",
        on_delete=models.PROTECT,
        related_name="archive_inspections",
    )
    year = models.PositiveSmallIntegerField("年度（民國）")
    kind = models.CharField("考評類別", max_length=10, choices=InspectionKind.choices)
    inspected_on = models.DateField("考評日期", db_index=True)
    inspectors = models.CharField("考評委員", max_length=200, blank=True)
    imported = models.BooleanField("匯入之歷年資料", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登錄人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "檔案管理考評"
        verbose_name_plural = "檔案管理考評"
        ordering = ["-inspected_on", "agency"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.agency.short_name} {self.get_kind_display()}"


class InspectionScore(Audited):
    """評分項目: points given out of the item's full marks."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="考評", on_delete=models.CASCADE, related_name="scores"
    )
    item = models.CharField("評分項目", max_length=100)
    full_marks = models.PositiveSmallIntegerField("配分")
    points = models.DecimalField("得分", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "考評評分項目"
        verbose_name_plural = "考評評分項目"
        ordering = ["inspection", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="archive_inspection_item")
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.points}/{self.full_marks}"

    def audit_agency_id(self) -> int | None:
        return self.inspection.agency_id


class FollowUp(Audited):
    """改善事項: what the inspection asked the agency to fix, tracked until done."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="考評", on_delete=models.CASCADE, related_name="follow_ups"
    )
    text = models.CharField("改善事項", max_length=300)
    due_on = models.DateField("改善期限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_note = models.CharField("辦理情形", max_length=300, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填報人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "考評改善事項"
        verbose_name_plural = "考評改善事項"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text

    def audit_agency_id(self) -> int | None:
        return self.inspection.agency_id


__all__ = [
    "ApplicationStatus",
    "DigitizationBatch",
    "DigitizationProject",
    "FeeRate",
    "FollowUp",
    "Inspection",
    "InspectionKind",
    "InspectionScore",
    "Manner",
    "Quality",
    "RefusalGround",
    "RequestDecision",
    "UseApplication",
    "UseRequest",
]
