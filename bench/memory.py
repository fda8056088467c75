"""Peak server memory while streaming a 50,000-feature export.

The resident set of the whole server (gunicorn master and workers) is
sampled from /proc every 20 ms during the download; the peak minus the
idle size before it is what the export cost.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import requests

#: Just over 50,000 of the synthetic facilities (50,256; deterministic).
EXPORT_PATH = "/download/facilities.geojson?bbox=123.4,-10.175,123.8,-10.0"


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children")
        if children.exists():
            found += [int(c) for c in children.read_text().split()]
    return found


def tree_rss_mb(pid: int) -> tuple[float, float]:
    """Resident memory of a process tree in MB: (all processes, the largest one)."""
    total = largest = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                    total += rss
                    largest = max(largest, rss)
            stack += _children(current)
        except FileNotFoundError:
            continue
    return total / 1024, largest / 1024


def export_memory(base: str, pid: int) -> dict[str, float]:
    idle, idle_worker = tree_rss_mb(pid)
    peak, peak_worker = idle, idle_worker
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_worker
        while not done.is_set():
            total, largest = tree_rss_mb(pid)
            peak, peak_worker = max(peak, total), max(peak_worker, largest)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    size = 0
    try:
        with requests.get(base + EXPORT_PATH, stream=True, timeout=600) as response:
            response.raise_for_status()
            for chunk in response.iter_content(1 << 16):
                size += len(chunk)
    finally:
        done.set()
        sampler.join()
    return {"idle_mb": round(idle, 1), "peak_mb": round(peak, 1),
            "export_cost_mb": round(peak - idle, 1), "bytes": size,
            "idle_worker_mb": round(idle_worker, 1), "peak_worker_mb": round(peak_worker, 1),
            "seconds": round(time.perf_counter() - started, 2)}
