"""Protection of the public API: a per-client rate limit and query time-outs.

Both answer in the OGC exception shape of ``ogc.errors`` with a
``Retry-After`` header, so a GIS client or script can back off instead of
seeing an HTML error page or a stack trace.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from psycopg.errors import QueryCanceled

from ogc.errors import QueryTimeout, RequestTimeout, TooManyRequests, error_response

#: Paths whose anonymous use is rate-limited: the API and bulk downloads.
LIMITED_PREFIXES = ("/ogc/", "/ogc", "/download/")
WINDOW_S = 60.0


def client_ip(request: HttpRequest) -> str:
    """The client's address: the proxy's X-Forwarded-For hop when behind one.

    Only with ``TAKSI_BEHIND_PROXY`` is the header trusted, and then only its
    last entry (the one the proxy itself appended); anything else a client
    can forge.
    """
    if settings.TAKSI_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")


class _FixedWindows:
    """Request counts per client in fixed one-minute windows, in this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._window_start = 0.0
        self._counts: dict[str, int] = {}

    def hit(self, client: str, now: float) -> tuple[int, float]:
        """Count a request; return (count in this window, seconds until it ends)."""
        with self._lock:
            if now - self._window_start >= WINDOW_S:
                self._window_start = now
                self._counts = {}  # old windows are dropped whole: memory stays bounded
            self._counts[client] = self._counts.get(client, 0) + 1
            return self._counts[client], self._window_start + WINDOW_S - now

    def reset(self) -> None:
        with self._lock:
            self._window_start = 0.0
            self._counts = {}


WINDOWS = _FixedWindows()


class AnonymousRateLimitMiddleware:
    """429 + Retry-After for anonymous clients above ``TAKSI_RATE_LIMIT`` a minute.

    Counted per worker process (no shared store on the request path, which
    would cost every request a round trip); with N workers a client gets at
    most N × the limit. Signed-in staff and valid API tokens are never limited.

    It runs before ``layers.tokens.BearerTokenMiddleware``, so a request with
    a bearer token is judged by its answer: a refused token (401) counts like
    an anonymous request, and past the limit it gets the 429 instead, so
    guessing tokens is not a way around the limit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.TAKSI_RATE_LIMIT
        if (limit <= 0 or not request.path.startswith(LIMITED_PREFIXES)
                or request.user.is_authenticated):
            return self.get_response(request)
        bearer = request.META.get("HTTP_AUTHORIZATION", "").strip().lower().startswith("bearer")
        if not bearer:
            refused = self._count(request, limit)
            return refused if refused is not None else self.get_response(request)
        response = self.get_response(request)
        if response.status_code == 401:
            return self._count(request, limit) or response
        return response

    @staticmethod
    def _count(request: HttpRequest, limit: int) -> HttpResponse | None:
        count, remaining = WINDOWS.hit(client_ip(request), time.monotonic())
        if count <= limit:
            return None
        response = error_response(TooManyRequests(
            f"Terlalu banyak permintaan: batasnya {limit} per menit. "
            f"Too many requests: the limit is {limit} a minute."))
        response["Retry-After"] = str(max(1, math.ceil(remaining)))
        return response


class QueryTimeoutMiddleware:
    """A query cancelled at ``statement_timeout`` becomes a 503, not a 500;
    a request body that stopped arriving becomes a 408.

    The query time-out protects the database from one expensive request (a
    huge bbox with a slow filter); the client learns to narrow its request.
    The body time-out (``spatial.wsgi``) frees the thread a stalled upload
    held; Django reports the failed read as ``UnreadablePostError``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UnreadablePostError) and _timed_out(exception):
            return _body_timeout(request)
        # Django wraps psycopg's error; the feature provider's own pool raises it bare.
        cancelled = isinstance(exception, QueryCanceled) or (
            isinstance(exception, OperationalError)
            and isinstance(exception.__cause__, QueryCanceled))
        if cancelled:
            response = error_response(QueryTimeout(
                "Permintaan terlalu berat dan dihentikan; persempit bbox, filter atau limit. "
                "The request took too long and was stopped; narrow bbox, filter or limit."))
            response["Retry-After"] = "30"
            return response
        return None


def _timed_out(exception: BaseException) -> bool:
    """A socket time-out somewhere in the chain (Django wraps the error once or twice)."""
    cause: BaseException | None = exception
    while cause is not None:
        if isinstance(cause, TimeoutError):
            return True
        cause = cause.__cause__
    return False


def _body_timeout(request: HttpRequest) -> HttpResponse:
    seconds = settings.TAKSI_BODY_TIMEOUT_S
    error = RequestTimeout(
        f"Isi permintaan berhenti terkirim selama {seconds} detik; kirim ulang. / "
        f"The request body stopped arriving for {seconds} seconds; send it again.")
    if request.path.startswith(LIMITED_PREFIXES):
        return error_response(error)
    return HttpResponse(f"{error.description}\n", status=error.status,
                        content_type="text/plain; charset=utf-8")
