"""gunicorn stops promptly on SIGTERM after the feature provider's pool has run.

A deploy or ``docker stop`` sends SIGTERM and waits; the connection pool of
``ogc.providers.pool`` used to hold each worker ~25 s (psycopg_pool waiting
5 s per thread at interpreter shutdown) until the pool was closed at exit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from tests.conftest import BASE_DIR, _free_port, _test_database_url


@pytest.mark.django_db
def test_gunicorn_stops_within_seconds_of_sigterm_after_serving_features() -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "TAKSI_BASE_URL": url,
           "DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "TAKSI_RATE_LIMIT": "0"}
    # The deployed command (scripts/run.sh, Dockerfile) and its graceful timeout.
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "spatial.wsgi:application",
         "--config", "python:spatial.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
         "--no-control-socket"],
        cwd=BASE_DIR, env=env, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{url}/ogc/collections/facilities/items", timeout=30,
                                headers={"Connection": "close"}).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "did not start"
            time.sleep(0.3)
        for _ in range(8):  # both workers open their pools, most likely
            response = requests.get(f"{url}/ogc/collections/kelurahan/items",
                                    params={"limit": 2}, headers={"Connection": "close"})
            assert response.status_code == 200
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        stopped_after = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=20)
    assert "couldn't stop thread" not in stderr, stderr
    assert stopped_after < 10, stopped_after
