"""增刪痕跡: the changes between two versions of a draft, as paper drafts showed them — what
was struck out and what was written in — character by character (Chinese text has no
words to split on), line by line so a moved paragraph does not smear over the page."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Piece:
    """A run of text: ``kind`` is "same", "added" or "removed"."""

    kind: str
    text: str


def _pieces(old: str, new: str) -> list[Piece]:
    found: list[Piece] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            found.append(Piece("same", old[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            found.append(Piece("removed", old[i1:i2]))
        if tag in ("insert", "replace"):
            found.append(Piece("added", new[j1:j2]))
    return found


def tracked_changes(old: str, new: str) -> list[list[Piece]]:
    """The new text's lines with their changes against the old (removed lines included in
    place), each line a list of pieces."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    lines: list[list[Piece]] = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend([Piece("same", line)] for line in new_lines[j1:j2])
        elif tag == "replace":
            olds, news = old_lines[i1:i2], new_lines[j1:j2]
            for index in range(max(len(olds), len(news))):
                before = olds[index] if index < len(olds) else ""
                after = news[index] if index < len(news) else ""
                lines.append(_pieces(before, after))
        elif tag == "delete":
            lines.extend([Piece("removed", line)] for line in old_lines[i1:i2])
        else:
            lines.extend([Piece("added", line)] for line in new_lines[j1:j2])
    return lines


def counts(lines: list[list[Piece]]) -> tuple[int, int]:
    """Characters added and removed."""
    added = sum(len(p.text) for line in lines for p in line if p.kind == "added")
    removed = sum(len(p.text) for line in lines for p in line if p.kind == "removed")
    return added, removed
