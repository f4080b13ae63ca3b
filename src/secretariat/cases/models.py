"""The routed-case engine (分辦列管): work routed to a lead agency and co-agencies with a
deadline in working days, tracked until every agency has replied.

A kind of case (a petition, a council question, a data request …) registers a
:class:`~secretariat.cases.kinds.CaseKind` and keeps its own fields in its own app.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, transition

from secretariat.core.audit import Audited
from secretariat.core.models import Agency, Contractor, Unit


class CaseStatus(models.TextChoices):
    PENDING = "pending", "待分辦"
    IN_PROGRESS = "in_progress", "辦理中"
    REASSIGNING = "reassigning", "改分中"
    EXTENDING = "extending", "展期中"
    REPLIED = "replied", "已回復"
    CLOSED = "closed", "結案"
    FILED = "filed", "存查"
    WITHDRAWN = "withdrawn", "撤回"
    MERGED = "merged", "併案"


OPEN_STATUSES = (
    CaseStatus.PENDING,
    CaseStatus.IN_PROGRESS,
    CaseStatus.REASSIGNING,
    CaseStatus.EXTENDING,
)


class Channel(models.TextChoices):
    LETTER = "letter", "書信"
    EMAIL = "email", "電子郵件"
    COUNTER = "counter", "臨櫃"
    PHONE = "phone", "電話"
    WEB = "web", "網路表單"
    API = "api", "系統介接"
    OPEN311 = "open311", "Open311"
    COUNCIL = "council", "議會"
    MEETING = "meeting", "府級會議"
    MEDIA = "media", "輿情監看"


# The longest case text (內容) accepted from any channel: about seven A4 pages of Chinese
# (≈1,500 characters a page), well beyond a letter; longer material comes as an attachment.
# The bound keeps what one anonymous request can make the server store and compare small.
BODY_MAX_LENGTH = 10_000


class Case(Audited):
    """One routed case. ``number`` is the yearly sequence per kind, e.g. 陳115000123."""

    kind = models.CharField("案件類別", max_length=30, db_index=True)
    number = models.CharField("案號", max_length=20, unique=True)
    subject = models.CharField("主旨", max_length=200)
    body = models.TextField("內容", max_length=BODY_MAX_LENGTH)
    channel = models.CharField("來源管道", max_length=10, choices=Channel.choices)
    confidential = models.BooleanField("密件", default=False)
    received_on = models.DateField("收件日期", db_index=True)
    routed_on = models.DateField("分辦日期", null=True, blank=True)
    replied_on = models.DateField("回復日期", null=True, blank=True)
    closed_on = models.DateField("結案日期", null=True, blank=True)
    status = FSMField(
        "狀態", max_length=20, choices=CaseStatus.choices, default=CaseStatus.PENDING, db_index=True
    )
    filed_reason = models.CharField("存查、撤回或併案理由", max_length=200, blank=True)
    # 併案: this case was merged into another of its kind, which answers both requesters.
    merged_into = models.ForeignKey(
        "self",
        verbose_name="併入案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登錄者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    # Moved by every step of the engine, on the case or one of its parts (Open311's
    # updated_datetime, "recently changed" lists).
    updated_at = models.DateTimeField("最後異動時間", auto_now=True)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["kind", "received_on"], name="case_kind_received_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.number])

    def audit_agency_id(self) -> int | None:
        lead = self.current_lead
        return lead.agency_id if lead else None

    @property
    def current_lead(self) -> Assignment | None:
        """主辦: the lead part in force (after any 改分), or None before routing."""
        return self.assignments.leads().first()

    # 狀態轉換: services call these inside their transaction; an illegal one raises
    # django_fsm.TransitionNotAllowed, which services turn into a DomainError.
    @transition(field=status, source=CaseStatus.PENDING, target=CaseStatus.IN_PROGRESS)
    def start(self) -> None:
        """分辦"""

    @transition(field=status, source=CaseStatus.IN_PROGRESS, target=CaseStatus.REASSIGNING)
    def await_reassignment(self) -> None:
        """改分申請"""

    @transition(field=status, source=CaseStatus.IN_PROGRESS, target=CaseStatus.EXTENDING)
    def await_extension(self) -> None:
        """展期申請"""

    @transition(
        field=status,
        source=[CaseStatus.REASSIGNING, CaseStatus.EXTENDING],
        target=CaseStatus.IN_PROGRESS,
    )
    def resume(self) -> None:
        """改分或展期已核定"""

    @transition(field=status, source=CaseStatus.IN_PROGRESS, target=CaseStatus.REPLIED)
    def mark_replied(self) -> None:
        """所有機關皆已回復"""

    @transition(field=status, source=CaseStatus.REPLIED, target=CaseStatus.CLOSED)
    def close(self) -> None:
        """結案"""

    @transition(
        field=status, source=[CaseStatus.PENDING, CaseStatus.IN_PROGRESS], target=CaseStatus.FILED
    )
    def file(self) -> None:
        """存查"""

    @transition(
        field=status,
        source=[CaseStatus.PENDING, CaseStatus.IN_PROGRESS],
        target=CaseStatus.WITHDRAWN,
    )
    def withdraw(self) -> None:
        """撤回 (the requester withdrew the case)"""

    @transition(
        field=status,
        source=[CaseStatus.PENDING, CaseStatus.IN_PROGRESS],
        target=CaseStatus.MERGED,
    )
    def merge(self) -> None:
        """併案 (a duplicate merged into another case, whose replies answer it too)"""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Requester(Audited):
    """The person who brought the case (個人資料). Read it only through
    ``cases.services.reveal_requester``, which checks the role and audits the view."""

    audit_exclude = {"name", "email", "phone", "address"}

    case = models.OneToOneField(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="requester"
    )
    name = models.CharField("姓名", max_length=60)
    email = models.EmailField("電子郵件", blank=True)
    phone = models.CharField("電話", max_length=40, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)

    class Meta:
        verbose_name = "陳情人"
        verbose_name_plural = "陳情人"

    def __str__(self) -> str:
        return mask_name(self.name)


def mask_name(name: str) -> str:
    """王小明 → 王○明; 王明 → 王○; a Latin name keeps its first letter."""
    name = name.strip()
    if len(name) <= 1:
        return "○"
    if len(name) == 2:
        return name[0] + "○"
    return name[0] + "○" * (len(name) - 2) + name[-1]


def attachment_path(instance: CaseAttachment, filename: str) -> str:
    return f"cases/{instance.case.number}/{filename}"


class CaseAttachment(Audited):
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="attachments"
    )
    # Set for a file that belongs to an agency's reply (e.g. the data a councillor asked for).
    assignment = models.ForeignKey(
        "Assignment",
        verbose_name="回復之分辦",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reply_attachments",
    )
    file = models.FileField("檔案", upload_to=attachment_path)
    original_name = models.CharField("原始檔名", max_length=200)
    size = models.PositiveIntegerField("大小（位元組）")
    content_type = models.CharField("檔案類型", max_length=100)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.original_name


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "主辦"
    CO = "co", "協辦"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "辦理中"
    DRAFTED = "drafted", "待核"
    REPLIED = "replied", "已回復"
    WITHDRAWN = "withdrawn", "已改分"


ACTIVE_ASSIGNMENT = (AssignmentStatus.ASSIGNED, AssignmentStatus.DRAFTED)


def overdue_q(at: dt.date | dt.datetime, prefix: str = "") -> Q:
    """逾期, the one rule: a part still unanswered after its deadline. Computed, never stored.

    As of a day (a ``date``), the parts whose due day has passed; as of a moment (an aware
    ``datetime``), also the parts due that day at an hour that has passed (a deadline in
    working hours). ``prefix`` points from another model to the assignment ("assignment__")."""
    active = Q(**{f"{prefix}status__in": ACTIVE_ASSIGNMENT})
    if not isinstance(at, dt.datetime):
        return active & Q(**{f"{prefix}due_on__lt": at})
    today = timezone.localdate(at)
    # due_on <= today first: the partial index on unanswered parts' due_on serves both arms.
    return (
        active
        & Q(**{f"{prefix}due_on__lte": today})
        & (Q(**{f"{prefix}due_on__lt": today}) | Q(**{f"{prefix}due_at__lt": at}))
    )


def late_reply_q(prefix: str = "") -> Q:
    """A reply given after its deadline: a later day, or a later hour of a deadline in hours."""
    return Q(**{f"{prefix}status": AssignmentStatus.REPLIED}) & (
        Q(**{f"{prefix}replied_on__gt": F(f"{prefix}due_on")})
        | Q(
            **{
                f"{prefix}due_at__isnull": False,
                f"{prefix}replied_at__gt": F(f"{prefix}due_at"),
            }
        )
    )


class AssignmentQuerySet(models.QuerySet):
    def active(self) -> AssignmentQuerySet:
        """Unanswered parts (辦理中, 待核)."""
        return self.filter(status__in=ACTIVE_ASSIGNMENT)

    def current(self) -> AssignmentQuerySet:
        """Parts in force: every part but those withdrawn by 改分."""
        return self.exclude(status=AssignmentStatus.WITHDRAWN)

    def leads(self) -> AssignmentQuerySet:
        """The lead part in force of each case (主辦, after any 改分)."""
        return self.current().filter(role=AssignmentRole.LEAD)

    def overdue(self, at: dt.date | dt.datetime) -> AssignmentQuerySet:
        return self.filter(overdue_q(at))

    def with_overdue(self, at: dt.date | dt.datetime) -> AssignmentQuerySet:
        return self.annotate(
            is_overdue=models.Case(
                models.When(overdue_q(at), then=True),
                default=False,
                output_field=models.BooleanField(),
            )
        )

    def late(self, as_of: dt.date | dt.datetime) -> AssignmentQuerySet:
        """Parts that missed their deadline: replied after it, or unanswered past it."""
        return self.current().filter(late_reply_q() | overdue_q(as_of))


class Assignment(Audited):
    """One assignee's part of a case (主辦 or 協辦), with its own deadline and reply.

    The assignee is an agency, a unit of an agency (``unit``) or a contractor the agency
    manages (``contractor``); ``agency`` is always the agency answerable for the part. The
    deadline is a day (``due_on``), and for a deadline in working hours also a moment
    (``due_at``, whose date is ``due_on``)."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="assignments"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="單位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    contractor = models.ForeignKey(
        Contractor,
        verbose_name="承攬廠商",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField("主協辦", max_length=5, choices=AssignmentRole.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承辦人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    assigned_on = models.DateField("分辦日期")
    assigned_at = models.DateTimeField("分辦時間", null=True, blank=True)
    due_on = models.DateField("回復期限")  # indexed for unanswered parts only (Meta)
    due_at = models.DateTimeField("回復期限（時刻）", null=True, blank=True)
    status = models.CharField(
        "辦理狀態",
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
        db_index=True,
    )
    reply_text = models.TextField("回復內容", blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="擬復者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replied_on = models.DateField("回復日期", null=True, blank=True)
    replied_at = models.DateTimeField("回復時間", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核定者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    release_reason = models.CharField("解除列管理由", max_length=200, blank=True)
    # A reply may point to the 公文 that answered (the documents workflow, not the engine).
    reply_document = models.ForeignKey(
        "documents.Document",
        verbose_name="回復公文",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "分辦"
        verbose_name_plural = "分辦"
        ordering = ["case", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(role="lead") & ~Q(status="withdrawn"),
                name="assignment_one_active_lead",
            ),
        ]
        # The dashboards read the few unanswered parts among millions of answered ones.
        indexes = [
            # In the escalation list's order, so its first page is read from the index.
            models.Index(
                fields=["due_on", "due_at", "id"],
                condition=Q(status__in=["assigned", "drafted"]),
                name="assignment_open_due_idx",
            ),
            models.Index(
                fields=["agency", "due_on"],
                condition=Q(status__in=["assigned", "drafted"]),
                name="assignment_open_agency_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_role_display()} {self.assignee_name}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # A part's step is a step of its case.
        Case.objects.filter(pk=self.case_id).update(updated_at=timezone.now())

    @property
    def assignee_name(self) -> str:
        """受分辦者: 「工務局」, 「秘書處 事務科」 or 「○○公司（秘書處）」."""
        if self.contractor_id is not None:
            return str(self.contractor)
        if self.unit_id is not None:
            return f"{self.agency.short_name} {self.unit.name}"
        return self.agency.short_name

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ASSIGNMENT

    def is_overdue_at(self, at: dt.date | dt.datetime) -> bool:
        """The same rule as :func:`overdue_q`, for a part already in memory."""
        if not self.is_active:
            return False
        if not isinstance(at, dt.datetime):
            return self.due_on < at
        today = timezone.localdate(at)
        return self.due_on < today or (
            self.due_on == today and self.due_at is not None and self.due_at < at
        )


class RequestStatus(models.TextChoices):
    PENDING = "pending", "待核定"
    APPROVED = "approved", "核准"
    REFUSED = "refused", "駁回"


class AgencyRequest(Audited):
    """What 改分 and 展期 share: an agency asks about its part with a reason; the Secretariat
    approves or refuses."""

    reason = models.TextField("理由")
    # Empty for requests imported from an old system, which did not record who asked.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申請人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_on = models.DateField("申請日期")
    status = models.CharField(
        "結果", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核定者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField("核定日期", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_on", "-id"]

    def audit_agency_id(self) -> int | None:
        return self.assignment.agency_id


class Reassignment(AgencyRequest):
    """改分: an agency asks to hand its part to another agency; the Secretariat decides."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="分辦", on_delete=models.CASCADE, related_name="reassignments"
    )
    suggested_agency = models.ForeignKey(
        Agency,
        verbose_name="建議改分機關",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.CharField("核定說明", max_length=200, blank=True)
    new_assignment = models.OneToOneField(
        Assignment,
        verbose_name="改分後分辦",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(AgencyRequest.Meta):
        verbose_name = "改分申請"
        verbose_name_plural = "改分申請"

    def __str__(self) -> str:
        return f"改分 {self.assignment}"


class Extension(AgencyRequest):
    """展期: an agency asks for a later deadline with a reason; the Secretariat decides."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="分辦", on_delete=models.CASCADE, related_name="extensions"
    )
    requested_due_on = models.DateField("申請展延至")
    previous_due_on = models.DateField("原期限", null=True, blank=True)

    class Meta(AgencyRequest.Meta):
        verbose_name = "展期申請"
        verbose_name_plural = "展期申請"

    def __str__(self) -> str:
        return f"展期 {self.assignment}"


class ProgressReport(Audited):
    """進度報告 of a tracked part (列管): what the assignee has done by the deadline it answers.
    ``asks_release`` proposes 解除列管; the tracking office decides."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="分辦", on_delete=models.CASCADE, related_name="progress_reports"
    )
    text = models.TextField("辦理情形")
    asks_release = models.BooleanField("建議解除列管", default=False)
    due_on = models.DateField("應報告日期")
    reported_on = models.DateField("報告日期")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="報告人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "進度報告"
        verbose_name_plural = "進度報告"
        ordering = ["assignment", "reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.assignment} {self.reported_on}"

    def audit_agency_id(self) -> int | None:
        return self.assignment.agency_id

    @property
    def late(self) -> bool:
        return self.reported_on > self.due_on


# A note is a few sentences for colleagues, not a report: longer material is an attachment.
NOTE_MAX_LENGTH = 1000


class CaseNote(Audited):
    """內部註記: a short note staff of the agencies involved leave on a case. Seen by the
    kind's routers and the people of the agencies holding a part in force — or, marked for
    one agency (``for_agency``), by that agency, the writer's agency and the routers only.
    Never shown to the public status page, Open311 or the requester (``selectors.notes_for``)."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撰寫者", on_delete=models.PROTECT, related_name="+"
    )
    # The writer's agency when the note was written (people move between agencies).
    author_agency = models.ForeignKey(
        Agency, verbose_name="撰寫機關", on_delete=models.PROTECT, related_name="+"
    )
    for_agency = models.ForeignKey(
        Agency,
        verbose_name="僅限機關",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField("註記內容", max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)

    class Meta:
        verbose_name = "內部註記"
        verbose_name_plural = "內部註記"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} 內部註記"

    def audit_agency_id(self) -> int | None:
        return self.author_agency_id


# A reply is a letter to a citizen or a councillor: a few paragraphs.
REPLY_TEMPLATE_MAX_LENGTH = 4000


class ReplyTemplate(Audited):
    """回復範本: a named text an agency's supervisors keep for their officers' replies, for
    every kind (``kind`` empty) or one kind. An agency sees only its own templates."""

    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.PROTECT, related_name="reply_templates"
    )
    kind = models.CharField("案件類別", max_length=30, blank=True)
    title = models.CharField("範本名稱", max_length=60)
    text = models.TextField("範本內容", max_length=REPLY_TEMPLATE_MAX_LENGTH)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最後修改者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("最後修改時間", auto_now=True)

    class Meta:
        verbose_name = "回復範本"
        verbose_name_plural = "回復範本"
        ordering = ["agency", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "title"], name="replytemplate_unique_title"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CaseLink(models.Model):
    """Related cases shown to the router: same requester, or near-identical text."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    related = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("關聯原因", max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "related"], name="caselink_unique")]

    def __str__(self) -> str:
        return f"{self.case.number} ↔ {self.related.number}（{self.reason}）"


class CaseSequence(models.Model):
    """The last number used per kind prefix and 民國 year (案號流水號)."""

    prefix = models.CharField(max_length=5)
    roc_year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "roc_year"], name="casesequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.roc_year}: {self.last}"


class KindSetting(Audited):
    """Per-kind rules administrators may change (defaults come from the kind's registration)."""

    kind = models.CharField("案件類別", max_length=30, unique=True)
    reply_days = models.PositiveSmallIntegerField("回復期限（工作天）")
    reply_hours = models.PositiveSmallIntegerField(
        "回復期限（上班時數）",
        null=True,
        blank=True,
        help_text="填寫時，期限以上班時間內的時數計算，不用工作天。",
    )
    reassign_days = models.PositiveSmallIntegerField("改分申請期限（工作天）")
    remind_days_before = models.PositiveSmallIntegerField("期限前提醒（工作天）", default=1)

    class Meta:
        verbose_name = "案件類別設定"
        verbose_name_plural = "案件類別設定"

    def __str__(self) -> str:
        return self.kind


class RoutingKeyword(Audited):
    """A rule of the transparent suggester: text containing ``keyword`` points to ``agency``."""

    keyword = models.CharField("關鍵字", max_length=40)
    agency = models.ForeignKey(
        Agency, verbose_name="機關", on_delete=models.CASCADE, related_name="routing_keywords"
    )
    weight = models.FloatField("權重", default=1.0)

    class Meta:
        verbose_name = "分辦關鍵字"
        verbose_name_plural = "分辦關鍵字"
        constraints = [
            models.UniqueConstraint(fields=["keyword", "agency"], name="routingkeyword_unique")
        ]

    def __str__(self) -> str:
        return f"{self.keyword} → {self.agency.short_name}"


class RelatedTextKey(models.Model):
    """One band key of a case's text fingerprint (文字指紋, ``cases/related.py``): cases whose
    texts share a key are candidates for 內容近似. Derived from ``Case.body`` by a job; the
    kind and date are copied so that the lookup is one index range."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="text_keys")
    kind = models.CharField(max_length=30)
    received_on = models.DateField()
    key = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["key", "kind", "received_on"], name="relatedtextkey_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.key}"


class SavedFilter(Audited):
    """常用篩選: a filter of the case list a person saved under a name (the list's query
    string); only its owner sees and uses it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="擁有者",
        on_delete=models.CASCADE,
        related_name="saved_case_filters",
    )
    name = models.CharField("名稱", max_length=40)
    query = models.CharField("篩選條件", max_length=500, blank=True)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)

    class Meta:
        verbose_name = "常用篩選"
        verbose_name_plural = "常用篩選"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="savedfilter_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def audit_agency_id(self) -> int | None:
        return self.owner.agency_id
