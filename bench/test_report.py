"""Tests of the Targets table: `python3 -m unittest discover -s bench`."""

from __future__ import annotations

import datetime as dt
import os
import unittest

import report
import servers
from report import Indexing, Memory, PageRun, Run
from wrk import WrkResult


def page(name: str, rps: float, p50: str, non_2xx: int = 0) -> PageRun:
    result = WrkResult(f"wrk {name}", rps, 1000, {"50": p50, "99": p50}, {}, non_2xx)
    return PageRun(name, f"/{name}", 1000, result)


def sample_run(memory: list[Memory], deep_reached: int = 1000, skipped: str = "") -> Run:
    run = Run(
        started=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
        cpus="2 CPUs",
        binary="shpalta",
        corpus="corpus.jsonl",
        database="bench.sqlite",
        indexing=Indexing(20000, None, "37.1", "539"),
        nginx_version="1.22.1",
        page_cache="on",
        deep_page=1000,
        deep_reached=deep_reached,
        memory=memory,
        search_skipped=skipped,
    )
    run.cached = [page("article", 36000, "1ms"), page("home", 1, "1ms"), page("news", 1, "1ms"), page("deep", 1, "1ms")]
    run.uncached = [page("article", 5200, "5ms"), page("home", 2900, "9ms", non_2xx=0),
                    page("news", 4000, "10.00ms"), page("deep", 3500, "11.50ms")]
    run.nginx = page("nginx", 40000, "500.00us")
    return run


class TargetTests(unittest.TestCase):
    """`report.targets` on made-up figures."""

    def test_each_target(self) -> None:
        t = report.targets(sample_run([Memory("100k server", 100000, 200_000, "load")]))
        # Issue #9's five, the WordPress import, then search on SQLite and PostgreSQL (no search run here).
        self.assertEqual([x.result for x in t],
                         ["met", "met", "not met", "met", "met", "not measured", "not measured", "not measured"])
        self.assertEqual(t[0].ratio, "0.9× nginx")
        self.assertEqual(t[3].ratio, "1.15× page 1")
        self.assertEqual(t[4].figure, "205 MB")

    def test_nginx_target_from_alternating_rounds(self) -> None:
        run = sample_run([])
        rounds = [(30000, 50000), (45000, 50000), (41000, 50000)]
        run.paired = [(page("a", a, "1ms").result, page("n", b, "1ms").result) for a, b in rounds]
        t = report.targets(run)[0]
        # The median round (0.82), not the single runs of step 6 and 8 (0.9), and not the mean.
        self.assertEqual((t.ratio, t.result), ("0.82× nginx", "met"))
        self.assertIn("30000 vs 50000, 45000 vs 50000, 41000 vs 50000", t.figure)
        self.assertIn("| 2 | 45000 | 50000 | 0.9× |", report.results_md(run))
        run.paired = run.paired[:1]
        self.assertEqual(report.targets(run)[0].result, "not met")

    def test_wordpress_import_target(self) -> None:
        run = sample_run([])
        run.wordpress = report.WordPressImport(20000, 170_000_000, 16.0, 90_000, "shpalta import wordpress x.wxr")
        t = report.targets(run)[5]
        self.assertEqual((t.result, t.figure), ("met", "1250 articles/s, peak RSS 90 MB"))
        run.wordpress = report.WordPressImport(20000, 170_000_000, 40.0, 90_000, "shpalta import wordpress x.wxr")
        self.assertEqual(report.targets(run)[5].result, "not met")
        self.assertIn("**500 articles/s**", report.results_md(run))

    def test_search_targets(self) -> None:
        run = sample_run([])
        fast = WrkResult("wrk search", 500, 1000, {"50": "3.00ms", "99": "15.00ms"}, {}, 0)
        slow = WrkResult("wrk suggest", 100, 1000, {"50": "9.00ms", "99": "30.00ms"}, {}, 0)
        big = report.Indexing(100000, None, "60", "1600")
        run.search = [report.SearchRun("100k", "x.sqlite", big, 40, 0, {"all": fast, "suggest": slow})]
        t = report.targets(run)[6:]
        self.assertEqual([x.result for x in t], ["met", "not met", "not measured", "not measured"])
        self.assertEqual(t[0].figure, "15.0 ms")
        # A frequent word against a once-only one: their p50s, at most 2 ×.
        classes = {"all": fast, "suggest": slow, "common": slow, "rare": fast}
        run.search = [report.SearchRun("100k", "x.sqlite", big, 40, 0, classes)]
        t = report.targets(run)[8]
        self.assertEqual((t.figure, t.result), ("3.00× (9.0 / 3.0 ms)", "not met"))
        classes["common"] = fast
        self.assertEqual(report.targets(run)[8].result, "met")
        # On a smaller corpus the figures are shown but the targets are not judged.
        run.search = [report.SearchRun("20k", "x.sqlite", run.indexing, 40, 0, {"all": fast, "suggest": fast})]
        self.assertEqual([x.met for x in report.targets(run)[6:8]], [None, None])
        self.assertIn("100,000 articles", report.targets(run)[6].result)

    def test_wrk_errors_fail_a_target(self) -> None:
        run = sample_run([])
        run.uncached[0] = page("article", 9000, "1ms", non_2xx=12)
        t = report.targets(run)[1]
        self.assertEqual(t.result, "not met (wrk reported errors: Non-2xx or 3xx responses: 12)")

    def test_memory_without_the_large_corpus(self) -> None:
        run = sample_run([Memory("20k server", 20000, 150_000, "load")], skipped="BENCH_SEARCH_N=0")
        t = report.targets(run)[4]
        self.assertEqual(
            t.result, "not measured (BENCH_SEARCH_N=0: the largest corpus measured is 20k, and its server's figure is "
            "under the limit)"
        )
        self.assertIn("154 MB on 20,000 articles", t.figure)

    def test_last_feed_page_stands_in(self) -> None:
        run = sample_run([], deep_reached=150)
        self.assertIn("feed page 150 (the last; BENCH_PAGE=1000)", report.targets(run)[3].what)
        self.assertIn("NOTE: the corpus has only 150 feed pages", report.results_md(run))


class PostgresPagesTests(unittest.TestCase):
    """The "Pages over PostgreSQL" section of results.md (step 15)."""

    def test_not_measured(self) -> None:
        run = sample_run([])
        run.postgres_pages_skipped = "BENCH_POSTGRES=off"
        text = report.results_md(run)
        self.assertIn("## Pages over PostgreSQL\n\nNot measured (BENCH_POSTGRES=off).\n", text)
        self.assertNotIn("side by side", text)
        self.assertNotIn("PostgreSQL, page cache on", text)

    def test_tables_and_comparison(self) -> None:
        run = sample_run([])
        run.postgres_version = "15.10"
        run.postgres_pages_db = "postgres://shpalta_bench:***@127.0.0.1:5432/shpalta_bench_20k"
        run.postgres_pages_articles = 20000
        run.postgres_pages_note = "the corpus of the SQLite tables"
        run.postgres_page_cache = "Page cache on: port 18083; off: port 18085"
        run.postgres_deep_reached = 1000
        run.postgres_cached = [page("article", 18000, "2ms"), page("home", 2, "1ms"), page("news", 1, "1ms"),
                               page("deep", 1, "1ms")]
        run.postgres_uncached = [page("article", 2600, "12ms"), page("home", 1450, "20ms"),
                                 page("news", 2000, "10.00ms"), page("deep", 1000, "30.00ms")]
        text = report.results_md(run)
        section = text[text.index("## Pages over PostgreSQL"):text.index("## Memory")]
        self.assertIn("PostgreSQL 15.10 (`postgres://shpalta_bench:***@127.0.0.1:5432/shpalta_bench_20k`): 20000 "
                      "articles (the corpus of the SQLite tables). Page cache on: port 18083", section)
        self.assertIn("### PostgreSQL, page cache on (warm)", section)
        self.assertIn("### PostgreSQL, page cache off (SHPALTA_PAGE_CACHE_MB=0)", section)
        # The same columns as the SQLite tables, "vs nginx" against the SQLite run's nginx, and no nginx row.
        self.assertIn("| article | `/article` | 1000 | 18000.00 | 2ms | 2ms | – | 0.45× | – |", section)
        self.assertNotIn("nginx, static copy", section)
        self.assertIn("Deep feed page, PostgreSQL, page cache off: page 1000 vs page 1", section)
        # Side by side: SQLite's req/s, PostgreSQL's, and PostgreSQL ÷ SQLite, cache on then off.
        self.assertIn("| article | 36000.00 | 18000.00 | 0.5× | 5200.00 | 2600.00 | 0.5× |", section)
        self.assertIn("| home | 1.00 | 2.00 | 2× | 2900.00 | 1450.00 | 0.5× |", section)
        self.assertNotIn("different corpora", section)
        self.assertIn("page cache off over PostgreSQL: article 2600 req/s (≥ 5,000 on SQLite); home 1450 req/s "
                      "(≥ 3,000); feed page 1000 p50 3× page 1's (≤ 1.2×).", section)
        # Informational only: the targets stay those of SQLite.
        self.assertEqual(len(report.targets(run)), len(report.targets(sample_run([]))))
        self.assertIn("- article, PostgreSQL, page cache on: `wrk article`", text)
        self.assertIn("- deep, PostgreSQL, page cache off: `wrk deep`", text)

    def test_other_corpus_is_flagged(self) -> None:
        run = sample_run([])
        run.postgres_pages_articles = 100000
        run.postgres_cached = [page("article", 18000, "2ms")]
        run.postgres_uncached = [page("article", 2600, "12ms")]
        section = report.results_md(run).split("## Pages over PostgreSQL")[1]
        self.assertIn("NOTE: different corpora: SQLite 20000 articles, PostgreSQL 100000.", section)
        # Pages PostgreSQL did not measure are shown as missing, not as zero.
        self.assertIn("| home | 1.00 | – | n/a | 2900.00 | – | n/a |", section)


if __name__ == "__main__":
    unittest.main()


class ServerCPUTests(unittest.TestCase):
    """The server CPU column and where its figure comes from."""

    def test_column(self) -> None:
        run = sample_run([])
        run.uncached[0] = PageRun("article", "/article", 1000, run.uncached[0].result, cpu_ms=0.5234)
        md = report.results_md(run)
        self.assertIn("| page | URL | bytes | req/s | p50 | p99 | server CPU a request | vs nginx | wrk errors |", md)
        self.assertIn("| article | `/article` | 1000 | 5200.00 | 5ms | 5ms | 0.523 ms |", md)
        # Not measured (nginx, or a run without the server's pid): a dash.
        self.assertIn("| news | `/news` | 1000 | 4000.00 | 10.00ms | 10.00ms | – |", md)

    def test_stat_fields_after_an_odd_name(self) -> None:
        # A command name with spaces and parentheses; utime 1500 and stime 250 are fields 14 and 15.
        stat = "4242 (a (b) c) S 1 2 3 4 5 6 7 8 9 10 1500 250 0 0 20 0 5 0 100 0 0"
        self.assertEqual(servers.cpu_ticks(stat), 1750)

    def test_own_process(self) -> None:
        before = servers.cpu_seconds(os.getpid())
        sum(i * i for i in range(300_000))
        self.assertGreaterEqual(servers.cpu_seconds(os.getpid()), before)

    def test_search_column(self) -> None:
        run = sample_run([])
        fast = WrkResult("wrk search", 500, 1000, {"50": "3.00ms", "99": "15.00ms"}, {}, 0)
        classes = {cls: fast for cls in ["all"] + [c for c, _ in report.CLASSES]}
        big = report.Indexing(100000, None, "60", "1600")
        run.search = [report.SearchRun("100k", "x.sqlite", big, 40, 0, classes, {"all": 3.5})]
        md = report.results_md(run)
        self.assertIn("| p50 | p99 | server CPU a search | queries with results |", md)
        self.assertIn("| 500.00 | 3.00ms | 15.00ms | 3.500 ms | 40 of", md)
        # A run measured without it (an older SearchRun): a dash.
        run.search = [report.SearchRun("100k", "x.sqlite", big, 40, 0, classes)]
        self.assertIn("| 500.00 | 3.00ms | 15.00ms | – | 40 of", report.results_md(run))
