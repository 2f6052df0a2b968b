"""What a run measured (`Run`), the targets it is held to (issue #9), and data/bench/results.md."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from common import short
from search_queries import CLASSES, Query, class_name, of_class
from wrk import WrkResult

# Issue #9 "Targets".
NGINX_SHARE = 0.8  # article page, page cache warm: at least this share of nginx's req/s for the same bytes
ARTICLE_RPS = 5000  # article page, page cache off: req/s at least
HOME_RPS = 3000  # home page, page cache off: req/s at least
DEEP_P50 = 1.2  # deep feed page, page cache off: p50 latency at most this many times page 1's
RSS_MB = 250  # peak RSS of the server on the 100,000-article corpus under load: below this many MB
RSS_CORPUS = 100_000


@dataclass(frozen=True)
class PageRun:
    """One page under wrk: its name, path, size in bytes and wrk's figures; `cpu_ms`, the server process's CPU time
    (user + system) during the run divided by the requests wrk completed, when the server is a process of ours.
    Unlike req/s it does not move with what else the machine's cores do, so runs made at different moments compare."""

    name: str
    path: str
    size: int
    result: WrkResult
    cpu_ms: float | None = None


@dataclass(frozen=True)
class Indexing:
    """An import (None when BENCH_REUSE kept an earlier database) and the full reindex after it; `reused` names
    when a kept database's import was timed (its time is then that run's)."""

    articles: int
    import_s: float | None
    reindex_s: str
    reindex_rate: str
    reused: str = ""

    @property
    def import_cell(self) -> str:
        if self.import_s is None:
            return "not timed (BENCH_REUSE: database of an earlier run)"
        rate = f"{self.articles / self.import_s:.0f}" if self.import_s > 0 else "n/a"
        when = f", timed when first imported, {self.reused}; database kept" if self.reused else ""
        return f"{rate} articles/s ({self.import_s:.2f} s{when})"


@dataclass(frozen=True)
class SearchRun:
    """The search benchmark on one database: what it holds, how many queries found something, wrk by class."""

    label: str  # "20k", "100k", "PostgreSQL"
    database: str
    indexing: Indexing
    found: int
    slow: int
    by_class: dict[str, WrkResult]
    # The server process's CPU time a search (ms) by class, where measured (see `PageRun.cpu_ms`).
    cpu_ms: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Memory:
    """The peak resident set size (VmHWM) of a server after the load described."""

    server: str
    articles: int
    kib: int
    load: str

    @property
    def mb(self) -> float:
        return self.kib * 1024 / 1e6


@dataclass(frozen=True)
class Renditions:
    """`shpalta media rebuild` on photos of one size: how fast, and its peak memory."""

    photos: int
    size: str  # "4000 × 3000 JPEG"
    renditions: int
    seconds: float
    peak_kib: int  # /usr/bin/time's "Maximum resident set size"
    command: str

    @property
    def per_second(self) -> float:
        return self.renditions / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class WordPressImport:
    """`shpalta import wordpress` of the corpus's WXR form into a fresh SQLite database (issue #13)."""

    articles: int
    file_bytes: int
    seconds: float
    peak_kib: int  # /usr/bin/time's "Maximum resident set size"
    command: str

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


# Issue #13: a WordPress export imports at this many articles a second or more, search index included.
WORDPRESS_IMPORT_RATE = 1000


@dataclass
class Run:
    """Everything one run measured, filled in step by step and then rendered by `results_md`."""

    started: dt.datetime
    cpus: str
    binary: str
    corpus: str
    database: str
    indexing: Indexing
    nginx_version: str
    page_cache: str
    deep_page: int  # BENCH_PAGE
    deep_reached: int  # the page measured (the last one when the corpus has fewer)
    cached: list[PageRun] = field(default_factory=list)
    uncached: list[PageRun] = field(default_factory=list)
    nginx: PageRun | None = None
    # Step 8's alternating rounds: (the cached article, nginx's copy of it), one wrk run each a round.
    paired: list[tuple[WrkResult, WrkResult]] = field(default_factory=list)
    queries: list[Query] = field(default_factory=list)
    queries_file: str = ""
    search: list[SearchRun] = field(default_factory=list)
    search_skipped: str = ""
    memory: list[Memory] = field(default_factory=list)
    big_pages: WrkResult | None = None
    servers: list[tuple[str, str]] = field(default_factory=list)
    postgres_version: str = ""
    # The pages over PostgreSQL (step 15): wrk on the URLs of step 5 from a server with the page cache on and one
    # with it off, the database they used (URL with the password masked, its articles, how it was chosen), the
    # servers' settings, the deep feed page reached there, and why the step did not run ("BENCH_POSTGRES=off").
    postgres_cached: list[PageRun] = field(default_factory=list)
    postgres_uncached: list[PageRun] = field(default_factory=list)
    postgres_pages_db: str = ""
    postgres_pages_articles: int = 0
    postgres_pages_note: str = ""
    postgres_page_cache: str = ""
    postgres_deep_reached: int = 0
    postgres_pages_skipped: str = ""
    renditions: Renditions | None = None
    wordpress: WordPressImport | None = None
    settings: str = ""
    search_settings: str = ""

    @property
    def deep_note(self) -> str:
        if self.deep_reached >= self.deep_page:
            return ""
        return (
            f"the corpus has only {self.deep_reached} feed pages: page {self.deep_reached} (the last) "
            f"stands in for page {self.deep_page}"
        )


@dataclass(frozen=True)
class Target:
    """A target of issue #9 with the figure measured for it (`met` None: not measured)."""

    what: str
    figure: str
    target: str
    ratio: str
    met: bool | None
    note: str = ""

    @property
    def result(self) -> str:
        verdict = "not measured" if self.met is None else "met" if self.met else "not met"
        return verdict + (f" ({self.note})" if self.note else "")


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b, or None when either is missing or b is 0."""
    if a is None or b is None or b <= 0:
        return None
    return a / b


def fmt_ratio(r: float | None, unit: str = "") -> str:
    """A ratio with three significant digits (0.0123, 0.915, 1.03), "n/a" when there is none."""
    return "n/a" if r is None else f"{r:.3g}×{unit}"


def fmt_cpu(ms: float | None) -> str:
    """CPU time a request, "0.523 ms"; "–" when it was not measured."""
    return "–" if ms is None else f"{ms:.3f} ms"


def _page(runs: list[PageRun], index: int) -> PageRun | None:
    return runs[index] if index < len(runs) else None


def _errors_note(*runs: WrkResult | None) -> str:
    errs = [r.errors for r in runs if r is not None and r.errors]
    return "wrk reported errors: " + "; ".join(errs) if errs else ""


def _vs_nginx_target(run: Run) -> Target:
    rounds = [(a, b) for a, b in run.paired if a.rps and b.rps]
    if rounds:
        # The machine's speed drifts over the minutes of a run; rounds that alternate the two weigh the drift on
        # both alike, and the median round is the figure.
        ratios = sorted(a.rps / b.rps for a, b in rounds)
        r = ratios[len(ratios) // 2] if len(ratios) % 2 else (ratios[len(ratios) // 2 - 1] + ratios[len(ratios) // 2]) / 2
        note = _errors_note(*[result for pair in rounds for result in pair])
        return Target(
            "article, page cache warm, vs nginx serving the same bytes",
            f"median of {len(rounds)} alternating rounds: "
            + ", ".join(f"{a.rps:.0f} vs {b.rps:.0f}" for a, b in rounds) + " req/s",
            f"≥ {NGINX_SHARE} × nginx",
            fmt_ratio(r, " nginx"),
            r >= NGINX_SHARE and not note,
            note,
        )
    article = _page(run.cached, 0)
    a = article.result.rps if article else None
    b = run.nginx.result.rps if run.nginx else None
    r = ratio(a, b)
    note = _errors_note(article.result if article else None, run.nginx.result if run.nginx else None)
    return Target(
        "article, page cache warm, vs nginx serving the same bytes",
        f"{a or 0:.0f} vs nginx {b or 0:.0f} req/s",
        f"≥ {NGINX_SHARE} × nginx",
        fmt_ratio(r, " nginx"),
        r is not None and r >= NGINX_SHARE and not note,
        note,
    )


def _rps_target(what: str, page: PageRun | None, floor: int) -> Target:
    rps = page.result.rps if page else None
    r = ratio(rps, floor)
    note = _errors_note(page.result if page else None)
    return Target(
        what,
        f"{rps or 0:.0f} req/s",
        f"≥ {floor:,} req/s",
        fmt_ratio(r, " target"),
        r is not None and r >= 1 and not note,
        note,
    )


def _deep_target(run: Run) -> Target:
    first, deep = _page(run.uncached, 2), _page(run.uncached, 3)
    p50 = [p.result.latency_ms("50") if p else None for p in (deep, first)]
    rps = [p.result.rps if p else None for p in (deep, first)]
    r = ratio(p50[0], p50[1])
    what = f"feed page {run.deep_reached} vs page 1, page cache off: p50 latency"
    if run.deep_note:
        what = f"feed page {run.deep_reached} (the last; BENCH_PAGE={run.deep_page}) vs page 1, page cache off: p50"
    lat = [p.result.latency("50") if p else "–" for p in (deep, first)]
    note = _errors_note(deep.result if deep else None, first.result if first else None)
    return Target(
        what,
        f"{lat[0]} vs {lat[1]} (req/s {rps[0] or 0:.0f} vs {rps[1] or 0:.0f} = "
        f"{fmt_ratio(ratio(rps[0], rps[1]))})",
        f"≤ {DEEP_P50} × page 1",
        fmt_ratio(r, " page 1"),
        r is not None and r <= DEEP_P50 and not note,
        note,
    )


def _rss_target(run: Run) -> Target:
    mem = max(run.memory, key=lambda m: m.articles, default=None)
    if mem is None:
        return Target("peak RSS (VmHWM)", "–", f"< {RSS_MB} MB", "n/a", None)
    r = mem.mb / RSS_MB
    under = mem.mb < RSS_MB
    if mem.articles >= RSS_CORPUS:
        return Target(
            f"peak RSS (VmHWM) of the server on {mem.articles:,} articles under load",
            f"{mem.mb:.0f} MB",
            f"< {RSS_MB} MB",
            fmt_ratio(r, " limit"),
            under,
        )
    skipped = f"{run.search_skipped}: " if run.search_skipped else ""
    return Target(
        f"peak RSS (VmHWM) of the server on {RSS_CORPUS:,} articles under load",
        f"{mem.mb:.0f} MB on {mem.articles:,} articles ({mem.server})",
        f"< {RSS_MB} MB",
        fmt_ratio(r, " limit"),
        None,
        f"{skipped}the largest corpus measured is {short(mem.articles)}, and its server's figure is "
        + ("under" if under else "over")
        + " the limit",
    )


def targets(run: Run) -> list[Target]:
    """The targets of issue #9, each with its figure from `run`."""
    return [
        _vs_nginx_target(run),
        _rps_target("article, page cache off", _page(run.uncached, 0), ARTICLE_RPS),
        _rps_target("home, page cache off", _page(run.uncached, 1), HOME_RPS),
        _deep_target(run),
        _rss_target(run),
        _wordpress_target(run),
        *_search_targets(run),
    ]


# Issue #14: on 100,000 articles, the p99 of the mixed searches under 20 ms on SQLite and 50 ms on PostgreSQL, and of
# the suggestions under 10 ms.
SEARCH_CORPUS = 100_000
SEARCH_P99_MS = {"SQLite": 20.0, "PostgreSQL": 50.0}
SUGGEST_P99_MS = 10.0
# Issue #14: a frequent one-word query costs at most twice a once-only one (p50 of each class run alone).
COMMON_TO_RARE = 2.0


def _search_targets(run: Run) -> list[Target]:
    targets = []
    for engine, limit in SEARCH_P99_MS.items():
        runs = [s for s in run.search if ("PostgreSQL" in s.label) == (engine == "PostgreSQL")]
        if not runs:
            targets.append(Target(f"search p99, all mixed, {engine}", "not measured", f"< {limit:.0f} ms", "–", None))
            continue
        s = max(runs, key=lambda r: r.indexing.articles)
        for cls, what, ms in [("all", "search p99, all mixed", limit), ("suggest", "suggestions p99", SUGGEST_P99_MS)]:
            result = s.by_class.get(cls)
            p99 = result.latency_ms("99") if result else None
            if p99 is None:
                targets.append(Target(f"{what}, {engine}", "not measured", f"< {ms:.0f} ms", "–", None))
                continue
            big = s.indexing.articles >= SEARCH_CORPUS
            targets.append(Target(
                f"{what}, {engine} on {s.indexing.articles:,} articles", f"{p99:.1f} ms", f"< {ms:.0f} ms",
                fmt_ratio(p99 / ms, " limit"), (p99 < ms) if big else None,
                "" if big else f"the target is on {SEARCH_CORPUS:,} articles"))
        common, rare = s.by_class.get("common"), s.by_class.get("rare")
        p50s = (common.latency_ms("50"), rare.latency_ms("50")) if common and rare else (None, None)
        what = f"frequent one word ÷ once-only one word, p50, {engine}"
        if p50s[0] is None or p50s[1] is None or not p50s[1]:
            targets.append(Target(what, "not measured", f"<= {COMMON_TO_RARE:.0f}×", "–", None))
            continue
        share = p50s[0] / p50s[1]
        big = s.indexing.articles >= SEARCH_CORPUS
        targets.append(Target(
            f"{what} on {s.indexing.articles:,} articles", f"{share:.2f}× ({p50s[0]:.1f} / {p50s[1]:.1f} ms)",
            f"<= {COMMON_TO_RARE:.0f}×", fmt_ratio(share / COMMON_TO_RARE, " limit"),
            (share <= COMMON_TO_RARE) if big else None,
            "" if big else f"the target is on {SEARCH_CORPUS:,} articles"))
    return targets


def _wordpress_target(run: Run) -> Target:
    w = run.wordpress
    what = "WordPress import (WXR, search index built)"
    target = f">= {WORDPRESS_IMPORT_RATE} articles/s"
    if w is None:
        return Target(what, "not measured", target, "–", None)
    return Target(
        what, f"{w.per_second:.0f} articles/s, peak RSS {w.peak_kib / 1000:.0f} MB", target,
        fmt_ratio(ratio(w.per_second, WORDPRESS_IMPORT_RATE)), w.per_second >= WORDPRESS_IMPORT_RATE)


def targets_md(run: Run) -> str:
    """The Targets table."""
    rows = [
        "| figure | measured | target | ratio | result |",
        "|---|---|---|---:|---|",
    ]
    rows += [f"| {t.what} | {t.figure} | {t.target} | {t.ratio} | {t.result} |" for t in targets(run)]
    return "\n".join(rows) + "\n"


def _pages_md(title: str, runs: list[PageRun], nginx: PageRun | None, nginx_row: bool = True) -> str:
    base = nginx.result.rps if nginx else None
    rows = [
        f"### {title}",
        "",
        "| page | URL | bytes | req/s | p50 | p99 | server CPU a request | vs nginx | wrk errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for p in runs:
        r = p.result
        rows.append(
            f"| {p.name} | `{p.path}` | {p.size} | {r.rps:.2f} | {r.latency('50')} | {r.latency('99')} | "
            f"{fmt_cpu(p.cpu_ms)} | {fmt_ratio(ratio(r.rps, base))} | {r.errors or '–'} |"
        )
    if nginx and nginx_row:
        r = nginx.result
        rows.append(
            f"| nginx, static copy of the article | `{nginx.path}` | {nginx.size} | {r.rps:.2f} | "
            f"{r.latency('50')} | {r.latency('99')} | – | 1 | {r.errors or '–'} |"
        )
    return "\n".join(rows) + "\n"


def _deep_line(title: str, runs: list[PageRun], page: int) -> str:
    if len(runs) < 4:
        return ""
    first, deep = runs[2].result, runs[3].result
    return (
        f"Deep feed page, {title}: page {page} vs page 1 (`/news`): {deep.rps:.2f} vs {first.rps:.2f} req/s "
        f"= {fmt_ratio(ratio(deep.rps, first.rps))} the throughput; p50 {deep.latency('50')} vs "
        f"{first.latency('50')} = {fmt_ratio(ratio(deep.latency_ms('50'), first.latency_ms('50')))} the latency; "
        f"p99 {deep.latency('99')} vs {first.latency('99')} = "
        f"{fmt_ratio(ratio(deep.latency_ms('99'), first.latency_ms('99')))}.\n"
    )


def _memory_md(run: Run) -> str:
    rows = [
        "## Memory",
        "",
        "Peak resident set size of the server process (`VmHWM` in `/proc/PID/status`; MB = 10⁶ bytes), "
        "read after the load described, before the server is stopped.",
        "",
        "| server | articles | load before the reading | VmHWM |",
        "|---|---:|---|---:|",
    ]
    rows += [f"| {m.server} | {m.articles} | {m.load} | {m.mb:.0f} MB ({m.kib} KiB) |" for m in run.memory]
    if run.search_skipped:
        rows += ["", f"The {short(RSS_CORPUS)} figure was not measured: {run.search_skipped}."]
    return "\n".join(rows) + "\n"


def _class_sizes(queries: list[Query]) -> str:
    return ", ".join(f"{len(of_class(queries, c))} {name}" for c, name in CLASSES)


def _search_md(run: Run) -> str:
    total = len(of_class(run.queries, "all"))
    rows = [
        "## Search",
        "",
        f"{total} fixed queries (`{run.queries_file}`) picked from the first 3000 headlines of {run.corpus}: "
        f"{_class_sizes(run.queries)}. The same list on every corpus.",
        run.search_settings,
        "",
        "| corpus | import | full reindex | search req/s (all mixed) | p50 | p99 | server CPU a search | "
        "queries with results |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in run.search:
        a = s.by_class["all"]
        slow = f" ({s.slow} not answered within 60 s)" if s.slow else ""
        rows.append(
            f"| {s.indexing.articles} articles (`{s.database}`) | {s.indexing.import_cell} | "
            f"**{s.indexing.reindex_rate} articles/s** ({s.indexing.reindex_s} s) | {a.rps:.2f} | "
            f"{a.latency('50')} | {a.latency('99')} | {fmt_cpu(s.cpu_ms.get('all'))} | {s.found} of {total}{slow} |"
        )
    if run.search_skipped:
        rows.append(f"| (second corpus skipped: {run.search_skipped}) | | | | | | | |")
    rows += ["", "Server CPU a search: the server process's CPU time (user + system, `/proc/PID/stat`) during the run "
             "÷ the searches answered; over PostgreSQL the database's own work is not in it."]
    head = "| query class | queries |" + "".join(f" {s.label}: req/s | p50 | p99 |" for s in run.search)
    rows += ["", head + " wrk errors |", "|---|---:|" + "---:|---:|---:|" * len(run.search) + "---|"]
    for cls in ["all"] + [c for c, _ in CLASSES]:
        cells = "".join(
            f" {s.by_class[cls].rps:.2f} | {s.by_class[cls].latency('50')} | {s.by_class[cls].latency('99')} |"
            for s in run.search
        )
        errs = "; ".join(f"{s.label}: {s.by_class[cls].errors}" for s in run.search if s.by_class[cls].errors)
        rows.append(f"| {class_name(cls, total)} | {len(of_class(run.queries, cls))} |{cells} {errs or '–'} |")
    return "\n".join(rows) + "\n"


def _commands_md(run: Run) -> str:
    rows = ["## Commands", "", "Servers (from the repository root):", ""]
    rows += [f"- {name}: `{cmd}`" for name, cmd in run.servers]
    rows += ["", "wrk (each after a warm-up of the same command with the warm-up duration and no --latency):", ""]
    figures: list[tuple[str, WrkResult]] = []
    figures += [(f"{p.name}, page cache on", p.result) for p in run.cached]
    figures += [(f"{p.name}, page cache off", p.result) for p in run.uncached]
    figures += [(f"{p.name}, PostgreSQL, page cache on", p.result) for p in run.postgres_cached]
    figures += [(f"{p.name}, PostgreSQL, page cache off", p.result) for p in run.postgres_uncached]
    if run.nginx:
        figures.append(("nginx", run.nginx.result))
    for s in run.search:
        figures += [(f"search {s.label}, {class_name(c, len(of_class(run.queries, 'all')))}", r) for c, r in s.by_class.items()]
    if run.big_pages:
        figures.append(("home, /news and an article on the second corpus (memory)", run.big_pages))
    rows += [f"- {name}: `{r.command}`" for name, r in figures]
    return "\n".join(rows) + "\n"


def _header_md(run: Run) -> str:
    return (
        "# Shpalta benchmark\n\n"
        f"- {run.started:%Y-%m-%d %H:%M} UTC, {run.cpus}, wrk and the servers on the same machine\n"
        f"- binary: {run.binary}\n"
        f"- corpus: {run.indexing.articles} articles ({run.corpus}), SQLite {run.database}; import: "
        f"{run.indexing.import_cell}; full reindex (`shpalta reindex`): {run.indexing.reindex_s} s = "
        f"**{run.indexing.reindex_rate} articles/s**\n"
        f"- {run.settings}\n"
        f"- {run.page_cache}\n"
        f"- nginx {run.nginx_version}: the article page's HTML as a static file, 2 workers, access_log off\n"
        + (f"- NOTE: {run.deep_note}\n" if run.deep_note else "")
    )


def _targets_section_md(run: Run) -> str:
    return (
        "## Targets (issue #9)\n\n"
        + targets_md(run)
        + "\nA target counts as met only when wrk reported no errors for its figures. "
        "Ratio: the figure ÷ what the target compares it with.\n"
    )


def _pages_section_md(run: Run) -> str:
    return (
        "## Pages\n\n"
        + _pages_md("Page cache on (warm)", run.cached, run.nginx)
        + "\n"
        + _pages_md("Page cache off (SHPALTA_PAGE_CACHE_MB=0)", run.uncached, run.nginx, nginx_row=False)
        + '\n"vs nginx" = Shpalta req/s ÷ nginx req/s serving the same article bytes.\n\n'
        + _deep_line("page cache on", run.cached, run.deep_reached)
        + "\n"
        + _deep_line("page cache off", run.uncached, run.deep_reached)
        + _paired_md(run)
    )


def _paired_md(run: Run) -> str:
    """Step 8's alternating rounds of the cached article and nginx's copy (the figure of the nginx target)."""
    if not run.paired:
        return ""
    lines = [
        f"| {index} | {a.rps:.0f} | {b.rps:.0f} | {fmt_ratio(ratio(a.rps, b.rps), '')} |"
        for index, (a, b) in enumerate(run.paired, start=1)
    ]
    return (
        "\n\nThe article with the page cache warm and nginx's copy of it, in alternating rounds (the nginx target's "
        "figure is the median round's ratio):\n\n| round | article req/s | nginx req/s | ratio |\n|---:|---:|---:|---:|\n"
        + "\n".join(lines)
        + "\n"
    )


def _side_by_side_md(run: Run) -> str:
    """req/s of each page on SQLite and on PostgreSQL, page cache on and off (the pages in the same order)."""
    rows = [
        "### SQLite and PostgreSQL side by side",
        "",
        "| page | cache on: SQLite req/s | PostgreSQL req/s | PostgreSQL ÷ SQLite | cache off: SQLite req/s "
        "| PostgreSQL req/s | PostgreSQL ÷ SQLite |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    count = max(len(run.cached), len(run.uncached), len(run.postgres_cached), len(run.postgres_uncached))
    for i in range(count):
        names = list(dict.fromkeys(p.name for p in (_page(run.cached, i), _page(run.postgres_cached, i)) if p))
        cells = []
        for sqlite, postgres in [(_page(run.cached, i), _page(run.postgres_cached, i)),
                                 (_page(run.uncached, i), _page(run.postgres_uncached, i))]:
            a, b = (sqlite.result.rps if sqlite else None), (postgres.result.rps if postgres else None)
            cells += ["–" if a is None else f"{a:.2f}", "–" if b is None else f"{b:.2f}", fmt_ratio(ratio(b, a))]
        rows.append(f"| {' / '.join(names)} | " + " | ".join(cells) + " |")
    if run.postgres_pages_articles != run.indexing.articles:
        rows += ["", f"NOTE: different corpora: SQLite {run.indexing.articles} articles, PostgreSQL "
                     f"{run.postgres_pages_articles}."]
    return "\n".join(rows) + "\n"


def _postgres_floors_md(run: Run) -> str:
    """Issue #9's page-cache-off figures over PostgreSQL, for information (the targets are judged on SQLite)."""
    article, home = _page(run.postgres_uncached, 0), _page(run.postgres_uncached, 1)
    first, deep = _page(run.postgres_uncached, 2), _page(run.postgres_uncached, 3)
    parts = []
    if article:
        parts.append(f"article {article.result.rps:.0f} req/s (≥ {ARTICLE_RPS:,} on SQLite)")
    if home:
        parts.append(f"home {home.result.rps:.0f} req/s (≥ {HOME_RPS:,})")
    if first and deep:
        r = ratio(deep.result.latency_ms("50"), first.result.latency_ms("50"))
        parts.append(f"feed page {run.postgres_deep_reached} p50 {fmt_ratio(r)} page 1's (≤ {DEEP_P50}×)")
    if not parts:
        return ""
    return ("For information (the targets of issue #9 are defined on SQLite and judged there only), page cache off "
            "over PostgreSQL: " + "; ".join(parts) + ".\n")


def _postgres_pages_md(run: Run) -> str:
    """The pages over PostgreSQL (step 15), or why they were not measured."""
    if not run.postgres_cached and not run.postgres_uncached:
        why = run.postgres_pages_skipped or "the step did not run"
        return f"## Pages over PostgreSQL\n\nNot measured ({why}).\n"
    version = f"PostgreSQL {run.postgres_version}" if run.postgres_version else "PostgreSQL"
    note = f" ({run.postgres_pages_note})" if run.postgres_pages_note else ""
    return (
        "## Pages over PostgreSQL\n\n"
        f"The pages of the SQLite tables, their URLs picked the same way, from `shpalta serve` over {version} "
        f"(`{run.postgres_pages_db}`): {run.postgres_pages_articles} articles{note}. {run.postgres_page_cache}. "
        "Same wrk settings.\n\n"
        + _pages_md("PostgreSQL, page cache on (warm)", run.postgres_cached, run.nginx, nginx_row=False)
        + "\n"
        + _pages_md("PostgreSQL, page cache off (SHPALTA_PAGE_CACHE_MB=0)", run.postgres_uncached, run.nginx,
                    nginx_row=False)
        + '\n"vs nginx": the nginx figure of the Pages section.\n\n'
        + _deep_line("PostgreSQL, page cache on", run.postgres_cached, run.postgres_deep_reached)
        + "\n"
        + _deep_line("PostgreSQL, page cache off", run.postgres_uncached, run.postgres_deep_reached)
        + "\n"
        + _side_by_side_md(run)
        + "\n"
        + _postgres_floors_md(run)
    )


def _renditions_md(run: Run) -> str:
    r = run.renditions
    if r is None:
        return "## Photo renditions\n\nNot measured.\n"
    return (
        "## Photo renditions\n\n"
        f"`shpalta media rebuild` on {r.photos} photos, each a {r.size} (libvips, one photo at a time): "
        f"{r.renditions} renditions in {r.seconds:.1f} s = **{r.per_second:.1f} renditions/s** "
        f"({r.photos / max(r.seconds, 0.001):.2f} photos/s); peak RSS of the process **{r.peak_kib / 1000:.0f} MB** "
        f"({r.peak_kib} KiB, /usr/bin/time).\n\n    {r.command}\n"
    )


def _wordpress_md(run: Run) -> str:
    w = run.wordpress
    if w is None:
        return "## WordPress import\n\nNot measured.\n"
    return (
        "## WordPress import\n\n"
        f"`shpalta import wordpress` of a {w.file_bytes / 1e6:.0f} MB export ({w.articles} posts) into a fresh SQLite "
        f"database, search index included: {w.seconds:.1f} s = **{w.per_second:.0f} articles/s**; peak RSS of the "
        f"process **{w.peak_kib / 1000:.0f} MB** ({w.peak_kib} KiB, /usr/bin/time).\n\n    {w.command}\n"
    )


def results_md(run: Run) -> str:
    """data/bench/results.md."""
    sections = [
        _header_md(run),
        _targets_section_md(run),
        _pages_section_md(run),
        _postgres_pages_md(run),
        _memory_md(run),
        _renditions_md(run),
        _wordpress_md(run),
        _search_md(run),
        _commands_md(run),
    ]
    return "\n".join(sections)
