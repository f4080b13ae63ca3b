"""Benchmark of the search (issue 6) on real text: every article of the national laws database
(../shared/data/moj_laws.jsonl.gz, 218,139 articles) as a searchable record, on the engine of
the database in use.

    .venv/bin/python bench/search/run.py                       # SQLite (a file in a temp dir)
    python scripts/pgcluster.py -- .venv/bin/python bench/search/run.py   # PostgreSQL

Options: --laws FILE, --aliases FILE (default: ../shared/data/), --articles N (a prefix, for a
quick run), --names N and --terms N (how many law names and frequent terms to query).

Records: title = law name + article number, body = the article, date = 最新異動日期, built by
``secretariat search reindex`` from a registered source. Queries: every alias of
moj_law_aliases.json, law names, and the most frequent 2–4 character terms of the articles.
Ground truth: a plain substring scan of the original text (and of its projection, the
search's own semantics). For each query: every hit (recall), then newest-first top-20 and
ranked top-20 through the search (``selectors.Matches`` and the hits' highlighting, as the
page does),
and the same top-20 queries run directly against the raw engine (FTS5 MATCH / tsvector @@,
with the engine's own ranking: bm25 / ts_rank). Prints one JSON object; results are kept in
docs/performance.md.
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


def _setup() -> str:
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
    else:
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    os.environ.setdefault("SECRETARIAT_DATA_DIR", tempfile.mkdtemp())
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


def register_source(articles: list[dict]) -> None:
    from secretariat.search import registry
    from secretariat.search.registry import Document, Source

    def documents(ids):
        wanted = None if ids is None else set(ids)
        for article in articles:
            if wanted is None or article["id"] in wanted:
                yield Document(
                    object_id=article["id"],
                    kind="law_article",
                    title=article["title"],
                    body=article["body"],
                    date=article["date"],
                    url=f"https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode={article['pcode']}",
                )

    registry.register(
        Source(
            key="laws",
            label="法規條文",
            documents=documents,
            visible=lambda user: None,  # public records: no agency scope
            kinds=lambda: {"law_article": "法規條文"},
        )
    )


def frequent_terms(articles: list[dict], count: int, rng: random.Random) -> list[str]:
    """The most frequent 2-, 3- and 4-character CJK terms of a sample of the articles, a third of
    each length."""
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


TIMED = ("newest", "ranked", "raw_newest", "raw_ranked")


def main_queries(pairs: list[tuple[str, float]]) -> list[float]:
    return [ms for group, ms in pairs if group != "char"]


def chars(pairs: list[tuple[str, float]]) -> list[float]:
    return [ms for group, ms in pairs if group == "char"]


def ratio(ours: list[float], raw: list[float]) -> float:
    return round(percentile(ours, 0.95) / percentile(raw, 0.95), 2)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(values), 2),
        "p95_ms": round(percentile(values, 0.95), 2),
        "max_ms": round(max(values), 2),
    }


def raw_queries(vendor: str):
    """The top-20 queries straight to the engine, no search layer: (newest, ranked) callables."""
    from django.db import connection

    from secretariat.search.backends import FTS_TABLE, TABLE, PostgresBackend, SqliteBackend

    if vendor == "sqlite":
        newest_sql = (
            f"SELECT d.id FROM {TABLE} d WHERE d.id IN (SELECT rowid FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s) ORDER BY d.date DESC, d.id DESC LIMIT {TOP}"
        )
        ranked_sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT {TOP}"
        )
        expression = SqliteBackend.match_expression
    else:
        newest_sql = (
            f"SELECT id FROM {TABLE} WHERE tokens @@ %s::tsquery "
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
            return cursor.fetchall()

    return (
        lambda terms: run(newest_sql, terms),
        lambda terms: run(ranked_sql, terms, twice=vendor != "sqlite"),
    )


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return (time.perf_counter() - start) * 1000, value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--laws", type=Path, default=DATA / "moj_laws.jsonl.gz")
    parser.add_argument("--aliases", type=Path, default=DATA / "moj_law_aliases.json")
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--names", type=int, default=200)
    parser.add_argument("--terms", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(115)

    vendor = _setup()
    from django.db import connection

    from secretariat.search import selectors, services
    from secretariat.search.models import SearchDocument
    from secretariat.search.selectors import Filters
    from secretariat.search.text import match_form, parse

    articles = read_articles(args.laws, args.articles)
    register_source(articles)
    build_ms, rebuilt = timed(lambda: services.reindex(["laws"]))
    aliases = sorted({a for names in json.loads(args.aliases.read_text()).values() for a in names})
    names = rng.sample(sorted({a["law"] for a in articles}), args.names)
    terms, singles = frequent_terms(articles, args.terms, rng)
    queries = [("alias", q) for q in aliases] + [("name", q) for q in names]
    queries += [("term", q) for q in terms] + [("char", q) for q in singles]

    original = Scan(articles, lambda text: text)
    projected = Scan(articles, match_form)
    by_id = {a["id"]: a for a in articles}
    doc_of = dict(SearchDocument.objects.values_list("object_id", "id"))
    raw_newest, raw_ranked = raw_queries(vendor)

    def hits(query, order):
        parsed = parse(query)
        rows = selectors.Matches(None, parsed, Filters(order=order))[0:TOP]
        selectors.hits_of(rows, parsed)  # what the page does with each hit
        return [row.object_id for row in rows]

    times = {k: [] for k in (*TIMED, "count")}
    recall_num = recall_den = extra = exact_sets = 0
    wrong_top = []
    for _ in range(2):  # warm the caches on a few queries first
        for _, query in queries[:20]:
            hits(query, "newest")
    for group, query in queries:
        parsed = parse(query)
        truth = original.find([query])  # a term as typed
        semantic = projected.find([t.text for t in parsed])
        every = set(selectors.documents_for(None, parsed).values_list("object_id", flat=True))
        recall_num += len(truth & every)
        recall_den += len(truth)
        extra += len(every - truth)
        exact_sets += every == semantic
        for order, key in (("newest", None), ("ranked", "relevance")):
            ms, top = timed(functools.partial(hits, query, key or "newest"))
            times[order].append((group, ms))
            if top != _expected_top(semantic, by_id, doc_of, parsed, key):
                wrong_top.append({"query": query, "order": order})
        times["raw_newest"].append((group, timed(functools.partial(raw_newest, parsed))[0]))
        times["raw_ranked"].append((group, timed(functools.partial(raw_ranked, parsed))[0]))
        times["count"].append((group, timed(selectors.Matches(None, parsed).count)[0]))
    result = {
        "engine": vendor,
        "articles": len(articles),
        "characters": sum(len(a["title"]) + len(a["body"]) for a in articles),
        "index_build_s": round(build_ms / 1000, 1),
        "indexed": rebuilt[0].documents,
        "queries": {"aliases": len(aliases), "law_names": len(names), "terms": len(terms)},
        "recall": round(recall_num / recall_den, 6) if recall_den else 1.0,
        "truth_hits": recall_den,
        "extra_hits_from_variants": extra,
        "exact_semantic_sets": f"{exact_sets}/{len(queries)}",
        "top20_mismatches": wrong_top[:20],
        **{f"{name}_top20": summary(main_queries(times[name])) for name in TIMED},
        "count_to_1000": summary(main_queries(times["count"])),
        "ratio_newest_p95": ratio(main_queries(times["newest"]), main_queries(times["raw_newest"])),
        "ratio_ranked_p95": ratio(main_queries(times["ranked"]), main_queries(times["raw_ranked"])),
        "one_character": {
            "queries": len(singles),
            **{f"{name}_top20": summary(chars(times[name])) for name in TIMED},
        },
    }
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('search_searchdocument'))")
            result["index_size"] = cursor.fetchone()[0]
    else:
        result["database_size_mb"] = round(os.path.getsize(os.environ["SQLITE_PATH"]) / 1e6, 1)
    print(json.dumps(result, ensure_ascii=False, indent=2))


def _expected_top(semantic, by_id, doc_of, terms, order) -> list[int]:
    """The top-20 the search's definition gives, computed in Python from the records."""
    from secretariat.search.text import match_form

    def newest(object_id):
        return (by_id[object_id]["date"], doc_of[object_id])

    if order is None:
        ranked = sorted(semantic, key=newest, reverse=True)
    else:

        def relevance(object_id):
            article = by_id[object_id]
            title, body = match_form(article["title"]), match_form(article["body"])
            in_title = sum(term.text in title for term in terms)
            date, doc = newest(object_id)
            return (-in_title, len(title) + len(body), -date.toordinal(), -doc)

        ranked = sorted(semantic, key=relevance)
    return ranked[:TOP]


if __name__ == "__main__":
    main()
