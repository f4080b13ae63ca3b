"""Character bigrams: how text is indexed and how a query is read, for both engines.

A record's text is matched in its projection (``core.zh.project``) with white space collapsed.
It is split into runs of non-space characters; a run ``abcd`` gives the tokens ``ab bc cd d``:
every adjacent pair, then the run's last character by itself. So

* a term of two or more characters is a substring of a run exactly when its bigrams appear as
  consecutive tokens (an FTS5 phrase), and is contained in a text whose token set holds all its
  bigrams (a GIN condition, checked afterwards by ``strpos``);
* a one-character term is the prefix of some token (every character starts a bigram or ends
  its run), so it needs no index of its own — it is a prefix query, slower, as allowed.

No hit is lost to word segmentation: there is none.

The tantivy engine also indexes longer grams (``tokens(text, n)``: at each character the ``n``
characters from it, shorter at its run's end — one token per character, so positions line up
with the bigrams'). A term of ``n`` characters is then one token, and a longer one a phrase of
``n``-grams that overlap by a character (``Term.gram_phrase``): a real ``n``-gram lies inside
one run, so overlapping ones mean one run holds the whole term. Far fewer tokens to match,
and far rarer ones, than its bigrams.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from secretariat.core.errors import DomainError
from secretariat.core.zh import project

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
# Quotation marks that make a phrase (one term, spaces included): "…" and “…”.
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”')


def match_form(text: str) -> str:
    """The projection with runs of white space made one space (the stored match text)."""
    return " ".join(project(text).split())


def tokens(match_text: str, n: int = 2) -> list[str]:
    """The token sequence of a match text (see the module docstring): at each character of
    a run, the ``n`` characters from it (fewer at the run's end)."""
    out: list[str] = []
    for run in match_text.split():
        out.extend(run[i : i + n] for i in range(len(run)))
    return out


@dataclass(frozen=True)
class Term:
    """One thing the text must contain: its runs in match form (a phrase may have several)."""

    runs: tuple[str, ...]

    @property
    def text(self) -> str:
        """The substring a match text must contain."""
        return " ".join(self.runs)

    def phrase_tokens(self) -> tuple[list[str], bool]:
        """The consecutive tokens of the term and whether the last one is a prefix.

        A run before another must end its run in the text: its tokens end with the run's
        last character alone. The last run may stop anywhere: a one-character last run is a
        prefix of whatever token starts there."""
        out: list[str] = []
        for index, run in enumerate(self.runs):
            last = index == len(self.runs) - 1
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
            if not last:
                out.append(run[-1])
            elif len(run) == 1:
                out.append(run)
                return out, True
        return out, False

    def gram_phrase(self, longest: int) -> tuple[int, list[tuple[int, str]]] | None:
        """For a term of one run of at least three characters: the gram length ``n`` (the
        term's length, at most ``longest``) and the ``n``-grams (offset, gram) that cover it,
        each overlapping the next by at least one character — one token when the term is no
        longer than ``longest``. None for other terms (their bigram phrase finds them)."""
        if len(self.runs) != 1 or len(self.runs[0]) < 3:
            return None
        run = self.runs[0]
        n = min(len(run), longest)
        offsets = list(range(0, len(run) - n + 1, n - 1))
        if offsets[-1] != len(run) - n:
            offsets.append(len(run) - n)
        return n, [(offset, run[offset : offset + n]) for offset in offsets]

    def index_tokens(self) -> tuple[set[str], str | None]:
        """Tokens every matching text holds, and the one-character prefix when the term is a
        single character (no bigram to look up)."""
        if len(self.runs) == 1 and len(self.runs[0]) == 1:
            return set(), self.runs[0]
        wanted: set[str] = set()
        for index, run in enumerate(self.runs):
            wanted.update(run[i : i + 2] for i in range(len(run) - 1))
            if index < len(self.runs) - 1:
                wanted.add(run[-1])  # a run followed by another ends its run in the text
        return wanted, None


def parse(query: str) -> list[Term]:
    """Terms of a query: words separated by spaces, quoted phrases kept whole; all must match.

    Raises DomainError (field ``q``) for an empty or over-long query."""
    query = (query or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise DomainError(
            "query_too_long", f"搜尋字詞過長（最多 {MAX_QUERY_LENGTH} 字）。", {"q": ["字詞過長。"]}
        )
    pieces: list[str] = []
    rest = 0
    for found in _QUOTED.finditer(query):
        pieces.extend(match_form(query[rest : found.start()]).split())
        phrase = match_form(found.group(1) if found.group(1) is not None else found.group(2))
        if phrase:
            pieces.append(phrase)
        rest = found.end()
    pieces.extend(match_form(query[rest:].replace('"', " ")).split())
    terms, seen = [], set()
    for piece in pieces:
        if piece not in seen:
            seen.add(piece)
            terms.append(Term(tuple(piece.split(" "))))
    if not terms:
        raise DomainError("query_empty", "請輸入搜尋字詞。", {"q": ["請輸入搜尋字詞。"]})
    if len(terms) > MAX_TERMS:
        raise DomainError(
            "query_too_many_terms",
            f"搜尋字詞最多 {MAX_TERMS} 個。",
            {"q": [f"字詞最多 {MAX_TERMS} 個。"]},
        )
    return terms


def _spans(projected: str, terms: list[Term]) -> list[tuple[int, int]]:
    """Where the terms' runs occur in the projection of a text (the positions of the
    original: the projection keeps them), merged."""
    spans = []
    for term in terms:
        for run in term.runs:
            start = projected.find(run)
            while start != -1:
                spans.append((start, start + len(run)))
                start = projected.find(run, start + len(run))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(
    text: str, terms: list[Term], width: int | None = None, projected: str | None = None
) -> str:
    """HTML of ``text`` (escaped) with the terms in <mark>; with ``width``, a window of about
    that many characters around the first hit, with … where it was cut. ``projected`` is
    ``project(text)`` when the caller has it."""
    spans = _spans(project(text) if projected is None else projected, terms)
    begin, end = 0, len(text)
    if width is not None and len(text) > width:
        first = spans[0][0] if spans else 0
        begin = max(0, min(first - width // 4, len(text) - width))
        end = begin + width
    out, at = [], begin
    for start, stop in spans:
        if stop <= begin or start >= end:
            continue
        start, stop = max(start, begin), min(stop, end)
        out.append(html.escape(text[at:start]))
        out.append(f"<mark>{html.escape(text[start:stop])}</mark>")
        at = stop
    out.append(html.escape(text[at:end]))
    snippet = " ".join("".join(out).split())
    return ("…" if begin > 0 else "") + snippet + ("…" if end < len(text) else "")
