"""Minutes drafting assistance (會議紀錄草稿), offline: from a meeting's agenda and a transcript
(逐字稿), a draft per agenda item — who spoke, a summary of the report and of the discussion,
and the chair's candidate decisions and directives with the agencies they name. A person
edits and approves; nothing here is final.

How it works (no model is downloaded; jieba's bundled dictionary and the agency registry's
names, as ``keywords`` uses them):

1. **Utterances.** Each line 「[00:12:03] 工務局李局長：……」 or 「市長：……」 starts an
   utterance (the time is optional); a line without a speaker continues the last one.
2. **Segments.** Every utterance is scored against every item — the item's words (案由,
   說明, the presenting agency's names, the speaker) weighted by idf, plus cues: 「第二案」,
   the item's number, the presenting agency named. A dynamic programme then assigns the
   utterances, in order, to the items, in order (an item may have none; the chair's opening
   comes before the first), maximising the total score — so one stray word cannot pull an
   utterance back to an earlier item.
3. **Per item.** The speakers in order of first word; the report: the presenter's most
   informative sentences (tf × idf of their words in the segment, in their original order);
   the discussion: the same over the others; the chair's sentences that decide (照案通過,
   洽悉, 同意 → 決議) or direct (請、責成、限期、儘速 … → 裁示) become the decision text and the
   candidate directives, each with the agencies it names (or, naming none, the presenting
   agency). Fillers (嗯、那個、就是說 …) are dropped.

``rouge`` measures a draft against reference minutes: character n-gram overlap (ROUGE-1, -2)
and the longest common subsequence (ROUGE-L), on the projected text without punctuation —
the usual measure for Chinese, where word boundaries are themselves a guess."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from secretariat.core.zh import is_cjk, project

# 「[00:12:03] 說話者：內容」: the time and the brackets are optional; a speaker is a short
# name without sentence punctuation.
_LINE = re.compile(
    r"^\s*(?:[\[［(（]?(?P<time>\d{1,2}:\d{2}(?::\d{2})?)[\]］)）]?\s*)?"
    r"(?:(?P<speaker>[^：:。，,！？!?\s][^：:。，,！？!?]{0,19})\s*[：:])?\s*(?P<text>.*)$"
)
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")
FILLERS = (
    "嗯",
    "呃",
    "欸",
    "那個",
    "就是說",
    "然後呢",
    "基本上",
    "對對對",
    "好好好",
)
# The chair decides (決議) …
DECISION_CUES = ("照案通過", "洽悉", "准予備查", "同意", "修正通過", "通過", "准予")
# … or directs (裁示): these start or carry an instruction to an agency.
DIRECTIVE_CUES = (
    "請",
    "責成",
    "限期",
    "儘速",
    "盡速",
    "務必",
    "應於",
    "研議",
    "檢討",
    "提報",
    "列管",
)
# Words that open a chair's remark without saying anything (dropped from its start).
_OPENERS = re.compile(
    r"^(好|那|那麼|所以|最後|另外|我想|我們|這個|那我|我裁示|我這邊裁示|裁示)[，、, ]*"
)
_NUMERALS = "一二三四五六七八九十"
# What moving on to a later item costs in the segmentation: more than a few shared words,
# less than a cue (「第二案」, the item's title).
SWITCH_COST = 20.0
# The chair running the meeting rather than deciding: 「進行第一案，請都發局報告」.
_PROCEDURE = re.compile(
    r"(會議開始|進行第|接下來|下一案|散會|休息|請.{0,8}(報告|說明|發言|補充)[。！]?$)"
)
_MAX_SUMMARY_SENTENCES = 3
_MAX_SUMMARY_CHARS = 300


@dataclass(frozen=True)
class AgendaEntry:
    """One agenda item as the draft needs it."""

    title: str
    kind: str  # 報告案, 討論案, 專題演講, 臨時動議
    agency_code: str
    agency_names: tuple[str, ...]  # 全銜, 簡稱 …
    summary: str = ""
    speaker: str = ""


@dataclass(frozen=True)
class Utterance:
    speaker: str
    text: str
    seconds: int | None = None


@dataclass(frozen=True)
class Candidate:
    """A candidate decision or directive: its text and the agency codes it names."""

    text: str
    agencies: tuple[str, ...]
    directive: bool


@dataclass
class ItemDraft:
    index: int
    speakers: list[str] = field(default_factory=list)
    report: str = ""
    discussion: str = ""
    resolution: str = ""
    resolution_kind: str = "directive"  # or "resolution" (決議)
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The whole draft of the item, as kept beside the minutes (for measuring)."""
        return "\n".join(part for part in (self.report, self.discussion, self.resolution) if part)


@dataclass
class MinutesDraft:
    items: list[ItemDraft]
    opening: list[Utterance]
    utterances: int
    characters: int


# --- Reading the transcript ------------------------------------------------------------------


def _seconds(text: str | None) -> int | None:
    if not text:
        return None
    parts = [int(p) for p in text.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    return hours * 3600 + minutes * 60 + seconds


def parse_transcript(text: str) -> list[Utterance]:
    """The utterances of a transcript, in order."""
    utterances: list[Utterance] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _LINE.match(line)
        speaker = (match["speaker"] or "").strip() if match else ""
        body = (match["text"] if match else line).strip()
        if speaker:
            utterances.append(Utterance(speaker, body, _seconds(match["time"])))
        elif utterances:
            last = utterances[-1]
            utterances[-1] = Utterance(last.speaker, f"{last.text}{body}", last.seconds)
        else:
            utterances.append(Utterance("", body, _seconds(match["time"]) if match else None))
    return utterances


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def clean(sentence: str) -> str:
    """A spoken sentence without fillers and doubled punctuation."""
    for filler in FILLERS:
        sentence = sentence.replace(filler + "，", "").replace(filler, "")
    sentence = re.sub(r"[，、]{2,}", "，", sentence)
    return sentence.strip("，、 ")


# --- Words and weights -------------------------------------------------------------------------


class Words:
    """Tokens of a text (jieba on the projection, agency names kept whole) and their idf."""

    def __init__(self, extractor) -> None:
        self.extractor = extractor

    def tokens(self, text: str) -> list[str]:
        projected = project(text)
        return [w for w, _, _ in self.extractor.tokenizer.tokenize(projected) if self.wanted(w)]

    def wanted(self, word: str) -> bool:
        return self.extractor._wanted(word)

    def idf(self, word: str) -> float:
        return self.extractor.idf.get(word, self.extractor.median_idf)


def _ordinal_cues(index: int) -> tuple[str, ...]:
    """「第二案」, 「第2案」 … for the item at ``index`` (0-based)."""
    number = index + 1
    words = [str(number)]
    if number <= 10:
        words.append(_NUMERALS[number - 1])
    return tuple(f"第{w}案" for w in words) + tuple(f"第{w}項" for w in words)


def _profiles(items: Sequence[AgendaEntry], words: Words) -> list[Counter]:
    """Each item's own words (案由 and 說明): agency names are left to the cues, since other
    agencies speak in an item too."""
    return [Counter(words.tokens(f"{item.title} {item.summary}")) for item in items]


def _scores(
    utterances: Sequence[Utterance], items: Sequence[AgendaEntry], words: Words
) -> list[list[float]]:
    """How well each utterance fits each item: the item's words it says, by idf, and the
    cues of a meeting moving on — the item's number (「第二案」), its title, the chair calling
    its agency (「請警察局報告」) — and a little when its presenting agency speaks."""
    profiles = _profiles(items, words)
    table = []
    for utterance in utterances:
        tokens = set(words.tokens(utterance.text))
        calls = bool(_PROCEDURE.search(utterance.text))
        row = []
        for index, (item, profile) in enumerate(zip(items, profiles, strict=True)):
            score = sum(words.idf(t) for t in tokens if t in profile)
            if any(cue in utterance.text for cue in _ordinal_cues(index)):
                score += 40.0
            if item.title and item.title in utterance.text:
                score += 30.0
            named = any(name and name in utterance.text for name in item.agency_names)
            if calls and named:
                score += 30.0
            if any(name and name in utterance.speaker for name in item.agency_names):
                score += 4.0
            row.append(score)
        table.append(row)
    return table


def segment(
    utterances: Sequence[Utterance], items: Sequence[AgendaEntry], words: Words
) -> list[int]:
    """Each utterance's item (−1: before the first item), non-decreasing, maximising the sum
    of scores less ``SWITCH_COST`` for every move to a later item (dynamic programming over
    utterances × items): a meeting moves on when someone says so, not on one shared word."""
    if not items:
        return [-1] * len(utterances)
    scores = _scores(utterances, items, words)
    columns = len(items) + 1  # column 0: the opening
    best = [[-math.inf] * columns for _ in utterances]
    back = [[0] * columns for _ in utterances]
    for i, row in enumerate(scores):
        gains = [0.0, *row]
        if i == 0:
            best[0] = [gains[k] - (SWITCH_COST if k else 0.0) for k in range(columns)]
            continue
        earlier, arg = -math.inf, 0  # the best of the columns before k
        for k in range(columns):
            stay, moved = best[i - 1][k], earlier - SWITCH_COST
            # On a tie the move happens as late as it can: an opening stays the opening.
            best[i][k], back[i][k] = (stay, k) if stay > moved else (moved, arg)
            best[i][k] += gains[k]
            if best[i - 1][k] > earlier:
                earlier, arg = best[i - 1][k], k
    k = max(range(columns), key=lambda c: best[-1][c]) if utterances else 0
    path = [0] * len(utterances)
    for i in range(len(utterances) - 1, -1, -1):
        path[i] = k
        k = back[i][k]
    return [column - 1 for column in path]


# --- Summaries and decisions ---------------------------------------------------------------------


# A sentence says something once it has this many distinct words (or a number).
_CONTENT_WORDS = 5
_DIGIT = re.compile(r"[0-9０-９]|[一二三四五六七八九十百千萬]+[個處件人次案%％]")


def _summary(texts: Sequence[str], words: Words, weights: Counter) -> str:
    """The most informative sentences of ``texts``, in their order: words that are rare in
    general (idf) and frequent in this item (the segment's counts), facts (numbers) first.
    An aside — no number and fewer than ``_CONTENT_WORDS`` words (「好，我先報告到這邊」,
    「這部分我們會再持續努力」) — is left out."""
    candidates = []
    for position, sentence in enumerate(s for text in texts for s in sentences(text)):
        cleaned = clean(sentence)
        tokens = words.tokens(cleaned)
        if len(cleaned) < 6 or not tokens:
            continue
        fact = bool(_DIGIT.search(cleaned))
        if not fact and len(set(tokens)) < _CONTENT_WORDS:
            continue
        score = sum(weights[t] * words.idf(t) for t in set(tokens)) / (len(tokens) ** 0.5)
        candidates.append((score + (10.0 if fact else 0.0), position, cleaned))
    chosen = sorted(candidates, key=lambda c: (-c[0], c[1]))[:_MAX_SUMMARY_SENTENCES]
    text = ""
    for _, _, sentence in sorted(chosen, key=lambda c: c[1]):
        if len(text) + len(sentence) > _MAX_SUMMARY_CHARS and text:
            break
        text += sentence if sentence.endswith(("。", "！", "？")) else sentence + "。"
    return text


def find_agencies(text: str, names: Mapping[str, str]) -> tuple[str, ...]:
    """The agency codes ``text`` names, in order of appearance (longest name first at a
    position, so 工務局新工處 is 新工處 and not 工務局)."""
    projected = project(text)
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(names, key=len, reverse=True):
        key = project(name)
        start = projected.find(key)
        while start >= 0:
            end = start + len(key)
            if not any(a < end and start < b for a, b in taken):
                taken.append((start, end))
                found.append((start, names[name]))
            start = projected.find(key, end)
    codes: list[str] = []
    for _, code in sorted(found):
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _decision_sentences(texts: Sequence[str]) -> list[tuple[str, bool]]:
    """The chair's sentences that decide or direct: (cleaned text, is a directive)."""
    found = []
    for text in texts:
        for sentence in sentences(text):
            cleaned = _OPENERS.sub("", clean(sentence))
            cleaned = _OPENERS.sub("", cleaned)
            if len(cleaned) < 2 or _PROCEDURE.search(cleaned):
                continue
            directs = any(cue in cleaned for cue in DIRECTIVE_CUES)
            decides = any(cue in cleaned for cue in DECISION_CUES)
            if directs or decides:
                ending = "" if cleaned.endswith(("。", "！", "？")) else "。"
                found.append((cleaned + ending, directs))
    return found


def _numbered(lines: Sequence[str]) -> str:
    if len(lines) == 1:
        return lines[0]
    return "".join(f"{_NUMERALS[i] if i < 10 else i + 1}、{line}" for i, line in enumerate(lines))


def draft(
    items: Sequence[AgendaEntry],
    transcript: str,
    *,
    extractor,
    agency_names: Mapping[str, str],
    chair_titles: Sequence[str] = ("主席", "市長", "秘書長"),
) -> MinutesDraft:
    """A draft of the minutes of ``items`` from ``transcript``. ``agency_names`` maps every
    name of an agency (全銜, 簡稱, former names) to its code; ``chair_titles`` say who chairs."""
    words = Words(extractor)
    utterances = parse_transcript(transcript)
    assigned = segment(utterances, items, words)
    drafts = [ItemDraft(index) for index in range(len(items))]
    opening = [u for u, k in zip(utterances, assigned, strict=True) if k < 0]

    def is_chair(speaker: str) -> bool:
        return any(title in speaker for title in chair_titles)

    for index, item in enumerate(items):
        said = [u for u, k in zip(utterances, assigned, strict=True) if k == index]
        result = drafts[index]
        for utterance in said:
            if utterance.speaker and utterance.speaker not in result.speakers:
                result.speakers.append(utterance.speaker)
        weights = Counter(t for u in said for t in words.tokens(u.text))
        others = [u for u in said if u.speaker and not is_chair(u.speaker)]
        presenter = others[0].speaker if others else ""
        result.report = _summary([u.text for u in others if u.speaker == presenter], words, weights)
        result.discussion = _summary(
            [u.text for u in others if u.speaker != presenter], words, weights
        )
        decided = _decision_sentences([u.text for u in said if is_chair(u.speaker)])
        result.resolution = _numbered([text for text, _ in decided])
        result.resolution_kind = (
            "directive" if any(directs for _, directs in decided) or not decided else "resolution"
        )
        for text, directs in decided:
            named = find_agencies(text, agency_names) or (item.agency_code,)
            result.candidates.append(Candidate(text, named, directs))
    return MinutesDraft(
        items=drafts,
        opening=opening,
        utterances=len(utterances),
        characters=sum(len(u.text) for u in utterances),
    )


# --- Measuring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rouge:
    """Recall, precision and F1 of ROUGE-1, ROUGE-2 and ROUGE-L (characters)."""

    r1: tuple[float, float, float]
    r2: tuple[float, float, float]
    rl: tuple[float, float, float]


def _characters(text: str) -> list[str]:
    return [ch for ch in project(text) if is_cjk(ch) or ch.isalnum()]


def _prf(overlap: int, reference: int, candidate: int) -> tuple[float, float, float]:
    recall = overlap / reference if reference else 0.0
    precision = overlap / candidate if candidate else 0.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return recall, precision, f1


def _ngrams(chars: Sequence[str], n: int) -> Counter:
    return Counter(tuple(chars[i : i + n]) for i in range(len(chars) - n + 1))


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def rouge(reference: str, candidate: str) -> Rouge:
    """ROUGE of ``candidate`` against ``reference``, on characters (Chinese has no spaces)."""
    ref, cand = _characters(reference), _characters(candidate)
    scores = []
    for n in (1, 2):
        a, b = _ngrams(ref, n), _ngrams(cand, n)
        scores.append(_prf(sum((a & b).values()), sum(a.values()), sum(b.values())))
    lcs = _lcs(ref, cand)
    return Rouge(scores[0], scores[1], _prf(lcs, len(ref), len(cand)))
