"""Evidence for every conformance class /ogc/conformance declares.

Each class URI below, written out here (not read from ``ogc.conformance``),
has a check that sends the requests the class is about and asserts what
comes back against the database or known values. The conformance endpoint
must declare exactly the classes that have evidence here (the write classes
of Part 4 in ``test_conformance_write_classes``): a class added
without a check, or a check left for a class no longer claimed, fails.
The detailed behaviour of each area is tested in its own module (named per
class); these are the minimum a class needs to be claimed at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import mapbox_vector_tile
import pytest
import requests
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db.models import F, Q
from rasterio.io import MemoryFile

from layers.models import Facility, Kelurahan, ProjectSite
from tests.test_conformance_write_classes import WRITE_EVIDENCE
from tests.test_openapi_document import OfflineValidator

Check = Callable[[requests.Session, str], None]
EVIDENCE: dict[str, Check] = {}
OGC = "http://www.opengis.net/spec"
HOSPITAL = "RSUD W. Z. Johannes"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
COVERAGE = "/ogc/collections/jarak-faskes/coverage"


def evidence(*classes: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        for uri in classes:
            assert uri not in EVIDENCE, uri
            EVIDENCE[uri] = check
        return check
    return register


def _json(http: requests.Session, url: str, **params: Any) -> Any:
    response = http.get(url, params=params, headers={"Accept": "application/json"})
    assert response.status_code == 200, (url, params, response.text[:300])
    return response.json()


def _count(http: requests.Session, url: str, collection: str, **params: Any) -> int:
    body = _json(http, f"{url}/ogc/collections/{collection}/items", limit=1000, **params)
    assert body["numberMatched"] == len(body["features"])
    return body["numberMatched"]


def _hospital() -> Facility:
    return Facility.objects.get(name=HOSPITAL)


# -- OGC API - Common ------------------------------------------------------------------


@evidence(f"{OGC}/ogcapi-common-1/1.0/conf/core", f"{OGC}/ogcapi-common-1/1.0/conf/landing-page")
def _landing_page(http: requests.Session, url: str) -> None:
    links = {link["rel"]: link["href"] for link in _json(http, f"{url}/ogc/")["links"]}
    for rel in ("service-desc", "service-doc", "conformance", "data"):
        assert http.get(links[rel]).status_code == 200, rel
    assert f"{OGC}/ogcapi-common-1/1.0/conf/core" in _json(http, links["conformance"])[
        "conformsTo"]


@evidence(f"{OGC}/ogcapi-common-1/1.0/conf/json")
def _json_encoding(http: requests.Session, url: str) -> None:
    for path in ("/ogc/", "/ogc/conformance", "/ogc/collections"):
        response = http.get(f"{url}{path}", headers={"Accept": "application/json"})
        assert response.headers["Content-Type"].startswith("application/json")
        assert isinstance(response.json(), dict)


@evidence(f"{OGC}/ogcapi-common-1/1.0/conf/html", f"{OGC}/ogcapi-features-1/1.0/conf/html")
def _html_encoding(http: requests.Session, url: str) -> None:
    for path in ("/ogc/", "/ogc/conformance", "/ogc/collections/facilities/items"):
        response = http.get(f"{url}{path}", headers={"Accept": "text/html"})
        assert response.headers["Content-Type"].startswith("text/html")
        assert "<html" in response.text
    assert HOSPITAL in http.get(f"{url}/ogc/collections/facilities/items",
                                params={"f": "html", "limit": 100}).text


@evidence(f"{OGC}/ogcapi-common-1/1.0/conf/oas30", f"{OGC}/ogcapi-features-1/1.0/conf/oas30",
          f"{OGC}/ogcapi-tiles-1/1.0/conf/oas30", f"{OGC}/ogcapi-processes-1/1.0/conf/oas30")
def _openapi(http: requests.Session, url: str) -> None:
    document = _json(http, f"{url}/ogc/openapi", f="json")
    assert list(OfflineValidator(document).iter_errors()) == []
    paths = document["paths"]
    assert "get" in paths["/collections/facilities/items"]
    assert "get" in paths["/collections/facilities/tiles/{tileMatrixSetId}/{tileMatrix}/"
                          "{tileRow}/{tileCol}"]
    assert "post" in paths["/processes/locate/execution"]


@evidence(f"{OGC}/ogcapi-common-2/1.0/conf/collections")
def _collections(http: requests.Session, url: str) -> None:
    collections = _json(http, f"{url}/ogc/collections")["collections"]
    assert {c["id"] for c in collections} == {"kecamatan", "kelurahan", "facilities", "projects",
                                              "catalog", "jarak-faskes"}
    for collection in collections:
        assert _json(http, f"{url}/ogc/collections/{collection['id']}")["id"] == collection["id"]


# -- OGC API - Features ----------------------------------------------------------------


@evidence(f"{OGC}/ogcapi-features-1/1.0/conf/core")
def _features_core(http: requests.Session, url: str) -> None:
    assert _count(http, url, "facilities") == Facility.objects.count()
    hospital = _hospital()
    feature = _json(http, f"{url}/ogc/collections/facilities/items/{hospital.pk}")
    assert feature["properties"]["nama"] == HOSPITAL
    assert http.get(f"{url}/ogc/collections/facilities/items/0").status_code == 404
    assert http.get(f"{url}/ogc/collections/facilities/items?bbx=1").status_code == 400


@evidence(f"{OGC}/ogcapi-features-1/1.0/conf/geojson")
def _geojson(http: requests.Session, url: str) -> None:
    response = http.get(f"{url}/ogc/collections/kelurahan/items", params={"limit": 3})
    assert response.headers["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 3
    assert body["features"][0]["geometry"]["type"] == "MultiPolygon"


@evidence(f"{OGC}/ogcapi-features-2/1.0/conf/crs")
def _crs(http: requests.Session, url: str) -> None:
    hospital = _hospital()
    utm = hospital.geometry.transform(32751, clone=True)
    response = http.get(f"{url}/ogc/collections/facilities/items/{hospital.pk}",
                        params={"crs": f"{EPSG}32751"})
    assert response.headers["Content-Crs"] == f"<{EPSG}32751>"
    assert response.json()["geometry"]["coordinates"] == pytest.approx([utm.x, utm.y], abs=0.01)
    box = f"{utm.x - 20},{utm.y - 20},{utm.x + 20},{utm.y + 20}"
    body = _json(http, f"{url}/ogc/collections/facilities/items", bbox=box,
                 **{"bbox-crs": f"{EPSG}32751"})
    assert [f["id"] for f in body["features"]] == [hospital.pk]
    assert _json(http, f"{url}/ogc/collections/facilities")["storageCrs"].endswith("CRS84")


@evidence(f"{OGC}/ogcapi-features-3/1.0/conf/queryables")
def _queryables(http: requests.Session, url: str) -> None:
    response = http.get(f"{url}/ogc/collections/facilities/queryables")
    assert response.headers["Content-Type"].startswith("application/schema+json")
    body = response.json()
    assert body["type"] == "object" and "rumah_sakit" in body["properties"]["kategori"]["enum"]


@evidence(f"{OGC}/ogcapi-features-3/1.0/conf/queryables-query-parameters")
def _queryable_parameters(http: requests.Session, url: str) -> None:
    assert _count(http, url, "facilities", kategori="rumah_sakit") == Facility.objects.filter(
        category="rumah_sakit").count() > 0


@evidence(f"{OGC}/ogcapi-features-3/1.0/conf/filter",
          f"{OGC}/ogcapi-features-3/1.0/conf/features-filter")
def _filter(http: requests.Session, url: str) -> None:
    hospital = _hospital()
    utm = hospital.geometry.transform(32751, clone=True)
    text = f"S_WITHIN(geometry, BBOX({utm.x - 20},{utm.y - 20},{utm.x + 20},{utm.y + 20}))"
    body = _json(http, f"{url}/ogc/collections/facilities/items", filter=text,
                 **{"filter-lang": "cql2-text", "filter-crs": f"{EPSG}32751"})
    assert [f["id"] for f in body["features"]] == [hospital.pk]
    refused = http.get(f"{url}/ogc/collections/facilities/items", params={"filter": "x ="})
    assert refused.status_code == 400 and "column" in refused.json()["description"]


# -- CQL2 ------------------------------------------------------------------------------


def _same_in_text_and_json(http: requests.Session, url: str, collection: str, text: str,
                           document: dict[str, Any], expected: int) -> None:
    by_json = _count(http, url, collection, filter=json.dumps(document),
                     **{"filter-lang": "cql2-json"})
    assert _count(http, url, collection, filter=text) == by_json == expected


@evidence(f"{OGC}/cql2/1.0/conf/cql2-text", f"{OGC}/cql2/1.0/conf/cql2-json")
def _cql2_encodings(http: requests.Session, url: str) -> None:
    _same_in_text_and_json(
        http, url, "projects", "pagu >= 1000000000 AND NOT (status = 'completed')",
        {"op": "and", "args": [{"op": ">=", "args": [{"property": "pagu"}, 1000000000]},
                               {"op": "not", "args": [{"op": "=", "args": [
                                   {"property": "status"}, "completed"]}]}]},
        ProjectSite.objects.filter(budget__gte=1000000000).exclude(status="completed").count())


@evidence(f"{OGC}/cql2/1.0/conf/basic-cql2")
def _basic_cql2(http: requests.Session, url: str) -> None:
    everything = Facility.objects.count()
    assert _count(http, url, "facilities", filter="TRUE") == everything
    assert _count(http, url, "facilities", filter="kode_opd IS NULL OR TRUE") == everything
    assert _count(http, url, "facilities", filter="NOT (NOT (kategori = 'rumah_sakit'))") == (
        Facility.objects.filter(category="rumah_sakit").count())
    assert _count(http, url, "facilities", filter="nama = 'GMIT Jemaat Bait''El Naimata'") == 1
    assert _count(http, url, "projects", filter="selesai >= mulai AND 1 = 1") == (
        ProjectSite.objects.filter(planned_end__gte=F("planned_start")).count())
    refused = http.get(f"{url}/ogc/collections/projects/items", params={"filter": "pagu = nama"})
    assert refused.status_code == 400


@evidence(f"{OGC}/cql2/1.0/conf/advanced-comparison-operators")
def _advanced_comparison(http: requests.Session, url: str) -> None:
    expected = Facility.objects.filter(
        Q(category__in=["rumah_sakit", "klinik"]) & ~Q(name__startswith="RSU")).count()
    _same_in_text_and_json(
        http, url, "facilities", "kategori IN ('rumah_sakit', 'klinik') AND nama NOT LIKE 'RSU%'",
        {"op": "and", "args": [
            {"op": "in", "args": [{"property": "kategori"}, ["rumah_sakit", "klinik"]]},
            {"op": "not", "args": [{"op": "like", "args": [{"property": "nama"}, "RSU%"]}]}]},
        expected)
    assert _count(http, url, "projects", filter="pagu BETWEEN 500000000 AND 2000000000") == (
        ProjectSite.objects.filter(budget__range=(500000000, 2000000000)).count())


@evidence(f"{OGC}/cql2/1.0/conf/basic-spatial-functions")
def _basic_spatial(http: requests.Session, url: str) -> None:
    hospital = _hospital()
    x, y = hospital.geometry.x, hospital.geometry.y
    _same_in_text_and_json(
        http, url, "kelurahan", f"S_INTERSECTS(geometry, POINT({x!r} {y!r}))",
        {"op": "s_intersects", "args": [{"property": "geometry"},
                                        {"type": "Point", "coordinates": [x, y]}]},
        Kelurahan.objects.filter(geometry__intersects=hospital.geometry).count())
    _same_in_text_and_json(
        http, url, "facilities", "S_INTERSECTS(geometry, BBOX(123.55,-10.2,123.6,-10.15))",
        {"op": "s_intersects", "args": [{"property": "geometry"},
                                        {"bbox": [123.55, -10.2, 123.6, -10.15]}]},
        Facility.objects.filter(geometry__intersects=GEOSGeometry(
            "POLYGON((123.55 -10.2,123.6 -10.2,123.6 -10.15,123.55 -10.15,123.55 -10.2))",
            srid=4326)).count())


@evidence(f"{OGC}/cql2/1.0/conf/basic-spatial-functions-plus")
def _spatial_plus(http: requests.Session, url: str) -> None:
    line = "LINESTRING(123.55 -10.2, 123.62 -10.15)"
    _same_in_text_and_json(
        http, url, "kelurahan", f"S_INTERSECTS(geometry, {line})",
        {"op": "s_intersects", "args": [{"property": "geometry"}, {
            "type": "LineString", "coordinates": [[123.55, -10.2], [123.62, -10.15]]}]},
        Kelurahan.objects.filter(geometry__intersects=GEOSGeometry(line, srid=4326)).count())


@evidence(f"{OGC}/cql2/1.0/conf/spatial-functions")
def _spatial_functions(http: requests.Session, url: str) -> None:
    hospital = _hospital()
    point = f"POINT({hospital.geometry.x!r} {hospital.geometry.y!r})"
    geos = Point(hospital.geometry.x, hospital.geometry.y, srid=4326)
    for function, lookup in (("S_CONTAINS", "contains"), ("S_DISJOINT", "disjoint")):
        assert _count(http, url, "kelurahan", filter=f"{function}(geometry, {point})") == (
            Kelurahan.objects.filter(**{f"geometry__{lookup}": geos}).count())
    assert _count(http, url, "facilities", filter=f"S_EQUALS(geometry, {point})") >= 1


# -- OGC API - Tiles -------------------------------------------------------------------

TILE = "/ogc/collections/facilities/tiles/WebMercatorQuad/14/8657/13816"


@evidence(f"{OGC}/ogcapi-tiles-1/1.0/conf/core", f"{OGC}/ogcapi-tiles-1/1.0/conf/mvt")
def _tile(http: requests.Session, url: str) -> None:
    response = http.get(f"{url}{TILE}")
    assert response.headers["Content-Type"] == "application/vnd.mapbox-vector-tile"
    features = mapbox_vector_tile.decode(response.content)["facilities"]["features"]
    assert HOSPITAL in {f["properties"]["nama"] for f in features}
    assert http.get(f"{url}/ogc/collections/facilities/tiles/WebMercatorQuad/14/0/"
                    "99999").status_code == 404


@evidence(f"{OGC}/ogcapi-tiles-1/1.0/conf/tileset", f"{OGC}/ogcapi-tiles-1/1.0/conf/tilesets-list",
          f"{OGC}/ogcapi-tiles-1/1.0/conf/geodata-tilesets")
def _tilesets(http: requests.Session, url: str) -> None:
    collection = _json(http, f"{url}/ogc/collections/facilities")
    (href,) = [link["href"] for link in collection["links"]
               if link["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"]
    (summary,) = _json(http, href)["tilesets"]
    tileset = _json(http, summary["links"][0]["href"])
    assert tileset["tileMatrixSetURI"].endswith("/WebMercatorQuad")
    (template,) = [link["href"] for link in tileset["links"] if link["rel"] == "item"]
    tile = template.replace("{tileMatrix}", "14").replace("{tileRow}", "8657").replace(
        "{tileCol}", "13816")
    assert http.get(tile).status_code == 200


# -- OGC API - Coverages (draft) -------------------------------------------------------


@evidence(f"{OGC}/ogcapi-coverages-1/1.0/conf/core")
def _coverage_core(http: requests.Session, url: str) -> None:
    collection = _json(http, f"{url}/ogc/collections/jarak-faskes")
    assert collection["storageCrs"] == f"{EPSG}32751"
    assert len(collection["extent"]["spatial"]["storageCrsBbox"][0]) == 4
    hrefs = [link["href"] for link in collection["links"]
             if link["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/coverage"]
    response = http.get(hrefs[0], params={"bbox": "123.58,-10.17,123.59,-10.16"})
    assert response.status_code == 200 and response.headers["Content-Crs"] == f"<{EPSG}32751>"
    schema = _json(http, f"{url}/ogc/collections/jarak-faskes/schema")
    assert "jarak_m" in schema["properties"]


@evidence(f"{OGC}/ogcapi-coverages-1/1.0/conf/subsetting-spatial")
def _coverage_subsetting(http: requests.Session, url: str) -> None:
    one = http.get(f"{url}{COVERAGE}", params={"subset": "Lon(123.6:123.61),Lat(-10.18:-10.17)"})
    two = http.get(f"{url}{COVERAGE}?subset=Lon(123.6:123.61)&subset=Lat(-10.18:-10.17)")
    bbox = http.get(f"{url}{COVERAGE}", params={"bbox": "123.6,-10.18,123.61,-10.17"})
    assert one.headers["Content-Bbox"] == two.headers["Content-Bbox"] == bbox.headers[
        "Content-Bbox"]
    both = http.get(f"{url}{COVERAGE}", params={"bbox": "123.6,-10.18,123.61,-10.17",
                                                 "subset": "Lon(123.6:123.61)"})
    assert both.status_code == 400  # /req/subsetting-spatial/subset-bbox-exclusivity


@evidence(f"{OGC}/ogcapi-coverages-1/1.0/conf/geotiff")
def _geotiff(http: requests.Session, url: str) -> None:
    response = http.get(f"{url}{COVERAGE}", params={"bbox": "123.58,-10.17,123.59,-10.16"},
                        headers={"Accept": "image/tiff; application=geotiff"})
    assert response.headers["Content-Type"] == "image/tiff; application=geotiff"
    with MemoryFile(response.content) as memfile, memfile.open() as src:
        assert src.crs.to_epsg() == 32751 and src.res == (50.0, 50.0)


@evidence(f"{OGC}/ogcapi-coverages-1/1.0/conf/coveragejson")
def _coveragejson(http: requests.Session, url: str) -> None:
    response = http.get(f"{url}{COVERAGE}", params={"bbox": "123.58,-10.17,123.59,-10.16"},
                        headers={"Accept": "application/vnd.cov+json"})
    assert response.headers["Content-Type"] == "application/vnd.cov+json"
    body = response.json()
    assert body["type"] == "Coverage" and body["domain"]["domainType"] == "Grid"


# -- OGC API - Processes ---------------------------------------------------------------

NO_SUCH_JOB = "http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/no-such-job"


@evidence(f"{OGC}/ogcapi-processes-1/1.0/conf/core", f"{OGC}/ogcapi-processes-1/1.0/conf/json")
def _processes_core(http: requests.Session, url: str) -> None:
    listed = _json(http, f"{url}/ogc/processes")["processes"]
    assert [p["id"] for p in listed] == ["locate", "nearest-facilities", "kelurahan-summary"]
    assert len(_json(http, f"{url}/ogc/processes", limit=1)["processes"]) == 1
    response = http.post(f"{url}/ogc/processes/locate/execution",
                         json={"inputs": {"lon": 123.5858, "lat": -10.1681}})
    assert response.status_code == 200 and response.json()["kelurahan"]["nama"] == "Oetete"
    # Synchronous execution creates no job (/per/core/process-execute-sync-job): every
    # job id is unknown (/req/core/job-exception-no-such-job, job-results-...).
    for path in ("/ogc/jobs/1", "/ogc/jobs/1/results"):
        job = http.get(f"{url}{path}")
        assert job.status_code == 404 and job.json()["type"] == NO_SUCH_JOB


@evidence(f"{OGC}/ogcapi-processes-1/1.0/conf/ogc-process-description")
def _process_description(http: requests.Session, url: str) -> None:
    description = _json(http, f"{url}/ogc/processes/locate")
    assert description["jobControlOptions"] == ["sync-execute"]
    assert description["inputs"]["lon"]["schema"] == {"type": "number", "minimum": -180,
                                                      "maximum": 180}
    assert {"kelurahan", "kecamatan"} <= set(description["outputs"])
    assert description["outputs"]["kelurahan"]["schema"]["nullable"] is True


# -- OGC API - Records -----------------------------------------------------------------


@evidence(f"{OGC}/ogcapi-records-1/1.0/conf/record-core")
def _record(http: requests.Session, url: str) -> None:
    record = _json(http, f"{url}/ogc/collections/catalog/items/kelurahan")
    assert record["type"] == "Feature" and record["id"] == "kelurahan"
    assert record["properties"]["type"] == "dataset" and record["properties"]["title"]
    assert f"{OGC}/ogcapi-records-1/1.0/req/record-core" in record["conformsTo"]


@evidence(f"{OGC}/ogcapi-records-1/1.0/conf/record-collection")
def _record_collection(http: requests.Session, url: str) -> None:
    catalog = _json(http, f"{url}/ogc/collections/catalog")
    assert catalog["itemType"] == "record" and catalog["type"] == "Collection"
    records = _json(http, f"{url}/ogc/collections/catalog/items", q="kelurahan")
    assert "kelurahan" in [r["id"] for r in records["features"]]


# -- the tests -------------------------------------------------------------------------


def test_the_server_declares_exactly_the_classes_that_have_evidence_here(
    http: requests.Session, server_url: str
) -> None:
    declared = _json(http, f"{server_url}/ogc/conformance")["conformsTo"]
    assert len(declared) == len(set(declared))
    assert sorted(declared) == sorted([*EVIDENCE, *WRITE_EVIDENCE])


@pytest.mark.django_db
@pytest.mark.parametrize("conformance_class", sorted(EVIDENCE),
                         ids=lambda uri: uri.removeprefix(f"{OGC}/"))
def test_each_declared_class_holds_for_the_requests_it_is_about(
    http: requests.Session, server_url: str, conformance_class: str
) -> None:
    EVIDENCE[conformance_class](http, server_url)
