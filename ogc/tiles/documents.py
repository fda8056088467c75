"""JSON documents of OGC API - Tiles: tile matrix sets, tileset lists, tileset
metadata (OGC 2D TMS 2.0 tileset metadata), and TileJSON 3.0.0 for web map
libraries that read that instead.

Titles follow ``lang`` (Bahasa Indonesia by default, English with ``lang=en``),
like the rest of the OGC API.
"""

from __future__ import annotations

from typing import Any

from layers.registry import LayerDeclaration, Text
from ogc.config import CRS84, ogc_base_url
from ogc.tiles.matrix import MAX_ZOOM, MIN_ZOOM, TILE_MATRIX_SETS, get_tms

JSON = "application/json"
MVT = "application/vnd.mapbox-vector-tile"
REL_TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
REL_GEODATA = "http://www.opengis.net/def/rel/ogc/1.0/geodata"
#: Zoom of the centre point in the metadata: a whole-city view.
CENTER_ZOOM = 12
GEOMETRY_DIMENSION = {"Point": 0, "MultiPolygon": 2}
PROPERTY_TYPES = {"string": "string", "integer": "integer", "number": "number",
                  "boolean": "boolean", "date": "string"}


def _text(text: Text, lang: str) -> str:
    return text.en if lang == "en" else text.id


def _link(rel: str, href: str, type_: str = JSON, **extra: Any) -> dict[str, Any]:
    return {"rel": rel, "type": type_, "href": href, **extra}


def tms_url(tms_id: str) -> str:
    return f"{ogc_base_url()}/tileMatrixSets/{tms_id}"


def tileset_url(layer: LayerDeclaration, tms_id: str) -> str:
    return f"{ogc_base_url()}/collections/{layer.id}/tiles/{tms_id}"


def tile_url_template(layer: LayerDeclaration, tms_id: str) -> str:
    return f"{tileset_url(layer, tms_id)}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"


def tile_matrix_sets_document() -> dict[str, Any]:
    """``/tileMatrixSets``: the list of tiling schemes (OGC API Tiles, Annex tilematrixsets)."""
    sets = []
    for tms_id in TILE_MATRIX_SETS:
        tms = get_tms(tms_id)
        sets.append({
            "id": tms.id, "title": tms.title, "uri": str(tms.uri), "crs": tms.crs.srs,
            "links": [_link("self", tms_url(tms_id), title=tms.title)],
        })
    return {
        "tileMatrixSets": sets,
        "links": [_link("self", f"{ogc_base_url()}/tileMatrixSets")],
    }


def _tileset_summary(layer: LayerDeclaration, tms_id: str, lang: str) -> dict[str, Any]:
    tms = get_tms(tms_id)
    return {
        "title": f"{_text(layer.title, lang)} — {tms_id}",
        "dataType": "vector",
        "crs": tms.crs.srs,
        "tileMatrixSetURI": str(tms.uri),
        "links": [
            _link("self", tileset_url(layer, tms_id), title=f"{layer.id} {tms_id}"),
            _link(REL_TILING_SCHEME, tms_url(tms_id), title=tms_id),
        ],
    }


def tilesets_document(layer: LayerDeclaration, lang: str) -> dict[str, Any]:
    """``/collections/{id}/tiles`` (/req/tilesets-list): one vector tileset per TMS."""
    return {
        "tilesets": [_tileset_summary(layer, tms_id, lang) for tms_id in TILE_MATRIX_SETS],
        "links": [
            _link("self", f"{ogc_base_url()}/collections/{layer.id}/tiles"),
            _link("collection", f"{ogc_base_url()}/collections/{layer.id}"),
        ],
    }


def _vector_layer(layer: LayerDeclaration, lang: str) -> dict[str, Any]:
    """The one MVT layer of the tileset, with the schema of its tile properties."""
    properties = {"id": {"type": "integer", "title": "id"}}
    for prop in layer.tile_property_list():
        properties[prop.name] = {"type": PROPERTY_TYPES[prop.type],
                                 "title": _text(prop.title, lang)}
    vector_layer: dict[str, Any] = {
        "id": layer.id,
        "title": _text(layer.title, lang),
        "dataType": "vector",
        "minTileMatrix": str(MIN_ZOOM),
        "maxTileMatrix": str(MAX_ZOOM),
        "propertiesSchema": {"type": "object", "properties": properties},
    }
    if layer.geometry_type in GEOMETRY_DIMENSION:
        vector_layer["geometryDimension"] = GEOMETRY_DIMENSION[layer.geometry_type]
    return vector_layer


def tileset_document(layer: LayerDeclaration, tms_id: str, bbox: list[float],
                     lang: str) -> dict[str, Any]:
    """``/collections/{id}/tiles/{tms}``: tileset metadata (/req/tileset)."""
    document = _tileset_summary(layer, tms_id, lang)
    document["description"] = _text(layer.description, lang)
    document["links"] += [
        _link("item", tile_url_template(layer, tms_id), MVT, templated=True,
              title="Mapbox vector tile"),
        _link(REL_GEODATA, f"{ogc_base_url()}/collections/{layer.id}",
              title=_text(layer.title, lang)),
        _link("alternate", f"{tileset_url(layer, tms_id)}?f=tilejson",
              title="TileJSON 3.0.0"),
    ]
    document["layers"] = [_vector_layer(layer, lang)]
    document["boundingBox"] = {"lowerLeft": bbox[:2], "upperRight": bbox[2:], "crs": CRS84}
    document["centerPoint"] = {"coordinates": _center(bbox), "tileMatrix": str(CENTER_ZOOM),
                               "crs": CRS84}
    document["minTileMatrix"] = str(MIN_ZOOM)
    document["maxTileMatrix"] = str(MAX_ZOOM)
    return document


def _center(bbox: list[float]) -> list[float]:
    return [round((bbox[0] + bbox[2]) / 2, 6), round((bbox[1] + bbox[3]) / 2, 6)]


def tilejson_document(layer: LayerDeclaration, tms_id: str, bbox: list[float],
                      lang: str) -> dict[str, Any]:
    """TileJSON 3.0.0, for MapLibre/OpenLayers sources that take a TileJSON URL."""
    fields = {p.name: _text(p.title, lang) for p in layer.tile_property_list()}
    return {
        "tilejson": "3.0.0",
        "name": _text(layer.title, lang),
        "description": _text(layer.description, lang),
        "tiles": [f"{tileset_url(layer, tms_id)}/{{z}}/{{y}}/{{x}}"],
        "minzoom": MIN_ZOOM,
        "maxzoom": MAX_ZOOM,
        "bounds": bbox,
        "center": [*_center(bbox), CENTER_ZOOM],
        "vector_layers": [{"id": layer.id, "description": _text(layer.title, lang),
                           "minzoom": MIN_ZOOM, "maxzoom": MAX_ZOOM, "fields": fields}],
    }
