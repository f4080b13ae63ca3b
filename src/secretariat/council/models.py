"""府會事務: the council (terms, sessions, councillors), the question events at which the
Secretariat records councillors' questions (側記), and the three council case kinds beside the
engine's Case — council questions (議員質詢), data requests (議員索資) and councillor service
cases (議員服務案件) — plus liaisons (府會聯絡人), their meetings, caucus visits, mayor–
councillor meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from secretariat.core.audit import Audited
from secretariat.core.models import Agency


class Term(Audited):
    """屆: e.g. 第14屆 (2022-12-25 – 2026-12-24)."""

    number = models.PositiveSmallIntegerField("屆次", unique=True)
    start_on = models.DateField("就職日")
    end_on = models.DateField("任期屆滿日", null=True, blank=True)

    class Meta:
        verbose_name = "議會屆次"
        verbose_name_plural = "議會屆次"
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"第{self.number}屆"


class SessionKind(models.TextChoices):
    REGULAR = "regular", "定期大會"
    EXTRAORDINARY = "extraordinary", "臨時會"


class Session(Audited):
    """大會: 第14屆第6次定期大會."""

    term = models.ForeignKey(Term, verbose_name="屆次", on_delete=models.PROTECT)
    kind = models.CharField("會議類別", max_length=15, choices=SessionKind.choices)
    number = models.PositiveSmallIntegerField("次別")
    start_on = models.DateField("開議日")
    end_on = models.DateField("休會日")

    class Meta:
        verbose_name = "大會"
        verbose_name_plural = "大會"
        ordering = ["-start_on"]
        constraints = [
            models.UniqueConstraint(fields=["term", "kind", "number"], name="session_unique"),
            models.CheckConstraint(
                condition=Q(end_on__gte=models.F("start_on")), name="session_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term}第{self.number}次{self.get_kind_display()}"


class Councillor(Audited):
    """議員, with caucus (黨團) and district (選區); active between the dates (a councillor who
    resigns or is elected in a by-election keeps the records of their own dates)."""

    term = models.ForeignKey(Term, verbose_name="屆次", on_delete=models.PROTECT)
    name = models.CharField("姓名", max_length=40)
    caucus = models.CharField("黨團", max_length=40, blank=True)
    district = models.CharField("選區", max_length=60, blank=True)
    email = models.EmailField("電子郵件", blank=True)
    phone = models.CharField("電話", max_length=40, blank=True)
    active_from = models.DateField("就職日")
    active_to = models.DateField("卸任日", null=True, blank=True)

    class Meta:
        verbose_name = "議員"
        verbose_name_plural = "議員"
        ordering = ["term", "name"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="councillor_unique")]

    def __str__(self) -> str:
        return f"{self.name}議員"

    def active_on(self, day) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


class EventKind(models.TextChoices):
    """質詢類別 in the order the half-year report lists them."""

    POLICY_REPORT = "policy_report", "市長施政報告"
    BUDGET_REPORT = "budget_report", "市長報告總預算追加（減）預算"
    SPECIAL_REPORT = "special_report", "市長專案報告"
    GENERAL = "general", "市政總質詢"
    DEPARTMENT = "department", "部門質詢"


# How the report counts an event's sittings: 「市長施政報告（2 天）」「市長專案報告（2 場）」.
SITTING_UNIT = {
    EventKind.POLICY_REPORT: "天",
    EventKind.BUDGET_REPORT: "天",
    EventKind.SPECIAL_REPORT: "場",
    EventKind.GENERAL: "天",
    EventKind.DEPARTMENT: "天",
}


class QuestionEvent(Audited):
    """One question event of a session: the days (or 場) at which councillors question the
    mayor or the agencies, e.g. 市政總質詢 over 9 days. Its questions are compiled together
    (書面答復資料彙編)."""

    session = models.ForeignKey(Session, verbose_name="大會", on_delete=models.PROTECT)
    kind = models.CharField("質詢類別", max_length=20, choices=EventKind.choices)
    title = models.CharField("名稱", max_length=120)
    start_on = models.DateField("起日")
    end_on = models.DateField("迄日")
    sittings = models.PositiveSmallIntegerField("天數／場數", default=1)

    class Meta:
        verbose_name = "質詢場次"
        verbose_name_plural = "質詢場次"
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=models.F("start_on")), name="event_dates"
            ),
            models.CheckConstraint(condition=Q(sittings__gte=1), name="event_sittings"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def sitting_unit(self) -> str:
        return SITTING_UNIT[self.kind]


class CouncilQuestion(Audited):
    """質詢題 (側記): one question item asked at an event by one or more councillors; the
    routed work (text, agencies, written replies 書面答復) lives in ``case``. ``sequence``
    orders the items of an event as they were asked."""

    case = models.OneToOneField(
        "cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="council_question"
    )
    event = models.ForeignKey(
        QuestionEvent, verbose_name="質詢場次", on_delete=models.PROTECT, related_name="questions"
    )
    asked_on = models.DateField("質詢日期")
    sequence = models.PositiveIntegerField("題序")
    councillors = models.ManyToManyField(Councillor, verbose_name="質詢議員", through="Asker")

    class Meta:
        verbose_name = "議員質詢"
        verbose_name_plural = "議員質詢"
        ordering = ["event", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["event", "sequence"], name="question_sequence_unique")
        ]

    def __str__(self) -> str:
        return str(self.case)

    def audit_agency_id(self) -> int | None:
        return self.case.audit_agency_id()


class Asker(models.Model):
    """A councillor asking a question; ``position`` keeps the order names were recorded in
    (the first-named councillor groups a joint question in the compilation)."""

    question = models.ForeignKey(CouncilQuestion, on_delete=models.CASCADE, related_name="askers")
    councillor = models.ForeignKey(Councillor, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "councillor"], name="asker_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question} {self.councillor}"


class Urgency(models.TextChoices):
    """速別 of a data request and its working days."""

    NORMAL = "normal", "普通件"
    URGENT = "urgent", "速件"
    MOST_URGENT = "most_urgent", "最速件"


class DataRequest(Audited):
    """議員索資: a councillor asks for data; the owning agency replies within the 速別's
    working days or by a shorter custom deadline."""

    case = models.OneToOneField(
        "cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="data_request"
    )
    councillor = models.ForeignKey(Councillor, verbose_name="議員", on_delete=models.PROTECT)
    urgency = models.CharField("速別", max_length=15, choices=Urgency.choices)
    custom_due_on = models.DateField("指定期限", null=True, blank=True)

    class Meta:
        verbose_name = "議員索資"
        verbose_name_plural = "議員索資"
        ordering = ["-case__received_on", "-id"]

    def __str__(self) -> str:
        return str(self.case)

    def audit_agency_id(self) -> int | None:
        return self.case.audit_agency_id()


class DisputeKind(models.TextChoices):
    OWNERSHIP = "ownership", "權管爭議"
    SCOPE = "scope", "範圍爭議"


class DisputeOutcome(models.TextChoices):
    KEEP = "keep", "維持原分辦"
    REROUTE = "reroute", "改由其他機關辦理"
    NARROW = "narrow", "調整索資範圍"


class Dispute(Audited):
    """索資爭議: an agency contests that the data is its own (權管) or the request's scope;
    the Secretariat decides, possibly moving the part to another agency or setting a new
    deadline."""

    assignment = models.ForeignKey(
        "cases.Assignment", verbose_name="分辦", on_delete=models.CASCADE, related_name="disputes"
    )
    kind = models.CharField("爭議類別", max_length=10, choices=DisputeKind.choices)
    reason = models.TextField("理由")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField("提出日期")
    outcome = models.CharField(
        "處理結果", max_length=10, choices=DisputeOutcome.choices, blank=True
    )
    decision_note = models.TextField("處理說明", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="決定者",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField("決定日期", null=True, blank=True)

    class Meta:
        verbose_name = "索資爭議"
        verbose_name_plural = "索資爭議"
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assignment}"

    @property
    def pending(self) -> bool:
        return not self.outcome

    def audit_agency_id(self) -> int | None:
        return self.assignment.agency_id


class Grade(models.TextChoices):
    """議員服務案件 處理等級."""

    A = "A", "A 級（辦理完成）"
    B = "B", "B 級（辦理中）"
    C = "C", "C 級（計畫執行）"
    D = "D", "D 級（無法執行）"


class ServiceCase(Audited):
    """議員服務案件: a case a councillor brings for constituents; graded when closed."""

    case = models.OneToOneField(
        "cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="service_case"
    )
    councillor = models.ForeignKey(Councillor, verbose_name="議員", on_delete=models.PROTECT)
    grade = models.CharField("處理等級", max_length=1, choices=Grade.choices, blank=True)

    class Meta:
        verbose_name = "議員服務案件"
        verbose_name_plural = "議員服務案件"
        ordering = ["-case__received_on", "-id"]

    def __str__(self) -> str:
        return str(self.case)

    def audit_agency_id(self) -> int | None:
        return self.case.audit_agency_id()


# --- Liaisons (府會聯絡人) ----------------------------------------------------------------------


class Liaison(Audited):
    """An agency's council liaison for a period; a change ends one row and starts another, so
    who was the liaison on any day stays known."""

    agency = models.ForeignKey(Agency, verbose_name="機關", on_delete=models.PROTECT)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="帳號",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField("姓名", max_length=40)
    title = models.CharField("職稱", max_length=60, blank=True)
    phone = models.CharField("電話", max_length=40, blank=True)
    mobile = models.CharField("手機", max_length=40, blank=True)
    email = models.EmailField("電子郵件", blank=True)
    start_on = models.DateField("派兼日")
    end_on = models.DateField("卸任日", null=True, blank=True)

    class Meta:
        verbose_name = "府會聯絡人"
        verbose_name_plural = "府會聯絡人"
        ordering = ["agency__code", "-start_on"]

    def __str__(self) -> str:
        return f"{self.agency.short_name} {self.name}"


class LiaisonMeetingKind(models.TextChoices):
    MEETING = "meeting", "座談會"
    TRAINING = "training", "研習"


class LiaisonMeeting(Audited):
    """府會聯絡人座談會 or 研習; invited liaisons and whether each attended."""

    kind = models.CharField("類別", max_length=10, choices=LiaisonMeetingKind.choices)
    title = models.CharField("名稱", max_length=120)
    held_on = models.DateField("日期")
    place = models.CharField("地點", max_length=120, blank=True)

    class Meta:
        verbose_name = "府會聯絡人會議"
        verbose_name_plural = "府會聯絡人會議"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Attendance(Audited):
    meeting = models.ForeignKey(
        LiaisonMeeting, verbose_name="會議", on_delete=models.CASCADE, related_name="attendances"
    )
    liaison = models.ForeignKey(Liaison, verbose_name="聯絡人", on_delete=models.PROTECT)
    attended = models.BooleanField("出席", default=False)

    class Meta:
        verbose_name = "出席紀錄"
        verbose_name_plural = "出席紀錄"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "liaison"], name="attendance_unique")
        ]

    def audit_agency_id(self) -> int | None:
        return self.liaison.agency_id


# --- Caucus visits, mayor–councillor meetings, commitments -------------------------------------


class EngagementKind(models.TextChoices):
    CAUCUS_VISIT = "caucus_visit", "市長赴黨團溝通"
    MAYOR_MEETING = "mayor_meeting", "議員與市長座談會"


class Engagement(Audited):
    """市長赴黨團溝通 or 議員與市長座談會; commitments made there are routed as cases."""

    kind = models.CharField("類別", max_length=15, choices=EngagementKind.choices)
    held_on = models.DateField("日期")
    caucus = models.CharField("黨團", max_length=40, blank=True)
    councillors = models.ManyToManyField(Councillor, verbose_name="出席議員", blank=True)
    topic = models.CharField("主題", max_length=200)
    officials = models.CharField("本府出席", max_length=300, blank=True)
    notes = models.TextField("紀要", blank=True)

    class Meta:
        verbose_name = "府會溝通紀錄"
        verbose_name_plural = "府會溝通紀錄"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.topic}"


class Commitment(Audited):
    """市府承諾事項: a commitment made at an engagement, routed as a case."""

    case = models.OneToOneField(
        "cases.Case", verbose_name="案件", on_delete=models.CASCADE, related_name="commitment"
    )
    engagement = models.ForeignKey(
        Engagement, verbose_name="場合", on_delete=models.PROTECT, related_name="commitments"
    )

    class Meta:
        verbose_name = "承諾事項"
        verbose_name_plural = "承諾事項"

    def __str__(self) -> str:
        return str(self.case)

    def audit_agency_id(self) -> int | None:
        return self.case.audit_agency_id()
