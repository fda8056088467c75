"""WSGI entry point (gunicorn ``spatial.wsgi:application``).

The web server gets a PostgreSQL ``statement_timeout`` by default (public
requests must not hold the database); management commands such as imports
are not served from here and keep running without one.

Request bodies get a read time-out: gunicorn's gthread worker reads a body
in the request's thread with a blocking socket and no time limit, so a
client that sends ``Content-Length: 1000`` and then a few bytes holds that
thread for as long as it likes, and a handful of such clients hold every
thread of the server. While Django reads the body, the socket here gives up
after ``TAKSI_BODY_TIMEOUT_S`` seconds without a byte (like nginx's
``client_body_timeout``); the read fails, and ``ogc.middleware`` answers 408.
"""

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spatial.settings")
os.environ.setdefault("TAKSI_STATEMENT_TIMEOUT_MS", "20000")
django_application = get_wsgi_application()

# Import the URLconf, and with it pygeoapi and the OGC API, while the worker
# starts rather than in its first request (~2 s). Management commands do not
# load it at all (ogc.apps keeps pygeoapi out of app start-up).
get_resolver().url_patterns  # noqa: B018


def _has_body(environ: dict[str, Any]) -> bool:
    length = environ.get("CONTENT_LENGTH") or ""
    return (length.isdigit() and int(length) > 0) or bool(environ.get("HTTP_TRANSFER_ENCODING"))


def application(environ: dict[str, Any],
                start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Django, with a time-out on each read of the request body (see the module doc)."""
    sock = environ.get("gunicorn.socket")
    if sock is None or not _has_body(environ) or settings.TAKSI_BODY_TIMEOUT_S <= 0:
        return django_application(environ, start_response)
    sock.settimeout(settings.TAKSI_BODY_TIMEOUT_S)
    try:
        return django_application(environ, start_response)
    finally:
        # The body has been read (or given up on); writing the answer is not limited.
        sock.settimeout(None)
