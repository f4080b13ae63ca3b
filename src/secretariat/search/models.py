"""The search index: one row per searchable record, kept in step with the record.

The row is derived state — the record is the business record and carries the audit trail; the
index is rebuilt from the records by ``secretariat search reindex`` at any time. Beside the
row each engine keeps its token index (``backends``): an FTS5 table on SQLite, a ``tsvector``
column with a GIN index on PostgreSQL, both over the bigrams of ``match_title`` and
``match_body``.
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
