"""wrk: the command lines the benchmark runs, its output parsed, and the Lua scripts that cycle through URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# wrk prints times with these units (src/units.c: us, ms, s, m, h).
_TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_TIME = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h)$")
_PERCENTILE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)%\s+(\S+)\s*$", re.MULTILINE)
_RPS = re.compile(r"^\s*Requests/sec:\s+([0-9]+(?:\.[0-9]+)?)\s*$", re.MULTILINE)
_TOTAL = re.compile(r"^\s*([0-9]+) requests in (\S+), (\S+) read\s*$", re.MULTILINE)
_SOCKET = re.compile(
    r"^\s*Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)\s*$", re.MULTILINE
)
_NON_2XX = re.compile(r"^\s*Non-2xx or 3xx responses: ([0-9]+)\s*$", re.MULTILINE)


class WrkParseError(ValueError):
    """wrk's output lacks a figure the benchmark needs (Requests/sec)."""


def time_ms(text: str) -> float | None:
    """Milliseconds from a wrk time such as 812.00us, 12.34ms, 1.02s or 1.50m; None if it is not one."""
    m = _TIME.match(text.strip())
    if not m:
        return None
    return float(m.group(1)) * _TIME_UNITS_MS[m.group(2)]


@dataclass(frozen=True)
class WrkResult:
    """The figures of one `wrk --latency` run."""

    command: str
    rps: float
    requests: int | None
    # Latency percentiles as wrk prints them, keyed "50", "75", "90", "99".
    percentiles: dict[str, str] = field(default_factory=dict)
    # connect, read, write, timeout (all 0 when wrk printed no "Socket errors" line).
    socket_errors: dict[str, int] = field(default_factory=dict)
    non_2xx: int = 0

    def latency(self, pct: str) -> str:
        """A percentile as wrk printed it, or "–" when nothing completed or wrk printed none."""
        if self.requests == 0 or pct not in self.percentiles:
            return "–"
        return self.percentiles[pct]

    def latency_ms(self, pct: str) -> float | None:
        """A percentile in milliseconds, or None (see `latency`)."""
        return time_ms(self.latency(pct))

    @property
    def errors(self) -> str:
        """wrk's error lines joined with "; " (empty when there were none)."""
        parts = []
        if self.requests == 0:
            parts.append("no request completed")
        if any(self.socket_errors.values()):
            parts.append("Socket errors: " + ", ".join(f"{k} {v}" for k, v in self.socket_errors.items()))
        if self.non_2xx:
            parts.append(f"Non-2xx or 3xx responses: {self.non_2xx}")
        return "; ".join(parts)


def parse(output: str, command: str = "") -> WrkResult:
    """Parses the output of `wrk --latency` (Requests/sec is required; the rest is read if present)."""
    rps = _RPS.search(output)
    if not rps:
        raise WrkParseError("could not read Requests/sec from wrk's output")
    total = _TOTAL.search(output)
    percentiles = {}
    for m in _PERCENTILE.finditer(output):
        if time_ms(m.group(2)) is not None:
            percentiles[m.group(1)] = m.group(2)
    sock = _SOCKET.search(output)
    names = ("connect", "read", "write", "timeout")
    socket_errors = {n: int(sock.group(i + 1)) if sock else 0 for i, n in enumerate(names)}
    non_2xx = _NON_2XX.search(output)
    return WrkResult(
        command=command,
        rps=float(rps.group(1)),
        requests=int(total.group(1)) if total else None,
        percentiles=percentiles,
        socket_errors=socket_errors,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def command(
    url: str,
    threads: int,
    connections: int,
    duration: str,
    latency: bool = True,
    timeout: str | None = None,
    script: Path | None = None,
) -> list[str]:
    """A wrk command line: `wrk -tT -cC -dD [--timeout X] [--latency] [-s SCRIPT] URL`."""
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}"]
    if timeout:
        cmd += ["--timeout", timeout]
    if latency:
        cmd.append("--latency")
    if script:
        cmd += ["-s", str(script)]
    return cmd + [url]


_LUA_BODY = """local next_start = 0
function setup(thread)
  thread:set("start", next_start)
  next_start = next_start + 7
end
local i = 0
function init(args)
  i = (start or 0) % #paths
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def lua_cycle(comment: str, paths: list[str]) -> str:
    """A wrk script that cycles through `paths`, each thread starting at a different one."""
    listed = "".join(f'  "{p}",\n' for p in paths)
    return f"-- {comment}\nlocal paths = {{\n{listed}}}\n{_LUA_BODY}"
