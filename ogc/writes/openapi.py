"""The write API in the OpenAPI document (OGC API Features Part 4 /req/.../oas30).

pygeoapi's ``get_oas`` describes ``POST /collections/{id}/items`` as a CQL2
query, which Taksi does not serve: on the writable collections that
operation is replaced by *create*, on all others it is removed. PUT, PATCH
and DELETE are added on the writable items, the ETag on every item GET, and
the history and restore paths, with request bodies generated from the layer
declaration (property types, enums, read-only derived properties), so the
document cannot drift from what ``ogc.writes.validation`` accepts.
"""

from __future__ import annotations

from typing import Any

from layers.models.workflow import PublicationState
from layers.registry import LayerDeclaration, published_layers
from ogc.openapi import common_parameters, item_parameters
from ogc.writes import WRITABLE
from ogc.writes.body import FEATURE_TYPES, PATCH_TYPES
from ogc.writes.validation import STATE, writable_properties

SECURITY = [{"bearerToken": []}, {"sessionCookie": []}]
SECURITY_SCHEMES = {
    "bearerToken": {
        "type": "http", "scheme": "bearer",
        "description": "A personal API token (tks_…), created and revoked in the admin.",
    },
    "sessionCookie": {
        "type": "apiKey", "in": "cookie", "name": "sessionid",
        "description": "An admin session; writes then also need the X-CSRFToken header.",
    },
}
_TYPES = {
    "string": {"type": "string"}, "integer": {"type": "integer"}, "number": {"type": "number"},
    "boolean": {"type": "boolean"}, "date": {"type": "string", "format": "date"},
}
_EXCEPTION = {"type": "object", "required": ["code", "description"], "properties": {
    "code": {"type": "string"}, "type": {"type": "string"}, "description": {"type": "string"},
    "errors": {"type": "array", "items": {"type": "object", "properties": {
        "property": {"type": "string"}, "code": {"type": "string"},
        "message": {"type": "string"}}}},
}}
#: The one query parameter a write takes (``views.request_language``).
LANG = {"name": "lang", "in": "query", "required": False,
        "description": "Language of the per-property messages of a 422 (errors[].message): "
                       "id (default, or the language cookie) or en. Other refusals are "
                       "always in both.",
        "schema": {"type": "string", "enum": ["id", "en"]}}
_ETAG = {"description": "Strong entity tag of this version of the feature.",
         "schema": {"type": "string"}}
_STATUS = {
    "400": "Not a GeoJSON Feature (or a query parameter), naming what is wrong.",
    "401": "No credentials (WWW-Authenticate: Bearer).",
    "403": "The role or agency may not do this; or a session write without CSRF token.",
    "404": "No such feature, or one this user may not read.",
    "412": "If-Match names another version than the current one.",
    "413": "The body is over the size limit.",
    "415": "Unsupported Content-Type.",
    "422": "A Feature that breaks the layer's rules; `errors` names each property.",
    "428": "If-Match is missing (send the ETag, or * to overwrite any version).",
}


def _error(code: str) -> dict[str, Any]:
    return {"description": _STATUS[code],
            "content": {"application/json": {"schema": _EXCEPTION}}}


def _header(name: str, description: str, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": required, "description": description,
            "schema": {"type": "string"}}


IF_MATCH = _header("If-Match", "The ETag of the version being changed (from a GET), or * for "
                   "any version. Required: without it the answer is 428.", required=True)
CONTENT_CRS = _header("Content-Crs", "CRS of the geometry in the body, e.g. "
                      "<http://www.opengis.net/def/crs/EPSG/0/32751>; default CRS84.")


def feature_schema(layer: LayerDeclaration, *, partial: bool) -> dict[str, Any]:
    """JSON Schema of a request body: the writable properties; derived ones read-only."""
    writable = writable_properties(layer)
    properties: dict[str, Any] = {}
    for prop in layer.properties:
        schema: dict[str, Any] = {**_TYPES[prop.type], "title": prop.title.en}
        if prop.enum:
            schema["enum"] = list(prop.enum)
        if prop.name not in writable:
            schema["readOnly"] = True
        properties[prop.name] = schema
    properties[STATE] = {
        "type": "string", "enum": list(PublicationState.values),
        "description": "Asks for a workflow move, honoured only within the transition table; "
                       "new features are drafts, edits keep the state."}
    assert layer.import_spec is not None
    geometry = {"type": "object", "required": ["type", "coordinates"], "properties": {
        "type": {"type": "string", "enum": list(layer.import_spec.geometry_types)},
        "coordinates": {"type": "array"}}}
    body: dict[str, Any] = {"type": "object"}
    if not partial:  # OpenAPI 3.0's schema object: ``required`` is never an empty list
        body["required"] = ["type", "geometry", "properties"]
    return {
        **body,
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "geometry": geometry,
            "properties": {"type": "object", "properties": properties,
                           "additionalProperties": False},
        },
    }


def _body(layer: LayerDeclaration, media_types: tuple[str, ...], partial: bool
          ) -> dict[str, Any]:
    schema = feature_schema(layer, partial=partial)
    return {"required": True, "content": {t: {"schema": schema} for t in media_types}}


def _feature_ok(description: str, *, location: bool = False) -> dict[str, Any]:
    headers: dict[str, Any] = {"ETag": _ETAG}
    if location:
        headers["Location"] = {"description": "URL of the new feature.",
                               "schema": {"type": "string", "format": "uri"}}
    return {"description": description, "headers": headers,
            "content": {"application/geo+json": {"schema": {"type": "object"}}}}


def _operations(layer: LayerDeclaration) -> dict[str, dict[str, Any]]:
    name = layer.id.capitalize()
    errors = {code: _error(code) for code in ("400", "401", "403", "404", "412", "413",
                                              "415", "422", "428")}
    common = {"tags": [layer.id], "security": SECURITY}
    return {
        "post": {**common, "operationId": f"create{name}Feature",
                 "summary": f"Create a feature in {layer.id} (a draft unless `state` asks more)",
                 "parameters": [CONTENT_CRS, LANG],
                 "requestBody": _body(layer, FEATURE_TYPES, partial=False),
                 "responses": {"201": _feature_ok("Created.", location=True),
                               **{c: errors[c] for c in ("400", "401", "403", "413", "415",
                                                         "422")}}},
        "put": {**common, "operationId": f"replace{name}Feature",
                "summary": f"Replace a feature of {layer.id}",
                "parameters": [*item_parameters()[:1], IF_MATCH, CONTENT_CRS, LANG],
                "requestBody": _body(layer, FEATURE_TYPES, partial=False),
                "responses": {"200": _feature_ok("Replaced."), **errors}},
        "patch": {**common, "operationId": f"update{name}Feature",
                  "summary": f"Update a feature of {layer.id} (JSON merge patch, RFC 7396)",
                  "parameters": [*item_parameters()[:1], IF_MATCH, CONTENT_CRS, LANG],
                  "requestBody": _body(layer, PATCH_TYPES, partial=True),
                  "responses": {"200": _feature_ok("Updated."), **errors}},
        "delete": {**common, "operationId": f"delete{name}Feature",
                   "summary": f"Delete a feature of {layer.id}",
                   "parameters": [*item_parameters()[:1], IF_MATCH, LANG],
                   "responses": {"204": {"description": "Deleted."},
                                 **{c: errors[c] for c in ("401", "403", "404", "412",
                                                           "428")}}},
    }


def _history_paths(layer: LayerDeclaration) -> dict[str, Any]:
    base = f"/collections/{layer.id}/items/{{featureId}}/history"
    feature_id = item_parameters()[0]
    paths: dict[str, Any] = {base: {"get": {
        "tags": [layer.id], "security": SECURITY,
        "operationId": f"get{layer.id.capitalize()}FeatureHistory",
        "summary": "Every recorded version: who, when, origin, state, changed fields",
        "parameters": [feature_id, *common_parameters(["json"])],
        "responses": {"200": {"description": "The versions, newest first.",
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                      **{c: _error(c) for c in ("401", "403", "404")}}}}}
    if layer.id in WRITABLE:
        version = {"name": "version", "in": "path", "required": True,
                   "description": "A version number from the history.",
                   "schema": {"type": "integer"}}
        paths[f"{base}/{{version}}/restore"] = {"post": {
            "tags": [layer.id], "security": SECURITY,
            "operationId": f"restore{layer.id.capitalize()}FeatureVersion",
            "summary": "Put that version's data back (recorded; the state is kept)",
            "parameters": [feature_id, version, {**IF_MATCH, "required": False}, LANG],
            "responses": {"200": _feature_ok("Restored."),
                          "201": _feature_ok("A deleted feature restored as a draft.",
                                             location=True),
                          **{c: _error(c) for c in ("401", "403", "404", "412", "422",
                                                    "428")}}}}
    return paths


def add_write_paths(oas: dict[str, Any]) -> None:
    """Write operations in place of pygeoapi's CQL2 POST; ETags on item GETs; history."""
    paths = oas["paths"]
    for path, item in paths.items():
        if path.startswith("/collections/") and path.endswith("/items"):
            item.pop("post", None)
    for layer in published_layers():
        items = f"/collections/{layer.id}/items"
        one = f"{items}/{{featureId}}"
        if one in paths and "get" in paths[one]:
            # In place of pygeoapi's remote $ref (siblings of a $ref are ignored).
            responses = paths[one]["get"].setdefault("responses", {})
            responses["200"] = _feature_ok("The feature; its ETag names this version.")
            responses["304"] = {"description": "If-None-Match names the current version."}
        for path in (items, one):
            if path in paths and "options" in paths[path]:
                paths[path]["options"]["responses"] = {"200": {
                    "description": "Allow lists the methods this user may use here.",
                    "headers": {"Allow": {"schema": {"type": "string"}}}}}
        if layer.id in WRITABLE and items in paths and one in paths:
            operations = _operations(layer)
            paths[items]["post"] = operations.pop("post")
            paths[one].update(operations)
        if getattr(layer.model, "history", None) is not None:
            paths.update(_history_paths(layer))
    oas.setdefault("components", {}).setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
