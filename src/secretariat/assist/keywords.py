"""Subject keywords of a record's text (主題關鍵詞), for cataloguing.

jieba's dictionary and idf table are Simplified Chinese, so the text is segmented in its
projection (``core.zh.project``: same length, one character for each) and every word is cut
back out of the original text at the same position: a Traditional text gets Traditional
keywords. The agency names we know (全銜, 簡稱 and former names) and Taipei's districts are
added as words, so 都發局 or 北投區 stay whole. Words are ranked by tf × idf; stop words,
single characters and numbers are left out.

jieba loads its bundled dictionary and keeps its prefix-dictionary cache in the system's
temporary directory; it downloads nothing."""

from __future__ import annotations

import functools
import logging
import re
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterable

from secretariat.core.zh import is_cjk, project

DISTRICTS = (
    "松山區",
    "信義區",
    "大安區",
    "中山區",
    "中正區",
    "大同區",
    "萬華區",
    "文山區",
    "南港區",
    "內湖區",
    "士林區",
    "北投區",
)
# Words every petition or official letter uses: they say nothing about its subject.
STOP_WORDS = frozenset(
    project(word)
    for word in (
        "陳情 陳情人 民眾 市民 市長 市府 本府 市政府 臺北市 台北市 臺北市政府 貴會 本會 本局 "
        "請問 請求 希望 盼望 懇請 敬請 惠請 謝謝 感謝 您好 麻煩 是否 能否 如何 為何 為什麼 "
        "因為 所以 但是 而且 並且 以及 或是 還是 已經 目前 現在 今天 日前 近日 最近 一直 "
        "非常 十分 相關 有關 問題 情形 情況 狀況 事項 部分 方面 處理 辦理 改善 協助 解決 "
        "儘速 盡速 儘快 立即 進行 造成 影響 發生 無法 不能 可以 沒有 這個 那個 這些 那些 "
        "我們 他們 你們 自己 本人 乙案 一案 本案 此案 如說明 說明 查照 備查 審議 核備 鑑核 "
        "業經 在案 令發布 發布 檢送 函送 附件 一份 各一 如附件 請查照"
    ).split()
)
_NUMBERISH = re.compile(r"^[\d\W_]+$")
# Pieces of an address (五段, 3巷, 十二樓): numbers with a unit of an address say nothing about
# a subject (of 信義路五段, 信義路 may, 五段 never).
_ADDRESS_PART = re.compile(r"^[\d一二三四五六七八九十百千零〇两兩]+[段路街巷弄號号樓楼之鄰邻里]$")
_lock = threading.Lock()


class Extractor:
    """A jieba tokenizer with the given names (and ``terms``: the routing keyword table's, kept
    whole as words but not weighed as names) as words, and jieba's idf table."""

    def __init__(self, names: Iterable[str], terms: Iterable[str] = ()):
        import jieba
        from jieba.analyse.tfidf import DEFAULT_IDF, IDFLoader

        jieba.setLogLevel(logging.WARNING)
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.tmp_dir = tempfile.gettempdir()
        self.idf, self.median_idf = IDFLoader(DEFAULT_IDF).get_idf()
        self.names = set()
        for name in names:
            folded = project(name.strip())
            if len(folded) >= 2:
                self.names.add(folded)
                # High frequency: a known name wins over the dictionary's own split.
                self.tokenizer.add_word(folded, freq=100_000)
        for term in terms:
            folded = project(term.strip())
            if len(folded) >= 2:
                self.tokenizer.add_word(folded, freq=100_000)

    def keywords(self, text: str, limit: int = 8) -> list[str]:
        """The ``limit`` most distinctive words of ``text``, as written in it."""
        projected = project(text or "")
        counts: dict[str, int] = defaultdict(int)
        first: dict[str, tuple[int, int]] = {}
        for word, start, end in self.tokenizer.tokenize(projected):
            if not self._wanted(word):
                continue
            counts[word] += 1
            first.setdefault(word, (start, end))

        def weight(word: str) -> float:
            idf = self.idf.get(word, self.median_idf)
            if word in self.names:
                idf = max(idf, self.median_idf) * 1.5  # a named agency or place is the subject
            return counts[word] * idf

        ranked = sorted(counts, key=lambda w: (-weight(w), first[w][0]))
        return [text[first[w][0] : first[w][1]] for w in ranked[:limit]]

    def words(self, text: str) -> list[str]:
        """The distinct words of ``text`` worth naming (no stop words, single characters,
        numbers or address pieces), as written in it, in order of appearance."""
        projected = project(text or "")
        found: dict[str, None] = {}
        for word, start, end in self.tokenizer.tokenize(projected):
            if self._wanted(word):
                found.setdefault(text[start:end])
        return list(found)

    def _wanted(self, word: str) -> bool:
        word = word.strip()
        if len(word) < 2 or word in STOP_WORDS or _NUMBERISH.match(word):
            return False
        if _ADDRESS_PART.match(word):
            return False
        return any(is_cjk(ch) or ch.isalpha() for ch in word)


@functools.lru_cache(maxsize=2)
def extractor(names: tuple[str, ...], terms: tuple[str, ...] = ()) -> Extractor:
    """One extractor per set of known names and terms (built once per process: about a
    second, again when the registry or the keyword table changes)."""
    with _lock:
        return Extractor(names, terms)


def _known() -> Extractor:
    from secretariat.assist import selectors

    return extractor(selectors.known_names() + DISTRICTS, tuple(selectors.keyword_terms()))


def keywords(text: str, limit: int = 8) -> list[str]:
    """Subject keywords of ``text`` with the registry's agency names and Taipei's districts."""
    return _known().keywords(text, limit)


def words(text: str) -> list[str]:
    """The words of ``text`` (``Extractor.words``), agency names and districts kept whole."""
    return _known().words(text)
