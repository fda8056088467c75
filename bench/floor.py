"""The floor: the smallest WSGI server that returns a page of GeoJSON.

It runs one SQL statement that builds the whole FeatureCollection in PostGIS
(the same shape and properties as Taksi's ``facilities`` items) and returns
its bytes unchanged: no framework, no parameter checks, no links beyond
``next``. No OGC layer can be faster than this on the same database, so
Taksi's throughput as a fraction of the floor's is its overhead budget.

Run with gunicorn: ``gunicorn bench.floor:application`` (env ``FLOOR_DSN``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from urllib.parse import parse_qs

from psycopg_pool import ConnectionPool

PAGE_SQL = """
SELECT json_build_object(
    'type', 'FeatureCollection',
    'numberReturned', count(*),
    'features', coalesce(json_agg(feature ORDER BY fid), '[]'::json),
    'last', max(fid))::text
  FROM (
    SELECT f.id AS fid, json_build_object(
        'type', 'Feature', 'id', f.id,
        'geometry', ST_AsGeoJSON(f.geometry, 7)::json,
        'properties', json_build_object(
            'nama', f.name, 'kategori', f.category, 'alamat', f.address,
            'kode_opd', a.kode, 'opd', a.nama, 'sumber', f.source,
            'kode_kelurahan', kl.kode, 'kelurahan', kl.nama,
            'kode_kecamatan', kc.kode, 'kecamatan', kc.nama)) AS feature
      FROM layers_facility f
      LEFT JOIN layers_agency a ON a.id = f.agency_id
      LEFT JOIN layers_kelurahan kl ON kl.id = f.kelurahan_id
      LEFT JOIN layers_kecamatan kc ON kc.id = f.kecamatan_id
     WHERE f.id > %(after)s
       AND (%(bbox)s::float8[] IS NULL OR f.geometry && ST_MakeEnvelope(
            (%(bbox)s::float8[])[1], (%(bbox)s::float8[])[2],
            (%(bbox)s::float8[])[3], (%(bbox)s::float8[])[4], 4326))
     ORDER BY f.id
     LIMIT %(limit)s) page
"""

_pool: ConnectionPool | None = None


def _get_pool() -> ConnectionPool:
    global _pool
    if _pool is None:
        size = int(os.environ.get("FLOOR_POOL_SIZE", "4"))
        _pool = ConnectionPool(os.environ["FLOOR_DSN"], min_size=size, max_size=size, open=True)
    return _pool


def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
    """GET /items?limit=&after=&bbox= → the page's GeoJSON bytes as PostGIS made them."""
    query = parse_qs(environ.get("QUERY_STRING", ""))
    bbox = query.get("bbox", [None])[0]
    params = {
        "limit": int(query.get("limit", ["10"])[0]),
        "after": int(query.get("after", ["0"])[0]),
        "bbox": [float(v) for v in bbox.split(",")] if bbox else None,
    }
    with _get_pool().connection() as conn:
        body = conn.execute(PAGE_SQL, params).fetchone()[0].encode()
    start_response("200 OK", [("Content-Type", "application/geo+json"),
                              ("Content-Length", str(len(body)))])
    return [body]
