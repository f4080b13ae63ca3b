"""Importing petitions (``secretariat import petitions FILE``): one row per petition with its
lead agency, co-agencies and their reply dates. Format: ``docs/import.md``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from secretariat.cases.importers import (
    CO,
    COLUMN_BODY,
    COLUMN_CLOSED,
    COLUMN_DUE,
    COLUMN_ENDED_REASON,
    COLUMN_EXTENSIONS,
    COLUMN_MOVES,
    COLUMN_NUMBER,
    COLUMN_ROUTED,
    COLUMN_STATUS,
    COLUMN_SUBJECT,
    LEAD,
    RECEIVED,
    REQUESTER_LIMITS,
    CaseImporter,
    CaseRecord,
)
from secretariat.cases.selectors import Channel
from secretariat.core import importing
from secretariat.core.importing import Column, Problems, Row
from secretariat.petitions.catalogue import CATEGORIES, DEFAULT_CATEGORY
from secretariat.petitions.models import Petition
from secretariat.petitions.services import KIND, PUBLIC_CHANNELS, STAFF_CHANNELS

CHANNEL = "來源管道"
CATEGORY = "陳情類別"
LEAD_REPLIED = "主辦回復日期"
CO_REPLIED = "協辦回復日期"
# Column → Requester field; the requester's identity stays personal data (masked, audited).
REQUESTER_COLUMNS = {
    "陳情人": "name",
    "陳情人電子郵件": "email",
    "陳情人電話": "phone",
    "陳情人地址": "address",
}
CHANNELS = {Channel(code).label: code for code in (*STAFF_CHANNELS, *PUBLIC_CHANNELS, Channel.API)}
CATEGORY_CHOICES = {category.name: category.code for category in CATEGORIES}


class PetitionImporter(CaseImporter):
    type = "petitions"
    label = "人民陳情"
    kind = KIND
    related = ("petition",)
    columns = (
        COLUMN_NUMBER,
        Column(RECEIVED, True),
        COLUMN_SUBJECT,
        COLUMN_BODY,
        Column(CHANNEL, False, f"{'、'.join(CHANNELS)}；空白為書信。"),
        Column(CATEGORY, False, "陳情類別名稱或代碼；空白為人民陳情（一般）。"),
        Column("陳情人", False, "姓名；填寫聯絡資料時必填。"),
        Column("陳情人電子郵件"),
        Column("陳情人電話"),
        Column("陳情人地址"),
        Column(LEAD, False, "全銜、簡稱或收件當時的舊名（改分後的機關）；存查或撤回未分辦者空白。"),
        Column(CO, False, "多個以「、」分隔。"),
        COLUMN_ROUTED,
        COLUMN_DUE,
        Column(LEAD_REPLIED),
        Column(CO_REPLIED, False, "一個日期代表全部協辦機關，或依協辦機關順序以「、」分隔。"),
        COLUMN_MOVES,
        COLUMN_EXTENSIONS,
        COLUMN_CLOSED,
        COLUMN_STATUS,
        COLUMN_ENDED_REASON,
    )

    def read(self, row: Row, problems: Problems) -> CaseRecord | None:
        found = len(problems)
        received_on = self.date(row, RECEIVED, problems)
        channel = importing.parse_choice(row[CHANNEL], row.number, CHANNEL, problems, CHANNELS)
        category = importing.parse_choice(
            row[CATEGORY], row.number, CATEGORY, problems, CATEGORY_CHOICES
        )
        requester = self._requester(row, problems)
        ended = self.ended(row, problems)
        parts = self.parts(
            row,
            problems,
            received_on,
            lambda co_count: self._replies(row, problems, co_count),
            ended=ended,
        )
        record = self.case_record(
            row,
            problems,
            parts=parts,
            received_on=received_on,
            channel=channel or Channel.LETTER,
            requester=requester,
            own={CATEGORY: category or DEFAULT_CATEGORY},
            ended=ended,
        )
        return record if len(problems) == found else None

    def _replies(self, row: Row, problems: Problems, co_count: int):
        found = len(problems)
        lead = self.date(row, LEAD_REPLIED, problems)
        texts = importing.split_list(row[CO_REPLIED])
        if texts and not co_count:
            problems.add(row.number, CO_REPLIED, "沒有協辦機關，不應填協辦回復日期。")
        elif len(texts) > 1 and len(texts) != co_count:
            problems.add(
                row.number,
                CO_REPLIED,
                f"有 {len(texts)} 個日期，但協辦機關有 {co_count} 個；請依協辦機關順序逐一"
                "填寫，或只填一個日期代表全部。",
            )
        if len(problems) > found:
            return None
        if len(texts) == 1:
            texts = texts * co_count
        co = [
            importing.parse_date(text, row.number, CO_REPLIED, problems, not_after=self.today)
            for text in texts or [""] * co_count
        ]
        if len(problems) > found:
            return None
        return [(lead, LEAD_REPLIED)] + [(day, CO_REPLIED) for day in co]

    def _requester(self, row: Row, problems: Problems) -> dict[str, str] | None:
        values = {field: row[column] for column, field in REQUESTER_COLUMNS.items()}
        if not any(values.values()):
            return None
        for column, field in REQUESTER_COLUMNS.items():
            limit = REQUESTER_LIMITS[field]
            if len(values[field]) > limit:
                problems.add(row.number, column, f"最長 {limit} 字。")
        if not values["name"]:
            problems.add(row.number, "陳情人", "填寫陳情人聯絡資料時，請填寫姓名。")
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                problems.add(row.number, "陳情人電子郵件", "電子郵件格式不正確。")
        return values

    def own_values(self, case) -> dict[str, Any]:
        petition = getattr(case, "petition", None)
        return {CATEGORY: petition.category if petition else None}

    def own_record(self, case, record: CaseRecord) -> Petition:
        # The citizen's password of the old system cannot be carried over: an unusable hash
        # (cheap, unlike hashing a random one a thousand times) keeps the status page closed.
        return Petition(case=case, category=record.own[CATEGORY], password_hash=make_password(None))
