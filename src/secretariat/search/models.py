"""The search index: one row per searchable record, kept in step with the record.

The row is derived state — the record is the business record and carries the audit trail; the
index is rebuilt from the records by ``secretariat search reindex`` at any time. Beside the
row the engine keeps its token index over the bigrams of ``match_title`` and ``match_body``:
tantivy's index directory (``tantivy_index``), fed from :class:`IndexOutbox`; or, with
``SEARCH_BACKEND=database``, an FTS5 table on SQLite or a ``tsvector`` column with a GIN index
on PostgreSQL, written in the same transaction (``backends``).
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    id = models.BigAutoField(primary_key=True)
    source = models.CharField("來源", max_length=30)
    object_id = models.BigIntegerField("紀錄編號")
    kind = models.CharField("類別", max_length=30)
    status = models.CharField("狀態", max_length=20, blank=True)
    agency = models.ForeignKey(
        "core.Agency",
        verbose_name="機關",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    date = models.DateField("日期")
    url = models.CharField("網址", max_length=200)
    title = models.CharField("標題", max_length=300)
    body = models.TextField("內容")
    # The projection of title and body (core.zh.project, white space collapsed): what the
    # terms are looked for in, and what the tokens are made of.
    match_title = models.TextField()
    match_body = models.TextField()
    length = models.PositiveIntegerField("長度")
    # Who holds the record (registry.Scope, e.g. "a:12", "u:34"): the engine's own scoping.
    holders = models.JSONField("可見者", default=list)

    class Meta:
        verbose_name = "檢索索引"
        verbose_name_plural = "檢索索引"
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="searchdocument_record")
        ]
        indexes = [
            models.Index(fields=["-date", "-id"], name="searchdocument_newest"),
            models.Index(fields=["kind", "-date"], name="searchdocument_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.object_id} {self.title}"


class IndexOutbox(models.Model):
    """檢索索引待辦: a record whose index entry must be brought in step, written in the same
    transaction as the record's change. The indexer (one process at a time) applies the rows to
    tantivy's index, commits it, and only then deletes them: after a crash it starts again from
    what is left. A row says which record, not what changed: the indexer reads the record's
    current ``SearchDocument`` (none: it is removed), so rows may be applied in any order and
    more than once."""

    id = models.BigAutoField(primary_key=True)
    source = models.CharField("來源", max_length=30)
    object_id = models.BigIntegerField("紀錄編號")
    queued_at = models.DateTimeField("登記時間", auto_now_add=True)

    class Meta:
        verbose_name = "檢索索引待辦"
        verbose_name_plural = "檢索索引待辦"

    def __str__(self) -> str:
        return f"{self.source}:{self.object_id}"
