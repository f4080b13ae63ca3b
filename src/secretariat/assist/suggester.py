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
from secretariat.cases.suggest import KeywordSuggester, Suggestion, Wording

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

    def suggest(self, text: str, limit: int = 3) -> list[Suggestion]:
        active = self._active()
        if active is None:
            return self.fallback.suggest(text, limit)
        record, model = active
        ranked = model.suggest(text, limit + SPARE, self._embed(model))
        agencies = selectors.agencies_by_code(r.label for r in ranked)
        today = timezone.localdate()
        suggestions = []
        for r in ranked:
            agency = agencies.get(r.label)
            if agency is None or (agency.abolished_on is not None and agency.abolished_on <= today):
                continue
            reason = f"學習模型第 {record.version} 版"
            grounds = model.explain(text, r.label, 2)
            if grounds:
                reason += "；依據：" + "、".join(grounds)
            suggestions.append(Suggestion(agency, round(r.confidence, 3), reason))
        return suggestions[:limit]

    def wording(self) -> Wording:
        active = self._active()
        if active is None:
            return self.fallback.wording()
        return Wording(
            f"依歷史分辦紀錄學習的建議模型（第 {active[0].version} 版）排序的建議主辦機關，"
            "信心程度為校準後的機率",
            "信心不足，未提供建議，請自行判斷受分辦機關。",
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
