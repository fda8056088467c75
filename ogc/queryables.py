"""Queryables as JSON Schema (OGC API Features Part 3, /req/queryables).

Written from the layer declaration, so the queryables, the filter compiler
(``ogc.cql``) and the per-property query parameters (``ogc.openapi``) always
name the same properties with the same types. Titles follow ``lang``.
"""

from __future__ import annotations

from typing import Any

from layers.registry import get_layer

JSON_SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema"
_TYPES: dict[str, dict[str, str]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}
_GEOMETRY_FORMATS = {
    "Point": "geometry-point",
    "MultiPolygon": "geometry-multipolygon",
    "Geometry": "geometry-any",
}


def queryables_document(collection_id: str, url: str, lang: str) -> dict[str, Any]:
    """/req/queryables/get-queryables-response: a JSON Schema object with ``$id``."""
    layer = get_layer(collection_id)
    english = lang == "en"
    properties: dict[str, Any] = {
        "geometry": {
            "title": "Geometri" if not english else "Geometry",
            "format": _GEOMETRY_FORMATS[layer.geometry_type],
            "x-ogc-role": "primary-geometry",
        }
    }
    for prop in layer.properties:
        schema: dict[str, Any] = {
            "title": prop.title.en if english else prop.title.id,
            **_TYPES[prop.type],
        }
        if prop.enum:
            schema["enum"] = list(prop.enum)
        properties[prop.name] = schema
    return {
        "$schema": JSON_SCHEMA_2020_12,
        "$id": url,
        "type": "object",
        "title": layer.title.en if english else layer.title.id,
        "properties": properties,
        "additionalProperties": False,
    }
