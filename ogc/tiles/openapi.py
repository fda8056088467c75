"""The tile endpoints in the OpenAPI document (OGC API Tiles /req/oas30).

pygeoapi's ``get_oas`` only describes the tile routes of its own tile
providers; Taksi serves tiles from its own views, so their paths are added
here to the generated document, self-contained (no references to external
schema files, so the document validates offline).
"""

from __future__ import annotations

from typing import Any

from layers.registry import LayerDeclaration, published_layers
from ogc.tiles.matrix import MAX_ZOOM, MIN_ZOOM, TILE_MATRIX_SETS

MVT = "application/vnd.mapbox-vector-tile"
TAG = "tiles"


def _path_param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema}


PARAMETERS: dict[str, dict[str, Any]] = {
    "tileMatrixSetId": _path_param(
        "tileMatrixSetId", {"type": "string", "enum": list(TILE_MATRIX_SETS)},
        "Identifier of a tile matrix set (tiling scheme)."),
    "tileMatrix": _path_param(
        "tileMatrix", {"type": "string", "enum": [str(z) for z in range(MIN_ZOOM, MAX_ZOOM + 1)]},
        "Zoom level (tile matrix identifier) of the tile."),
    "tileRow": _path_param("tileRow", {"type": "integer", "minimum": 0},
                           "Row index of the tile, counted from the top (north)."),
    "tileCol": _path_param("tileCol", {"type": "integer", "minimum": 0},
                           "Column index of the tile, counted from the left (west)."),
    "f-tile": {"name": "f", "in": "query", "required": False, "style": "form", "explode": False,
               "schema": {"type": "string", "enum": ["mvt"], "default": "mvt"},
               "description": "Tile format: Mapbox vector tile."},
    "f-tileset": {"name": "f", "in": "query", "required": False, "style": "form",
                  "explode": False,
                  "schema": {"type": "string", "enum": ["json", "tilejson"], "default": "json"},
                  "description": "OGC tileset metadata (json) or TileJSON 3.0.0 (tilejson)."},
    "f-json": {"name": "f", "in": "query", "required": False, "style": "form", "explode": False,
               "schema": {"type": "string", "enum": ["json"], "default": "json"},
               "description": "The format of the response."},
    "f-tms": {"name": "f", "in": "query", "required": False, "style": "form", "explode": False,
              "schema": {"type": "string", "enum": ["json", "html"], "default": "json"},
              "description": "The format of the response."},
    # Accepted on every tile endpoint, as on the rest of the API (ogc.tiles.views).
    "lang-tiles": {"name": "lang", "in": "query", "required": False, "style": "form",
                   "explode": False,
                   "schema": {"type": "string", "enum": ["id", "en"], "default": "id"},
                   "description": "Language of titles and descriptions in tileset metadata "
                                  "(tiles themselves carry no text that changes with it)."},
}
_ERROR = {"description": "OGC exception", "content": {"application/json": {"schema": {
    "type": "object", "required": ["code"],
    "properties": {"code": {"type": "string"}, "description": {"type": "string"}}}}}}
_JSON_OK = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _get(summary: str, operation_id: str, parameters: list[str],
         responses: dict[str, Any]) -> dict[str, Any]:
    return {"get": {
        "summary": summary, "operationId": operation_id, "tags": [TAG],
        "parameters": [_ref(p) for p in [*parameters, "lang-tiles"]],
        "responses": {**responses, "400": _ERROR, "404": _ERROR},
    }}


def _collection_paths(layer: LayerDeclaration) -> dict[str, Any]:
    base = f"/collections/{layer.id}/tiles"
    name = layer.id.capitalize()
    tile_ok = {
        "200": {"description": "A Mapbox vector tile with one layer named "
                               f"'{layer.id}'.",
                "content": {MVT: {"schema": {"type": "string", "format": "binary"}}}},
        "204": {"description": "No feature of the collection touches this tile."},
        "304": {"description": "Not modified (If-None-Match matched the ETag)."},
    }
    return {
        base: _get(f"Vector tilesets of {layer.title.en}", f"get{name}Tilesets", ["f-json"],
                   {"200": _JSON_OK}),
        f"{base}/{{tileMatrixSetId}}": _get(
            f"Vector tileset metadata of {layer.title.en}", f"get{name}Tileset",
            ["tileMatrixSetId", "f-tileset"], {"200": _JSON_OK}),
        f"{base}/{{tileMatrixSetId}}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}": _get(
            f"A vector tile of {layer.title.en}", f"get{name}Tile",
            ["tileMatrixSetId", "tileMatrix", "tileRow", "tileCol", "f-tile"], tile_ok),
    }


def add_tile_paths(oas: dict[str, Any]) -> None:
    """Add the tile matrix set and per-collection tile paths to ``oas`` in place."""
    oas.setdefault("components", {}).setdefault("parameters", {}).update(PARAMETERS)
    tags = oas.setdefault("tags", [])
    if not any(tag.get("name") == TAG for tag in tags):
        tags.append({"name": TAG, "description": "OGC API - Tiles (Mapbox vector tiles)"})
    paths = oas.setdefault("paths", {})
    paths["/tileMatrixSets"] = _get("Tiling schemes served", "getTileMatrixSets", ["f-tms"],
                                    {"200": _JSON_OK})
    paths["/tileMatrixSets/{tileMatrixSetId}"] = _get(
        "Definition of a tiling scheme", "getTileMatrixSet", ["tileMatrixSetId", "f-tms"],
        {"200": _JSON_OK})
    for layer in published_layers():
        paths.update(_collection_paths(layer))
