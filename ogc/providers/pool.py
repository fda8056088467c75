"""The connection pool the feature queries run on.

A psycopg 3 ``ConnectionPool`` of its own, opened lazily in each worker process
(after gunicorn forks) with the connection parameters and size of Django's
``default`` database (``TAKSI_DB_POOL_SIZE``). Why not Django's pool: every
time Django takes a connection from its pool, GeoDjango registers its geometry
adapters on it again (``register_geometry_adapters``), which cost as much
Python time per request as the rest of the items view together (profile in
README, "OGC API"). The feature queries need none of Django's adapters: they
receive text that PostGIS wrote.

Queries use server-side binding, so psycopg prepares a statement after it
has run ``prepare_threshold`` (5) times on a connection: the page query of a
busy collection is planned once per connection instead of once per request.

The pool is closed when the process exits (``atexit``): left to the garbage
collector at interpreter shutdown, psycopg_pool waits 5 s for each of its
threads, which by then can no longer run, and a gunicorn worker took ~25 s to
stop on SIGTERM. ``atexit`` runs while those threads still can.
"""

from __future__ import annotations

import atexit
import threading
from typing import Any

from django.db import connections
from psycopg_pool import ConnectionPool

#: Session options come from Django's settings (spatial.settings: no JIT, no
#: parallel workers for millisecond queries, the web server's statement_timeout).
_lock = threading.Lock()
_pools: dict[str, ConnectionPool] = {}


def _pool(alias: str = "default") -> ConnectionPool:
    with _lock:
        if alias not in _pools:
            wrapper = connections[alias]
            params = wrapper.get_connection_params()
            params.pop("cursor_factory", None)  # server-side binding, not ClientCursor
            params.pop("context", None)  # Django's adapters are not needed here
            params.pop("prepare_threshold", None)  # Django disables it; psycopg's 5 is wanted
            size = wrapper.settings_dict.get("OPTIONS", {}).get("pool", {}).get("max_size", 4)
            options = params.pop("options", "")
            if not _pools:
                atexit.register(close_pools)
            _pools[alias] = ConnectionPool(
                kwargs={**params, "autocommit": True, "options": options},
                min_size=1, max_size=size,
                open=True, name=f"taksi-ogc-{alias}",
            )
        return _pools[alias]


def fetchone(statement: str, params: list[Any], *, prepare: bool | None = None,
             binary: bool = False) -> tuple[Any, ...] | None:
    """One row of one statement, on a pooled connection with bound parameters.

    ``prepare=False`` plans the statement with its parameter values every time
    (no generic plan); ``binary=True`` returns bytea as raw bytes instead of hex.
    """
    with _pool().connection() as conn:
        return conn.execute(statement, params, prepare=prepare, binary=binary).fetchone()


def close_pools() -> None:
    """At exit, and for tests that drop the database the pool points at."""
    with _lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()
