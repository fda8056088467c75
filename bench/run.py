"""``make bench``: run every scenario on every server, alternating, and report.

Servers are started one at a time (a shared 2-core machine cannot host three
loaded servers fairly at once) and the order rotates each round, so drift in
the machine's load spreads over all of them. Results: a table on stdout and
JSON under bench/results/; ``--markdown`` also writes docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys

import psycopg

from bench import dataset, report
from bench.importing import import_scenario
from bench.load import Measurement, combine, run_list, run_wrk
from bench.memory import export_memory
from bench.scenarios import SCENARIOS, Scenario, tile_content
from bench.servers import ROOT, running, specs


def libpq_url(django_url: str) -> str:
    """postgis://... (Django) → postgresql://... (psycopg, asyncpg, GDAL)."""
    return "postgresql://" + django_url.split("://", 1)[1]


def touch_data(dsn: str) -> None:
    """A write that changes nothing visible but must invalidate server-side tile caches."""
    with psycopg.connect(dsn) as conn:
        conn.execute("UPDATE layers_facility SET name = name WHERE id = 1")


def measure(scenario: Scenario, server: str, base: str, args: argparse.Namespace,
            dsn: str) -> Measurement | None:
    url_for = getattr(scenario, server)
    if url_for is None:
        return None
    urls = url_for(base)
    if scenario.kind == "list":
        touch_data(dsn)
        return run_list(urls, args.connections)
    return run_wrk(urls[0], args.duration, args.connections)


def run(args: argparse.Namespace) -> dict:
    django_url = os.environ["BENCH_DATABASE_URL"]
    dsn = libpq_url(django_url)
    if dataset.build(dsn, args.facilities, args.projects):
        print("bench: synthetic dataset generated", file=sys.stderr)
    servers = specs(django_url, dsn, sys.executable, args.tipg_python, args.workers)
    chosen = [s for s in SCENARIOS if not args.only or s.name in args.only]
    runs: dict[str, dict[str, list[Measurement]]] = {s.name: {} for s in chosen}
    memory: dict[str, float] = {}
    importing: dict[str, float] = {}
    tiles: dict[str, dict[str, dict[str, int]]] = {}
    order = [name for name in ("taksi", "tipg", "floor") if name in args.servers]
    for round_ in range(args.rounds):
        rotated = order[round_ % len(order):] + order[:round_ % len(order)]
        for name in rotated:
            with running(servers[name]) as server:
                for scenario in chosen:
                    print(f"bench: round {round_ + 1} {name} {scenario.name}", file=sys.stderr)
                    found = measure(scenario, name, server.base, args, dsn)
                    if found is not None:
                        runs[scenario.name].setdefault(name, []).append(found)
                if round_ == 0 and any(s.name.startswith("tile") for s in chosen):
                    tiles[name] = tile_content(name, server.base)
                if name == "taksi" and round_ == 0 and not args.skip_memory:
                    print("bench: taksi export memory", file=sys.stderr)
                    memory = export_memory(server.base, server.pid)
    if not args.skip_import:
        print("bench: import 100,000 points, import_layer vs ogr2ogr", file=sys.stderr)
        importing = import_scenario(dsn)
    results = {
        scenario: {server: combine(found).as_dict() for server, found in by_server.items()}
        for scenario, by_server in runs.items()
    }
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {k: v for k, v in vars(args).items() if k not in {"markdown", "tipg_python"}},
        "titles": {s.name: s.title for s in chosen},
        "results": results,
        "export_memory": memory,
        "import": importing,
        "tile_content": {k: v for k, v in tiles.items() if v},
    }


def machine() -> dict[str, str | int]:
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                         capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count() or 0, "python": platform.python_version(),
            "system": platform.platform()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--facilities", type=int, default=200_000)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--only", nargs="*", help="scenario names")
    parser.add_argument("--servers", nargs="*", default=["taksi", "tipg", "floor"])
    parser.add_argument("--tipg-python", default=str(ROOT / ".venv-bench" / "bin" / "python"))
    parser.add_argument("--skip-import", action="store_true",
                        help="skip the 100,000-point GeoPackage import against ogr2ogr")
    parser.add_argument("--skip-memory", action="store_true",
                        help="skip the 50,000-feature export memory measurement")
    parser.add_argument("--markdown", action="store_true", help="write docs/performance.md")
    args = parser.parse_args()
    outcome = run(args)
    stamp = outcome["when"].replace(":", "").replace("-", "")
    path = ROOT / "bench" / "results" / f"{stamp}.json"
    path.write_text(json.dumps(outcome, indent=2) + "\n")
    (ROOT / "bench" / "results" / "latest.json").write_text(json.dumps(outcome, indent=2) + "\n")
    print(report.table(outcome))
    print(f"\nJSON: {path.relative_to(ROOT)}")
    if args.markdown:
        report.write_markdown(outcome, ROOT / "docs" / "performance.md")


if __name__ == "__main__":
    main()
