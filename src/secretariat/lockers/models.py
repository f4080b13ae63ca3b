"""文件智取櫃: document lockers between agencies (issue 19).

Sites (地點) hold locker banks (櫃組); a bank has numbered compartments (櫃格) of a size, each
shared or fixed to one agency (機關固定櫃). A sending agency's 收發 makes a **package** (包)
of outgoing paper documents from its 發文 register for one receiving agency; a courier scans
the package's QR code at the bank, which opens a compartment; the receiving agency's 收發
picks it up with a one-time code or a staff login and signs for it (簽收), which registers
every document as 收文 on the receiving side.

Opening a compartment is a command (``OpenCommand``) the bank's controller receives and
acknowledges; a package counts as deposited or collected only once the controller says the
door opened. A compartment holds at most one live package: a partial unique index
(``lockers_one_live_package_per_compartment``) and the bank row locked while one is chosen.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from secretariat.core.audit import Audited
from secretariat.core.models import Agency


class Site(Audited):
    """智取櫃地點: where banks stand (市政大樓 1 樓 …)."""

    name = models.CharField("地點名稱", max_length=60, unique=True)
    address = models.CharField("地址", max_length=200, blank=True)

    class Meta:
        verbose_name = "智取櫃地點"
        verbose_name_plural = "智取櫃地點"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Bank(Audited):
    """櫃組: one locker bank with its controller. The controller authenticates with the bank's
    key (``X-Locker-Key``), kept only as a SHA-256 hash; ``simulated`` banks (the demo) have no
    hardware and their commands are acknowledged as they are issued."""

    audit_exclude = {"key_hash", "last_seen_at"}

    site = models.ForeignKey(
        Site, verbose_name="地點", on_delete=models.PROTECT, related_name="banks"
    )
    code = models.SlugField("櫃組代號", max_length=20, unique=True)
    name = models.CharField("櫃組名稱", max_length=60)
    key_prefix = models.CharField("金鑰前綴", max_length=12, unique=True)
    key_hash = models.CharField("金鑰雜湊", max_length=64)
    simulated = models.BooleanField("模擬控制器（展示用）", default=False)
    active = models.BooleanField("使用中", default=True)
    last_seen_at = models.DateTimeField("控制器最後連線", null=True, blank=True)

    class Meta:
        verbose_name = "智取櫃櫃組"
        verbose_name_plural = "智取櫃櫃組"
        ordering = ["site__name", "code"]

    def __str__(self) -> str:
        return f"{self.site.name} {self.name}"


class Size(models.TextChoices):
    SMALL = "S", "小格"
    MEDIUM = "M", "中格"
    LARGE = "L", "大格"


SIZE_ORDER = {Size.SMALL: 1, Size.MEDIUM: 2, Size.LARGE: 3}


class Compartment(Audited):
    """櫃格: a numbered compartment; ``agency`` set: 機關固定櫃 (only that agency's packages)."""

    bank = models.ForeignKey(
        Bank, verbose_name="櫃組", on_delete=models.PROTECT, related_name="compartments"
    )
    number = models.PositiveSmallIntegerField("格號")
    size = models.CharField("尺寸", max_length=1, choices=Size.choices, default=Size.MEDIUM)
    agency = models.ForeignKey(
        Agency,
        verbose_name="固定機關",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField("使用中", default=True)

    class Meta:
        verbose_name = "智取櫃櫃格"
        verbose_name_plural = "智取櫃櫃格"
        ordering = ["bank", "number"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "number"], name="lockers_compartment_number")
        ]

    def __str__(self) -> str:
        return f"{self.bank.code}-{self.number:03d}"


class Status(models.TextChoices):
    PACKED = "packed", "已打包"
    DEPOSITING = "depositing", "投遞開門中"
    DEPOSITED = "deposited", "待取件"
    COLLECTING = "collecting", "取件開門中"
    COLLECTED = "collected", "已取件"
    SIGNED = "signed", "已簽收"
    CANCELLED = "cancelled", "已取消"


# A package in one of these holds its compartment.
LIVE = (Status.DEPOSITING, Status.DEPOSITED, Status.COLLECTING)


class Package(Audited):
    """包: paper documents of one sending agency for one receiving agency, with their list.
    ``token`` is what the cover sheet's QR code carries; the pickup code is kept only as a
    keyed hash, with its expiry, and is cleared when used."""

    audit_exclude = {"token", "code_hash"}

    number = models.CharField("包號", max_length=20, unique=True)
    token = models.CharField("條碼內容", max_length=40, unique=True)
    agency = models.ForeignKey(
        Agency, verbose_name="發文機關", on_delete=models.PROTECT, related_name="+"
    )
    receiver = models.ForeignKey(
        Agency, verbose_name="受文機關", on_delete=models.PROTECT, related_name="+"
    )
    bank = models.ForeignKey(
        Bank, verbose_name="投遞櫃組", on_delete=models.PROTECT, related_name="packages"
    )
    size = models.CharField("尺寸", max_length=1, choices=Size.choices, default=Size.MEDIUM)
    compartment = models.ForeignKey(
        Compartment,
        verbose_name="櫃格",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="packages",
    )
    status = models.CharField("狀態", max_length=12, choices=Status.choices, default=Status.PACKED)
    packed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="打包人員",
        on_delete=models.PROTECT,
        related_name="+",
    )
    packed_at = models.DateTimeField("打包時間")
    deposited_at = models.DateTimeField("投遞時間", null=True, blank=True, db_index=True)
    pickup_due_at = models.DateTimeField("應取件時間", null=True, blank=True)
    code_hash = models.CharField("取件碼雜湊", max_length=64, blank=True)
    code_expires_at = models.DateTimeField("取件碼期限", null=True, blank=True)
    collected_at = models.DateTimeField("取件時間", null=True, blank=True)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取件人員",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    collected_with_code = models.BooleanField("以取件碼取件", default=False)
    signed_at = models.DateTimeField("簽收時間", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="簽收人員",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reminded_at = models.DateTimeField("最後催取時間", null=True, blank=True)

    class Meta:
        verbose_name = "智取櫃包件"
        verbose_name_plural = "智取櫃包件"
        ordering = ["-packed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["compartment"],
                condition=Q(status__in=[s.value for s in LIVE]),
                name="lockers_one_live_package_per_compartment",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def audit_agency_id(self) -> int | None:
        return self.agency_id


class PackageItem(Audited):
    """One document of a package: the 發文 register's row for the receiving agency, and once
    signed for, the 收文 it became on the receiving side."""

    package = models.ForeignKey(
        Package, verbose_name="包件", on_delete=models.CASCADE, related_name="items"
    )
    dispatch = models.OneToOneField(
        "documents.DispatchRecipient",
        verbose_name="發文對象",
        on_delete=models.PROTECT,
        related_name="locker_item",
    )
    document = models.ForeignKey(
        "documents.Document", verbose_name="公文", on_delete=models.PROTECT, related_name="+"
    )
    received = models.ForeignKey(
        "documents.Document",
        verbose_name="收文",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "包件公文"
        verbose_name_plural = "包件公文"
        ordering = ["package", "pk"]

    def __str__(self) -> str:
        return f"{self.package.number} {self.document.reference}"

    def audit_agency_id(self) -> int | None:
        return self.package.agency_id


class Purpose(models.TextChoices):
    DEPOSIT = "deposit", "投遞"
    PICKUP = "pickup", "取件"


class OpenCommand(Audited):
    """開門指令: the controller fetches pending ones and acknowledges each (opened or not,
    with the hardware's reason)."""

    bank = models.ForeignKey(
        Bank, verbose_name="櫃組", on_delete=models.PROTECT, related_name="commands"
    )
    compartment = models.ForeignKey(
        Compartment, verbose_name="櫃格", on_delete=models.PROTECT, related_name="+"
    )
    package = models.ForeignKey(
        Package, verbose_name="包件", on_delete=models.PROTECT, related_name="commands"
    )
    purpose = models.CharField("用途", max_length=8, choices=Purpose.choices)
    issued_at = models.DateTimeField("發出時間")
    acknowledged_at = models.DateTimeField("回覆時間", null=True, blank=True)
    opened = models.BooleanField("已開門", null=True)
    error = models.CharField("控制器訊息", max_length=200, blank=True)

    class Meta:
        verbose_name = "開門指令"
        verbose_name_plural = "開門指令"
        ordering = ["issued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.compartment} {self.get_purpose_display()}"


class PackageTally(Audited):
    """Imported history (the locker system this platform replaces): packages one agency sent
    another in a month, and the total minutes from deposit to pickup of those collected."""

    month = models.DateField("月份（月初）")
    agency = models.ForeignKey(
        Agency, verbose_name="發文機關", on_delete=models.PROTECT, related_name="+"
    )
    receiver = models.ForeignKey(
        Agency, verbose_name="受文機關", on_delete=models.PROTECT, related_name="+"
    )
    packages = models.PositiveIntegerField("包數")
    collected = models.PositiveIntegerField("已取件包數", default=0)
    pickup_minutes = models.PositiveBigIntegerField("投遞至取件總分鐘數", default=0)

    class Meta:
        verbose_name = "智取櫃歷史統計"
        verbose_name_plural = "智取櫃歷史統計"
        ordering = ["month", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency", "receiver"], name="lockers_tally_month_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.packages}"
