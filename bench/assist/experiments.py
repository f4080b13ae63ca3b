"""What was tried for the routing model, re-run: every variant in docs/assist.md's table, with
5-fold stratified cross-validation (seeds 0 and 1, averaged) on an evaluation file made by
bills.py. Prints one JSON line per variant: top-1 and top-3 of the raw ranking.

    .venv/bin/python bench/assist/experiments.py var/tcc_bills.jsonl            # about 5 minutes
    .venv/bin/python bench/assist/experiments.py var/tcc_bills.jsonl --slow     # + logistic regression

The model in use (``learning.fit``, with calibration and the abstain threshold) is measured by
``secretariat assist evaluate``; the rows here are the candidates it was chosen from."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import Normalizer
from sklearn.svm import LinearSVC

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from secretariat.assist import learning  # noqa: E402
from secretariat.assist.keywords import Extractor  # noqa: E402
from secretariat.core.zh import project  # noqa: E402

SEEDS = (0, 1)


class Scored:
    """An sklearn pipeline whose decision_function (or log-probabilities) ranks the labels."""

    def __init__(self, pipeline):
        self.pipeline = pipeline

    def fit(self, texts, y):
        self.pipeline.fit(texts, y)
        return self

    def scores(self, texts):
        if hasattr(self.pipeline, "decision_function"):
            return self.pipeline.decision_function(texts)
        return self.pipeline.predict_log_proba(texts)


class NBSVM:
    """learning's NB-SVM scorer without calibration, on a given gram analyzer."""

    def __init__(self, analyzer):
        self.analyzer = analyzer

    def fit(self, texts, y):
        self.vectorizer = TfidfVectorizer(analyzer=self.analyzer, sublinear_tf=True)
        X = self.vectorizer.fit_transform(texts).tocsr()
        self.coef, self.intercept = learning._nb_svm(X, y, int(y.max()) + 1, np.ones(len(y)))
        return self

    def scores(self, texts):
        return self.vectorizer.transform(texts) @ self.coef + self.intercept


class Sum:
    """Several scorers, each standardised within the case, added."""

    def __init__(self, *parts):
        self.parts = parts

    def fit(self, texts, y):
        for part in self.parts:
            part.fit(texts, y)
        return self

    def scores(self, texts):
        return sum(learning._standardised(np.asarray(p.scores(texts))) for p in self.parts)


class KNN:
    """Cosine nearest neighbours over character 1–3-gram TF-IDF, votes by squared similarity."""

    def __init__(self, k):
        self.k = k

    def fit(self, texts, y):
        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self.X, self.y = self.vectorizer.fit_transform(texts), y
        return self

    def scores(self, texts):
        similarity = (self.vectorizer.transform(texts) @ self.X.T).toarray()
        out = np.zeros((len(texts), int(self.y.max()) + 1))
        for row, near in enumerate(np.argsort(-similarity, axis=1)[:, : self.k]):
            np.add.at(out[row], self.y[near], similarity[row, near] ** 2)
        return out


def char(low, high, **options):
    return TfidfVectorizer(analyzer="char", ngram_range=(low, high), sublinear_tf=True, **options)


def variants(words, slow: bool) -> dict:
    svc = LinearSVC
    table = {
        "char 1–3 TF-IDF + LinearSVC, raw text (the README baseline)": (
            lambda: Scored(make_pipeline(char(1, 3), svc())),
            "raw",
        ),
        "char 1–3 TF-IDF + LinearSVC": (lambda: Scored(make_pipeline(char(1, 3), svc())), None),
        "char 1–2 TF-IDF + LinearSVC": (lambda: Scored(make_pipeline(char(1, 2), svc())), None),
        "char 1–4 TF-IDF + LinearSVC": (lambda: Scored(make_pipeline(char(1, 4), svc())), None),
        "char 1–2, balanced class weights": (
            lambda: Scored(make_pipeline(char(1, 2), svc(class_weight="balanced"))),
            None,
        ),
        "char 1–2, L1-regularised LinearSVC (C=3)": (
            lambda: Scored(make_pipeline(char(1, 2), svc(penalty="l1", dual=False, C=3))),
            None,
        ),
        "jieba words + LinearSVC": (
            lambda: Scored(
                make_pipeline(TfidfVectorizer(analyzer=words, sublinear_tf=True), svc())
            ),
            None,
        ),
        "char 1–2 + jieba words + LinearSVC": (
            lambda: Scored(
                make_pipeline(
                    make_union(char(1, 2), TfidfVectorizer(analyzer=words, sublinear_tf=True)),
                    svc(),
                )
            ),
            None,
        ),
        "char 1–2 + LSA (300 dimensions) + LinearSVC": (
            lambda: Scored(
                make_pipeline(
                    make_union(
                        char(1, 2),
                        make_pipeline(char(1, 2), TruncatedSVD(300, random_state=0), Normalizer()),
                    ),
                    svc(),
                )
            ),
            None,
        ),
        "char 1–2 + ridge classifier (alpha 0.3)": (
            lambda: Scored(make_pipeline(char(1, 2), RidgeClassifier(alpha=0.3))),
            None,
        ),
        "char 1–3 counts + complement naive Bayes": (
            lambda: Scored(
                make_pipeline(
                    CountVectorizer(analyzer="char", ngram_range=(1, 3)), ComplementNB(alpha=0.1)
                )
            ),
            None,
        ),
        "10 nearest neighbours (cosine, char 1–3)": (lambda: KNN(10), None),
        "NB-SVM, jieba words": (lambda: NBSVM(words), None),
        "NB-SVM, char 1–3": (lambda: NBSVM(char(1, 3).build_analyzer()), None),
        "NB-SVM, char 1–2 (the model in use, before calibration)": (
            lambda: NBSVM(learning.grams),
            None,
        ),
        "NB-SVM char 1–2 + NB-SVM words, standardised sum": (
            lambda: Sum(NBSVM(learning.grams), NBSVM(words)),
            None,
        ),
        "NB-SVM char 1–2 + LinearSVC char 1–2, standardised sum": (
            lambda: Sum(NBSVM(learning.grams), Scored(make_pipeline(char(1, 2), svc()))),
            None,
        ),
    }
    if slow:
        table["char 1–3 + logistic regression (C=100)"] = (
            lambda: Scored(make_pipeline(char(1, 3), LogisticRegression(C=100, max_iter=2000))),
            None,
        )
    return table


def cross_validate(make, texts, y, seed: int) -> tuple[float, float]:
    ranks = np.zeros(len(y), dtype=int)
    for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(texts, y):
        scorer = make().fit([texts[i] for i in train], y[train])
        scores = np.asarray(scorer.scores([texts[i] for i in test]))
        ranks[test] = learning._ranks(scores, y[test])
    return float((ranks == 0).mean()), float((ranks < 3).mean())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="JSON Lines of {text, label} (bills.py)")
    parser.add_argument("--slow", action="store_true", help="also logistic regression (minutes)")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.data.read_text("utf-8").splitlines() if line]
    raw = [row["text"] for row in rows]
    projected = [project(text) for text in raw]
    names, y = np.unique([row["label"] for row in rows], return_inverse=True)
    tokenizer = Extractor(()).tokenizer
    cache: dict[str, list[str]] = {}

    def words(text: str) -> list[str]:
        if text not in cache:
            cache[text] = [w for w in tokenizer.lcut(text) if w.strip()]
        return cache[text]

    warnings.filterwarnings("ignore")  # liblinear's and k-fold's notes on small classes
    for name, (make, source) in variants(words, args.slow).items():
        texts = raw if source == "raw" else projected
        figures = [cross_validate(make, texts, y, seed) for seed in SEEDS]
        top1, top3 = (round(float(np.mean(v)), 3) for v in zip(*figures, strict=True))
        print(json.dumps({"variant": name, "top1": top1, "top3": top3}, ensure_ascii=False))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
