"""段落與項次: the 說明, 辦法, 擬辦 … of a document, nested items numbered
一、（一）1、（1）甲、（甲） automatically.

People write one item a line. Nesting comes from the number someone typed (「（一）」 is the
second level wherever it stands) or else from the indentation (a tab, two spaces or one
full-width space a level); typed numbers are replaced by the right ones, so inserting an item
renumbers the rest. A section of a single item has no number (「說明：本案…」), as the
文書處理手冊 writes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LEVELS = 6
_DIGITS = "〇一二三四五六七八九"
_STEMS = "甲乙丙丁戊己庚辛壬癸"

# A typed number at the start of a line, by level: 一、 （一） 1、 （1） 甲、 （甲）.
_CN = "[一二三四五六七八九十百〇零]+"
_MARKERS = (
    re.compile(rf"^{_CN}[、.．]\s*"),
    re.compile(rf"^[（(]{_CN}[）)]\s*"),
    re.compile(r"^[0-9０-９]+[、.．](?![0-9０-９])\s*"),
    re.compile(r"^[（(][0-9０-９]+[）)]\s*"),
    re.compile(rf"^[{_STEMS}][、.．]\s*"),
    re.compile(rf"^[（(][{_STEMS}][）)]\s*"),
)


class ParagraphError(ValueError):
    """A section that cannot be numbered (zh-Hant message naming the line)."""


@dataclass
class Item:
    text: str
    children: list[Item] = field(default_factory=list)

    def as_data(self) -> dict:
        data: dict = {"text": self.text}
        if self.children:
            data["children"] = [child.as_data() for child in self.children]
        return data

    @classmethod
    def from_data(cls, data: dict) -> Item:
        return cls(data["text"], [cls.from_data(c) for c in data.get("children", ())])


@dataclass(frozen=True)
class Line:
    """A numbered line as printed: its level (0 = 一、), its number and its text."""

    level: int
    label: str
    text: str


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五."""
    if n < 1:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        head = "" if tens == 1 else _DIGITS[tens]
        return f"{head}十{_DIGITS[ones] if ones else ''}"
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return f"{_DIGITS[hundreds]}百"
    middle = "零" if rest < 10 else ""
    tail = chinese_number(rest) if rest >= 20 or rest < 10 else "一" + chinese_number(rest)
    return f"{_DIGITS[hundreds]}百{middle}{tail}"


def label(level: int, n: int) -> str:
    """The number of the ``n``-th item (1-based) at ``level`` (0-based)."""
    if level == 0:
        return f"{chinese_number(n)}、"
    if level == 1:
        return f"（{chinese_number(n)}）"
    if level == 2:
        return f"{n}、"
    if level == 3:
        return f"（{n}）"
    stem = _STEMS[(n - 1) % len(_STEMS)]
    return f"{stem}、" if level == 4 else f"（{stem}）"


def _indent(raw: str) -> tuple[int, str]:
    level, rest = 0, raw
    while rest:
        if rest.startswith(("\t", "\u3000")):
            rest, level = rest[1:], level + 1
        elif rest.startswith("  "):
            rest, level = rest[2:], level + 1
        else:
            break
    return level, rest.strip()


def _typed_level(text: str) -> tuple[int | None, str]:
    for level, pattern in enumerate(_MARKERS):
        found = pattern.match(text)
        if found and found.end() < len(text):
            return level, text[found.end() :].strip()
    return None, text


def parse(text: str, section: str = "本段") -> list[Item]:
    """The items of a section written one a line. Raises ``ParagraphError`` for a line that
    skips a level (「（一）」 right after the section's start, 「1、」 under 「一、」)."""
    roots: list[Item] = []
    stack: list[Item] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        indent, rest = _indent(raw)
        typed, rest = _typed_level(rest)
        level = typed if typed is not None else indent
        if level >= LEVELS:
            raise ParagraphError(f"{section}第{number}行的層次超過{LEVELS}層。")
        if level > len(stack):
            expected = label(len(stack), 1) if stack else label(0, 1)
            raise ParagraphError(
                f"{section}第{number}行的層次跳級：此處應為「{expected}」層次的項目。"
            )
        item = Item(rest)
        del stack[level:]
        (stack[-1].children if stack else roots).append(item)
        stack.append(item)
    return roots


def lines(items: list[Item]) -> list[Line]:
    """The printed lines of a section; a single item without sub-items has no number."""
    if len(items) == 1 and not items[0].children:
        return [Line(0, "", items[0].text)]
    found: list[Line] = []

    def walk(level: int, children: list[Item]) -> None:
        for n, item in enumerate(children, start=1):
            found.append(Line(level, label(level, n), item.text))
            walk(level + 1, item.children)

    walk(0, items)
    return found


def as_text(items: list[Item]) -> str:
    """The section as one would type it back (for editing): numbered, indented by level."""
    return "\n".join("\u3000" * line.level + line.label + line.text for line in lines(items))
