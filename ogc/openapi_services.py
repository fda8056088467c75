"""The OpenAPI parameters of the catalogue, coverage, process and job endpoints.

pygeoapi's ``get_oas`` describes what pygeoapi's own handlers would take
(``crs``, ``skipGeometry``, ``vendorSpecificParameters``... on the records,
no ``subset-crs`` on the coverage, no ``limit`` on the process list); Taksi's
views check their parameters first and refuse any other with a 400. So the
parameters of these operations are written here from the very sets the views
check (``ogc.catalog.RECORD_PARAMETERS``, ``ogc.coverages.COVERAGE_PARAMETERS``,
``PROCESS_LIST_PARAMETERS``, ``ogc.parameters.COMMON``): the document declares
exactly what is accepted (OGC API Common /req/oas30/oas-impl;
``tests/test_openapi_document.py`` checks it against the running server).
The ``POST /collections/{id}/items`` entries are not touched here. The 200
response of each execution is the object the process returns
(``TaksiProcessor.response_schema``), not pygeoapi's first-output schema.
"""

from __future__ import annotations

import copy
import importlib
from typing import Any

from layers.health_distance import BAND_NAME
from ogc.catalog import CATALOG_ID, RECORD_FIELDS, RECORD_FORMATS, RECORD_PARAMETERS
from ogc.coverages import COVERAGE_PARAMETERS, FORMATS, HEALTH_DISTANCE_ID, subset_crs_uris
from ogc.openapi import DEFAULT_ITEMS, MAX_ITEMS, _common, _param
from ogc.parameters import COMMON, PROCESS_LIST_PARAMETERS
from ogc.processes import PROCESSORS
from ogc.providers.coverage import BBOX_CRS, CRS84

_NO_SUCH_JOB = "http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/no-such-job"


def _record_parameters() -> dict[str, dict[str, Any]]:
    common = {p["name"]: p for p in _common(list(RECORD_FORMATS))}
    return {
        **common,
        "limit": _param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_ITEMS,
                                  "default": DEFAULT_ITEMS}, "Records per page."),
        "offset": _param("offset", {"type": "integer", "minimum": 0, "default": 0},
                         "Records to skip."),
        "bbox": _param("bbox", {"type": "array", "minItems": 4, "maxItems": 6,
                                "items": {"type": "number"}},
                       "Records whose extent intersects the box (CRS84)."),
        "datetime": _param("datetime", {"type": "string"},
                           "Records whose time span intersects the instant or interval."),
        "q": _param("q", {"type": "array", "items": {"type": "string"}},
                    "Search terms (comma: any of them; spaces: the words in that order)."),
        "ids": _param("ids", {"type": "array", "items": {"type": "string"}},
                      "Only the records with these ids (the layer ids)."),
        "externalIds": _param("externalIds", {"type": "array", "items": {"type": "string"}},
                              "Only the records with one of these external identifiers."),
        "sortby": _param("sortby", {"type": "array", "items": {
            "type": "string", "pattern": f"^[+-]?({'|'.join(RECORD_FIELDS)})$"}},
            "Comma-separated record properties, each optionally prefixed + or -."),
        **{name: _param(name, {"type": "string"}, f"Records whose {name} is one of these "
                        f"comma-separated values ({title}).")
           for name, title in RECORD_FIELDS.items()},
    }


def _coverage_parameters() -> dict[str, dict[str, Any]]:
    return {
        "f": _param("f", {"type": "string", "enum": list(FORMATS), "default": "json"},
                    "CoverageJSON (json), the HTML page or GeoTIFF (GTiff)."),
        "lang": _common(["json"])[1],
        "bbox": _param("bbox", {"type": "array", "minItems": 4, "maxItems": 6,
                                "items": {"type": "number"}},
                       "The cells inside the box, in bbox-crs (CRS84 by default)."),
        "bbox-crs": _param("bbox-crs", {"type": "string", "format": "uri",
                                        "enum": list(BBOX_CRS), "default": CRS84},
                           "CRS of bbox."),
        "subset": _param("subset", {"type": "array", "items": {"type": "string"}},
                         "Axis ranges, e.g. Lon(123.55:123.62),Lat(-10.2:-10.15); E and N "
                         "with subset-crs EPSG:32751."),
        "subset-crs": _param("subset-crs", {"type": "string", "format": "uri",
                                            "enum": subset_crs_uris(), "default": CRS84},
                             "CRS of the subset axes."),
        "properties": _param("properties", {"type": "array",
                                            "items": {"type": "string", "enum": [BAND_NAME]}},
                             "The fields to return (there is one)."),
    }


def _set(operation: dict[str, Any], names: frozenset[str] | set[str],
         definitions: dict[str, dict[str, Any]], components: dict[str, Any]) -> None:
    """The operation's query parameters become exactly ``names`` (path and header
    parameters are kept)."""
    def resolved(parameter: dict[str, Any]) -> dict[str, Any]:
        ref = parameter.get("$ref", "")
        return components.get(ref.rsplit("/", 1)[-1], {}) if ref.startswith("#/") else parameter

    kept = [p for p in operation.get("parameters", []) if resolved(p).get("in") != "query"]
    missing = set(names) - set(definitions)
    if missing:
        raise KeyError(f"no OpenAPI definition for the parameter(s) {sorted(missing)}")
    operation["parameters"] = kept + [copy.deepcopy(definitions[n]) for n in sorted(names)]


def _job_paths() -> dict[str, Any]:
    """/req/core/job-op and job-results-op: answered, always 404 (no jobs are kept)."""
    job_id = {"name": "jobId", "in": "path", "required": True, "schema": {"type": "string"},
              "description": "Id of a job."}
    not_found = {"description": f"No such job ({_NO_SUCH_JOB}): processes run synchronously "
                                "here and keep no jobs.",
                 "content": {"application/json": {"schema": {
                     "$ref": "#/components/schemas/exception"}}}}

    def get(summary: str, operation_id: str) -> dict[str, Any]:
        return {"get": {"summary": summary, "operationId": operation_id, "tags": ["server"],
                        "parameters": [job_id, *_common(["json"])],
                        "responses": {"404": not_found}}}

    return {"/jobs/{jobId}": get("Status of a job", "getJobStatus"),
            "/jobs/{jobId}/results": get("Results of a job", "getJobResults")}


def _execute_response(process_id: str) -> dict[str, Any]:
    """The 200 of an execution: the object the process returns (``response_schema``)."""
    module, name = PROCESSORS[process_id].rsplit(".", 1)
    processor = getattr(importlib.import_module(module), name)
    return {"description": "The outputs, one member each (synchronous execution).",
            "content": {"application/json": {"schema": processor.response_schema()}}}


def add_service_parameters(oas: dict[str, Any]) -> None:
    """Make the catalogue, coverage, process and job operations exact, in place."""
    paths = oas["paths"]
    components = oas.get("components", {}).get("parameters", {})
    with_jsonld = {p["name"]: p for p in _common(["json", "html", "jsonld"])}
    records = f"/collections/{CATALOG_ID}"
    if f"{records}/items" in paths:
        _set(paths[f"{records}/items"]["get"], RECORD_PARAMETERS, _record_parameters(),
             components)
    for tail in ("", "/queryables", "/schema", "/items/{featureId}"):
        if records + tail in paths:
            formats = list(RECORD_FORMATS) if tail == "/items/{featureId}" else ["json", "html"]
            _set(paths[records + tail]["get"], COMMON,
                 {p["name"]: p for p in _common(formats)}, components)
    coverage = f"/collections/{HEALTH_DISTANCE_ID}"
    if f"{coverage}/coverage" in paths:
        _set(paths[f"{coverage}/coverage"]["get"], COVERAGE_PARAMETERS, _coverage_parameters(),
             components)
    # /req/core/pl-limit-definition; pygeoapi enforces the server's limit (1000).
    process_limit = _param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_ITEMS,
                                     "default": DEFAULT_ITEMS}, "Processes per page.")
    for path, item in paths.items():
        if path == "/processes":  # pygeoapi links its f=jsonld alternate
            _set(item["get"], PROCESS_LIST_PARAMETERS, {**with_jsonld, "limit": process_limit},
                 components)
        elif path.startswith("/processes/") and path.endswith("/execution"):
            operation = item["post"]
            _set(operation, COMMON, {p["name"]: p for p in _common(["json"])}, components)
            # Synchronous only: never 201 Created with a job (Processes 1.0 permits it).
            operation["responses"].pop("201", None)
            operation["responses"]["200"] = _execute_response(path.split("/")[2])
            operation["responses"]["400"] = {
                "description": "An input is missing, unknown or out of range; the "
                               "description names it.",
                "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/exception"}}}}
        elif path.startswith("/processes/"):
            _set(item["get"], COMMON, with_jsonld, components)
    paths.update(_job_paths())
