"""OGC API Features Part 1 Core, walked over every collection the way the OGC
test suite (ets-ogcapi-features10, groups "Core" and "CRS by Reference") does:
landing page, conformance, OpenAPI, collections, each collection, items with
limit/bbox/datetime, next links to the end against numberMatched, and every
single feature with its links. Real gunicorn, real PostGIS.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from layers.registry import published_layers
from ogc.crs import URIS
from ogc.parameters import ITEMS

COUNTS = {"kecamatan": 6, "kelurahan": 51, "facilities": 67, "projects": 40}
GEOJSON = "application/geo+json"


def _get(http: requests.Session, url: str, **params: Any) -> dict[str, Any]:
    response = http.get(url, params=params, headers={"Accept": GEOJSON})
    assert response.status_code == 200, (url, params, response.text)
    return response.json()


def _link(document: dict[str, Any], rel: str) -> dict[str, str] | None:
    return next((link for link in document["links"] if link["rel"] == rel), None)


def _walk(http: requests.Session, url: str, **params: Any) -> tuple[dict, list[dict]]:
    """The first page and every feature reached by following rel=next."""
    first = page = _get(http, url, **params)
    features = list(page["features"])
    while (link := _link(page, "next")) is not None:
        assert link["type"] == GEOJSON
        page = _get(http, link["href"])
        assert page["numberReturned"] == len(page["features"]) > 0
        features += page["features"]
    return first, features


def _in_kupang_crs84(geometry: dict[str, Any]) -> None:
    """/req/core/crs84: longitude first, both within Kota Kupang's envelope."""
    coordinates = geometry["coordinates"]
    while isinstance(coordinates[0], list):
        coordinates = coordinates[0]
    lon, lat = coordinates[:2]
    assert 123.4 < lon < 123.8 and -10.4 < lat < -10.0, coordinates


@pytest.fixture(scope="module")
def api(http: requests.Session, server_url: str) -> dict[str, Any]:
    return _get(http, f"{server_url}/ogc/openapi", f="json")


def test_landing_page_links_the_api_its_documentation_conformance_and_data(
    http: requests.Session, server_url: str
) -> None:
    body = _get(http, f"{server_url}/ogc/")
    links = {link["rel"]: link for link in body["links"]}
    assert {"self", "service-desc", "service-doc", "conformance", "data"} <= set(links)
    assert http.get(links["service-desc"]["href"]).json()["openapi"].startswith("3.0")
    assert http.get(links["service-doc"]["href"]).status_code == 200
    assert http.get(links["data"]["href"], params={"f": "json"}).json()["collections"]


@pytest.mark.parametrize("collection", COUNTS)
def test_openapi_declares_limit_bbox_and_datetime_in_the_standard_shapes(
    api: dict[str, Any], collection: str
) -> None:
    parameters = {p["name"]: p for p in api["paths"][f"/collections/{collection}/items"]["get"]
                  ["parameters"]}
    for name in ("limit", "bbox", "datetime"):
        assert parameters[name]["in"] == "query" and parameters[name]["required"] is False
        assert parameters[name]["style"] == "form" and parameters[name]["explode"] is False
    assert parameters["limit"]["schema"] == {
        "type": "integer", "minimum": 1, "maximum": 1000, "default": 10
    }
    assert parameters["bbox"]["schema"] == {
        "type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}
    }
    assert parameters["datetime"]["schema"]["type"] == "string"
    assert parameters["crs"]["schema"]["enum"] == list(URIS)


@pytest.mark.parametrize("layer", published_layers(), ids=lambda layer: layer.id)
def test_openapi_declares_every_parameter_the_items_endpoint_accepts_and_no_other(
    api: dict[str, Any], layer: Any
) -> None:
    declared = {p["name"] for p in api["paths"][f"/collections/{layer.id}/items"]["get"]
                ["parameters"]}
    assert declared == ITEMS | {p.name for p in layer.properties}


def test_openapi_refers_to_no_parameter_on_another_host(api: dict[str, Any]) -> None:
    for path, item in api["paths"].items():
        for parameter in item.get("get", {}).get("parameters", []):
            assert not parameter.get("$ref", "#").startswith("http"), (path, parameter)


@pytest.mark.parametrize(("collection", "count"), COUNTS.items())
def test_collection_describes_extent_crs_and_items_links(
    http: requests.Session, server_url: str, collection: str, count: int
) -> None:
    body = _get(http, f"{server_url}/ogc/collections/{collection}", f="json")
    assert body["id"] == collection and body["itemType"] == "feature"
    assert body["crs"] == list(URIS) and body["storageCrs"] == URIS[0]
    items = [link for link in body["links"] if link["rel"] == "items"]
    assert {link["type"].split(";")[0] for link in items} >= {GEOJSON, "text/html", "text/csv"}
    for link in items:
        assert http.get(link["href"]).status_code == 200, link


@pytest.mark.parametrize(("collection", "count"), COUNTS.items())
def test_next_links_walk_exactly_number_matched_features_in_id_order(
    http: requests.Session, server_url: str, collection: str, count: int
) -> None:
    first, features = _walk(http, f"{server_url}/ogc/collections/{collection}/items", limit=7)
    ids = [feature["id"] for feature in features]
    assert first["numberMatched"] == len(ids) == count
    assert ids == sorted(set(ids))
    assert _link(first, "self")["type"] == GEOJSON
    assert {"text/html", "application/ld+json"} <= {
        link["type"] for link in first["links"] if link["rel"] == "alternate"
    }
    for feature in features:
        assert feature["type"] == "Feature" and feature["properties"]
        _in_kupang_crs84(feature["geometry"])


def test_next_links_carry_the_keyset_position_not_an_offset(
    http: requests.Session, server_url: str
) -> None:
    first = _get(http, f"{server_url}/ogc/collections/facilities/items", limit=10, offset=20)
    href = _link(first, "next")["href"]
    assert f"after={first['features'][-1]['id']}" in href and "offset" not in href
    by_offset = _get(http, f"{server_url}/ogc/collections/facilities/items", limit=10, offset=30)
    assert _get(http, href)["features"] == by_offset["features"]


@pytest.mark.parametrize("collection", COUNTS)
def test_every_feature_answers_alone_with_self_alternate_and_collection_links(
    http: requests.Session, server_url: str, collection: str
) -> None:
    url = f"{server_url}/ogc/collections/{collection}/items"
    for listed in _walk(http, url, limit=100)[1]:
        single = _get(http, f"{url}/{listed['id']}")
        assert single["id"] == listed["id"] and single["properties"] == listed["properties"]
        rels = {link["rel"]: link["href"] for link in single["links"]}
        assert rels["collection"].startswith(f"{server_url}/ogc/collections/{collection}")
        assert {"self", "alternate"} <= set(rels)


@pytest.mark.parametrize("limit", [1, 5, 1000])
@pytest.mark.parametrize("collection", COUNTS)
def test_limit_caps_the_page(
    http: requests.Session, server_url: str, collection: str, limit: int
) -> None:
    body = _get(http, f"{server_url}/ogc/collections/{collection}/items", limit=limit)
    assert body["numberReturned"] == len(body["features"]) == min(limit, COUNTS[collection])
    assert (_link(body, "next") is None) == (limit >= COUNTS[collection])


@pytest.mark.parametrize("collection", COUNTS)
def test_bbox_of_the_collection_extent_returns_every_feature(
    http: requests.Session, server_url: str, collection: str
) -> None:
    extent = _get(http, f"{server_url}/ogc/collections/{collection}")["extent"]
    bbox = ",".join(str(v) for v in extent["spatial"]["bbox"][0])
    first, features = _walk(http, f"{server_url}/ogc/collections/{collection}/items",
                            bbox=bbox, limit=50)
    assert first["numberMatched"] == len(features) == COUNTS[collection]


def test_datetime_forms_the_test_suite_sends_are_answered(
    http: requests.Session, server_url: str
) -> None:
    url = f"{server_url}/ogc/collections/projects/items"
    interval = _get(http, f"{server_url}/ogc/collections/projects")["extent"]["temporal"]
    begin = interval["interval"][0][0][:10]
    for value in (begin, f"{begin}T00:00:00Z/{begin}T23:59:59Z", f"{begin}/P1M2D",
                  f"../{begin}", f"{begin}/.."):
        first, features = _walk(http, url, datetime=value, limit=50)
        assert first["numberMatched"] == len(features) > 0, value


def test_datetime_outside_the_temporal_extent_is_an_empty_page_not_an_error(
    http: requests.Session, server_url: str
) -> None:
    body = _get(http, f"{server_url}/ogc/collections/projects/items", datetime="2099-01-01")
    assert body["numberMatched"] == body["numberReturned"] == 0 and body["features"] == []


def test_unknown_ogc_paths_are_json_404s_with_cors(
    http: requests.Session, server_url: str
) -> None:
    response = http.get(f"{server_url}/ogc/collections/kelurahan/tidak-ada")
    assert response.status_code == 404
    assert response.json()["code"] == "NotFound"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "path", ["/ogc", "/ogc/collections/facilities/items", "/ogc/collections/facilities/items/1",
             "/ogc/collections/facilities/queryables", "/ogc/conformance"],
)
def test_ogc_responses_allow_any_origin(
    http: requests.Session, server_url: str, path: str
) -> None:
    response = http.get(f"{server_url}{path}")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_csv_items_link_works_and_holds_every_feature(
    http: requests.Session, server_url: str
) -> None:
    response = http.get(f"{server_url}/ogc/collections/facilities/items",
                        params={"f": "csv", "limit": 100})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    lines = response.text.strip().splitlines()
    assert len(lines) == 1 + 67 and lines[0].startswith("nama,kategori")
