"""Bad values in bodies, filters and coverage parameters: a 400 naming them, never a 500.

Found by fuzzing the live server: process bodies that ``json.loads`` cannot
take (deep nesting, 5,000-digit integers), CQL2 literals PostgreSQL or shapely
cannot take (NUL, lone surrogates, unknown geometry types, deep nesting) and
coverage boxes and subsets that reached rasterio unchecked. Real HTTP against
the gunicorn test server; expected rows from the database.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
import rasterio
import requests

from layers.health_distance import health_distance_path
from layers.models import Facility

ITEMS = "/ogc/collections/facilities/items"
COVERAGE = "/ogc/collections/jarak-faskes/coverage"
LOCATE = "/ogc/processes/locate/execution"


def _post_json_text(http: requests.Session, url: str, text: str) -> requests.Response:
    return http.post(url, data=text.encode(), headers={"Content-Type": "application/json"})


@pytest.mark.parametrize(("body", "named"), [
    ('{"inputs": ' + "[" * 10_000 + "]" * 10_000 + "}", "nested too deeply"),
    ('{"inputs": {"lon": ' + "9" * 5000 + ', "lat": -10.17}}', "is out of range"),
    ('{"inputs": {"lon": NaN, "lat": -10.17}}', "NaN is not JSON"),
    ("   ", "execute request body is empty"),
])
def test_an_execute_body_json_cannot_hold_is_a_400_naming_the_body(
    http: requests.Session, server_url: str, body: str, named: str
) -> None:
    response = _post_json_text(http, f"{server_url}{LOCATE}", body)
    assert response.status_code == 400, response.text[:200]
    assert response.json()["code"] == "InvalidRequestBody"
    assert "execute request body" in response.json()["description"]
    assert named in response.json()["description"]


def test_a_good_execute_body_still_locates_the_point(
    http: requests.Session, server_url: str
) -> None:
    response = _post_json_text(http, f"{server_url}{LOCATE}",
                               '{"inputs": {"lon": 123.5858, "lat": -10.1681}}')
    assert response.status_code == 200
    assert response.json()["kelurahan"] == {"kode": "53.71.04.1008", "nama": "Oetete"}


def _cql2_json(document: dict) -> str:
    return f"filter-lang=cql2-json&filter={quote(json.dumps(document))}"


def _equals_name(literal: str) -> str:
    # json.dumps would write the escapes itself; written by hand, they stay escapes.
    return ('filter-lang=cql2-json&filter='
            + quote('{"op":"=","args":[{"property":"nama"},"' + literal + '"]}'))


def _intersects(geometry: dict) -> str:
    return _cql2_json({"op": "s_intersects", "args": [{"property": "geometry"}, geometry]})


@pytest.mark.parametrize("path", [ITEMS, "/download/facilities.geojson"])
@pytest.mark.parametrize(("query", "named"), [
    (_equals_name("\\u0000"), "filter.args[1]: text contains a NUL character"),
    (_equals_name("a\\u0000b"), "filter.args[1]: text contains a NUL character"),
    (_equals_name("\\ud800"), "filter.args[1]: text contains a lone surrogate ('\\ud800')"),
    (_cql2_json({"op": "in", "args": [{"property": "nama"}, ["a", "\x00"]]}),
     "filter.args[1][1]: text contains a NUL"),
    (_intersects({"type": "Foo", "coordinates": [0, 0]}), "type 'Foo' is not one of"),
    (_intersects({"type": "LinearRing", "coordinates": [[0, 0], [1, 0], [1, 1], [0, 0]]}),
     "type 'LinearRing' is not one of"),
    (_intersects({"type": "point", "coordinates": [123.58, -10.17]}), "type 'point'"),
    (_intersects({"type": "GeometryCollection", "geometries": [{"type": "Foo"}]}),
     "at geometry.geometries[0]: type 'Foo'"),
    (_intersects({"type": "GeometryCollection", "geometries": "x"}), "'geometries', an array"),
    ("filter=" + quote("nama = 'a\x00'"), "filter: contains a NUL character"),
    ("nama=%00", "nama: contains a NUL character"),
    ("filter=" + "NOT(" * 700 + "nama=%27a%27" + ")" * 700, "nested too deeply"),
    (_cql2_json({"op": "in", "args": [{"property": "nama"}, json.loads("[" * 900 + "]" * 900)]}),
     "nested too deeply"),
])
def test_a_filter_literal_the_database_cannot_take_is_a_400_naming_filter(
    http: requests.Session, server_url: str, path: str, query: str, named: str
) -> None:
    response = http.get(f"{server_url}{path}?{query}")
    assert response.status_code == 400, response.text[:300]
    assert response.json()["code"] == "InvalidParameterValue"
    assert named in response.json()["description"]


def test_a_long_and_chain_is_compiled_without_exhausting_the_stack(
    http: requests.Session, server_url: str
) -> None:
    """pygeofilter nests a chain to the left: 400 terms were 800 nested calls."""
    names = list(Facility.objects.order_by("id").values_list("name", flat=True))
    terms = " OR ".join(["nama='-'"] * 399 + [f"nama='{names[0]}'"])
    response = http.get(f"{server_url}{ITEMS}", params={"filter": terms, "properties": "nama"})
    assert response.status_code == 200, response.text[:300]
    assert [f["properties"]["nama"] for f in response.json()["features"]] == [names[0]]


def _grid_shape(http: requests.Session, url: str, query: str) -> list[int]:
    response = http.get(f"{url}{COVERAGE}?f=json&{query}")
    assert response.status_code == 200, response.text[:300]
    return response.json()["ranges"]["jarak_m"]["shape"]


def test_a_bbox_with_heights_selects_the_cells_of_the_same_box_without_them(
    http: requests.Session, server_url: str
) -> None:
    flat = _grid_shape(http, server_url, "bbox=123.58,-10.17,123.59,-10.16")
    assert flat == [23, 23]  # 50 m cells over ~0.01°
    assert _grid_shape(http, server_url, "bbox=123.58,-10.17,0,123.59,-10.16,10") == flat


@pytest.mark.parametrize(("query", "named"), [
    ("bbox=123.5,-10.2,5,123.6,-10.1,0", "bbox: the minimum height"),
    ("subset=Lon(1e308:1e309)", "subset: 'Lon(1e308:1e309)': coordinates must be finite"),
    ("subset=Lon(1e309)", "subset: 'Lon(1e309)'"),
    ("subset=Lat(1e309)", "subset: 'Lat(1e309)'"),
])
def test_an_impossible_coverage_region_is_a_400_naming_the_parameter(
    http: requests.Session, server_url: str, query: str, named: str
) -> None:
    response = http.get(f"{server_url}{COVERAGE}?{query}")
    assert response.status_code == 400, response.text[:300]
    assert response.json()["code"] == "InvalidParameterValue"
    assert named in response.json()["description"]


def test_a_bbox_with_heights_far_from_the_city_is_a_404_outside_the_coverage(
    http: requests.Session, server_url: str
) -> None:
    response = http.get(f"{server_url}{COVERAGE}?bbox=0,50,0,1,60,1")
    assert response.status_code == 404
    assert "falls entirely outside the coverage" in response.json()["description"]


@pytest.mark.parametrize("query", [
    "subset=Lon(100:1000)", "subset=Lon(-180:180),Lat(-90:90)", "subset=Lat(-1000:1000)",
    "bbox=100,-20,1000,20",
])
def test_a_region_around_the_whole_city_returns_the_whole_grid(
    http: requests.Session, server_url: str, query: str
) -> None:
    """Coverages /req/coverage-subset/definition (note): the part inside the coverage."""
    with rasterio.open(health_distance_path()) as src:
        assert _grid_shape(http, server_url, query) == [src.height, src.width]
