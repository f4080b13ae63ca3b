"""Importing the volunteers' tallies (``secretariat import service-volunteer-shifts FILE``;
docs/import.md): one row per day and post with the people served (服務人次) and leaflets
handed out (發送文宣) — history from before the roster was kept here, without names. Checked
whole first; importing the same file again changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from secretariat.core import importing, roc
from secretariat.core.importing import Column, Plan, Problems, Row
from secretariat.service import services
from secretariat.service.importers import DeskImporter, row_key
from secretariat.service.models import LEAFLETS_MAX, PEOPLE_MAX, Post, Shift, ShiftSource

DATE = "日期"
POST = "崗位"
STARTS = "開始時間"
ENDS = "結束時間"
PEOPLE = "服務人次"
LEAFLETS = "發送文宣"
# A tally row covers the post's day unless the file says otherwise (the centre's hours).
DAY_STARTS, DAY_ENDS = dt.time(8, 30), dt.time(17, 30)
# A day's tally of one post may sum several shifts (and a month's, one row on its first day).
DAY_MAX = PEOPLE_MAX * 31


def _amount(text_: str, row: Row, column: str, problems: Problems) -> int | None:
    folded = text_.replace(",", "").strip()
    if not folded:
        return 0
    if not folded.isdigit():
        problems.add(row.number, column, f"須為 0 或正整數：「{text_}」。")
        return None
    value = int(folded)
    if value > DAY_MAX:
        problems.add(row.number, column, f"不可超過 {DAY_MAX:,}。")
        return None
    return value


def _time(text_: str, row: Row, column: str, problems: Problems, default: dt.time) -> dt.time:
    if not text_:
        return default
    try:
        return roc.parse_time(text_)
    except roc.RocDateError:
        problems.add(row.number, column, f"時間格式不正確：「{text_}」（例：08:30）。")
        return default


class VolunteerShiftImporter(DeskImporter):
    type = "service-volunteer-shifts"
    label = "志工服務統計"
    columns = (
        Column(DATE, True, f"日期（{importing.DATE_FORMS}）；月統計填該月任一日。"),
        Column(POST, True, "服務崗位名稱（須已設定）。"),
        Column(PEOPLE, True, f"服務人次（0 或正整數，至多 {DAY_MAX:,}）。"),
        Column(LEAFLETS, False, f"發送文宣件數；空白為 0（上限同上，單班上限 {LEAFLETS_MAX:,}）。"),
        Column(STARTS, False, "開始時間；空白為 08:30。"),
        Column(ENDS, False, "結束時間；空白為 17:30。"),
    )

    def check(self, rows: list[Row], problems: Problems, tick: Callable[[], None]) -> Plan:
        today = timezone.localdate()
        posts = {row_key(p.name): p for p in Post.objects.all()}
        seen: dict[tuple, int] = {}
        read: list[tuple[Row, Shift]] = []
        for row in rows:
            found = len(problems)
            day = importing.parse_date(row[DATE], row.number, DATE, problems, not_after=today)
            post = posts.get(row_key(row[POST])) if row[POST] else None
            if row[POST] and post is None:
                known = "、".join(p.name for p in posts.values()) or "（尚未設定）"
                problems.add(row.number, POST, f"找不到崗位「{row[POST]}」（可用：{known}）。")
            people = _amount(row[PEOPLE], row, PEOPLE, problems)
            leaflets = _amount(row[LEAFLETS], row, LEAFLETS, problems)
            starts = _time(row[STARTS], row, STARTS, problems, DAY_STARTS)
            ends = _time(row[ENDS], row, ENDS, problems, DAY_ENDS)
            if len(problems) == found and ends <= starts:
                problems.add(row.number, ENDS, "結束時間須晚於開始時間。")
            key = (post and post.pk, day, starts)
            if len(problems) == found and key in seen:
                problems.add(row.number, DATE, f"與第{seen[key]}列是同一崗位、同一日與開始時間。")
            elif len(problems) == found:
                seen[key] = row.number
                shift = Shift(
                    post=post,
                    day=day,
                    starts=starts,
                    ends=ends,
                    people_served=people,
                    leaflets=leaflets,
                    source=ShiftSource.IMPORT,
                )
                read.append((row, shift))
            tick()
        plan = Plan()
        existing = {
            (s.post_id, s.day, s.starts): s
            for s in Shift.objects.filter(
                source=ShiftSource.IMPORT, day__in=[s.day for _, s in read]
            )
        }
        for row, shift in read:
            before = existing.get((shift.post_id, shift.day, shift.starts))
            if before is None:
                plan.new.append(shift)
            elif (before.people_served, before.leaflets) == (shift.people_served, shift.leaflets):
                plan.unchanged += 1
            else:
                problems.add(
                    row.number,
                    PEOPLE,
                    f"此崗位此日已匯入{before.people_served}人次、{before.leaflets}件文宣，"
                    "與本列不同；匯入不會修改既有資料。",
                )
        return plan

    def write(self, plan: Plan, *, by) -> None:
        services.import_shifts(plan.new)


IMPORTERS = (VolunteerShiftImporter,)
