"""The catalogue: OGC API Records at /ogc/collections/catalog and DCAT at /catalog.jsonld.

Against the running gunicorn and PostGIS; the expected extents are computed
here independently (shapely over the fixture file, SQL on the tables), and
the DCAT document is read the way a CKAN harvester reads it (rdflib).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from django.db import connection
from owslib.ogcapi.records import Records
from rdflib import Graph, Namespace, URIRef
from shapely.geometry import shape
from shapely.ops import unary_union

from layers.registry import published_layers

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TITLES = {
    "kecamatan": "Kecamatan Kota Kupang",
    "kelurahan": "Kelurahan Kota Kupang",
    "facilities": "Fasilitas umum",
    "projects": "Lokasi proyek pembangunan",
}
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")


def _records(http: requests.Session, url: str, **params: object) -> dict:
    response = http.get(f"{url}/ogc/collections/catalog/items", params={"f": "json", **params})
    assert response.status_code == 200, response.text
    return response.json()


def _ids(body: dict) -> set[str]:
    return {record["id"] for record in body["features"]}


def test_every_layer_names_a_producer_and_walidata_from_the_agency_fixture() -> None:
    kodes = {a["kode"] for a in json.loads((FIXTURES / "agencies.json").read_text())["agencies"]}
    for layer in published_layers():
        assert layer.metadata is not None, layer.id
        assert {layer.metadata.producer, layer.metadata.walidata} <= kodes, layer.id


def test_catalog_is_a_record_collection_linking_its_dcat_twin(
    http: requests.Session, server_url: str
) -> None:
    body = http.get(f"{server_url}/ogc/collections/catalog?f=json").json()
    assert body["itemType"] == "record"
    assert body["type"] == "Collection"  # /req/record-collection/mandatory-properties
    listed = http.get(f"{server_url}/ogc/collections?f=json").json()["collections"]
    assert {c["id"]: c.get("type") for c in listed}["catalog"] == "Collection"
    assert {c["id"]: c.get("type") for c in listed}["kelurahan"] is None
    alternate = [link for link in body["links"]
                 if link["rel"] == "alternate" and link["type"] == "application/ld+json"]
    assert f"{server_url}/catalog.jsonld" in {link["href"] for link in alternate}


def test_catalog_has_one_record_per_published_layer(
    http: requests.Session, server_url: str
) -> None:
    body = _records(http, server_url)
    assert body["numberMatched"] == len(published_layers()) == 4
    assert _ids(body) == set(TITLES)
    assert {r["id"]: r["properties"]["title"] for r in body["features"]} == TITLES


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("kelurahan", {"kelurahan", "kecamatan"}),  # kecamatan are dissolved kelurahan
        ("KELURAHAN", {"kelurahan", "kecamatan"}),  # case-insensitive
        ("gereja   GMIT", {"facilities"}),  # words in this order, any white space
        ("GMIT gereja", set()),
        ("rumah sakit,APBD", {"facilities", "projects"}),  # comma: either term
        ("Kesehatan", {"facilities"}),  # theme label
        ("jalan tol", set()),
    ],
)
def test_text_search_follows_the_records_q_rules(
    http: requests.Session, server_url: str, q: str, expected: set[str]
) -> None:
    body = _records(http, server_url, q=q)
    assert _ids(body) == expected
    assert body["numberMatched"] == len(expected)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"bbox": "0,0,1,1"}, set()),
        ({"bbox": "123.58,-10.17,123.59,-10.16"}, set(TITLES)),
        ({"datetime": "2025-06-01"}, {"projects"}),
        ({"datetime": "2030-01-01/.."}, set()),
        ({"ids": "kelurahan,projects"}, {"kelurahan", "projects"}),
        ({"ids": ""}, set()),
        ({"type": "dataset"}, set(TITLES)),
        ({"license": "MIT"}, {"kelurahan", "kecamatan"}),
        ({"license": "MIT", "q": "dissolve"}, {"kecamatan"}),
        ({"externalIds": "x"}, set()),
    ],
)
def test_record_query_parameters_select_records(
    http: requests.Session, server_url: str, params: dict, expected: set[str]
) -> None:
    assert _ids(_records(http, server_url, **params)) == expected


def test_records_page_with_limit_and_offset(http: requests.Session, server_url: str) -> None:
    first = _records(http, server_url, limit=3)
    assert first["numberReturned"] == 3 and first["numberMatched"] == 4
    assert any(link["rel"] == "next" for link in first["links"])
    rest = _records(http, server_url, limit=3, offset=3)
    assert rest["numberReturned"] == 1
    assert _ids(first) | _ids(rest) == set(TITLES)
    ordered = _records(http, server_url, sortby="-title")
    assert [r["properties"]["title"] for r in ordered["features"]] == sorted(
        TITLES.values(), reverse=True)


def test_kelurahan_record_carries_the_satu_data_elements(
    http: requests.Session, server_url: str
) -> None:
    response = http.get(f"{server_url}/ogc/collections/catalog/items/kelurahan?f=json")
    assert response.status_code == 200
    record = response.json()
    props = record["properties"]
    assert props["title"] == "Kelurahan Kota Kupang"
    assert props["license"] == "MIT"
    assert props["updateFrequency"] == "AS_NEEDED"
    assert props["producer"] == "BAPPEDA"
    assert props["producerName"] == "Badan Perencanaan Pembangunan Daerah (Bappeda)"
    assert "batas administrasi" in props["keywords"]
    assert {"REGI", "au"} <= {c["id"] for t in props["themes"] for c in t["concepts"]}
    assert props["contacts"][0]["emails"] == [{"value": "walidata@kupangkota.go.id"}]
    assert props["created"] == "2026-12-03T00:00:00Z"
    assert record["time"] is None

    features = json.loads((FIXTURES / "kelurahan.geojson").read_text())["features"]
    expected = unary_union([shape(f["geometry"]) for f in features]).bounds
    ring = record["geometry"]["coordinates"][0]
    got = (min(p[0] for p in ring), min(p[1] for p in ring),
           max(p[0] for p in ring), max(p[1] for p in ring))
    assert got == pytest.approx(expected, abs=2e-5)  # PostGIS boxes are float4, rounded out


def test_record_links_lead_to_items_tiles_queryables_and_downloads(
    http: requests.Session, server_url: str
) -> None:
    record = http.get(f"{server_url}/ogc/collections/catalog/items/facilities?f=json").json()
    hrefs = {link["rel"]: [] for link in record["links"]}
    for link in record["links"]:
        hrefs[link["rel"]].append(link["href"])
    base = f"{server_url}/ogc/collections/facilities"
    assert hrefs["items"] == [f"{base}/items?f=json"]
    assert hrefs["http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"] == [
        f"{base}/tiles?f=json"]
    assert hrefs["http://www.opengis.net/def/rel/ogc/1.0/queryables"] == [
        f"{base}/queryables?f=json"]
    assert sorted(hrefs["enclosure"]) == sorted(
        f"{server_url}/download/facilities.{ext}"
        for ext in ("geojson", "csv", "gpkg", "shp", "kml")
    )
    # The sources state no licence: "other" plus a license link to the statement.
    assert record["properties"]["license"] == "other"
    assert hrefs["license"] == [f"{server_url}/sumber-data/#sources-md"]
    assert http.get(f"{base}/items?f=json&limit=1").status_code == 200


def test_project_record_time_span_comes_from_the_database(
    http: requests.Session, server_url: str
) -> None:
    record = http.get(f"{server_url}/ogc/collections/catalog/items/projects?f=json").json()
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(planned_start), max(planned_end) FROM layers_projectsite")
        start, end = cursor.fetchone()
    assert record["time"] == {"interval": [start.isoformat(), end.isoformat()]}
    assert record["properties"]["license"] == "CC-BY-4.0"
    assert record["properties"]["updateFrequency"] == "ANNUAL"


@pytest.mark.parametrize("record_id", ["jalan", "KELURAHAN", "1"])
def test_unknown_record_is_a_404(http: requests.Session, server_url: str, record_id: str) -> None:
    response = http.get(f"{server_url}/ogc/collections/catalog/items/{record_id}?f=json")
    assert response.status_code == 404
    assert response.json()["code"] == "NotFound"


@pytest.mark.parametrize(
    "query", ["kategori=gereja", "bbox=0,0,nan,1", "q2=x", "datetime=kemarin", "f=csv",
              "crs=http://www.opengis.net/def/crs/EPSG/0/32751", "skipGeometry=true"]
)
def test_bad_record_query_is_a_400_naming_the_parameter(
    http: requests.Session, server_url: str, query: str
) -> None:
    response = http.get(f"{server_url}/ogc/collections/catalog/items?f=json&{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["description"]


@pytest.mark.parametrize("sortby", ["foo", "+title,-foo", "judul"])
def test_sorting_records_by_an_unknown_property_names_it_and_what_can_be_sorted(
    http: requests.Session, server_url: str, sortby: str
) -> None:
    response = http.get(f"{server_url}/ogc/collections/catalog/items",
                        params={"sortby": sortby})
    assert response.status_code == 400
    wrong = sortby.split(",")[-1].lstrip("+-")
    assert response.json()["description"] == (
        f"sortby: unknown record property {wrong!r}; sortable: license, producer, title, "
        "type, updateFrequency")


def test_records_sort_by_title_both_ways(http: requests.Session, server_url: str) -> None:
    def titles(sortby: str) -> list[str]:
        response = http.get(f"{server_url}/ogc/collections/catalog/items",
                            params={"sortby": sortby, "f": "json"})
        assert response.status_code == 200
        return [r["properties"]["title"] for r in response.json()["features"]]

    ascending = titles("title")
    assert ascending == sorted(ascending) and len(ascending) == 4
    assert titles("-title") == ascending[::-1]


@pytest.mark.parametrize(
    "path",
    ["/ogc/collections/catalog/items?f=html", "/ogc/collections/catalog/items/kelurahan?f=html",
     "/ogc/collections/catalog/queryables?f=json"],
)
def test_catalog_pages_render(http: requests.Session, server_url: str, path: str) -> None:
    assert http.get(f"{server_url}{path}").status_code == 200


def test_openapi_declares_q_for_the_catalog(http: requests.Session, server_url: str) -> None:
    paths = http.get(f"{server_url}/ogc/openapi?f=json").json()["paths"]
    parameters = paths["/collections/catalog/items"]["get"]["parameters"]
    names = {p.get("name") for p in parameters}
    assert {"q", "license", "sortby", "datetime"} <= names
    assert not any(p.get("$ref", "#").startswith("http") for p in parameters)


def _dcat_graph(http: requests.Session, server_url: str) -> Graph:
    response = http.get(f"{server_url}/catalog.jsonld")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    return Graph().parse(data=response.text, format="json-ld")


def test_dcat_catalog_lists_four_datasets_with_their_titles(
    http: requests.Session, server_url: str
) -> None:
    graph = _dcat_graph(http, server_url)
    rows = graph.query("""
        PREFIX dcat: <http://www.w3.org/ns/dcat#>
        PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?dataset ?title WHERE {
            ?catalog a dcat:Catalog ; dcat:dataset ?dataset .
            ?dataset a dcat:Dataset ; dct:title ?title .
            FILTER(lang(?title) = "id")
        }""")
    titles = {str(row.dataset).rsplit("/", 1)[1]: str(row.title) for row in rows}
    assert titles == TITLES


@pytest.mark.parametrize("query", ["foo=1", "f=json", "format=rdf"])
def test_the_dcat_catalogue_refuses_query_parameters_with_a_400_naming_them(
    http: requests.Session, server_url: str, query: str
) -> None:
    response = http.get(f"{server_url}/catalog.jsonld?{query}")
    assert response.status_code == 400
    assert f"unknown query parameter(s): {query.split('=')[0]}" in response.json()["description"]
    assert http.get(f"{server_url}/catalog.jsonld").status_code == 200


def test_every_dcat_dataset_has_what_a_ckan_harvester_reads(
    http: requests.Session, server_url: str
) -> None:
    graph = _dcat_graph(http, server_url)
    datasets = set(graph.subjects(predicate=None, object=DCAT.Dataset))
    assert len(datasets) == 4
    for ds in datasets:
        distributions = set(graph.objects(ds, DCAT.distribution))
        assert len(distributions) >= 5, ds
        assert all(graph.value(d, DCT.license) is not None for d in distributions)
        assert {str(graph.value(d, DCT["format"])) for d in distributions} >= {
            "GeoJSON", "CSV", "GeoPackage", "Shapefile (zip)", "KML"}
        publisher = graph.value(ds, DCT.publisher)
        assert str(graph.value(publisher, FOAF.name)) == "Dinas Komunikasi dan Informatika"
        creator = graph.value(ds, DCT.creator)
        assert str(graph.value(creator, FOAF.name)).startswith("Badan Perencanaan")
        assert graph.value(ds, DCT.license) is not None
        assert graph.value(ds, DCT.identifier) is not None
        assert graph.value(ds, DCT.modified) is not None
        spatial = graph.value(ds, DCT.spatial)
        assert str(graph.value(spatial, DCAT.bbox)).startswith("POLYGON((123.")
    projects = URIRef(f"{server_url}/ogc/collections/projects")
    licence = graph.value(projects, DCT.license)
    assert str(licence) == "https://creativecommons.org/licenses/by/4.0/"
    period = graph.value(projects, DCT.temporal)
    assert str(graph.value(period, DCAT.startDate)).startswith("2024-")
    contact = graph.value(projects, DCAT.contactPoint)
    email = graph.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail"))
    assert str(email) == "mailto:walidata@kupangkota.go.id"


def test_owslib_records_client_reads_the_catalogue(server_url: str) -> None:
    client = Records(f"{server_url}/ogc")
    assert client.collection("catalog")["itemType"] == "record"
    found = client.collection_items("catalog", q="kelurahan")
    assert {r["id"] for r in found["features"]} == {"kelurahan", "kecamatan"}
    record = client.collection_item("catalog", "projects")
    assert record["properties"]["title"] == "Lokasi proyek pembangunan"


def test_each_record_links_its_catalog_once_and_names_its_profile(
    http: requests.Session, server_url: str
) -> None:
    """/req/record-core/links: exactly one ``collection`` link, in lists and alone."""
    catalog = f"{server_url}/ogc/collections/catalog"
    single = http.get(f"{catalog}/items/kecamatan?f=json").json()
    for rec in [*_records(http, server_url)["features"], single]:
        collection_links = [link for link in rec["links"] if link["rel"] == "collection"]
        assert [link["href"] for link in collection_links] == [catalog], rec["id"]
        assert {"rel": "profile", "href": "http://www.opengis.net/def/profile/OGC/0/ogc-record"
                } in [{k: link[k] for k in ("rel", "href")} for link in rec["links"]]
