"""The batch kelurahan lookup of imports agrees with the one ranking rule, point for point.

``locate_many`` answers geometries that intersect exactly one kelurahan with a
set-based join and sends only the others (gaps, overlaps, outside) through the
ranking (``spatial_join._RANKED``). These tests run both on the same geometries
and compare, over a grid across Kota Kupang and beyond, the overlaps of the
real boundaries, and every stored facility and project site.
"""

from __future__ import annotations

import pytest
import shapely
from django.db import connection

from layers.spatial_join import _LOCATE_MANY, locate_many

pytestmark = pytest.mark.django_db


def _ranked_only(wkbs: list[bytes]) -> list[tuple[int, int] | None]:
    """The ranking rule alone, for every geometry (the reference)."""
    with connection.cursor() as cursor:
        cursor.execute(_LOCATE_MANY, [wkbs])
        return [(r[1], r[2]) if r[1] is not None else None for r in cursor.fetchall()]


def _tags(wkbs: list[bytes]) -> list[tuple[int, int] | None]:
    return [(f.kelurahan_id, f.kecamatan_id) if f else None for f in locate_many(wkbs)]


def _rows(sql: str) -> list[bytes]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [bytes(r[0]) for r in cursor.fetchall()]


def test_a_grid_over_kupang_and_its_sea_gets_the_tags_of_the_ranking_rule() -> None:
    wkbs = [shapely.to_wkb(shapely.Point(123.50 + 0.004 * i, -10.32 + 0.004 * j))
            for i in range(56) for j in range(56)]
    tags = _tags(wkbs)
    assert tags == _ranked_only(wkbs)
    # Both branches were taken: points inside one kelurahan, and points at sea
    # (none within 50 m) that only the ranking answers.
    assert sum(t is not None for t in tags) == 851
    assert sum(t is None for t in tags) == 56 * 56 - 851


def test_points_where_kelurahan_overlap_go_through_the_ranking_and_agree_with_it() -> None:
    overlaps = _rows("""
        SELECT ST_AsBinary(ST_PointOnSurface(ST_Intersection(a.geometry, b.geometry)))
        FROM layers_kelurahan a JOIN layers_kelurahan b
          ON a.id < b.id AND ST_Overlaps(a.geometry, b.geometry)
        WHERE ST_Area(ST_Intersection(a.geometry, b.geometry)) > 0
    """)
    assert len(overlaps) >= 5  # the simplified boundaries overlap in places
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM layers_kelurahan k, unnest(%s::bytea[]) u(wkb) "
                       "WHERE ST_Intersects(k.geometry, ST_GeomFromWKB(u.wkb, 4326))",
                       [overlaps])
        assert cursor.fetchone()[0] >= 2 * len(overlaps)
    assert _tags(overlaps) == _ranked_only(overlaps)


def test_every_stored_facility_and_project_gets_the_same_tags_from_both() -> None:
    wkbs = _rows("SELECT ST_AsBinary(geometry) FROM layers_facility UNION ALL "
                 "SELECT ST_AsBinary(geometry) FROM layers_projectsite")
    assert len(wkbs) == 67 + 40
    assert _tags(wkbs) == _ranked_only(wkbs)
