"""secretariat search reindex [--source cases] | secretariat search apply |
secretariat search "查詢" [--order relevance]"""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from secretariat.core import roc
from secretariat.core.errors import DomainError
from secretariat.search import backends, registry, selectors, services, tantivy_index
from secretariat.search.selectors import ORDERS, Filters

USAGE_ERROR = 2


class Command(BaseCommand):
    help = (
        "全文檢索。secretariat search reindex：由紀錄重建索引；"
        "secretariat search apply：立即套用索引待辦（tantivy）；"
        'secretariat search "查詢字詞"：搜尋（預設以系統身分檢視全部紀錄，--as 帳號 則依該人員權限）。'
    )

    def add_arguments(self, parser):
        parser.add_argument("words", nargs="+", help="reindex、apply，或搜尋字詞")
        parser.add_argument("--source", action="append", help="reindex 的來源（可重複；預設全部）")
        parser.add_argument("--kind", action="append", default=[], help="類別代碼（可重複）")
        parser.add_argument("--status", action="append", default=[], help="狀態代碼（可重複）")
        parser.add_argument("--order", choices=sorted(ORDERS), default="newest")
        parser.add_argument("--limit", type=int, default=20, help="列出筆數（預設 20）")
        parser.add_argument("--as", dest="username", help="以此帳號的權限搜尋")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        words = options["words"]
        try:
            if words == ["reindex"]:
                self._reindex(options["source"])
            elif words == ["apply"]:
                self._apply()
            else:
                self._search(" ".join(words), options)
        except DomainError as error:
            raise CommandError(error.message, returncode=USAGE_ERROR) from error

    def _reindex(self, sources: list[str] | None) -> None:
        for rebuilt in services.reindex(sources):
            self.stdout.write(
                f"{rebuilt.label}（{rebuilt.source}）：{roc.format_count(rebuilt.documents, '筆')}"
            )

    def _apply(self) -> None:
        if backends.backend().name != "tantivy":
            self.stdout.write(
                "檢索引擎為資料庫（SEARCH_BACKEND=database），索引隨紀錄更新，無待辦。"
            )
            return
        applied = tantivy_index.apply_outbox()
        self.stdout.write(f"已套用索引待辦 {roc.format_count(applied, '筆')}")

    def _search(self, query: str, options: dict) -> None:
        user = None
        if options["username"]:
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"找不到帳號 {options['username']}。", returncode=USAGE_ERROR)
        if options["limit"] < 1:
            raise CommandError("--limit 須為正整數。", returncode=USAGE_ERROR)
        filters = Filters(
            kinds=tuple(options["kind"]), statuses=tuple(options["status"]), order=options["order"]
        )
        results = selectors.search(user, query, filters, per_page=options["limit"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(_as_json(results), ensure_ascii=False, indent=2))
            return
        count = roc.format_count(results.total, "筆") + ("以上" if results.capped else "")
        self.stdout.write(f"「{query}」共 {count}")
        for hit in results.hits:
            doc = hit.document
            self.stdout.write(
                f"{roc.format_date(doc.date, 'slash')}  {hit.kind_label}  {doc.title}  {doc.url}"
            )


def _as_json(results) -> dict:
    labels = registry.kind_labels()
    return {
        "total": results.total,
        "capped": results.capped,
        "hits": [
            {
                "source": hit.document.source,
                "id": hit.document.object_id,
                "kind": hit.document.kind,
                "kind_label": labels.get(hit.document.kind, hit.document.kind),
                "title": hit.document.title,
                "date": hit.document.date.isoformat(),
                "status": hit.document.status,
                "url": hit.document.url,
            }
            for hit in results.hits
        ],
    }
