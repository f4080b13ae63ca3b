"""Build a report for a period from the registered sections and indicators."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from secretariat.core.models import IndicatorTarget
from secretariat.core.roc import Period, chinese_numeral, roc_year
from secretariat.reports import registry
from secretariat.reports.structure import (
    ITEM_NUMBER,
    Chapter,
    IndicatorResult,
    Report,
    Section,
    SectionData,
)

TITLE = "臺北市政府秘書處工作報告"


def build_report(period: Period, progress=None) -> Report:
    """Every registered section computed for ``period``, in its chapter and order, and the
    indicators with the targets of the period's (last) 民國 year. ``progress(done, total)`` is
    called after each section (the report page's progress bar)."""
    sections = _sections()
    total = len(sections) + 1
    computed: dict[str, list] = {code: [] for code, _ in registry.CHAPTERS}
    for done, section in enumerate(sections, start=1):
        computed[section.chapter].append(section.compute(period))
        if progress:
            progress(done, total)
    chapters = tuple(
        Chapter(code, title, _numbered(computed[code])) for code, title in registry.CHAPTERS
    )
    report = Report(
        title=TITLE,
        period=period,
        generated_at=timezone.localtime(),
        chapters=chapters,
        indicators=tuple(indicator_results(period)),
    )
    if progress:
        progress(total, total)
    return report


def _numbered(sections: list[SectionData]) -> tuple[SectionData, ...]:
    """A chapter's sections numbered （一）（二）… by their place in it: each module writes its
    heading as the seed prints it, but which sections a chapter holds depends on the modules
    installed (lockers between 公文's （一） and its volume; the desk's and the consultations'
    sections in 六), so the number is the report's to give, in one place."""
    return tuple(
        dataclasses.replace(
            section, heading=f"（{chinese_numeral(place)}）{ITEM_NUMBER.sub('', section.heading)}"
        )
        for place, section in enumerate(sections, start=1)
    )


def _sections() -> list[Section]:
    """The registered sections in the report's order: by chapter, then order within it."""
    place = {code: index for index, (code, _) in enumerate(registry.CHAPTERS)}
    return sorted(registry.SECTIONS.values(), key=lambda s: (place[s.chapter], s.order, s.key))


def has_records(period: Period) -> bool:
    """Whether any section has records in the period (computed in the report's order, up to the
    first that has: on a running installation, the first section)."""
    return any(section.compute(period).has_records for section in _sections())


def default_period(today: dt.date) -> Period:
    """The period the report page offers first: the last half-year that has ended, as the
    report to the council is made — unless nothing at all was recorded in it and the current
    half-year has records (a new installation, the demo data), then the current half-year."""
    current = Period.half_containing(today)
    ended = Period.half_containing(current.start - dt.timedelta(days=1))
    if has_records(ended) or not has_records(current):
        return ended
    return current


def indicator_results(period: Period) -> list[IndicatorResult]:
    year = roc_year(period.end)
    targets = dict(
        IndicatorTarget.objects.filter(
            year=year, indicator__in=list(registry.INDICATORS)
        ).values_list("indicator", "value")
    )
    return [
        IndicatorResult(
            key=indicator.key,
            label=indicator.label,
            unit=indicator.unit,
            actual=indicator.compute(period),
            target=targets.get(indicator.key),
        )
        for indicator in sorted(registry.INDICATORS.values(), key=lambda i: i.key)
    ]
