"""The search engines behind one interface.

* ``TantivyBackend`` (``SEARCH_BACKEND=tantivy``, the default): tantivy's index in its own
  directory, kept in step through an outbox (``tantivy_index``).
* ``SqliteBackend`` and ``PostgresBackend`` (``SEARCH_BACKEND=database``): the token index inside
  the database — SQLite FTS5, or a ``tsvector`` of the same bigrams with a GIN index — written in
  the same transaction as the document row.

The interface: ``changed`` (inside the record's transaction: rows removed and added, records
touched), ``forget`` / ``restore`` / ``rebuilt`` (``search reindex``: in its transaction, and
after it), ``clear`` (the index table was emptied), ``matches`` (the hits of a query for a
person, counted and paged).

Both database engines index the tokens of ``text.tokens`` over a document's match title and
body. What differs is how a term is looked up:

* FTS5 keeps positions, so a term is a phrase of its consecutive tokens: exact, nothing to
  check afterwards.
* The ``tsvector`` holds each distinct token once (``array_to_tsvector``: no positions, so no
  16,383-position limit and no 256-positions-per-lexeme cut): a term is the AND of its tokens,
  and the candidates are checked for the term itself (``check`` in SQL where every match is
  counted, ``holds`` in Python on the few rows of a page). A term of one bigram or one
  character needs no check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import BooleanField, Q, Value
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from secretariat.search.text import Term, tokens

TABLE = "search_searchdocument"
FTS_TABLE = "search_index_fts"

# (document id, match title, match body)
Row = tuple[int, str, str]


def _token_text(row: Row) -> str:
    return " ".join(tokens(row[1]) + tokens(row[2]))


class DatabaseBackend:
    """The token index in the database, written in the record's transaction."""

    name = "database"

    def changed(
        self, source_key: str, removed: Sequence[Row], added: Sequence[Row], touched: set[int]
    ) -> None:
        self.remove(removed)
        self.add(added)

    def forget(self, stored, every_source: bool) -> None:
        """Reindex, before the stored rows are deleted."""
        if every_source:
            self.clear()
        else:
            self.remove([(r.id, r.match_title, r.match_body) for r in stored])

    def restore(self, rows: Sequence[Row]) -> None:
        """Reindex: the new rows, in its transaction."""
        self.add(rows)

    def rebuilt(self, source_keys: list[str], every_source: bool) -> None:
        """Reindex, after its transaction."""
        self.optimize()

    def matches(self, user, terms: list[Term], filters, first: int = 0):
        from secretariat.search.selectors import DatabaseMatches

        return DatabaseMatches(self, user, terms, filters)


class SqliteBackend(DatabaseBackend):
    vendor = "sqlite"

    def install(self, cursor) -> None:
        # Contentless: the tokens are not stored twice; a delete names the tokens it removes,
        # which are recomputed from the stored match text (the same function, the same text).
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "tokens, content='', tokenize='ascii')"
        )

    def uninstall(self, cursor) -> None:
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    def add(self, rows: Sequence[Row]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE}(rowid, tokens) VALUES (%s, %s)",
                [(row[0], _token_text(row)) for row in rows],
            )

    def remove(self, rows: Sequence[Row]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, tokens) VALUES ('delete', %s, %s)",
                [(row[0], _token_text(row)) for row in rows],
            )

    def clear(self, using: str = DEFAULT_DB_ALIAS) -> None:
        with connections[using].cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")

    @staticmethod
    def match_expression(terms: Iterable[Term]) -> str:
        phrases = []
        for term in terms:
            wanted, prefix = term.phrase_tokens()
            phrase = " + ".join(f'"{token}"' for token in wanted)
            phrases.append(phrase + " *" if prefix else phrase)
        return " AND ".join(phrases)

    def candidates(self, terms: list[Term]) -> Q:
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        return Q(id__in=RawSQL(sql, [self.match_expression(terms)]))

    def unchecked(self, terms: list[Term]) -> list[Term]:
        """A phrase of consecutive tokens is exact: nothing to check."""
        return []


class TokensMatch(Expression):
    """``<table>.tokens @@ <tsquery>`` for the ``tokens`` column, which is not a model field,
    under whatever alias the table has in the query (a subquery relabels it)."""

    output_field = BooleanField()

    def __init__(self, tsquery: str, alias: str | None = None):
        super().__init__()
        self.tsquery, self.alias = tsquery, alias

    def resolve_expression(self, query=None, *args, **kwargs):
        return TokensMatch(self.tsquery, query.get_initial_alias())

    def relabeled_clone(self, change_map):
        return TokensMatch(self.tsquery, change_map.get(self.alias, self.alias))

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.alias)
        return f"{table}.tokens @@ %s::tsquery", [self.tsquery]


class PostgresBackend(DatabaseBackend):
    vendor = "postgresql"

    def install(self, cursor) -> None:
        cursor.execute(
            f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS tokens tsvector NOT NULL DEFAULT ''"
        )
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS searchdocument_tokens ON {TABLE} USING gin (tokens)"
        )

    def uninstall(self, cursor) -> None:
        cursor.execute("DROP INDEX IF EXISTS searchdocument_tokens")
        cursor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS tokens")

    def add(self, rows: Sequence[Row]) -> None:
        if not rows:
            return
        ids = [row[0] for row in rows]
        # Distinct tokens, space-separated (a token never holds an ASCII space).
        texts = [" ".join(sorted(set(tokens(row[1]) + tokens(row[2])))) for row in rows]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} AS d SET tokens = array_to_tsvector(string_to_array(v.toks, ' '))"
                " FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::text[]) AS toks) AS v"
                " WHERE d.id = v.id",
                [ids, texts],
            )

    def remove(self, rows: Sequence[Row]) -> None:
        """The tokens go with the row."""

    def clear(self, using: str = DEFAULT_DB_ALIAS) -> None:
        """The tokens go with the rows."""

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")

    @staticmethod
    def tsquery(terms: Iterable[Term]) -> str:
        parts = []
        for term in terms:
            wanted, prefix = term.index_tokens()
            parts.extend(f"'{token}'" for token in sorted(wanted))
            if prefix is not None:
                parts.append(f"'{prefix}':*")
        return " & ".join(parts)

    def candidates(self, terms: list[Term]) -> Q:
        return Q(TokensMatch(self.tsquery(terms)))

    def unchecked(self, terms: list[Term]) -> list[Term]:
        """Terms the AND of tokens does not answer exactly: all but one bigram or one
        character."""
        return [t for t in terms if not (len(t.runs) == 1 and len(t.runs[0]) <= 2)]


def check(terms: list[Term]) -> Q:
    """The rows whose match text holds every term itself (``strpos``: the check that candidates
    of an inexact index pass)."""
    condition = Q()
    for term in terms:
        needle = Value(term.text)
        condition &= Q(GreaterThan(StrIndex("match_title", needle), 0)) | Q(
            GreaterThan(StrIndex("match_body", needle), 0)
        )
    return condition


def holds(match_title: str, match_body: str, terms: list[Term]) -> bool:
    """The same check on a row already read."""
    return all(t.text in match_title or t.text in match_body for t in terms)


class TantivyBackend:
    """tantivy's index, in step through the outbox (``tantivy_index``)."""

    name = "tantivy"

    def changed(
        self, source_key: str, removed: Sequence[Row], added: Sequence[Row], touched: set[int]
    ) -> None:
        from secretariat.search import tantivy_index

        tantivy_index.changed(source_key, touched)

    def forget(self, stored, every_source: bool) -> None:
        """The old entries answer until the rebuild commits."""

    def restore(self, rows: Sequence[Row]) -> None:
        """Read back from the rows by ``rebuilt``."""

    def rebuilt(self, source_keys: list[str], every_source: bool) -> None:
        from secretariat.search import tantivy_index

        tantivy_index.rebuild(source_keys, every_source)

    def clear(self, using: str = DEFAULT_DB_ALIAS) -> None:
        from secretariat.search import tantivy_index

        tantivy_index.clear()

    def matches(self, user, terms: list[Term], filters, first: int = 0):
        from secretariat.search import tantivy_index

        return tantivy_index.Matches(user, terms, filters, first)


def backend_for(vendor: str) -> SqliteBackend | PostgresBackend:
    """The database's own engine (installed by the migrations whatever the setting)."""
    return PostgresBackend() if vendor == "postgresql" else SqliteBackend()


def backend() -> TantivyBackend | SqliteBackend | PostgresBackend:
    """The engine in use (``SEARCH_BACKEND``)."""
    if settings.SEARCH_BACKEND == "tantivy":
        return TantivyBackend()
    return backend_for(connection.vendor)
