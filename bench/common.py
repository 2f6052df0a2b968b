"""The benchmark's settings (from the environment) and its small helpers: printed commands, HTTP GETs."""

from __future__ import annotations

import http.client
import shlex
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Mapping, Sequence


class BenchError(Exception):
    """A reason to stop the benchmark (printed as "bench: ...", exit status 1)."""


def say(heading: str) -> None:
    """A step's heading."""
    print(f"\n== {heading}", flush=True)


def show(cmd: Sequence[str], env: Mapping[str, str] | None = None, suffix: str = "") -> str:
    """Prints a command shell-quoted, prefixed with "+", so that it can be pasted; returns it without "+"."""
    prefix = "".join(f"{k}={shlex.quote(v)} " for k, v in (env or {}).items())
    line = prefix + shlex.join(cmd) + suffix
    print(f"+ {line}", flush=True)
    return line


def run(cmd: Sequence[str], stdout: int | IO[bytes] | None = None, check: bool = True) -> int:
    """Prints a command and runs it (its output goes to the terminal unless `stdout` says otherwise)."""
    show(cmd)
    try:
        rc = subprocess.run(list(cmd), stdout=stdout).returncode
    except FileNotFoundError as e:
        raise BenchError(f"{cmd[0]} is missing (make deps installs it)") from e
    if check and rc != 0:
        raise BenchError(f"{cmd[0]} failed (exit status {rc})")
    return rc


def run_tee(cmd: Sequence[str]) -> tuple[str, str]:
    """Prints a command, runs it with its standard output shown as it comes and kept; returns
    (the command as printed, its standard output). Standard error goes to the terminal."""
    line = show(cmd)
    try:
        proc = subprocess.Popen(list(cmd), stdout=subprocess.PIPE, text=True, errors="replace")
    except FileNotFoundError as e:
        raise BenchError(f"{cmd[0]} is missing (make deps installs it)") from e
    with proc:
        assert proc.stdout is not None
        kept = []
        for out in proc.stdout:
            sys.stdout.write(out)
            kept.append(out)
        sys.stdout.flush()
        rc = proc.wait()
    if rc != 0:
        raise BenchError(f"{cmd[0]} failed (exit status {rc})")
    return line, "".join(kept)


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status (0 when nothing answered in time), body, and seconds taken."""

    status: int
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def http_get(url: str, timeout: float = 10.0) -> Answer:
    """GET `url` (no redirects followed, no proxies, no Accept-Encoding: like `curl -s URL`)."""
    parts = urllib.parse.urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    t0 = time.monotonic()
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=timeout)
    try:
        conn.request("GET", target)
        resp = conn.getresponse()
        body = resp.read()
        return Answer(resp.status, body, time.monotonic() - t0)
    except (OSError, http.client.HTTPException):
        return Answer(0, b"", time.monotonic() - t0)
    finally:
        conn.close()


def short(n: int) -> str:
    """100000 -> "100k" (for file names and headings); 12345 stays "12345"."""
    return f"{n // 1000}k" if n % 1000 == 0 and n > 0 else str(n)


def _int_env(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name, "") or str(default)
    if not value.isdigit():
        raise BenchError(f"{name} must be a number, not {value!r}")
    return int(value)


@dataclass(frozen=True)
class Config:
    """Every setting of a run; each comes from the environment variable named in its comment."""

    bin: str  # SHPALTA_BIN (empty: build .build/release/shpalta)
    n: int  # BENCH_N, articles in the corpus
    duration: str  # BENCH_DURATION, wrk duration per URL
    threads: int  # BENCH_THREADS
    connections: int  # BENCH_CONNECTIONS
    warmup: str  # BENCH_WARMUP
    deep_page: int  # BENCH_PAGE, the deep feed page
    port: int  # BENCH_PORT, the server (page cache on)
    nginx_port: int  # BENCH_NGINX_PORT
    nocache_port: int  # BENCH_NOCACHE_PORT, the second server (SHPALTA_PAGE_CACHE_MB=0)
    search_n: int  # BENCH_SEARCH_N, articles in the second, search-only corpus (0: none)
    search_port: int  # BENCH_SEARCH_PORT
    search_threads: int  # BENCH_SEARCH_THREADS
    search_connections: int  # BENCH_SEARCH_CONNECTIONS
    search_duration: str  # BENCH_SEARCH_DURATION
    search_timeout: str  # BENCH_SEARCH_TIMEOUT
    reuse: bool  # BENCH_REUSE
    postgres: str  # BENCH_POSTGRES: a URL, "auto" (Debian's cluster, a database kept between runs) or "" (none)
    postgres_port: int  # BENCH_POSTGRES_PORT, step 11's server, then the pages' server with the page cache on
    postgres_nocache_port: int  # BENCH_POSTGRES_NOCACHE_PORT, the pages' server over PostgreSQL with the cache off
    shared: Path  # SHARED
    data: Path = Path("data/bench")

    @staticmethod
    def from_env(env: Mapping[str, str]) -> Config:
        """The settings from `env`, with the defaults of the documentation (bench/bench.py's docstring)."""
        n = _int_env(env, "BENCH_N", 20000)
        duration = env.get("BENCH_DURATION") or "10s"
        postgres = env.get("BENCH_POSTGRES", "auto")
        if postgres == "off":
            postgres = ""
        if postgres and postgres != "auto" and not postgres.startswith(("postgres://", "postgresql://")):
            raise BenchError("BENCH_POSTGRES must be a postgres:// URL, auto or off")
        return Config(
            bin=env.get("SHPALTA_BIN", ""),
            n=n,
            duration=duration,
            threads=_int_env(env, "BENCH_THREADS", 2),
            connections=_int_env(env, "BENCH_CONNECTIONS", 32),
            warmup=env.get("BENCH_WARMUP") or "2s",
            deep_page=max(1, _int_env(env, "BENCH_PAGE", 1000)),
            port=_int_env(env, "BENCH_PORT", 18080),
            nginx_port=_int_env(env, "BENCH_NGINX_PORT", 18081),
            nocache_port=_int_env(env, "BENCH_NOCACHE_PORT", 18084),
            search_n=_int_env(env, "BENCH_SEARCH_N", 100000 if n == 20000 else 0),
            search_port=_int_env(env, "BENCH_SEARCH_PORT", 18082),
            search_threads=_int_env(env, "BENCH_SEARCH_THREADS", 1),
            search_connections=_int_env(env, "BENCH_SEARCH_CONNECTIONS", 8),
            search_duration=env.get("BENCH_SEARCH_DURATION") or duration,
            search_timeout=env.get("BENCH_SEARCH_TIMEOUT") or "30s",
            reuse=bool(env.get("BENCH_REUSE")),
            postgres=postgres,
            postgres_port=_int_env(env, "BENCH_POSTGRES_PORT", 18083),
            postgres_nocache_port=_int_env(env, "BENCH_POSTGRES_NOCACHE_PORT", 18085),
            shared=Path(env.get("SHARED") or "../shared"),
        )

    def corpus_dir(self, n: int) -> Path:
        return self.data / f"corpus-{n}"

    def corpus(self, n: int) -> Path:
        return self.corpus_dir(n) / "corpus.jsonl"

    @property
    def db(self) -> Path:
        """bench.sqlite for the default 20,000 articles, bench-3k.sqlite for BENCH_N=3000 (so that a quick run
        does not replace the default corpus's database, nor BENCH_REUSE keep one of another size)."""
        return self.data / ("bench.sqlite" if self.n == 20000 else f"bench-{short(self.n)}.sqlite")

    @property
    def media(self) -> Path:
        return self.data / ("media" if self.n == 20000 else f"media-{short(self.n)}")

    @property
    def search_db(self) -> Path:
        return self.data / f"search-{short(self.search_n)}.sqlite"

    @property
    def search_media(self) -> Path:
        return self.data / f"search-{short(self.search_n)}-media"

    @property
    def postgres_media(self) -> Path:
        return self.data / "postgres-media"

    @property
    def results(self) -> Path:
        return self.data / "results.md"

    @property
    def queries(self) -> Path:
        return self.data / "search-queries.tsv"

    @property
    def lua_dir(self) -> Path:
        return self.data / "search-lua"

    @property
    def logs(self) -> Path:
        return self.data / "logs"

    @property
    def nginx_dir(self) -> Path:
        return self.data / "nginx"

    def base(self, port: int) -> str:
        return f"http://127.0.0.1:{port}"

