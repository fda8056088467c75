"""Client mistakes at the HTTP level answered as JSON, never a 500 or an HTML page.

Found by fuzzing the live server (schemathesis and hand-made requests): header
weights ``q=0``, methods an endpoint does not take, more query fields than
Django accepts, odd static paths and long filter URLs. Every test here talks
to the real gunicorn test server.
"""

from __future__ import annotations

import http.client
from urllib.parse import quote, urlsplit

import pytest
import requests

from layers.models import Facility
from tests.write_api_support import Api

ITEMS = "/ogc/collections/facilities/items"


def _raw_get(server_url: str, path: str) -> tuple[int, str, bytes]:
    """A GET of ``path`` exactly as written (requests would resolve ``..`` first)."""
    address = urlsplit(server_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(("path", "headers"), [
    ("/ogc/collections", {"Accept": "text/html;q=0"}),
    ("/ogc/", {"Accept": "*/*;q=0"}),
    ("/ogc/openapi", {"Accept": "text/html;q=0, application/json;q=0"}),
    ("/ogc/collections/facilities", {"Accept-Language": "en;q=0"}),
    ("/ogc/collections/facilities/queryables", {"Accept": "text/html;q=."}),
    ("/ogc/processes", {"Accept-Language": "id;q=0.0, en;q=0"}),
    ("/ogc/collections?lang=en;q=0", {}),
])
def test_weights_of_zero_or_malformed_are_answered_not_a_500(
    http: requests.Session, server_url: str, path: str, headers: dict[str, str]
) -> None:
    """RFC 9110 §12.4.2: q=0 means "not acceptable"; pygeoapi divided by it."""
    response = http.get(f"{server_url}{path}", headers=headers)
    assert response.status_code == 200, response.text[:300]
    assert "json" in response.headers["Content-Type"]  # the JSON the client did not refuse
    assert response.json()


def test_html_refused_with_q_0_gives_geojson_items_not_the_html_page(
    http: requests.Session, server_url: str
) -> None:
    response = http.get(f"{server_url}{ITEMS}?limit=2", headers={"Accept": "text/html;q=0"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/geo+json"
    assert response.json()["numberReturned"] == 2


def test_a_language_refused_with_q_0_leaves_the_next_one_chosen(
    http: requests.Session, server_url: str
) -> None:
    url = f"{server_url}/ogc/collections/facilities?f=json"
    english = http.get(url, headers={"Accept-Language": "id;q=0, en"}).json()["title"]
    indonesian = http.get(url, headers={"Accept-Language": "en;q=0"}).json()["title"]
    assert (english, indonesian) == ("Public facilities", "Fasilitas umum")


@pytest.mark.parametrize("path", [
    "/ogc/collections", "/ogc/conformance", "/ogc/collections/facilities",
    "/ogc/collections/jarak-faskes/coverage", "/ogc/processes",
    "/ogc/collections/facilities/tiles", "/download/facilities.csv",
])
def test_a_post_where_only_get_is_served_is_a_json_405_with_allow(
    write_api: Api, path: str
) -> None:
    response = write_api.call("editor-a", "POST", path, json={})
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert response.json()["code"] == "MethodNotAllowed"
    assert "POST is not allowed here" in response.json()["description"]


def test_a_get_of_an_execution_is_a_json_405_that_allows_post(
    http: requests.Session, server_url: str
) -> None:
    response = http.get(f"{server_url}/ogc/processes/locate/execution")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.json()["code"] == "MethodNotAllowed"


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/ogc/collections"),
    ("GET", ITEMS),
    ("GET", "/download/facilities.csv"),
    ("GET", "/catalog.jsonld"),
    ("POST", "/ogc/processes/locate/execution"),
])
def test_more_query_fields_than_django_takes_is_ogc_json_naming_the_limit(
    http: requests.Session, server_url: str, method: str, path: str
) -> None:
    fields = "&".join(["a"] * 2001)  # DATA_UPLOAD_MAX_NUMBER_FIELDS is 2000
    response = http.request(method, f"{server_url}{path}?{fields}",
                            json={"inputs": {"lon": 123.6, "lat": -10.17}})
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameterValue"
    assert "more than 2000 (DATA_UPLOAD_MAX_NUMBER_FIELDS)" in response.json()["description"]


def test_the_dashboard_data_answers_too_many_fields_in_its_own_json(
    http: requests.Session, server_url: str
) -> None:
    response = http.get(f"{server_url}/dasbor/data.json?{'&'.join(['a'] * 2001)}")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in response.json()["description"]


@pytest.mark.parametrize("path", [
    "/ogc/static/" + "A" * 256,  # over NAME_MAX: the file system's ENAMETOOLONG
    "/ogc/static/..",
    "/ogc/static/css/../../../etc/passwd",
    "/ogc/static/css/nothing-here.css",
])
def test_an_impossible_static_path_is_a_json_404(server_url: str, path: str) -> None:
    status, content_type, body = _raw_get(server_url, path)
    assert status == 404
    assert content_type == "application/json"
    assert b'"NotFound"' in body


def test_pygeoapis_stylesheet_is_still_served(server_url: str) -> None:
    status, content_type, body = _raw_get(server_url, "/ogc/static/css/default.css")
    assert (status, content_type.split(";")[0]) == (200, "text/css")
    assert b"{" in body


def test_a_filter_with_a_4_kb_polygon_fits_in_the_request_line(
    http: requests.Session, server_url: str
) -> None:
    """gunicorn's default request line (4094 bytes) answered this with an HTML 414."""
    hospital = Facility.objects.get(name="RSUD W. Z. Johannes").geometry
    west, south, east, north = (hospital.x - 0.0005, hospital.y - 0.0005,
                                hospital.x + 0.0005, hospital.y + 0.0005)
    # A square 110 m wide around the hospital, its south edge in 200 vertices.
    ring = [(west + i * (east - west) / 200, south) for i in range(200)]
    ring += [(east, south), (east, north), (west, north), (west, south)]
    wkt = "POLYGON((" + ",".join(f"{x:.7f} {y:.7f}" for x, y in ring) + "))"
    query = f"filter={quote(f'S_INTERSECTS(geometry,{wkt})')}&properties=nama"
    assert 4094 < len(f"GET {ITEMS}?{query} HTTP/1.1") <= 8190
    response = http.get(f"{server_url}{ITEMS}?{query}")
    assert response.status_code == 200, response.text[:300]
    assert [f["properties"]["nama"] for f in response.json()["features"]] == [
        "RSUD W. Z. Johannes"]


@pytest.mark.parametrize("query", [
    "/ogc/collections/facilities/items?kategori=klinik&kategori=pasar",
    "/ogc/collections/facilities/items?limit=1&limit=2",
    "/ogc/collections/facilities/items?f=json&f=html",
    "/download/facilities.csv?kategori=gereja&kategori=rumah_sakit",
    "/ogc/collections/kelurahan/tiles/WebMercatorQuad/14/8657/13816?f=mvt&f=mvt",
])
def test_a_parameter_given_twice_is_a_400_naming_it_not_the_last_value(
        http: requests.Session, server_url: str, query: str) -> None:
    name = query.rsplit("&", 1)[1].split("=")[0]
    response = http.get(f"{server_url}{query}", timeout=30)
    assert response.status_code == 400
    assert response.json()["description"].startswith(f"{name}: given 2 times; give it once")
