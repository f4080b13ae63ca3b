"""公文: official documents from receipt (收文) or creation (創稿) to dispatch (發文) and filing
(歸檔), their drafts with every version, the signing trail (簽核點), the seal register and the
numbering, per agency. See docs/documents.md.

A document's text is stored in plain columns, except for a confidential one (密等 above 普通):
then the plain columns are empty and the text lives in the ``sealed_*`` columns, encrypted with
the document's own data key (``secrecy.py``). Those columns are left out of the audit trail
(the entries would otherwise carry the ciphertext, or worse), and ``__str__`` of every record
here is its number, never its subject.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_fsm import FSMField, transition

from secretariat.core.audit import Audited
from secretariat.core.models import Agency, Unit

SUBJECT_MAX = 500
OPINION_MAX = 2000
NAME_MAX = 100
NUMBER_LENGTH = 10  # 民國 year (3 digits) + 7-digit yearly serial
SERIAL_MAX = 9_999_999


class DocType(models.TextChoices):
    """文別 (the DI vocabulary)."""

    LETTER = "letter", "函"
    BRIEF_LETTER = "brief_letter", "書函"
    MEMO = "memo", "簽"
    NOTE = "note", "便簽"
    ORDER = "order", "令"
    ANNOUNCEMENT = "announcement", "公告"
    MEETING_NOTICE = "meeting_notice", "開會通知單"
    INSPECTION_NOTICE = "inspection_notice", "會勘通知單"
    PHONE_RECORD = "phone_record", "公務電話紀錄"
    OTHER = "other", "其他"


class Speed(models.TextChoices):
    """速別, with its processing limit in working days (``LIMIT_DAYS``)."""

    MOST_URGENT = "most_urgent", "最速件"
    URGENT = "urgent", "速件"
    NORMAL = "normal", "普通件"


# 處理時限: working days counted from the day after receipt (文書處理手冊).
LIMIT_DAYS = {Speed.MOST_URGENT: 1, Speed.URGENT: 3, Speed.NORMAL: 6}
# 專案管制: a matter that needs at least this many days, on request and approval.
PROJECT_CONTROL_MIN_DAYS = 30


class Secrecy(models.TextChoices):
    """密等. Everything but 普通 is a confidential document: encrypted at rest, visible to its
    chain only, 「密不錄由」 in lists."""

    NONE = "none", "普通"
    SECRET = "secret", "密"
    CONFIDENTIAL = "confidential", "機密"
    TOP_SECRET = "top_secret", "極機密"
    ABSOLUTE = "absolute", "絕對機密"


# 機密 and above: electronic exchange only where the agency allows it.
CLASSIFIED = (Secrecy.CONFIDENTIAL, Secrecy.TOP_SECRET, Secrecy.ABSOLUTE)
HIDDEN_SUBJECT = "密不錄由"
NEVER_DELETED = "公文不可刪除：文號不得重複使用或無故跳號。"


class Origin(models.TextChoices):
    """How the document came: a paper or an electronic 來文, or created here (創稿)."""

    PAPER = "paper", "紙本來文"
    ELECTRONIC = "electronic", "電子來文"
    CREATED = "created", "創稿"


RECEIVED_ORIGINS = (Origin.PAPER, Origin.ELECTRONIC)


class SigningMode(models.TextChoices):
    ONLINE = "online", "線上簽核"
    PAPER = "paper", "紙本簽核"


class DraftingMethod(models.TextChoices):
    """擬辦方式."""

    MEMO_FIRST = "memo_first", "先簽後稿"
    TOGETHER = "together", "簽稿併陳"
    DRAFT_ONLY = "draft_only", "以稿代簽"


class Status(models.TextChoices):
    REGISTERED = "registered", "待分文"
    DRAFTING = "drafting", "承辦中"
    REVIEWING = "reviewing", "簽核中"
    APPROVED = "approved", "簽已核准（待擬稿或歸檔）"
    DECIDED = "decided", "已決行（待繕校）"
    PROOFED = "proofed", "已繕校（待用印）"
    SEALED = "sealed", "已用印（待發文）"
    DISPATCHED = "dispatched", "已發文"
    FILED = "filed", "已歸檔"


OPEN_STATUSES = (
    Status.REGISTERED,
    Status.DRAFTING,
    Status.REVIEWING,
    Status.APPROVED,
    Status.DECIDED,
    Status.PROOFED,
    Status.SEALED,
)


class Level(models.IntegerChoices):
    """分層負責: who decides a matter. 1 is the highest."""

    HEAD = 1, "第一層（首長）"
    DIRECTOR = 2, "第二層（一級主管）"
    CHIEF = 3, "第三層（科長）"


class DecisionMark(models.TextChoices):
    """How a decision was taken, as the document prints it."""

    NONE = "", "（無）"
    DELEGATED = "delegated", "授權決行"
    ACTING_DECISION = "acting_decision", "代決"
    ACTING_HEAD = "acting_head", "代行"


# --- Per-agency settings ----------------------------------------------------------------------


class AgencyProfile(Audited):
    """機關公文設定: how an agency's documents are headed and signed, and its rules."""

    agency = models.OneToOneField(
        Agency, verbose_name="機關", on_delete=models.CASCADE, related_name="document_profile"
    )
    letterhead = models.CharField(
        "發文機關全銜", max_length=NAME_MAX, blank=True, help_text="空白時用機關名錄的全銜。"
    )
    address = models.CharField("機關地址", max_length=200, blank=True)
    head_title = models.CharField("首長職稱", max_length=30, blank=True)
    head_name = models.CharField("首長姓名", max_length=30, blank=True)
    serial_base = models.PositiveIntegerField(
        "流水號起始基數",
        default=0,
        help_text="年度流水號自此數加 1 起編（例如 3000000 則第一號為 3000001）。",
    )
    allow_classified_exchange = models.BooleanField(
        "機密以上公文得電子交換",
        default=False,
        help_text="未勾選時，機密、極機密、絕對機密公文不得以電子交換發文。",
    )
    seal_token_label = models.CharField(
        "機關憑證卡標籤", max_length=32, blank=True, help_text="發文 PDF 加蓋電子印信用。"
    )
    seal_key_label = models.CharField("機關憑證金鑰標籤", max_length=64, blank=True)

    class Meta:
        verbose_name = "機關公文設定"
        verbose_name_plural = "機關公文設定"

    def __str__(self) -> str:
        return f"{self.agency.short_name}公文設定"

    @property
    def heading(self) -> str:
        return self.letterhead or self.agency.name


class IssuingCode(Audited):
    """發文代字 of an agency or one of its units, e.g. 「北市秘文」 (→ 北市秘文字第…號), or
    「府授秘文」 for documents issued in the name of 臺北市政府 (代擬代判府稿)."""

    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.CASCADE, related_name="issuing_codes"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="單位",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="issuing_codes",
        help_text="空白為機關預設代字。",
    )
    prefix = models.CharField("發文代字", max_length=20)
    in_government_name = models.BooleanField(
        "以府名義發文", default=False, help_text="以臺北市政府名義發文（代擬代判府稿）。"
    )

    class Meta:
        verbose_name = "發文代字"
        verbose_name_plural = "發文代字"
        ordering = ["agency", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "unit"],
                condition=Q(unit__isnull=False),
                name="issuingcode_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["agency"], condition=Q(unit__isnull=True), name="issuingcode_unique_default"
            ),
        ]

    def __str__(self) -> str:
        return self.prefix


class NumberCounter(models.Model):
    """The last serial used per agency and 民國 year (文號流水號). Locked row by row while a
    number is taken, so numbers are never reused and never skipped."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度（民國）")
    last = models.PositiveIntegerField("最後流水號", default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="numbercounter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class MatterCategory(Audited):
    """A row of the agency's 分層負責明細表: a category of matters and the level that
    decides it."""

    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.CASCADE, related_name="matter_categories"
    )
    code = models.CharField("項目編號", max_length=20)
    name = models.CharField("工作項目", max_length=200)
    level = models.PositiveSmallIntegerField("決行層級", choices=Level.choices)
    note = models.CharField("備註", max_length=200, blank=True)
    active = models.BooleanField("使用中", default=True)

    class Meta:
        verbose_name = "分層負責明細表項目"
        verbose_name_plural = "分層負責明細表"
        ordering = ["agency", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="mattercategory_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SignerCertificate(models.Model):
    """A signer's X.509 certificate (DER), kept once however often it signs."""

    fingerprint = models.CharField("SHA-256 指紋", max_length=64, unique=True)
    der = models.BinaryField("憑證（DER）")
    subject = models.CharField("主體", max_length=300)
    issuer = models.CharField("簽發者", max_length=300)
    serial = models.CharField("序號", max_length=64)
    not_before = models.DateTimeField("生效")
    not_after = models.DateTimeField("到期")

    class Meta:
        verbose_name = "簽章憑證"
        verbose_name_plural = "簽章憑證"

    def __str__(self) -> str:
        return f"{self.subject}（{self.serial}）"


class Signer(Audited):
    """簽核人員: a person's place in the signing chain (the level they decide at, whose
    deputy they are, whether they keep the seals) and their smart card (憑證卡) — the token's
    label and the certificate registered from it. The PIN is never stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="人員",
        on_delete=models.CASCADE,
        related_name="document_signer",
    )
    level = models.PositiveSmallIntegerField(
        "決行層級", choices=Level.choices, null=True, blank=True, help_text="空白：不得決行。"
    )
    deputy_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="職務代理之對象",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="document_deputies",
        help_text="代理其決行（代決）；代理首長者為代行。",
    )
    keeps_seals = models.BooleanField("監印人員", default=False)
    token_label = models.CharField("憑證卡標籤", max_length=32, blank=True)
    key_label = models.CharField("金鑰標籤", max_length=64, blank=True)
    certificate = models.ForeignKey(
        SignerCertificate,
        verbose_name="登錄之憑證",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "簽核人員"
        verbose_name_plural = "簽核人員"

    def __str__(self) -> str:
        return str(self.user)


# --- The document ------------------------------------------------------------------------------


class DocumentQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionError(NEVER_DELETED)

    def overdue_q(self, day: dt.date) -> Q:
        return overdue_q(day)

    def overdue_on(self, day: dt.date) -> DocumentQuerySet:
        return self.filter(overdue_q(day))


def overdue_q(day: dt.date) -> Q:
    """逾期 on ``day``: still open and its processing deadline has passed. One rule for
    pages, API, reports and the benchmark; overdue is computed, never stored."""
    return Q(status__in=OPEN_STATUSES, due_on__lt=day)


class Document(Audited):
    """One 公文 under one number: a received document (收文) and what is written to handle
    it, or a document created here (創稿). 收發文同號: the reply goes out under the number
    the receipt got."""

    audit_exclude: ClassVar[set[str]] = {"wrapped_key", "sealed_subject"}

    uid = models.UUIDField("識別碼", default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.PROTECT, related_name="documents"
    )
    year = models.PositiveSmallIntegerField("年度（民國）")
    serial = models.PositiveIntegerField("流水號")
    number = models.CharField("文號", max_length=NUMBER_LENGTH)
    prefix = models.CharField("發文代字", max_length=20, blank=True)
    in_government_name = models.BooleanField("以府名義發文", default=False)
    origin = models.CharField("來源", max_length=12, choices=Origin.choices)
    doc_type = models.CharField("文別", max_length=20, choices=DocType.choices)
    subject = models.CharField("主旨", max_length=SUBJECT_MAX, blank=True)
    sealed_subject = models.BinaryField("主旨（加密）", null=True, blank=True)
    speed = models.CharField("速別", max_length=12, choices=Speed.choices, default=Speed.NORMAL)
    secrecy = models.CharField(
        "密等", max_length=12, choices=Secrecy.choices, default=Secrecy.NONE, db_index=True
    )
    declassify = models.CharField("解密條件或保密期限", max_length=200, blank=True)
    wrapped_key = models.BinaryField("資料金鑰（已封裝）", null=True, blank=True)
    signing_mode = models.CharField(
        "簽核方式", max_length=8, choices=SigningMode.choices, default=SigningMode.ONLINE
    )
    method = models.CharField(
        "擬辦方式", max_length=12, choices=DraftingMethod.choices, default=DraftingMethod.TOGETHER
    )
    matter = models.ForeignKey(
        MatterCategory,
        verbose_name="分層負責項目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    status = FSMField("狀態", max_length=12, choices=Status.choices, default=Status.DRAFTING)

    # Receipt (收文)
    sender_name = models.CharField("來文機關", max_length=NAME_MAX, blank=True)
    sender_code = models.CharField("來文機關代碼", max_length=10, blank=True)
    sender_number = models.CharField("來文字號", max_length=60, blank=True)
    sender_date = models.DateField("來文日期", null=True, blank=True)
    sender_deadline = models.DateField("來文限期", null=True, blank=True)
    received_at = models.DateTimeField("收文時間", null=True, blank=True)
    received_on = models.DateField("收文日期", db_index=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="收文人員",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Handling (分文, 承辦)
    unit = models.ForeignKey(
        Unit,
        verbose_name="承辦單位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承辦人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    distributed_at = models.DateTimeField("分文時間", null=True, blank=True)
    due_on = models.DateField("辦理期限", null=True, blank=True)
    control_requested_due = models.DateField("申請專案管制期限", null=True, blank=True)
    control_reason = models.CharField("專案管制理由", max_length=300, blank=True)
    control_approved = models.BooleanField("專案管制已核准", default=False)

    # Decision (決行)
    decided_at = models.DateTimeField("決行時間", null=True, blank=True)
    decided_on = models.DateField("決行日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="決行者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_level = models.PositiveSmallIntegerField(
        "決行層級", choices=Level.choices, null=True, blank=True
    )
    decision_mark = models.CharField(
        "決行註記", max_length=16, choices=DecisionMark.choices, blank=True
    )
    decision_note = models.CharField("署名註記", max_length=100, blank=True)

    # Dispatch and filing (發文, 歸檔)
    dispatched_on = models.DateField("發文日期", null=True, blank=True)
    closed_on = models.DateField("辦結日期", null=True, blank=True)
    file_code = models.CharField("檔號", max_length=60, blank=True)
    retention = models.CharField("保存年限", max_length=20, blank=True)
    filed_on = models.DateField("歸檔日期", null=True, blank=True)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "公文"
        verbose_name_plural = "公文"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="document_unique_number"),
            models.UniqueConstraint(
                fields=["agency", "year", "serial"], name="document_unique_serial"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "received_on"], name="document_register_idx"),
            models.Index(fields=["agency", "dispatched_on"], name="document_dispatch_idx"),
            models.Index(fields=["decided_on"], name="document_decided_idx"),
            models.Index(fields=["closed_on"], name="document_closed_idx"),
        ]

    def __str__(self) -> str:
        # Never the subject: a confidential document's subject is secret, and audit entries
        # and logs print records by this.
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.agency.code, self.number])

    def delete(self, *args, **kwargs):
        # A number once given is never given again and never silently missing: a document
        # stays, withdrawn or filed, with its trail.
        raise PermissionError(NEVER_DELETED)

    @property
    def reference(self) -> str:
        """發文字號: 「府授秘文字第1143009600號」 (the number alone before a 代字 is set)."""
        if self.prefix:
            return f"{self.prefix}字第{self.number}號"
        return f"第{self.number}號"

    @property
    def confidential(self) -> bool:
        return self.secrecy != Secrecy.NONE

    @property
    def listed_subject(self) -> str:
        """The subject a list or register may show: 「密不錄由」 for a confidential one."""
        return HIDDEN_SUBJECT if self.confidential else self.subject

    @property
    def received(self) -> bool:
        return self.origin in RECEIVED_ORIGINS

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue_on(self, day: dt.date) -> bool:
        """The Python twin of ``overdue_q``."""
        return self.is_open and self.due_on is not None and self.due_on < day

    def may_be_filed_at(self, steps) -> bool:
        """歸檔 from one of the held ``steps``: at 歸檔 after 發文, or 存查 of an approved
        document at the officer's desk. One rule for ``file_document`` and the proposals."""
        return Step.FILE in steps or (Step.DRAFT in steps and self.status == Status.APPROVED)

    # 狀態轉換: services call these inside their transaction.
    @transition(field=status, source=Status.REGISTERED, target=Status.DRAFTING)
    def distribute(self) -> None:
        """分文"""

    @transition(field=status, source=Status.DRAFTING, target=Status.REGISTERED)
    def send_back(self) -> None:
        """改分 (back to 收發)"""

    @transition(field=status, source=[Status.DRAFTING, Status.APPROVED], target=Status.REVIEWING)
    def submit(self) -> None:
        """陳核"""

    @transition(field=status, source=Status.REVIEWING, target=Status.DRAFTING)
    def back_to_drafting(self) -> None:
        """退回 to the drafter, or 撤簽"""

    @transition(field=status, source=Status.REVIEWING, target=Status.APPROVED)
    def approve_memo(self) -> None:
        """決行 of a 簽 without a 稿 (先簽後稿: the 稿 follows)"""

    @transition(field=status, source=Status.REVIEWING, target=Status.DECIDED)
    def decide(self) -> None:
        """決行"""

    @transition(field=status, source=Status.DECIDED, target=Status.PROOFED)
    def proof(self) -> None:
        """繕校"""

    @transition(field=status, source=Status.PROOFED, target=Status.SEALED)
    def seal(self) -> None:
        """用印"""

    @transition(field=status, source=Status.SEALED, target=Status.DISPATCHED)
    def dispatch(self) -> None:
        """發文"""

    @transition(
        field=status,
        source=[Status.DRAFTING, Status.APPROVED, Status.DISPATCHED],
        target=Status.FILED,
    )
    def file(self) -> None:
        """歸檔 (after 發文, or 存查 without one)"""


class DraftRole(models.TextChoices):
    INCOMING = "incoming", "來文"
    MEMO = "memo", "簽"
    OUTGOING = "outgoing", "稿"


class Draft(models.Model):
    """One text of a document: the incoming document as received (its facts, signed like the
    rest), a 簽 or a 稿. Its content lives in its versions; every save is a new version."""

    document = models.ForeignKey(
        Document, verbose_name="公文", on_delete=models.CASCADE, related_name="drafts"
    )
    role = models.CharField("性質", max_length=10, choices=DraftRole.choices)
    doc_type = models.CharField("文別", max_length=20, choices=DocType.choices)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)

    class Meta:
        verbose_name = "文稿"
        verbose_name_plural = "文稿"
        ordering = ["document", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "role"], name="draft_one_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}（{self.get_doc_type_display()}）"


class DraftVersion(models.Model):
    """A version of a draft, as its editor saved it. Never changed afterwards: the 簽核點
    that saw it signed its hash. ``content`` (JSON text: sections, recipients, meeting
    details) is plain for an ordinary document and empty for a confidential one, whose
    content is in ``sealed_content``."""

    draft = models.ForeignKey(
        Draft, verbose_name="文稿", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版次")
    content = models.TextField("內容", blank=True)
    sealed_content = models.BinaryField("內容（加密）", null=True, blank=True)
    content_hash = models.CharField("內容雜湊（SHA-256）", max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改者",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("建立時間", auto_now_add=True)

    class Meta:
        verbose_name = "文稿版本"
        verbose_name_plural = "文稿版本"
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="draftversion_unique")
        ]

    def __str__(self) -> str:
        return f"第{self.number}版"


class MediaType(models.TextChoices):
    """附件的媒體型式."""

    ELECTRONIC = "electronic", "電子檔"
    PAPER = "paper", "紙本"
    DISC = "disc", "光碟"
    USB = "usb", "隨身碟"
    OTHER = "other", "其他"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the original name (it may say what a confidential document is about).
    return f"documents/{instance.document.uid}/{uuid.uuid4().hex}"


class Attachment(Audited):
    """An attachment (附件) of the incoming document (the scanned paper 來文 is one) or of
    the outgoing 稿. A confidential document's file holds ciphertext and its name is sealed."""

    audit_exclude: ClassVar[set[str]] = {"sealed_name", "file"}

    document = models.ForeignKey(
        Document, verbose_name="公文", on_delete=models.CASCADE, related_name="attachments"
    )
    role = models.CharField("所屬", max_length=10, choices=DraftRole.choices)
    is_scan = models.BooleanField("紙本來文掃描檔", default=False)
    name = models.CharField("名稱", max_length=200, blank=True)
    sealed_name = models.BinaryField("名稱（加密）", null=True, blank=True)
    media = models.CharField(
        "媒體型式", max_length=12, choices=MediaType.choices, default=MediaType.ELECTRONIC
    )
    count = models.PositiveSmallIntegerField("份數", default=1)
    file = models.FileField("檔案", upload_to=attachment_path, blank=True)
    size = models.PositiveIntegerField("大小（位元組）", default=0)
    content_type = models.CharField("檔案類型", max_length=100, blank=True)
    sha256 = models.CharField("內容雜湊（SHA-256）", max_length=64, blank=True)

    class Meta:
        verbose_name = "公文附件"
        verbose_name_plural = "公文附件"
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return f"{self.document.reference} 附件{self.pk}"


class Step(models.TextChoices):
    """簽核點的種類 (what was awaited or done)."""

    RECEIVE = "receive", "收文"
    DISTRIBUTE = "distribute", "分文"
    REROUTE = "reroute", "改分"
    DRAFT = "draft", "擬辦"
    COSIGN = "cosign", "會辦"
    REVIEW = "review", "陳核"
    DECIDE = "decide", "決行"
    RETURN = "return", "退回"
    WITHDRAW = "withdraw", "撤簽"
    PROOF = "proof", "繕校"
    SEAL = "seal", "用印"
    DISPATCH = "dispatch", "發文"
    FILE = "file", "歸檔"


class Decision(models.TextChoices):
    RECEIVED = "received", "收文"
    DISTRIBUTED = "distributed", "分文"
    REROUTED = "rerouted", "改分"
    SUBMITTED = "submitted", "陳核"
    FORWARDED = "forwarded", "核轉"
    SENT_FOR_COSIGN = "sent_for_cosign", "送會"
    ADDED_COSIGN = "added_cosign", "加會"
    COSIGNED = "cosigned", "會辦"
    DECIDED = "decided", "決行"
    RETURNED = "returned", "退回"
    WITHDRAWN = "withdrawn", "撤簽"
    PROOFED = "proofed", "繕校"
    SEALED = "sealed", "用印"
    DISPATCHED = "dispatched", "發文"
    FILED = "filed", "歸檔"


class PointStatus(models.TextChoices):
    QUEUED = "queued", "待會（依序會辦）"
    PENDING = "pending", "待辦"
    DONE = "done", "已辦"
    CANCELLED = "cancelled", "已撤銷"


class Point(Audited):
    """簽核點: a place in the signing trail (SI). Pending, it says who holds the document next
    (a person, or a unit for 會辦); done, it records who acted, when, the decision and opinion,
    the versions seen and — for an online document — the signer's CMS signature over those
    and the decision (``trail.payload``)."""

    audit_exclude: ClassVar[set[str]] = {"signature", "sealed_opinion"}

    document = models.ForeignKey(
        Document, verbose_name="公文", on_delete=models.CASCADE, related_name="points"
    )
    step = models.CharField("簽核點", max_length=12, choices=Step.choices)
    status = models.CharField(
        "狀態", max_length=10, choices=PointStatus.choices, default=PointStatus.PENDING
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="待辦人員",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="document_points",
    )
    holder_unit = models.ForeignKey(
        Unit,
        verbose_name="待辦單位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="document_points",
    )
    # 會辦: points of one request share a batch; ``position`` orders them (in order: one
    # after another; parallel: all at once). ``return_to`` gets the document back after it.
    batch = models.UUIDField("會辦批次", null=True, blank=True)
    position = models.PositiveSmallIntegerField("順序", default=0)
    parallel = models.BooleanField("平行會辦", default=True)
    return_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="會畢送回",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("建立時間", auto_now_add=True)

    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="簽核人員",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acted_at = models.DateTimeField("簽核時間", null=True, blank=True)
    decision = models.CharField("決定", max_length=16, choices=Decision.choices, blank=True)
    opinion = models.CharField("意見", max_length=OPINION_MAX, blank=True)
    sealed_opinion = models.BinaryField("意見（加密）", null=True, blank=True)
    mark = models.CharField("註記", max_length=16, choices=DecisionMark.choices, blank=True)
    versions = models.JSONField("所見版本", default=list, blank=True)
    content_hash = models.CharField("所見內容雜湊", max_length=64, blank=True)

    signature = models.BinaryField("簽章（CMS）", null=True, blank=True)
    certificate = models.ForeignKey(
        SignerCertificate,
        verbose_name="簽章憑證",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signing_time = models.DateTimeField("簽章時間", null=True, blank=True)
    time_source = models.CharField("時間來源", max_length=8, blank=True)
    revocation_checked = models.BooleanField("已查核廢止清冊", default=False)

    class Meta:
        verbose_name = "簽核點"
        verbose_name_plural = "簽核點"
        ordering = ["document", "id"]
        indexes = [
            models.Index(
                fields=["holder", "status"],
                name="point_inbox_idx",
                condition=Q(status="pending"),
            ),
            models.Index(
                fields=["holder_unit", "status"],
                name="point_unit_inbox_idx",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.reference} {self.get_step_display()}#{self.pk}"

    @property
    def signed(self) -> bool:
        return bool(self.signature)


class SealKind(models.TextChoices):
    """印信的種類."""

    AGENCY_SEAL = "agency_seal", "機關印信"
    SIGNATURE_STAMP = "signature_stamp", "首長簽字章"
    OFFICIAL_STAMP = "official_stamp", "職章"
    STRIP_STAMP = "strip_stamp", "機關條戳"
    ELECTRONIC = "electronic", "電子印信"


class SealUse(Audited):
    """用印登記: one sealing of a document — which seal, how many impressions, by whom;
    for an electronic dispatch the PDF sealed with the agency's certificate (PAdES)."""

    audit_exclude: ClassVar[set[str]] = {"sealed_pdf"}

    document = models.ForeignKey(
        Document, verbose_name="公文", on_delete=models.CASCADE, related_name="seal_uses"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.PROTECT, related_name="+"
    )
    used_on = models.DateField("用印日期", db_index=True)
    seal = models.CharField("印信", max_length=20, choices=SealKind.choices)
    impressions = models.PositiveIntegerField("用印次數")
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="監印人員",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("備註", max_length=200, blank=True)
    sealed_pdf = models.FileField("加蓋電子印信之 PDF", upload_to=attachment_path, blank=True)
    pdf_sha256 = models.CharField("PDF 雜湊", max_length=64, blank=True)

    class Meta:
        verbose_name = "用印登記"
        verbose_name_plural = "用印登記"
        ordering = ["-used_on", "-id"]
        indexes = [models.Index(fields=["agency", "used_on"], name="sealuse_register_idx")]

    def __str__(self) -> str:
        return f"{self.document.reference} {self.get_seal_display()}×{self.impressions}"


class CopyKind(models.TextChoices):
    ORIGINAL = "original", "正本"
    COPY = "copy", "副本"


class DeliveryMethod(models.TextChoices):
    """發文方式."""

    EXCHANGE = "exchange", "電子交換"
    POST = "post", "郵寄"
    REGISTERED = "registered", "掛號"
    COURIER = "courier", "專差"
    BY_HAND = "by_hand", "親自送達"
    EMAIL = "email", "電子郵件"


class DispatchRecipient(Audited):
    """發文對象: one recipient of a dispatched document, as the decided 稿 named it."""

    audit_exclude: ClassVar[set[str]] = {"sealed_name"}

    document = models.ForeignKey(
        Document, verbose_name="公文", on_delete=models.CASCADE, related_name="recipients"
    )
    copy = models.CharField("正副本", max_length=10, choices=CopyKind.choices)
    agency = models.ForeignKey(
        Agency, verbose_name="受文機關", null=True, blank=True, on_delete=models.PROTECT
    )
    name = models.CharField("受文者", max_length=NAME_MAX, blank=True)
    sealed_name = models.BinaryField("受文者（加密）", null=True, blank=True)
    official_code = models.CharField("機關代碼", max_length=10, blank=True)
    method = models.CharField("發文方式", max_length=12, choices=DeliveryMethod.choices)
    with_attachments = models.BooleanField("含附件", default=True)
    dispatched_on = models.DateField("發文日期")

    class Meta:
        verbose_name = "發文對象"
        verbose_name_plural = "發文對象"
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return f"{self.document.reference} {self.get_copy_display()}"


class HistoryTally(Audited):
    """公文歷史統計: imported counts from the systems this platform replaces — how many
    documents of one agency, day, 文別, 速別, origin and signing mode, and among them how
    many were late, dispatched and how many seal impressions they took. The report adds
    these to the counts of the documents themselves (docs/import.md)."""

    date = models.DateField("日期")
    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.PROTECT, related_name="+"
    )
    doc_type = models.CharField("文別", max_length=20, choices=DocType.choices)
    speed = models.CharField("速別", max_length=12, choices=Speed.choices)
    origin = models.CharField("來源", max_length=12, choices=Origin.choices)
    signing_mode = models.CharField("簽核方式", max_length=8, choices=SigningMode.choices)
    count = models.PositiveIntegerField("件數")
    late = models.PositiveIntegerField("逾期件數", default=0)
    dispatched = models.PositiveIntegerField("發文件數", default=0)
    impressions = models.PositiveIntegerField("用印次數", default=0)

    class Meta:
        verbose_name = "公文歷史統計"
        verbose_name_plural = "公文歷史統計"
        ordering = ["date", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "agency", "doc_type", "speed", "origin", "signing_mode"],
                name="historytally_unique",
            )
        ]
        indexes = [models.Index(fields=["date"], name="historytally_date_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.agency_id} {self.count}件"


class VerificationRun(models.Model):
    """驗章: one check of stored signatures (on demand or nightly) and what it found."""

    started_at = models.DateTimeField("開始時間")
    finished_at = models.DateTimeField("完成時間", null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="要求者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document = models.ForeignKey(
        Document,
        verbose_name="公文",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="verification_runs",
        help_text="空白：全部公文（每夜查核）。",
    )
    checked = models.PositiveIntegerField("查核簽章數", default=0)
    broken = models.PositiveIntegerField("異常數", default=0)

    class Meta:
        verbose_name = "驗章紀錄"
        verbose_name_plural = "驗章紀錄"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"驗章 {self.started_at:%Y-%m-%d %H:%M}：{self.checked} 筆，異常 {self.broken} 筆"


class VerificationProblem(models.Model):
    """A broken signature a check found: which document, which 簽核點, and why."""

    run = models.ForeignKey(
        VerificationRun, verbose_name="驗章紀錄", on_delete=models.CASCADE, related_name="problems"
    )
    document = models.ForeignKey(
        Document, verbose_name="公文", on_delete=models.CASCADE, related_name="+"
    )
    point = models.ForeignKey(
        Point, verbose_name="簽核點", on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField("代碼", max_length=40)
    problem = models.CharField("問題", max_length=300)

    class Meta:
        verbose_name = "驗章異常"
        verbose_name_plural = "驗章異常"
        ordering = ["run", "point"]

    def __str__(self) -> str:
        return f"{self.document.reference} 簽核點#{self.point_id}：{self.problem}"
