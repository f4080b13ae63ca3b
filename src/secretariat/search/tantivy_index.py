"""The embedded search engine: a tantivy index in ``SEARCH_INDEX_DIR``, fed with the project's
own tokens (``text.tokens``) through an outbox.

**What is indexed.** One tantivy document per ``SearchDocument`` row: the tokens of its match
title and match body, each in its own field and separated by spaces, read by tantivy's
whitespace tokenizer — so every token has its real position and a phrase of consecutive tokens
means exactly "contains this substring" (tantivy's own n-gram tokenizer puts every gram at
position 0 and would lose adjacency). The same texts are indexed again as trigrams
(``title3``/``body3``, counts only) and four-grams (``title4``/``body4``, with positions;
``text.tokens(text, n)``): a frequent three- or four-character term (主管機關: a million records
at 5,000,000) is then one token's postings instead of a phrase of bigrams whose every match
must be checked position by position — about ten times faster. Beside the tokens: ``source`` and ``object_id`` (stored:
which record a hit is), the kind, status and lead agency (the filters), the holders of
the record (the scope), the day (date ranges) and ``newest`` (a fast field: the day, then the
row id — the newest-first order of the other engines). No text is stored: a page reads its
rows from the database, for the snippet and to drop a record deleted since.

**How a term is found.** A term of one run of three characters or more is its gram (its
length, at most ``LONGEST_GRAM``) or the phrase of overlapping four-grams that cover it
(``Term.gram_phrase``); any other term is the phrase of its bigram tokens
(``Term.phrase_tokens``) in the title or in the body; one token is a term query; a term whose
last run is one character ends in a prefix (a regex over the term dictionary, every
expansion: exact). Every way finds exactly the records whose match text holds the term. Scope and filters are
clauses of the same query, so the engine never returns a record the person may not see.

**Relevance** (相關程度) is tantivy's BM25 over those tokens and phrases (of the field the
term is looked up in), a term found in the title weighing ``TITLE_BOOST`` times one found in
the body; ties keep the index order.

**Consistency.** ``changed`` writes an ``IndexOutbox`` row per changed record in the record's
own transaction; ``apply_outbox`` (the job worker, or the writing process right after its
commit with ``SEARCH_INDEXING=commit``) applies the rows, commits the index, then deletes them.
One process writes at a time (``indexer.lock``, an exclusive ``flock``); readers follow commits
(the reader reloads on each new commit; the writing process reloads at once).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import connection, transaction

from secretariat.search.text import Term, tokens

# A new schema goes to a new directory: the old index is left for `search reindex` to replace.
SCHEMA_VERSION = 2
TOKENIZER = "secretariat_tokens"
TITLE_BOOST = 2.0
# The longer grams indexed beside the bigrams: gram length → how it is indexed (a three-
# character term is one trigram: counts suffice; longer terms are phrases of four-grams).
GRAMS = {3: "freq", 4: "position"}
LONGEST_GRAM = max(GRAMS)
# Outbox rows applied and committed at a time, and the writer's memory (tantivy's minimum is
# 15 MB a thread); a rebuild gets more memory, so fewer segments to merge.
BATCH = 5000
WRITER_HEAP = 50_000_000
REBUILD_HEAP = 400_000_000
ID_BITS = 40  # newest = day << ID_BITS | row id

_opened: dict[Path, tantivy.Index] = {}
_opening = threading.Lock()
_writing = threading.Lock()
# Whether this process wrote the index since it last emptied it (tests empty it after each
# test: a rolled-back test's documents must not answer for the next one).
_written = False


def directory() -> Path:
    return Path(settings.SEARCH_INDEX_DIR) / f"v{SCHEMA_VERSION}"


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("source", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("object_id", stored=True, fast=True)
    builder.add_text_field("kind", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("status", tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("agency", indexed=True)
    builder.add_text_field("holders", tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("day", indexed=True, fast=True)
    builder.add_unsigned_field("newest", fast=True)
    for field in ("title", "body"):
        builder.add_text_field(field, tokenizer_name=TOKENIZER, index_option="position")
        for n, option in GRAMS.items():
            builder.add_text_field(f"{field}{n}", tokenizer_name=TOKENIZER, index_option=option)
    return builder.build()


@contextmanager
def _locked() -> Iterator[None]:
    """The one writer of the index, across threads and processes."""
    with _writing:
        directory().mkdir(parents=True, exist_ok=True)
        with open(Path(settings.SEARCH_INDEX_DIR) / "indexer.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _exists(path: Path) -> bool:
    return (path / "meta.json").exists()


def index() -> tantivy.Index:
    """This process's handle on the index (created empty when there is none yet)."""
    path = directory()
    with _opening:
        if path not in _opened:
            if not _exists(path):
                with _locked():
                    tantivy.Index(_schema(), path=str(path), reuse=True)
            opened = tantivy.Index.open(str(path))
            opened.register_tokenizer(
                TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
            )
            opened.config_reader("commit")
            _opened[path] = opened
        return _opened[path]


@contextmanager
def _writer(heap: int = WRITER_HEAP) -> Iterator[tantivy.IndexWriter]:
    """A writer, held by this process alone; committed (and the readers reloaded) when the
    block ends without an error, dropped with its changes otherwise."""
    global _written
    opened = index()  # before the lock: opening may take it to create the index
    with _locked():
        writer = opened.writer(heap, 1)
        try:
            yield writer
        except BaseException:
            writer.rollback()
            raise
        writer.commit()
        writer.wait_merging_threads()
        opened.reload()
        _written = True


# --- Writing -----------------------------------------------------------------------------------


def changed(source_key: str, object_ids: Iterable[int]) -> None:
    """Inside the record's transaction: these records' index entries must follow."""
    from secretariat.search.models import IndexOutbox

    entries = [IndexOutbox(source=source_key, object_id=i) for i in sorted(set(object_ids))]
    if not entries:
        return
    IndexOutbox.objects.bulk_create(entries, batch_size=BATCH)
    if settings.SEARCH_INDEXING == "commit":
        transaction.on_commit(apply_outbox, robust=True)
    else:
        from secretariat.search.tasks import enqueue_apply

        enqueue_apply()


def _document(row: dict) -> tantivy.Document:
    document = tantivy.Document()
    document.add_text("key", f"{row['source']}:{row['object_id']}")
    document.add_text("source", row["source"])
    document.add_unsigned("object_id", row["object_id"])
    document.add_text("kind", row["kind"])
    if row["status"]:
        document.add_text("status", row["status"])
    if row["agency_id"] is not None:
        document.add_unsigned("agency", row["agency_id"])
    for key in row["holders"]:
        document.add_text("holders", key)
    day = row["date"].toordinal()
    document.add_unsigned("day", day)
    document.add_unsigned("newest", day << ID_BITS | row["id"])
    for field in ("title", "body"):
        text = row[f"match_{field}"]
        document.add_text(field, " ".join(tokens(text)))
        for n in GRAMS:
            document.add_text(f"{field}{n}", " ".join(tokens(text, n)))
    return document


_ROW_FIELDS = (
    "id",
    "source",
    "object_id",
    "kind",
    "status",
    "agency_id",
    "holders",
    "date",
    "match_title",
    "match_body",
)


def _upsert(writer: tantivy.IndexWriter, records: Iterable[tuple[str, int]]) -> None:
    """Each record's entry as its row now stands; removed where it has no row."""
    from secretariat.search.models import SearchDocument

    by_source: dict[str, set[int]] = defaultdict(set)
    for source, object_id in records:
        by_source[source].add(object_id)
    for source, ids in by_source.items():
        rows = SearchDocument.objects.filter(source=source, object_id__in=ids)
        for row in rows.values(*_ROW_FIELDS):
            writer.delete_documents_by_term("key", f"{source}:{row['object_id']}")
            writer.add_document(_document(row))
            ids.discard(row["object_id"])
        for object_id in ids:
            writer.delete_documents_by_term("key", f"{source}:{object_id}")


def apply_outbox() -> int:
    """The indexer: apply every outbox row to the index, commit, then delete the rows applied
    (rows written meanwhile wait for the next round). Returns the number of rows applied."""
    from secretariat.search.models import IndexOutbox

    applied = 0
    pending = IndexOutbox.objects.order_by("id").values_list("id", "source", "object_id")
    while entries := list(pending[:BATCH]):
        with _writer() as writer:
            entries = list(pending[:BATCH])  # read again under the lock: another may have run
            _upsert(writer, {(source, object_id) for _, source, object_id in entries})
        IndexOutbox.objects.filter(id__in=[entry[0] for entry in entries]).delete()
        applied += len(entries)
    return applied


def rebuild(source_keys: list[str], every_source: bool) -> None:
    """Rebuild the entries of these sources from their rows (and apply the outbox of the
    others); searches see the old entries until the commit."""
    from secretariat.search.models import IndexOutbox, SearchDocument

    with _writer(REBUILD_HEAP) as writer:
        pending = list(IndexOutbox.objects.values_list("id", "source", "object_id"))
        if every_source:
            writer.delete_all_documents()
        else:
            for key in source_keys:
                writer.delete_documents_by_term("source", key)
        rows = SearchDocument.objects.filter(source__in=source_keys).order_by("id")
        for row in rows.values(*_ROW_FIELDS).iterator(chunk_size=BATCH):
            writer.add_document(_document(row))
        _upsert(writer, {(s, o) for _, s, o in pending if s not in source_keys})
    for start in range(0, len(pending), BATCH):
        done = [entry[0] for entry in pending[start : start + BATCH]]
        IndexOutbox.objects.filter(id__in=done).delete()


def build_if_new() -> int | None:
    """After ``migrate``: when this release's index (its ``SCHEMA_VERSION`` directory) does not
    exist yet but the database has rows — an upgrade to a new index schema — build it from the
    rows, as ``search reindex`` does after rewriting them. The number of entries built; None when
    the index was there already."""
    from secretariat.search.models import SearchDocument

    if has_documents():
        return None
    sources = sorted(set(SearchDocument.objects.values_list("source", flat=True).distinct()))
    rebuild(sources, True)
    return index().searcher().num_docs


def clear() -> None:
    """Empty the index (the database's index table was emptied: `flush`, a test's end)."""
    global _written
    with _writer() as writer:
        writer.delete_all_documents()
    _written = False


def clear_if_written() -> None:
    """Empty the index if this process wrote it since it was last emptied (after a test)."""
    if _written:
        clear()


def apply_before_reading() -> None:
    """With SEARCH_INDEXING=commit, a search inside a transaction first applies the outbox it
    can see: that transaction's own uncommitted changes (a test's, which never commit)."""
    from secretariat.search.models import IndexOutbox

    if settings.SEARCH_INDEXING == "commit" and connection.in_atomic_block:
        if IndexOutbox.objects.exists():
            apply_outbox()


# --- Reading -----------------------------------------------------------------------------------


def _text_query(schema: tantivy.Schema, field: str, term: Term) -> tantivy.Query:
    covered = term.gram_phrase(LONGEST_GRAM)
    if covered is not None:
        n, grams = covered
        if len(grams) == 1:
            return tantivy.Query.term_query(schema, f"{field}{n}", grams[0][1], index_option="freq")
        return tantivy.Query.phrase_query(schema, f"{field}{n}", grams)
    wanted, prefix = term.phrase_tokens()
    if prefix:
        if len(wanted) == 1:
            return tantivy.Query.regex_query(schema, field, re.escape(wanted[0]) + ".*")
        words = [re.escape(token) for token in wanted[:-1]] + [re.escape(wanted[-1]) + ".*"]
        return tantivy.Query.regex_phrase_query(schema, field, words)
    if len(wanted) == 1:
        return tantivy.Query.term_query(schema, field, wanted[0], index_option="freq")
    return tantivy.Query.phrase_query(schema, field, wanted)


def term_query(schema: tantivy.Schema, term: Term) -> tantivy.Query:
    """The records holding the term in their title (boosted) or body."""
    title = tantivy.Query.boost_query(_text_query(schema, "title", term), TITLE_BOOST)
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, title), (tantivy.Occur.Should, _text_query(schema, "body", term))]
    )


def _filter(query: tantivy.Query) -> tantivy.Query:
    """A clause that narrows without changing the relevance score."""
    return tantivy.Query.const_score_query(query, 0.0)


def _scope_query(schema: tantivy.Schema, user) -> tantivy.Query | None:
    """What the person may see of every source (None: everything)."""
    from secretariat.search import registry

    if user is None:
        return None
    parts = []
    for key, source in registry.SOURCES.items():
        of_source = tantivy.Query.term_query(schema, "source", key)
        scope = source.scope(user)
        if scope is None:
            parts.append((tantivy.Occur.Should, of_source))
            continue
        seen = []
        if scope.kinds:
            seen.append(tantivy.Query.term_set_query(schema, "kind", sorted(scope.kinds)))
        if scope.holders:
            seen.append(tantivy.Query.term_set_query(schema, "holders", sorted(scope.holders)))
        if seen:
            either = tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in seen])
            both = [(tantivy.Occur.Must, of_source), (tantivy.Occur.Must, either)]
            parts.append((tantivy.Occur.Should, tantivy.Query.boolean_query(both)))
    if not parts:
        return tantivy.Query.empty_query()
    return tantivy.Query.boolean_query(parts)


def query(schema: tantivy.Schema, user, terms: list[Term], filters) -> tantivy.Query:
    """Every term, inside the person's scope, narrowed by the filters."""
    clauses = [(tantivy.Occur.Must, term_query(schema, term)) for term in terms]
    narrowing = []
    scope = _scope_query(schema, user)
    if scope is not None:
        narrowing.append(scope)
    if filters.kinds:
        narrowing.append(tantivy.Query.term_set_query(schema, "kind", list(filters.kinds)))
    if filters.statuses:
        narrowing.append(tantivy.Query.term_set_query(schema, "status", list(filters.statuses)))
    if filters.agency_id is not None:
        narrowing.append(tantivy.Query.term_query(schema, "agency", filters.agency_id))
    if filters.date_from or filters.date_to:
        narrowing.append(
            tantivy.Query.range_query(
                schema,
                "day",
                tantivy.FieldType.Unsigned,
                filters.date_from.toordinal() if filters.date_from else 0,
                (filters.date_to or dt.date.max).toordinal(),
            )
        )
    clauses += [(tantivy.Occur.Must, _filter(q)) for q in narrowing]
    return tantivy.Query.boolean_query(clauses)


class Matches:
    """The hits as the paginator sees them: the engine counts (up to COUNT_LIMIT) and orders;
    a page reads its rows from the database by (source, record), checked once more against
    what the person may see, and drops a record the index still has but the database no
    longer does (between a change and the indexer's commit). The count and the first
    ``first`` hits are one pass of the engine."""

    def __init__(self, user, terms: list[Term], filters, first: int = 0):
        apply_before_reading()
        opened = index()
        self.user, self.first = user, first
        self.searcher = opened.searcher()
        self.query = query(opened.schema, user, terms, filters)
        self.newest = filters.order != "relevance"
        self._first_keys: list[tuple[str, int]] | None = None

    def _search(self, limit: int, offset: int = 0, count: bool = False):
        if self.newest:
            return self.searcher.search(
                self.query, limit, count=count, order_by_field="newest", offset=offset
            )
        return self.searcher.search(self.query, limit, count=count, offset=offset)

    def _keys_of(self, hits) -> list[tuple[str, int]]:
        keys = []
        for _, address in hits:
            stored = self.searcher.doc(address)
            keys.append((stored["source"][0], stored["object_id"][0]))
        return keys

    def count(self) -> int:
        from secretariat.search.selectors import COUNT_LIMIT

        found = self._search(max(self.first, 1), count=True)
        if self.first:
            self._first_keys = self._keys_of(found.hits)
        return min(found.count, COUNT_LIMIT)

    def keys(self, start: int, stop: int) -> list[tuple[str, int]]:
        """The (source, record) of the hits from ``start`` to ``stop``: the engine's part."""
        if stop <= start:
            return []
        if self._first_keys is not None and stop <= self.first:
            return self._first_keys[start:stop]
        return self._keys_of(self._search(stop - start, offset=start).hits)

    def __getitem__(self, window: slice) -> list:
        from secretariat.search.models import SearchDocument
        from secretariat.search.selectors import visible

        keys = self.keys(window.start or 0, window.stop)
        by_source: dict[str, list[int]] = defaultdict(list)
        for source, object_id in keys:
            by_source[source].append(object_id)
        rows = SearchDocument.objects.none()
        for source, ids in by_source.items():
            rows |= SearchDocument.objects.filter(source=source, object_id__in=ids)
        rows = rows.filter(visible(self.user)).select_related("agency").defer("holders")
        found = {(row.source, row.object_id): row for row in rows}
        return [found[key] for key in keys if key in found]

    def every(self) -> set[tuple[str, int]]:
        """Every hit as (source, record), unpaged and unchecked: the engine's answer."""
        from secretariat.search import registry

        hits: set[tuple[str, int]] = set()
        schema = index().schema
        for key in registry.SOURCES:
            of_source = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, self.query),
                    (tantivy.Occur.Must, tantivy.Query.term_query(schema, "source", key)),
                ]
            )
            total = self.searcher.search(of_source, 1, count=True).count
            if total:
                found = self.searcher.search(of_source, total, order_by_field="newest")
                addresses = [address for _, address in found.hits]
                hits.update(
                    (key, i) for i in self.searcher.fast_field_values("object_id", addresses)
                )
        return hits


def has_documents() -> bool:
    """Whether the index holds any entry (without creating one where there is none)."""
    if not _exists(directory()):
        return False
    return index().searcher().num_docs > 0
