#!/usr/bin/env python3
"""Runs the Swift suites in their phases, each under a time limit.

Run inside `pg_virtualenv`, so that the PostgreSQL suites get a throw-away cluster. The suites with time checks run
alone after the rest, so that they measure the server rather than the other suites sharing two cores.

A phase that outlives its limit is stopped with everything it started, and the tests that began but never ended are
named, last in the output and in `.build/tests-unfinished.txt`: a hang costs minutes and says where it is, instead of
running into CI's limit without a word.
"""

import os
import re
import signal
import subprocess
import sys
import time

TIMED = "SlowClientTests|PageCacheTimingTests|SchedulerTests|CDNPurgeTests|WebhookTests"
# (name, limit in seconds, arguments for `swift test`); about 5, 1, 1 and 1 minutes on this 2-core machine.
PHASES = [
    (
        "the suites",
        15 * 60,
        [arg for suite in TIMED.split("|") + ["HardeningTests", "ClusterTests"] for arg in ("--skip", suite)],
    ),
    ("the timed suites", 10 * 60, ["--filter", TIMED]),
    ("the hardening suite", 10 * 60, ["--filter", "HardeningTests"]),
    ("the cluster suite", 10 * 60, ["--filter", "ClusterTests"]),
]
# At most this many tests of the first phase at once. Started all together, some 300 cases each create and migrate a
# PostgreSQL database at the same moment: setup then took minutes, and PostgresNIO's pools stopped finishing when
# closed (the hang that ran CI into its limit on 2026-12-06).
PARALLEL = {"the suites": "24"}
REPORT = os.path.join(".build", "tests-unfinished.txt")

STARTED = re.compile(r'^◇ Test "(.*)" started\.$')
ENDED = re.compile(r'^[✔✘➜] Test "(.*)" (?:with \d+ test cases? )?(?:passed|failed|skipped)')
CASE_STARTED = re.compile(r'^◇ Test case passing .* to "(.*)" started\.$')


def unfinished(lines):
    """The tests that started and never ended, each with the last of its test cases that started."""
    running = {}
    for line in lines:
        line = line.rstrip("\n")
        if match := STARTED.match(line):
            running[match.group(1)] = None
        elif match := CASE_STARTED.match(line):
            if match.group(1) in running:
                running[match.group(1)] = line
        elif match := ENDED.match(line):
            running.pop(match.group(1), None)
    return running


def stop(process):
    """Stops everything the phase started: `swift test` runs the test binary in a process group of its own, so each
    process of the phase's session gets SIGTERM, then SIGKILL after 20 seconds."""
    for sig, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        subprocess.run(["pkill", f"-{sig.value}", "-s", str(process.pid)], check=False)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        if subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True, check=False).returncode != 0:
            return


def run(name, limit, arguments):
    command = ["swift", "test", "--skip-build"] + arguments
    print(f"== {name}: {' '.join(command)} (at most {limit // 60} min)", flush=True)
    env = dict(os.environ)
    if name in PARALLEL:
        env["SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH"] = PARALLEL[name]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, bufsize=0, env=env
    )
    lines = []
    deadline = time.monotonic() + limit
    timed_out = False
    buffer = b""
    os.set_blocking(process.stdout.fileno(), False)
    while True:
        chunk = None
        try:
            chunk = process.stdout.read(65536)
        except BlockingIOError:
            chunk = None
        if chunk:
            sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            lines.extend(part.decode("utf-8", "replace") for part in complete)
            continue
        if chunk == b"" and process.poll() is not None:
            break
        if time.monotonic() > deadline:
            timed_out = True
            stop(process)
            break
        time.sleep(0.05)
    if buffer:
        lines.append(buffer.decode("utf-8", "replace"))
    status = process.wait()
    if not timed_out:
        return status
    report = [f"\n✘ {name} did not end within {limit // 60} minutes and were stopped. Tests still running:"]
    for test, case in unfinished(lines).items():
        report.append(f'✘   "{test}"' + (f"  (last case started: {case})" if case else ""))
    text = "\n".join(report) + "\n"
    print(text, flush=True)
    os.makedirs(os.path.dirname(REPORT), exist_ok=True)
    with open(REPORT, "a", encoding="utf-8") as file:
        file.write(text)
    return 124


def self_test():
    lines = [
        '◇ Test "a" started.',
        '◇ Test "b "quoted" name" started.',
        '◇ Test "c" started.',
        '◇ Test case passing 1 argument x → "1" to "c" started.',
        '◇ Test case passing 1 argument x → "2" to "c" started.',
        '✔ Test "a" passed after 1.0 seconds.',
        '✘ Test "b "quoted" name" with 2 test cases failed after 2.0 seconds with 1 issue.',
        '◇ Test "d" started.',
        '➜ Test "d" skipped.',
    ]
    left = unfinished(lines)
    assert list(left) == ["c"], left
    assert left["c"].endswith('"2" to "c" started.'), left
    print("phases.py self-test passed")


def main():
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return 0
    if "PGHOST" in os.environ:
        env = os.environ
        os.environ["SHPALTA_TEST_POSTGRES"] = (
            f"postgres://{env['PGUSER']}:{env['PGPASSWORD']}@{env['PGHOST']}:{env['PGPORT']}/{env['PGDATABASE']}"
        )
    if os.path.exists(REPORT):
        os.remove(REPORT)
    for name, limit, arguments in PHASES:
        status = run(name, limit, arguments)
        if status != 0:
            return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
