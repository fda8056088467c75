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
3. else none: ``validate_location`` refuses such a geometry (model
   validation, so the admin form and any API; ``save()``; the import).

One SQL ranking (``_RANKED``) implements the rule; it is used for one geometry
on ``save()``, for a whole file at once on import (``locate_many``), and for
every facility and project in one UPDATE when boundaries change
(``retag_all``), so the three can never disagree.

``locate_many`` first answers, in one set-based join, every geometry that
intersects exactly one kelurahan: the ranking's first key is "intersects",
so such a geometry gets that kelurahan whatever the later keys say. Only the
rest (on a gap, or where boundaries overlap) go through the ranking, whose
geodesic ``ST_DWithin``/``ST_Distance`` per candidate cost ~0.5 ms a point:
100,000 imported points took 49 s that way and take about 1 s now.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.db import connection

from layers.errors import OutsideCity

#: Points on sliver gaps between kelurahan are at most a few metres from one.
NEAREST_WITHIN_M = 50
#: 0.001° is at least 108 m at Kupang's latitude: a bounding-box prefilter that
#: lets the GiST index discard far kelurahan before the geodesic distance.
_PREFILTER_DEG = 0.001

#: The best kelurahan for the geometry expression ``{g}``: covering first, then nearest.
_RANKED = f"""
SELECT k.id, k.kecamatan_id, k.nama,
       ST_Distance(k.geometry::geography, {{g}}::geography) AS distance
FROM layers_kelurahan k
WHERE k.geometry && ST_Expand({{g}}, {_PREFILTER_DEG})
  AND ST_DWithin(k.geometry::geography, {{g}}::geography, {NEAREST_WITHIN_M})
ORDER BY ST_Intersects(k.geometry, {{g}}) DESC,
         ST_Area(ST_Intersection(k.geometry, {{g}})::geography) DESC,
         ST_Length(ST_Intersection(k.geometry, {{g}})::geography) DESC,
         ST_Distance(k.geometry::geography, {{g}}::geography),
         k.kode
LIMIT 1
"""

#: Geometries (by 1-based position) that intersect exactly one kelurahan, and that one.
_SINGLE_INTERSECTING = """
SELECT u.ord, min(k.id), min(k.kecamatan_id), min(k.nama)
FROM unnest(%s::bytea[]) WITH ORDINALITY AS u(wkb, ord)
JOIN layers_kelurahan k ON ST_Intersects(k.geometry, ST_GeomFromWKB(u.wkb, 4326))
GROUP BY u.ord
HAVING count(*) = 1
"""

_LOCATE_MANY = f"""
SELECT u.ord, best.id, best.kecamatan_id, best.nama, best.distance
FROM unnest(%s::bytea[]) WITH ORDINALITY AS u(wkb, ord)
LEFT JOIN LATERAL ({_RANKED.format(g="ST_GeomFromWKB(u.wkb, 4326)")}) best ON true
ORDER BY u.ord
"""

#: Tables whose rows carry kelurahan/kecamatan tags derived from their geometry.
TAGGED_TABLES = ("layers_facility", "layers_projectsite")


@dataclass(frozen=True)
class Location:
    kelurahan_id: int
    kecamatan_id: int
    kelurahan: str
    #: 0 when the geometry intersects the kelurahan, else metres to it (at most
    #: ``NEAREST_WITHIN_M``).
    distance_m: float


class Taggable(Protocol):
    geometry: GEOSGeometry | None
    kelurahan_id: int | None
    kecamatan_id: int | None


def _wgs84(geometry: GEOSGeometry) -> GEOSGeometry:
    if geometry.srid is None:
        return GEOSGeometry(geometry.wkb, srid=4326)
    if geometry.srid != 4326:
        return geometry.transform(4326, clone=True)
    return geometry


def locate_many(wkbs: list[bytes]) -> list[Location | None]:
    """The kelurahan of each EPSG:4326 WKB geometry, in one query for the whole file.

    Geometries must have latitudes within ±90° (geography casts refuse others).
    """
    if not wkbs:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_SINGLE_INTERSECTING, [list(wkbs)])
        found: dict[int, Location | None] = {
            ord_ - 1: Location(kelurahan, kecamatan, nama, 0.0)
            for ord_, kelurahan, kecamatan, nama in cursor.fetchall()
        }
        ranked = [i for i in range(len(wkbs)) if i not in found]
        if ranked:
            cursor.execute(_LOCATE_MANY, [[wkbs[i] for i in ranked]])
            for i, r in zip(ranked, cursor.fetchall(), strict=True):
                found[i] = Location(r[1], r[2], r[3], float(r[4])) if r[1] is not None else None
    return [found[i] for i in range(len(wkbs))]


def find_kelurahan(geometry: GEOSGeometry) -> tuple[int, int] | None:
    """Return ``(kelurahan_id, kecamatan_id)`` for a geometry, or None."""
    found = locate_many([bytes(_wgs84(geometry).wkb)])[0]
    return (found.kelurahan_id, found.kecamatan_id) if found else None


def tag_with_boundaries(feature: Taggable) -> None:
    """Fill ``kelurahan`` and ``kecamatan`` on a model instance from its geometry."""
    found = find_kelurahan(feature.geometry) if in_degrees(feature.geometry) else None
    feature.kelurahan_id, feature.kecamatan_id = found if found else (None, None)


def in_degrees(geometry: GEOSGeometry | None) -> bool:
    """A non-empty geometry whose EPSG:4326 coordinates are finite longitudes/latitudes.

    PostGIS refuses to cast anything else to geography (an SQL error, not an
    answer), so this is checked before any query.
    """
    if geometry is None or geometry.empty:
        return False
    try:
        xmin, ymin, xmax, ymax = _wgs84(geometry).extent
    except (GEOSException, GDALException, ValueError):
        return False
    values = (xmin, ymin, xmax, ymax)
    return (all(math.isfinite(v) for v in values)
            and -180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90)


def _described(geometry: GEOSGeometry) -> str:
    try:
        point = _wgs84(geometry).point_on_surface
        return f"({point.x:.7f} {point.y:.7f})"
    except (GEOSException, GDALException, ValueError):
        return ""


def validate_location(geometry: GEOSGeometry | None) -> Location:
    """The kelurahan of a facility's or project site's geometry, or ``OutsideCity``.

    The rule of the module docstring (containing or most-covering kelurahan,
    else the nearest within 50 m); whoever writes such a row calls this: the
    models' ``clean()`` (the admin form and any API calling ``full_clean``),
    their ``save()``, and the import (which runs the same ranking for a whole
    file in one query). The message is bilingual because it reaches API
    clients as well as admin pages.
    """
    if geometry is None or geometry.empty:
        raise OutsideCity("Lokasi kosong. / The location is empty.")
    if not in_degrees(geometry):
        raise OutsideCity(
            "Koordinat lokasi bukan bujur/lintang yang sah (EPSG:4326). / "
            "The location's coordinates are not valid longitude/latitude (EPSG:4326)."
        )
    found = locate_many([bytes(_wgs84(geometry).wkb)])[0]
    if found is None:
        where = _described(geometry)
        raise OutsideCity(
            f"Lokasi {where} di luar Kota Kupang: tidak ada kelurahan yang memuatnya atau "
            f"dalam {NEAREST_WITHIN_M} m. / Location {where} is outside Kota Kupang: no "
            f"kelurahan contains it or lies within {NEAREST_WITHIN_M} m."
        )
    return found


def tag_or_refuse(feature: Taggable, geometry_written: bool = True) -> None:
    """``save()`` of facilities and project sites: tag, and refuse a geometry outside the city.

    ``geometry_written`` is False for saves that do not write the geometry
    (``update_fields=["state"]`` of a workflow move): a row that a boundary
    re-import left outside every kelurahan can still be unpublished.
    """
    if not geometry_written:
        return
    found = validate_location(feature.geometry)
    feature.kelurahan_id, feature.kecamatan_id = found.kelurahan_id, found.kecamatan_id


def retag_all() -> dict[str, tuple[int, int]]:
    """Recompute the tags of every facility and project site after boundaries changed.

    One set-based UPDATE per table (rows whose tags do not change are not
    written). Returns ``{table: (rows changed, rows now outside every kelurahan)}``;
    the caller runs it inside the boundary import's transaction.
    """
    result: dict[str, tuple[int, int]] = {}
    with connection.cursor() as cursor:
        for table in TAGGED_TABLES:
            cursor.execute(f"""
                UPDATE {table} t
                SET kelurahan_id = best.kel, kecamatan_id = best.kec
                FROM (
                    SELECT f.id, b.id AS kel, b.kecamatan_id AS kec
                    FROM {table} f
                    LEFT JOIN LATERAL ({_RANKED.format(g="f.geometry")}) b ON true
                ) best
                WHERE t.id = best.id
                  AND (t.kelurahan_id IS DISTINCT FROM best.kel
                       OR t.kecamatan_id IS DISTINCT FROM best.kec)
            """)
            changed = cursor.rowcount
            cursor.execute(f"SELECT count(*) FROM {table} WHERE kelurahan_id IS NULL")
            result[table] = (changed, cursor.fetchone()[0])
    return result
