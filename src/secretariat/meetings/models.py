"""府級會議: meeting series (市政會議, 主秘會報 …) with their members by office and rules of
procedure, meetings with agendas of items agencies propose, electronic sign-in, minutes per
item reviewed and approved, the directives they give (a case kind of the engine, tracked by
研考會), and the city's paperless-meeting statistics.

Counts a report reads (items by kind) are kept on the meeting by the agenda's services, so a
meeting imported from the old system with its counts is counted the same way as one held here.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from secretariat.core import roc
from secretariat.core.audit import Audited
from secretariat.core.models import Agency, AgencyKind, Role

# 行動市政會議 travels to the districts; a meeting with a district is 行動 (mobile).
DISTRICTS = (
    "松山區",
    "信義區",
    "大安區",
    "中山區",
    "中正區",
    "大同區",
    "萬華區",
    "文山區",
    "南港區",
    "內湖區",
    "士林區",
    "北投區",
)


class MeetingSeries(Audited):
    """會議系列: a standing meeting (市政會議, 主秘會報, 國際事務委員會, 大陸小組 …). The chair's
    office (``chair_agency``: 市長室 for 市政會議) approves the minutes; members sit by office
    (:class:`Seat`), so whoever holds the office is a member."""

    code = models.SlugField("代號", max_length=40, unique=True)
    name = models.CharField("名稱", max_length=60, unique=True)
    chair_title = models.CharField("主席", max_length=40, help_text="例：市長、秘書長。")
    chair_agency = models.ForeignKey(
        Agency,
        verbose_name="主席辦公室",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="核定會議紀錄的單位（其主管或首長），例：市長室。",
    )
    default_place = models.CharField("預設地點", max_length=100, blank=True)
    is_open = models.BooleanField(
        "公開會議", default=False, help_text="紀錄核定公布後，登載於公開頁面（含附件）。"
    )
    submission_days = models.PositiveSmallIntegerField(
        "提案截止（會議前工作天）",
        default=3,
        help_text="各機關提案須於會議日前幾個工作天的下午5時以前送達。",
    )
    report_text = models.CharField(
        "工作報告說明",
        max_length=300,
        blank=True,
        help_text="工作報告中此會議的說明文字，例：由市長親自主持，針對本府重大政策…",
    )
    is_active = models.BooleanField("使用中", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "會議系列"
        verbose_name_plural = "會議系列"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:series", args=[self.pk])


class Seat(Audited):
    """A member's seat by office (當然成員): whoever holds the office now sits — a person of
    ``agency`` (or of every agency of ``agency_kind``) holding ``role`` and/or whose 職稱 is
    ``job_title``. A new head is a member the day their account has the office."""

    series = models.ForeignKey(
        MeetingSeries, verbose_name="會議系列", on_delete=models.CASCADE, related_name="seats"
    )
    label = models.CharField("席次", max_length=60, help_text="例：各一級機關首長。")
    agency = models.ForeignKey(
        Agency,
        verbose_name="機關",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency_kind = models.CharField(
        "機關類別", max_length=20, choices=AgencyKind.choices, blank=True
    )
    role = models.ForeignKey(
        Role, verbose_name="角色", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    job_title = models.CharField("職稱", max_length=60, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "成員席次"
        verbose_name_plural = "成員席次"
        ordering = ["series", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(agency__isnull=False) | ~Q(agency_kind=""))
                & (Q(role__isnull=False) | ~Q(job_title="")),
                name="seat_names_an_office",
            )
        ]

    def __str__(self) -> str:
        return f"{self.series.name}：{self.label}"

    def holders_q(self, prefix: str = "") -> Q:
        """The people who hold this office (a Q on ``User``)."""
        q = Q(**{f"{prefix}is_active": True})
        if self.agency_id is not None:
            q &= Q(**{f"{prefix}agency_id": self.agency_id})
        if self.agency_kind:
            q &= Q(**{f"{prefix}agency__kind": self.agency_kind})
        if self.role_id is not None:
            q &= Q(**{f"{prefix}roles": self.role_id})
        if self.job_title:
            q &= Q(**{f"{prefix}job_title": self.job_title})
        return q


class RulesVersion(Audited):
    """議事規則: one version of a series' rules of procedure, as issued (修正發布) on a day."""

    series = models.ForeignKey(
        MeetingSeries, verbose_name="會議系列", on_delete=models.CASCADE, related_name="rules"
    )
    version = models.PositiveIntegerField("版次")
    title = models.CharField("名稱", max_length=100)
    text = models.TextField("條文", max_length=50_000)
    issued_on = models.DateField("發布日期")
    note = models.CharField("修正說明", max_length=300, blank=True)

    class Meta:
        verbose_name = "議事規則"
        verbose_name_plural = "議事規則"
        ordering = ["series", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="rules_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


class MeetingStatus(models.TextChoices):
    PLANNING = "planning", "籌備中（受理提案）"
    AGENDA_APPROVED = "agenda_approved", "議程已核定"
    NOTIFIED = "notified", "已發開會通知"
    HELD = "held", "已開會"
    CANCELLED = "cancelled", "已取消"


class Meeting(Audited):
    """One meeting of a series. ``report_items`` … ``motions`` are the agenda's counts by kind
    (kept by the agenda's services; an imported meeting carries the old system's)."""

    series = models.ForeignKey(
        MeetingSeries, verbose_name="會議系列", on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveIntegerField("次別", null=True, blank=True)
    title = models.CharField("會議名稱", max_length=100)
    held_on = models.DateField("日期", db_index=True)
    starts_at = models.TimeField("開始時間", default=dt.time(9, 0))
    ends_at = models.TimeField("結束時間", default=dt.time(12, 0))
    place = models.CharField("地點", max_length=100)
    district = models.CharField(
        "行政區（行動會議）", max_length=10, blank=True, choices=[(d, d) for d in DISTRICTS]
    )
    submission_deadline = models.DateTimeField("提案截止時間", null=True, blank=True)
    status = models.CharField(
        "狀態", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNING
    )
    paperless = models.BooleanField("電子化會議", default=True)
    notice_sequence = models.PositiveIntegerField("通知版次", default=0)
    notified_at = models.DateTimeField("通知時間", null=True, blank=True)
    cancel_reason = models.CharField("取消理由", max_length=200, blank=True)
    report_items = models.PositiveIntegerField("報告案", default=0)
    discussion_items = models.PositiveIntegerField("討論案", default=0)
    lectures = models.PositiveIntegerField("專題演講", default=0)
    motions = models.PositiveIntegerField("臨時動議", default=0)
    imported = models.BooleanField("匯入", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="建立者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "會議"
        verbose_name_plural = "會議"
        ordering = ["-held_on", "-starts_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "held_on"], name="meeting_one_a_day")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", args=[self.pk])

    @property
    def is_mobile(self) -> bool:
        """行動會議: held in a district."""
        return bool(self.district)

    @property
    def when(self) -> str:
        """115年12月8日上午9時至中午12時"""
        start = roc.format_date(self.held_on) + roc.format_time(self.starts_at)
        return f"{start}至{roc.format_time(self.ends_at)}"


class ItemKind(models.TextChoices):
    REPORT = "report", "報告案"
    DISCUSSION = "discussion", "討論案"
    LECTURE = "lecture", "專題演講"
    MOTION = "motion", "臨時動議"


# The Meeting field that counts each kind.
COUNT_FIELDS = {
    ItemKind.REPORT: "report_items",
    ItemKind.DISCUSSION: "discussion_items",
    ItemKind.LECTURE: "lectures",
    ItemKind.MOTION: "motions",
}


class ItemStatus(models.TextChoices):
    PROPOSED = "proposed", "已提案（待秘書處審查）"
    ACCEPTED = "accepted", "排入議程"
    RETURNED = "returned", "退回"


class AgendaItem(Audited):
    """議案: an item of a meeting's agenda, presented by an agency (its proposal until the
    Secretariat accepts it). ``deferred_from``: the meeting that deferred it (緩議) here."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="會議", on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField("類別", max_length=12, choices=ItemKind.choices)
    title = models.CharField("案由", max_length=200)
    summary = models.TextField("說明", max_length=5000, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name="提案（報告）機關", on_delete=models.PROTECT, related_name="+"
    )
    speaker = models.CharField("報告人或講者", max_length=100, blank=True)
    status = models.CharField(
        "狀態", max_length=12, choices=ItemStatus.choices, default=ItemStatus.PROPOSED
    )
    order = models.PositiveSmallIntegerField("順序", default=0)
    decision_note = models.CharField("審查意見（退回或緩議理由）", max_length=200, blank=True)
    deferred_from = models.ForeignKey(
        Meeting,
        verbose_name="由此會議緩議",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提案人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField("提案時間", null=True, blank=True)

    class Meta:
        verbose_name = "議案"
        verbose_name_plural = "議案"
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    def audit_agency_id(self) -> int | None:
        return self.agency_id


class AgendaAttachment(Audited):
    """A file of an item (簡報、書面資料), checked by ``core.uploads``."""

    item = models.ForeignKey(
        AgendaItem, verbose_name="議案", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("檔案", upload_to="meetings/%Y/%m/")
    original_name = models.CharField("檔名", max_length=200)
    size = models.PositiveBigIntegerField("大小（位元組）")
    content_type = models.CharField("類型", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上傳者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上傳時間", auto_now_add=True)

    class Meta:
        verbose_name = "議案附件"
        verbose_name_plural = "議案附件"
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def audit_agency_id(self) -> int | None:
        return self.item.agency_id


class AttendanceKind(models.TextChoices):
    PRESENT = "present", "親自出席"
    SUBSTITUTE = "substitute", "代理出席"
    OBSERVER = "observer", "列席"


class Attendance(Audited):
    """簽到: a member present in person, someone attending in a member's place (代理出席),
    or an observer (列席, e.g. a presenting agency's staff). ``attendee`` is the account that
    signed in (none when the desk records a name)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="會議", on_delete=models.CASCADE, related_name="attendance"
    )
    kind = models.CharField("出席方式", max_length=12, choices=AttendanceKind.choices)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="成員",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seat_label = models.CharField("席次", max_length=60, blank=True)
    attendee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="簽到帳號",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendee_name = models.CharField("出席者", max_length=60)
    attendee_title = models.CharField("職稱", max_length=60, blank=True)
    attendee_agency = models.ForeignKey(
        Agency,
        verbose_name="出席者機關",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField("簽到時間")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登錄者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "簽到"
        verbose_name_plural = "簽到"
        ordering = ["meeting", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(member__isnull=False),
                name="attendance_one_per_member",
            ),
            models.UniqueConstraint(
                fields=["meeting", "attendee"],
                condition=Q(attendee__isnull=False),
                name="attendance_one_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.attendee_name}（{self.get_kind_display()}）"


class MinutesStatus(models.TextChoices):
    DRAFTING = "drafting", "草擬中"
    IN_REVIEW = "in_review", "機關核閱中"
    SUBMITTED = "submitted", "待主席核定"
    APPROVED = "approved", "已核定"
    PUBLISHED = "published", "已公布"


class Minutes(Audited):
    """會議紀錄 of a meeting: one entry per agenda item; drafted by the Secretariat (with the
    offline drafting assistance if it likes), reviewed by the presenting agencies, approved by
    the chair's office, published to the members (and, for an open series, the public)."""

    meeting = models.OneToOneField(
        Meeting, verbose_name="會議", on_delete=models.CASCADE, related_name="minutes"
    )
    status = models.CharField(
        "狀態", max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFTING
    )
    chair_name = models.CharField("主席", max_length=60, blank=True)
    recorder = models.CharField("紀錄", max_length=60, blank=True)
    notes = models.TextField("其他事項", max_length=5000, blank=True)
    assisted = models.BooleanField("以智慧輔助產生草稿", default=False)
    transcript_name = models.CharField("逐字稿檔名", max_length=200, blank=True)
    submitted_at = models.DateTimeField("送核時間", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("核定時間", null=True, blank=True)
    published_at = models.DateTimeField("公布時間", null=True, blank=True)

    class Meta:
        verbose_name = "會議紀錄"
        verbose_name_plural = "會議紀錄"

    def __str__(self) -> str:
        return f"{self.meeting.title}紀錄"


class ResolutionKind(models.TextChoices):
    RESOLUTION = "resolution", "決議"
    DIRECTIVE = "directive", "裁示"


class MinutesEntry(Audited):
    """An item's minutes: the report, the discussion and the decision (決議) or directive (裁示).
    ``draft`` keeps what the drafting assistance wrote (for measuring it against the approved
    text); ``candidates`` its candidate directives [{"text", "agencies": [codes]}]."""

    minutes = models.ForeignKey(
        Minutes, verbose_name="會議紀錄", on_delete=models.CASCADE, related_name="entries"
    )
    item = models.OneToOneField(
        AgendaItem, verbose_name="議案", on_delete=models.CASCADE, related_name="minutes_entry"
    )
    speakers = models.CharField("發言者", max_length=300, blank=True)
    report = models.TextField("報告內容", max_length=10_000, blank=True)
    discussion = models.TextField("討論摘要", max_length=10_000, blank=True)
    resolution_kind = models.CharField(
        "決議或裁示",
        max_length=12,
        choices=ResolutionKind.choices,
        default=ResolutionKind.DIRECTIVE,
    )
    resolution = models.TextField("決議（裁示）內容", max_length=5000, blank=True)
    draft = models.TextField("智慧輔助草稿", max_length=30_000, blank=True)
    candidates = models.JSONField("候選裁示事項", default=list, blank=True)

    class Meta:
        verbose_name = "議案紀錄"
        verbose_name_plural = "議案紀錄"
        ordering = ["minutes", "item__order", "item__pk"]

    def __str__(self) -> str:
        return f"{self.item.title}紀錄"

    def audit_agency_id(self) -> int | None:
        return self.item.agency_id


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "待核閱"
    CONFIRMED = "confirmed", "無意見"
    COMMENTED = "commented", "提出修正意見"


class Review(Audited):
    """核閱: the presenting agency's reading of its item's minutes before approval."""

    entry = models.OneToOneField(
        MinutesEntry, verbose_name="議案紀錄", on_delete=models.CASCADE, related_name="review"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "狀態", max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    comment = models.TextField("修正意見", max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核閱人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("核閱時間", null=True, blank=True)

    class Meta:
        verbose_name = "紀錄核閱"
        verbose_name_plural = "紀錄核閱"

    def __str__(self) -> str:
        return f"{self.entry}：{self.agency.short_name}{self.get_status_display()}"

    def audit_agency_id(self) -> int | None:
        return self.agency_id


class Directive(Audited):
    """裁示事項: the kind record of a ``meeting_directive`` case — which meeting and item gave
    it, and whether it is a 決議 or a 裁示. The case (the engine's) holds the text, the
    agencies, the deadlines and the progress reports."""

    case = models.OneToOneField(
        "cases.Case",
        verbose_name="案件",
        on_delete=models.CASCADE,
        related_name="meeting_directive",
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name="會議", on_delete=models.PROTECT, related_name="directives"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name="議案",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directives",
    )
    kind = models.CharField(
        "類別", max_length=12, choices=ResolutionKind.choices, default=ResolutionKind.DIRECTIVE
    )

    class Meta:
        verbose_name = "裁示事項"
        verbose_name_plural = "裁示事項"
        ordering = ["-meeting__held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting.title}：{self.case.number}"


class PaperlessTally(Audited):
    """電子化會議統計: an agency's meetings in a month held outside this platform, from the
    e-meeting system's statistics — how many, how many paperless, A4 sheets saved. The
    platform's own meetings count by their ``paperless`` flag; a tally never includes them."""

    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField("月份", help_text="該月1日。")
    meetings = models.PositiveIntegerField("會議場次")
    paperless = models.PositiveIntegerField("電子化會議場次")
    sheets_saved = models.PositiveBigIntegerField("節省A4紙張", default=0)

    class Meta:
        verbose_name = "電子化會議統計"
        verbose_name_plural = "電子化會議統計"
        ordering = ["-month", "agency__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="tally_one_a_month"),
            models.CheckConstraint(
                condition=Q(paperless__lte=models.F("meetings")), name="tally_paperless_le_all"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name} {roc.format_month(self.month.year, self.month.month)}"

    def audit_agency_id(self) -> int | None:
        return self.agency_id
