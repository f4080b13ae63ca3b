"""Retention and disposal (檔案銷毀、移轉): an agency's 銷毀目錄 from building to destruction
with 監毀, the business units' opinions on it, the Secretariat's 初審 of every agency's list,
and 移轉 of permanent files to the national archives (國家發展委員會檔案管理局)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from secretariat.archives.models.catalogue import Folder, Retention
from secretariat.core.audit import Audited
from secretariat.core.models import Agency, Unit


class ListStatus(models.TextChoices):
    DRAFT = "draft", "編製中"
    OPINIONS = "opinions", "徵詢業務單位意見"
    SUBMITTED = "submitted", "報請核准"
    APPROVED = "approved", "已核准"
    DESTROYED = "destroyed", "已銷毀"


class DestructionList(Audited):
    """銷毀目錄: the 案卷 whose retention ended in ``expiry_year`` that the archivist proposes
    to destroy. The approval (核准文號, date) is recorded by someone other than the proposer;
    destruction follows within 3 months of approval, with a 監毀 witness."""

    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.PROTECT, related_name="destruction_lists"
    )
    title = models.CharField("目錄名稱", max_length=200)
    expiry_year = models.PositiveSmallIntegerField("屆期年度（西元）")
    status = models.CharField(
        "狀態", max_length=12, choices=ListStatus.choices, default=ListStatus.DRAFT
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="編製人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_on = models.DateField("報請核准日期", null=True, blank=True)
    approval_number = models.CharField("核准文號", max_length=60, blank=True)
    approved_on = models.DateField("核准日期", null=True, blank=True)
    approved_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登錄核准者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    destroy_due = models.DateField("應銷毀期限", null=True, blank=True, db_index=True)
    destroyed_on = models.DateField("銷毀日期", null=True, blank=True)
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="執行銷毀者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    witness = models.CharField("監毀人員", max_length=100, blank=True)
    method = models.CharField("銷毀方式", max_length=60, blank=True)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)

    class Meta:
        verbose_name = "銷毀目錄"
        verbose_name_plural = "銷毀目錄"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.agency.short_name} {self.title}"


class Opinion(models.TextChoices):
    PENDING = "pending", "待表示意見"
    AGREE = "agree", "同意銷毀"
    EXTEND = "extend", "延長保存"


class DestructionEntry(Audited):
    """銷毀目錄的一列 (機關檔案保存年限及銷毀辦法 §8: 檔號, 案名, 檔案起迄日期, 保存年限,
    數量, 備註), copied from the 案卷 when listed so the list stays what was approved, with the
    business unit's opinion (延長: years and reason)."""

    destruction_list = models.ForeignKey(
        DestructionList, verbose_name="銷毀目錄", on_delete=models.CASCADE, related_name="entries"
    )
    folder = models.ForeignKey(
        Folder, verbose_name="案卷", on_delete=models.PROTECT, related_name="destruction_entries"
    )
    file_code = models.CharField("檔號", max_length=60)
    title = models.CharField("案名", max_length=300)
    started_on = models.DateField("檔案起日", null=True, blank=True)
    ended_on = models.DateField("檔案迄日", null=True, blank=True)
    retention = models.PositiveSmallIntegerField("保存年限", choices=Retention.choices)
    items = models.PositiveIntegerField("件數", default=0)
    volumes = models.PositiveIntegerField("卷數", default=1)
    note = models.CharField("備註", max_length=300, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name="業務單位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opinion = models.CharField(
        "業務單位意見", max_length=10, choices=Opinion.choices, default=Opinion.PENDING
    )
    extend_years = models.PositiveSmallIntegerField("延長年限", null=True, blank=True)
    extend_reason = models.CharField("延長理由", max_length=300, blank=True)
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="表示意見者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opinion_at = models.DateTimeField("表示意見時間", null=True, blank=True)

    class Meta:
        verbose_name = "銷毀目錄明細"
        verbose_name_plural = "銷毀目錄明細"
        ordering = ["destruction_list", "file_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["destruction_list", "folder"], name="archive_destruction_entry_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_code} {self.title}"


class ReviewStatus(models.TextChoices):
    RECEIVED = "received", "已收件"
    RETURNED = "returned", "退回補正"
    FORWARDED = "forwarded", "已轉陳核准機關"


class DestructionReview(Audited):
    """秘書處初審: an agency's 銷毀目錄 received, reviewed and returned with remarks or
    forwarded. Counts (件/案/卷, 公尺) come from the list when it was built here, or are
    recorded as received (older lists, other systems)."""

    agency = models.ForeignKey(
        Agency, verbose_name="送審機關", on_delete=models.PROTECT, related_name="+"
    )
    destruction_list = models.ForeignKey(
        DestructionList,
        verbose_name="銷毀目錄",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    reference = models.CharField("來文字號", max_length=60, blank=True)
    received_on = models.DateField("收件日期", db_index=True)
    items = models.PositiveIntegerField("件數", default=0)
    cases = models.PositiveIntegerField("案數", default=0)
    volumes = models.PositiveIntegerField("卷數", default=0)
    shelf_metres = models.DecimalField(
        "排架長度（公尺）", max_digits=9, decimal_places=3, default=0
    )
    status = models.CharField(
        "狀態", max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.RECEIVED
    )
    remarks = models.CharField("審查意見", max_length=500, blank=True)
    reviewed_on = models.DateField("審畢日期", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="審查人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # 銷毀追蹤: from the national archives' approval to the physical destruction (within
    # three months), per agency — what the hosted spreadsheet used to hold.
    approval_number = models.CharField("核准文號", max_length=60, blank=True)
    approved_on = models.DateField("核准日期", null=True, blank=True)
    destroy_due = models.DateField("應銷毀期限", null=True, blank=True, db_index=True)
    destroyed_on = models.DateField("銷毀日期", null=True, blank=True, db_index=True)
    reminded_on = models.DateField("最近提醒日期", null=True, blank=True)

    class Meta:
        verbose_name = "銷毀目錄初審"
        verbose_name_plural = "銷毀目錄初審"
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.agency.short_name} {self.reference or self.received_on}"


class Transfer(Audited):
    """移轉: permanent 案卷 handed to the national archives, with the approval 文號."""

    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.PROTECT, related_name="archive_transfers"
    )
    title = models.CharField("移轉目錄名稱", max_length=200)
    approval_number = models.CharField("核准文號", max_length=60)
    transferred_on = models.DateField("移轉日期", db_index=True)
    folders = models.ManyToManyField(Folder, verbose_name="案卷", related_name="transfers")
    cases = models.PositiveIntegerField("案數", default=0)
    volumes = models.PositiveIntegerField("卷數", default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登錄者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("建立時間", auto_now_add=True)

    class Meta:
        verbose_name = "檔案移轉"
        verbose_name_plural = "檔案移轉"
        ordering = ["-transferred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.agency.short_name} {self.title}"
