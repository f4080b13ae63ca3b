"""Routing suggestions (分辦建議): a suggester returns agencies ranked with a confidence.

The rule-based suggester is transparent: administrators keep a keyword → agency table
(RoutingKeyword); a text's score for an agency is the sum of the weights of its keywords found
in the text, and the confidence is that score's share of all scores. A learned suggester
(``assist``, installed with :func:`set_suggester`) implements the same protocol.

``suggest`` returns what the suggester stands behind (a suggester that abstains returns
nothing below its threshold). Besides it, a suggester may have (looked up by name, so none is
required):

* ``ranking(text, limit) -> Ranking`` — the ranked agencies even below the abstain threshold,
  with the threshold: the routing page shows them with their confidence and pre-selects the
  top one only at or above the threshold;
* ``wording() -> Wording`` — what the routing page says about its suggestions;
* ``record(case, lead, co_agencies, *, by)`` — how a case was routed, called by
  ``services.route_case`` inside its transaction (the learned suggester keeps it as feedback);
* ``keywords(text, limit) -> list[str]`` — subject keywords of a case's text.

The case engine calls these through this module only: it never imports the suggester."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

from secretariat.core.models import Agency


@dataclass(frozen=True)
class Suggestion:
    agency: Agency
    confidence: float
    reason: str


@dataclass(frozen=True)
class Ranking:
    """The routing page's suggestions: the ranked agencies with their confidence and reasons,
    and the suggester's abstain threshold (a confidence; above 1: never confident). Only a
    top agency at or above the threshold is pre-selected as the lead. ``keyword_matches`` is
    the keyword table's own ranking, shown beside a learned suggester's."""

    suggestions: list[Suggestion]
    threshold: float
    keyword_matches: list[Suggestion] = field(default_factory=list)

    @property
    def preselected(self) -> Suggestion | None:
        top = self.suggestions[0] if self.suggestions else None
        return top if top is not None and top.confidence >= self.threshold else None


@dataclass(frozen=True)
class Wording:
    """The routing page's caption of the suggestions, what it says when there are none, and
    the pre-selection rule in words when it is not a confidence (the page says 「信心程度達
    NN% 以上才預選」 otherwise)."""

    caption: str
    empty: str
    preselect: str = ""


KEYWORD_WORDING = Wording(
    "依分辦關鍵字排序的建議主辦機關",
    "本案內容沒有符合的分辦關鍵字，請自行判斷受分辦機關。",
    "所有符合的關鍵字都屬同一機關時才預選",
)


class Suggester(Protocol):
    def suggest(self, text: str, limit: int = 3) -> list[Suggestion]: ...


# The keyword table's confidence is an agency's share of the keywords found, not a
# probability: it pre-selects only when every keyword found points to one agency (a share of
# 1). Measured (bench/assist/keyword_threshold.py, docs/assist.md): on the councillors'
# suggestions that is right 94% of the time; on the council bills, 46%, which is why the
# learned suggester replaces the table once a model is trained.
KEYWORD_THRESHOLD = 1.0


class KeywordSuggester:
    def wording(self) -> Wording:
        return KEYWORD_WORDING

    def ranking(self, text: str, limit: int = 3) -> Ranking:
        return Ranking(self.suggest(text, limit), KEYWORD_THRESHOLD)

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


def ranking(text: str, limit: int = 3) -> Ranking:
    """The suggestions the routing page shows, and which one (if any) it pre-selects."""
    ranked = getattr(_SUGGESTER, "ranking", None)
    if ranked is not None:
        return ranked(text, limit)
    # A suggester that only says what it stands behind: all of it is confident.
    return Ranking(_SUGGESTER.suggest(text, limit), 0.0)


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
