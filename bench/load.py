"""Load generation: wrk for fixed-duration runs, a thread pool for cold tiles.

wrk (Debian's package) runs in its own process with one thread, so the load
generator's cost is small and the same for every server; its latency
percentiles come from its HdrHistogram (``--latency``).
"""

from __future__ import annotations

import re
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

import requests

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


@dataclass
class Measurement:
    """One scenario on one server: throughput and latency (milliseconds)."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _millis(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * _UNITS[unit]


def parse_wrk(output: str, duration: float) -> Measurement:
    """Read wrk's --latency report (the 50% and 99% lines, totals, errors)."""
    p50 = _millis(re.search(r"^\s*50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _millis(re.search(r"^\s*99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    return Measurement(total, duration, rps, p50, p99, errors)


def run_wrk(url: str, duration: float, connections: int) -> Measurement:
    """Hammer one URL for ``duration`` seconds with ``connections`` keep-alive clients."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{int(duration)}s", "--latency",
               "-H", "Accept-Encoding: gzip", url]
    done = subprocess.run(command, capture_output=True, text=True, check=True,
                          timeout=duration + 60)
    return parse_wrk(done.stdout, duration)


def run_list(urls: list[str], connections: int) -> Measurement:
    """Request each URL once (cold: nothing repeats), ``connections`` at a time."""
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_maxsize=connections)
    session.mount("http://", adapter)
    latencies: list[float] = []
    errors = 0

    def fetch(url: str) -> tuple[float, int]:
        started = time.perf_counter()
        response = session.get(url, headers={"Accept-Encoding": "gzip"}, timeout=60)
        return (time.perf_counter() - started) * 1000, response.status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        for millis, status in pool.map(fetch, urls):
            latencies.append(millis)
            errors += status >= 400
    seconds = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return Measurement(len(urls), seconds, len(urls) / seconds, quantiles[49], quantiles[98],
                       errors)


def combine(runs: list[Measurement]) -> Measurement:
    """Rounds of one scenario on one server: summed throughput, median latencies."""
    total = sum(r.requests for r in runs)
    seconds = sum(r.seconds for r in runs)
    return Measurement(total, seconds, total / seconds if seconds else 0.0,
                       statistics.median(r.p50_ms for r in runs),
                       statistics.median(r.p99_ms for r in runs),
                       sum(r.errors for r in runs))
