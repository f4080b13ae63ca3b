"""Reads of the documents workflow, already limited to what the person may see.

Visibility (one rule, used by pages, the API and the services' ``may_open``): an ordinary
document is seen by its agency's staff (and roles that see every agency) and by everyone on
its chain; a confidential one only by its chain — whoever acted on it or holds it now, its
officer and the 收發 who registered it. Registers list an agency's confidential documents
too, with 「密不錄由」 in place of the subject.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from secretariat.core import roc
from secretariat.core.errors import NotFound
from secretariat.core.models import RoleCode, User
from secretariat.core.permissions import is_administrator, sees_all_agencies
from secretariat.documents import assistance as assist
from secretariat.documents import paragraphs
from secretariat.documents.models import (
    OPEN_STATUSES,
    RECEIVED_ORIGINS,
    DispatchRecipient,
    Document,
    DraftRole,
    DraftVersion,
    HistoryTally,
    MatterCategory,
    Origin,
    Point,
    PointStatus,
    SealUse,
    Secrecy,
    Signer,
    SigningMode,
    Speed,
    Step,
    VerificationRun,
    overdue_q,
)
from secretariat.documents.models import CopyKind as CopyKind  # re-exported (exchange)
from secretariat.documents.models import DeliveryMethod as DeliveryMethod  # re-exported
from secretariat.documents.models import DocType as DocType  # re-exported

REGISTRY_STEPS = (Step.DISTRIBUTE, Step.DISPATCH)
SEAL_STEPS = (Step.SEAL,)


def _signer(user) -> Signer | None:
    if not hasattr(user, "_document_signer"):
        user._document_signer = Signer.objects.filter(user_id=user.pk).first()
    return user._document_signer


def held_q(user) -> Q:
    """Pending points ``user`` holds: their own, their unit's (會辦) and their desk's — the
    agency's 收發 for 分文 and 發文, its seal keepers for 用印."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    mine = Q(holder_id=user.pk)
    if user.unit_id is not None:
        mine |= Q(holder__isnull=True, holder_unit_id=user.unit_id)
    desk_steps: list[str] = []
    if user.agency_id is not None:
        if user.has_role(RoleCode.REGISTRY_CLERK):
            desk_steps += REGISTRY_STEPS
        signer = _signer(user)
        if signer is not None and signer.keeps_seals:
            desk_steps += SEAL_STEPS
    if desk_steps:
        mine |= Q(
            holder__isnull=True,
            holder_unit__isnull=True,
            step__in=desk_steps,
            document__agency_id=user.agency_id,
        )
    return Q(status=PointStatus.PENDING) & mine


def visible_documents(user) -> QuerySet[Document]:
    """The documents ``user`` may open (see the module docstring)."""
    if not getattr(user, "is_authenticated", False):
        return Document.objects.none()
    chain = Point.objects.filter(Q(acted_by_id=user.pk) | held_q(user)).values("document_id")
    on_chain = Q(officer_id=user.pk) | Q(registered_by_id=user.pk) | Q(pk__in=chain)
    if sees_all_agencies(user):
        ordinary = Q(secrecy=Secrecy.NONE)
    elif user.agency_id is not None:
        ordinary = Q(secrecy=Secrecy.NONE, agency_id=user.agency_id)
    else:
        ordinary = Q(pk__in=[])
    return Document.objects.filter(on_chain | ordinary)


def holder_keys(document_ids: list[int]) -> dict[int, set[str]]:
    """The same rule as :func:`visible_documents` for ordinary documents, as keys a search
    engine can index (``search.registry.Scope``): the agency's staff (``a:``), each person
    on the chain (``p:``) and the unit holding a pending 會辦 point (``u:``). Desk points
    (收發, 監印) are the document's own agency's, which ``a:`` already covers."""
    keys: dict[int, set[str]] = {pk: set() for pk in document_ids}
    for pk, agency_id, officer_id, registered_by_id in Document.objects.filter(
        pk__in=document_ids
    ).values_list("pk", "agency_id", "officer_id", "registered_by_id"):
        keys[pk].add(f"a:{agency_id}")
        keys[pk].update(f"p:{person}" for person in (officer_id, registered_by_id) if person)
    for document_id, acted_by_id, holder_id, holder_unit_id, status in Point.objects.filter(
        document_id__in=document_ids
    ).values_list("document_id", "acted_by_id", "holder_id", "holder_unit_id", "status"):
        if acted_by_id is not None:
            keys[document_id].add(f"p:{acted_by_id}")
        if status == PointStatus.PENDING:
            if holder_id is not None:
                keys[document_id].add(f"p:{holder_id}")
            elif holder_unit_id is not None:
                keys[document_id].add(f"u:{holder_unit_id}")
    return keys


def scope_keys(user) -> set[str] | None:
    """The keys of :func:`holder_keys` the person holds (None: every document)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if sees_all_agencies(user):
        return None
    keys = {f"p:{user.pk}"}
    if user.agency_id is not None:
        keys.add(f"a:{user.agency_id}")
    if user.unit_id is not None:
        keys.add(f"u:{user.unit_id}")
    return keys


def document_for(user, agency_code: str, number: str) -> Document:
    """One document the person may open; NotFound (404) otherwise — another agency's
    document and a confidential one off the person's chain alike."""
    found = (
        visible_documents(user)
        .select_related("agency", "unit", "officer", "matter", "decided_by", "registered_by")
        .filter(agency__code=agency_code, number=number)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def inbox_for(user) -> QuerySet[Point]:
    """我的待辦: the pending points the person holds, oldest first."""
    return (
        Point.objects.filter(held_q(user))
        .select_related("document", "document__agency", "holder_unit")
        .order_by("created_at", "pk")
    )


def drafting_for(user) -> QuerySet[Document]:
    """The open documents the person is the officer of."""
    return (
        Document.objects.filter(officer_id=user.pk, status__in=OPEN_STATUSES)
        .select_related("agency")
        .order_by("due_on", "pk")
    )


def trail_of(document: Document) -> list[Point]:
    """The 簽核 trail: every point in order, with who acted and their certificate."""
    return list(
        document.points.select_related("acted_by", "holder", "holder_unit", "certificate").order_by(
            "pk"
        )
    )


def versions_of(document: Document, role: str) -> list[DraftVersion]:
    return list(
        DraftVersion.objects.filter(draft__document=document, draft__role=role)
        .select_related("created_by", "draft")
        .order_by("number")
    )


def reviewers_for(document: Document, by) -> QuerySet[User]:
    """Whom a document may be sent up to (陳核): the agency's supervisors, heads and
    deciders, except oneself."""
    deciders = Signer.objects.filter(level__isnull=False).values("user_id")
    return (
        User.objects.filter(agency_id=document.agency_id, is_active=True)
        .filter(Q(roles__code__in=[RoleCode.SUPERVISOR, RoleCode.HEAD]) | Q(pk__in=deciders))
        .exclude(pk=by.pk)
        .distinct()
        .order_by("unit__name", "username")
    )


def officers_for(document: Document) -> QuerySet[User]:
    """Whom the desk may give a document to (分文): the agency's staff with a unit."""
    return (
        User.objects.filter(agency_id=document.agency_id, is_active=True, unit__isnull=False)
        .filter(roles__code__in=[RoleCode.CASE_OFFICER, RoleCode.SUPERVISOR])
        .distinct()
        .select_related("unit")
        .order_by("unit__name", "username")
    )


def matters_for(agency_id: int) -> QuerySet[MatterCategory]:
    return MatterCategory.objects.filter(agency_id=agency_id, active=True).order_by("code")


def delegation_table(agency_id: int) -> QuerySet[MatterCategory]:
    return MatterCategory.objects.filter(agency_id=agency_id).order_by("code")


def my_signer(user) -> Signer | None:
    return Signer.objects.filter(user_id=user.pk).select_related("certificate").first()


# --- Registers (收文簿、發文簿、用印登記) -------------------------------------------------------


def may_view_registers(user) -> bool:
    return getattr(user, "is_authenticated", False) and (
        is_administrator(user)
        or (
            user.agency_id is not None
            and user.has_role(RoleCode.REGISTRY_CLERK, RoleCode.SUPERVISOR, RoleCode.HEAD)
        )
    )


@dataclass(frozen=True)
class RegisterFilters:
    start: dt.date | None = None
    end: dt.date | None = None
    speed: str = ""
    status: str = ""
    query: str = ""  # 文號 or 來文機關 / 受文者 (never the subject: a confidential one is secret)
    agency_id: int | None = None


def _scoped(queryset: QuerySet, user) -> QuerySet:
    if sees_all_agencies(user):
        return queryset
    return queryset.filter(agency_id=user.agency_id)


def received_register(user, filters: RegisterFilters) -> QuerySet[Document]:
    """收文簿: the documents received, newest first."""
    if not may_view_registers(user):
        return Document.objects.none()
    rows = _scoped(Document.objects.filter(origin__in=RECEIVED_ORIGINS), user)
    if filters.agency_id:
        rows = rows.filter(agency_id=filters.agency_id)
    if filters.start:
        rows = rows.filter(received_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(received_on__lte=filters.end)
    if filters.speed:
        rows = rows.filter(speed=filters.speed)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.query:
        rows = rows.filter(
            Q(number__startswith=filters.query) | Q(sender_name__contains=filters.query)
        )
    return rows.select_related("agency", "unit", "officer").order_by("-received_on", "-pk")


def dispatched_register(user, filters: RegisterFilters) -> QuerySet[Document]:
    """發文簿: the documents sent out, newest first."""
    if not may_view_registers(user):
        return Document.objects.none()
    rows = _scoped(Document.objects.filter(dispatched_on__isnull=False), user)
    if filters.agency_id:
        rows = rows.filter(agency_id=filters.agency_id)
    if filters.start:
        rows = rows.filter(dispatched_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(dispatched_on__lte=filters.end)
    if filters.speed:
        rows = rows.filter(speed=filters.speed)
    if filters.query:
        rows = rows.filter(number__startswith=filters.query)
    return rows.select_related("agency", "unit", "officer").order_by("-dispatched_on", "-pk")


def seal_register(user, filters: RegisterFilters) -> QuerySet[SealUse]:
    """用印登記: every sealing, newest first."""
    if not may_view_registers(user):
        return SealUse.objects.none()
    rows = _scoped(SealUse.objects.all(), user)
    if filters.agency_id:
        rows = rows.filter(agency_id=filters.agency_id)
    if filters.start:
        rows = rows.filter(used_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(used_on__lte=filters.end)
    if filters.query:
        rows = rows.filter(document__number__startswith=filters.query)
    return rows.select_related("document", "document__agency", "keeper").order_by("-used_on", "-pk")


def verification_runs() -> QuerySet[VerificationRun]:
    return VerificationRun.objects.select_related("document", "requested_by").prefetch_related(
        "problems__document", "problems__point"
    )


# --- Figures for the report (文書 e 化) -------------------------------------------------------------


def _ratio(part: int, whole: int) -> Decimal | None:
    return roc.percent_value(part, whole) if whole else None


@dataclass(frozen=True)
class SigningFigures:
    """線上簽核: documents decided (決行) in a period, how many online; and of the paper
    來文 among them (紙本來文), how many were signed online."""

    total: int = 0
    online: int = 0
    paper_received: int = 0
    paper_received_online: int = 0

    @property
    def online_rate(self) -> Decimal | None:
        return _ratio(self.online, self.total)

    @property
    def paper_received_rate(self) -> Decimal | None:
        return _ratio(self.paper_received_online, self.paper_received)

    def __add__(self, other: SigningFigures) -> SigningFigures:
        return SigningFigures(
            self.total + other.total,
            self.online + other.online,
            self.paper_received + other.paper_received,
            self.paper_received_online + other.paper_received_online,
        )


_ONLINE = Q(signing_mode=SigningMode.ONLINE)
_PAPER_IN = Q(origin=Origin.PAPER)


def signing_figures(
    start: dt.date, end: dt.date, *, agency_ids: list[int] | None = None
) -> SigningFigures:
    """The online-signing figures of the period, from the documents and from imported
    history (``HistoryTally``) alike; ``agency_ids`` limits them (the Secretariat's own)."""
    documents = Document.objects.filter(decided_on__gte=start, decided_on__lte=end)
    tallies = HistoryTally.objects.filter(date__gte=start, date__lte=end)
    if agency_ids is not None:
        documents = documents.filter(agency_id__in=agency_ids)
        tallies = tallies.filter(agency_id__in=agency_ids)
    counted = documents.aggregate(
        total=Count("pk"),
        online=Count("pk", filter=_ONLINE),
        paper=Count("pk", filter=_PAPER_IN),
        paper_online=Count("pk", filter=_PAPER_IN & _ONLINE),
    )
    imported = tallies.aggregate(
        total=Coalesce(Sum("count"), 0),
        online=Coalesce(Sum("count", filter=_ONLINE), 0),
        paper=Coalesce(Sum("count", filter=_PAPER_IN), 0),
        paper_online=Coalesce(Sum("count", filter=_PAPER_IN & _ONLINE), 0),
    )
    return SigningFigures(
        counted["total"], counted["online"], counted["paper"], counted["paper_online"]
    ) + SigningFigures(
        imported["total"], imported["online"], imported["paper"], imported["paper_online"]
    )


@dataclass(frozen=True)
class VolumeFigures:
    """收文, 發文 (documents) and 用印 (impressions) of a period."""

    received: int
    dispatched: int
    impressions: int


def volume_figures(
    start: dt.date, end: dt.date, *, agency_ids: list[int] | None = None
) -> VolumeFigures:
    documents = Document.objects.all()
    seals = SealUse.objects.filter(used_on__gte=start, used_on__lte=end)
    tallies = HistoryTally.objects.filter(date__gte=start, date__lte=end)
    if agency_ids is not None:
        documents = documents.filter(agency_id__in=agency_ids)
        seals = seals.filter(agency_id__in=agency_ids)
        tallies = tallies.filter(agency_id__in=agency_ids)
    received = documents.filter(
        origin__in=RECEIVED_ORIGINS, received_on__gte=start, received_on__lte=end
    ).count()
    dispatched = documents.filter(dispatched_on__gte=start, dispatched_on__lte=end).count()
    impressions = seals.aggregate(n=Coalesce(Sum("impressions"), 0))["n"]
    imported = tallies.aggregate(
        received=Coalesce(Sum("count", filter=Q(origin__in=RECEIVED_ORIGINS)), 0),
        dispatched=Coalesce(Sum("dispatched"), 0),
        impressions=Coalesce(Sum("impressions"), 0),
    )
    return VolumeFigures(
        received + imported["received"],
        dispatched + imported["dispatched"],
        impressions + imported["impressions"],
    )


@dataclass
class Timeliness:
    """公文時效 of one row (a 速別, an agency, a unit): received documents closed (發文 or
    存查) in the period, on time or late against their deadline."""

    label: str
    on_time: int = 0
    late: int = 0

    @property
    def closed(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> Decimal | None:
        return _ratio(self.on_time, self.closed)


@dataclass
class TimelinessFigures:
    by_speed: list[Timeliness] = field(default_factory=list)
    by_agency: list[Timeliness] = field(default_factory=list)
    by_unit: list[Timeliness] = field(default_factory=list)

    @property
    def total(self) -> Timeliness:
        row = Timeliness("合計")
        for item in self.by_speed:
            row.on_time += item.on_time
            row.late += item.late
        return row


def late_q() -> Q:
    """Closed after its deadline (the closed twin of ``overdue_q``)."""
    return Q(due_on__isnull=False, closed_on__gt=F("due_on"))


def timeliness(
    start: dt.date, end: dt.date, *, agency_ids: list[int] | None = None
) -> TimelinessFigures:
    documents = Document.objects.filter(
        origin__in=RECEIVED_ORIGINS, closed_on__gte=start, closed_on__lte=end
    )
    tallies = HistoryTally.objects.filter(
        date__gte=start, date__lte=end, origin__in=RECEIVED_ORIGINS
    )
    if agency_ids is not None:
        documents = documents.filter(agency_id__in=agency_ids)
        tallies = tallies.filter(agency_id__in=agency_ids)
    counts = {"on_time": Count("pk", filter=~late_q()), "late": Count("pk", filter=late_q())}
    imported = {"closed": Coalesce(Sum("count"), 0), "late": Coalesce(Sum("late"), 0)}
    figures = TimelinessFigures()
    speeds = {code: Timeliness(label) for code, label in Speed.choices}
    for row in documents.values("speed").annotate(**counts):
        speeds[row["speed"]].on_time += row["on_time"]
        speeds[row["speed"]].late += row["late"]
    for row in tallies.values("speed").annotate(**imported):
        speeds[row["speed"]].on_time += row["closed"] - row["late"]
        speeds[row["speed"]].late += row["late"]
    figures.by_speed = list(speeds.values())
    agencies: dict[str, Timeliness] = {}
    for row in documents.values("agency__short_name").annotate(**counts):
        item = agencies.setdefault(row["agency__short_name"], Timeliness(row["agency__short_name"]))
        item.on_time += row["on_time"]
        item.late += row["late"]
    for row in tallies.values("agency__short_name").annotate(**imported):
        item = agencies.setdefault(row["agency__short_name"], Timeliness(row["agency__short_name"]))
        item.on_time += row["closed"] - row["late"]
        item.late += row["late"]
    figures.by_agency = sorted(agencies.values(), key=lambda t: (-t.closed, t.label))
    for row in (
        documents.filter(unit__isnull=False)
        .values("agency__short_name", "unit__name")
        .annotate(**counts)
    ):
        label = f"{row['agency__short_name']} {row['unit__name']}"
        figures.by_unit.append(Timeliness(label, row["on_time"], row["late"]))
    figures.by_unit.sort(key=lambda t: (-t.closed, t.label))
    return figures


def overdue_documents(user, day: dt.date) -> QuerySet[Document]:
    """逾期公文 the person may see in the registers (the one overdue rule)."""
    if not may_view_registers(user):
        return Document.objects.none()
    return _scoped(Document.objects.filter(overdue_q(day)), user).order_by("due_on", "pk")


def pending_items(user) -> list:
    """The dashboard's 我的待辦: the documents waiting for the person (subject hidden for a
    confidential one)."""
    from django.utils import timezone

    from secretariat.core.modules import PendingItem

    today = timezone.localdate()
    return [
        PendingItem(
            kind="公文",
            title=f"{point.document.reference} {point.document.listed_subject}"
            f"（{point.get_step_display()}）",
            url=point.document.get_absolute_url(),
            due=point.document.due_on,
            overdue=point.document.is_overdue_on(today),
        )
        for point in inbox_for(user)[:20]
    ]


def reply_document(user, agency, number: str) -> Document:
    """The dispatched 公文 a case reply points to: of ``agency``, visible to ``user``, sent
    out (發文); a DomainError naming the field otherwise."""
    from secretariat.core.errors import DomainError

    found = (
        visible_documents(user)
        .filter(agency=agency, number=number, dispatched_on__isnull=False)
        .first()
    )
    if found is None:
        message = f"查無{agency.short_name}已發文的公文「{number}」（請填 10 碼文號）。"
        raise DomainError("reply_document", message, {"document_number": [message]})
    return found


# 發文方式 by hand: what goes into a document locker package (issue 19, ``lockers``).
HAND_DELIVERY = (DeliveryMethod.COURIER, DeliveryMethod.BY_HAND)


def paper_dispatches(user) -> QuerySet[DispatchRecipient]:
    """發文簿 rows of the person's agency sent on paper by hand (專差, 親自送達) to an agency of
    the registry: what its 收發 may put into a locker package. Confidential documents are left
    out — a package's list and cover sheet print every subject."""
    if not (
        getattr(user, "is_authenticated", False)
        and user.agency_id is not None
        and user.has_role(RoleCode.REGISTRY_CLERK)
    ):
        return DispatchRecipient.objects.none()
    return (
        DispatchRecipient.objects.filter(
            document__agency_id=user.agency_id,
            method__in=HAND_DELIVERY,
            agency__isnull=False,
            document__secrecy=Secrecy.NONE,
        )
        .select_related("document", "agency")
        .order_by("-dispatched_on", "-pk")
    )


def outgoing_pdf(document: Document) -> bytes:
    """The dispatched 稿 as printed (PDF): what a paper recipient holds, and what the
    receiving side keeps as the scan of its 收文 when it signs for a locker package."""
    from secretariat.documents import rendering

    sheet = rendering.sheet_for(document, DraftRole.OUTGOING, dated=document.dispatched_on)
    return rendering.pdf(sheet)


# --- What the electronic exchange sends (公文交換, issue 19) ---------------------------------------


@dataclass(frozen=True)
class LetterRecipient:
    """A recipient of a dispatched document as the 發文簿 holds it."""

    copy: str
    name: str
    code: str  # 機關代碼
    method: str
    with_attachments: bool
    agency_id: int | None


@dataclass(frozen=True)
class LetterFile:
    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class OutgoingLetter:
    """A dispatched document as it goes out: what the exchange writes into the DI and SW.
    Built from the decided 稿 (decrypted for a 密 document: the exchange is the system
    sending it, not a person reading it) and the same sheet the printed copy is made from."""

    document: Document
    doc_type: str
    sender_name: str  # 發文機關全銜
    sender_code: str  # 發文機關代碼
    prefix: str  # 發文代字
    year: int
    serial: int
    reference: str
    dispatched_on: dt.date
    speed: str
    secrecy: str
    declassify: str
    subject: str
    sections: list  # [(title, [{"text": …, "children": […]}])]
    meeting: dict
    contact: list[str]
    signature: list[str]
    recipients: list[LetterRecipient]
    files: list[LetterFile]


def item_label(level: int, n: int) -> str:
    """序號 of the n-th item at ``level`` (一、（一）1、…): the documents' own numbering."""
    return paragraphs.label(level, n)


def outgoing_letter(document: Document) -> OutgoingLetter:
    """The dispatched document ``document`` for the exchange (docs/exchange.md)."""
    from django.conf import settings

    from secretariat.documents import rendering, storage
    from secretariat.documents.models import AgencyProfile, DraftRole

    draft = document.drafts.get(role=DraftRole.OUTGOING)
    content = storage.version_content(
        document, draft.versions.order_by("-number").first(), DraftRole.OUTGOING
    )
    day = document.dispatched_on or dt.date.today()
    sheet = rendering.sheet(document, DraftRole.OUTGOING, content, dated=day)
    profile = AgencyProfile.objects.filter(agency_id=document.agency_id).first()
    government = settings.DOCUMENTS_GOVERNMENT
    recipients = [
        LetterRecipient(
            copy=row.copy,
            name=storage.open_bytes(document, f"recipient:{position}", row.sealed_name).decode()
            if row.sealed_name
            else row.name,
            code=row.official_code,
            method=row.method,
            with_attachments=row.with_attachments,
            agency_id=row.agency_id,
        )
        for position, row in enumerate(document.recipients.order_by("pk"))
    ]
    files = [
        LetterFile(
            name=storage.file_name(document, attachment),
            content_type=attachment.content_type,
            data=storage.file_bytes(document, attachment),
        )
        for attachment in document.attachments.filter(role=DraftRole.OUTGOING).order_by("pk")
    ]
    return OutgoingLetter(
        document=document,
        doc_type=content.get("doc_type") or document.doc_type,
        sender_name=rendering.agency_heading(document, profile),
        sender_code=government["official_code"]
        if document.in_government_name
        else document.agency.official_code,
        prefix=document.prefix,
        year=document.year,
        serial=document.serial,
        reference=document.reference,
        dispatched_on=day,
        speed=document.speed,
        secrecy=document.secrecy,
        declassify=document.declassify,
        subject=content.get("subject", ""),
        sections=[(title, list(items)) for title, items in content.get("sections", ())],
        meeting=dict(content.get("meeting") or {}),
        contact=list(sheet.contact),
        signature=list(sheet.signature),
        recipients=recipients,
        files=files,
    )


# --- 公文分辦 and 檔案編目 suggestions (issue 20) -------------------------------------------------

# How much of an agency's history the suggestions learn from: the newest documents, enough
# for every unit and 分類號 in use, few enough to train in a fraction of a second.
HISTORY_LIMIT = 5000


def past_distributions(agency_id: int) -> list[assist.PastDocument]:
    """The agency's received documents distributed to a unit (分文), newest first — the
    training set of the 分文 suggestion. Confidential ones are left out: a model's
    vocabulary keeps fragments of its texts (docs/assist.md)."""
    rows = (
        Document.objects.filter(
            agency_id=agency_id,
            origin__in=RECEIVED_ORIGINS,
            secrecy=Secrecy.NONE,
            distributed_at__isnull=False,
            unit__isnull=False,
        )
        .order_by("-distributed_at")
        .values_list("subject", "unit__name")[:HISTORY_LIMIT]
    )
    return [assist.PastDocument(text=subject, unit=unit) for subject, unit in rows]


def past_filings(agency_id: int) -> list[assist.PastDocument]:
    """The agency's filed documents with a 檔號, newest first (the 歸檔 proposals' training
    set; confidential ones left out as above)."""
    rows = (
        Document.objects.filter(agency_id=agency_id, secrecy=Secrecy.NONE, filed_on__isnull=False)
        .exclude(file_code="")
        .order_by("-filed_on", "-pk")
        .values_list("subject", "file_code", "retention")[:HISTORY_LIMIT]
    )
    return [
        assist.PastDocument(text=subject, file_code=code, retention=retention)
        for subject, code, retention in rows
    ]


def unit_suggestion(document: Document) -> assist.Learned | None:
    """分文建議 for a document at the desk: the units its agency sent documents like it to.
    None for a confidential document (its subject is not read for suggestions) or while the
    agency's history is too small."""
    if document.confidential:
        return None
    history = past_distributions(document.agency_id)
    return assist.suggest_unit(history, document.subject, f"unit:{document.agency_id}")


def document_parts(document: Document) -> dict[str, str]:
    """The text of an ordinary document by part — 主旨, each section of its newest 簽 and 稿,
    the 來文's 主旨 — for the 歸檔 proposals' 案情摘要."""
    from secretariat.documents import content as contents
    from secretariat.documents import storage

    parts = {"主旨": document.subject}
    versions = DraftVersion.objects.filter(draft__document=document).select_related("draft")
    for version in versions.order_by("draft__role", "-number"):
        role = version.draft.get_role_display()
        data = storage.version_content(document, version)
        if data.get("subject") and f"{role}主旨" not in parts:
            parts[f"{role}主旨"] = data["subject"]
        for title, text in contents.section_texts(data).items():
            parts.setdefault(f"{role}{title}", text)
    return parts


def held_steps(user, document: Document) -> set[str]:
    """The steps of ``document`` the person holds now (their pending points)."""
    return set(inbox_for(user).filter(document=document).values_list("step", flat=True))


@dataclass(frozen=True)
class Assistance:
    """The learned suggestions the person may be shown for a document now."""

    unit_suggestion: assist.Learned | None  # 分文建議, to whoever holds 分文
    filing_proposal: assist.FilingProposal | None  # 檔案編目建議, to whoever may 歸檔


def assistance_for(user, document: Document, held: set[str] | None = None) -> Assistance:
    """What the document's page shows beside the steps the person holds (``held``, when the
    caller has them already): 分文建議 at 分文, 檔案編目建議 when they may file it (both None
    otherwise, and for a confidential document). The page and the API ask this."""
    held = held_steps(user, document) if held is None else held
    return Assistance(
        unit_suggestion(document) if Step.DISTRIBUTE in held else None,
        filing_proposal(document) if document.may_be_filed_at(held) else None,
    )


def filing_proposal(document: Document) -> assist.FilingProposal | None:
    """檔案編目 proposals for a document being filed (分類號, 保存年限, 主題項, 案情摘要), learned
    from its agency's filed documents. None for a confidential document."""
    if document.confidential:
        return None
    history = past_filings(document.agency_id)
    return assist.propose_filing(history, document_parts(document), f"filing:{document.agency_id}")
