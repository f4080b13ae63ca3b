"""媒體聯繫與新聞發布: the mayor's public schedule (市長公開行程), press releases (新聞稿) with
their corrections and files, press conferences, interviews and media dinners, the mayor's
social posts, public-opinion items (輿情, a case kind) with the agencies' published
clarifications, and the press contact directory (新聞聯繫線上通訊錄) with the journalists who
may query it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from secretariat.core.audit import Audited
from secretariat.core.models import Agency


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


# --- 新聞稿 (press releases) ------------------------------------------------------------------


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待核"
    AWAITING_SECRETARIAT = "awaiting_secretariat", "待秘書處核定"
    APPROVED = "approved", "已核定"


# The longest release text, as the case engine's (seven A4 pages of Chinese): a press release
# is a page or two; longer material is attached.
RELEASE_BODY_MAX_LENGTH = 10_000


class PressReleaseQuerySet(models.QuerySet):
    def published(self, at: dt.datetime) -> PressReleaseQuerySet:
        """發布: approved releases whose publishing time has come — the one rule the public
        page, the feed, the mailing job and the report's count read."""
        return self.filter(status=ReleaseStatus.APPROVED, publish_at__lte=at)


class PressRelease(Audited):
    """新聞稿: drafted by the Secretariat or any agency, approved by the agency's 新聞聯絡人
    (and the Secretariat for one in the mayor's name), public from ``publish_at`` on."""

    agency = models.ForeignKey(
        Agency, verbose_name="發布機關", on_delete=models.PROTECT, related_name="press_releases"
    )
    title = models.CharField("標題", max_length=200)
    body = models.TextField("內容", max_length=RELEASE_BODY_MAX_LENGTH, blank=True)
    in_mayors_name = models.BooleanField("以市長名義發布", default=False)
    status = models.CharField(
        "狀態", max_length=24, choices=ReleaseStatus.choices, default=ReleaseStatus.DRAFT
    )
    publish_at = models.DateTimeField("發布時間", null=True, blank=True, db_index=True)
    contact_name = models.CharField("新聞聯絡人", max_length=60, blank=True)
    contact_phone = models.CharField("聯絡電話", max_length=40, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撰稿人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_reason = models.CharField("退回理由", max_length=200, blank=True)
    mailed_at = models.DateTimeField("寄送媒體時間", null=True, blank=True)
    corrected_at = models.DateTimeField("最近更正時間", null=True, blank=True)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    updated_at = models.DateTimeField("最後異動時間", auto_now=True)

    objects = PressReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = "新聞稿"
        verbose_name_plural = "新聞稿"
        ordering = ["-publish_at", "-id"]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="release_status_publish_idx"),
            models.Index(fields=["agency", "publish_at"], name="release_agency_publish_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("media:release", args=[self.pk])

    def public_url(self) -> str:
        return reverse("news:release", args=[self.pk])

    def is_published_at(self, at: dt.datetime) -> bool:
        """The same rule as ``PressRelease.objects.published`` for one release in memory."""
        return (
            self.status == ReleaseStatus.APPROVED
            and self.publish_at is not None
            and self.publish_at <= at
        )


class ReleaseCorrection(Audited):
    """更正: the text a published release had before a correction, kept and shown as
    corrected — a release is never silently replaced."""

    release = models.ForeignKey(
        PressRelease, verbose_name="新聞稿", on_delete=models.CASCADE, related_name="corrections"
    )
    previous_title = models.CharField("更正前標題", max_length=200)
    previous_body = models.TextField("更正前內容", blank=True)
    note = models.CharField("更正說明", max_length=200)
    corrected_at = models.DateTimeField("更正時間")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更正人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "新聞稿更正"
        verbose_name_plural = "新聞稿更正"
        ordering = ["-corrected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.release} 更正：{self.note}"

    def audit_agency_id(self) -> int | None:
        return self.release.agency_id


def release_file_path(instance: ReleaseFile, filename: str) -> str:
    return f"media/releases/{instance.release_id}/{filename}"


class ReleaseFile(Audited):
    """A photo or an attachment of a release (照片、附件), public with the release."""

    release = models.ForeignKey(
        PressRelease, verbose_name="新聞稿", on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField("檔案", upload_to=release_file_path)
    original_name = models.CharField("原始檔名", max_length=200)
    size = models.PositiveIntegerField("大小（位元組）")
    content_type = models.CharField("檔案類型", max_length=100)
    caption = models.CharField("說明（圖片替代文字）", max_length=200, blank=True)

    class Meta:
        verbose_name = "新聞稿檔案"
        verbose_name_plural = "新聞稿檔案"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    def audit_agency_id(self) -> int | None:
        return self.release.agency_id

    @property
    def is_photo(self) -> bool:
        return self.content_type.startswith("image/")


# --- 記者會、專訪、餐敘 and social posts ---------------------------------------------------------


class PressEventKind(models.TextChoices):
    CONFERENCE = "conference", "府級記者會"
    INTERVIEW = "interview", "媒體專訪市長"
    DINNER = "dinner", "媒體餐敘"


class PressEvent(Audited):
    """府級記者會, 媒體專訪市長 or 媒體餐敘, kept by the Secretariat's press office."""

    kind = models.CharField("類別", max_length=12, choices=PressEventKind.choices)
    held_on = models.DateField("日期", db_index=True)
    topic = models.CharField("主題", max_length=200)
    host = models.CharField("主持人", max_length=60, blank=True)
    outlet = models.CharField("媒體", max_length=100, blank=True)
    journalist = models.CharField("記者", max_length=60, blank=True)
    place = models.CharField("地點", max_length=200, blank=True)
    agencies = models.ManyToManyField(
        Agency, verbose_name="相關機關", blank=True, related_name="press_events"
    )
    release = models.ForeignKey(
        PressRelease,
        verbose_name="新聞稿",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )

    class Meta:
        verbose_name = "記者會及媒體活動"
        verbose_name_plural = "記者會及媒體活動"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.topic}"


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    YOUTUBE = "youtube", "YouTube"
    LINE = "line", "LINE"
    THREADS = "threads", "Threads"
    X = "x", "X"


class PostKind(models.TextChoices):
    VIDEO = "video", "影音"
    IMAGE = "image", "圖文"
    TEXT = "text", "文字"


class SocialPost(Audited):
    """市長社群貼文: one post on the mayor's social media."""

    platform = models.CharField("平台", max_length=12, choices=Platform.choices)
    posted_on = models.DateField("發布日期", db_index=True)
    kind = models.CharField("類型", max_length=8, choices=PostKind.choices)
    title = models.CharField("標題", max_length=200)
    link = models.URLField("連結", max_length=500, blank=True)

    class Meta:
        verbose_name = "市長社群貼文"
        verbose_name_plural = "市長社群貼文"
        ordering = ["-posted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.title}"


# --- 輿情 (public-opinion items: a case kind) ----------------------------------------------------


class Tone(models.TextChoices):
    NEGATIVE = "negative", "負面"
    NEUTRAL = "neutral", "中性"
    POSITIVE = "positive", "正面"


class Importance(models.TextChoices):
    NORMAL = "normal", "一般"
    IMPORTANT = "important", "重要"
    MAJOR = "major", "重大"


class CaptureSource(models.TextChoices):
    MANUAL = "manual", "人工登錄"
    FEED = "feed", "RSS 擷取"
    MONITORING = "monitoring", "監測服務匯入"
    API = "api", "系統介接"
    IMPORT = "import", "歷史資料匯入"


class OpinionItem(Audited):
    """輿情: a news report or post the press office sends to the agencies concerned — the
    case kind ``opinion_item``, answered in working hours (重大: the same working day)."""

    case = models.OneToOneField(
        "cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="opinion_item"
    )
    outlet = models.CharField("媒體來源", max_length=100)
    link = models.URLField("連結", max_length=500, blank=True)
    reported_on = models.DateField("報導日期")
    tone = models.CharField("傾向", max_length=10, choices=Tone.choices, default=Tone.NEUTRAL)
    importance = models.CharField(
        "重要性", max_length=10, choices=Importance.choices, default=Importance.NORMAL
    )
    source = models.CharField(
        "登錄方式", max_length=12, choices=CaptureSource.choices, default=CaptureSource.MANUAL
    )
    escalated_at = models.DateTimeField("升級重大時間", null=True, blank=True)

    class Meta:
        verbose_name = "輿情"
        verbose_name_plural = "輿情"
        constraints = [
            # A report captured twice (the feed read again, two monitoring exports) is one item.
            models.UniqueConstraint(
                fields=["link"], condition=~Q(link=""), name="opinionitem_unique_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.case.subject}"

    def get_absolute_url(self) -> str:
        return reverse("media:opinion_item", args=[self.case.number])

    def audit_agency_id(self) -> int | None:
        return self.case.audit_agency_id()


class Clarification(Audited):
    """公開澄清: whether an agency's response to an opinion item was published (and where) —
    the response's text is the part's reply in the case engine."""

    item = models.ForeignKey(
        OpinionItem, verbose_name="輿情", on_delete=models.CASCADE, related_name="clarifications"
    )
    assignment = models.OneToOneField(
        "cases.Assignment",
        verbose_name="分辦",
        on_delete=models.CASCADE,
        related_name="clarification",
    )
    published = models.BooleanField("已公開澄清", default=False)
    published_on = models.DateField("公開日期", null=True, blank=True)
    link = models.URLField("公開連結", max_length=500, blank=True)

    class Meta:
        verbose_name = "公開澄清"
        verbose_name_plural = "公開澄清"

    def __str__(self) -> str:
        return f"{self.item} {'已公開' if self.published else '未公開'}"

    def audit_agency_id(self) -> int | None:
        return self.assignment.agency_id


class CaptureStatus(models.TextChoices):
    QUEUED = "queued", "排隊中"
    READING = "reading", "讀取中"
    DONE = "done", "已完成"
    FAILED = "failed", "讀取失敗"


class FeedCapture(models.Model):
    """輿情 RSS 擷取: a feed (a URL or an uploaded file) the press office asked the job worker
    to read; each new entry becomes an opinion item waiting to be routed."""

    url = models.URLField("RSS 網址", max_length=500, blank=True)
    file_name = models.CharField("檔案名稱", max_length=200, blank=True)
    content = models.BinaryField("檔案內容", default=b"")
    status = models.CharField(
        "狀態", max_length=10, choices=CaptureStatus.choices, default=CaptureStatus.QUEUED
    )
    outlet = models.CharField("媒體來源（預設）", max_length=100, blank=True)
    created = models.PositiveIntegerField("新增則數", default=0)
    skipped = models.PositiveIntegerField("已存在則數", default=0)
    error = models.CharField("錯誤", max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="擷取者", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("送出時間", auto_now_add=True)
    finished_at = models.DateTimeField("完成時間", null=True, blank=True)

    class Meta:
        verbose_name = "輿情 RSS 擷取"
        verbose_name_plural = "輿情 RSS 擷取"
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return self.url or self.file_name

    @property
    def finished(self) -> bool:
        return self.status in (CaptureStatus.DONE, CaptureStatus.FAILED)


class DigestMailing(models.Model):
    """That an agency's daily 輿情 digest of a day was mailed (once), and to how many heads."""

    day = models.DateField("日期")
    agency = models.ForeignKey(Agency, verbose_name="機關", on_delete=models.CASCADE)
    recipients = models.PositiveIntegerField("收件人數")
    items = models.PositiveIntegerField("輿情則數")
    sent_at = models.DateTimeField("寄送時間", auto_now_add=True)

    class Meta:
        verbose_name = "輿情日報寄送紀錄"
        verbose_name_plural = "輿情日報寄送紀錄"
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["day", "agency"], name="digestmailing_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agency.short_name}"


# --- 新聞聯繫線上通訊錄 (the press contact directory) and journalists ------------------------------


class ContactRole(models.TextChoices):
    SPOKESPERSON = "spokesperson", "發言人"
    CONTACT = "contact", "新聞聯絡人"
    BACKUP = "backup", "代理人"


class PressContact(Audited):
    """An agency's spokesperson or press contact (新聞聯繫人員), kept by the agency itself; a
    change is live at once. ``mobile`` and ``line_id`` are private: only approved journalists
    and staff see them."""

    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.CASCADE, related_name="press_contacts"
    )
    role = models.CharField("職務", max_length=12, choices=ContactRole.choices)
    name = models.CharField("姓名", max_length=60)
    job_title = models.CharField("職稱", max_length=60, blank=True)
    office_phone = models.CharField("公務電話", max_length=40, blank=True)
    mobile = models.CharField("行動電話", max_length=40, blank=True)
    email = models.EmailField("電子郵件", blank=True)
    line_id = models.CharField("LINE ID", max_length=60, blank=True)
    topics = models.CharField("業務範圍", max_length=200, blank=True)
    backup = models.ForeignKey(
        "self",
        verbose_name="代理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="backs_up",
    )
    updated_at = models.DateTimeField("最後更新", auto_now=True)

    class Meta:
        verbose_name = "新聞聯繫人員"
        verbose_name_plural = "新聞聯繫人員"
        ordering = ["agency__sort_order", "agency__code", "role", "name", "id"]

    def __str__(self) -> str:
        return f"{self.agency.short_name} {self.get_role_display()} {self.name}"


class JournalistStatus(models.TextChoices):
    PENDING = "pending", "待審核"
    APPROVED = "approved", "已核准"
    REJECTED = "rejected", "未核准"
    SUSPENDED = "suspended", "已停用"


class Journalist(Audited):
    """記者: an account outside the city government (no agency, role 記者 once approved) that
    signed up on the public page; the Secretariat's press office approves it. Approved
    journalists search the press contacts (private numbers included) and read the mayor's
    public schedule."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="帳號",
        on_delete=models.CASCADE,
        related_name="journalist",
    )
    name = models.CharField("姓名", max_length=60)
    outlet = models.CharField("服務媒體", max_length=100)
    job_title = models.CharField("職稱", max_length=60, blank=True)
    phone = models.CharField("聯絡電話", max_length=40)
    email = models.EmailField("電子郵件")
    beat = models.CharField("採訪路線", max_length=200, blank=True)
    receives_releases = models.BooleanField("以電子郵件接收新聞稿", default=True)
    status = models.CharField(
        "審核狀態",
        max_length=10,
        choices=JournalistStatus.choices,
        default=JournalistStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="審核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("審核時間", null=True, blank=True)
    decision_note = models.CharField("審核說明", max_length=200, blank=True)
    registered_at = models.DateTimeField("申請時間", auto_now_add=True)

    class Meta:
        verbose_name = "記者"
        verbose_name_plural = "記者"
        ordering = ["-registered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.outlet}）"

    @property
    def approved(self) -> bool:
        return self.status == JournalistStatus.APPROVED
