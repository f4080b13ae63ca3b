"""The learned suggester behind the case engine's ``cases.suggest`` protocol, installed in
AssistConfig.ready(). It ranks agencies with the active trained model and falls back to the
keyword table while no model has been trained (or the stored one cannot be read). It also
records the router's choice (``record``) and extracts subject keywords (``keywords``)."""

from __future__ import annotations

import logging
import zipfile
from typing import TYPE_CHECKING

from django.utils import timezone

from secretariat.assist import embeddings, selectors, services
from secretariat.cases.suggest import KeywordSuggester, Ranking, Suggestion, Wording

if TYPE_CHECKING:  # scikit-learn: loaded with the first model read, not at start-up
    from secretariat.assist import learning

logger = logging.getLogger(__name__)

# Ranked beyond the limit, so that an agency abolished since training can be skipped.
SPARE = 3


class LearnedSuggester:
    def __init__(self, fallback: KeywordSuggester | None = None):
        self.fallback = fallback or KeywordSuggester()
        self._loaded: tuple[int, learning.Model] | None = None

    def _active(self):
        """(the active version's record, its model), or None: no model, or unreadable."""
        record = selectors.active_model()
        if record is None:
            return None
        loaded = self._loaded
        if loaded is None or loaded[0] != record.pk:
            from secretariat.assist import learning

            data = selectors.model_weights(record.pk)
            if data is None:
                return None
            try:
                model = learning.Model.from_bytes(data, record.evaluation)
            except (ValueError, KeyError, OSError, zipfile.BadZipFile):
                logger.exception("the weights of %s cannot be read", record)
                return None
            loaded = self._loaded = (record.pk, model)
        return record, loaded[1]

    @staticmethod
    def _embed(model: learning.Model):
        return embeddings.configured() if model.uses_embeddings else None

    def ranking(self, text: str, limit: int = 3) -> Ranking:
        """The model's ranking with its calibrated confidences even below the abstain
        threshold (the page shows it and pre-selects only above it), and the keyword table's
        matches beside it."""
        active = self._active()
        if active is None:
            return self.fallback.ranking(text, limit)
        record, model = active
        embed = self._embed(model)
        ranked = model.rank(text, limit + SPARE, embed)
        agencies = selectors.agencies_by_code(r.label for r in ranked)
        today = timezone.localdate()
        words = None
        suggestions = []
        for r in ranked:
            agency = agencies.get(r.label)
            if agency is None or (agency.abolished_on is not None and agency.abolished_on <= today):
                continue
            if words is None:
                words = self._words(text)
            reason = f"學習模型第 {record.version} 版"
            grounds = model.explain(text, r.label, words, 2)
            if grounds:
                reason += "；依據：" + "、".join(grounds)
            suggestions.append(Suggestion(agency, round(r.confidence, 3), reason))
            if len(suggestions) == limit:
                break
        return Ranking(suggestions, model.threshold_for(embed), self.fallback.suggest(text, limit))

    def suggest(self, text: str, limit: int = 3) -> list[Suggestion]:
        """What the model stands behind: its ranking when the top agency is at or above the
        abstain threshold, nothing below it (the keyword table while no model is trained)."""
        if self._active() is None:
            return self.fallback.suggest(text, limit)
        ranking = self.ranking(text, limit)
        return ranking.suggestions if ranking.preselected else []

    @staticmethod
    def _words(text: str) -> list[str]:
        """Whole terms a suggestion's grounds are chosen from: the keyword table's terms the
        text contains (longest first), then the words of its segmentation."""
        from secretariat.assist.keywords import words

        terms = sorted({term for term in selectors.keyword_terms() if term in text}, key=len)
        return [*reversed(terms), *words(text)]

    def wording(self) -> Wording:
        active = self._active()
        if active is None:
            return self.fallback.wording()
        return Wording(
            f"依歷史分辦紀錄學習的建議模型（第 {active[0].version} 版）排序的建議主辦機關，"
            "信心程度為校準後的機率",
            # Only when every agency it ranks has been abolished since training.
            "模型建議的機關皆已裁撤，請自行判斷受分辦機關。",
        )

    def record(self, case, lead, co_agencies, *, by) -> None:
        """Keep what was suggested for ``case`` and what the router chose (分辦回饋)."""
        text = selectors.case_text(case.subject, case.body)
        active = self._active()
        if active is None:
            ranked = self.fallback.suggest(text)
            suggested = [{"agency": s.agency.code, "confidence": s.confidence} for s in ranked]
            trained_model, abstained = None, False
        else:
            trained_model, model = active
            embed = self._embed(model)
            ranked = model.rank(text, 3, embed)
            suggested = [{"agency": r.label, "confidence": round(r.confidence, 4)} for r in ranked]
            abstained = not ranked or ranked[0].confidence < model.threshold_for(embed)
        services.record_feedback(
            case,
            lead,
            co_agencies,
            by=by,
            trained_model=trained_model,
            suggested=suggested,
            abstained=abstained,
        )

    def keywords(self, text: str, limit: int = 8) -> list[str]:
        from secretariat.assist.keywords import keywords

        return keywords(text, limit)
