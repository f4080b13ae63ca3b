"""Benchmark of the search (issues 6 and 24) on real text: every article of the national laws
database (../shared/data/moj_laws.jsonl.gz, 218,139 articles) as a searchable record, on every
engine of the database in use, side by side — tantivy, and the database's own (SQLite FTS5 or
the PostgreSQL tsvector).

    .venv/bin/python bench/search/run.py                       # SQLite: tantivy and FTS5
    python scripts/pgcluster.py -- .venv/bin/python bench/search/run.py   # PostgreSQL
    nice -n 10 .venv/bin/python bench/search/run.py --variants 23 --engines tantivy  # 5,016,197

Options: --laws FILE, --aliases FILE (default: ../shared/data/), --articles N (a prefix, for a
quick run), --names N and --terms N (how many law names and frequent terms to query),
--engines (default: tantivy,database), --variants K (K records per article: the article with
its title marked 「 vk」 and its date k·97 days earlier — a corpus of K × 218,139 records).

Records: title = law name + article number, body = the article, date = 最新異動日期. With one
variant the rows and each engine's index are built by ``secretariat search reindex`` from a
registered source (the build time is the command's); with more, the rows are written in bulk
(raw SQL, the same values as ``reindex``) and the build time is tantivy's rebuild from them. Queries: every alias of
moj_law_aliases.json, law names, and the most frequent 2–4 character terms of the articles; the
most frequent single characters apart. Ground truth: a plain substring scan of the original
text (recall) and of its projection (the search's own semantics: every hit, and the exact
newest-first top-20 — and for the database engines the ranked top-20 — computed in Python;
tantivy's ranked top-20 must be the raw engine's BM25 top-20). With variants the truth is the
articles' truth times the variants (no term of a query fits inside the mark, a run of its own: checked).

Timed for each query, after a warm-up, the fastest of three runs (the machine is shared):

* ``page``: what the search page does — the count (up to 1,000), the top-20 with their rows
  read from the database, the highlighted title and snippet of each; ``page_cpu`` the same as
  this process's CPU time (the page without the waits of a busy machine; on PostgreSQL without
  the database server's own work);
* ``engine``: the search layer's part without the rows and highlighting — on tantivy the count
  and the top-20's ids, one pass of the engine; on the database engines the top-20 rows (the
  ids come with them) without the count, a query of its own;
* ``raw``: the same top-20 straight on the engine, no search layer (tantivy: the query of
  the terms alone, with its count, ids from the fast field; FTS5 ``MATCH`` ordered by date / by
  ``rank`` (bm25); ``tokens @@ tsquery`` ordered by date / by ``ts_rank``).

Prints one JSON object; results are kept in docs/performance.md.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import functools
import gzip
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))
DB_NAME = "bench_search"
TOP = 20
# One-character queries are measured apart: allowed to be slower (prefix queries).
SINGLE_CHARACTERS = 20
VARIANT_DAYS = 97
ROW_BATCH = 20000


def _setup(reuse: Path | None = None) -> str:
    """A fresh database (SQLite: a file in a new folder, with the index beside it in
    ``index/``; or ``reuse``, such a folder of an earlier run) and its tantivy index folder."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
            connection.execute(
                f"CREATE DATABASE {DB_NAME} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{DB_NAME}"))
        os.environ["SEARCH_INDEX_DIR"] = tempfile.mkdtemp()
    else:
        folder = reuse or Path(tempfile.mkdtemp())
        os.environ["SQLITE_PATH"] = str(folder / "bench.sqlite3")
        os.environ["SEARCH_INDEX_DIR"] = str(folder / "index")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    os.environ.setdefault("SECRETARIAT_DATA_DIR", tempfile.mkdtemp())
    os.environ["SEARCH_INDEXING"] = "commit"  # the indexer is this process
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    return connection.vendor


def _law_date(text: str) -> dt.date:
    """YYYYMMDD; one law gives only its year (19460000): 1 January of that year."""
    year, month, day = int(text[:4] or 1900), int(text[4:6] or 1), int(text[6:8] or 1)
    return dt.date(year, month or 1, day or 1)


def read_articles(path: Path, limit: int | None) -> list[dict]:
    articles = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            law = json.loads(line)
            pcode = law["法規網址"].rsplit("pcode=", 1)[-1]
            date = _law_date(law.get("最新異動日期") or "")
            for item in law.get("法規內容") or []:
                if "條號" not in item:
                    continue
                articles.append(
                    {
                        "id": len(articles) + 1,
                        "law": law["法規名稱"],
                        "pcode": pcode,
                        "title": f"{law['法規名稱']} {item['條號']}",
                        "body": item.get("條文內容") or "",
                        "date": date,
                    }
                )
                if limit and len(articles) >= limit:
                    return articles
    return articles


class Corpus:
    """The records: ``variants`` of each article; record ``k·n + id`` is variant k of article
    ``id`` (k from 0: the article itself)."""

    def __init__(self, articles: list[dict], variants: int):
        self.articles, self.variants, self.n = articles, variants, len(articles)

    def __len__(self) -> int:
        return self.n * self.variants

    def record(self, object_id: int) -> tuple[dict, int]:
        k, index = divmod(object_id - 1, self.n)
        return self.articles[index], k

    @staticmethod
    def title(article: dict, k: int) -> str:
        return article["title"] + (f" v{k}" if k else "")

    @staticmethod
    def date(article: dict, k: int) -> dt.date:
        return max(dt.date(1, 1, 1), article["date"] - dt.timedelta(days=VARIANT_DAYS * k))

    def documents(self, ids):
        from secretariat.search.registry import Document

        wanted = range(1, len(self) + 1) if ids is None else sorted(ids)
        for object_id in wanted:
            article, k = self.record(object_id)
            yield Document(
                object_id=object_id,
                kind="law_article",
                title=self.title(article, k),
                body=article["body"],
                date=self.date(article, k),
                url=f"https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode={article['pcode']}",
            )


def register_source(corpus: Corpus) -> None:
    from secretariat.search import registry
    from secretariat.search.registry import Source

    registry.register(
        Source(
            key="laws",
            label="法規條文",
            documents=corpus.documents,
            visible=lambda user: None,  # public records: no agency scope
            scope=lambda user: None,
            kinds=lambda: {"law_article": "法規條文"},
        )
    )


def write_rows(corpus: Corpus) -> float:
    """The index rows of every record, in bulk (for the variant corpus): seconds taken. The
    rows are what ``services.reindex`` writes; each article's match text is computed once for
    all its variants (the title's mark is a run of its own)."""
    from django.db import connection, transaction

    from secretariat.search.models import SearchDocument
    from secretariat.search.text import match_form

    start = time.perf_counter()
    SearchDocument.objects.all().delete()
    table = SearchDocument._meta.db_table
    sql = (
        f"INSERT INTO {table} (source, object_id, kind, status, date, url, title, body, "
        "match_title, match_body, length, holders) "
        "VALUES (%s, %s, %s, '', %s, %s, %s, %s, %s, %s, %s, '[]')"
    )
    matched = [(match_form(a["title"]), match_form(a["body"])) for a in corpus.articles]
    batch = []
    for object_id in range(1, len(corpus) + 1):
        article, k = corpus.record(object_id)
        title, body = matched[article["id"] - 1]
        if k:
            title = f"{title} {match_form(f'v{k}')}"
        url = f"https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode={article['pcode']}"
        batch.append(
            (
                "laws",
                object_id,
                "law_article",
                corpus.date(article, k),
                url,
                corpus.title(article, k),
                article["body"],
                title,
                body,
                len(title) + len(body),
            )
        )
        if len(batch) == ROW_BATCH or object_id == len(corpus):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, batch)
            batch = []
    return time.perf_counter() - start


def frequent_terms(articles: list[dict], count: int, rng: random.Random):
    """The most frequent 2-, 3- and 4-character CJK terms of a sample of the articles, a third of
    each length, and the most frequent single characters."""
    from secretariat.core.zh import is_cjk

    sample = rng.sample(articles, min(len(articles), 20000))
    counters = {n: Counter() for n in (1, 2, 3, 4)}
    for article in sample:
        text = article["body"]
        for n, counter in counters.items():
            counter.update(
                text[i : i + n]
                for i in range(len(text) - n + 1)
                if all(is_cjk(ch) for ch in text[i : i + n])
            )
    terms, per_length = [], -(-count // 3)
    for n in (2, 3, 4):
        terms += [term for term, _ in counters[n].most_common(per_length)]
    singles = [term for term, _ in counters[1].most_common(SINGLE_CHARACTERS)]
    return terms[:count], singles


class Scan:
    """Ground truth by plain substring search over one concatenated text."""

    def __init__(self, articles: list[dict], transform):
        parts, self.starts, at = [], [], 0
        for article in articles:
            text = transform(article["title"]) + "\n" + transform(article["body"]) + "\x00"
            self.starts.append(at)
            parts.append(text)
            at += len(text)
        self.text = "".join(parts)
        self.ids = [article["id"] for article in articles]

    def find(self, needles: list[str]) -> set[int]:
        found = None
        for needle in needles:
            hits, start = set(), self.text.find(needle)
            while start != -1:
                index = bisect.bisect_right(self.starts, start) - 1
                hits.add(self.ids[index])
                start = self.text.find(
                    needle,
                    self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text),
                )
            found = hits if found is None else found & hits
        return found or set()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(values), 2),
        "p95_ms": round(percentile(values, 0.95), 2),
        "max_ms": round(max(values), 2),
    }


REPEAT = 3


def timed(fn, repeat: int = 1, cpu: list | None = None) -> tuple[float, object]:
    """Milliseconds of ``fn()`` — the fastest of ``repeat`` runs — and its value. The machine
    is shared: one timing of a millisecond query measures the scheduler as much as the query.
    With ``cpu``, the fastest run's CPU time of this thread is appended to it too (on SQLite
    all the work of the page; on PostgreSQL without the server's)."""
    best = best_cpu = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.thread_time()
        value = fn()
        ms = (time.perf_counter() - start) * 1000
        cpu_ms = (time.thread_time() - start_cpu) * 1000
        best = ms if best is None else min(best, ms)
        best_cpu = cpu_ms if best_cpu is None else min(best_cpu, cpu_ms)
    if cpu is not None:
        cpu.append(best_cpu)
    return best, value


def raw_queries(engine: str, vendor: str):
    """The top-20 queries straight to the engine, no search layer: (newest, ranked) callables
    of the parsed terms, each returning the top-20 record ids."""
    from django.db import connection

    from secretariat.search.backends import FTS_TABLE, TABLE, PostgresBackend, SqliteBackend

    if engine == "tantivy":
        import tantivy

        from secretariat.search import tantivy_index

        def run_tantivy(terms, newest):
            index = tantivy_index.index()
            searcher = index.searcher()
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, tantivy_index.term_query(index.schema, t)) for t in terms]
            )
            if newest:
                found = searcher.search(query, TOP, order_by_field="newest")
            else:
                found = searcher.search(query, TOP)
            return searcher.fast_field_values("object_id", [a for _, a in found.hits])

        return (lambda terms: run_tantivy(terms, True), lambda terms: run_tantivy(terms, False))

    if vendor == "sqlite":
        newest_sql = (
            f"SELECT d.object_id FROM {TABLE} d WHERE d.id IN (SELECT rowid FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s) ORDER BY d.date DESC, d.id DESC LIMIT {TOP}"
        )
        ranked_sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT {TOP}"
        )
        expression = SqliteBackend.match_expression
    else:
        newest_sql = (
            f"SELECT object_id FROM {TABLE} WHERE tokens @@ %s::tsquery "
            f"ORDER BY date DESC, id DESC LIMIT {TOP}"
        )
        ranked_sql = (
            f"SELECT id FROM {TABLE} WHERE tokens @@ %s::tsquery "
            f"ORDER BY ts_rank(tokens, %s::tsquery) DESC LIMIT {TOP}"
        )
        expression = PostgresBackend.tsquery

    def run(sql, terms, twice=False):
        query = expression(terms)
        with connection.cursor() as cursor:
            cursor.execute(sql, [query, query] if twice else [query])
            return [row[0] for row in cursor.fetchall()]

    return (
        lambda terms: run(newest_sql, terms),
        lambda terms: run(ranked_sql, terms, twice=vendor != "sqlite"),
    )


def engine_part(matches) -> list:
    """The search layer's part of a page without the rows and highlighting: on tantivy the count
    and the top-20's ids (one pass of the engine); on a database engine the top-20 rows (the
    ids come with them; the count is a query of its own, left out as the raw query has none)."""
    if hasattr(matches, "keys"):
        matches.count()
        return matches.keys(0, TOP)
    return [row.id for row in matches[0:TOP]]


def index_size_mb(engine: str, vendor: str) -> dict:
    from django.db import connection

    from secretariat.search import tantivy_index

    if engine == "tantivy":
        files = tantivy_index.directory().rglob("*")
        return {"tantivy_index_mb": round(sum(f.stat().st_size for f in files) / 1e6, 1)}
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("PRAGMA page_size")
            size = cursor.fetchone()[0]
            cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_index_fts%%'")
            fts = cursor.fetchone()[0] or 0
            return {"fts5_tables_mb": round(fts / 1e6, 1), "page_size": size}
        cursor.execute(
            "SELECT pg_relation_size('searchdocument_tokens'), "
            "pg_total_relation_size('search_searchdocument')"
        )
        gin, table = cursor.fetchone()
        return {"gin_index_mb": round(gin / 1e6, 1), "table_with_indexes_mb": round(table / 1e6, 1)}


def database_size_mb(vendor: str) -> float:
    from django.db import connection

    if vendor == "sqlite":
        path = Path(os.environ["SQLITE_PATH"])
        wal = path.with_name(path.name + "-wal")
        return round((path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)) / 1e6, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return round(cursor.fetchone()[0] / 1e6, 1)


def build(engine: str, corpus: Corpus, vendor: str) -> dict:
    """Build the engine's index (with the rows for one variant): the figures of the build."""
    from django.conf import settings

    from secretariat.search import services, tantivy_index

    settings.SEARCH_BACKEND = engine
    if corpus.variants == 1:
        seconds, rebuilt = timed(services.reindex)  # every source: the engine switched
        result = {
            "reindex_s": round(seconds / 1000, 1),
            "indexed": sum(r.documents for r in rebuilt),
        }
        if engine == "tantivy":  # the index alone, from the rows
            seconds, _ = timed(lambda: tantivy_index.rebuild(["laws"], True))
            result["tantivy_rebuild_from_rows_s"] = round(seconds / 1000, 1)
    else:
        if engine != "tantivy":
            raise SystemExit("--variants: tantivy only (the rows are written in bulk)")
        result = {"rows_written_s": round(write_rows(corpus), 1)}
        seconds, _ = timed(lambda: tantivy_index.rebuild(["laws"], True))
        result["tantivy_rebuild_from_rows_s"] = round(seconds / 1000, 1)
        result["indexed"] = tantivy_index.index().searcher().num_docs
    return result | index_size_mb(engine, vendor)


def measure(engine: str, vendor: str, corpus: Corpus, queries, truth) -> dict:
    """Every query on the engine: recall and exactness (unless ``truth`` is None), then the
    timings."""
    from django.conf import settings

    from secretariat.search import selectors
    from secretariat.search.models import SearchDocument
    from secretariat.search.selectors import Filters
    from secretariat.search.text import parse

    settings.SEARCH_BACKEND = engine
    raw_newest, raw_ranked = raw_queries(engine, vendor)
    exact_top = corpus.variants == 1
    doc_of = dict(SearchDocument.objects.values_list("object_id", "id")) if exact_top else {}

    def page(query, order):
        parsed = parse(query)
        matches = selectors.matches(None, parsed, Filters(order=order), TOP)
        matches.count()
        rows = matches[0:TOP]
        selectors.hits_of(rows, parsed)
        return [row.object_id for row in rows]

    def engine_only(query, order):
        return engine_part(selectors.matches(None, parse(query), Filters(order=order), TOP))

    for _ in range(2):  # warm the caches on a few queries first
        for _, query in queries[:20]:
            page(query, "newest")
    timings = {
        f"{kind}_{order}": []
        for kind in ("page", "page_cpu", "engine", "raw")
        for order in ("newest", "ranked")
    }
    recall_num = recall_den = extra = exact_sets = 0
    wrong_top = []
    for group, query in queries:
        parsed = parse(query)
        if truth is not None:
            original, semantic = truth(query, parsed)
            every = {object_id for _, object_id in selectors.matches(None, parsed).every()}
            recall_num += len(original & every)
            recall_den += len(original)
            extra += len(every - original)
            exact_sets += every == semantic
        for order in ("newest", "relevance"):
            name = "newest" if order == "newest" else "ranked"
            raw = raw_newest if order == "newest" else raw_ranked
            cpu = []
            ms, top = timed(functools.partial(page, query, order), REPEAT, cpu)
            timings[f"page_{name}"].append((group, ms))
            timings[f"page_cpu_{name}"].append((group, cpu[0]))
            timings[f"engine_{name}"].append(
                (group, timed(functools.partial(engine_only, query, order), REPEAT)[0])
            )
            ms, raw_top = timed(functools.partial(raw, parsed), REPEAT)
            timings[f"raw_{name}"].append((group, ms))
            if engine == "tantivy" and order == "relevance":
                expected = list(raw_top)
            elif exact_top:
                expected = _expected_top(semantic, corpus, doc_of, parsed, order == "relevance")
            else:
                continue
            if top != expected:
                wrong_top.append({"query": query, "order": name})
    main = {k: [ms for g, ms in v if g != "char"] for k, v in timings.items()}
    chars = {k: [ms for g, ms in v if g == "char"] for k, v in timings.items()}
    result = {
        "recall": round(recall_num / recall_den, 6) if recall_den else 1.0,
        "truth_hits": recall_den,
        "extra_hits_from_variants": extra,
        "exact_semantic_sets": f"{exact_sets}/{len(queries)}",
        "top20_checked": "newest and ranked" if exact_top else "ranked (tantivy: raw BM25)",
        "top20_mismatches": wrong_top[:20],
        "top20_mismatch_count": len(wrong_top),
        **{name: summary(values) for name, values in main.items()},
        "ratio_engine_raw_p95": {
            order: round(
                percentile(main[f"engine_{order}"], 0.95) / percentile(main[f"raw_{order}"], 0.95),
                2,
            )
            for order in ("newest", "ranked")
        },
        "one_character": {
            "queries": len(chars["page_newest"]),
            **{name: summary(values) for name, values in chars.items() if values},
        },
    }
    if truth is None:
        for key in ("recall", "truth_hits", "extra_hits_from_variants", "exact_semantic_sets"):
            result.pop(key)
    return result


def _expected_top(semantic, corpus: Corpus, doc_of: dict, terms, ranked: bool) -> list[int]:
    """The top-20 the search's definition gives (database engines), computed in Python from the
    records: newest first by (date, row id), or by (terms in the title, length, newest)."""
    from secretariat.search.text import match_form

    def newest(object_id):
        article, k = corpus.record(object_id)
        return (corpus.date(article, k), doc_of[object_id])

    if not ranked:
        return sorted(semantic, key=newest, reverse=True)[:TOP]

    def relevance(object_id):
        article, k = corpus.record(object_id)
        title, body = match_form(corpus.title(article, k)), match_form(article["body"])
        in_title = sum(term.text in title for term in terms)
        date, doc = newest(object_id)
        return (-in_title, len(title) + len(body), -date.toordinal(), -doc)

    return sorted(semantic, key=relevance)[:TOP]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--laws", type=Path, default=DATA / "moj_laws.jsonl.gz")
    parser.add_argument("--aliases", type=Path, default=DATA / "moj_law_aliases.json")
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--names", type=int, default=200)
    parser.add_argument("--terms", type=int, default=200)
    parser.add_argument("--engines", default="tantivy,database")
    parser.add_argument("--variants", type=int, default=1)
    parser.add_argument(
        "--reuse",
        type=Path,
        help="the folder of an earlier SQLite run (bench.sqlite3, index/): time its queries "
        "again, without building or the recall check",
    )
    args = parser.parse_args()
    rng = random.Random(115)

    vendor = _setup(args.reuse)
    from django.conf import settings

    from secretariat.search.text import match_form, parse

    articles = read_articles(args.laws, args.articles)
    corpus = Corpus(articles, args.variants)
    register_source(corpus)
    aliases = sorted({a for names in json.loads(args.aliases.read_text()).values() for a in names})
    names = rng.sample(sorted({a["law"] for a in articles}), args.names)
    terms, singles = frequent_terms(articles, args.terms, rng)
    queries = [("alias", q) for q in aliases] + [("name", q) for q in names]
    queries += [("term", q) for q in terms] + [("char", q) for q in singles]
    if args.variants > 1:
        # The mark is a run of its own: it changes a query's hits only if a term fits inside it.
        marks = [match_form(f"v{k}") for k in range(1, args.variants)]
        clash = [q for _, q in queries if any(t.text in m for t in parse(q) for m in marks)]
        if clash:
            raise SystemExit(f"queries found inside the variants' mark: {clash[:5]}")

    if not args.reuse:
        original, projected = Scan(articles, lambda t: t), Scan(articles, match_form)

    def truth(query, parsed) -> tuple[set[int], set[int]]:
        """(the scan of the original, the scan of the projection), over every variant."""
        found = (original.find([query]), projected.find([t.text for t in parsed]))
        return tuple(
            {k * corpus.n + i for k in range(corpus.variants) for i in ids} for ids in found
        )

    result = {
        "load_average_before": os.getloadavg(),
        "database": vendor,
        "records": len(corpus),
        "articles": len(articles),
        "variants": args.variants,
        "characters": sum(len(a["title"]) + len(a["body"]) for a in articles) * args.variants,
        "queries": {
            "aliases": len(aliases),
            "law_names": len(names),
            "terms": len(terms),
            "single_characters": len(singles),
        },
        "engines": {},
    }
    for engine in args.engines.split(","):
        label = "tantivy" if engine == "tantivy" else {"sqlite": "fts5"}.get(vendor, "tsvector")
        if args.reuse:
            settings.SEARCH_BACKEND = engine
            built = {"reused": str(args.reuse)} | index_size_mb(engine, vendor)
        else:
            built = build(engine, corpus, vendor)
        built["database_mb"] = database_size_mb(vendor)
        checked = None if args.reuse else truth
        result["engines"][label] = built | measure(engine, vendor, corpus, queries, checked)
        print(json.dumps({label: result["engines"][label]}, ensure_ascii=False), file=sys.stderr)
    result["load_average_after"] = os.getloadavg()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
