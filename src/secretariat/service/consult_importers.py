"""Importing the professional consultations' history (``secretariat import
service-consultations FILE``; docs/import.md): one row per day, association and mode with the
number of consultations (件數) — a day's tally, or a single one — and an optional topic.
Checked whole first; importing the same file again changes nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from django.utils import timezone

from secretariat.core import importing, roc
from secretariat.core.importing import Column, Plan, Problems, Row
from secretariat.service import services
from secretariat.service.importers import DeskImporter, read_count, row_key
from secretariat.service.models import (
    TOPIC_MAX_LENGTH,
    Association,
    Consultation,
    ConsultSource,
    Mode,
)

DATE = "日期"
ASSOCIATION = "公會"
MODE = "方式"
COUNT = "件數"
TOPIC = "主題"
MODES = {label: value for value, label in Mode.choices} | {"面對面": "face", "電話": "phone"}
# A day's consultations of one association: far above what its sessions take.
MAX_COUNT = 1_000


class ConsultationImporter(DeskImporter):
    type = "service-consultations"
    label = "專業諮詢紀錄"
    columns = (
        Column(DATE, True, f"諮詢日期（{importing.DATE_FORMS}）。"),
        Column(ASSOCIATION, True, "合作公會名稱（須已設定）。"),
        Column(MODE, True, "面對面諮詢或電話諮詢。"),
        Column(COUNT, False, f"件數；空白為1，至多 {MAX_COUNT:,}。"),
        Column(TOPIC, False, "諮詢主題（不含諮詢內容及個人資料）。", max_length=TOPIC_MAX_LENGTH),
    )

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        today = timezone.localdate()
        associations = {row_key(a.name): a for a in Association.objects.all()}
        seen: dict[tuple, int] = {}
        read: list[tuple[Row, tuple, int, Consultation]] = []
        for row in rows:
            found = len(problems)
            day = importing.parse_date(row[DATE], row.number, DATE, problems, not_after=today)
            mode = importing.parse_choice(row[MODE], row.number, MODE, problems, MODES)
            association = associations.get(row_key(row[ASSOCIATION])) if row[ASSOCIATION] else None
            if row[ASSOCIATION] and association is None:
                known = "、".join(a.name for a in associations.values()) or "（尚未設定）"
                problems.add(
                    row.number, ASSOCIATION, f"找不到公會「{row[ASSOCIATION]}」（可用：{known}）。"
                )
            count = read_count(row[COUNT], row, COUNT, problems, MAX_COUNT)
            if len(problems) == found:
                key = (day, association.pk, mode, row[TOPIC])
                if key in seen:
                    problems.add(row.number, DATE, f"與第{seen[key]}列是同一日、公會、方式與主題。")
                else:
                    seen[key] = row.number
                    consultation = Consultation(
                        association=association,
                        held_on=day,
                        mode=mode,
                        topic=row[TOPIC],
                        walk_in=False,
                        source=ConsultSource.IMPORT,
                    )
                    read.append((row, key, count, consultation))
            tick()
        plan = Plan()
        if not read:
            return plan
        days = [key[0] for _, key, _, _ in read]
        existing = Counter(
            (c.held_on, c.association_id, c.mode, c.topic)
            for c in Consultation.objects.filter(
                source=ConsultSource.IMPORT, held_on__gte=min(days), held_on__lte=max(days)
            )
        )
        for row, key, count, consultation in read:
            before = existing.get(key, 0)
            if before == count:
                plan.unchanged += 1
            elif before:
                problems.add(
                    row.number,
                    COUNT,
                    f"{roc.format_date(key[0])}的這筆紀錄已匯入{before}件，與本列{count}件不同；"
                    "匯入不會修改既有資料。",
                )
            else:
                plan.new.extend(
                    Consultation(
                        association=consultation.association,
                        held_on=consultation.held_on,
                        mode=consultation.mode,
                        topic=consultation.topic,
                        source=ConsultSource.IMPORT,
                    )
                    for _ in range(count)
                )
        return plan

    def write(self, plan: Plan, *, by) -> None:
        services.import_consultations(plan.new)


IMPORTERS = (ConsultationImporter,)
