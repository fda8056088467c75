"""The benchmark's own database, next to the app's (same server, ``<name>_bench``).

Kept apart so 200,000 synthetic facilities never reach the real map, and so a
rerun finds its dataset already built.
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def bench_url(django_url: str) -> str:
    parts = urlsplit(django_url)
    name = parts.path.lstrip("/") or "taksi"
    return urlunsplit(parts._replace(path=f"/{name}_bench"))


def ensure(django_url: str) -> str:
    """Create the benchmark database (with PostGIS) if missing; print its URL."""
    target = bench_url(django_url)
    admin = "postgresql://" + django_url.split("://", 1)[1]
    name = urlsplit(target).path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect("postgresql://" + target.split("://", 1)[1], autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return target


if __name__ == "__main__":
    print(ensure(sys.argv[1]))
