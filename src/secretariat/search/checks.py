"""`secretariat check`: how far tantivy's index is behind the records (the outbox lag)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

# An outbox row older than this means no indexer is running (the worker applies within
# seconds).
STALE_AFTER_SECONDS = 300


def index_in_step(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """Nothing when the outbox is empty; the number of waiting records and the oldest one's age
    otherwise — a warning when it is older than STALE_AFTER_SECONDS; a warning when the index
    is empty but the database has documents (a new installation of the index: reindex).

    Runs on the default database also when `check` names none: it is one cheap query, and
    the lag is what an operator runs `check` for."""
    from secretariat.search.models import IndexOutbox, SearchDocument

    if settings.SEARCH_BACKEND != "tantivy":
        return []
    alias = DEFAULT_DB_ALIAS
    if databases is not None and alias not in databases:
        return []
    tables = connections[alias].introspection.table_names()
    if IndexOutbox._meta.db_table not in tables:
        return []  # not migrated yet
    messages = []
    waiting = IndexOutbox.objects.using(alias).order_by("id")
    oldest = waiting.values_list("queued_at", flat=True).first()
    if oldest is not None:
        age = (timezone.now() - oldest).total_seconds()
        text = f"檢索索引待辦 {waiting.count()} 筆，最舊者已等候 {age:.0f} 秒。"
        if age > STALE_AFTER_SECONDS:
            messages.append(
                checks.Warning(
                    text,
                    hint="索引程序（secretariat worker）似未執行；可執行 secretariat search apply。",
                    id="search.W001",
                )
            )
        else:
            messages.append(checks.Info(text, id="search.I001"))
    from secretariat.search import tantivy_index

    if SearchDocument.objects.using(alias).exists() and not tantivy_index.has_documents():
        messages.append(
            checks.Warning(
                "檢索索引為空，但資料庫有可檢索的紀錄。",
                hint="執行 secretariat search reindex 重建索引。",
                id="search.W002",
            )
        )
    return messages
