"""Template filters for 民國 dates and report-style numbers, built in to every template.

Each filter shows None and "" as "" (so `|default:"—"` can follow) and shows a value it cannot
format as it is rather than breaking the page.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from secretariat.core import roc

register = template.Library()


def _local(value: dt.date) -> dt.date:
    # Django's current time zone (not always Taipei) decides the day; roc treats naive as local.
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


@register.filter
def roc_date(value, style: str = "short") -> str:
    """A date or datetime as 115年8月16日; the argument picks the style (long, slash, dot, compact)."""
    if value in (None, ""):
        return ""
    try:
        return roc.format_date(_local(value), style)
    except (TypeError, AttributeError, ValueError):
        return str(value)


@register.filter
def roc_month(value) -> str:
    """The month of a date as 115年8月."""
    if value in (None, ""):
        return ""
    try:
        return roc.format_month(value.year, value.month)
    except (TypeError, AttributeError, ValueError):
        return str(value)


@register.filter
def roc_datetime(value) -> str:
    """A datetime as 115年8月16日上午8時30分; a plain date as 115年8月16日."""
    if value in (None, ""):
        return ""
    try:
        return roc.format_deadline(_local(value))
    except (TypeError, AttributeError, ValueError):
        return str(value)


@register.filter
def roc_time(value) -> str:
    """A time, or the time of a datetime, as 上午8時30分."""
    if value in (None, ""):
        return ""
    try:
        local = _local(value)
        return roc.format_time(local.time() if isinstance(local, dt.datetime) else local)
    except (TypeError, AttributeError, ValueError):
        return str(value)


@register.filter
def count(value, unit: str = "") -> str:
    """A count as 4萬6,011 followed by the unit given as the argument."""
    if value in (None, ""):
        return ""
    try:
        return roc.format_count(value, unit)
    except (TypeError, ValueError, ArithmeticError):
        return str(value)


@register.filter
def amount(value, unit: str = "元") -> str:
    """Money in 元 shown in the unit given as the argument (元, 千元, 萬元, 億元)."""
    if value in (None, ""):
        return ""
    try:
        return roc.format_amount(value, unit)
    except (TypeError, ValueError, ArithmeticError):
        return str(value)


@register.filter
def percent(value, places: int = 2) -> str:
    """A ratio as a percentage: 0.9993 → 99.93%."""
    if value in (None, ""):
        return ""
    try:
        return roc.format_percent(value, int(places))
    except (TypeError, ValueError, ArithmeticError):
        return str(value)
