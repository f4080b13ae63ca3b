"""Wiring of 數位化、檔案應用、考評 (called once from the app's ``ready``): report sections and
the indicator, the pending items, the importer and the demo records."""

from __future__ import annotations


def ready() -> None:
    from secretariat.archives import use_demo, use_importers, use_reports
    from secretariat.archives.selectors import use as selectors
    from secretariat.core import importing
    from secretariat.core.modules import register_demo, register_pending
    from secretariat.reports.registry import register_indicator, register_section

    for section in use_reports.SECTIONS:
        register_section(section)
    for indicator in use_reports.INDICATORS:
        register_indicator(indicator)
    register_pending("archives_use", "檔案應用及考評", selectors.pending_for)
    register_demo("archives_use", "檔案應用、數位化及考評示範資料", use_demo.load_demo)
    for importer in use_importers.IMPORTERS:
        importing.register(importer)
