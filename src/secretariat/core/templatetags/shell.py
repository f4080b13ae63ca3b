"""Filters for the layout that are not about dates or numbers."""

from django import template

register = template.Library()


@register.filter
def audit_change(change) -> str:
    """One audit change as text: [before, after] → 「before → after」; other details as they are."""
    if isinstance(change, list) and len(change) == 2:
        before, after = ("（空白）" if v in (None, "") else v for v in change)
        return f"{before} → {after}"
    if isinstance(change, dict):
        words = {"add": "新增", "remove": "移除", "clear": "清除"}
        return "；".join(
            f"{words.get(k, k)} {'、'.join(map(str, v)) if isinstance(v, list) else v}"
            for k, v in change.items()
        )
    return str(change)
