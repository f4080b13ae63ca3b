"""Routing suggestions (分辦建議): a suggester returns agencies ranked with a confidence.

The rule-based suggester is transparent: administrators keep a keyword → agency table
(RoutingKeyword); a text's score for an agency is the sum of the weights of its keywords found
in the text, and the confidence is that score's share of all scores. A learned suggester
(``assist``, installed with :func:`set_suggester`) implements the same protocol.

Besides ``suggest``, a suggester may have (looked up by name, so none is required):

* ``wording() -> Wording`` — what the routing page says about its suggestions;
* ``record(case, lead, co_agencies, *, by)`` — how a case was routed, called by
  ``services.route_case`` inside its transaction (the learned suggester keeps it as feedback);
* ``keywords(text, limit) -> list[str]`` — subject keywords of a case's text.

The case engine calls these through this module only: it never imports the suggester."""

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


@dataclass(frozen=True)
class Wording:
    """The routing page's caption of the suggestions and what it says when there are none."""

    caption: str
    empty: str


KEYWORD_WORDING = Wording(
    "依分辦關鍵字排序的建議主辦機關", "本案內容沒有符合的分辦關鍵字，請自行判斷受分辦機關。"
)


class Suggester(Protocol):
    def suggest(self, text: str, limit: int = 3) -> list[Suggestion]: ...


class KeywordSuggester:
    def wording(self) -> Wording:
        return KEYWORD_WORDING

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


def wording() -> Wording:
    described = getattr(_SUGGESTER, "wording", None)
    return described() if described is not None else KEYWORD_WORDING


def record(case, lead: Agency, co_agencies: list[Agency], *, by) -> None:
    recorder = getattr(_SUGGESTER, "record", None)
    if recorder is not None:
        recorder(case, lead, co_agencies, by=by)


def keywords(text: str, limit: int = 8) -> list[str]:
    extract = getattr(_SUGGESTER, "keywords", None)
    return extract(text, limit) if extract is not None else []
