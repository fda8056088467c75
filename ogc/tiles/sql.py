"""The vector tile query: PostGIS builds the whole Mapbox vector tile.

One statement per tile, so the tile and the data version it was built from
come from the same snapshot (a concurrent commit cannot slip between them and
get cached under the wrong version). The ORM compiles only the *rows*: the
layer's rows for the current reader (``ogc.visibility``: published rows only for
the public, issue 7) with the declared tile properties as columns, so property paths
(``agency__nama``) become joins and every value is a bound parameter. The
tile itself is a fixed SQL shape around that row query:

- ``geometry && ST_Transform(ST_TileEnvelope(z, x, y, margin), 4326)``: the
  envelope is brought to the storage CRS so the GiST index on ``geometry``
  answers the bounding-box test (transforming the column instead would
  defeat the index);
- ``ST_Transform(geometry, 3857)`` with an *integer* SRID (see
  ``matrix.WEB_MERCATOR_SRID``);
- ``ST_AsMVTGeom`` clips to the tile plus a buffer, snaps to the 4096-unit
  tile grid and drops vertices closer than one grid cell: that *is* the
  per-zoom simplification (a grid cell is 1/4096 of the tile, so detail
  halves with each zoom level out). A separate ``ST_SimplifyPreserveTopology``
  would simplify each kelurahan on its own, opening slivers between
  neighbours, and only costs time on 3,500 vertices for the whole city;
- ``ST_AsMVT(rows, '<collection id>', 4096, 'geom', 'id')``: one MVT layer
  named by the collection id, the feature id from the primary key, features
  in primary-key order so equal data gives equal bytes (strong ETags).

Why the tile part is not ORM expressions (it was): compiling the GIS
functions (``Transform``, ``ST_TileEnvelope``, ``ST_AsMVTGeom``, a ``CASE``)
took 0.9 ms of Python per tile, against 0.16 ms for the plain row query; over
the 90 cold z14 tiles of Kupang that is a tenth of a z14 tile's own
PostgreSQL time, spent on every cold tile. ``EXPLAIN (ANALYZE, BUFFERS)``
shows the same plan either way (docs/performance.md).

The statement runs on the feature queries' pool (``ogc.providers.pool``, no
GeoDjango adapter registration per checkout) with ``prepare=False``, so
PostgreSQL plans it with the tile's values each time: a generic plan of a
prepared statement would evaluate ``ST_TileEnvelope($1, $2, $3)`` per row
instead of folding it to a constant. The row query's parameters must
therefore be plain values (text, numbers, arrays), which the layer querysets'
filters are. The tile comes back as binary bytea (no hex text to decode).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import morecantile
from django.db import connection
from django.db.models import F, QuerySet

from layers.registry import LayerDeclaration
from ogc.providers import pool
from ogc.tiles.matrix import WEB_MERCATOR_SRID
from ogc.versions import VERSION_SQL, DataVersion, layer_tables
from ogc.visibility import PUBLIC, view_key, visible_queryset

#: MVT tile extent (grid units per tile side), the de facto standard.
EXTENT = 4096
#: Buffer around lines and polygons in grid units, so strokes join across
#: tile edges. Points get none: a point belongs to the tile it lies in
#: (rows whose clipped geometry is NULL are left out by ST_AsMVT).
LINE_BUFFER = 64
STORAGE_SRID = 4326


@dataclass(frozen=True)
class RenderedTile:
    content: bytes
    version: DataVersion


def _buffer_sql(layer: LayerDeclaration) -> str:
    """The ST_AsMVTGeom buffer: a constant for single-type layers, per row for mixed ones.

    A layer of points (``PointField``) holds nothing else, so 0; polygon layers
    64. Only a mixed layer (project sites: points, lines, polygons) needs
    ``ST_Dimension`` per row, so that a point there, too, belongs to the tile
    it lies in and to no neighbour.
    """
    if layer.geometry_type == "Point":
        return "0"
    if layer.geometry_type == "Geometry":
        return f'CASE WHEN ST_Dimension(r."geometry") > 0 THEN {LINE_BUFFER} ELSE 0 END'
    return str(LINE_BUFFER)


def _row_query(layer: LayerDeclaration, queryset: QuerySet) -> tuple[str, tuple]:
    """The layer's rows, tile-independent: pk, geometry and the tile properties as tile_p<i>."""
    annotations = {f"tile_p{i}": F(p.path) for i, p in enumerate(layer.tile_property_list())}
    rows = queryset.order_by().annotate(**annotations).values("pk", "geometry", *annotations)
    return rows.query.sql_with_params()


@cache
def _public_row_query(layer: LayerDeclaration) -> tuple[str, tuple]:
    """The public row query, compiled once per process (declarations are static)."""
    return _row_query(layer, layer.public_queryset())


def tile_sql(layer: LayerDeclaration, tile: morecantile.Tile,
             queryset: QuerySet | None = None) -> tuple[str, list]:
    """The statement returning (version, changed_at, mvt bytes) for one tile.

    ``queryset`` is the set of rows the caller may see (default: the current
    reader's, ``ogc.visibility``: the public rows for anonymous requests); it
    must be a queryset of ``layer.model``.
    """
    quote = connection.ops.quote_name
    if queryset is None and view_key(layer) != PUBLIC:
        # A signed-in reader's rows, drafts included (``ogc.visibility``); the
        # cache key and ETag carry the same view key.
        queryset = visible_queryset(layer)
    if queryset is None:
        row_sql, row_params = _public_row_query(layer)
    else:
        row_sql, row_params = _row_query(layer, queryset)
    properties = "".join(
        f', r."tile_p{i}" AS {quote(p.name)}' for i, p in enumerate(layer.tile_property_list())
    )
    margin = 0 if layer.geometry_type == "Point" else LINE_BUFFER / EXTENT
    sql = (
        "SELECT v.version, v.changed_at, ("
        f"SELECT ST_AsMVT(m, %s, {EXTENT}, 'geom', 'id') FROM ("
        'SELECT r."pk" AS "id", '
        f'ST_AsMVTGeom(ST_Transform(r."geometry", {WEB_MERCATOR_SRID}), '
        f"ST_TileEnvelope(%s, %s, %s), {EXTENT}, {_buffer_sql(layer)}, true) AS \"geom\""
        f"{properties} "
        f"FROM ({row_sql}) r "
        'WHERE r."geometry" && '
        f"ST_Transform(ST_TileEnvelope(%s, %s, %s, margin => %s), {STORAGE_SRID}) "
        'ORDER BY r."pk"'  # deterministic bytes, so a strong ETag holds
        f") m) FROM ({VERSION_SQL}) v(version, changed_at)"
    )
    params = [layer.id, tile.z, tile.x, tile.y, *row_params, tile.z, tile.x, tile.y,
              float(margin), list(layer_tables(layer.id))]
    return sql, params


def render_tile(layer: LayerDeclaration, tile: morecantile.Tile,
                queryset: QuerySet | None = None) -> RenderedTile:
    """Build one tile; empty bytes when no feature touches it."""
    sql, params = tile_sql(layer, tile, queryset)
    row = pool.fetchone(sql, params, prepare=False, binary=True)
    assert row is not None  # one row: the version subquery is an aggregate
    version, changed_at, content = row
    return RenderedTile(bytes(content or b""), DataVersion(int(version), changed_at))
