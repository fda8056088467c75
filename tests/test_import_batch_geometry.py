"""Whole-file geometry steps of imports give what the per-row steps gave."""

from __future__ import annotations

import numpy as np
import shapely
from django.contrib.gis.geos import GEOSGeometry

from layers.importing.geometry import in_degree_ranges
from layers.importing.prepare import PreparedRow
from layers.importing.resolve import _ewkb_texts

GEOMETRIES = [
    shapely.Point(123.6, -10.17),
    shapely.Point(-10.17, 123.6),  # lat/lon swapped: latitude out of range
    shapely.Point(180, 90),
    shapely.Point(180.0001, 0),
    shapely.LineString([(123.5, -10.2), (123.6, -10.1)]),
    shapely.LineString([(170, 0), (190, 0)]),  # one vertex out of range
    shapely.Polygon([(0, 0), (1, 0), (1, 91), (0, 0)]),
    shapely.Point(),
]


def _per_coordinate(geometry: shapely.Geometry) -> bool:
    """The definition: every coordinate pair within ±180° / ±90°."""
    coords = shapely.get_coordinates(geometry)
    return bool((np.abs(coords[:, 0]) <= 180).all() and (np.abs(coords[:, 1]) <= 90).all())


def test_the_degree_check_over_a_file_agrees_with_checking_every_coordinate() -> None:
    found = in_degree_ranges(np.array(GEOMETRIES, dtype=object)).tolist()
    assert found == [_per_coordinate(g) for g in GEOMETRIES]
    assert found == [True, False, True, False, True, False, False, True]


def test_geometries_become_epsg_4326_ewkb_text_that_reads_back_exactly() -> None:
    rows = [PreparedRow(n, {}, g) for n, g in enumerate(GEOMETRIES[:7], start=2)]
    rows.append(PreparedRow(9, {}, None))
    texts = _ewkb_texts(rows)
    assert sorted(texts) == [2, 3, 4, 5, 6, 7, 8]
    for row in rows[:7]:
        geos = GEOSGeometry(texts[row.number])
        assert geos.srid == 4326
        assert geos.equals_exact(GEOSGeometry(row.geometry.wkt), 0)
