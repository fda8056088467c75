"""Shared test set-up: a real PostGIS test database with the Kupang data, and a
real HTTP server (gunicorn, as deployed) on that database.

The Kupang fixtures are loaded once, committed, at session start; tests that
write use the ``db`` fixture, whose transaction is rolled back, so every test
sees the same 51 kelurahan, 6 kecamatan, 67 facilities and 40 sample projects.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests

BASE_DIR = Path(__file__).resolve().parent.parent
#: ``TAKSI_BODY_TIMEOUT_S`` of the test server.
TEST_BODY_TIMEOUT_S = 3


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that talk to the server need the test database to exist.

    pytest-django creates it only when a collected test is marked ``django_db``.
    """
    for item in items:
        if "server_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """The Kupang data, and the rasters built from it into a temporary directory.

    ``TAKSI_RASTER_DIR`` is set in this process and in the environment that the
    test server inherits, so a developer's own ``.data/rasters`` is never touched.
    """
    from django.conf import settings

    from layers.health_distance import rebuild_health_distance
    from layers.kupang_fixtures import load_kupang

    raster_dir = tmp_path_factory.mktemp("rasters")
    os.environ["TAKSI_RASTER_DIR"] = str(raster_dir)
    settings.TAKSI_RASTER_DIR = raster_dir
    with django_db_blocker.unblock():
        load_kupang()
        rebuild_health_distance()
    yield
    # Before pytest-django drops test_taksi: the feature pool's connections (tests
    # that call the provider and tiles in this process) would keep it in use.
    from ogc.providers.pool import close_pools

    close_pools()
    _end_other_sessions(django_db_blocker)


def _end_other_sessions(django_db_blocker: Any) -> None:
    """No session but ours on test_taksi when pytest-django drops it.

    A test server's workers have exited by now, but PostgreSQL ends their
    backends only once it notices the closed sockets; a DROP DATABASE a few
    milliseconds earlier fails ("is being accessed by other users") and
    leaves the database behind. Sessions of processes the tests started are
    ended here, and the drop waits until they are gone.
    """
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                       " WHERE datname = current_database() AND pid <> pg_backend_pid()")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity"
                           " WHERE datname = current_database() AND pid <> pg_backend_pid()")
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _test_database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    user = quote(s["USER"] or "", safe="")
    password = quote(s["PASSWORD"] or "", safe="")
    auth = f"{user}:{password}@" if password else f"{user}@"
    return f"postgis://{auth}{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture(scope="session")
def server_url(django_db_setup: None) -> Iterator[str]:
    """Base URL of gunicorn serving Taksi from the test database."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "TAKSI_BASE_URL": url,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # The suite pages through every layer many times a minute from one
        # address; the limit itself is tested in test_hardening.py.
        "TAKSI_RATE_LIMIT": "0",
        # A stalled request body is given up after this long (30 s deployed);
        # short here so tests/test_slow_clients.py need not wait.
        "TAKSI_BODY_TIMEOUT_S": str(TEST_BODY_TIMEOUT_S),
    }
    command = [
        sys.executable, "-m", "gunicorn", "spatial.wsgi:application",
        # As deployed (workers, threads, the 8190-byte request line, time-outs).
        "--config", "python:spatial.gunicorn_conf",
        "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
        # Open keep-alive connections must not hold the shutdown at teardown.
        "--graceful-timeout", "3",
        # gunicorn's control socket is per user; don't collide with `make run`.
        "--no-control-socket",
    ]
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                # The first request builds the API (OpenAPI included): slow on a busy machine.
                if requests.get(f"{url}/ogc", timeout=30).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):  # a loaded machine
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"test server on {url} did not start")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a worker stuck in a request: not a test failure
            process.kill()
            process.wait(timeout=20)


@pytest.fixture(scope="session")
def http(server_url: str) -> Iterator[requests.Session]:
    session = requests.Session()
    yield session
    session.close()


@pytest.fixture(scope="module")
def browser(server_url: str) -> Iterator[Any]:
    """One headless Chromium per browser-test module (tests.map_browser_support)."""
    from tests.map_browser_support import launch_browser

    yield from launch_browser()


# Personas of the roles tests (anonymous, editor of agency A/B, walidata, admin).
from tests.personas import *  # noqa: E402, F403

# The committed personas and clean slate of the write-API tests (real HTTP writes).
from tests.write_api_support import committed, write_api  # noqa: E402, F401
