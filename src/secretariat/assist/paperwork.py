"""公文分辦 and 檔案編目 proposals, learned from an agency's own past documents (no models,
no queries).

The documents module (or archives) hands over the agency's history as ``PastDocument`` rows;
the same NB-SVM with calibrated confidences that routes cases (``learning.fit``) learns the
unit a document went to (分文) and the 分類號 it was filed under (歸檔). A model is fitted
when it is first asked for and kept in memory (``_fitted``): an agency's 5,000 newest
documents train in about 2 s (bench/assist/filing.py, docs/assist.md)."""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from secretariat.documents.assistance import PastDocument

MIN_HISTORY = 10  # past documents needed before anything is learned
CACHED_MODELS = 16  # fitted models kept per process (two purposes × a few agencies)
REFIT_AFTER = 600  # seconds a scoped model is used before the grown history is fitted again
REFIT_GROWTH = 0.1  # … unless the history's size changed by more than this share
SUMMARY_SENTENCES = 3
SUMMARY_MAX = 300  # characters of the 案情摘要
SUBJECT_TERMS = 4  # 主題項 proposed
_SENTENCE_END = re.compile(r"(?<=[。；！？])|\n")


@dataclass(frozen=True)
class Suggestion:
    label: str
    confidence: float
    grounds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Learned:
    """A ranking with what it rests on: the history's size and the held-out top-1 of the
    model (its calibration folds), and the threshold at which it would pre-select."""

    ranked: tuple[Suggestion, ...]
    trained_on: int
    heldout_top1: float | None
    threshold: float | None

    @property
    def preselected(self) -> Suggestion | None:
        if self.ranked and self.threshold is not None:
            top = self.ranked[0]
            return top if top.confidence >= self.threshold else None
        return None


@dataclass(frozen=True)
class Proposal:
    """One proposed catalogue field: the value, how sure (0–1; None when it is not a
    probability) and what it was derived from (zh-Hant, shown beside it)."""

    value: str
    confidence: float | None
    derived_from: str


@dataclass(frozen=True)
class FilingProposal:
    """檔案編目 proposals for one document; a field is None when nothing could be proposed."""

    classification: Proposal | None
    retention: Proposal | None
    subjects: Proposal | None
    summary: Proposal | None
    notes: tuple[str, ...] = field(default=())


_models: OrderedDict[str, tuple[float, int, object]] = OrderedDict()


def _fitted(texts: Sequence[str], labels: Sequence[str], scope: str):
    """The model for this history, fitted once per process. With a ``scope`` (the agency and
    purpose, 「unit:12」) a model fitted in the last ``REFIT_AFTER`` seconds is used even if
    the history has grown since, by less than ``REFIT_GROWTH``: every 分文 adds to it, and
    fitting a few thousand documents takes 2–5 s, which the desk should not wait for at each
    document. Without one, the model is that of this exact history."""
    from secretariat.assist import learning  # scikit-learn: loaded on first use only

    if scope:
        key = scope
    else:
        digest = hashlib.sha256()
        for text, label in zip(texts, labels, strict=True):
            digest.update(f"{label}\x1f{text}\x1e".encode())
        key = digest.hexdigest()
    cached = _models.get(key)
    if (
        cached is None
        or time.monotonic() - cached[0] > REFIT_AFTER
        or abs(len(texts) - cached[1]) > REFIT_GROWTH * cached[1]
    ):
        _models[key] = (time.monotonic(), len(texts), learning.fit(texts, labels))
        while len(_models) > CACHED_MODELS:
            _models.popitem(last=False)
    _models.move_to_end(key)
    return _models[key][2]


def learn(
    texts: Sequence[str],
    labels: Sequence[str],
    text: str,
    words: Callable[[str], Sequence[str]],
    limit: int = 3,
    scope: str = "",
) -> Learned | None:
    """The ``limit`` most likely labels for ``text`` with their grounds (the two of
    ``words(text)`` that count most), or None when the history is too small (fewer than
    ``MIN_HISTORY`` rows or one label). ``scope``: see ``_fitted``."""
    if len(texts) < MIN_HISTORY or len(set(labels)) < 2:
        return None
    model = _fitted(texts, labels, scope)
    candidates = words(text)
    ranked = tuple(
        Suggestion(r.label, r.confidence, tuple(model.explain(text, r.label, candidates)))
        for r in model.rank(text, limit)
    )
    return Learned(ranked, len(texts), model.heldout.get("top1"), model.threshold)


def suggest_unit(
    history: Sequence[PastDocument],
    text: str,
    words: Callable[[str], Sequence[str]],
    scope: str = "",
) -> Learned | None:
    """公文分辦: the units (科/室) past documents like this one were distributed to."""
    rows = [past for past in history if past.unit]
    return learn([p.text for p in rows], [p.unit for p in rows], text, words, scope=scope)


def classification_of(file_code: str) -> str:
    """The 分類號 of a 檔號 (年度號-分類號-案次號-卷次號-目次號; ``/`` separates as well)."""
    parts = [part for part in re.split(r"[-/]", file_code.strip()) if part]
    return parts[1] if len(parts) >= 2 else ""


def summary(parts: Mapping[str, str], weights: Mapping[str, float]) -> Proposal | None:
    """An extractive 案情摘要: the ``SUMMARY_SENTENCES`` sentences that carry the most
    weighted terms (``weights``: term → weight), in the document's order, at most
    ``SUMMARY_MAX`` characters; derived from the parts they were taken from."""
    sentences = []
    for part, text in parts.items():
        for sentence in _SENTENCE_END.split(text):
            sentence = sentence.strip()
            if len(sentence) >= 6:
                sentences.append((part, sentence))
    if not sentences:
        return None

    def score(sentence: str) -> float:
        found = sum(weight for term, weight in weights.items() if term in sentence)
        return found / math.sqrt(len(sentence))

    ranked = sorted(range(len(sentences)), key=lambda i: (-score(sentences[i][1]), i))
    chosen = sorted(ranked[:SUMMARY_SENTENCES])
    text, used = "", []
    for i in chosen:
        part, sentence = sentences[i]
        if len(text) + len(sentence) > SUMMARY_MAX:
            break
        text += sentence
        used.append(part)
    if not text:
        part, sentence = sentences[chosen[0]]
        text, used = sentence[:SUMMARY_MAX], [part]
    derived = "摘錄自" + "、".join(dict.fromkeys(used)) + "中主題詞最多的語句"
    return Proposal(text, None, derived)


def propose_filing(
    history: Sequence[PastDocument],
    parts: Mapping[str, str],
    keywords: Callable[[str, int], Sequence[str]],
    words: Callable[[str], Sequence[str]],
    scope: str = "",
) -> FilingProposal:
    """檔案編目 proposals for a closed document whose text is ``parts`` (主旨, 說明 … →
    text): its 分類號 learned from the agency's filed documents, the 保存年限 most used
    with that 分類號, 主題項 (its keywords) and an extractive 案情摘要."""
    text = "\n".join(parts.values())
    filed = [p for p in history if classification_of(p.file_code)]
    notes = []
    classification = retention = None
    labels = [classification_of(p.file_code) for p in filed]
    learned = learn([p.text for p in filed], labels, text, words, 1, scope)
    if learned is None:
        notes.append(f"已歸檔且有檔號的公文僅 {len(filed)} 件，不足以學習分類號。")
    else:
        top = learned.ranked[0]
        grounds = f"；依據：{'、'.join(top.grounds)}" if top.grounds else ""
        heldout = (
            f"（保留驗證正確率 {learned.heldout_top1:.0%}）"
            if learned.heldout_top1 is not None
            else ""
        )
        classification = Proposal(
            top.label,
            top.confidence,
            f"學習自本機關已歸檔公文 {learned.trained_on} 件{heldout}{grounds}",
        )
        same = Counter(
            p.retention
            for p in filed
            if classification_of(p.file_code) == top.label and p.retention
        )
        if same:
            value, count = same.most_common(1)[0]
            total = sum(same.values())
            retention = Proposal(
                value,
                count / total,
                f"分類號 {top.label} 已歸檔 {total} 件中 {count} 件為{value}",
            )
    terms = list(keywords(text, 8))
    subjects = (
        Proposal("、".join(terms[:SUBJECT_TERMS]), None, "本文主題關鍵詞（tf-idf 最高者）")
        if terms
        else None
    )
    weights = {term: 1.0 / (rank + 1) for rank, term in enumerate(terms)}
    return FilingProposal(
        classification, retention, subjects, summary(parts, weights), tuple(notes)
    )
