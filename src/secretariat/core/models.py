"""Core records: agencies and their names over time, people and roles, the working-day
calendar's adjustments, the audit trail, notifications, API tokens and job schedule runs."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from secretariat.core.audit import Audited
from secretariat.core.roc import format_date


class AgencyKind(models.TextChoices):
    MAYOR_OFFICE = "mayor_office", "市長室"
    FIRST_LEVEL = "first_level", "一級機關"
    SECOND_LEVEL = "second_level", "二級機關"
    DISTRICT_OFFICE = "district_office", "區公所"
    ENTERPRISE = "enterprise", "市營事業"
    COMMITTEE = "committee", "委員會"


# 機關代碼: nine digits or capital letters and a capital letter (379000000A, A09000000E).
OFFICIAL_CODE_PATTERN = r"^[0-9A-Z]{9}[A-Z]$"


class AgencyQuerySet(models.QuerySet):
    def in_force_on(self, day: dt.date) -> AgencyQuerySet:
        """Agencies that existed on ``day`` (established on or before, not yet abolished)."""
        return self.filter(
            Q(established_on__isnull=True) | Q(established_on__lte=day),
            Q(abolished_on__isnull=True) | Q(abolished_on__gt=day),
        )


class Agency(Audited):
    """A Taipei City Government agency (機關). ``name`` and ``short_name`` are the names in force
    today; earlier names live in :class:`AgencyName` so old records keep the name they had."""

    code = models.SlugField("機關代號", max_length=40, unique=True)
    name = models.CharField("全銜", max_length=100)
    short_name = models.CharField("簡稱", max_length=40)
    kind = models.CharField("類別", max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上級機關",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    established_on = models.DateField("成立日期", null=True, blank=True)
    abolished_on = models.DateField("裁撤日期", null=True, blank=True)
    dates_source = models.CharField(
        "成立／裁撤日期出處",
        max_length=300,
        blank=True,
        help_text="組織規程或自治條例的發布、修正，或公報、機關沿革的出處。",
    )
    dates_verified = models.BooleanField("成立／裁撤日期已查證", default=False)
    history_corrected = models.BooleanField(
        "沿革由管理者校正",
        default=False,
        help_text="勾選時，重新載入機關名錄不會改動此機關的成立、裁撤日期與名稱沿革。"
        "在管理介面修改這些資料時會自動勾選；取消勾選則下次載入以名錄檔為準。",
    )
    email = models.EmailField("聯絡信箱", blank=True)
    phone = models.CharField("聯絡電話", max_length=40, blank=True)
    # The official 10-character code of the national agency code table (機關代碼, e.g.
    # 臺北市政府 379000000A) that documents and their electronic exchange address agencies by.
    # Empty: not yet recorded (「未登錄」); administrators enter it (docs/agencies.md).
    official_code = models.CharField(
        "機關代碼",
        max_length=10,
        blank=True,
        validators=[
            RegexValidator(
                OFFICIAL_CODE_PATTERN,
                "機關代碼須為 10 碼：9 碼數字或大寫英文字母，最後 1 碼為大寫英文字母"
                "（例如臺北市政府 379000000A）。",
            )
        ],
        help_text="行政院機關代碼表的 10 碼代碼（例如臺北市政府 379000000A）；空白表示尚未登錄。",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = "機關"
        verbose_name_plural = "機關"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:agency_detail", args=[self.code])

    def names_on(self, day: dt.date) -> tuple[str, str]:
        """(全銜, 簡稱) in force on ``day``; today's names when no history entry covers it."""
        for entry in self.name_history.all():
            if entry.covers(day):
                return entry.name, entry.short_name
        return self.name, self.short_name

    def short_name_on(self, day: dt.date) -> str:
        return self.names_on(day)[1]

    def renamed_within(self, start: dt.date, end: dt.date) -> bool:
        """Whether its name changed on a day after ``start`` up to ``end`` (a name history
        entry begins or ends inside the period)."""
        return any(
            (entry.valid_from is not None and start < entry.valid_from <= end)
            or (entry.valid_to is not None and start < entry.valid_to <= end)
            for entry in self.name_history.all()
        )


class AgencyName(Audited):
    """A name an agency carried for a period (機關名稱沿革), e.g. 臺北自來水事業處 (北水處)
    before it was reported as 自來水處. ``valid_to`` is the first day the name no longer applied."""

    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.CASCADE, related_name="name_history"
    )
    name = models.CharField("全銜", max_length=100)
    short_name = models.CharField("簡稱", max_length=40)
    valid_from = models.DateField("起始日期", null=True, blank=True)
    valid_to = models.DateField("截止日期（不含）", null=True, blank=True)
    source = models.CharField(
        "出處",
        max_length=300,
        blank=True,
        help_text="日期的依據：組織規程或自治條例的修正、公報文號、機關沿革等。",
    )
    verified = models.BooleanField("日期已查證", default=False)

    class Meta:
        verbose_name = "機關名稱沿革"
        verbose_name_plural = "機關名稱沿革"
        ordering = ["agency", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="agencyname_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.short_name}）"

    def covers(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )


class ReportGroup(Audited):
    """A report grouping rule: the agencies counted together under one row label, e.g.
    「民政局（含區公所）」 = 民政局 + the 12 district offices. Editable by administrators.
    Membership is dated (:class:`ReportGroupMembership`): a report labels a record by the
    membership in force on the record's date."""

    code = models.SlugField("代號", max_length=40, unique=True)
    label = models.CharField("報表列名", max_length=60)
    members = models.ManyToManyField(
        Agency,
        verbose_name="包含機關",
        related_name="report_groups",
        through="ReportGroupMembership",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "報表合併列"
        verbose_name_plural = "報表合併列"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.label


class ReportGroupMembership(Audited):
    """An agency counted under a report group for a period (報表合併列成員), e.g. a district
    office under 「民政局（含區公所）」. ``valid_to`` is the first day it no longer applies;
    empty dates mean no limit."""

    group = models.ForeignKey(
        ReportGroup, verbose_name="報表合併列", on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.CASCADE, related_name="report_memberships"
    )
    valid_from = models.DateField("起始日期", null=True, blank=True)
    valid_to = models.DateField("截止日期（不含）", null=True, blank=True)

    class Meta:
        verbose_name = "報表合併列成員"
        verbose_name_plural = "報表合併列成員"
        ordering = ["group", "agency", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="reportgroupmembership_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group.label}：{self.agency.short_name}"

    def covers(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )

    @property
    def period(self) -> str:
        """The period in words, last day inclusive: 「113年1月1日起」, 「至113年6月30日」,
        「113年1月1日至113年6月30日」; empty when unlimited."""
        begin = format_date(self.valid_from) if self.valid_from else ""
        end = format_date(self.valid_to - dt.timedelta(days=1)) if self.valid_to else ""
        if begin and end:
            return f"{begin}至{end}"
        return f"{begin}起" if begin else (f"至{end}" if end else "")

    def overlaps(self, other: ReportGroupMembership) -> bool:
        """Whether the two periods share a day (both open-ended where a date is empty)."""
        starts_before_other_ends = (
            self.valid_from is None or other.valid_to is None or self.valid_from < other.valid_to
        )
        ends_after_other_starts = (
            self.valid_to is None or other.valid_from is None or other.valid_from < self.valid_to
        )
        return starts_before_other_ends and ends_after_other_starts


class Unit(Audited):
    """An organisational unit (科室) inside an agency."""

    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField("單位名稱", max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name="上級單位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = "單位"
        verbose_name_plural = "單位"
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return f"{self.agency.short_name} {self.name}"


class Contractor(Audited):
    """An external contractor (承攬廠商), e.g. the building's maintenance company: it can be
    assigned routed work (a repair ticket) and its people sign in to see only their own
    tickets. ``agency`` manages it and sees its parts."""

    name = models.CharField("廠商名稱", max_length=100)
    agency = models.ForeignKey(
        Agency, verbose_name="管理機關", on_delete=models.PROTECT, related_name="contractors"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="管理單位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contractors",
    )
    contact_name = models.CharField("聯絡人", max_length=60, blank=True)
    phone = models.CharField("聯絡電話", max_length=40, blank=True)
    email = models.EmailField("電子郵件", blank=True)
    contract_until = models.DateField("契約期限", null=True, blank=True)
    is_active = models.BooleanField("啟用", default=True)

    class Meta:
        verbose_name = "承攬廠商"
        verbose_name_plural = "承攬廠商"
        ordering = ["agency__sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="contractor_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.agency.short_name}）"


class RoleCode(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", "系統管理者"
    SECRETARIAT_ADMIN = "secretariat_admin", "秘書處管理者"
    REGISTRY_CLERK = "registry_clerk", "收發人員"
    CASE_OFFICER = "case_officer", "承辦人"
    SUPERVISOR = "supervisor", "主管/核稿"
    HEAD = "head", "機關首長/決行"
    RDEC_OFFICER = "rdec_officer", "研考人員"
    COUNCIL_LIAISON = "council_liaison", "府會聯絡人"
    PRESS_LIAISON = "press_liaison", "新聞聯絡人"
    SERVICE_DESK = "service_desk", "服務台人員"
    CONTRACTOR = "contractor", "承攬廠商人員"
    JOURNALIST = "journalist", "記者"
    ARCHIVIST = "archivist", "檔案管理人員"


class Role(models.Model):
    """A role a person holds. ``sees_all_agencies`` lifts the agency scope for reading."""

    code = models.CharField("代號", max_length=40, primary_key=True, choices=RoleCode.choices)
    name = models.CharField("名稱", max_length=40)
    sees_all_agencies = models.BooleanField("可檢視所有機關", default=False)
    description = models.TextField("說明", blank=True)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class User(Audited, AbstractUser):
    """A staff account (or an agency system account for the API). Belongs to one agency."""

    audit_exclude: ClassVar[set[str]] = {"password", "last_login", "totp_secret"}

    display_name = models.CharField("姓名", max_length=60, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name="機關",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="單位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    # A contractor's people have no agency: they see only their contractor's own tickets.
    contractor = models.ForeignKey(
        Contractor,
        verbose_name="承攬廠商",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    job_title = models.CharField("職稱", max_length=60, blank=True)
    phone = models.CharField("電話", max_length=40, blank=True)
    roles = models.ManyToManyField(Role, verbose_name="角色", blank=True, related_name="users")
    is_system_account = models.BooleanField("系統帳號", default=False)
    totp_secret = models.CharField("TOTP 金鑰", max_length=64, blank=True)
    totp_enabled = models.BooleanField("啟用雙因素驗證", default=False)

    objects = UserManager()

    class Meta:
        verbose_name = "人員"
        verbose_name_plural = "人員"
        ordering = ["agency__sort_order", "username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("core:person_detail", args=[self.pk])

    def role_codes(self) -> set[str]:
        if not hasattr(self, "_role_codes"):
            self._role_codes = set(self.roles.values_list("code", flat=True)) if self.pk else set()
        return self._role_codes

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes() & set(codes))


class DayKind(models.TextChoices):
    CLOSURE = "closure", "停止上班"
    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "上班（補班）"


class CalendarAdjustment(Audited):
    """An administrator's change to the government calendar for one day: a typhoon closure
    (停止上班) announced for a city, or a holiday/make-up workday for a year the published
    calendar does not yet cover. ``city`` empty means every city."""

    date = models.DateField("日期")
    city = models.CharField("縣市", max_length=10, blank=True)
    kind = models.CharField("類別", max_length=10, choices=DayKind.choices)
    reason = models.CharField("事由", max_length=100)

    class Meta:
        verbose_name = "行事曆調整"
        verbose_name_plural = "行事曆調整"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "city"], name="calendaradjustment_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.city or '全國'} {self.get_kind_display()}：{self.reason}"

    @property
    def is_working_day(self) -> bool:
        return self.kind == DayKind.WORKDAY


class IndicatorTarget(Audited):
    """年度目標: the target of one performance indicator for one 民國 year, entered by
    administrators (e.g. ``council.service_grade_a`` 98.00 for 114). Modules name their
    indicators; reports show actual, target and 達成率."""

    indicator = models.CharField("指標代碼", max_length=60)
    year = models.PositiveSmallIntegerField("年度（民國）")
    value = models.DecimalField("目標值", max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = "年度目標"
        verbose_name_plural = "年度目標"
        ordering = ["-year", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicatortarget_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.indicator}：{self.value}"


class AuditEntry(models.Model):
    """One append-only, hash-chained audit record (稽核紀錄). Never updated or deleted by the
    application; ``secretariat audit verify`` recomputes the chain."""

    seq = models.BigIntegerField("序號", unique=True)
    at = models.DateTimeField("時間")
    actor = models.ForeignKey(
        User,
        verbose_name="操作者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField("操作者名稱", max_length=120)
    ip = models.CharField("來源位址", max_length=45, blank=True)
    action = models.CharField("動作", max_length=40)
    object_type = models.CharField("紀錄類型", max_length=80)
    object_id = models.CharField("紀錄識別碼", max_length=64)
    object_repr = models.CharField("紀錄名稱", max_length=200)
    agency_id = models.BigIntegerField("所屬機關", null=True, blank=True)
    changes = models.JSONField("變更內容", default=dict)
    prev_hash = models.CharField("前筆雜湊", max_length=64)
    hash = models.CharField("雜湊", max_length=64, unique=True)
    # The id of the HMAC key in the key file (core.audit_keys); empty for entries written
    # before the key existed, which are plain SHA-256.
    key_id = models.CharField("金鑰代號", max_length=16, blank=True, default="")

    class Meta:
        verbose_name = "稽核紀錄"
        verbose_name_plural = "稽核紀錄"
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("稽核紀錄不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("稽核紀錄不可刪除。")


class AuditChainHead(models.Model):
    """The latest entry of the audit chain, kept apart so deleting the newest entries is
    detected too (a single row, pk=1)."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class AuditCheckpoint(models.Model):
    """The database's copy of a line of the checkpoint file (稽核鏈查核點). The file is what
    anchors the chain; this copy only lets `audit verify` notice a file cut short."""

    seq = models.BigIntegerField("序號")
    hash = models.CharField("鏈頭雜湊", max_length=64)
    at = models.DateTimeField("時間")
    key_id = models.CharField("金鑰代號", max_length=16)
    mac = models.CharField("簽章", max_length=64, unique=True)

    class Meta:
        verbose_name = "稽核鏈查核點"
        verbose_name_plural = "稽核鏈查核點"

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """A message to one person (通知), shown in the shell and optionally mailed.

    A notice that asks for an action (route this case, approve this draft, decide this
    request, reply to this part) names what it is about (``subject``: any record); the service
    that completes the action marks every notice about that record done (``resolved_at``,
    ``services.resolve_notifications``), by whoever did it. A done notice no longer counts as
    unread but stays readable."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("標題", max_length=200)
    body = models.TextField("內容", blank=True)
    url = models.CharField("連結", max_length=300, blank=True)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    read_at = models.DateTimeField("已讀時間", null=True, blank=True)
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name="通知對象類型",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    subject_id = models.PositiveBigIntegerField("通知對象", null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    resolved_at = models.DateTimeField("已完成時間", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # Resolving looks up the open notices about one record.
            models.Index(
                fields=["subject_type", "subject_id"],
                condition=Q(resolved_at__isnull=True),
                name="notification_open_subject_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ApiToken(Audited):
    """A bearer token for an agency system account. Only a hash is stored."""

    audit_exclude: ClassVar[set[str]] = {"key_hash", "last_used_at"}

    user = models.ForeignKey(
        User, verbose_name="帳號", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=80)
    prefix = models.CharField("前綴", max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    expires_at = models.DateTimeField("到期時間", null=True, blank=True)
    revoked_at = models.DateTimeField("撤銷時間", null=True, blank=True)
    last_used_at = models.DateTimeField("最後使用時間", null=True, blank=True)

    class Meta:
        verbose_name = "API 權杖"
        verbose_name_plural = "API 權杖"

    def __str__(self) -> str:
        return f"{self.user} {self.name}"


class RateLimitEvent(models.Model):
    """One counted event of a rate limit (節流紀錄): a wrong password at sign-in, a petition
    sent from an address, a wrong status password for a case number (``core.throttle``).
    ``key`` is a keyed hash, so neither addresses nor names are kept in clear; rows older than
    a day are purged daily."""

    scope = models.CharField("類別", max_length=20)
    key = models.CharField("鍵值雜湊", max_length=64)
    at = models.DateTimeField("時間", default=timezone.now)

    class Meta:
        verbose_name = "節流紀錄"
        verbose_name_plural = "節流紀錄"
        indexes = [models.Index(fields=["scope", "key", "at"], name="core_ratelimit_scope_key_at")]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"


class ScheduledRun(models.Model):
    """One enqueued run of a periodic job for a day; the unique key keeps several schedulers
    from enqueuing the same daily job twice."""

    job = models.CharField(max_length=120)
    run_date = models.DateField()
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "run_date"], name="scheduledrun_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.run_date}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "排隊中"
    CHECKING = "checking", "檢查中"
    WRITING = "writing", "寫入中"
    SUCCEEDED = "succeeded", "已匯入"
    REJECTED = "rejected", "資料有誤，未匯入"
    FAILED = "failed", "系統錯誤，未匯入"


IMPORT_FINISHED = (ImportStatus.SUCCEEDED, ImportStatus.REJECTED, ImportStatus.FAILED)


class ImportRun(models.Model):
    """One import uploaded on the import page (資料匯入), run as a background job. The records
    it writes are audited as ``import:<type>``; the uploaded file is kept only until the run
    ends (it may hold personal data). ``problems`` lists {row, column, message}."""

    type = models.CharField("匯入類型", max_length=40)
    file_name = models.CharField("檔案名稱", max_length=200)
    content = models.BinaryField("檔案內容", default=b"")
    status = models.CharField(
        "狀態", max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    done = models.PositiveIntegerField("已處理", default=0)
    total = models.PositiveIntegerField("總數", default=0)
    created = models.PositiveIntegerField("新增筆數", default=0)
    unchanged = models.PositiveIntegerField("未變更筆數", default=0)
    problems = models.JSONField("問題", default=list)
    notes = models.JSONField("說明", default=list)
    requested_by = models.ForeignKey(
        User, verbose_name="匯入者", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("上傳時間", auto_now_add=True)
    finished_at = models.DateTimeField("完成時間", null=True, blank=True)

    class Meta:
        verbose_name = "資料匯入"
        verbose_name_plural = "資料匯入"
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.type} {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.status in IMPORT_FINISHED


class OutgoingMail(models.Model):
    """A mail waiting for the mail job (寄件佇列). Its recipients, subject and body are sealed
    (``core.sealing``: a key outside the database), so neither this table nor the job's
    arguments (the id only) show a receipt's password or a citizen's address; the row is
    deleted once the mail is sent."""

    purpose = models.CharField("用途", max_length=60)
    sealed = models.BinaryField("封存內容")
    created_at = models.DateTimeField("建立時間", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "待寄郵件"
        verbose_name_plural = "待寄郵件"

    def __str__(self) -> str:
        return f"{self.purpose} #{self.pk}"


class WorkerState(models.TextChoices):
    IDLE = "idle", "待命"
    RUNNING = "running", "執行工作中"
    RETRYING = "retrying", "資料庫錯誤，稍後重試"


class WorkerHeartbeat(models.Model):
    """The last sign of life of one job worker (`secretariat worker`), written as its loop
    turns (at most every few seconds) and when it starts a job; deleted when it stops
    cleanly. A row that stops moving is a worker that died (``core.jobs``)."""

    worker_id = models.CharField("worker 代號", max_length=64, unique=True)
    host = models.CharField("主機", max_length=200)
    pid = models.PositiveIntegerField("行程代號")
    started_at = models.DateTimeField("啟動時間")
    beat_at = models.DateTimeField("最後回報", db_index=True)
    state = models.CharField("狀態", max_length=10, choices=WorkerState.choices)
    task = models.CharField("執行中的工作", max_length=200, blank=True)
    task_started_at = models.DateTimeField("工作開始時間", null=True, blank=True)
    failures = models.PositiveIntegerField("連續資料庫錯誤", default=0)
    retried = models.PositiveIntegerField("累計重試次數", default=0)
    last_error = models.CharField("最近的錯誤", max_length=300, blank=True)

    class Meta:
        verbose_name = "背景工作 worker"
        verbose_name_plural = "背景工作 worker"
        ordering = ["host", "pid"]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
