"""Tests of the wrk output parser: `python3 -m unittest discover -s bench` or `python3 bench/bench.py --self-test`."""

from __future__ import annotations

import unittest

import wrk

PLAIN = """Running 10s test @ http://127.0.0.1:18081/article.html
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   812.00us    1.10ms  30.12ms   91.20%
    Req/Sec    20.77k     1.21k   23.04k    70.50%
  Latency Distribution
     50%  612.00us
     75%    0.89ms
     90%    1.42ms
     99%    4.79ms
  413073 requests in 10.00s, 3.92GB read
Requests/sec:  41307.25
Transfer/sec:    401.23MB
"""

ERRORS = """Running 3s test @ http://127.0.0.1:18082
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02s   301.00ms   1.99s    70.00%
    Req/Sec     3.12      2.01     10.00     80.00%
  Latency Distribution
     50%    1.02s
     75%    1.20s
     90%    1.50s
     99%    1.99s
  21 requests in 3.01s, 1.23MB read
  Socket errors: connect 0, read 2, write 0, timeout 5
  Non-2xx or 3xx responses: 3
Requests/sec:      6.98
Transfer/sec:    418.60KB
"""

NOTHING = """Running 2s test @ http://127.0.0.1:18082
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
    Req/Sec     0.00      0.00     0.00      -nan%
  Latency Distribution
     50%    0.00us
     75%    0.00us
     90%    0.00us
     99%    0.00us
  0 requests in 2.00s, 0.00B read
Requests/sec:      0.00
Transfer/sec:       0.00B
"""


class WrkParseTests(unittest.TestCase):
    """`wrk.parse` and `wrk.time_ms`."""

    def test_plain_run(self) -> None:
        r = wrk.parse(PLAIN, "wrk -t2 -c32 -d10s --latency URL")
        self.assertEqual(r.rps, 41307.25)
        self.assertEqual(r.requests, 413073)
        self.assertEqual(r.latency("50"), "612.00us")
        self.assertAlmostEqual(r.latency_ms("50") or 0, 0.612)
        self.assertAlmostEqual(r.latency_ms("99") or 0, 4.79)
        self.assertEqual(r.errors, "")
        self.assertEqual(r.command, "wrk -t2 -c32 -d10s --latency URL")

    def test_errors_are_reported(self) -> None:
        r = wrk.parse(ERRORS)
        self.assertEqual(r.rps, 6.98)
        self.assertEqual(r.socket_errors, {"connect": 0, "read": 2, "write": 0, "timeout": 5})
        self.assertEqual(r.non_2xx, 3)
        self.assertEqual(r.errors, "Socket errors: connect 0, read 2, write 0, timeout 5; Non-2xx or 3xx responses: 3")
        self.assertAlmostEqual(r.latency_ms("99") or 0, 1990.0)

    def test_nothing_completed(self) -> None:
        r = wrk.parse(NOTHING)
        self.assertEqual(r.requests, 0)
        self.assertEqual(r.latency("50"), "–")
        self.assertIsNone(r.latency_ms("99"))
        self.assertEqual(r.errors, "no request completed")

    def test_no_latency_distribution(self) -> None:
        r = wrk.parse("  10 requests in 1.00s, 1.00KB read\nRequests/sec:     10.00\n")
        self.assertEqual(r.rps, 10.0)
        self.assertEqual(r.latency("50"), "–")

    def test_missing_requests_per_second(self) -> None:
        with self.assertRaises(wrk.WrkParseError):
            wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n")

    def test_time_units(self) -> None:
        self.assertEqual(wrk.time_ms("812.00us"), 0.812)
        self.assertEqual(wrk.time_ms("12.5ms"), 12.5)
        self.assertEqual(wrk.time_ms("1.02s"), 1020.0)
        self.assertEqual(wrk.time_ms("1.50m"), 90000.0)
        self.assertIsNone(wrk.time_ms("-nan%"))

    def test_lua_script_cycles_paths(self) -> None:
        lua = wrk.lua_cycle("cycles", ["/a", "/b?q=%D1%88"])
        self.assertTrue(lua.startswith('-- cycles\nlocal paths = {\n  "/a",\n  "/b?q=%D1%88",\n}\n'))
        self.assertIn('return wrk.format("GET", paths[i])', lua)


if __name__ == "__main__":
    unittest.main()
