"""The OpenAPI document made self-contained: no ``$ref`` to another host.

pygeoapi's ``get_oas`` refers to responses and schemas in the OGC schema
repository (``schemas.opengis.net``). A client or validator without internet
access cannot resolve them, and one with access fetches a dozen documents
before it can read ours. Each remote reference is replaced here by a local
component (``#/components/responses/...``, ``#/components/schemas/...``) that
describes what Taksi actually sends: GeoJSON built by PostGIS and the error
shape of ``ogc.errors``. ``ogc.openapi`` writes out the remote parameters the
same way.

A remote reference without a local stand-in is left as it is, and
``tests/test_openapi_document.py`` (the offline validation) fails on it.
"""

from __future__ import annotations

from typing import Any

_FEATURES_1 = "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/ogcapi-features-1.yaml"
_PROCESSES_1 = "https://schemas.opengis.net/ogcapi/processes/part1/1.0/openapi"
_TILES_1 = "https://schemas.opengis.net/ogcapi/tiles/part1/1.0/openapi/ogcapi-tiles-1.yaml"

_LINK = {
    "type": "object", "required": ["href", "rel"],
    "properties": {name: {"type": "string"} for name in ("href", "rel", "type", "hreflang",
                                                          "title")},
}
#: The exception document of ``ogc.errors`` (and pygeoapi's, which has the same members).
_EXCEPTION = {
    "type": "object", "required": ["code"],
    "properties": {"code": {"type": "string"}, "type": {"type": "string"},
                   "description": {"type": "string"}},
}
_GEOMETRY = {"type": "object", "nullable": True, "required": ["type"],
             "properties": {"type": {"type": "string"}}}
_FEATURE = {
    "type": "object", "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "geometry": {"$ref": "#/components/schemas/geometryGeoJSON"},
        "properties": {"type": "object", "nullable": True},
        "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
    },
}
_FEATURE_COLLECTION = {
    "type": "object", "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"$ref": "#/components/schemas/featureGeoJSON"}},
        "links": {"type": "array", "items": {"$ref": "#/components/schemas/link"}},
        "timeStamp": {"type": "string", "format": "date-time"},
        "numberMatched": {"type": "integer", "minimum": 0},
        "numberReturned": {"type": "integer", "minimum": 0},
    },
}
_EXECUTE = {
    "type": "object",
    "properties": {
        "inputs": {"type": "object", "additionalProperties": True},
        "outputs": {"type": "object", "additionalProperties": True},
        "response": {"type": "string", "enum": ["raw", "document"], "default": "raw"},
    },
}
#: Documents the OpenAPI document may still refer to, by URL: what is written instead.
SCHEMAS: dict[str, tuple[str, dict[str, Any]]] = {
    f"{_TILES_1}#/components/schemas/link": ("link", _LINK),
    f"{_PROCESSES_1}/schemas/exception.yaml": ("exception", _EXCEPTION),
    f"{_PROCESSES_1}/schemas/execute.yaml": ("execute", _EXECUTE),
    "https://schemas.opengis.net/cql2/1.0/cql2.json": (
        "cql2Json", {"type": "object",
                     "description": "A CQL2 JSON expression (OGC 21-065, cql2.json)."}),
}
_LOCAL_SCHEMAS = {"link": _LINK, "exception": _EXCEPTION, "geometryGeoJSON": _GEOMETRY,
                  "featureGeoJSON": _FEATURE, "featureCollectionGeoJSON": _FEATURE_COLLECTION}


def _json(description: str, schema: str, media_type: str = "application/json",
          html: bool = False) -> dict[str, Any]:
    content: dict[str, Any] = {media_type: {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
    if html:
        content["text/html"] = {"schema": {"type": "string"}}
    return {"description": description, "content": content}


def _object(description: str) -> dict[str, Any]:
    return {"description": description, "content": {
        "application/json": {"schema": {"type": "object"}},
        "text/html": {"schema": {"type": "string"}}}}


RESPONSES: dict[str, tuple[str, dict[str, Any]]] = {
    f"{_FEATURES_1}#/components/responses/LandingPage": (
        "LandingPage", _object("The landing page, the conformance declaration or the "
                               "list of collections.")),
    f"{_FEATURES_1}#/components/responses/Collection": (
        "Collection", _object("The description of a collection.")),
    f"{_FEATURES_1}#/components/responses/Features": (
        "Features", _json("The features (GeoJSON FeatureCollection).",
                          "featureCollectionGeoJSON", "application/geo+json", html=True)),
    f"{_FEATURES_1}#/components/responses/Feature": (
        "Feature", _json("A feature (GeoJSON Feature).", "featureGeoJSON",
                         "application/geo+json", html=True)),
    f"{_FEATURES_1}#/components/responses/InvalidParameter": (
        "InvalidParameter", _json("A query parameter is unknown or has an invalid value; "
                                  "the description names it.", "exception")),
    f"{_FEATURES_1}#/components/responses/NotFound": (
        "NotFound", _json("The resource does not exist.", "exception")),
    f"{_FEATURES_1}#/components/responses/ServerError": (
        "ServerError", _json("A server error.", "exception")),
    f"{_PROCESSES_1}/responses/NotFound.yaml": (
        "NotFound", _json("The resource does not exist.", "exception")),
    f"{_PROCESSES_1}/responses/ServerError.yaml": (
        "ServerError", _json("A server error.", "exception")),
    f"{_PROCESSES_1}/responses/ProcessList.yaml": (
        "ProcessList", {"description": "The processes this server offers.", "content": {
            "application/json": {"schema": {
                "type": "object", "required": ["processes", "links"],
                "properties": {"processes": {"type": "array", "items": {"type": "object"}},
                               "links": {"type": "array",
                                         "items": {"$ref": "#/components/schemas/link"}}}}},
            "text/html": {"schema": {"type": "string"}}}}),
}


def _add(components: dict[str, Any], name: str, definition: dict[str, Any]) -> None:
    existing = components.setdefault(name, definition)
    if existing != definition:
        raise ValueError(f"OpenAPI component {name!r} is defined twice, differently")


def localise_refs(oas: dict[str, Any]) -> None:
    """Replace, in place, every remote ``$ref`` that has a local stand-in."""
    components = oas.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    responses = components.setdefault("responses", {})
    for name, definition in _LOCAL_SCHEMAS.items():
        _add(schemas, name, definition)

    def local(ref: str) -> str | None:
        if ref in SCHEMAS:
            name, definition = SCHEMAS[ref]
            _add(schemas, name, definition)
            return f"#/components/schemas/{name}"
        if ref in RESPONSES:
            name, definition = RESPONSES[ref]
            _add(responses, name, definition)
            return f"#/components/responses/{name}"
        return None

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                node["$ref"] = local(ref) or ref
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(oas)
