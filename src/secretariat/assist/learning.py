"""Learned routing suggestions (學習式分辦建議): text features, the model, calibrated top-k
ranking, the abstain threshold and k-fold evaluation.

No Django here: the suggester, ``secretariat assist evaluate`` and ``bench/assist`` share it, and
labels are free strings (the suggester uses agency codes; an evaluation file may use anything).

The model (see ``docs/assist.md`` for what else was tried and what it scored):

* **features** — character unigrams and bigrams of the projection ``core.zh.project`` (繁→簡,
  full-width → ASCII, lower case, white space folded), TF-IDF with sublinear term frequency;
* **classifier** — one linear SVM per label over the TF-IDF features scaled by that label's
  naive-Bayes log-count ratio (NB-SVM, Wang & Manning 2012), Laplace smoothing, C = 1; the
  ratios are folded into the weights, so a prediction is one sparse row times a matrix;
* **calibration** — the scores of held-out cases (k-fold for small sets, one held-out part for
  large ones) fit a softmax over three terms per score source (the raw scores, the scores
  standardised within the case, a mark on the top label) with non-negative weights, so a
  confidence is a probability and the ranking is unchanged; optional sentence embeddings are a
  second score source;
* **abstention** — the smallest confidence at which the held-out top-1 precision still reaches
  the target precision; below it the model suggests nothing.
"""

from __future__ import annotations

import io
import math
import operator
import re
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from scipy.optimize import minimize
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.svm import LinearSVC

from secretariat.core.zh import project

# Fixed once, not tuned per data set (docs/assist.md says how they were chosen).
SVM_C = 1.0
NB_ALPHA = 1.0
EMBEDDING_C = 10.0
# liblinear's dual solver stops here at the latest, so that a badly overlapping set (the same
# complaint handled by two units) cannot run away (docs/assist.md: the same held-out top-1 at
# 100 and 1,000 passes).
SVM_ITERATIONS = 100
# One label's SVM sees at most this many cases (all positives up to half of it, a weighted
# sample of the rest): training time then grows with the number of labels, not with labels ×
# cases, and 100,000 cases train within the minute (docs/assist.md).
SVM_ROWS = 20_000
MAX_FEATURES = 1 << 17
TARGET_PRECISION = 0.90
FOLDS = 5
# From this many training cases on, calibration and the stored evaluation use one held-out part
# (a fifth, at most HOLDOUT_MAX cases) instead of k folds: five extra fits would not fit the
# training budget, and with that many cases one part is plenty.
HOLDOUT_FROM = 5_000
HOLDOUT_MAX = 10_000
NEVER = math.nextafter(1.0, 2.0)  # a threshold no probability reaches: always abstain

Embed = Callable[[Sequence[str]], np.ndarray]

_SPACES = re.compile(r"\s+")


def grams(text: str) -> list[str]:
    """The features of a text: character unigrams and bigrams of its projection, with every run
    of white space as one space (so 臺/台, 繁/簡 and full/half width spell the same grams)."""
    folded = _SPACES.sub(" ", project(text))
    return [*folded, *map(operator.add, folded, folded[1:])]


@dataclass(frozen=True)
class Ranked:
    label: str
    confidence: float


# --- Features ------------------------------------------------------------------------------


@dataclass
class Features:
    """The gram vocabulary with each gram's inverse document frequency."""

    terms: np.ndarray  # the grams, in column order
    idf: np.ndarray

    def __post_init__(self) -> None:
        self.index = {term: i for i, term in enumerate(self.terms.tolist())}

    @classmethod
    def fit(cls, texts: Sequence[str]) -> tuple[Features, sparse.csr_matrix]:
        counter = CountVectorizer(analyzer=grams, max_features=MAX_FEATURES, dtype=np.float32)
        counts = counter.fit_transform(texts).tocsr()
        terms = np.empty(len(counter.vocabulary_), dtype=object)
        for term, i in counter.vocabulary_.items():
            terms[i] = term
        df = np.bincount(counts.indices, minlength=len(terms))
        idf = (np.log((1 + counts.shape[0]) / (1 + df)) + 1).astype(np.float32)
        features = cls(terms.astype(str), idf)
        return features, features._weigh(counts)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        counter = CountVectorizer(analyzer=grams, vocabulary=self.index, dtype=np.float32)
        return self._weigh(counter.transform(texts).tocsr())

    def one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One text's non-zero columns and values (the fast path of a single prediction)."""
        counts = Counter(i for i in map(self.index.get, grams(text)) if i is not None)
        columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        values = (1 + np.log(tf)) * self.idf[columns]
        norm = float(np.sqrt(values @ values))
        return columns, values / norm if norm else values

    def _weigh(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        weighted = counts.copy()
        weighted.data = 1 + np.log(weighted.data)
        weighted = (weighted @ sparse.diags(self.idf)).tocsr()
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        return sparse.diags(1 / norms).dot(weighted).tocsr().astype(np.float32)


# --- Linear scorers --------------------------------------------------------------------------


def _binary_svm(X, positive: np.ndarray, weights: np.ndarray, C: float) -> tuple[np.ndarray, float]:
    if positive.all() or not positive.any():  # a label absent from this training part
        return np.zeros(X.shape[1]), 1.0 if positive.any() else -1.0
    svm = LinearSVC(C=C, max_iter=SVM_ITERATIONS).fit(X, positive, sample_weight=weights)
    return svm.coef_.ravel(), float(svm.intercept_[0])


def _sample(positive: np.ndarray, weights: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """The cases one label's SVM trains on: all of them up to SVM_ROWS; beyond, every positive
    case (or half the budget of them) and a random sample of the others, each sampled case
    weighing for those left out, so the loss stays an unbiased estimate of the full one."""
    every = np.arange(len(positive))
    if len(every) <= SVM_ROWS:
        return every, weights
    chosen, scaled = [], []
    for side in (positive, ~positive):
        pool = every[side]
        budget = SVM_ROWS // 2 if side is positive else SVM_ROWS - len(chosen[0])
        take = pool if len(pool) <= budget else np.sort(rng.choice(pool, budget, replace=False))
        chosen.append(take)
        scaled.append(weights[take] * (len(pool) / max(len(take), 1)))
    return np.concatenate(chosen), np.concatenate(scaled)


def _nb_svm(X: sparse.csr_matrix, y: np.ndarray, K: int, weights: np.ndarray):
    """Per label: the naive-Bayes log-count ratio of each gram (label vs. the rest, weighted
    document counts, Laplace smoothing) scales the features of a binary linear SVM. Returns
    weights with the ratios folded in (features × labels) and the intercepts."""
    present = X.copy()
    present.data[:] = 1
    by_label = sparse.csr_matrix((weights, (y, np.arange(len(y)))), shape=(K, len(y)))
    positive = np.asarray((by_label @ present).todense(), dtype=np.float64)
    negative = positive.sum(axis=0, keepdims=True) - positive + NB_ALPHA
    positive += NB_ALPHA
    ratios = np.log(positive / positive.sum(axis=1, keepdims=True)) - np.log(
        negative / negative.sum(axis=1, keepdims=True)
    )
    rng = np.random.default_rng(0)

    def problem(k: int):
        rows, row_weights = _sample(y == k, weights, rng)
        return (X[rows] @ sparse.diags(ratios[k])).tocsr(), y[rows] == k, row_weights, SVM_C

    with warnings.catch_warnings():
        # The iteration cap (liblinear releases the GIL: two labels train at a time).
        warnings.simplefilter("ignore", ConvergenceWarning)
        fits = Parallel(n_jobs=2, prefer="threads")(
            delayed(_binary_svm)(*problem(k)) for k in range(K)
        )
    coef = np.column_stack([ratios[k] * w for k, (w, _) in enumerate(fits)]).astype(np.float32)
    return coef, np.array([b for _, b in fits], dtype=np.float32)


def _embedding_svm(E: np.ndarray, y: np.ndarray, K: int, weights: np.ndarray):
    """Per label: a linear SVM on the embeddings, on the same bounded sample of cases as the
    text SVMs (``_sample``)."""
    rng = np.random.default_rng(0)

    def problem(k: int):
        rows, row_weights = _sample(y == k, weights, rng)
        return E[rows], y[rows] == k, row_weights, EMBEDDING_C

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fits = Parallel(n_jobs=2, prefer="threads")(
            delayed(_binary_svm)(*problem(k)) for k in range(K)
        )
    coef = np.column_stack([w for w, _ in fits]).astype(np.float32)
    return coef, np.array([b for _, b in fits], dtype=np.float32)


# --- Calibration and the threshold ---------------------------------------------------------------


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _standardised(scores: np.ndarray) -> np.ndarray:
    spread = scores.std(axis=1, keepdims=True)
    return (scores - scores.mean(axis=1, keepdims=True)) / np.where(spread > 0, spread, 1)


def _terms(scores: Sequence[np.ndarray]) -> list[np.ndarray]:
    """What calibration weighs, per score source: the raw scores, the scores standardised
    within the case (how far a label stands out from the others) and a mark on the top label.
    With non-negative weights none of them can reorder a source's ranking."""
    terms = []
    for S in scores:
        terms += [S, _standardised(S), (S == S.max(axis=1, keepdims=True)).astype(float)]
    return terms


def _logits(scales: np.ndarray, scores: Sequence[np.ndarray]) -> np.ndarray:
    return sum(s * T for s, T in zip(scales, _terms(scores), strict=True))


def calibrate(scores: Sequence[np.ndarray], y: np.ndarray) -> np.ndarray:
    """Non-negative weights of the calibration terms of each score source such that the
    softmax of their weighted sum fits the held-out labels best (negative log-likelihood). The
    raw-score weight alone is temperature scaling; one-vs-rest margins are not comparable
    enough across cases for it alone, the two other terms cut the calibration error about in
    half (docs/assist.md)."""
    sources = _terms(scores)
    rows = np.arange(len(y))

    def loss(scales: np.ndarray) -> tuple[float, np.ndarray]:
        logits = sum(s * S for s, S in zip(scales, sources, strict=True))
        p = _softmax(logits)
        value = -np.log(p[rows, y] + 1e-12).mean()
        grad = [-(S[rows, y] - (p * S).sum(axis=1)).mean() for S in sources]
        return float(value), np.array(grad)

    start = np.ones(len(sources))
    found = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[(0, 1e3)] * len(sources))
    return found.x


def choose_threshold(confidence: np.ndarray, correct: np.ndarray, target: float) -> float:
    """The lowest confidence at which the suggestions at or above it are right at least
    ``target`` of the time (held-out cases); NEVER when no confidence gets there."""
    order = np.argsort(-confidence, kind="stable")
    ranked, right = confidence[order], correct[order].astype(float)
    precision = np.cumsum(right) / np.arange(1, len(right) + 1)
    # A cut can only fall after the last of equal confidences.
    last_of_tie = np.append(ranked[1:] != ranked[:-1], True)
    valid = np.flatnonzero(last_of_tie & (precision >= target))
    return float(ranked[valid[-1]]) if len(valid) else NEVER


# --- The model -------------------------------------------------------------------------------


@dataclass
class Model:
    labels: list[str]
    features: Features
    coef: np.ndarray
    intercept: np.ndarray
    scales: np.ndarray  # calibration of the text scores alone
    threshold: float
    target_precision: float
    heldout: dict = field(default_factory=dict)  # figures on cases the model did not see
    embedding_coef: np.ndarray | None = None
    embedding_intercept: np.ndarray | None = None
    combined_scales: np.ndarray | None = None  # calibration of text + embedding scores
    combined_threshold: float | None = None

    @property
    def uses_embeddings(self) -> bool:
        return self.embedding_coef is not None

    def text_scores(self, texts: Sequence[str]) -> np.ndarray:
        return self.features.transform(texts) @ self.coef + self.intercept

    def probabilities(self, texts: Sequence[str], embed: Embed | None = None) -> np.ndarray:
        sources = [self.text_scores(texts)]
        scales = self.scales
        if self.uses_embeddings and embed is not None:
            sources.append(embed(list(texts)) @ self.embedding_coef + self.embedding_intercept)
            scales = self.combined_scales
        return _softmax(_logits(scales, sources))

    def rank(self, text: str, limit: int = 3, embed: Embed | None = None) -> list[Ranked]:
        """The ``limit`` most likely labels with calibrated confidences (never abstains)."""
        columns, values = self.features.one(text)
        sources = [(values @ self.coef[columns] + self.intercept)[None, :]]
        scales = self.scales
        if self.uses_embeddings and embed is not None:
            sources.append(embed([text]) @ self.embedding_coef + self.embedding_intercept)
            scales = self.combined_scales
        p = _softmax(_logits(scales, sources))[0]
        top = np.argsort(-p, kind="stable")[:limit]
        return [Ranked(self.labels[i], float(p[i])) for i in top]

    def explain(self, text: str, label: str, words: Sequence[str], limit: int = 2) -> list[str]:
        """The grounds shown beside a suggestion: of ``words`` — whole terms of ``text`` (the
        keyword table's terms found in it, its segmentation into words), never fragments of
        them — the ``limit`` that count most for ``label``. A word counts what its grams
        (characters and bigrams) add to the label's score in this text; words that count
        nothing or against the label are left out."""
        columns, values = self.features.one(text)
        k = self.labels.index(label)
        scores = (values * self.coef[columns, k]).tolist()
        contribution = dict(zip(columns.tolist(), scores, strict=True))
        scored = []
        for word in dict.fromkeys(words):
            seen = {self.features.index.get(gram) for gram in grams(word)} - {None}
            score = sum(contribution.get(column, 0.0) for column in seen)
            if score > 0:
                scored.append((-score, word))
        return [word for _, word in sorted(scored)[:limit]]

    def threshold_for(self, embed: Embed | None) -> float:
        if self.uses_embeddings and embed is not None:
            return self.combined_threshold
        return self.threshold

    def suggest(self, text: str, limit: int = 3, embed: Embed | None = None) -> list[Ranked]:
        """The ranking, or nothing when the top confidence is below the abstain threshold."""
        ranked = self.rank(text, limit, embed)
        if not ranked or ranked[0].confidence < self.threshold_for(embed):
            return []
        return ranked

    # Stored without pickle (numpy arrays only), so reading a stored model runs no code.
    def to_bytes(self) -> bytes:
        arrays = {
            "labels": np.array(self.labels, dtype=str),
            "terms": self.features.terms,
            "idf": self.features.idf,
            "coef": self.coef.astype(np.float16),
            "intercept": self.intercept,
            "scales": self.scales,
            "threshold": np.array([self.threshold, self.target_precision]),
        }
        if self.uses_embeddings:
            arrays |= {
                "embedding_coef": self.embedding_coef,
                "embedding_intercept": self.embedding_intercept,
                "combined_scales": self.combined_scales,
                "combined_threshold": np.array([self.combined_threshold]),
            }
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, heldout: dict | None = None) -> Model:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        threshold, target = arrays["threshold"].tolist()
        embedded = "embedding_coef" in arrays
        return cls(
            labels=arrays["labels"].tolist(),
            features=Features(arrays["terms"], arrays["idf"]),
            coef=arrays["coef"].astype(np.float32),
            intercept=arrays["intercept"],
            scales=arrays["scales"],
            threshold=threshold,
            target_precision=target,
            heldout=heldout or {},
            embedding_coef=arrays.get("embedding_coef"),
            embedding_intercept=arrays.get("embedding_intercept"),
            combined_scales=arrays.get("combined_scales"),
            combined_threshold=float(arrays["combined_threshold"][0]) if embedded else None,
        )


# --- Training --------------------------------------------------------------------------------


@dataclass
class _Scorers:
    """The linear scorers fitted on one training part, before calibration."""

    features: Features
    coef: np.ndarray
    intercept: np.ndarray
    embedding_coef: np.ndarray | None = None
    embedding_intercept: np.ndarray | None = None

    def sources(self, texts: Sequence[str], vectors: np.ndarray | None) -> list[np.ndarray]:
        scores = [self.features.transform(texts) @ self.coef + self.intercept]
        if self.embedding_coef is not None:
            scores.append(vectors @ self.embedding_coef + self.embedding_intercept)
        return scores


def _fit_scorers(texts, y, K, weights, vectors) -> _Scorers:
    features, X = Features.fit(texts)
    coef, intercept = _nb_svm(X, y, K, weights)
    scorers = _Scorers(features, coef, intercept)
    if vectors is not None:
        scorers.embedding_coef, scorers.embedding_intercept = _embedding_svm(vectors, y, K, weights)
    return scorers


def _splits(y: np.ndarray, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Held-out parts for calibration: k stratified folds, or one part for large sets."""
    n = len(y)
    every = np.arange(n)
    if n >= HOLDOUT_FROM:
        size = min(n // FOLDS, HOLDOUT_MAX)
        counts = np.bincount(y)
        stratify = y if counts[counts > 0].min() >= 2 else None
        rest, held = train_test_split(every, test_size=size, random_state=seed, stratify=stratify)
        return [(np.sort(rest), np.sort(held))]
    counts = np.bincount(y)
    folds = max(2, min(FOLDS, int(counts[counts > 0].max())))
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # labels with fewer cases than folds
        return list(splitter.split(every, y))


def _ranks(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The rank (0 = first) of the true label in each row."""
    return (p > p[np.arange(len(y)), y][:, None]).sum(axis=1)


@dataclass(frozen=True)
class Prior:
    """A training-only case: a term known to belong to a label (the routing keyword table's
    「社會救助 → 社會局」), added to every training part and never held out or evaluated.

    A prior sharpens a label the history has; it never adds one: on the council bills, the
    terms of the 46 agencies no bill names, as labels of their own, took top1 from 0.783 to
    0.762 (docs/assist.md)."""

    text: str
    label: str
    weight: float = 1.0


def usable_priors(priors: Sequence[Prior], labels) -> list[Prior]:
    """The priors whose label is one of ``labels`` (see :class:`Prior`)."""
    known = set(np.asarray(labels, dtype=str).tolist())
    return [p for p in priors if p.label in known]


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    weights: Sequence[float] | None = None,
    *,
    priors: Sequence[Prior] = (),
    target_precision: float = TARGET_PRECISION,
    embed: Embed | None = None,
    seed: int = 0,
) -> Model:
    """Train on labelled texts (``weights``: how much each case counts, default 1) and the
    ``priors`` of their labels (``usable_priors``), which every training part includes.
    Calibration, the threshold and the stored evaluation use held-out cases of ``texts`` only.
    Raises ValueError with fewer than two labels."""
    texts = list(texts)
    names, y = np.unique(np.asarray(labels, dtype=str), return_inverse=True)
    if len(names) < 2:
        raise ValueError("need at least two labels")
    n = len(texts)
    priors = usable_priors(priors, names)
    index = {name: k for k, name in enumerate(names.tolist())}
    prior_y = np.array([index[p.label] for p in priors], dtype=y.dtype)
    prior_texts = [p.text for p in priors]
    prior_w = np.array([p.weight for p in priors], dtype=float)
    K = len(names)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    vectors = prior_vectors = None
    if embed is not None:
        vectors = np.asarray(embed(texts), dtype=np.float32)
        prior_vectors = np.zeros((0, vectors.shape[1]), dtype=np.float32)
        if priors:
            prior_vectors = np.asarray(embed(prior_texts), dtype=np.float32)
    splits = _splits(y, seed)
    heldout = np.concatenate([held for _, held in splits])
    text_scores = np.zeros((n, K))
    embedding_scores = np.zeros((n, K)) if vectors is not None else None

    def scorers(rows: np.ndarray) -> _Scorers:
        """The scorers fitted on the cases ``rows`` and every prior."""
        return _fit_scorers(
            [*(texts[i] for i in rows), *prior_texts],
            np.concatenate([y[rows], prior_y]),
            K,
            np.concatenate([w[rows], prior_w]),
            None if vectors is None else np.concatenate([vectors[rows], prior_vectors]),
        )

    last = None
    for rest, held in splits:
        last = scorers(rest)
        sources = last.sources([texts[i] for i in held], None if vectors is None else vectors[held])
        text_scores[held] = sources[0]
        if vectors is not None:
            embedding_scores[held] = sources[1]
    truth = y[heldout]
    scales = calibrate([text_scores[heldout]], truth)
    p = _softmax(_logits(scales, [text_scores[heldout]]))
    threshold = choose_threshold(p.max(axis=1), p.argmax(axis=1) == truth, target_precision)
    summary = _summary(p, truth, threshold, len(splits))
    # Large sets keep the scorers of the held-out split (a true held-out evaluation of the
    # model in use); small ones are fitted again on every case.
    final = last if len(splits) == 1 else scorers(np.arange(n))
    model = Model(
        labels=names.tolist(),
        features=final.features,
        coef=final.coef,
        intercept=final.intercept,
        scales=scales,
        threshold=threshold,
        target_precision=target_precision,
        heldout=summary,
    )
    if vectors is not None:
        both = [text_scores[heldout], embedding_scores[heldout]]
        combined = calibrate(both, truth)
        q = _softmax(_logits(combined, both))
        model.embedding_coef = final.embedding_coef
        model.embedding_intercept = final.embedding_intercept
        model.combined_scales = combined
        model.combined_threshold = choose_threshold(
            q.max(axis=1), q.argmax(axis=1) == truth, target_precision
        )
        model.heldout = _summary(q, truth, model.combined_threshold, len(splits))
        model.heldout["text_only"] = summary
    return model


def _summary(p: np.ndarray, truth: np.ndarray, threshold: float, splits: int) -> dict:
    ranks = _ranks(p, truth)
    covered = p.max(axis=1) >= threshold
    right = ranks == 0
    return {
        "method": "holdout" if splits == 1 else f"{splits}-fold",
        "n": int(len(truth)),
        "top1": round(float(right.mean()), 4),
        "top3": round(float((ranks < 3).mean()), 4),
        "coverage": round(float(covered.mean()), 4),
        "precision_at_threshold": round(float(right[covered].mean()), 4) if covered.any() else None,
        "threshold": round(threshold, 4) if threshold <= 1 else None,
    }


# --- Evaluation ------------------------------------------------------------------------------


def evaluate(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    priors: Sequence[Prior] = (),
    folds: int = FOLDS,
    target_precision: float = TARGET_PRECISION,
    embed: Embed | None = None,
    seed: int = 0,
    confused: int = 10,
) -> dict:
    """Stratified k-fold cross-validation of the whole training procedure: each test fold is
    ranked by a model fitted (and calibrated, and given its threshold) on the other folds only
    and the ``priors`` of the data's labels (in every training part, never tested; ``priors``
    in the result counts those used).

    Returns n, labels, top1, top3, coverage (share of cases with a suggestion), the precision
    of those suggestions (``precision_at_threshold``), per-label precision/recall of the top
    suggestion, the most confused (true, suggested) pairs and the calibration error (ECE)."""
    texts = [str(t) for t in texts]
    names, y = np.unique(np.asarray(labels, dtype=str), return_inverse=True)
    if len(names) < 2:
        raise ValueError("need at least two labels")
    priors = usable_priors(priors, names)
    counts = np.bincount(y)
    if counts.min() < folds:
        raise ValueError(f"every label needs at least {folds} examples for {folds} folds")
    cache = {}
    if embed is not None:
        known = [*texts, *(p.text for p in priors)]
        cache = dict(zip(known, np.asarray(embed(known), dtype=np.float32), strict=True))
    embedded = embed is not None

    def embed_cached(batch: Sequence[str]) -> np.ndarray:
        return np.stack([cache[t] for t in batch])

    p = np.zeros((len(y), len(names)))
    covered = np.zeros(len(y), dtype=bool)
    thresholds = []
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.zeros(len(y)), y):
        model = fit(
            [texts[i] for i in train],
            names[y[train]],
            priors=priors,
            target_precision=target_precision,
            embed=embed_cached if embedded else None,
            seed=seed,
        )
        columns = [model.labels.index(name) for name in names]
        used = embed_cached if embedded else None
        p[test] = model.probabilities([texts[i] for i in test], used)[:, columns]
        threshold = model.threshold_for(used)
        thresholds.append(threshold)
        covered[test] = p[test].max(axis=1) >= threshold
    ranks = _ranks(p, y)
    predicted = p.argmax(axis=1)
    right = ranks == 0
    pairs = Counter(
        (names[t], names[s]) for t, s in zip(y, predicted, strict=True) if t != s
    ).most_common(confused)
    return {
        "n": int(len(y)),
        "labels": int(len(names)),
        "priors": len(priors),
        "folds": folds,
        "top1": round(float(right.mean()), 4),
        "top3": round(float((ranks < 3).mean()), 4),
        "coverage": round(float(covered.mean()), 4),
        "precision_at_threshold": round(float(right[covered].mean()), 4) if covered.any() else None,
        "target_precision": target_precision,
        "thresholds": [round(t, 4) if t <= 1 else None for t in thresholds],
        "ece": round(expected_calibration_error(p.max(axis=1), right), 4),
        "embeddings": embedded,
        "per_label": {
            str(name): _precision_recall(predicted == k, y == k) for k, name in enumerate(names)
        },
        "confused": [{"label": a, "suggested": b, "count": n} for (a, b), n in pairs],
    }


def _precision_recall(suggested: np.ndarray, actual: np.ndarray) -> dict:
    hits = int((suggested & actual).sum())
    return {
        "n": int(actual.sum()),
        "precision": round(hits / int(suggested.sum()), 4) if suggested.any() else None,
        "recall": round(hits / int(actual.sum()), 4),
    }


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, bins: int = 10
) -> float:
    """Mean gap between confidence and accuracy over equal-width confidence bins, weighted by
    the cases in each bin."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    gap = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            gap += inside.mean() * abs(confidence[inside].mean() - correct[inside].mean())
    return float(gap)
