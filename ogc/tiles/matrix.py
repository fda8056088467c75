"""The tile matrix sets Taksi serves and the checks on tile path parameters.

All tile math (matrix sizes, tile bounds) comes from morecantile's definition
of the OGC WebMercatorQuad tile matrix set (OGC 17-083r4, Annex D.1); nothing
is computed by hand here.
"""

from __future__ import annotations

from functools import cache

import morecantile
from morecantile import TileMatrixSet

from ogc.errors import NotFound

WEB_MERCATOR_QUAD = "WebMercatorQuad"
#: Only one: the tiling every web map library uses. CRS84 quad would double
#: the cache for no client we know of.
TILE_MATRIX_SETS = (WEB_MERCATOR_QUAD,)
#: Tiles are served from zoom 0 to this level: at 22 a 4096-unit MVT tile has
#: a 2 mm grid, finer than the data (kelurahan boundaries are simplified).
MAX_ZOOM = 22
MIN_ZOOM = 0
#: The integer SRID of the matrix set's CRS. PostGIS 3.3 looks up a text CRS
#: ('EPSG:3857') through PROJ on every call (~1.7 s a tile); an integer SRID
#: hits spatial_ref_sys and its cache (~25 ms).
WEB_MERCATOR_SRID = 3857


@cache
def get_tms(tms_id: str) -> TileMatrixSet:
    """The morecantile definition; 404 for any other id (OGC API Tiles /req/core/tc-op)."""
    if tms_id not in TILE_MATRIX_SETS:
        raise NotFound(
            f"tileMatrixSet {tms_id!r} is not served; available: {', '.join(TILE_MATRIX_SETS)}"
        )
    return morecantile.tms.get(tms_id)


def _canonical_int(name: str, text: str) -> int:
    """A path parameter that must be a non-negative integer written canonically.

    "07" and "+7" are refused so that one tile has exactly one URL (and one
    cache entry and ETag).
    """
    if not text.isascii() or not text.isdigit() or (len(text) > 1 and text[0] == "0"):
        raise NotFound(f"{name} {text!r} is not a tile matrix index (a non-negative integer)")
    return int(text)


def parse_tile(tms_id: str, tile_matrix: str, tile_row: str, tile_col: str) -> morecantile.Tile:
    """Check the path parameters of a tile request and return the tile.

    OGC API Tiles (/req/core/tc-error) answers 404 when tileMatrix is not in
    the set (or outside the served zoom range) or tileRow/tileCol are outside
    that matrix; the message names the parameter and its valid range.
    """
    tms = get_tms(tms_id)
    zoom = _canonical_int("tileMatrix", tile_matrix)
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise NotFound(
            f"tileMatrix {tile_matrix} is outside the served range {MIN_ZOOM}..{MAX_ZOOM}"
        )
    matrix = tms.matrix(zoom)
    row = _canonical_int("tileRow", tile_row)
    col = _canonical_int("tileCol", tile_col)
    if row >= matrix.matrixHeight:
        raise NotFound(
            f"tileRow {row} is outside tileMatrix {zoom} (0..{matrix.matrixHeight - 1})"
        )
    if col >= matrix.matrixWidth:
        raise NotFound(
            f"tileCol {col} is outside tileMatrix {zoom} (0..{matrix.matrixWidth - 1})"
        )
    return morecantile.Tile(x=col, y=row, z=zoom)


def tile_matrix_set_document(tms_id: str) -> dict:
    """The tile matrix set as OGC 2D TMS 2.0 JSON, straight from morecantile."""
    return get_tms(tms_id).model_dump(mode="json", exclude_none=True)
