#!/usr/bin/env python3
"""Shpalta benchmark: wrk against the real server on a generated corpus, with its page cache on and off, over
SQLite and over PostgreSQL, and against nginx serving the same article page as a static file (the ceiling for
"bytes out of a socket" on this machine); search: indexing speed of a full reindex, and search requests/s and
p50/p99 latency on this corpus and on a 100,000-article one; the server's peak memory; and the targets of issue #9.

    make bench                                         (= python3 bench/bench.py, from the repository root)
    SHPALTA_BIN=.build/release/shpalta BENCH_N=3000 BENCH_DURATION=3s BENCH_SEARCH_N=0 python3 bench/bench.py
    SHPALTA_BIN=.build/release/shpalta BENCH_N=3000 BENCH_SEARCH_N=5000 BENCH_DURATION=3s python3 bench/bench.py
    python3 bench/bench.py --self-test                 (the wrk output parser's tests; no server needed)

Steps (each command is printed, prefixed with "+", so the figures can be reproduced by hand; the HTTP
GETs the program makes itself are printed as the equivalent curl commands):
   1. build the release binary (swift build -c release) unless SHPALTA_BIN names one;
   2. generate the corpus once into data/bench/corpus-N/ (python venv in .venv, ../shared/corpus);
   3. import it into a fresh SQLite database data/bench/bench.sqlite (timed: articles/second; for another
      BENCH_N, e.g. 3000: bench-3k.sqlite and media-3k/), then `shpalta reindex` it (a full rebuild of the
      search index: its own articles/second figure);
   4. start `shpalta serve` on 127.0.0.1:18080 (page cache on, as the server runs by default);
   5. pick the URLs: an article (first item of /news), /, /news, feed page 1000 (following the
      "показати більше" links from /news 999 times; the last page if the corpus has fewer pages), /rss.xml,
      /sitemap-news.xml, and the Content API's article list and that article (with a key from `shpalta key add`,
      sent as ?key=; the API's per-key limit is lifted for the benchmark's servers);
   6. wrk each URL after a short warm-up (page cache on and warm); around each run the server's CPU time (user +
      system, /proc/PID/stat) is read, and the tables give it a request: unlike req/s it does not move with what
      else the machine's cores do, so runs made at different moments compare (steps 9 and 15 the same);
   7. search: 40 fixed queries taken from the corpus's first 3,000 headlines (one word, two words, a quoted
      phrase, a -exclusion, rubric/date filters, page 2, nothing found; bench/search_queries.py), written to
      data/bench/search-queries.tsv; each is fetched once (status 200, hits counted), then wrk cycles
      through them with a Lua script (data/bench/search-lua/): all 40 mixed, then each class alone, then the
      suggestions and the frequent and once-only one-word queries apart (#14: a frequent word at most 2 × a rare one),
      each class with the server's CPU time a search, read as in step 6 (steps 10 and 11 the same);
   8. nginx (Debian's, own config in data/bench/nginx/) serves the saved article HTML on 127.0.0.1:18081;
      wrk it; then three alternating rounds of the cached article and nginx's copy (the nginx target's figure is
      the median round's ratio: the machine's speed drifts over a run, and alternating weighs it on both alike);
      then the server's peak RSS (VmHWM) is read and the server of step 4 is stopped;
   9. a second server on the same database with the page cache off (SHPALTA_PAGE_CACHE_MB=0) on
      127.0.0.1:18084: wrk the URLs of step 5 again; stopped;
  10. unless BENCH_SEARCH_N=0: a 100,000-article corpus (data/bench/corpus-100000, generated once),
      imported into data/bench/search-100k.sqlite (timed), reindexed (timed), served on 127.0.0.1:18082,
      the same 40 queries benchmarked as in step 7, then wrk over home, /news and an article together
      (data/bench/pages-mix.lua), then the server's peak RSS (VmHWM) is read; that server is stopped;
  11. unless BENCH_POSTGRES=off: the search corpus (step 10's 100,000 articles; step 2's with BENCH_SEARCH_N=0)
      over PostgreSQL: by default (BENCH_POSTGRES=auto) Debian's cluster is started and the corpus imported once
      (timed) into its database shpalta_bench_100k, which is kept for later runs (data/bench/shpalta_bench_100k.json
      records the corpus and the import's time; delete it to import again); then reindexed (timed), served on
      127.0.0.1:18083, and the same 40 queries benchmarked as in step 7; that server is stopped;
  15. (after 11) unless BENCH_POSTGRES=off: the pages of steps 6 and 9 over PostgreSQL, on step 2's corpus so that
      the figures compare with SQLite's. The database: with BENCH_SEARCH_N=0, step 11's (it holds that corpus:
      not imported twice); else with BENCH_POSTGRES=auto, the kept database of step 2's corpus (shpalta_bench_20k,
      stamp data/bench/shpalta_bench_20k.json; for BENCH_N=3000 shpalta_bench_3k), imported once as in step 11
      and reindexed; with BENCH_POSTGRES=<url> and BENCH_SEARCH_N > 0 there is only that database, which holds
      step 11's corpus: the pages are measured on it, and results.md labels them with its article count and says
      the corpora differ. A server with the page cache on (as step 4's) on 127.0.0.1:18083, the URLs picked as
      in step 5 (the Content API key made in that database), wrk each; then a second server over the same
      database with SHPALTA_PAGE_CACHE_MB=0 on 127.0.0.1:18085, wrk each again; both stopped. results.md's
      "Pages over PostgreSQL": the two tables and each page's req/s beside SQLite's (for information: the
      targets are judged on SQLite only);
  12. write data/bench/results.md (targets, pages on SQLite and on PostgreSQL, memory, renditions, search, the
      commands) and print it, then the Targets table again;
  14. (before 12) WordPress import: the corpus's WXR form (corpus.wxr) through `shpalta import wordpress` into a
      fresh data/bench/wordpress/db.sqlite under /usr/bin/time: articles per second (search index included) and
      the process's peak RSS, against issue #13's 1,000 articles/s.
  13. (before 12) photo renditions: six 4000 × 3000 JPEGs imported as covers into data/bench/renditions/, then
      `shpalta media rebuild` under /usr/bin/time: renditions per second and the process's peak RSS.
      (Step 3 also runs `shpalta media rebuild --missing`, so no server makes renditions while measured.)

    make bench-postgres   (steps 11 and 15 in a throw-away PostgreSQL cluster from pg_virtualenv, over step 2's
                           corpus, without step 10)

Targets (issue #9), each "met" or "not met" (and not met when wrk reported errors for its figures):
  - the article page with the page cache warm: at least 0.8 × nginx's req/s for the same bytes (the median of step
    8's alternating rounds);
  - page cache off: the article page at least 5,000 req/s, the home page at least 3,000 req/s;
  - page cache off: feed page 1000's p50 latency at most 1.2 × page 1's (req/s ratio shown too);
  - peak RSS (VmHWM) of the server on the 100,000-article corpus under load below 250 MB (with
    BENCH_SEARCH_N=0: the server of step 4's figure, and the 100k figure reported as not measured).

Environment:
  SHPALTA_BIN       server binary to use instead of building .build/release/shpalta
  BENCH_N           articles in the corpus (default 20000)
  BENCH_DURATION    wrk duration per URL (default 10s)
  BENCH_THREADS     wrk threads (default 2)        BENCH_CONNECTIONS  wrk connections (default 32)
  BENCH_WARMUP      warm-up duration (default 2s)  BENCH_PAGE         deep feed page (default 1000)
  BENCH_PORT        server port (default 18080)    BENCH_NGINX_PORT   nginx port (default 18081)
  BENCH_NOCACHE_PORT  port of the server with the page cache off (default 18084)
  BENCH_SEARCH_N    articles in the second, search-only corpus (default 100000 when BENCH_N is the
                    default 20000, else 0; 0 skips step 10)
  BENCH_SEARCH_PORT port of the second server (default 18082)
  BENCH_SEARCH_CONNECTIONS  wrk connections for search (default 8: enough to keep every CPU busy; with
                    searches taking 100s of ms, 32 would only add queueing, and on the large corpus no
                    request might finish within the run)
  BENCH_SEARCH_THREADS      wrk threads for search (default 1: one thread keeps 8 connections busy at these
                    rates and leaves the other core to the server; with 2, wrk's threads and the server's compete
                    for the two cores and the p99 measures the scheduler: 200 ms against 44 ms on 100,000
                    articles at the same 370 req/s)
  BENCH_SEARCH_DURATION     wrk duration per search run (default BENCH_DURATION)
  BENCH_SEARCH_TIMEOUT      wrk --timeout for search (default 30s, so slow searches count in p99 instead
                    of being dropped as wrk's default 2 s timeouts)
  BENCH_REUSE       set (to anything) to keep the SQLite databases of an earlier run instead of importing
                    again (the import is then not timed; the reindex still is)
  BENCH_POSTGRES    for steps 11 and 15: auto (default: Debian's cluster, a database per corpus kept between runs),
                    off (steps 11 and 15 skipped), or the URL of an empty PostgreSQL database (imported into at every
                    run; step 15 measures the pages on it too, on step 2's corpus only with BENCH_SEARCH_N=0)
  BENCH_POSTGRES_PORT  port of the server over PostgreSQL (default 18083): step 11's, then step 15's with the page
                    cache on
  BENCH_POSTGRES_NOCACHE_PORT  port of step 15's server with the page cache off (default 18085)
  SHARED            shared folder with corpus/ (default ../shared)

Server logs go to data/bench/logs/.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unittest
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import report
import servers
import wrk
from htmlscan import count_hits, first_article, more_href
from common import Answer, BenchError, Config, http_get, run, run_tee, say, short
from report import Indexing, Memory, PageRun, Renditions, Run, SearchRun, WordPressImport
from search_queries import CLASSES, Query, class_name, of_class, queries_from_corpus, write_tsv
from servers import Server

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent


# --- helpers ---------------------------------------------------------------------------------------------


def clock() -> str:
    """The time of day in UTC, for progress lines of the long steps."""
    return dt.datetime.now(dt.timezone.utc).strftime("%H:%M:%S")


def count_lines(path: Path) -> int:
    """Lines in a file (`wc -l`)."""
    with path.open("rb") as f:
        return sum(1 for _ in f)


def get_ok(url: str, timeout: float = 10.0) -> Answer:
    """GET `url`, which must answer 200."""
    answer = http_get(url, timeout)
    if answer.status != 200:
        raise BenchError(f"GET {url} answered {answer.status or 'nothing'}, not 200")
    return answer


def wrk_run(cmd: list[str]) -> wrk.WrkResult:
    """Runs a measured wrk command (output shown) and parses it; warns about errors wrk reports."""
    line, out = run_tee(cmd)
    try:
        result = wrk.parse(out, line)
    except wrk.WrkParseError as e:
        raise BenchError(str(e)) from e
    if result.errors:
        print(f"WARNING: wrk reported errors: {result.errors}", file=sys.stderr, flush=True)
    return result


def wrk_run_cpu(cmd: list[str], pid: int | None, what: str) -> tuple[wrk.WrkResult, float | None]:
    """`wrk_run`, and with a server's `pid` its CPU time (user + system, /proc/PID/stat) during the run divided by
    the requests completed, in ms (None without a pid or a completed request)."""
    before = servers.cpu_seconds(pid) if pid else 0.0
    result = wrk_run(cmd)
    if not pid or not result.requests:
        return result, None
    cpu_ms = (servers.cpu_seconds(pid) - before) * 1000 / result.requests
    print(f"server CPU: {cpu_ms:.3f} ms a {what} (/proc/{pid}/stat, user + system)", flush=True)
    return result, cpu_ms


def wrk_warmup(cmd: list[str]) -> None:
    """Runs a warm-up wrk command, its output discarded."""
    run(cmd, stdout=subprocess.DEVNULL)


def write_lua(path: Path, comment: str, paths: list[str]) -> None:
    """A wrk script cycling through `paths`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(wrk.lua_cycle(comment, paths), encoding="utf-8")


# --- steps 1-3: binary, corpus, database ------------------------------------------------------------------


def server_binary(cfg: Config) -> tuple[str, str]:
    """The server binary (SHPALTA_BIN, or a release build made now) and how the results describe it."""
    if cfg.bin:
        binary = cfg.bin
        print(f"using SHPALTA_BIN={binary} (not building)")
    else:
        run(["swift", "build", "-c", "release"])
        binary = ".build/release/shpalta"
    if not os.access(binary, os.X_OK):
        raise BenchError(f"no executable at {binary}")
    if "debug" in binary:
        return binary, f"debug build ({binary}) — not representative, use the release build for real figures"
    return binary, binary


def ensure_corpus(cfg: Config, n: int) -> Path:
    """data/bench/corpus-N/corpus.jsonl, generated (../shared/corpus/make_corpus.py) unless it is there."""
    folder, corpus = cfg.corpus_dir(n), cfg.corpus(n)
    if corpus.is_file() and corpus.stat().st_size > 0:
        print(f"cached: {corpus} ({count_lines(corpus)} lines); delete {folder} to regenerate")
        return corpus
    if not Path(".venv/done").exists():
        run(["python3", "-m", "venv", ".venv"])
        pip = [".venv/bin/pip", "install", "-q", "-r", str(cfg.shared / "corpus" / "requirements.txt")]
        if run(pip, check=False) == 0:
            run(["touch", ".venv/done"])
        else:
            print("WARNING: pip install failed; make_corpus.py falls back to its small built-in vocabulary",
                  file=sys.stderr)
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    run(["mkdir", "-p", str(tmp)])
    run([".venv/bin/python", str(cfg.shared / "corpus" / "make_corpus.py"), "--n", str(n), "--out", str(tmp)])
    shutil.rmtree(folder, ignore_errors=True)
    run(["mv", str(tmp), str(folder)])
    return corpus


def import_and_reindex(cfg: Config, binary: str, corpus: Path, database: str, media: Path,
                       kept: Path | None = None) -> Indexing:
    """Imports `corpus` into a fresh database (an SQLite file, or an empty PostgreSQL database's URL), timed,
    unless BENCH_REUSE keeps an SQLite file of an earlier run, or `kept` (a stamp file of a PostgreSQL database
    kept between runs) says the database already holds this corpus; then a full reindex (timed by shpalta)."""
    n = count_lines(corpus)
    postgres = database.startswith(("postgres://", "postgresql://"))
    import_s: float | None = None
    reused = ""
    stamp = corpus_stamp(corpus)
    previous = json.loads(kept.read_text()) if kept and kept.is_file() else {}
    if cfg.reuse and not postgres and Path(database).is_file() and Path(database).stat().st_size > 0:
        print(f"BENCH_REUSE: keeping {database} as imported by an earlier run (import not timed)")
    elif kept and previous.get("corpus") == stamp:
        import_s, reused = float(previous["import_s"]), str(previous["at"])
        print(f"kept: {mask_password(database)} holds {corpus} (imported {reused} in {import_s:.1f} s); "
              f"delete {kept} to import again")
    else:
        if postgres:
            run(["rm", "-rf", str(media)])
        else:
            run(["rm", "-rf", database, f"{database}-wal", f"{database}-shm", f"{database}-journal", str(media)])
        t0 = time.monotonic()
        run([binary, "import", "jsonl", str(corpus), "--database", database, "--media-dir", str(media),
             "--stock-photos", "Demo/photos"])
        import_s = time.monotonic() - t0
        print(f"imported {n} lines in {import_s:.2f} s = {n / import_s:.0f} articles/s")
        if kept:
            kept.write_text(json.dumps({"corpus": stamp, "import_s": import_s,
                                        "at": dt.datetime.now().strftime("%Y-%m-%d %H:%M")}))
    # The photos' renditions now, so that no server of the benchmark makes them in the background while measured.
    run([binary, "media", "rebuild", "--missing", "--database", database, "--media-dir", str(media)])
    # "Reindexed N articles in S s (R articles/s)." on stdout, the progress bar on stderr.
    _, out = run_tee([binary, "reindex", "--database", database])
    m = re.search(r"^Reindexed .* in ([0-9.]+) s .*\(([0-9.]+) articles/s\)", out, re.MULTILINE)
    if not m:
        raise BenchError("could not read articles/s from shpalta reindex's output")
    return Indexing(n, import_s, m.group(1), m.group(2), reused)


def corpus_stamp(corpus: Path) -> str:
    """What a corpus file is: its path, size and modification time (a regenerated corpus has another)."""
    info = corpus.stat()
    return f"{corpus.resolve()}:{info.st_size}:{int(info.st_mtime)}"


def as_postgres(sql: str, database: str = "postgres") -> subprocess.CompletedProcess[str]:
    """Runs `sql` with psql as the cluster's superuser (the postgres account), on the local socket."""
    who = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else ["sudo", "-u", "postgres"]
    return subprocess.run(who + ["psql", "-qAt", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql],
                          capture_output=True, text=True, check=True)


def auto_postgres(cfg: Config, n: int) -> tuple[str, Path]:
    """BENCH_POSTGRES=auto: Debian's PostgreSQL cluster started (make deps installs it), and a database for the
    `n`-article corpus, kept between runs with a stamp file beside the SQLite databases: its URL and the stamp.
    A database without a matching stamp is dropped and made again."""
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.split()
    if len(clusters) < 4:
        # Debian makes the cluster "main" when it installs the server, but not in every image: made here then.
        versions = sorted((p.name for p in Path("/usr/lib/postgresql").iterdir() if p.name.isdigit()), key=int)
        if not versions:
            raise BenchError("PostgreSQL is not installed (make deps installs it)")
        run(["pg_createcluster", versions[-1], "main"])
        clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.split()
    version, name, port, status = clusters[:4]
    if status != "online":
        run(["pg_ctlcluster", version, name, "start"])
    database = f"shpalta_bench_{short(n)}"
    stamp = cfg.data / f"{database}.json"
    role = "shpalta_bench"
    if not as_postgres(f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'").stdout.strip():
        as_postgres(f"CREATE ROLE {role} LOGIN PASSWORD '{role}'")
    exists = bool(as_postgres(f"SELECT 1 FROM pg_database WHERE datname = '{database}'").stdout.strip())
    if not exists or not stamp.is_file():
        stamp.unlink(missing_ok=True)
        as_postgres(f"DROP DATABASE IF EXISTS {database}")
        as_postgres(f"CREATE DATABASE {database} OWNER {role}")
    return f"postgres://{role}:{role}@127.0.0.1:{port}/{database}", stamp


# The Content API's per-key limit (600 a minute by default) would turn wrk's requests into 429s: lifted here.
UNLIMITED_API = {"SHPALTA_API_RATE_LIMIT": "1000000000"}
# Alternating rounds of the cached article and nginx's copy in step 8 (each BENCH_DURATION long).
PAIRED_ROUNDS = 3


# --- step 5: URLs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Urls:
    """The pages measured: an article, and the feed page BENCH_PAGE (or the last one: `deep_reached`)."""

    article: str
    deep: str
    deep_reached: int
    # A Content API key (`shpalta key add`, sent as ?key=) and the id of the measured article (issue #11).
    api_key: str = ""
    article_id: int = 0

    def pages(self) -> list[tuple[str, str]]:
        """(name, path) of the pages, in table order: article, home, feed page 1, the deep page, then the site's RSS
        feed and its Google News sitemap (issue #10), then the Content API's article list and one article (#11)."""
        pages = [("article", self.article), ("home", "/"), ("feed page 1", "/news"),
                 (f"feed page {self.deep_reached}", self.deep), ("RSS", "/rss.xml"),
                 ("Google News sitemap", "/sitemap-news.xml")]
        if self.api_key:
            pages += [("API article list", f"/api/v1/articles?limit=20&key={self.api_key}"),
                      ("API article", f"/api/v1/articles/{self.article_id}?key={self.api_key}")]
        return pages


def walk_feed(base: str, page: int) -> tuple[str, int]:
    """Follows a.more from /news up to `page` - 1 times: (the URL reached, its page number)."""
    print(f"feed page {page}: following a.more from /news up to {page - 1} times:")
    print(f"+ curl -sf \"{base}$URL\" | grep -o '<a [^>]*class=\"more\"[^>]*>'   # href -> next URL")
    url, reached = "/news", 1
    while reached < page:
        nxt = more_href(get_ok(base + url, timeout=30).text)
        if not nxt:
            break
        url, reached = nxt, reached + 1
        if reached % 100 == 0:
            print(f"  page {reached}: {url}", flush=True)
    return url, reached


def find_article(base: str) -> str:
    """The path of the article page to measure: the first item of /news."""
    print(f"+ curl -sf {base}/news   # the first item's link is the article page")
    article = first_article(get_ok(base + "/news").text)
    if not article:
        raise BenchError("no article link in the first item of /news")
    print(f"article page: {article} (the first item of /news)")
    return article


def api_key(binary: str, database: str) -> str:
    """A Content API key for the benchmark in `database` (an SQLite file or a PostgreSQL URL), made with
    `shpalta key add` (each run makes a new one)."""
    cmd = [binary, "key", "add", "--database", database, "--name", "make bench"]
    print("+ " + mask_password(" ".join(cmd)))
    done = subprocess.run(cmd, capture_output=True, text=True)
    match = re.search(r"Key: (shp_c_\S+)", done.stdout)
    if done.returncode != 0 or not match:
        raise BenchError(f"`shpalta key add` failed: {done.stdout}{done.stderr}")
    return match.group(1)


def pick_urls(cfg: Config, base: str, binary: str, database: str) -> Urls:
    """Step 5: the article (the first item of /news), the deep feed page, and a Content API key made in `database`
    (the server's: an SQLite file or a PostgreSQL URL)."""
    article = find_article(base)
    deep, reached = walk_feed(base, cfg.deep_page)
    if reached < cfg.deep_page:
        print(f"NOTE: the corpus has only {reached} feed pages: page {reached} (the last) stands in for "
              f"page {cfg.deep_page}")
    print(f"feed page {reached}: {deep}")
    key = api_key(binary, database)
    slug = article.rsplit("/", 1)[-1]
    print(f"+ curl -sf '{base}/api/v1/articles/slug/{slug}?key=$KEY'   # the article's id")
    found = json.loads(get_ok(f"{base}/api/v1/articles/slug/{slug}?key={key}").body)
    urls = Urls(article, deep, reached, key, int(found["article"]["id"]))
    for _, path in urls.pages():
        get_ok(base + path)
    return urls


# --- steps 6, 8, 9: pages -------------------------------------------------------------------------------


def bench_url(cfg: Config, name: str, base: str, path: str, pid: int | None = None) -> PageRun:
    """A warm-up, then `wrk --latency` on one URL; with the server's `pid`, its CPU time a request during the run,
    and the server idle first (its start-up work done)."""
    url = base + path
    size = len(get_ok(url).body)
    print(f"\n-- {name}: {url} ({size} bytes)", flush=True)
    if pid is not None:
        servers.wait_idle(pid)
    wrk_warmup(wrk.command(url, cfg.threads, cfg.connections, cfg.warmup, latency=False))
    result, cpu_ms = wrk_run_cpu(wrk.command(url, cfg.threads, cfg.connections, cfg.duration), pid, "request")
    return PageRun(name, path, size, result, cpu_ms)


def bench_pages_cache_on(cfg: Config, server: Server, urls: Urls) -> list[PageRun]:
    """Step 6: the pages from the server with its page cache on (warm after the warm-up)."""
    say(f"6. wrk -t{cfg.threads} -c{cfg.connections} -d{cfg.duration} --latency (after a {cfg.warmup} "
        "warm-up), Shpalta with the page cache on")
    return [bench_url(cfg, name, server.base, path, server.pid) for name, path in urls.pages()]


def bench_nginx(cfg: Config, server: Server, article: str, run_: Run) -> tuple[PageRun, str]:
    """Step 8: nginx serving the article page's bytes as a static file; (its figures, its command). Then the cached
    article and nginx's copy in ``PAIRED_ROUNDS`` alternating rounds (`run_.paired`), for the nginx target."""
    directory = (ROOT / cfg.nginx_dir).resolve()
    say(f"8. nginx serving the same article HTML as a static file on {cfg.base(cfg.nginx_port)}")
    page = directory / "www" / "article.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    print(f"+ curl -sf -o {page} {server.base}{article}")
    page.write_bytes(get_ok(server.base + article).body)
    with servers.nginx(directory, cfg.nginx_port, page) as ng:
        if http_get(f"{ng.base}/{page.name}").body != page.read_bytes():
            raise BenchError("nginx serves different bytes")
        alone = bench_url(cfg, "nginx static article", ng.base, f"/{page.name}")
        for round_ in range(1, PAIRED_ROUNDS + 1):
            print(f"\n-- round {round_} of {PAIRED_ROUNDS}: the article (page cache warm), then nginx's copy", flush=True)
            ours = wrk_run(wrk.command(server.base + article, cfg.threads, cfg.connections, cfg.duration))
            theirs = wrk_run(wrk.command(f"{ng.base}/{page.name}", cfg.threads, cfg.connections, cfg.duration))
            run_.paired.append((ours, theirs))
        return alone, ng.command


def bench_pages_cache_off(cfg: Config, binary: str, urls: Urls, run_: Run) -> list[PageRun]:
    """Step 9: the pages from a second server on the same database with SHPALTA_PAGE_CACHE_MB=0."""
    say(f"9. the same pages with the page cache off: a second server (SHPALTA_PAGE_CACHE_MB=0) on "
        f"{cfg.base(cfg.nocache_port)}")
    env = {"SHPALTA_PAGE_CACHE_MB": "0", **UNLIMITED_API}
    log = cfg.logs / "server-nocache.log"
    with servers.shpalta(binary, cfg.nocache_port, str(cfg.db), cfg.media, log, env) as server:
        run_.servers.append(("page cache off", server.command))
        return [bench_url(cfg, name, server.base, path, server.pid) for name, path in urls.pages()]


def measure_memory(server: Server, name: str, articles: int, load: str) -> Memory:
    """The server's peak resident set size so far (VmHWM)."""
    kib = servers.peak_rss_kib(server.pid)
    print(f"peak RSS of {name}: {kib * 1024 / 1e6:.0f} MB")
    return Memory(name, articles, kib, load)


def bench_pages_mix(cfg: Config, server: Server) -> wrk.WrkResult:
    """wrk over home, /news and an article together (a Lua script cycling through them), for the memory
    figure of a server under load."""
    article = find_article(server.base)
    script = cfg.data / "pages-mix.lua"
    write_lua(script, f"wrk -s: cycles through home, /news and {article}", ["/", "/news", article])
    print(f"\n-- home, /news and {article} together ({script}), page cache on", flush=True)
    wrk_warmup(wrk.command(server.base, cfg.threads, cfg.connections, cfg.warmup, latency=False, script=script))
    return wrk_run(wrk.command(server.base, cfg.threads, cfg.connections, cfg.duration, script=script))


# --- steps 7, 10, 11: search ----------------------------------------------------------------------------


def prepare_queries(cfg: Config, corpus: Path) -> list[Query]:
    """The 40 queries from the corpus's first 3,000 headlines, written to search-queries.tsv, and a wrk
    script per class (and one for all) in search-lua/."""
    print(f"+ head -n 3000 {corpus} | python3 bench/search_queries.py > {cfg.queries}")
    try:
        queries = queries_from_corpus(corpus)
    except ValueError as e:
        raise BenchError(str(e)) from e
    write_tsv(queries, cfg.queries)
    sizes = ", ".join(f"{len(of_class(queries, c))} {name}" for c, name in CLASSES)
    print(f"{len(queries)} queries: {sizes}")
    shutil.rmtree(cfg.lua_dir, ignore_errors=True)
    for cls in ["all"] + [c for c, _ in CLASSES]:
        comment = f'wrk -s: cycles through the search queries of class "{cls}" (from {cfg.queries})'
        write_lua(cfg.lua_dir / f"{cls}.lua", comment, [q.path for q in of_class(queries, cls)])
    print(f"wrk scripts: {cfg.lua_dir}/{{all,{','.join(c for c, _ in CLASSES)}}}.lua")
    return queries


def check_queries(server: Server, queries: list[Query]) -> tuple[int, int]:
    """GETs every query once, alone (status must be 200), and counts the results on that page ("+" when
    there is a "show more" link); prints a line per query with its time. Returns (queries that found
    something, queries with no answer within 60 s: reported and skipped, as the wrk runs will show)."""
    print(f"+ curl -s -w '%{{http_code}} %{{time_total}}' --max-time 60 \"{server.base}$PATH\""
          "   # each query once: status, time, results")
    found = slow = 0
    for i, q in enumerate(queries, 1):
        answer = http_get(server.base + q.path, timeout=60)
        if answer.status == 0:
            if not server.alive():
                raise BenchError(f"the server is gone (GET {q.path})")
            print(f"  {i:2d}  {q.cls:<10s}    ?  {'>60':>7s} s  {q.shown}   <- WARNING: no answer within 60 s")
            slow += 1
            continue
        if answer.status != 200:
            raise BenchError(f"GET {q.path} answered {answer.status}, not 200")
        hits, more = (answer.text.count("<li>"), False) if q.cls == "suggest" else count_hits(answer.text)
        warn = ""
        if q.cls == "no-match" and hits:
            warn = "   <- WARNING: expected nothing"
        elif q.cls != "no-match" and not hits:
            warn = "   <- WARNING: nothing found"
        found += hits > 0
        shown_hits = f"{hits}{'+' if more else ''}"
        print(f"  {i:2d}  {q.cls:<10s} {shown_hits:>4s}  {answer.seconds:7.3f} s  {q.shown}{warn}", flush=True)
    note = f"; {slow} did not answer within 60 s" if slow else ""
    print(f'{found} of {len(queries)} queries found something{note} (20+ = a full first page and a "show more" link)')
    return found, slow


def search_command(cfg: Config, base: str, cls: str, duration: str, latency: bool = True) -> list[str]:
    """wrk with the search settings and the script of class `cls`."""
    return wrk.command(base, cfg.search_threads, cfg.search_connections, duration, latency=latency,
                       timeout=cfg.search_timeout, script=cfg.lua_dir / f"{cls}.lua")


def search_runs(cfg: Config, server: Server, queries: list[Query]) -> tuple[dict[str, wrk.WrkResult], dict[str, float]]:
    """A warm-up over all queries, then wrk --latency with each class's script, the server idle before each; with
    each class's server CPU time a search (ms; the server process's own, so not PostgreSQL's work)."""
    wrk_warmup(search_command(cfg, server.base, "all", cfg.warmup, latency=False))
    results = {}
    cpu = {}
    for cls in ["all"] + [c for c, _ in CLASSES]:
        servers.wait_idle(server.pid)
        print(f"\n-- search, {class_name(cls, len(of_class(queries, 'all')))} ({len(of_class(queries, cls))} queries)", flush=True)
        results[cls], cpu_ms = wrk_run_cpu(
            search_command(cfg, server.base, cls, cfg.search_duration), server.pid, "search")
        if cpu_ms is not None:
            cpu[cls] = cpu_ms
        else:
            print(f"WARNING: no request completed within {cfg.search_duration} (every search took longer with "
                  f"{cfg.search_connections} connections)", file=sys.stderr, flush=True)
    servers.wait_idle(server.pid)
    return results, cpu


def bench_search(cfg: Config, server: Server, queries: list[Query], label: str, database: str,
                 indexing: Indexing) -> SearchRun:
    """Search on one server: each query checked once, then the wrk runs."""
    found, slow = check_queries(server, queries)
    print(f"\nwrk -t{cfg.search_threads} -c{cfg.search_connections} -d{cfg.search_duration} --timeout "
          f"{cfg.search_timeout} --latency -s SCRIPT (after a {cfg.warmup} warm-up over all queries):")
    by_class, cpu = search_runs(cfg, server, queries)
    return SearchRun(label, database, indexing, found, slow, by_class, cpu)


def bench_big_corpus(cfg: Config, binary: str, queries: list[Query], run_: Run) -> None:
    """Step 10: the second, larger corpus: import, reindex, search, then memory under load."""
    label = short(cfg.search_n)
    say(f"10. search and memory on {cfg.search_n} articles: corpus {cfg.corpus_dir(cfg.search_n)}, database "
        f"{cfg.search_db}, server on {cfg.base(cfg.search_port)}")
    corpus = ensure_corpus(cfg, cfg.search_n)
    print(f"-- import and reindex ({clock()})")
    indexing = import_and_reindex(cfg, binary, corpus, str(cfg.search_db), cfg.search_media)
    print(f"-- server ({clock()})")
    log = cfg.logs / f"server-{label}.log"
    with servers.shpalta(binary, cfg.search_port, str(cfg.search_db), cfg.search_media, log) as server:
        run_.servers.append((f"{label} corpus", server.command))
        print(f"-- the same {len(queries)} queries ({clock()})")
        run_.search.append(bench_search(cfg, server, queries, label, str(cfg.search_db), indexing))
        print(f"-- pages under load, then the peak RSS ({clock()})")
        run_.big_pages = bench_pages_mix(cfg, server)
        load = (f"the search runs, then wrk over home, /news and an article together "
                f"({run_.big_pages.rps:.0f} req/s, page cache on)")
        run_.memory.append(measure_memory(server, f"{label} server", indexing.articles, load))
    print(f"-- done ({clock()})")


@dataclass(frozen=True)
class PostgresDatabase:
    """A PostgreSQL database filled by the benchmark: its URL, its media folder, the corpus it holds, and that
    corpus's import and reindex."""

    url: str
    media: Path
    corpus: Path
    indexing: Indexing


def postgres_database(cfg: Config, n: int) -> tuple[str, Path | None, Path]:
    """The PostgreSQL database for the `n`-article corpus: with BENCH_POSTGRES=auto, one per corpus size in Debian's
    cluster, kept between runs; else BENCH_POSTGRES's URL. Its URL, its stamp file (None: imported at every run) and
    its media folder."""
    if cfg.postgres == "auto":
        url, kept = auto_postgres(cfg, n)
        return url, kept, cfg.data / f"postgres-{short(n)}-media"
    return cfg.postgres, None, cfg.postgres_media


def bench_postgres(cfg: Config, binary: str, corpus: Path, queries: list[Query], run_: Run) -> PostgresDatabase:
    """Step 11: the search corpus (the 100,000 articles of step 10, or step 2's with BENCH_SEARCH_N=0) over
    PostgreSQL: import (once, with BENCH_POSTGRES=auto), reindex, search. The database, for step 15."""
    if cfg.search_n > 0:
        corpus = ensure_corpus(cfg, cfg.search_n)
    n = count_lines(corpus)
    url, kept, media = postgres_database(cfg, n)
    say(f"11. search on PostgreSQL: the {n} articles of {corpus}, server on {cfg.base(cfg.postgres_port)}")
    print(f"-- import and reindex ({clock()})")
    indexing = import_and_reindex(cfg, binary, corpus, url, media, kept)
    print(f"-- server ({clock()})")
    log = cfg.logs / "server-postgres.log"
    with servers.shpalta(binary, cfg.postgres_port, url, media, log) as server:
        run_.servers.append(("PostgreSQL", mask_password(server.command)))
        print(f"-- the same {len(queries)} queries ({clock()})")
        label = f"{short(indexing.articles)} PostgreSQL"
        database = f"PostgreSQL {run_.postgres_version}"
        run_.search.append(bench_search(cfg, server, queries, label, database, indexing))
    print(f"-- done ({clock()})")
    return PostgresDatabase(url, media, corpus, indexing)


def postgres_pages_database(cfg: Config, binary: str, corpus: Path, searched: PostgresDatabase,
                            run_: Run) -> PostgresDatabase:
    """The database of step 15: step 11's when it holds step 2's corpus (BENCH_SEARCH_N=0); else, with
    BENCH_POSTGRES=auto, the kept database of step 2's corpus (imported the first time, reindexed); else (a URL: one
    database, which step 11 filled with the search corpus) step 11's, noted in `run_.postgres_pages_note`."""
    if searched.corpus.resolve() == corpus.resolve():
        print(f"step 11's database holds this corpus: {mask_password(searched.url)}")
        run_.postgres_pages_note = ("step 11's database, which holds the corpus of the SQLite tables; its import and "
                                    "reindex: the Search section's PostgreSQL row")
        return searched
    if cfg.postgres == "auto":
        n = count_lines(corpus)
        url, kept, media = postgres_database(cfg, n)
        print(f"-- import and reindex ({clock()})")
        indexing = import_and_reindex(cfg, binary, corpus, url, media, kept)
        run_.postgres_pages_note = (f"the corpus of the SQLite tables; import: {indexing.import_cell}; full reindex: "
                                    f"{indexing.reindex_s} s = {indexing.reindex_rate} articles/s")
        return PostgresDatabase(url, media, corpus, indexing)
    articles = searched.indexing.articles
    print(f"NOTE: BENCH_POSTGRES names one database, which holds step 11's {articles} articles: the pages are measured "
          f"on those, not on the {count_lines(corpus)} of the SQLite tables (BENCH_SEARCH_N=0 measures both on one "
          "corpus)", file=sys.stderr, flush=True)
    run_.postgres_pages_note = (
        f"NOT the corpus of the SQLite tables: BENCH_POSTGRES names one database, which step 11 filled with its "
        f"{articles}-article search corpus (BENCH_SEARCH_N={cfg.search_n}), so the pages were measured on that; "
        "with BENCH_SEARCH_N=0 (as `make bench-postgres` runs) both engines serve the same corpus")
    return searched


def bench_postgres_pages(cfg: Config, binary: str, corpus: Path, searched: PostgresDatabase, run_: Run) -> None:
    """Step 15: the pages of steps 6 and 9 over PostgreSQL, on the corpus of the SQLite tables when feasible (see
    `postgres_pages_database`): a server with the page cache on (as step 4's), the URLs picked as in step 5, wrk on
    each; then a second server over the same database with SHPALTA_PAGE_CACHE_MB=0, wrk on each again."""
    say(f"15. the pages over PostgreSQL: page cache on ({cfg.base(cfg.postgres_port)}), then off "
        f"({cfg.base(cfg.postgres_nocache_port)})")
    db = postgres_pages_database(cfg, binary, corpus, searched, run_)
    run_.postgres_pages_db = mask_password(db.url)
    run_.postgres_pages_articles = db.indexing.articles
    run_.postgres_page_cache = (f"Page cache on: a server as step 4's on port {cfg.postgres_port}; off: a second "
                                "server with SHPALTA_PAGE_CACHE_MB=0 on port "
                                f"{cfg.postgres_nocache_port}, same database")
    print(f"-- page cache on ({clock()})")
    log = cfg.logs / "server-postgres-pages.log"
    with servers.shpalta(binary, cfg.postgres_port, db.url, db.media, log, UNLIMITED_API) as server:
        run_.servers.append(("PostgreSQL pages, page cache on", mask_password(server.command)))
        urls = pick_urls(cfg, server.base, binary, db.url)
        run_.postgres_deep_reached = urls.deep_reached
        run_.postgres_cached = [bench_url(cfg, name, server.base, path, server.pid) for name, path in urls.pages()]
    print(f"-- page cache off ({clock()})")
    env = {"SHPALTA_PAGE_CACHE_MB": "0", **UNLIMITED_API}
    log = cfg.logs / "server-postgres-nocache.log"
    with servers.shpalta(binary, cfg.postgres_nocache_port, db.url, db.media, log, env) as server:
        run_.servers.append(("PostgreSQL pages, page cache off", mask_password(server.command)))
        run_.postgres_uncached = [bench_url(cfg, name, server.base, path, server.pid) for name, path in urls.pages()]
    print(f"-- done ({clock()})")


# --- step 12: results -----------------------------------------------------------------------------------


def tool_version(cmd: list[str], pattern: str) -> str:
    """A version number from a tool's --version (or -v) output, "?" if it cannot be read."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True)
    except OSError:
        return "?"
    out = done.stdout + done.stderr
    m = re.search(pattern, out)
    return m.group(1) if m else "?"


def cpus() -> str:
    """"2 CPUs (model name)"."""
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{len(os.sched_getaffinity(0))} CPUs ({model})"


def mask_password(text: str) -> str:
    """postgres://user:secret@host → postgres://user:***@host (for results.md)."""
    return re.sub(r"(postgres(?:ql)?://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)


def write_results(cfg: Config, run_: Run) -> None:
    """Step 12: results.md written and printed, then the Targets table again."""
    say("12. results")
    text = mask_password(report.results_md(run_))
    cfg.results.write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"(written to {cfg.results})")
    print("\n== Targets (issue #9)\n")
    print(report.targets_md(run_), flush=True)


# --- the run --------------------------------------------------------------------------------------------


def new_run(cfg: Config, build: str, corpus: Path, indexing: Indexing) -> Run:
    """The record of this run, with what is known before the first measurement."""
    cache = os.environ.get("SHPALTA_PAGE_CACHE_MB")
    cache_setting = f"SHPALTA_PAGE_CACHE_MB={cache}" if cache else "SHPALTA_PAGE_CACHE_MB unset: the default, 128 MB"
    return Run(
        started=dt.datetime.now(dt.timezone.utc),
        cpus=cpus(),
        binary=build,
        corpus=str(corpus),
        database=str(cfg.db),
        indexing=indexing,
        nginx_version=tool_version(["nginx", "-v"], r"nginx/(\S+)"),
        page_cache=(f"page cache on: `shpalta serve` as it runs by default ({cache_setting}); off: a second server "
                    f"process with SHPALTA_PAGE_CACHE_MB=0 on port {cfg.nocache_port}, same database"),
        deep_page=cfg.deep_page,
        deep_reached=cfg.deep_page,
        queries_file=str(cfg.queries),
        postgres_version=tool_version(["psql", "--version"], r"\(PostgreSQL\) (\S+)") if cfg.postgres else "",
        settings=(f"`wrk -t{cfg.threads} -c{cfg.connections} -d{cfg.duration} --latency URL` after a "
                  f"{cfg.warmup} warm-up, on 127.0.0.1"),
        search_settings=(f"`wrk -t{cfg.search_threads} -c{cfg.search_connections} -d{cfg.search_duration} --timeout "
                         f"{cfg.search_timeout} --latency -s {cfg.lua_dir}/CLASS.lua URL`, the script cycling "
                         f"through the class's query URLs; after a {cfg.warmup} warm-up over all queries."),
    )


# --- step 13: photo renditions ---------------------------------------------------------------------------


def timed(command: list[str], summary: str, count_group: int) -> tuple[re.Match[str], int]:
    """Runs a `/usr/bin/time -v shpalta …` command: the match of `summary` in what it printed (its group
    `count_group` must count something) and the process's peak RSS in KiB."""
    say("+ " + " ".join(command))
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"{' '.join(command[2:5])} failed:\n" + done.stdout + done.stderr[-2000:])
    made = re.search(summary, done.stdout)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if not made or not peak or int(made.group(count_group)) == 0:
        raise BenchError(f"could not read the figures of {' '.join(command[2:5])}:\n" + done.stdout
                         + done.stderr[-2000:])
    return made, int(peak.group(1))


RENDITION_PHOTOS = 6


def bench_renditions(cfg: Config, binary: str) -> Renditions:
    """Step 13: RENDITION_PHOTOS different 4000 × 3000 JPEGs (made with ImageMagick), imported as the covers of as
    many stories into a fresh database, then `shpalta media rebuild` under /usr/bin/time: renditions per second
    and the peak memory while making them."""
    work = cfg.data / "renditions"
    run(["rm", "-rf", str(work)])
    (work / "photos").mkdir(parents=True)
    lines = []
    for i in range(RENDITION_PHOTOS):
        photo = work / "photos" / f"photo-{i}.jpg"
        run(["convert", "-size", "4000x3000", f"gradient:rgb({40 * i},90,160)-rgb(230,{200 - 20 * i},60)",
             "-attenuate", "0.4", "+noise", "Gaussian", "-quality", "90", str(photo)])
        lines.append(json.dumps({"id": str(i + 1), "slug": f"foto-{i}", "title": f"Фото {i}", "lede": "Абзац.",
                                 "status": "published", "published_at": "2026-01-22T10:00:00+02:00", "photo": photo.name, "photo_credit": "Фото: бенчмарк",
                                 "photo_alt": "Градієнт"}, ensure_ascii=False))
    jsonl = work / "photos.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    database, media = work / "db.sqlite", work / "media"
    run([binary, "import", "jsonl", str(jsonl), "--database", str(database), "--media-dir", str(media),
         "--photos", str(work / "photos")])
    command = ["/usr/bin/time", "-v", binary, "media", "rebuild", "--database", str(database), "--media-dir",
               str(media)]
    made, peak = timed(command, r"Made (\d+) renditions of (\d+) photos in ([0-9.]+) s", count_group=2)
    result = Renditions(photos=int(made.group(2)), size="4000 × 3000 JPEG", renditions=int(made.group(1)),
                        seconds=float(made.group(3)), peak_kib=peak, command=" ".join(command))
    print(f"{result.renditions} renditions in {result.seconds:.1f} s = {result.per_second:.1f}/s, "
          f"peak RSS {result.peak_kib / 1000:.0f} MB")
    return result


def bench_wordpress(cfg: Config, binary: str, corpus: Path) -> WordPressImport:
    """Step 14: the corpus's WXR form (corpus.wxr beside corpus.jsonl) through `shpalta import wordpress` into a fresh
    SQLite database, under /usr/bin/time: articles per second, search index included, and the peak memory."""
    wxr = corpus.with_name("corpus.wxr")
    if not wxr.is_file():
        raise BenchError(f"no WXR form of the corpus at {wxr}")
    work = cfg.data / "wordpress"
    run(["rm", "-rf", str(work)])
    work.mkdir(parents=True)
    command = ["/usr/bin/time", "-v", binary, "import", "wordpress", str(wxr), "--database", str(work / "db.sqlite"),
               "--media-store", str(work / "media")]
    made, peak = timed(command, r"Imported (\d+) new, (\d+) updated and (\d+) unchanged stories .* in ([0-9.]+) s",
                       count_group=1)
    result = WordPressImport(articles=int(made.group(1)), file_bytes=wxr.stat().st_size,
                             seconds=float(made.group(4)), peak_kib=peak, command=" ".join(command[2:]))
    print(f"{result.articles} posts in {result.seconds:.1f} s = {result.per_second:.0f} articles/s, "
          f"peak RSS {result.peak_kib / 1000:.0f} MB")
    return result


def bench_all(cfg: Config) -> None:
    """Steps 1 to 12."""
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            raise BenchError(f"{tool} is missing (make deps installs it)")
    cfg.data.mkdir(parents=True, exist_ok=True)
    say("1. server binary")
    binary, build = server_binary(cfg)
    say(f"2. corpus of {cfg.n} articles ({cfg.corpus(cfg.n)})")
    corpus = ensure_corpus(cfg, cfg.n)
    say(f"3. import into a fresh database ({cfg.db}), then a full reindex")
    indexing = import_and_reindex(cfg, binary, corpus, str(cfg.db), cfg.media)
    run_ = new_run(cfg, build, corpus, indexing)

    say(f"4. shpalta serve on {cfg.base(cfg.port)} (page cache on)")
    with servers.shpalta(binary, cfg.port, str(cfg.db), cfg.media, cfg.logs / "server.log", UNLIMITED_API) as server:
        run_.servers.append(("page cache on", server.command))
        say("5. URLs")
        urls = pick_urls(cfg, server.base, binary, str(cfg.db))
        run_.deep_reached = urls.deep_reached
        run_.cached = bench_pages_cache_on(cfg, server, urls)
        say(f"7. search on {server.base}: fixed queries from the first 3000 headlines of {corpus}")
        run_.queries = prepare_queries(cfg, corpus)
        run_.search.append(bench_search(cfg, server, run_.queries, short(indexing.articles), str(cfg.db), indexing))
        run_.nginx, nginx_command = bench_nginx(cfg, server, urls.article, run_)
        run_.servers.append(("nginx", nginx_command))
        load = (f"the walk to feed page {urls.deep_reached} (step 5), the page runs (step 6, page cache on) "
                "and the search runs (step 7)")
        run_.memory.append(measure_memory(server, f"{short(indexing.articles)} server", indexing.articles, load))

    run_.uncached = bench_pages_cache_off(cfg, binary, urls, run_)
    if cfg.search_n > 0:
        bench_big_corpus(cfg, binary, run_.queries, run_)
    else:
        run_.search_skipped = "BENCH_SEARCH_N=0"
    if cfg.postgres:
        searched = bench_postgres(cfg, binary, corpus, run_.queries, run_)
        bench_postgres_pages(cfg, binary, corpus, searched, run_)
    else:
        run_.postgres_pages_skipped = "BENCH_POSTGRES=off"
    say("13. photo renditions: 4000 × 3000 JPEGs through shpalta media rebuild")
    run_.renditions = bench_renditions(cfg, binary)
    say("14. WordPress import: the corpus's WXR form through shpalta import wordpress")
    run_.wordpress = bench_wordpress(cfg, binary, corpus)
    write_results(cfg, run_)


def self_test() -> int:
    """The unit tests in bench/test_*.py."""
    suite = unittest.defaultTestLoader.discover(str(BENCH_DIR), pattern="test_*.py", top_level_dir=str(BENCH_DIR))
    return 0 if unittest.TextTestRunner(verbosity=2).run(suite).wasSuccessful() else 1


def _interrupted(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    """Runs the benchmark (or, with --self-test, the parser tests); the exit status."""
    if "--self-test" in argv[1:]:
        return self_test()
    if {"-h", "--help"} & set(argv[1:]):
        print(__doc__)
        return 0
    if argv[1:]:
        print(f"bench: unknown arguments {argv[1:]} (settings come from the environment; see --help)",
              file=sys.stderr)
        return 2
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    os.chdir(ROOT)
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        bench_all(Config.from_env(os.environ))
    except BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
