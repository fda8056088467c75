"""The OpenAPI document at /ogc/openapi: valid OpenAPI 3.0, readable offline,
and declaring, operation by operation, exactly the query parameters the running
server accepts. The last check asks the server itself: every declared
parameter is sent and must not be refused as unknown; parameters other
operations declare (and a made-up one) are sent and must be refused with a 400
that names them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from openapi_spec_validator import OpenAPIV30SpecValidator

#: Names clients send and some endpoint declares; each operation is probed with
#: those it does not declare.
PROBES = ("f", "lang", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "filter",
          "properties", "skipGeometry", "sortby", "q", "ids", "externalIds", "profile",
          "subset-crs", "vendorSpecificParameters", "foo")
UNKNOWN = "unknown query parameter"


def _no_fetch(uri: str) -> Any:
    raise AssertionError(f"the document makes its reader fetch {uri}")


class OfflineValidator(OpenAPIV30SpecValidator):
    """openapi-spec-validator that cannot fetch anything: a remote $ref fails the check."""

    resolver_handlers = {"http": _no_fetch, "https": _no_fetch, "file": _no_fetch}


@pytest.fixture(scope="module")
def document(http: requests.Session, server_url: str) -> dict[str, Any]:
    response = http.get(f"{server_url}/ogc/openapi", params={"f": "json"})
    assert response.status_code == 200
    return response.json()


def _refs(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield where, value
            else:
                yield from _refs(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _refs(value, f"{where}/{i}")


def test_the_document_refers_to_nothing_on_another_host(document: dict[str, Any]) -> None:
    remote = [(where, ref) for where, ref in _refs(document) if not ref.startswith("#/")]
    assert remote == []


def test_the_document_is_valid_openapi_3_0_checked_without_network(
    document: dict[str, Any]
) -> None:
    assert document["openapi"].startswith("3.0")
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in OfflineValidator(document).iter_errors()]
    assert errors == []


def test_null_outputs_are_declared_with_nullable_not_a_null_type(
    document: dict[str, Any]
) -> None:
    assert '"type": "null"' not in json.dumps(document)
    output = document["paths"]["/processes/locate/execution"]["post"]["responses"]["200"]
    schema = output["content"]["application/json"]["schema"]["properties"]["kelurahan"]
    assert schema["nullable"] is True and schema["type"] == "object"


def _kind(path: str) -> str:
    if path.startswith("/tileMatrixSets") or "/tiles" in path:
        return "tiles"
    if path.endswith("/coverage"):
        return "coverage"
    if path.startswith(("/processes", "/jobs")):
        return "processes"
    if path.startswith("/collections/catalog/"):
        return "records"
    if re.fullmatch(r"/collections/[^/]+/items(/\{featureId\})?", path):
        return "features"
    return "common"


def _example(parameter: dict[str, Any]) -> str:
    """A value the parameter could take: its default, first enum value, or its type's."""
    fixed = {"bbox": "123.57,-10.17,123.58,-10.16", "datetime": "2025-01-01", "limit": "2",
             "subset": "Lon(123.57:123.58),Lat(-10.17:-10.16)", "q": "kelurahan"}
    if parameter["name"] in fixed:
        return fixed[parameter["name"]]
    schema = parameter.get("schema", {})
    schema = schema.get("items", schema) if schema.get("type") == "array" else schema
    value = schema.get("default", (schema.get("enum") or [None])[0])
    if value is None:
        value = {"integer": 1, "number": 1, "boolean": True}.get(schema.get("type", ""), "x")
    return str(value).lower() if isinstance(value, bool) else str(value)


def _first_id(server_url: str, layer: str) -> str:
    if layer == "catalog":
        return "kelurahan"
    body = requests.get(f"{server_url}/ogc/collections/{layer}/items",
                        params={"limit": 1, "f": "json"}, timeout=30).json()
    return str(body["features"][0]["id"])


def _operations(document: dict[str, Any], kind: str, server_url: str
                ) -> Iterator[tuple[str, str, list[dict[str, Any]], dict[str, Any] | None]]:
    """(label, url, query parameters, execute body) of every GET, and of process execution.

    Path parameters get real values: an existing feature or record, a z12 tile
    over Kupang, a job id (no job exists: a 404, after the parameters are checked).
    """
    components = document["components"].get("parameters", {})
    for path, item in document["paths"].items():
        if _kind(path) != kind:
            continue
        for method in ("get", "post"):
            if method not in item or (method == "post" and not path.endswith("/execution")):
                continue
            operation = item[method]
            parameters = [components[p["$ref"].rsplit("/", 1)[-1]] if "$ref" in p else p
                          for p in operation.get("parameters", [])]
            url = path.replace("{tileMatrixSetId}", "WebMercatorQuad").replace(
                "{tileMatrix}", "12").replace("{tileRow}", "2164").replace(
                "{tileCol}", "3454").replace("{jobId}", "tidak-ada")
            if "{featureId}" in url:
                url = url.replace("{featureId}", _first_id(server_url, path.split("/")[2]))
            body = None
            if method == "post":  # the process's own example inputs
                body = operation["requestBody"]["content"]["application/json"]["example"]
            query = [p for p in parameters if p["in"] == "query"]
            yield f"{method.upper()} {path}", f"{server_url}/ogc{url}", query, body


def _send(http: requests.Session, url: str, params: dict[str, str],
          body: dict[str, Any] | None) -> requests.Response:
    if body is None:
        return http.get(url, params=params, timeout=60)
    return http.post(url, params=params, json=body, timeout=60)


@pytest.mark.parametrize("kind", ["common", "features", "records", "coverage", "processes",
                                  "tiles"])
def test_every_operation_declares_exactly_the_query_parameters_the_server_accepts(
    http: requests.Session, server_url: str, document: dict[str, Any], kind: str
) -> None:
    mismatches: list[str] = []
    operations = list(_operations(document, kind, server_url))
    assert operations, kind
    for label, url, parameters, body in operations:
        declared = {p["name"] for p in parameters}
        for parameter in parameters:
            response = _send(http, url, {parameter["name"]: _example(parameter)}, body)
            if response.status_code == 400 and UNKNOWN in response.text:
                mismatches.append(f"{label}: declares {parameter['name']} but refuses it")
            elif response.status_code >= 500:
                mismatches.append(f"{label}: {parameter['name']} gave {response.status_code}")
        for name in sorted(set(PROBES) - declared):
            response = _send(http, url, {name: "1"}, body)
            refused = response.status_code == 400 and name in response.json()["description"]
            if not refused:
                mismatches.append(f"{label}: accepts {name} without declaring it "
                                  f"({response.status_code})")
    assert mismatches == []
