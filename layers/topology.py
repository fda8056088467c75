"""Overlaps and gaps between kelurahan, found and repaired in PostGIS.

The Kupang boundaries are simplified polygons that were digitised one by one,
so neighbours overlap by a few metres along some borders and leave sliver
gaps along others (fixtures/SOURCES.md). A point on a gap belongs to no
kelurahan; a point on an overlap belongs to two, and the answer depends on
tie-breaking. This module measures both and can repair them.

**Where the geometry work happens.** Overlay (intersection, union,
polygonize) runs on the stored EPSG:4326 coordinates, because that is the
topology every client sees: projecting to UTM 51S first rounds every vertex
and, on this data set, invents a 170th hole that is not in the stored data.
**Areas and lengths** are geodesic, ``ST_Area(geom::geography)`` on the WGS 84
ellipsoid, in m² and m — the same measure as ``luas_km2`` — so the figures need
no choice of projected CRS and carry no projection scale error.

**Definitions.** An *overlap* is a pair of kelurahan whose interiors
intersect with a positive area (reported per pair, lower kode first). A *gap*
is a hole of the union of all kelurahan: land enclosed by the city that no
kelurahan covers. The city's outer coast is not a gap.

**The repair** (``fix_topology``) rebuilds the partition from one noded set
of boundary lines, so that neighbours end up sharing exactly the same
vertices (no new slivers from floating-point overlay):

1. every kelurahan boundary is noded together (``ST_Union`` of the rings) and
   ``ST_Polygonize`` cuts the plane into faces;
2. a face covered by one kelurahan stays with it; a face covered by several
   (an overlap) goes to the one with the **lowest kode** — a fixed, documented
   rule, so the result never depends on row order;
3. a face covered by none (a gap) goes to the kelurahan that shares the
   **longest edge** with it (geodesic length; ties to the lowest kode);
4. each kelurahan becomes the union of its faces, its ``luas_km2`` is
   recomputed, each kecamatan is re-dissolved from its kelurahan, and every
   facility and project site is re-tagged through ``layers.spatial_join``.

All of it runs in one transaction: on any error nothing is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from layers.models import Facility, ProjectSite

_OVERLAPS_SQL = """
SELECT a.kode, a.nama, b.kode, b.nama, ST_Area(o.geom::geography) AS area,
       ST_AsGeoJSON(o.geom, 7)
FROM layers_kelurahan a
JOIN layers_kelurahan b ON a.kode < b.kode AND ST_Intersects(a.geometry, b.geometry)
CROSS JOIN LATERAL (
    SELECT ST_CollectionExtract(ST_Intersection(a.geometry, b.geometry), 3) AS geom
) o
WHERE NOT ST_IsEmpty(o.geom) AND ST_Area(o.geom::geography) > 0
ORDER BY area DESC, a.kode, b.kode
"""

_GAPS_SQL = """
WITH parts AS (
    SELECT (ST_Dump(ST_Union(geometry))).geom AS geom FROM layers_kelurahan
), holes AS MATERIALIZED (
    SELECT ST_MakePolygon(ST_InteriorRingN(geom, n)) AS geom
    FROM parts, generate_series(1, ST_NumInteriorRings(geom)) AS n
)
SELECT ST_Area(h.geom::geography) AS area, ST_AsGeoJSON(h.geom, 7),
       ARRAY(SELECT k.kode || ' ' || k.nama FROM layers_kelurahan k
             WHERE ST_Intersects(k.geometry, h.geom) ORDER BY k.kode) AS neighbours
FROM holes h
ORDER BY area DESC, ST_X(ST_PointOnSurface(h.geom)), ST_Y(ST_PointOnSurface(h.geom))
"""


@dataclass(frozen=True)
class Overlap:
    kode_a: str
    nama_a: str
    kode_b: str
    nama_b: str
    area_m2: float
    geometry: dict[str, Any]


@dataclass(frozen=True)
class Gap:
    number: int
    area_m2: float
    #: "kode nama" of each kelurahan touching the gap, by kode.
    neighbours: tuple[str, ...]
    geometry: dict[str, Any]


@dataclass(frozen=True)
class TopologyReport:
    """Every overlap and gap, and the threshold used for listing them."""

    overlaps: tuple[Overlap, ...]
    gaps: tuple[Gap, ...]
    min_area_m2: float = 0.0

    @property
    def significant_overlaps(self) -> tuple[Overlap, ...]:
        return tuple(o for o in self.overlaps if o.area_m2 >= self.min_area_m2)

    @property
    def significant_gaps(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.area_m2 >= self.min_area_m2)

    def summary(self) -> str:
        """One line per problem kind: count, count over the threshold, total, largest."""
        return "\n".join([
            _summary_line("Overlaps (pairs)", [o.area_m2 for o in self.overlaps],
                          self.min_area_m2),
            _summary_line("Gaps", [g.area_m2 for g in self.gaps], self.min_area_m2),
        ])


def _summary_line(label: str, areas: list[float], min_area: float) -> str:
    over = sum(1 for a in areas if a >= min_area)
    largest = max(areas, default=0.0)
    return (
        f"{label}: {len(areas)}, of which {over} ≥ {min_area:,.0f} m²; "
        f"total {sum(areas):,.0f} m², largest {largest:,.0f} m²"
    )


def _without_jit(cursor: Any) -> None:
    """PostGIS functions carry huge planner costs, so PostgreSQL JIT-compiles these
    small queries: two seconds of compiling for a tenth of a second of work."""
    cursor.execute("SET LOCAL jit = off")


def check_topology(min_area_m2: float = 0.0) -> TopologyReport:
    """Measure overlaps and gaps between kelurahan (read-only)."""
    with transaction.atomic(), connection.cursor() as cursor:
        _without_jit(cursor)
        cursor.execute(_OVERLAPS_SQL)
        overlaps = tuple(
            Overlap(ka, na, kb, nb, float(area), json.loads(geojson))
            for ka, na, kb, nb, area, geojson in cursor.fetchall()
        )
        cursor.execute(_GAPS_SQL)
        gaps = tuple(
            Gap(number, float(area), tuple(neighbours), json.loads(geojson))
            for number, (area, geojson, neighbours) in enumerate(cursor.fetchall(), start=1)
        )
    return TopologyReport(overlaps, gaps, min_area_m2)


def problems_geojson(report: TopologyReport) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (CRS84) of the problems at or above the threshold."""
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": o.geometry,
            "properties": {
                "jenis": "overlap", "kode_a": o.kode_a, "nama_a": o.nama_a,
                "kode_b": o.kode_b, "nama_b": o.nama_b, "luas_m2": round(o.area_m2, 1),
            },
        }
        for o in report.significant_overlaps
    ]
    features += [
        {
            "type": "Feature",
            "geometry": g.geometry,
            "properties": {
                "jenis": "gap", "nomor": g.number, "luas_m2": round(g.area_m2, 1),
                "tetangga": ", ".join(g.neighbours),
            },
        }
        for g in report.significant_gaps
    ]
    return {"type": "FeatureCollection", "features": features}


# -- repair -----------------------------------------------------------------

_NEW_GEOMETRY_SQL = """
CREATE TEMP TABLE topology_fix ON COMMIT DROP AS
WITH lines AS (
    SELECT ST_Union(ST_Boundary(geometry)) AS geom FROM layers_kelurahan
), polygonized AS (
    SELECT ST_Polygonize(geom) AS geom FROM lines
), faces AS (
    SELECT d.path[1] AS fid, d.geom FROM polygonized, ST_Dump(polygonized.geom) AS d
), covered AS (
    SELECT f.fid, k.id, k.kode FROM faces f
    JOIN layers_kelurahan k ON ST_Contains(k.geometry, ST_PointOnSurface(f.geom))
), owner AS (                               -- rule 2: an overlap goes to the lowest kode
    SELECT DISTINCT ON (fid) fid, id, kode FROM covered ORDER BY fid, kode
), gaps AS (
    SELECT f.fid, f.geom FROM faces f WHERE NOT EXISTS (SELECT 1 FROM covered c
                                                        WHERE c.fid = f.fid)
), shared AS (                              -- rule 3: the longest shared edge
    SELECT g.fid, o.id, o.kode,
           sum(ST_Length(ST_Intersection(ST_Boundary(g.geom),
                                         ST_Boundary(f.geom))::geography)) AS length
    FROM gaps g
    JOIN faces f ON f.fid <> g.fid AND ST_Intersects(g.geom, f.geom)
    JOIN owner o ON o.fid = f.fid
    GROUP BY g.fid, o.id, o.kode
), gap_owner AS (
    SELECT DISTINCT ON (fid) fid, id FROM shared ORDER BY fid, length DESC, kode
), assigned AS (
    SELECT fid, id FROM owner UNION ALL SELECT fid, id FROM gap_owner
)
SELECT a.id, ST_Multi(ST_Union(f.geom)) AS geom
FROM assigned a JOIN faces f USING (fid)
GROUP BY a.id
"""

_APPLY_SQL = (
    """
    UPDATE layers_kelurahan k
    SET geometry = t.geom, luas_km2 = round((ST_Area(t.geom::geography) / 1e6)::numeric, 4)
    FROM topology_fix t
    WHERE t.id = k.id AND NOT ST_Equals(t.geom, k.geometry)
    """,
    """
    UPDATE layers_kecamatan c
    SET geometry = d.geom, luas_km2 = round((ST_Area(d.geom::geography) / 1e6)::numeric, 4)
    FROM (SELECT kecamatan_id, ST_Multi(ST_Union(geometry)) AS geom
          FROM layers_kelurahan GROUP BY kecamatan_id) d
    WHERE d.kecamatan_id = c.id
    """,
)


@dataclass
class FixResult:
    before: TopologyReport
    after: TopologyReport
    kelurahan_changed: int = 0
    #: Facilities and project sites whose kelurahan changed with the boundaries.
    retagged: list[str] = field(default_factory=list)


def fix_topology(min_area_m2: float = 0.0) -> FixResult:
    """Repair overlaps and gaps with the rules in the module docstring, atomically."""
    with transaction.atomic():
        before = check_topology(min_area_m2)
        with connection.cursor() as cursor:
            _without_jit(cursor)
            cursor.execute(_NEW_GEOMETRY_SQL)
            cursor.execute(_APPLY_SQL[0])
            changed = cursor.rowcount
            cursor.execute(_APPLY_SQL[1])
            cursor.execute("DROP TABLE topology_fix")
        retagged = _retag()
        return FixResult(before, check_topology(min_area_m2), changed, retagged)


def _retag() -> list[str]:
    """Re-run the spatial join (``Model.save`` tags) where the kelurahan may have moved."""
    moved: list[str] = []
    for model in (Facility, ProjectSite):
        for feature in model.objects.all():
            old = feature.kelurahan_id
            feature.save(update_fields=["kelurahan", "kecamatan"])
            if feature.kelurahan_id != old:
                moved.append(f"{model._meta.model_name} {feature.pk} {feature.name}")
    return moved
