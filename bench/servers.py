"""The processes the benchmark runs: `shpalta serve` and nginx, started, waited for and stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

from common import BenchError, http_get, show


@dataclass(frozen=True)
class Server:
    """A running `shpalta serve` (or nginx): its process, address, and the command that started it."""

    proc: subprocess.Popen[bytes]
    base: str
    log: Path
    command: str

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None


def _ensure_port_free(base: str, hint: str) -> None:
    if http_get(base + "/", timeout=2).status != 0:
        raise BenchError(f"something already answers on {base} ({hint})")


def _wait_ready(server: Server, path: str, seconds: float, what: str) -> None:
    """Waits until `path` answers 200; stops with the log printed if it does not within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.alive():
        if http_get(server.base + path, timeout=2).status == 200:
            return
        time.sleep(0.1)
    sys.stderr.write(server.log.read_text(errors="replace") if server.log.exists() else "")
    raise BenchError(f"{what} did not answer 200 on {server.base}{path} within {seconds:.0f} s (log above)")


def stop_server(server: Server) -> None:
    """TERM, up to 5 s, then KILL."""
    if not server.alive():
        return
    print(f"+ kill {server.pid}   # shpalta serve", flush=True)
    server.proc.terminate()
    try:
        server.proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


@contextlib.contextmanager
def shpalta(
    binary: str, port: int, database: str, media: Path, log: Path, env: Mapping[str, str] | None = None
) -> Iterator[Server]:
    """`shpalta serve` in the background on 127.0.0.1:`port` (with `env` added to the environment),
    ready (200 on /, 60 s at most) when entered, stopped when left."""
    base = f"http://127.0.0.1:{port}"
    _ensure_port_free(base, "use another port: see the BENCH_*PORT variables")
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [binary, "serve", "--port", str(port), "--database", database, "--media-dir", str(media)]
    line = show(cmd, env, f" > {log} 2>&1 &")
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    server = Server(proc, base, log, line.removesuffix(" &"))
    try:
        _wait_ready(server, "/", 60, "the server")
        print(f"ready (pid {server.pid})", flush=True)
        yield server
    finally:
        stop_server(server)


NGINX_CONF = """user root;
worker_processes 2;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type text/html;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {dir}/temp/body;
    proxy_temp_path {dir}/temp/proxy;
    fastcgi_temp_path {dir}/temp/fastcgi;
    uwsgi_temp_path {dir}/temp/uwsgi;
    scgi_temp_path {dir}/temp/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {dir}/www;
        location / {{ try_files $uri =404; }}
    }}
}}
"""


@contextlib.contextmanager
def nginx(directory: Path, port: int, page: Path) -> Iterator[Server]:
    """Debian's nginx with its own configuration in `directory` (absolute), serving `directory`/www on
    127.0.0.1:`port` (2 workers, access_log off), ready (200 on /`page`, 10 s at most) when entered and
    stopped (QUIT) when left."""
    base = f"http://127.0.0.1:{port}"
    _ensure_port_free(base, "BENCH_NGINX_PORT=... to use another")
    (directory / "temp").mkdir(parents=True, exist_ok=True)
    conf = directory / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=directory, port=port))
    print(f"+ cat {conf}")
    print("".join(f"    {line}\n" for line in conf.read_text().splitlines()), end="", flush=True)
    log = directory / "nginx-error.log"
    cmd = ["nginx", "-e", str(log), "-p", str(directory), "-c", str(conf)]
    line = show(cmd, suffix=" &")
    server = Server(subprocess.Popen(cmd), base, log, line.removesuffix(" &"))
    try:
        _wait_ready(server, f"/{page.name}", 10, "nginx")
        yield server
    finally:
        if server.alive():
            print(f"+ kill -QUIT {server.pid}   # nginx", flush=True)
            server.proc.send_signal(signal.SIGQUIT)
            try:
                server.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.proc.kill()
                server.proc.wait()


def _cpu_ticks(pid: int) -> int | None:
    """utime + stime of a process, in clock ticks (None when it is gone)."""
    try:
        return cpu_ticks(Path(f"/proc/{pid}/stat").read_text())
    except OSError:
        return None


def wait_idle(pid: int) -> None:
    """Waits (up to 120 s) until the process uses under 5% of a CPU for two half-second samples: a server just
    started still reads its search suggestions into memory (about 10 s on 100,000 articles), and one
    that wrk has left keeps working on the requests still in flight; a run measured meanwhile shares the
    machine with that work."""
    before = _cpu_ticks(pid)
    quiet = waited = 0
    threshold = os.sysconf("SC_CLK_TCK") // 40
    while before is not None and waited < 240:
        time.sleep(0.5)
        waited += 1
        after = _cpu_ticks(pid)
        if after is None:
            return
        quiet = quiet + 1 if after - before <= threshold else 0
        if quiet >= 2:
            break
        before = after
    if waited > 2:
        print(f"(waited {waited / 2:.1f} s for the server to finish its work: start-up, or the previous run's "
              "requests)", flush=True)


def cpu_seconds(pid: int) -> float:
    """The CPU time (user + system, all threads) a process has used so far, from /proc/PID/stat."""
    return cpu_ticks(Path(f"/proc/{pid}/stat").read_text()) / os.sysconf("SC_CLK_TCK")


def cpu_ticks(stat: str) -> int:
    """utime + stime, in clock ticks, from the text of a /proc/PID/stat file."""
    # The fields after the command name, which is in parentheses and may itself hold spaces or parentheses.
    fields = stat[stat.rindex(")") + 2:].split()
    # utime and stime are the file's 14th and 15th fields: the 12th and 13th after the name.
    return int(fields[11]) + int(fields[12])


def peak_rss_kib(pid: int) -> int:
    """VmHWM (the peak resident set size) of a process, in KiB, from /proc/PID/status."""
    print(f"+ grep VmHWM /proc/{pid}/status", flush=True)
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            print(line, flush=True)
            return int(line.split()[1])
    raise BenchError(f"no VmHWM in /proc/{pid}/status")
