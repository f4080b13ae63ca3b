"""Chinese text for matching: one character-for-character projection of Traditional (and
Simplified) text that search and text analysis share.

``project(text)`` maps every character to exactly one character, so a position in the
projection is the same position in the original (highlighting and keyword spans need that):

* Traditional → Simplified by OpenCC's character table (t2s, one character at a time — never its
  phrase table, whose conversions can span a boundary and would make a substring of the text
  stop being a substring of its projection);
* full-width letters and digits → ASCII, ASCII punctuation → full-width (so （ and ( match, and
  no ASCII quote or backslash reaches an index query), letters → lower case;
* every kind of white space → one ASCII space.

A Simplified query and a Traditional one therefore find the same texts; so do 臺 and 台.
"""

from __future__ import annotations

import functools

# The CJK blocks OpenCC converts: Extension A, the URO, compatibility ideographs, Extension B.
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF))


@functools.cache
def _table() -> dict[int, str]:
    import opencc

    chars = [chr(code) for low, high in _CJK_RANGES for code in range(low, high + 1)]
    # One call over newline-separated characters: no phrase spans a newline, so each character
    # is converted by itself (about 50 ms for 70,000 characters).
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    table = {ord(a): b for a, b in zip(chars, converted, strict=True) if len(b) == 1 and a != b}
    for code in range(0x21, 0x7F):
        ascii_char, wide = chr(code), chr(code + 0xFEE0)
        if ascii_char.isalnum():
            table[ord(wide)] = ascii_char.lower()
            if ascii_char.isupper():
                table[code] = ascii_char.lower()
        else:
            table[code] = wide
    for code in range(0xC0, 0x2000):
        lower = chr(code).lower()
        if len(lower) == 1 and lower != chr(code):
            table[code] = lower
    for code in (*range(0x00, 0x21), 0x7F, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B)):
        table[code] = " "
    for code in (0x2028, 0x2029, 0x202F, 0x205F, 0x3000):
        table[code] = " "
    return table


def project(text: str) -> str:
    """The matching form of ``text``: same length, one character for each character."""
    return text.translate(_table())


def is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)
