"""Importing past digitization figures (``secretariat import archive-digitization FILE``;
docs/import.md): one row per quarter (or batch) of an agency's project — the project's
應數位化件數 and the 件 and 影像頁數 scanned and passed by a day. The file is checked whole
first: nothing is written if any row is wrong."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from django.utils import timezone

from secretariat.archives.models import DigitizationBatch, DigitizationProject, Quality
from secretariat.archives.services import use as services
from secretariat.core import importing, roc
from secretariat.core.importing import Column, Importer, Plan, Problems, Row
from secretariat.core.registry import AgencyIndex

AGENCY = "機關"
YEAR = "年度"
TITLE = "專案名稱"
TARGET = "應數位化件數"
SCANNED_ON = "完成日期"
ITEMS = "完成件數"
PAGES = "影像頁數"
NOTE = "說明"


def _number(row: Row, column: str, problems: Problems, low: int, high: int) -> int:
    found = importing.parse_whole(row[column], row.number, column, problems, least=low, most=high)
    return found or 0


class DigitizationImporter(Importer):
    type = "archive-digitization"
    label = "檔案數位化成果（歷年）"
    columns = (
        Column(AGENCY, True, "機關全銜、簡稱或舊名。"),
        Column(YEAR, True, "專案年度（民國）。"),
        Column(TITLE, True, "專案名稱（自然鍵：機關＋年度＋專案名稱）。", 200),
        Column(TARGET, True, "專案的應數位化件數（同一專案各列須相同）。"),
        Column(SCANNED_ON, True, "該批完成掃描並經品質檢查合格的日期。"),
        Column(ITEMS, True, "完成件數。"),
        Column(PAGES, True, "影像頁數（不少於件數）。"),
        Column(NOTE, False, "說明。", 300),
    )

    @cached_property
    def agencies(self) -> AgencyIndex:
        return AgencyIndex.build()

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        today = timezone.localdate()
        projects: dict[tuple[int, int, str], tuple[DigitizationProject, int]] = {}
        existing = {(p.agency_id, p.year, p.title): p for p in DigitizationProject.objects.all()}
        plan = Plan()
        done = set(
            DigitizationBatch.objects.filter(quality=Quality.PASSED).values_list(
                "project_id", "scanned_on"
            )
        )
        for row in rows:
            found = len(problems)
            scanned = importing.parse_date(
                row[SCANNED_ON], row.number, SCANNED_ON, problems, not_after=today
            )
            agency = importing.parse_agency(
                self.agencies, row[AGENCY], row.number, AGENCY, problems, scanned, record="專案"
            )
            year = _number(row, YEAR, problems, 90, roc.roc_year(today))
            target = _number(row, TARGET, problems, 1, services.TARGET_MAX)
            items = _number(row, ITEMS, problems, 1, services.BATCH_ITEMS_MAX)
            pages = _number(row, PAGES, problems, 1, services.BATCH_PAGES_MAX)
            if items and pages and pages < items:
                problems.add(row.number, PAGES, "影像頁數不可少於件數。")
            if len(problems) > found or agency is None:
                tick()
                continue
            key = (agency.pk, year, row[TITLE])
            project = existing.get(key)
            if project is None and key in projects:
                project, first = projects[key]
                if project.target_items != target:
                    problems.add(row.number, TARGET, f"與第{first}列同一專案的應數位化件數不同。")
            elif project is None:
                project = DigitizationProject(
                    agency=agency, year=year, title=row[TITLE], target_items=target, imported=True
                )
                projects[key] = (project, row.number)
            elif project.target_items != target:
                problems.add(
                    row.number, TARGET, "此專案已存在且應數位化件數不同；匯入不會修改既有專案。"
                )
            batch = DigitizationBatch(
                agency=agency,
                scanned_on=scanned,
                items=items,
                pages=pages,
                quality=Quality.PASSED,
                checked_on=scanned,
                note=row[NOTE] or "匯入之歷年數位化成果",
            )
            if project.pk is not None and (project.pk, scanned) in done:
                plan.unchanged += 1
            else:
                plan.new.append((project, batch))
            tick()
        return plan

    def write(self, plan: Plan, *, by) -> None:
        services.import_digitization(plan.new)


IMPORTERS = (DigitizationImporter,)
