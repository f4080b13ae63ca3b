"""分辦關鍵字: loading the routing keyword table's seed (each agency's statutory duty terms)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from secretariat.cases.models import RoutingKeyword
from secretariat.cases.services.common import require
from secretariat.core import audit
from secretariat.core.errors import DomainError
from secretariat.core.models import Agency
from secretariat.core.permissions import is_administrator

ROUTING_KEYWORDS_PATH = Path(__file__).resolve().parent.parent / "data" / "routing_keywords.json"
_KEYWORD_LENGTH = RoutingKeyword._meta.get_field("keyword").max_length


@dataclass(frozen=True)
class KeywordSeedResult:
    created: int
    unchanged: int

    def __str__(self) -> str:
        return f"新增 {self.created} 筆、已有 {self.unchanged} 筆"


def seed_routing_keywords(path: Path | None = None, *, by=None) -> KeywordSeedResult:
    """Create the keyword table's rows (分辦關鍵字) that ``path`` (default: the bundled seed,
    each agency's statutory duty terms) has and the table lacks, at weight 1. Rows already
    there — and their weights — are administrators' and stay as they are, so a second load
    writes nothing. The whole file is checked first: an unknown agency code or a bad term
    raises DomainError naming every one of them, and nothing is saved."""
    if by is not None:
        require(is_administrator(by), "只有系統管理者或秘書處管理者可以載入分辦關鍵字。")
    path = Path(path) if path is not None else ROUTING_KEYWORDS_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        by_code = data["agencies"]
        if not isinstance(by_code, dict):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DomainError(
            "invalid_keywords",
            f"分辦關鍵字檔 {path.name} 無法讀取：應為含 agencies 物件的 JSON（{error}）。",
        ) from error
    agencies = Agency.objects.in_bulk(list(by_code), field_name="code")
    problems, wanted = [], []
    for code, terms in by_code.items():
        if code not in agencies:
            problems.append(f"機關代號 {code} 不在機關名錄中")
            continue
        if not isinstance(terms, list):
            problems.append(f"{code}：關鍵字應為字串清單")
            continue
        for term in terms:
            if not isinstance(term, str) or not term.strip() or len(term) > _KEYWORD_LENGTH:
                problems.append(f"{code}：關鍵字 {term!r} 應為 1 至 {_KEYWORD_LENGTH} 字")
            else:
                wanted.append((term.strip(), agencies[code]))
    if problems:
        raise DomainError("invalid_keywords", "分辦關鍵字檔有誤，未載入：" + "；".join(problems))
    existing = set(RoutingKeyword.objects.values_list("keyword", "agency_id"))
    created = 0
    with (
        transaction.atomic(),
        audit.acting_as(audit.actor_of(by)),
        audit.action("cases:seed_routing_keywords"),
    ):
        for term, agency in wanted:
            if (term, agency.pk) not in existing:
                RoutingKeyword.objects.create(keyword=term, agency=agency)
                existing.add((term, agency.pk))
                created += 1
    return KeywordSeedResult(created=created, unchanged=len(wanted) - created)
