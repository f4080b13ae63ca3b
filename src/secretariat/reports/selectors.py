"""Build a report for a period from the registered sections and indicators."""

from __future__ import annotations

from django.utils import timezone

from secretariat.core.models import IndicatorTarget
from secretariat.core.roc import Period, roc_year
from secretariat.reports import registry
from secretariat.reports.structure import Chapter, IndicatorResult, Report

TITLE = "臺北市政府秘書處工作報告"


def build_report(period: Period, progress=None) -> Report:
    """Every registered section computed for ``period``, in its chapter and order, and the
    indicators with the targets of the period's (last) 民國 year. ``progress(done, total)`` is
    called after each section (the report page's progress bar)."""
    place = {code: index for index, (code, _) in enumerate(registry.CHAPTERS)}
    sections = sorted(registry.SECTIONS.values(), key=lambda s: (place[s.chapter], s.order, s.key))
    total = len(sections) + 1
    computed: dict[str, list] = {code: [] for code, _ in registry.CHAPTERS}
    for done, section in enumerate(sections, start=1):
        computed[section.chapter].append(section.compute(period))
        if progress:
            progress(done, total)
    chapters = tuple(
        Chapter(code, title, tuple(computed[code])) for code, title in registry.CHAPTERS
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
