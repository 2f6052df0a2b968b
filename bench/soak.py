#!/usr/bin/env python3
"""`make soak`: the server under steady load for a long time, to find what a short benchmark cannot: leaks, errors
that come after hours, a cache that grows past its bound.

  1. a database of the demo corpus (`make corpus`), imported once into data/soak/soak.sqlite;
  2. `shpalta serve` (the release build) on it;
  3. its capacity: wrk for 20 s, after as long a warm-up, over a mix of pages (home, /news and its pages, stories, rubrics) and searches,
     every story a distinct address, so that the page cache holds some and misses others;
  4. the soak: the same mix at SOAK_LOAD (0.8) of that capacity for SOAK_MINUTES (30), paced by a delay in wrk's
     script; the server's resident memory is sampled every 10 s;
  5. the report: requests, errors (socket errors and answers other than 2xx/3xx; target 0) and RSS growth from the
     end of the first minute to the last minute (target under 10 %), printed and written to data/soak/results.md.
     The exit status is 1 when a target is missed.

Environment: SOAK_MINUTES, SOAK_LOAD, SOAK_PORT (18090), SOAK_CONNECTIONS (16), SHPALTA_BIN
(.build/release/shpalta), SOAK_CORPUS (data/corpus-3000/corpus.jsonl).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import servers
import wrk
from common import BenchError, http_get, run, say, show

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "soak"
SEARCHES = ["Львів", "Київ", "школа", "ремонт доріг", "війна", "лікарня", "концерт", "футбол"]


def env_number(name: str, default: float) -> float:
    value = os.environ.get(name)
    try:
        return float(value) if value else default
    except ValueError as error:
        raise BenchError(f"{name} must be a number, not {value!r}") from error


def rss_kib(pid: int) -> int | None:
    """VmRSS of a process, in KiB (None when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def memory_kib(pid: int) -> dict[str, int]:
    """The process's resident memory split as /proc/PID/smaps_rollup gives it (Rss, Anonymous, ...), in KiB."""
    found: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                found[parts[0].rstrip(":")] = int(parts[1])
    except OSError:
        pass
    return found


def cache_held(base: str) -> tuple[int, int]:
    """(bytes, pages) the page cache holds, from /metrics ((-1, -1) when it cannot be read)."""
    try:
        text = http_get(base + "/metrics").text
    except Exception:  # noqa: BLE001 - a sample that fails is only missing from the trace
        return -1, -1
    def value(metric: str) -> int:
        # One line a cache (the pages', the API's): summed.
        found = re.findall(rf"^{metric}(?:{{[^}}]*}})? ([0-9.e+]+)$", text, re.MULTILINE)
        return int(sum(float(number) for number in found)) if found else -1
    return value("shpalta_page_cache_held_bytes"), value("shpalta_page_cache_held_pages")


def paths(base: str) -> list[str]:
    """The mix: home, /news and the pages behind it, every story and rubric linked from them, and searches."""
    found = ["/", "/news"]
    page = "/news"
    for _ in range(30):
        html = http_get(base + page).text
        found += re.findall(r'href="(/news/[a-z0-9-]+)"', html)
        found += re.findall(r'href="(/rubric/[a-z0-9-]+)"', html)
        more = re.search(r'href="(/news\?[^"]+)"', html)
        if not more:
            break
        page = more.group(1).replace("&amp;", "&")
        found.append(page)
    found += ["/search?q=" + urllib.parse.quote(word) for word in SEARCHES]
    unique = list(dict.fromkeys(found))
    if len(unique) < 20:
        raise BenchError(f"only {len(unique)} addresses found on {base}/news")
    return unique


def lua(addresses: list[str], delay_ms: float) -> str:
    """A wrk script cycling through `addresses`, waiting `delay_ms` before each request (0: as fast as it can)."""
    script = wrk.lua_cycle("make soak", [a.replace('"', "%22") for a in addresses])
    if delay_ms > 0:
        script += f"function delay()\n  return {delay_ms:.2f}\nend\n"
    return script


def main() -> int:
    minutes = env_number("SOAK_MINUTES", 30)
    load = env_number("SOAK_LOAD", 0.8)
    connections = int(env_number("SOAK_CONNECTIONS", 16))
    port = int(env_number("SOAK_PORT", 18090))
    binary = os.environ.get("SHPALTA_BIN", str(ROOT / ".build/release/shpalta"))
    corpus = Path(os.environ.get("SOAK_CORPUS", str(ROOT / "data/corpus-3000/corpus.jsonl")))
    if not Path(binary).is_file():
        raise BenchError(f"no server binary at {binary}: run `swift build -c release` (make soak does)")
    DATA.mkdir(parents=True, exist_ok=True)
    database = DATA / "soak.sqlite"
    media = DATA / "media"

    say(f"1. the database: {database}")
    if not database.is_file():
        if not corpus.is_file():
            raise BenchError(f"no corpus at {corpus}: run `make corpus`")
        run([binary, "import", "jsonl", str(corpus), "--database", str(database), "--media-dir", str(media),
             "--stock-photos", str(ROOT / "Demo/photos")])

    say(f"2. the server on 127.0.0.1:{port}")
    env = {"SHPALTA_API_RATE_LIMIT": "100000000"}
    with servers.shpalta(binary, port, str(database), media, DATA / "server.log", env) as server:
        addresses = paths(server.base)
        print(f"{len(addresses)} addresses in the mix", flush=True)

        say(f"3. capacity: wrk -t2 -c{connections} -d20s over the mix, after a 20-second warm-up")
        script = DATA / "capacity.lua"
        script.write_text(lua(addresses, 0))
        # The first pass renders and caches the pages and fills the lemma caches: capacity is a warm server's.
        run_wrk(wrk.command(server.base, 2, connections, "20s", latency=False, script=script))
        servers.wait_idle(server.pid)
        capacity = wrk.parse(*reversed(run_wrk(wrk.command(server.base, 2, connections, "20s", script=script))))
        print(f"capacity: {capacity.rps:,.0f} requests/s", flush=True)
        servers.wait_idle(server.pid)

        target = capacity.rps * load
        # Each connection sends a request, waits for its answer, then pauses: the pause is its share of a second
        # less the answer's own time, which is shorter at a lighter load. Two 10-second trials find it.
        delay = max(0.0, connections / target * 1000 - (capacity.latency_ms("50") or 1.0))
        script = DATA / "soak.lua"
        for trial in (1, 2):
            script.write_text(lua(addresses, delay))
            tried = wrk.parse(*reversed(run_wrk(wrk.command(server.base, 2, connections, "10s", script=script))))
            answer_ms = max(0.0, connections / max(tried.rps, 1) * 1000 - delay)
            delay = max(0.0, connections / target * 1000 - answer_ms)
            print(f"trial {trial}: {tried.rps:,.0f} requests/s; next pause {delay:.2f} ms", flush=True)
        say(f"4. the soak: {minutes:g} minutes at {load:.0%} of capacity ({target:,.0f} requests/s, a {delay:.2f} ms "
            f"pause per connection), RSS sampled every 10 s")
        script.write_text(lua(addresses, delay))
        samples: list[tuple[float, int]] = []
        trace = DATA / "memory.tsv"
        trace.write_text("seconds\trss_kib\tanonymous_kib\tfile_kib\tpage_cache_bytes\tpage_cache_pages\n")
        stop = threading.Event()

        def sample() -> None:
            started = time.monotonic()
            while not stop.wait(10):
                value = rss_kib(server.pid)
                if value is not None:
                    at = time.monotonic() - started
                    samples.append((at, value))
                    split = memory_kib(server.pid)
                    held, pages = cache_held(server.base)
                    with trace.open("a") as out:
                        out.write(f"{at:.0f}\t{value}\t{split.get('Anonymous', -1)}\t"
                                  f"{split.get('Rss', value) - split.get('Anonymous', 0)}\t{held}\t{pages}\n")

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        duration = f"{int(minutes * 60)}s"
        soak = wrk.parse(*reversed(run_wrk(wrk.command(server.base, 2, connections, duration, timeout="10s",
                                                        script=script))))
        stop.set()
        sampler.join()
        alive = server.alive()

    say("5. the report")
    first = [kib for at, kib in samples if 60 <= at < 120] or [kib for _, kib in samples[:6]]
    last = [kib for at, kib in samples if at >= samples[-1][0] - 60] if samples else []
    if not first or not last:
        raise BenchError("too few memory samples: run for at least two minutes")
    start_rss, end_rss = statistics.mean(first), statistics.mean(last)
    growth = (end_rss - start_rss) / start_rss
    errors = sum(soak.socket_errors.values()) + soak.non_2xx + (0 if alive else 1)
    lines = [
        f"# make soak, {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"- capacity over the mix of {len(addresses)} addresses: {capacity.rps:,.0f} requests/s (`{capacity.command}`)",
        f"- soak: {minutes:g} minutes at {soak.rps:,.0f} requests/s ({soak.rps / capacity.rps:.0%} of capacity), "
        f"{soak.requests or 0:,} requests, p99 {soak.latency('99')} (`{soak.command}`)",
        f"- errors: {errors} (target 0){': ' + soak.errors if soak.errors else ''}"
        f"{'' if alive else '; the server stopped'}",
        f"- RSS: {start_rss / 1024:.1f} MB after the first minute, {end_rss / 1024:.1f} MB in the last: "
        f"{growth:+.1%} (target under 10 %); peak {max(k for _, k in samples) / 1024:.1f} MB",
        f"- every sample (resident memory split into anonymous and file-backed, and the page cache's bytes and pages "
        f"from /metrics): {trace}",
    ]
    report = "\n".join(lines) + "\n"
    print(report, flush=True)
    (DATA / "results.md").write_text(report)
    return 0 if errors == 0 and growth < 0.10 else 1


def run_wrk(cmd: list[str]) -> tuple[str, str]:
    """Runs wrk; returns (its command, its output)."""
    line = show(cmd)
    output = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    print(output, flush=True)
    return line, output


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"soak: {error}", file=sys.stderr)
        sys.exit(1)
