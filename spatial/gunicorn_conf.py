"""gunicorn settings shared by ``make run``, the Dockerfile and the test server.

Loaded with ``--config python:spatial.gunicorn_conf``; the command line adds
only the address (and the test server its own shutdown timeout).

Why these values:

- ``limit_request_line``: gunicorn's maximum (8190 bytes; its default is
  4094). A CQL2 ``filter`` with a polygon of ~4 KB of WKT in a GET URL was
  refused with an HTML 414 before Django saw it. Longer URLs still get 414:
  use a simpler geometry or ``bbox`` (README, "OGC API").
- ``threads``: every request holds one thread while its body arrives, and
  gunicorn's gthread worker has no body-read timeout; 2 x 8 threads leave
  room, and ``spatial.wsgi`` gives up on a body that stops arriving
  (``TAKSI_BODY_TIMEOUT_S``). A client that trickles bytes can still hold a
  thread: in production gunicorn sits behind a buffering reverse proxy
  (README, "Deployment").
- ``keepalive``: seconds an idle kept-alive connection stays open (waiting
  in the worker's poller, not in a thread).
- ``timeout``: how long a worker may stop answering its arbiter before it
  is restarted (a stuck main loop, not a slow request: threads keep it alive).
- ``graceful_timeout``: time given to requests in flight on SIGTERM.
"""

worker_class = "gthread"
workers = 2
threads = 8
limit_request_line = 8190
keepalive = 5
timeout = 30
graceful_timeout = 20
