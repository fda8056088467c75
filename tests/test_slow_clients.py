"""A request body that stops arriving frees its thread: 408 after TAKSI_BODY_TIMEOUT_S.

gunicorn's gthread worker reads a body in the request's thread with no time
limit: ten connections that each sent ``Content-Length: 1000`` and a few bytes
held every thread of the server (2 workers x 4 threads), and nothing else was
answered until they gave up. ``spatial.wsgi`` puts a read time-out on the
socket while Django reads the body (the test server's is
``tests.conftest.TEST_BODY_TIMEOUT_S`` seconds). This does not stop a client
that trickles a byte at a time; production sits behind a buffering proxy
(README, "Deployment").
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import requests

from tests.conftest import TEST_BODY_TIMEOUT_S

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


def test_more_stalled_bodies_than_threads_hold_other_clients_only_until_the_timeout(
    server_url: str
) -> None:
    # 2 workers x 8 threads = 16: every thread of both workers busy, the other
    # stalled bodies queued behind them (gthread serves a worker's connections
    # first come, first served, so queued ones wait for rounds of time-outs).
    with _stalled_bodies(server_url, 40):
        time.sleep(1.5)  # until every thread is reading a stalled body
        started = time.monotonic()
        statuses = [requests.get(f"{server_url}/ogc/conformance?f=json",
                                 headers={"Connection": "close"}, timeout=30).status_code
                    for _ in range(4)]  # new connections: each worker gets some
        waited = time.monotonic() - started
    # Without the time-out the stalled bodies hold their threads until they are
    # closed (after this block), and these GETs time out after 30 s.
    assert statuses == [200] * 4
    # At most five rounds of time-outs in one worker (40 bodies, 8 threads), with
    # room for a loaded machine.
    assert waited < 5 * TEST_BODY_TIMEOUT_S + 25
