"""A request body that stops arriving frees its thread: 408 after TAKSI_BODY_TIMEOUT_S.

gunicorn's gthread worker reads a body in the request's thread with no time
limit: ten connections that each sent ``Content-Length: 1000`` and a few bytes
held every thread of the server (then 2 workers x 4 threads), and nothing else
was answered until they gave up. ``spatial.wsgi`` puts a read time-out on the
socket while Django reads the body (the test server's is
``tests.conftest.TEST_BODY_TIMEOUT_S`` seconds). This does not stop a client
that trickles a byte at a time; production sits behind a buffering proxy
(README, "Deployment").
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import BASE_DIR, TEST_BODY_TIMEOUT_S, _free_port, _test_database_url

STALLED = (b"POST /ogc/processes/locate/execution HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"inputs\":")


@contextmanager
def _stalled_bodies(server_url: str, count: int) -> Iterator[list[socket.socket]]:
    address = urlsplit(server_url)
    sockets = []
    try:
        for _ in range(count):
            sock = socket.create_connection((address.hostname, address.port), timeout=60)
            sock.sendall(STALLED)
            sockets.append(sock)
        yield sockets
    finally:
        for sock in sockets:
            sock.close()


def test_a_body_that_stops_arriving_is_answered_408_after_the_timeout(server_url: str) -> None:
    with _stalled_bodies(server_url, 1) as (sock,):
        started = time.monotonic()
        response = http.client.HTTPResponse(sock)
        response.begin()
        waited = time.monotonic() - started
        body = json.loads(response.read())
    assert response.status == 408
    assert body["code"] == "RequestTimeout"
    assert f"stopped arriving for {TEST_BODY_TIMEOUT_S} seconds" in body["description"]
    assert TEST_BODY_TIMEOUT_S - 1 < waited < TEST_BODY_TIMEOUT_S + 10


@pytest.fixture(scope="module")
def two_thread_server() -> Iterator[str]:
    """One worker with two threads, so that three stalled bodies surely hold them all.

    The shared test server's 2 x 8 threads are spread over two workers by the
    kernel, so how many stalled bodies saturate both is chance (and a loaded
    machine made the rounds of time-outs slow); here it is certain.
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "TAKSI_BASE_URL": url,
           "DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
           "TAKSI_RATE_LIMIT": "0", "TAKSI_BODY_TIMEOUT_S": str(TEST_BODY_TIMEOUT_S)}
    process = subprocess.Popen(  # the deployed settings, fewer workers and threads
        [sys.executable, "-m", "gunicorn", "spatial.wsgi:application",
         "--config", "python:spatial.gunicorn_conf", "--workers", "1", "--threads", "2",
         "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "3", "--no-control-socket"],
        cwd=BASE_DIR, env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(f"{url}/ogc/conformance", timeout=30,
                             headers={"Connection": "close"})
                break
            except requests.ConnectionError:
                assert process.poll() is None and time.monotonic() < deadline, "did not start"
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.django_db
def test_more_stalled_bodies_than_threads_hold_other_clients_only_until_the_timeout(
    two_thread_server: str
) -> None:
    # Two threads reading stalled bodies, two more bodies queued behind them
    # (gthread serves a worker's connections first come, first served), then a GET.
    with _stalled_bodies(two_thread_server, 4):
        time.sleep(1)  # until both threads are reading a stalled body
        started = time.monotonic()
        # Without the time-out the bodies hold both threads until they are closed
        # (after this block), and this GET times out.
        response = requests.get(f"{two_thread_server}/ogc/conformance?f=json",
                                headers={"Connection": "close"}, timeout=30)
        waited = time.monotonic() - started
    assert response.status_code == 200
    # Two rounds of time-outs (the first already under way), with room for a loaded machine.
    assert TEST_BODY_TIMEOUT_S < waited < 2 * TEST_BODY_TIMEOUT_S + 10
