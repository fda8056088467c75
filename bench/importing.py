"""Import scenario: 100,000 points from a GeoPackage, Taksi's import_layer against ogr2ogr.

Both load the same file into a scratch copy of the benchmark database.
ogr2ogr only copies rows into a new table; ``import_layer`` also does what
the import issue asks (decode and check every value, taxonomy matching, the
city-boundary and swapped-coordinate checks, the spatial join to kelurahan,
one transaction), so the ratio is the price of that validation.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from bench.servers import ROOT

ROWS = 100_000
EXPORT_SQL = (
    "SELECT 'impor-' || f.id AS external_id, f.name AS nama, f.category AS kategori, "
    "f.address AS alamat, f.geometry FROM layers_facility f ORDER BY f.id LIMIT {rows}"
)


def _pg(dsn: str) -> str:
    parts = urlsplit(dsn)
    return (f"PG:host={parts.hostname} port={parts.port or 5432} dbname={parts.path[1:]} "
            f"user={parts.username} password={parts.password or ''}")


def _scratch(dsn: str) -> str:
    """A fresh copy of the benchmark database (CREATE DATABASE ... TEMPLATE)."""
    source = urlsplit(dsn).path[1:]
    name = f"{source}_import"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = %s AND pid <> pg_backend_pid()"), [source])
    with psycopg.connect(dsn.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(source)))
    return dsn.rsplit("/", 1)[0] + "/" + name


def _timed(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def import_scenario(dsn: str, rows: int = ROWS) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        gpkg = Path(tmp) / "fasilitas.gpkg"
        subprocess.run(["ogr2ogr", "-f", "GPKG", str(gpkg), _pg(dsn), "-sql",
                        EXPORT_SQL.format(rows=rows), "-nln", "fasilitas"], check=True)
        scratch = _scratch(dsn)
        try:
            ogr = _timed(["ogr2ogr", "-f", "PostgreSQL", _pg(scratch), str(gpkg),
                          "-nln", "ogr2ogr_import", "-lco", "SPATIAL_INDEX=GIST"])
            env = {**os.environ, "DATABASE_URL": "postgis://" + scratch.split("://", 1)[1]}
            ours = _timed([sys.executable, "manage.py", "import_layer", "facilities",
                           str(gpkg)], env)
            with psycopg.connect(scratch) as conn:
                imported = conn.execute("SELECT count(*) FROM layers_facility "
                                        "WHERE external_id LIKE 'impor-%'").fetchone()[0]
        finally:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(
                    sql.Identifier(urlsplit(scratch).path[1:])))
    if imported != rows:
        raise RuntimeError(f"import_layer wrote {imported} rows, expected {rows}")
    return {"rows": rows, "taksi_s": round(ours, 1), "ogr2ogr_s": round(ogr, 1),
            "ratio": round(ours / ogr, 2)}
