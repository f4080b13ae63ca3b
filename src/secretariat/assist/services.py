"""Writes of the routing assistant: training a model version (and activating it), activating
another version, and recording the router's response to a suggestion. Each checks permission,
validates, writes and audits in one transaction and raises DomainError (zh-Hant)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from secretariat.assist import embeddings, selectors
from secretariat.assist.minutes import AgendaEntry, MinutesDraft
from secretariat.assist.models import RoutingFeedback, TrainedModel, Trigger
from secretariat.assist.ocr import FieldReading, OcrUnavailable
from secretariat.assist.paperwork import FilingProposal, Learned
from secretariat.core import audit
from secretariat.core.errors import DomainError, PermissionDenied
from secretariat.core.models import Agency
from secretariat.documents.assistance import PastDocument

__all__ = ["FieldReading", "FilingProposal", "Learned", "LetterReading", "PastDocument"]
from secretariat.core.permissions import is_administrator

logger = logging.getLogger(__name__)

MIN_CASES = 10
KEEP_WEIGHTS = 5  # the newest versions that keep their weights (the active one always does)


def _require_administrator(by) -> None:
    # by=None: the system itself (the daily job, the command line).
    if by is not None and not is_administrator(by):
        raise PermissionDenied("只有系統管理者或秘書處管理者可以訓練或啟用分辦建議模型。")


def train_model(*, by=None, trigger: str = Trigger.COMMAND, activate: bool = True) -> TrainedModel:
    """Train a new version on every routed case's final lead agency (feedback-weighted) and the
    routing keyword table (training-only cases), store it with its held-out evaluation and, by
    default, put it in use. Training runs before the transaction: it takes seconds to a minute
    and must not hold the database's write lock."""
    from secretariat.assist import learning  # scikit-learn: loaded by training, not at start-up

    _require_administrator(by)
    examples = selectors.training_examples()
    agencies = {e.agency for e in examples}
    if len(examples) < MIN_CASES or len(agencies) < 2:
        raise DomainError(
            "assist_not_enough_data",
            f"訓練資料不足：需要至少 {MIN_CASES} 件已分辦案件、2 個以上主辦機關"
            f"（目前 {len(examples)} 件、{len(agencies)} 個機關）。",
        )
    priors = selectors.keyword_priors()
    embed = embeddings.configured()
    started = time.perf_counter()
    model = learning.fit(
        [e.text for e in examples],
        [e.agency for e in examples],
        [e.weight for e in examples],
        priors=priors,
        embed=embed,
    )
    seconds = time.perf_counter() - started
    weights = model.to_bytes()
    threshold = model.threshold_for(embed)
    with transaction.atomic(), audit.acting_as(audit.actor_of(by)), audit.action("assist:train"):
        latest = TrainedModel.objects.select_for_update().defer("weights").first()
        previous = selectors.active_model()
        used = learning.usable_priors(priors, model.labels)
        evaluation = dict(model.heldout, keyword_priors=len(used))
        if previous is not None:
            evaluation["previous_model"] = {
                "version": previous.version,
                **selectors.feedback_of(previous),
            }
        record = TrainedModel.objects.create(
            version=(latest.version if latest else 0) + 1,
            trained_at=timezone.now(),
            trained_by=by,
            trigger=trigger,
            training_size=len(examples),
            label_count=len(model.labels),
            feedback_cases=sum(e.has_feedback for e in examples),
            overruled_cases=sum(e.overruled for e in examples),
            evaluation=evaluation,
            threshold=threshold if threshold <= 1 else None,
            target_precision=model.target_precision,
            uses_embeddings=model.uses_embeddings,
            seconds=round(seconds, 2),
            size=len(weights),
            weights=weights,
        )
        if activate:
            _activate(record)
        _drop_old_weights()
    logger.info("trained routing model v%s on %s cases", record.version, len(examples))
    return record


@transaction.atomic
def activate_model(record: TrainedModel, *, by) -> TrainedModel:
    """Put a stored version in use (e.g. back to an earlier one)."""
    _require_administrator(by)
    record = TrainedModel.objects.select_for_update().defer("weights").get(pk=record.pk)
    if not TrainedModel.objects.filter(pk=record.pk, weights__isnull=False).exists():
        raise DomainError("assist_no_weights", f"{record} 的模型權重已清除，無法啟用；請重新訓練。")
    with audit.acting_as(audit.actor_of(by)), audit.action("assist:activate"):
        _activate(record)
    return record


def _activate(record: TrainedModel) -> None:
    for other in TrainedModel.objects.defer("weights").filter(is_active=True).exclude(pk=record.pk):
        other.is_active = False
        other.save(update_fields=["is_active"])
    record.is_active = True
    record.save(update_fields=["is_active"])


def _drop_old_weights() -> None:
    keep = list(TrainedModel.objects.values_list("pk", flat=True)[:KEEP_WEIGHTS])
    old = TrainedModel.objects.exclude(pk__in=keep).filter(is_active=False, weights__isnull=False)
    # A queryset update: the weights are not audited, and the rows' figures stay as they were.
    old.update(weights=None)


def record_feedback(
    case,
    lead: Agency,
    co_agencies: Iterable[Agency],
    *,
    by,
    trained_model: TrainedModel | None,
    suggested: list[dict],
    abstained: bool,
) -> RoutingFeedback:
    """分辦回饋: what was suggested for ``case`` (by ``trained_model``; None: the keyword
    table) and what the router chose. Called by the suggester inside the routing transaction."""
    accepted = bool(suggested) and not abstained and suggested[0]["agency"] == lead.code
    with (
        transaction.atomic(),
        audit.acting_as(audit.actor_of(by)),
        audit.action("assist:routing_feedback"),
    ):
        return RoutingFeedback.objects.update_or_create(
            case=case,
            defaults={
                "trained_model": trained_model,
                "suggested": suggested,
                "abstained": abstained,
                "lead": lead,
                "co_agencies": [a.code for a in co_agencies],
                "accepted": accepted,
                "routed_by": by if getattr(by, "is_authenticated", False) else None,
            },
        )[0]


def draft_minutes(
    items: list[AgendaEntry], transcript: str, *, chair_titles=("主席", "市長", "秘書長")
) -> MinutesDraft:
    """會議紀錄草稿 of an agenda (``minutes.AgendaEntry`` each) from a transcript's text:
    offline, with jieba and the registry's agency names (docs/assist.md). Writes nothing:
    the caller keeps what a person accepts."""
    from secretariat.assist import keywords, minutes

    extractor = keywords.extractor(selectors.known_names() + keywords.DISTRICTS)
    return minutes.draft(
        items,
        transcript,
        extractor=extractor,
        agency_names=selectors.agency_codes_by_name(),
        chair_titles=chair_titles,
    )


# --- 文件登錄, 公文分辦, 檔案編目 (issue 20) ----------------------------------------------------


@dataclass(frozen=True)
class LetterReading:
    """What OCR read on a scanned letter: the fields found (``ocr.read_letter``), the
    matched agency's 機關代碼 (when it has one) and how long the reading took."""

    fields: dict[str, FieldReading]
    sender_code: str
    lines: int
    seconds: float


def read_scanned_letter(
    data: bytes,
    content_type: str,
    *,
    speeds: dict[str, str],
    secrecies: dict[str, str],
    no_secrecy: str,
) -> LetterReading:
    """文件登錄: OCR the first page of a scanned letter (PDF, PNG or JPEG, already checked by
    ``core.uploads.check_upload``) and read its 來文機關 (matched to the agency registry),
    發文字號, 發文日期, 速別, 密等 and 主旨, each with a confidence and the line it was read
    from. ``speeds``/``secrecies``: each label as printed → the caller's value. Writes
    nothing; DomainError ``ocr_unavailable`` when Tesseract cannot read the file."""
    from secretariat.assist import ocr

    started = time.perf_counter()
    try:
        lines = ocr.read_page(data, content_type)
    except OcrUnavailable as failed:
        logger.warning("OCR failed: %s", failed)
        raise DomainError(
            "ocr_unavailable",
            "無法辨識掃描檔（文字辨識程式未安裝或檔案無法讀取），請自行填寫欄位。",
            {"scan": ["無法辨識掃描檔，請自行填寫欄位。"]},
        ) from failed
    codes = selectors.agency_codes_by_name()
    fields = ocr.read_letter(lines, codes, speeds, secrecies, no_secrecy)
    sender_code = ""
    if "sender_name" in fields and fields["sender_name"].value in codes:
        agency = selectors.agencies_by_code([codes[fields["sender_name"].value]]).popitem()[1]
        reading = fields["sender_name"]
        fields["sender_name"] = FieldReading(agency.name, reading.confidence, reading.source)
        sender_code = agency.official_code
    return LetterReading(fields, sender_code, len(lines), time.perf_counter() - started)


def suggest_unit(history: list[PastDocument], text: str, scope: str = "") -> Learned | None:
    """公文分辦: the units (科/室) the agency distributed documents like ``text`` to, learned
    from ``history`` (its past 分文, handed over by the documents module), with calibrated
    confidences and grounds; None while the history is too small. ``scope`` names whose
    history it is (「unit:12」): its model is kept for a while (``paperwork._fitted``).
    Writes nothing."""
    from secretariat.assist import keywords, paperwork

    return paperwork.suggest_unit(history, text, keywords.words, scope)


def propose_filing(
    history: list[PastDocument], parts: dict[str, str], scope: str = ""
) -> FilingProposal:
    """檔案編目 proposals for a closed document (``parts``: 主旨, 說明 … → text): 分類號 and
    保存年限 learned from the agency's filed documents (``history``), 主題項 and an
    extractive 案情摘要, each with what it was derived from. Writes nothing; the documents
    and archives modules show it to the person who files."""
    from secretariat.assist import keywords, paperwork

    return paperwork.propose_filing(history, parts, keywords.keywords, keywords.words, scope)


class DocumentsAssistant:
    """What ``documents.assistance`` asks for, installed by ``AssistConfig.ready``."""

    read_letter = staticmethod(read_scanned_letter)
    suggest_unit = staticmethod(suggest_unit)
    propose_filing = staticmethod(propose_filing)
