"""Importing 媒體聯繫's history (``secretariat import <type> FILE`` or the 資料匯入 page) —
opinion items (輿情, a case kind on the engine's shared columns), press releases, press
events and social posts — and the live capture of a monitoring service's CSV export, which
the press office runs from its own page. Formats: ``docs/import.md``."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils import timezone

from secretariat.cases import selectors as case_selectors
from secretariat.cases.importers import (
    CO,
    COLUMN_BODY,
    COLUMN_CLOSED,
    COLUMN_DUE,
    COLUMN_NUMBER,
    COLUMN_ROUTED,
    COLUMN_SUBJECT,
    LEAD,
    NUMBER,
    RECEIVED,
    CaseImporter,
    CaseRecord,
)
from secretariat.core import audit, importing, roc
from secretariat.core.importing import Column, Importer, Plan, Problems, Row
from secretariat.core.models import Agency
from secretariat.core.registry import AgencyIndex
from secretariat.media import services
from secretariat.media.kinds import CHANNEL, OPINION
from secretariat.media.models import (
    RELEASE_BODY_MAX_LENGTH,
    CaptureSource,
    Importance,
    OpinionItem,
    Platform,
    PostKind,
    PressEvent,
    PressEventKind,
    PressRelease,
    ReleaseStatus,
    SocialPost,
    Tone,
)

OUTLET = "媒體來源"
LINK = "連結"
REPORTED = "報導日期"
TONE = "傾向"
IMPORTANCE = "重要性"
LEAD_REPLIED = "主辦回應日期"
CO_REPLIED = "協辦回應日期"
TONES = {label: value for value, label in Tone.choices}
IMPORTANCES = {label: value for value, label in Importance.choices}
OUTLET_MAX = OpinionItem._meta.get_field("outlet").max_length
LINK_MAX = OpinionItem._meta.get_field("link").max_length
_URL = URLValidator(schemes=["http", "https"])


def _link(row: Row, column: str, problems: Problems) -> str:
    link = row[column]
    if link:
        try:
            _URL(link)
        except ValidationError:
            problems.add(row.number, column, "連結須為 http 或 https 網址。")
    return link


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


# --- 輿情 (history) -------------------------------------------------------------------------------


class OpinionItemImporter(CaseImporter):
    """輿情 as the old system recorded them: the item, the agencies it was routed to and the
    day each responded. A part's deadline is the file's, or the kind's rule by importance
    counted from 分辦日期 (重大 the same working day; others ``reply_hours`` from the day's
    opening), so the on-time figures come out as they would have live."""

    type = "opinion-items"
    label = "輿情"
    kind = OPINION
    received_column = RECEIVED
    related = ("opinion_item",)
    unique = (NUMBER, LINK)
    columns = (
        COLUMN_NUMBER,
        Column(RECEIVED, True, "蒐報（登錄）日期。"),
        COLUMN_SUBJECT,
        Column(COLUMN_BODY.name, False, "報導摘要。", COLUMN_BODY.max_length, multiline=True),
        Column(OUTLET, True, f"報導的媒體或平台，最長 {OUTLET_MAX} 字。", OUTLET_MAX),
        Column(LINK, False, "報導網址（http/https）；同一連結只能登錄一次。", LINK_MAX),
        Column(REPORTED, False, "空白為收件日期。"),
        Column(TONE, False, f"{'、'.join(TONES)}；空白為中性。"),
        Column(IMPORTANCE, False, f"{'、'.join(IMPORTANCES)}；空白為一般。"),
        Column(LEAD, True, "全銜、簡稱或收件當時的舊名。"),
        Column(CO, False, "多個以「、」分隔。"),
        COLUMN_ROUTED,
        COLUMN_DUE,
        Column(LEAD_REPLIED, False, "主辦機關回應之日。"),
        Column(CO_REPLIED, False, "一個日期代表全部協辦機關，或依協辦機關順序以「、」分隔。"),
        COLUMN_CLOSED,
    )

    def read(self, row: Row, problems: Problems) -> CaseRecord | None:
        found = len(problems)
        received_on = self.date(row, RECEIVED, problems)
        reported_on = self.date(row, REPORTED, problems) or received_on
        tone = importing.parse_choice(row[TONE], row.number, TONE, problems, TONES)
        importance = importing.parse_choice(
            row[IMPORTANCE], row.number, IMPORTANCE, problems, IMPORTANCES
        )
        importance = importance or Importance.NORMAL
        link = _link(row, LINK, problems)
        parts = self.parts(row, problems, received_on, lambda co: self._replies(row, problems, co))
        record = self.case_record(
            row,
            problems,
            parts=parts,
            received_on=received_on,
            channel=CHANNEL,
            due_rule=lambda day: services.deadline_on(importance, day),
            own={
                OUTLET: row[OUTLET],
                LINK: link,
                REPORTED: reported_on,
                TONE: tone or Tone.NEUTRAL,
                IMPORTANCE: importance,
            },
        )
        return record if len(problems) == found else None

    def _replies(self, row: Row, problems: Problems, co_count: int):
        found = len(problems)
        lead = self.date(row, LEAD_REPLIED, problems)
        texts = importing.split_list(row[CO_REPLIED])
        if texts and not co_count:
            problems.add(row.number, CO_REPLIED, "沒有協辦機關，不應填協辦回應日期。")
        elif len(texts) > 1 and len(texts) != co_count:
            problems.add(
                row.number,
                CO_REPLIED,
                f"有 {len(texts)} 個日期，但協辦機關有 {co_count} 個；請依協辦機關順序逐一填寫，"
                "或只填一個日期代表全部。",
            )
        if len(problems) > found:
            return None
        texts = texts * co_count if len(texts) == 1 else texts or [""] * co_count
        co = [
            importing.parse_date(text, row.number, CO_REPLIED, problems, not_after=self.today)
            for text in texts
        ]
        if len(problems) > found:
            return None
        return [(lead, LEAD_REPLIED)] + [(day, CO_REPLIED) for day in co]

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        plan = super().check(rows, problems, tick)
        # A link belongs to one item: one captured before under another number is a problem.
        links = {record.own[LINK]: record for record in plan.new if record.own[LINK]}
        taken = OpinionItem.objects.filter(link__in=list(links)).select_related("case")
        for item in taken:
            record = links[item.link]
            problems.add(record.row, LINK, f"此連結已登錄為輿情 {item.case.number}。")
        return plan

    def own_values(self, case) -> dict[str, Any]:
        item = getattr(case, "opinion_item", None)
        if item is None:
            return {}
        return {
            OUTLET: item.outlet,
            LINK: item.link,
            REPORTED: item.reported_on,
            TONE: item.tone,
            IMPORTANCE: item.importance,
        }

    def own_record(self, case, record: CaseRecord) -> OpinionItem:
        own = record.own
        return OpinionItem(
            case=case,
            outlet=own[OUTLET],
            link=own[LINK],
            reported_on=own[REPORTED],
            tone=own[TONE],
            importance=own[IMPORTANCE],
            source=CaptureSource.IMPORT,
        )


# --- 輿情 captured from a monitoring service's export (live items) ----------------------------


TITLE = "標題"
SUMMARY = "內容"  # the report's summary: the case's text, as every importer names it


class MonitoringImporter(Importer):
    """A monitoring service's CSV (or XLSX) export of the day's reports: each row a new item
    waiting to be routed; a row whose link was captured before is left as it is (未變更).
    The press office runs it (``allowed``), from its capture page or the import page."""

    type = "opinion-monitoring"
    label = "輿情監測匯出"
    unique = (LINK,)
    columns = (
        Column(TITLE, True, "報導標題，最長 200 字。", case_selectors.FIELD_LIMITS["subject"]),
        Column(OUTLET, True, "媒體或平台。", OUTLET_MAX),
        Column(REPORTED, True, "報導日期。"),
        Column(LINK, False, "報導網址（http/https）。", LINK_MAX),
        Column(SUMMARY, False, "報導摘要。", case_selectors.FIELD_LIMITS["body"], multiline=True),
        Column(TONE, False, f"{'、'.join(TONES)}；空白為中性。"),
        Column(IMPORTANCE, False, f"{'、'.join(IMPORTANCES)}；空白為一般。"),
    )

    @classmethod
    def allowed(cls, user) -> bool:
        return services.may_capture(user)

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        today = timezone.localdate()
        plan = Plan()
        links = [row[LINK] for row in rows if row[LINK]]
        known = set(OpinionItem.objects.filter(link__in=links).values_list("link", flat=True))
        for row in rows:
            found = len(problems)
            reported_on = importing.parse_date(
                row[REPORTED], row.number, REPORTED, problems, not_after=today
            )
            tone = importing.parse_choice(row[TONE], row.number, TONE, problems, TONES)
            importance = importing.parse_choice(
                row[IMPORTANCE], row.number, IMPORTANCE, problems, IMPORTANCES
            )
            link = _link(row, LINK, problems)
            tick()
            if len(problems) > found:
                continue
            if link and link in known:
                plan.unchanged += 1
                continue
            plan.new.append(
                {
                    "title": row[TITLE],
                    "summary": row[SUMMARY] or row[TITLE],
                    "outlet": row[OUTLET],
                    "link": link,
                    "reported_on": reported_on,
                    "tone": tone or Tone.NEUTRAL,
                    "importance": importance or Importance.NORMAL,
                }
            )
        return plan

    def write(self, plan: Plan, *, by) -> None:
        # ``allowed`` has let the person in (or it is the CLI, the system itself).
        for fields in plan.new:
            services.open_item(**fields, source=CaptureSource.MONITORING, by=by)


# --- 新聞稿, 記者會及媒體活動, 社群貼文 (history) ----------------------------------------------------


PUBLISHED = "發布日期"
PUBLISHED_TIME = "發布時間"
AGENCY = "發布機關"
BODY = "內容"
MAYOR = "以市長名義"
YES_NO = {"是": "yes", "否": "no"}


class _RecordImporter(Importer):
    """Plain records checked row by row and written in bulk with their audit entries. A row
    whose natural key (``key``) was imported before is 未變更."""

    model: ClassVar[type]

    def __init__(self) -> None:
        self.today = timezone.localdate()

    @property
    def agencies(self) -> AgencyIndex:
        if not hasattr(self, "_agencies"):
            self._agencies = AgencyIndex.build()
        return self._agencies

    def agency(self, name: str, row: Row, column: str, on, problems: Problems) -> Agency | None:
        return importing.parse_agency(self.agencies, name, row.number, column, problems, on)

    def date(self, row: Row, column: str, problems: Problems) -> dt.date | None:
        return importing.parse_date(row[column], row.number, column, problems, not_after=self.today)

    def read(self, row: Row, problems: Problems):
        raise NotImplementedError

    def key(self, record) -> tuple:
        raise NotImplementedError

    def existing_keys(self, records) -> set[tuple]:
        raise NotImplementedError

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        plan, records = Plan(), []
        for row in rows:
            found = len(problems)
            record = self.read(row, problems)
            tick()
            if record is not None and len(problems) == found:
                records.append((row.number, record))
        seen: dict[tuple, int] = {}
        for number, record in records:
            key = self.key(record)
            if key in seen:
                problems.add(number, "", f"與第{seen[key]}列為同一筆資料。")
            seen.setdefault(key, number)
        existing = self.existing_keys([record for _, record in records])
        for _, record in records:
            if self.key(record) in existing:
                plan.unchanged += 1
            else:
                plan.new.append(record)
        return plan

    def write(self, plan: Plan, *, by) -> None:
        rows = self.model.objects.bulk_create(plan.new)
        audit.record_created(rows)


class PressReleaseImporter(_RecordImporter):
    """新聞稿 published before: counted by month for the Secretariat and the whole government.
    Imported releases are public on the news page (an empty 內容 shows the title only) and
    are not mailed again."""

    type = "press-releases"
    label = "新聞稿"
    model = PressRelease
    columns = (
        Column(PUBLISHED, True),
        Column(PUBLISHED_TIME, False, "例：14:30；空白為當日上午9時。"),
        Column(AGENCY, True, "全銜、簡稱或當時的舊名。"),
        Column(TITLE, True, "最長 200 字。", 200),
        Column(BODY, False, "新聞稿全文。", RELEASE_BODY_MAX_LENGTH, multiline=True),
        Column(MAYOR, False, "是或否；空白為否。"),
    )

    def read(self, row: Row, problems: Problems):
        day = self.date(row, PUBLISHED, problems)
        at = dt.time(9, 0)
        if row[PUBLISHED_TIME]:
            try:
                at = roc.parse_time(row[PUBLISHED_TIME])
            except ValueError as error:
                problems.add(row.number, PUBLISHED_TIME, str(error))
        agency = self.agency(row[AGENCY], row, AGENCY, day, problems)
        mayor = importing.parse_choice(row[MAYOR], row.number, MAYOR, problems, YES_NO)
        if day is None or agency is None:
            return None
        publish_at = timezone.make_aware(dt.datetime.combine(day, at))
        return PressRelease(
            agency=agency,
            title=row[TITLE],
            body=row[BODY],
            in_mayors_name=mayor == "yes",
            status=ReleaseStatus.APPROVED,
            publish_at=publish_at,
            mailed_at=publish_at,  # history: never mailed from here
        )

    def key(self, record: PressRelease) -> tuple:
        return (record.agency_id, timezone.localdate(record.publish_at), _key(record.title))

    def existing_keys(self, records) -> set[tuple]:
        if not records:
            return set()
        days = [record.publish_at for record in records]
        found = PressRelease.objects.filter(
            agency_id__in={record.agency_id for record in records},
            publish_at__range=(min(days) - dt.timedelta(days=1), max(days) + dt.timedelta(days=1)),
        )
        return {self.key(release) for release in found}


class PressEventImporter(_RecordImporter):
    """府級記者會、媒體專訪市長、媒體餐敘 held before."""

    type = "press-events"
    label = "記者會及媒體活動"
    model = PressEvent
    columns = (
        Column("類別", True, f"{'、'.join(PressEventKind.labels)}。"),
        Column("日期", True),
        Column("主題", True, "最長 200 字。", 200),
        Column("主持人", False, "", 60),
        Column("媒體", False, "專訪的媒體。", 100),
        Column("記者", False, "", 60),
        Column("地點", False, "", 200),
    )
    KINDS: ClassVar[dict[str, str]] = {label: value for value, label in PressEventKind.choices}

    def read(self, row: Row, problems: Problems):
        kind = importing.parse_choice(row["類別"], row.number, "類別", problems, self.KINDS)
        day = self.date(row, "日期", problems)
        if kind is None or day is None:
            return None
        return PressEvent(
            kind=kind,
            held_on=day,
            topic=row["主題"],
            host=row["主持人"],
            outlet=row["媒體"],
            journalist=row["記者"],
            place=row["地點"],
        )

    def key(self, record: PressEvent) -> tuple:
        return (record.kind, record.held_on, _key(record.topic))

    def existing_keys(self, records) -> set[tuple]:
        days = {record.held_on for record in records}
        found = PressEvent.objects.filter(held_on__in=days)
        return {self.key(event) for event in found}


class SocialPostImporter(_RecordImporter):
    """市長社群貼文 posted before."""

    type = "social-posts"
    label = "市長社群貼文"
    model = SocialPost
    columns = (
        Column("平台", True, f"{'、'.join(Platform.labels)}。"),
        Column(PUBLISHED, True),
        Column("類型", True, f"{'、'.join(PostKind.labels)}。"),
        Column(TITLE, True, "最長 200 字。", 200),
        Column(LINK, False, "貼文網址（http/https）。", 500),
    )
    PLATFORMS: ClassVar[dict[str, str]] = {label: value for value, label in Platform.choices}
    KINDS: ClassVar[dict[str, str]] = {label: value for value, label in PostKind.choices}

    def read(self, row: Row, problems: Problems):
        platform = importing.parse_choice(row["平台"], row.number, "平台", problems, self.PLATFORMS)
        kind = importing.parse_choice(row["類型"], row.number, "類型", problems, self.KINDS)
        day = self.date(row, PUBLISHED, problems)
        link = _link(row, LINK, problems)
        if platform is None or kind is None or day is None:
            return None
        return SocialPost(platform=platform, posted_on=day, kind=kind, title=row[TITLE], link=link)

    def key(self, record: SocialPost) -> tuple:
        return (record.platform, record.posted_on, _key(record.title), record.link)

    def existing_keys(self, records) -> set[tuple]:
        days = {record.posted_on for record in records}
        found = SocialPost.objects.filter(Q(posted_on__in=days))
        return {self.key(post) for post in found}


IMPORTERS = (
    OpinionItemImporter,
    MonitoringImporter,
    PressReleaseImporter,
    PressEventImporter,
    SocialPostImporter,
)
