"""The vector tile query: PostGIS builds the whole Mapbox vector tile.

One statement per tile, so the tile and the data version it was built from
come from the same snapshot (a concurrent commit cannot slip between them and
get cached under the wrong version). The ORM compiles the row query, so
declared property paths (``agency__nama``) become joins and every value is a
bound parameter; PostGIS does the rest:

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
  named by the collection id, the feature id from the primary key.
"""

from __future__ import annotations

from dataclasses import dataclass

import morecantile
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import Transform
from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Value, When
from django.db.models.lookups import GreaterThan

from layers.registry import LayerDeclaration
from ogc.tiles.matrix import WEB_MERCATOR_SRID
from ogc.versions import VERSION_SQL, DataVersion, layer_tables
from ogc.visibility import visible_queryset

#: MVT tile extent (grid units per tile side), the de facto standard.
EXTENT = 4096
#: Buffer around lines and polygons in grid units, so strokes join across
#: tile edges. Points get none: a point belongs to the tile it lies in
#: (rows whose clipped geometry is NULL are left out by ST_AsMVT).
LINE_BUFFER = 64
STORAGE_SRID = 4326


class TileEnvelope(Func):
    """``ST_TileEnvelope(z, x, y, margin => m)`` in EPSG:3857 (PostGIS >= 3.1)."""

    function = "ST_TileEnvelope"
    template = "%(function)s(%(expressions)s, margin => %(margin)s)"
    output_field = GeometryField(srid=WEB_MERCATOR_SRID)

    def __init__(self, tile: morecantile.Tile, margin: float = 0.0) -> None:
        super().__init__(Value(tile.z), Value(tile.x), Value(tile.y), margin=float(margin))


class AsMVTGeom(Func):
    """``ST_AsMVTGeom(geom_3857, envelope, extent, buffer, clip)``.

    The buffer is chosen per row: ``LINE_BUFFER`` for lines and polygons, 0 for
    points (``ST_Dimension`` = 0), so in the mixed projects layer too a point
    belongs to the tile it lies in and to no neighbour.
    """

    function = "ST_AsMVTGeom"
    output_field = GeometryField(srid=0)

    def __init__(self, tile: morecantile.Tile) -> None:
        buffer = Case(
            When(GreaterThan(Func(F("geometry"), function="ST_Dimension",
                                  output_field=IntegerField()), 0),
                 then=Value(LINE_BUFFER)),
            default=Value(0),
        )
        super().__init__(
            Transform(F("geometry"), WEB_MERCATOR_SRID),
            TileEnvelope(tile),
            Value(EXTENT),
            buffer,
            Value(True),
        )


@dataclass(frozen=True)
class RenderedTile:
    content: bytes
    version: DataVersion


def _row_query(layer: LayerDeclaration, tile: morecantile.Tile) -> tuple[str, tuple]:
    """The rows of one tile: id, MVT geometry and the tile properties as tile_p<i>.

    The rows are the reader's (``ogc.visibility``): the public's, or a signed-in
    user's with their drafts; the cache key tells the two apart."""
    margin = 0 if layer.geometry_type == "Point" else LINE_BUFFER / EXTENT
    search_area = Transform(TileEnvelope(tile, margin=margin), STORAGE_SRID)
    annotations = {f"tile_p{i}": F(p.path) for i, p in enumerate(layer.tile_property_list())}
    rows = (
        visible_queryset(layer).filter(geometry__bboverlaps=search_area)
        .annotate(tile_geom=AsMVTGeom(tile), **annotations)
        .order_by("pk")  # deterministic bytes, so a strong ETag holds
        .values("pk", "tile_geom", *annotations)
    )
    return rows.query.sql_with_params()


def tile_sql(layer: LayerDeclaration, tile: morecantile.Tile) -> tuple[str, list]:
    """The statement returning (version, changed_at, mvt bytes) for one tile."""
    quote = connection.ops.quote_name
    row_sql, row_params = _row_query(layer, tile)
    columns = ", ".join(
        ['r."pk" AS "id"', 'r."tile_geom" AS "geom"']
        + [f'r."tile_p{i}" AS {quote(p.name)}' for i, p in enumerate(layer.tile_property_list())]
    )
    sql = (
        "SELECT v.version, v.changed_at, ("
        f"SELECT ST_AsMVT(m, %s, {EXTENT}, 'geom', 'id') "
        f"FROM (SELECT {columns} FROM ({row_sql}) r) m"
        f") FROM ({VERSION_SQL}) v(version, changed_at)"
    )
    return sql, [layer.id, *row_params, list(layer_tables(layer.id))]


def render_tile(layer: LayerDeclaration, tile: morecantile.Tile) -> RenderedTile:
    """Build one tile; empty bytes when no feature touches it."""
    sql, params = tile_sql(layer, tile)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        version, changed_at, content = cursor.fetchone()
    return RenderedTile(bytes(content or b""), DataVersion(int(version), changed_at))
