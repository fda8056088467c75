"""The three servers under test, each with the same number of worker processes.

- ``taksi``: as deployed (gunicorn with ``spatial/gunicorn_conf.py``, the settings
  ``make run`` and the Dockerfile load; only ``--workers`` is set here).
- ``tipg``: pinned in bench/requirements-tipg.txt, its own venv, uvicorn workers.
- ``floor``: bench/floor.py under the same gunicorn settings, one SQL statement
  per request.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ServerSpec:
    name: str
    command: list[str]
    env: dict[str, str]
    #: Path answered with 200 once the server is ready.
    ready_path: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def specs(django_url: str, libpq_url: str, python: str, tipg_python: str,
          workers: int) -> dict[str, ServerSpec]:
    """Commands for each server; ``{port}`` is filled in at start."""
    gunicorn = [python, "-m", "gunicorn", "--config", "python:spatial.gunicorn_conf",
                "--bind", "127.0.0.1:{port}", "--workers", str(workers),
                "--log-level", "warning", "--no-control-socket"]
    return {
        "taksi": ServerSpec(
            "taksi", [*gunicorn, "spatial.wsgi:application"],
            {"DATABASE_URL": django_url, "DJANGO_DEBUG": "false",
             "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "TAKSI_BASE_URL": "http://127.0.0.1:{port}",
             # One load generator on loopback is not a crowd of anonymous clients.
             "TAKSI_RATE_LIMIT": "0",
             # The memory scenario exports just over 50,000 features.
             "TAKSI_EXPORT_MAX_FEATURES": "60000"},
            "/ogc/collections/facilities/items?limit=1"),
        "tipg": ServerSpec(
            "tipg",
            [tipg_python, "-m", "uvicorn", "tipg.main:app", "--host", "127.0.0.1",
             "--port", "{port}", "--workers", str(workers), "--log-level", "warning",
             "--no-access-log"],
            {"DATABASE_URL": libpq_url, "TIPG_DB_SCHEMAS": '["public"]',
             "TIPG_DB_TABLES": '["public.layers_facility","public.layers_projectsite"]',
             "TIPG_MAX_FEATURES_PER_QUERY": "10000",
             # tipg cuts a tile at 10,000 features by default (ORDER BY id LIMIT);
             # the z12 tile over central Kupang holds ~99,000 points, so with the
             # default it sent a tenth of what Taksi sends. Same data for both.
             "TIPG_MAX_FEATURES_PER_TILE": "1000000"},
            "/collections/public.layers_facility/items?limit=1"),
        "floor": ServerSpec(
            "floor", [*gunicorn, "bench.floor:application"],
            {"FLOOR_DSN": libpq_url}, "/items?limit=1"),
    }


@dataclass(frozen=True)
class RunningServer:
    base: str
    pid: int


@contextmanager
def running(spec: ServerSpec) -> Iterator[RunningServer]:
    """Start a server, wait until it answers, yield its URL and pid, stop it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [part.replace("{port}", str(port)) for part in spec.command]
    env = {**os.environ, **{k: v.replace("{port}", str(port)) for k, v in spec.env.items()}}
    log = open(ROOT / "bench" / "results" / f"{spec.name}.log", "ab")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(base + spec.ready_path, timeout=30).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{spec.name} did not start; see bench/results/{spec.name}.log")
            time.sleep(0.3)
        yield RunningServer(base, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
