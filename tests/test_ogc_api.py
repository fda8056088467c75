"""OGC API - Features at /ogc, over real HTTP against gunicorn and PostGIS."""

from __future__ import annotations

import re

import pytest
import requests
from django.contrib.gis.geos import Polygon

from layers.models import Facility, ProjectSite

COUNTS = {"kecamatan": 6, "kelurahan": 51, "facilities": 67, "projects": 40}


def _items(http: requests.Session, url: str, collection: str, **params: object) -> dict:
    response = http.get(f"{url}/ogc/collections/{collection}/items", params={"f": "json", **params})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("path", ["/ogc", "/ogc/"])
def test_landing_page_answers_with_and_without_slash_without_redirect(
    http: requests.Session, server_url: str, path: str
) -> None:
    response = http.get(f"{server_url}{path}?f=json", allow_redirects=False)
    assert response.status_code == 200
    rels = {link["rel"] for link in response.json()["links"]}
    assert {"service-desc", "service-doc", "conformance", "data"} <= rels


def test_collections_are_generated_from_the_layer_declarations(
    http: requests.Session, server_url: str
) -> None:
    body = http.get(f"{server_url}/ogc/collections?f=json").json()
    collections = {c["id"]: c for c in body["collections"] if c.get("itemType") == "feature"}
    assert set(collections) == set(COUNTS)
    minx, miny, maxx, maxy = collections["kelurahan"]["extent"]["spatial"]["bbox"][0]
    assert (round(minx, 3), round(miny, 3), round(maxx, 3), round(maxy, 3)) == (
        123.527, -10.293, 123.692, -10.124
    )
    interval = collections["projects"]["extent"]["temporal"]["interval"][0]
    assert interval[0].startswith("2024-") and interval[1].startswith("2026-")
    assert collections["kelurahan"]["title"] == "Kelurahan Kota Kupang"


def test_english_titles_are_served_on_request(http: requests.Session, server_url: str) -> None:
    body = http.get(f"{server_url}/ogc/collections/kelurahan?f=json&lang=en").json()
    assert body["title"] == "Urban villages of Kota Kupang"


@pytest.mark.parametrize(("collection", "count"), COUNTS.items())
def test_items_report_the_number_matched(
    http: requests.Session, server_url: str, collection: str, count: int
) -> None:
    body = _items(http, server_url, collection, limit=1)
    assert body["numberMatched"] == count
    assert body["numberReturned"] == 1
    assert body["features"][0]["geometry"]["type"]


def test_default_page_is_10_and_next_links_walk_every_feature(
    http: requests.Session, server_url: str
) -> None:
    body = _items(http, server_url, "facilities")
    assert body["numberReturned"] == 10
    seen = [f["id"] for f in body["features"]]
    pages = 1
    while next_link := next((lk for lk in body["links"] if lk["rel"] == "next"), None):
        body = http.get(next_link["href"]).json()
        seen += [f["id"] for f in body["features"]]
        pages += 1
    assert pages == 7
    assert len(seen) == len(set(seen)) == 67


def test_offset_page_has_a_prev_link(http: requests.Session, server_url: str) -> None:
    body = _items(http, server_url, "kelurahan", limit=20, offset=40)
    assert body["numberReturned"] == 11
    rels = {link["rel"]: link["href"] for link in body["links"]}
    assert "offset=20" in rels["prev"] and "next" not in rels


@pytest.mark.django_db
def test_bbox_returns_the_facilities_postgis_finds_in_the_box(
    http: requests.Session, server_url: str
) -> None:
    box = (123.58, -10.18, 123.60, -10.16)
    expected = Facility.objects.filter(geometry__intersects=Polygon.from_bbox(box)).count()
    assert expected > 0
    body = _items(http, server_url, "facilities", bbox=",".join(map(str, box)), limit=100)
    assert body["numberMatched"] == body["numberReturned"] == expected
    for feature in body["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 123.58 <= lon <= 123.60 and -10.18 <= lat <= -10.16


def test_property_filters_select_matching_features(
    http: requests.Session, server_url: str
) -> None:
    assert _items(http, server_url, "facilities", kategori="rumah_sakit")["numberMatched"] == 12
    body = _items(http, server_url, "kelurahan", kecamatan="Alak", limit=50)
    assert body["numberMatched"] == 12
    assert {f["properties"]["kode_kecamatan"] for f in body["features"]} == {"53.71.01"}


@pytest.mark.django_db
def test_datetime_selects_projects_whose_period_intersects(
    http: requests.Session, server_url: str
) -> None:
    expected = ProjectSite.objects.filter(
        planned_start__lte="2026-12-31", planned_end__gte="2026-01-01"
    ).count()
    body = _items(http, server_url, "projects", datetime="2026-01-01/2026-12-31", limit=100)
    assert body["numberMatched"] == expected > 0


def test_single_item_has_properties_and_a_collection_link(
    http: requests.Session, server_url: str
) -> None:
    first = _items(http, server_url, "kelurahan", limit=1, sortby="kode")["features"][0]
    response = http.get(f"{server_url}/ogc/collections/kelurahan/items/{first['id']}?f=json")
    assert response.status_code == 200
    body = response.json()
    assert body["properties"]["kode"] == "53.71.01.1001"
    assert body["properties"]["nama"] == "Namosain"
    assert body["properties"]["kecamatan"] == "Alak"
    assert any(link["rel"] == "collection" for link in body["links"])


def test_project_items_carry_budget_and_the_sample_flag(
    http: requests.Session, server_url: str
) -> None:
    body = _items(http, server_url, "projects", limit=40)
    for feature in body["features"]:
        props = feature["properties"]
        assert props["data_contoh"] is True
        assert isinstance(props["pagu"], int) and props["pagu"] > 0
        assert 0 <= props["progres"] <= 100
        assert props["opd"] and props["kelurahan"]


@pytest.mark.parametrize(
    "path",
    [
        "/ogc/collections/kelurahan/items/999999",
        "/ogc/collections/kelurahan/items/not-a-number",
        "/ogc/collections/kelurahan/items/99999999999999999999999",
        "/ogc/collections/jalan/items",
        "/ogc/collections/jalan",
    ],
)
def test_unknown_ids_are_404_with_a_json_message(
    http: requests.Session, server_url: str, path: str
) -> None:
    response = http.get(f"{server_url}{path}?f=json")
    assert response.status_code == 404
    assert response.json()["description"]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("limit=100000", "limit"),
        ("offset=-1", "offset"),
        ("bbx=123,-10,124,-9", "bbx"),
        ("luas_km2=besar", "luas_km2"),
        ("datetime=kemarin", "datetime"),
        ("sortby=tinggi", "tinggi"),
        ("bbox=NaN,NaN,NaN,NaN", "bbox"),
        ("bbox=123.7,-10.3,123.5,-10.1", "bbox"),
        ("bbox=-200,-100,200,100", "bbox"),
        ("offset=1000000000000000000000000000000", "offset"),
        ("nama=Naikoten%00", "nama"),
        ("skipGeometry=maybe", "skipgeometry"),
        ("resulttype=zzz", "resulttype"),
        ("datetime=../..", "datetime"),
    ],
)
def test_client_mistakes_are_400_naming_the_parameter(
    http: requests.Session, server_url: str, query: str, names: str
) -> None:
    response = http.get(f"{server_url}/ogc/collections/kelurahan/items?f=json&{query}")
    assert response.status_code == 400, response.text
    assert names in response.json()["description"].lower()


def test_queryables_list_the_declared_properties(http: requests.Session, server_url: str) -> None:
    body = http.get(f"{server_url}/ogc/collections/projects/queryables?f=json").json()
    assert {"nama", "status", "pagu", "tahun_anggaran", "data_contoh"} <= set(body["properties"])
    assert "completed" in body["properties"]["status"]["enum"]


def test_openapi_documents_every_collection(http: requests.Session, server_url: str) -> None:
    response = http.get(f"{server_url}/ogc/openapi?f=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for collection in COUNTS:
        assert f"/collections/{collection}/items" in paths


@pytest.mark.parametrize(
    "path",
    ["/ogc?f=html", "/ogc/collections?f=html", "/ogc/collections/kelurahan/items?f=html",
     "/ogc/conformance?f=html"],
)
def test_html_pages_render(http: requests.Session, server_url: str, path: str) -> None:
    response = http.get(f"{server_url}{path}")
    assert response.status_code == 200
    assert "text/html" in response.headers["Content-Type"]


def test_pygeoapi_static_files_are_served(http: requests.Session, server_url: str) -> None:
    response = http.get(f"{server_url}/ogc/static/css/default.css")
    assert response.status_code == 200
    assert "crumbs" in response.text


def test_writes_are_refused_with_405(http: requests.Session, server_url: str) -> None:
    response = http.post(f"{server_url}/ogc/collections/kelurahan/items", json={})
    assert response.status_code == 405


@pytest.mark.parametrize(
    "path",
    ["/ogc?f=html", "/ogc/collections/facilities/items?f=html",
     "/ogc/collections/facilities/items/1?f=html", "/ogc/openapi?f=html"],
)
def test_html_pages_load_no_asset_from_a_cdn(
    http: requests.Session, server_url: str, path: str
) -> None:
    html = http.get(f"{server_url}{path}").text
    # Only the IE<9 conditional comment may still name a CDN; no browser loads it.
    html = re.sub(r"<!--\[if lt IE 9\]>.*?<!\[endif\]-->", "", html, flags=re.DOTALL)
    external = re.findall(r'(?:src|href)="(https?://(?!127\.0\.0\.1)[^"]+\.(?:js|css))"', html)
    assert external == []
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+\.(?:js|css))"', html):
        assert http.get(f"{server_url}{asset}").status_code == 200, asset


@pytest.mark.parametrize(("path", "title"), [
    ("/ogc?f=html", "Home"),
    ("/ogc/collections/facilities?f=html", "Fasilitas umum"),
    ("/ogc/collections/facilities/items?f=html", "Fitur · Fasilitas umum · Taksi"),
    ("/ogc/collections/projects/items?f=html&lang=en",
     "Items · Development project sites · Taksi"),
])
def test_html_pages_have_a_text_direction_and_a_title(
        http: requests.Session, server_url: str, path: str, title: str) -> None:
    """pygeoapi leaves ``dir="text_direction"`` untranslated without an Indonesian
    catalogue, and its items page reads a title nothing sets (WCAG 2.4.2)."""
    response = http.get(f"{server_url}{path}")
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    html = response.text
    assert re.search(r'<html lang="(id|en)" dir="ltr"', html)
    found = re.search(r"<title>(.*?)</title>", html, flags=re.DOTALL)
    assert found is not None and " ".join(found.group(1).split()) == title


@pytest.mark.parametrize(
    ("query", "name"),
    [("progres=inf", "progres"), ("progres=NaN", "progres"), ("status=zzz", "status"),
     ("sumber_dana=hibah", "sumber_dana")],
)
def test_project_filters_reject_values_outside_their_type(
    http: requests.Session, server_url: str, query: str, name: str
) -> None:
    response = http.get(f"{server_url}/ogc/collections/projects/items?f=json&{query}")
    assert response.status_code == 400, response.text
    assert name in response.json()["description"]


@pytest.mark.parametrize(
    "path",
    ["/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/kelurahan",
     "/ogc/collections/kelurahan/queryables", "/ogc/collections/kelurahan/items/1"],
)
def test_every_endpoint_rejects_unknown_parameters(
    http: requests.Session, server_url: str, path: str
) -> None:
    response = http.get(f"{server_url}{path}?f=json&foo=1")
    assert response.status_code == 400
    assert "foo" in response.json()["description"]
