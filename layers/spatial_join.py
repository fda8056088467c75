"""Tag facilities and project sites with the kelurahan that holds them.

The kelurahan is always derived from the geometry in PostGIS, never taken from
a file's text column: agency files often carry stale or misspelt names. The
Kupang boundaries overlap and leave sliver gaps (see fixtures/SOURCES.md), so
the rule is explicit:

1. the kelurahan that contains the point, or for lines and polygons the one
   sharing the most length/area with it (ties broken by kode, so the answer is
   stable across runs);
2. else the nearest kelurahan within ``NEAREST_WITHIN_M`` metres (a point on a
   digitising gap between neighbours);
3. else none.
"""

from __future__ import annotations

from typing import Protocol

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

#: Points on sliver gaps between kelurahan are at most a few metres from one.
NEAREST_WITHIN_M = 50

_BEST_COVERING_SQL = """
SELECT k.id, k.kecamatan_id
FROM layers_kelurahan k, g
WHERE ST_Intersects(k.geometry, g.geom)
ORDER BY ST_Area(ST_Intersection(k.geometry, g.geom)::geography) DESC,
         ST_Length(ST_Intersection(k.geometry, g.geom)::geography) DESC,
         k.kode
LIMIT 1
"""

_NEAREST_SQL = """
SELECT k.id, k.kecamatan_id
FROM layers_kelurahan k, g
WHERE ST_DWithin(k.geometry::geography, g.geom::geography, %s)
ORDER BY ST_Distance(k.geometry::geography, g.geom::geography), k.kode
LIMIT 1
"""


class Taggable(Protocol):
    geometry: GEOSGeometry | None
    kelurahan_id: int | None
    kecamatan_id: int | None


def find_kelurahan(geometry: GEOSGeometry) -> tuple[int, int] | None:
    """Return ``(kelurahan_id, kecamatan_id)`` for a geometry, or None."""
    wrapped = "WITH g AS (SELECT ST_GeomFromEWKB(%s) AS geom) "
    if geometry.srid is None:
        geometry = GEOSGeometry(geometry.wkb, srid=4326)
    elif geometry.srid != 4326:
        geometry = geometry.transform(4326, clone=True)
    ewkb = bytes(geometry.ewkb)
    with connection.cursor() as cursor:
        cursor.execute(wrapped + _BEST_COVERING_SQL, [ewkb])
        row = cursor.fetchone()
        if row is None:
            cursor.execute(wrapped + _NEAREST_SQL, [ewkb, NEAREST_WITHIN_M])
            row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def tag_with_boundaries(feature: Taggable) -> None:
    """Fill ``kelurahan`` and ``kecamatan`` on a model instance from its geometry."""
    found = find_kelurahan(feature.geometry) if feature.geometry is not None else None
    feature.kelurahan_id, feature.kecamatan_id = found if found else (None, None)
