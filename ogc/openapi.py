"""The OpenAPI document: pygeoapi's ``get_oas`` with the feature paths made exact.

pygeoapi generates the paths; Taksi then writes the query parameters of every
feature endpoint itself, from the layer declarations, so that the document
declares exactly what the views accept (and reject with a 400 otherwise):

- ``limit``, ``bbox`` and ``datetime`` in the shapes OGC API Features Part 1
  gives (/req/core/fc-limit-definition, fc-bbox-definition, fc-time-definition:
  form style, explode false, bbox an array of 4-6 numbers, limit with minimum,
  maximum and default);
- ``crs``/``bbox-crs`` (Part 2), ``filter``/``filter-lang``/``filter-crs``
  (Part 3), ``sortby``, ``properties``, ``skipGeometry``, ``resulttype``,
  ``offset`` and ``after`` (the keyset position next links carry);
- one equality filter per published property (/req/core/fc-filters).

No parameter refers to a document on another host, so validators work offline.
"""

from __future__ import annotations

import copy
from typing import Any

from layers.registry import LayerDeclaration, published_layers
from ogc.cql import FILTER_LANGS
from ogc.crs import CRS84_URI, URIS

MAX_ITEMS = 1000
DEFAULT_ITEMS = 10
_FORMATS = ["json", "html", "jsonld", "csv"]
_TYPES = {
    "string": {"type": "string"}, "integer": {"type": "integer"}, "number": {"type": "number"},
    "boolean": {"type": "boolean"}, "date": {"type": "string", "format": "date"},
}


def _param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, "style": "form", "explode": False}


def _common(formats: list[str]) -> list[dict[str, Any]]:
    return [
        _param("f", {"type": "string", "enum": formats, "default": formats[0]},
               "Output format; without it the Accept header decides."),
        _param("lang", {"type": "string", "enum": ["id", "en"], "default": "id"},
               "Language of titles and descriptions (Bahasa Indonesia or English)."),
    ]


#: For other modules describing their own paths (``ogc.writes.openapi``).
common_parameters = _common


def _crs(name: str, description: str) -> dict[str, Any]:
    return _param(name, {"type": "string", "format": "uri", "enum": list(URIS),
                         "default": CRS84_URI}, description)


def items_parameters(layer: LayerDeclaration) -> list[dict[str, Any]]:
    names = [p.name for p in layer.properties]
    sortable = "|".join(names)
    time_note = (
        f"Features whose period ({layer.time_fields[0]}–{layer.time_fields[1]}) intersects "
        "the instant or interval (RFC 3339, '..' for an open end)."
        if layer.time_fields else
        "This collection has no temporal property: any value is answered with a 400."
    )
    return [
        *_common(_FORMATS),
        _param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_ITEMS,
                         "default": DEFAULT_ITEMS},
               f"Features per page (default {DEFAULT_ITEMS}); above {MAX_ITEMS} is a 400."),
        _param("offset", {"type": "integer", "minimum": 0, "default": 0},
               "Features to skip. Next links use `after` instead when the order is by id."),
        _param("after", {"type": "integer"},
               "Keyset position: features with an id greater than this. Next links carry "
               "it, so a deep page costs what the first page costs."),
        _param("bbox", {"type": "array", "minItems": 4, "maxItems": 6,
                        "items": {"type": "number"}},
               "Features whose geometry intersects the box: minx,miny,maxx,maxy in bbox-crs."),
        _crs("bbox-crs", "CRS of bbox (default CRS84)."),
        _param("datetime", {"type": "string"}, time_note),
        _crs("crs", "CRS of the response geometries (default CRS84)."),
        _param("filter", {"type": "string"},
               "A CQL2 expression over the queryables (see /queryables)."),
        _param("filter-lang", {"type": "string", "enum": list(FILTER_LANGS),
                               "default": "cql2-text"}, "Encoding of filter."),
        _crs("filter-crs", "CRS of geometry literals in filter (default CRS84)."),
        _param("sortby", {"type": "array", "items": {
            "type": "string", "pattern": f"^[+-]?({sortable})$"}},
            "Comma-separated properties, each optionally prefixed + (ascending) or - "
            "(descending); ties are ordered by id."),
        _param("properties", {"type": "array", "items": {"type": "string", "enum": names}},
               "Only these properties in each feature."),
        _param("skipGeometry", {"type": "boolean", "default": False},
               "true: features without geometry."),
        _param("resulttype", {"type": "string", "enum": ["results", "hits"],
                              "default": "results"},
               "hits: only numberMatched, no features."),
        *(_param(p.name, {**_TYPES[p.type], "title": p.title.en,
                          **({"enum": list(p.enum)} if p.enum else {})},
                 f"Features whose {p.name} equals this value ({p.title.id}).")
          for p in layer.properties),
    ]


def item_parameters() -> list[dict[str, Any]]:
    return [
        {"name": "featureId", "in": "path", "required": True,
         "description": "Feature id (an integer).", "schema": {"type": "string"}},
        *_common(["json", "html", "jsonld"]),
        _crs("crs", "CRS of the response geometry (default CRS84)."),
    ]


def taksi_oas(oas: dict[str, Any]) -> dict[str, Any]:
    """pygeoapi's document with Taksi's feature parameters; a new dict, the input is kept."""
    oas = copy.deepcopy(oas)
    paths = oas["paths"]
    for path in ("/", "/conformance", "/collections"):
        if path in paths:
            paths[path]["get"]["parameters"] = _common(["json", "html"])
    for layer in published_layers():
        base = f"/collections/{layer.id}"
        if base in paths:
            paths[base]["get"]["parameters"] = _common(["json", "html"])
        for tail in ("/queryables", "/schema"):
            if base + tail in paths:
                paths[base + tail]["get"]["parameters"] = _common(["json", "html"])
        if base + "/items" in paths:
            paths[base + "/items"]["get"]["parameters"] = items_parameters(layer)
        if base + "/items/{featureId}" in paths:
            paths[base + "/items/{featureId}"]["get"]["parameters"] = item_parameters()
    _inline_remote_parameters(paths)
    if "/openapi" in paths:
        paths["/openapi"]["get"]["parameters"] = [
            _param("f", {"type": "string", "enum": ["json", "html"], "default": "json"},
                   "OpenAPI as JSON, or the Swagger UI page."),
            _common(["json"])[1],
        ]
    return oas


#: pygeoapi refers to parameters in the OGC repositories (raw.githubusercontent.com,
#: schemas.opengis.net). A client without internet access, or a validator that
#: resolves $refs, cannot follow them, so they are written out here.
_REMOTE_PARAMETERS: dict[str, dict[str, Any]] = {
    "featureId": {"name": "featureId", "in": "path", "required": True,
                  "description": "Id of the feature.", "schema": {"type": "string"}},
    "datetime": _param("datetime", {"type": "string"},
                       "A date, or an interval start/end (open ends as '..')."),
    "subset": _param("subset", {"type": "array", "items": {"type": "string"}},
                     "Axis ranges, e.g. Lon(123.55:123.62),Lat(-10.2:-10.15)."),
    "q": _param("q", {"type": "array", "items": {"type": "string"}},
                "Search terms (comma: any of them)."),
    "sortby": _param("sortby", {"type": "array", "items": {"type": "string"}},
                     "Properties to sort by, each with an optional + or -."),
}


def _remote_name(ref: str) -> str:
    """``...#/components/parameters/subset`` or ``.../parameters/q.yaml`` → the name."""
    tail = ref.rsplit("/", 1)[-1]
    return tail.removesuffix(".yaml")


def _inline_remote_parameters(paths: dict[str, Any]) -> None:
    for item in paths.values():
        for operation in item.values():
            if not isinstance(operation, dict) or "parameters" not in operation:
                continue
            inlined = []
            for parameter in operation["parameters"]:
                ref = parameter.get("$ref", "")
                if ref.startswith("http"):
                    name = _remote_name(ref)
                    if name not in _REMOTE_PARAMETERS:
                        raise KeyError(f"no inline definition for the remote parameter {ref}")
                    parameter = _REMOTE_PARAMETERS[name]
                inlined.append(parameter)
            operation["parameters"] = inlined
