"""Bigrams, the projection and the query language, without a database."""

import pytest

from secretariat.core.errors import DomainError
from secretariat.core.zh import project
from secretariat.search.backends import PostgresBackend, SqliteBackend
from secretariat.search.text import Term, highlight, match_form, parse, tokens


def test_the_projection_keeps_every_position():
    text = "臺北市政府「違規停車」ＡＢＣ１２３ (Taipei)\u3000乾隆"
    projected = project(text)
    assert len(projected) == len(text)
    assert projected.startswith("台北市政府「违规停车」abc123 （taipei）")
    # Character by character: 乾 is 干 wherever it stands (the phrase table would keep 乾隆).
    assert projected.endswith(" 干隆")


def test_tokens_are_bigrams_and_each_runs_last_character():
    assert tokens(match_form("違規停車 罰單")) == ["违规", "规停", "停车", "车", "罚单", "单"]
    assert tokens("a") == ["a"]


def test_longer_grams_give_one_token_per_character():
    assert tokens("違規停車 罰單", 3) == ["違規停", "規停車", "停車", "車", "罰單", "單"]
    assert tokens("abcde", 4) == ["abcd", "bcde", "cde", "de", "e"]
    assert tokens("abcde", 2) == tokens("abcde")


def test_a_long_term_is_covered_by_overlapping_grams():
    assert Term(("主管机关",)).gram_phrase(4) == (4, [(0, "主管机关")])
    assert Term(("第一项",)).gram_phrase(4) == (3, [(0, "第一项")])
    assert Term(("abcdefg",)).gram_phrase(4) == (4, [(0, "abcd"), (3, "defg")])
    assert Term(("abcdefgh",)).gram_phrase(4) == (4, [(0, "abcd"), (3, "defg"), (4, "efgh")])
    # two characters, a prefix, several runs: the bigram phrase
    assert Term(("停车",)).gram_phrase(4) is None
    assert Term(("人行道", "地")).gram_phrase(4) is None


def test_a_query_reads_words_and_quoted_phrases():
    terms = parse('違規  停車 "人行道 地磚" “公園”')
    assert [t.runs for t in terms] == [("违规",), ("停车",), ("人行道", "地砖"), ("公园",)]
    assert [t.runs for t in parse("停車 停車")] == [("停车",)]


@pytest.mark.parametrize("query", ["", "   ", '""'])
def test_an_empty_query_is_refused_on_the_field(query):
    with pytest.raises(DomainError) as error:
        parse(query)
    assert error.value.fields == {"q": ["請輸入搜尋字詞。"]}


def test_an_over_long_query_is_refused():
    with pytest.raises(DomainError) as error:
        parse("字" * 201)
    assert "q" in error.value.fields


def test_phrase_tokens_for_each_engine():
    one_char, pair, phrase = Term(("车",)), Term(("停车",)), Term(("new", "y"))
    assert one_char.phrase_tokens() == (["车"], True)
    assert pair.phrase_tokens() == (["停车"], False)
    assert phrase.phrase_tokens() == (["ne", "ew", "w", "y"], True)
    assert SqliteBackend.match_expression([pair, one_char]) == '"停车" AND "车" *'
    assert PostgresBackend.tsquery([Term(("违规停车",))]) == "'停车' & '规停' & '违规'"
    assert PostgresBackend.tsquery([one_char]) == "'车':*"


def test_highlight_marks_the_original_characters_and_escapes():
    html = highlight("<b>臺北市</b>違規停車", parse("台北 停车"))
    assert html == "&lt;b&gt;<mark>臺北</mark>市&lt;/b&gt;違規<mark>停車</mark>"


def test_a_snippet_is_a_window_around_the_first_hit():
    text = "甲" * 300 + "停車" + "乙" * 300
    snippet = highlight(text, parse("停車"), width=40)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>停車</mark>" in snippet
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) == 42
