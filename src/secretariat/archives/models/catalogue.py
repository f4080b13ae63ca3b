"""The catalogue (檔案編目): each agency's classification scheme (分類表: 類 → 綱 → 目 → 節) with
its 保存年限區分表, kept in versions (a change applies to files filed afterwards), and the
records at two levels — 案卷 (:class:`Folder`) and 件 (:class:`Item`) — under their 檔號
(年度號-分類號-案次號-卷次號-目次號)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from secretariat.core.audit import Audited
from secretariat.core.models import Agency, Unit


class Retention(models.IntegerChoices):
    """保存年限. 永久 is stored as the largest value so that "the longest retention" of a 案卷's
    件 is a plain maximum."""

    PERMANENT = 999, "永久"
    Y30 = 30, "30年"
    Y25 = 25, "25年"
    Y20 = 20, "20年"
    Y15 = 15, "15年"
    Y10 = 10, "10年"
    Y5 = 5, "5年"
    Y3 = 3, "3年"
    Y1 = 1, "1年"


class Disposal(models.TextChoices):
    """屆期處置: what happens when the retention ends."""

    NATIONAL = "national", "列為國家檔案"
    AGENCY_PERMANENT = "agency_permanent", "機關永久保存"
    APPRAISE = "appraise", "屆期後鑑定"
    DESTROY = "destroy", "依規定程序銷毀"


class Secrecy(models.IntegerChoices):
    """密等, ranked so a 案卷 takes the highest of its 件 by a maximum. The names are the
    documents module's (普通 … 絕對機密)."""

    NONE = 0, "普通"
    SECRET = 1, "密"
    CONFIDENTIAL = 2, "機密"
    TOP_SECRET = 3, "極機密"
    ABSOLUTE = 4, "絕對機密"


class Access(models.TextChoices):
    """應用限制."""

    OPEN = "open", "開放應用"
    RESTRICTED = "restricted", "限制開放"
    CLOSED = "closed", "不開放"


class Level(models.IntegerChoices):
    """分類階層."""

    CLASS = 1, "類"
    SECTION = 2, "綱"
    HEADING = 3, "目"
    SUBHEADING = 4, "節"


class FilingRule(Audited):
    """歸檔期限: an agency's rule for filing a closed 公文, in working days."""

    agency = models.OneToOneField(
        Agency, verbose_name="機關", on_delete=models.CASCADE, related_name="filing_rule"
    )
    working_days = models.PositiveSmallIntegerField("歸檔期限（工作天）", default=5)

    class Meta:
        verbose_name = "歸檔期限"
        verbose_name_plural = "歸檔期限"

    def __str__(self) -> str:
        return f"{self.agency.short_name} {self.working_days} 個工作天"


class Scheme(Audited):
    """分類表（含保存年限區分表）的一個版本. A version is published once and then fixed; files
    keep the entry of the version they were filed under."""

    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.PROTECT, related_name="archive_schemes"
    )
    version = models.PositiveSmallIntegerField("版次")
    effective_on = models.DateField("生效日期", null=True, blank=True)
    published = models.BooleanField("已公告", default=False)
    note = models.CharField("修訂說明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修訂人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("建立時間", auto_now_add=True)

    class Meta:
        verbose_name = "檔案分類表"
        verbose_name_plural = "檔案分類表"
        ordering = ["agency", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "version"], name="archive_scheme_version")
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name} 檔案分類表 第{self.version}版"


class Entry(Audited):
    """分類表的一項（類、綱、目或節）與其保存年限區分表的一列: 分類號, 類目名稱, 保存年限 and
    屆期處置. Only an entry with a retention may be filed under."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="分類表版本", on_delete=models.CASCADE, related_name="entries"
    )
    code = models.CharField("分類號", max_length=20)
    name = models.CharField("類目名稱", max_length=100)
    level = models.PositiveSmallIntegerField("階層", choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上層類目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    retention = models.PositiveSmallIntegerField(
        "保存年限", choices=Retention.choices, null=True, blank=True
    )
    disposal = models.CharField("屆期處置", max_length=20, choices=Disposal.choices, blank=True)
    description = models.CharField("保存年限區分表說明", max_length=300, blank=True)

    class Meta:
        verbose_name = "分類表項目"
        verbose_name_plural = "分類表項目"
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="archive_entry_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RecordStatus(models.TextChoices):
    ACTIVE = "active", "保存中"
    LISTED = "listed", "列入銷毀目錄"
    DESTROYED = "destroyed", "已銷毀"
    TRANSFERRED = "transferred", "已移轉"


class CatalogueFields(models.Model):
    """The catalogue fields 案卷 and 件 share."""

    title = models.CharField("案名", max_length=300)
    subject = models.CharField("案由", max_length=500, blank=True)
    retention = models.PositiveSmallIntegerField("保存年限", choices=Retention.choices)
    secrecy = models.PositiveSmallIntegerField("密等", choices=Secrecy.choices, default=0)
    access = models.CharField(
        "應用限制", max_length=12, choices=Access.choices, default=Access.OPEN
    )
    media = models.CharField("媒體型式", max_length=40, default="紙本")
    quantity = models.PositiveIntegerField("數量", default=1)
    topics = models.CharField("主題項", max_length=200, blank=True)
    abstract = models.TextField("案情摘要", max_length=2000, blank=True)
    status = models.CharField(
        "狀態", max_length=12, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )
    expires_on = models.DateField("保存期限屆滿日", null=True, blank=True, db_index=True)
    disposal_number = models.CharField("銷毀或移轉核准文號", max_length=60, blank=True)

    class Meta:
        abstract = True


class Folder(Audited, CatalogueFields):
    """案卷: the files of one matter (案次) in one volume (卷次) under one 分類號 and year. Its
    密等 and 保存年限 are the highest and longest of its 件 (``services`` keeps them so)."""

    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.PROTECT, related_name="archive_folders"
    )
    entry = models.ForeignKey(
        Entry,
        verbose_name="分類表項目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="folders",
    )
    year = models.PositiveSmallIntegerField("年度號（民國）")
    class_code = models.CharField("分類號", max_length=20)
    case_no = models.PositiveIntegerField("案次號")
    volume_no = models.PositiveSmallIntegerField("卷次號", default=1)
    file_code = models.CharField("檔號", max_length=60)
    disposal = models.CharField("屆期處置", max_length=20, choices=Disposal.choices, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name="承辦單位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="archive_folders",
    )
    started_on = models.DateField("檔案產生日期（起）", null=True, blank=True)
    ended_on = models.DateField("檔案產生日期（迄）", null=True, blank=True)
    store = models.CharField("庫房", max_length=40, blank=True)
    shelf = models.CharField("架", max_length=20, blank=True)
    layer = models.CharField("層", max_length=20, blank=True)
    box = models.CharField("箱", max_length=20, blank=True)
    shelf_metres = models.DecimalField(
        "排架長度（公尺）", max_digits=7, decimal_places=3, default=0
    )
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    changed_at = models.DateTimeField("異動時間", auto_now=True, db_index=True)

    class Meta:
        verbose_name = "案卷"
        verbose_name_plural = "案卷"
        ordering = ["agency", "file_code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "file_code"], name="archive_folder_code")
        ]
        indexes = [models.Index(fields=["agency", "expires_on"], name="archive_folder_expiry")]

    def __str__(self) -> str:
        return f"{self.file_code} {self.title}"


class FilingStatus(models.TextChoices):
    PROPOSED = "proposed", "待檔管檢核"
    FILED = "filed", "已歸檔"


class Item(Audited, CatalogueFields):
    """件: one 公文 (or a legacy record) in a 案卷, 檔號 = the 案卷's 檔號 and its 目次號. A
    filed 公文 is referenced (its signed versions stay in ``documents``)."""

    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.PROTECT, related_name="archive_items"
    )
    folder = models.ForeignKey(
        Folder,
        verbose_name="案卷",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    entry = models.ForeignKey(
        Entry,
        verbose_name="分類表項目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    item_no = models.PositiveIntegerField("目次號", null=True, blank=True)
    file_code = models.CharField("檔號", max_length=60, blank=True, db_index=True)
    correspondent = models.CharField("來(受)文者", max_length=200, blank=True)
    doc_number = models.CharField("收/發文字號", max_length=60, blank=True)
    produced_on = models.DateField("文件產生日期", null=True, blank=True)
    document = models.OneToOneField(
        "documents.Document",
        verbose_name="公文",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="archive_item",
    )
    filing = models.CharField(
        "歸檔狀態", max_length=12, choices=FilingStatus.choices, default=FilingStatus.FILED
    )
    closed_on = models.DateField("辦結日期", null=True, blank=True)
    filing_due = models.DateField("歸檔期限", null=True, blank=True)
    filed_on = models.DateField("歸檔日期", null=True, blank=True, db_index=True)
    checked_on = models.DateField("檢核（編目）日期", null=True, blank=True, db_index=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承辦人（擬歸檔）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="檔管人員（檢核）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported = models.BooleanField("匯入之舊目錄", default=False)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)

    class Meta:
        verbose_name = "件"
        verbose_name_plural = "件"
        ordering = ["agency", "file_code"]
        indexes = [
            models.Index(fields=["agency", "expires_on"], name="archive_item_expiry"),
            models.Index(fields=["agency", "filing"], name="archive_item_filing"),
            # the catalogue search: an agency's 件 in 檔號 order
            models.Index(fields=["agency", "file_code"], name="archive_item_agency_code"),
        ]

    def __str__(self) -> str:
        return f"{self.file_code or '（待歸檔）'} {self.title}"
