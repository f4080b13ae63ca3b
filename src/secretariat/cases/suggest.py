"""Routing suggestions (分辦建議): a suggester returns agencies ranked with a confidence.

The rule-based suggester is transparent: administrators keep a keyword → agency table
(RoutingKeyword); a text's score for an agency is the sum of the weights of its keywords found
in the text, and the confidence is that score's share of all scores. A learned suggester
(issue 6) implements the same protocol."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

from secretariat.core.models import Agency


@dataclass(frozen=True)
class Suggestion:
    agency: Agency
    confidence: float
    reason: str


class Suggester(Protocol):
    def suggest(self, text: str, limit: int = 3) -> list[Suggestion]: ...


class KeywordSuggester:
    def suggest(self, text: str, limit: int = 3) -> list[Suggestion]:
        from secretariat.cases.models import RoutingKeyword

        scores: dict[int, float] = defaultdict(float)
        hits: dict[int, list[str]] = defaultdict(list)
        agencies: dict[int, Agency] = {}
        for rule in RoutingKeyword.objects.select_related("agency"):
            if rule.keyword and rule.keyword in text:
                scores[rule.agency_id] += rule.weight
                hits[rule.agency_id].append(rule.keyword)
                agencies[rule.agency_id] = rule.agency
        total = sum(scores.values())
        ranked = sorted(scores, key=lambda pk: (-scores[pk], agencies[pk].sort_order))[:limit]
        return [
            Suggestion(agencies[pk], round(scores[pk] / total, 3), "關鍵字：" + "、".join(hits[pk]))
            for pk in ranked
        ]


_SUGGESTER: Suggester = KeywordSuggester()


def set_suggester(suggester: Suggester) -> None:
    global _SUGGESTER
    _SUGGESTER = suggester


def suggest(text: str, limit: int = 3) -> list[Suggestion]:
    return _SUGGESTER.suggest(text, limit)
