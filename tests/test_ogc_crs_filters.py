"""OGC API Features Part 2 (CRS) and Part 3 (queryables, CQL2 filters, sortby),
over real HTTP against gunicorn and PostGIS. Expected coordinates come from
pyproj, expected ids from the Django ORM: neither from the SQL under test.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import requests
from django.db.models import Q
from pyproj import Transformer

from layers.models import Facility, ProjectSite

EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#: RSUD W. Z. Johannes, Oebobo, Kota Kupang (lon/lat as stored).
HOSPITAL = "RSUD W. Z. Johannes"


def _items(http: requests.Session, url: str, collection: str, **params: Any) -> dict:
    response = http.get(f"{url}/ogc/collections/{collection}/items", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _error(http: requests.Session, url: str, collection: str, **params: Any) -> str:
    response = http.get(f"{url}/ogc/collections/{collection}/items", params=params)
    assert response.status_code == 400, response.text
    return response.json()["description"]


@pytest.fixture(scope="module")
def hospital(django_db_blocker: Any) -> Facility:
    with django_db_blocker.unblock():
        return Facility.objects.get(name=HOSPITAL)


def _expected(srid: int, lon: float, lat: float) -> tuple[float, float]:
    return Transformer.from_crs("EPSG:4326", f"EPSG:{srid}", always_xy=True).transform(lon, lat)


@pytest.mark.parametrize("srid", [32751, 23840, 23881, 3857])
def test_a_kupang_hospital_comes_back_in_projected_crs_as_pyproj_computes_it(
    http: requests.Session, server_url: str, hospital: Facility, srid: int
) -> None:
    response = http.get(f"{server_url}/ogc/collections/facilities/items/{hospital.pk}",
                        params={"crs": f"{EPSG}{srid}"})
    assert response.status_code == 200
    assert response.headers["Content-Crs"] == f"<{EPSG}{srid}>"
    x, y = response.json()["geometry"]["coordinates"]
    expected_x, expected_y = _expected(srid, hospital.geometry.x, hospital.geometry.y)
    assert x == pytest.approx(expected_x, abs=0.01) and y == pytest.approx(expected_y, abs=0.01)


def test_epsg_4326_answers_latitude_first(
    http: requests.Session, server_url: str, hospital: Facility
) -> None:
    body = _items(http, server_url, "facilities", crs=f"{EPSG}4326", nama=HOSPITAL)
    assert body["features"][0]["geometry"]["coordinates"] == pytest.approx(
        [hospital.geometry.y, hospital.geometry.x], abs=1e-7
    )
    default = _items(http, server_url, "facilities", nama=HOSPITAL)
    assert default["features"][0]["geometry"]["coordinates"] == pytest.approx(
        [hospital.geometry.x, hospital.geometry.y], abs=1e-7
    )


@pytest.mark.parametrize("srid", [32751, 23840, 4326])
def test_bbox_in_another_crs_selects_the_hospital_and_not_its_neighbours_far_away(
    http: requests.Session, server_url: str, hospital: Facility, srid: int
) -> None:
    x, y = _expected(srid, hospital.geometry.x, hospital.geometry.y)
    half = 30.0 if srid != 4326 else 0.0003
    if srid == 4326:  # EPSG:4326 boxes are lat,lon
        x, y = hospital.geometry.y, hospital.geometry.x
    bbox = f"{x - half},{y - half},{x + half},{y + half}"
    body = _items(http, server_url, "facilities", bbox=bbox, **{"bbox-crs": f"{EPSG}{srid}"})
    assert [f["id"] for f in body["features"]] == [hospital.pk]


@pytest.mark.parametrize("parameter", ["crs", "bbox-crs", "filter-crs"])
def test_unsupported_crs_is_a_400_naming_the_parameter(
    http: requests.Session, server_url: str, parameter: str
) -> None:
    message = _error(http, server_url, "kelurahan", **{parameter: f"{EPSG}2154"})
    assert message.startswith(f"{parameter}: unsupported CRS") and "32751" in message


@pytest.mark.parametrize("path", ["/ogc/collections/facilities/items",
                                  "/ogc/collections/facilities/items/{id}"])
@pytest.mark.parametrize("fmt", ["html", "jsonld"])
def test_pages_other_than_geojson_refuse_a_projected_crs_rather_than_mix_metres_into_degrees(
    http: requests.Session, server_url: str, hospital: Facility, path: str, fmt: str
) -> None:
    url = server_url + path.format(id=hospital.pk)
    response = http.get(url, params={"f": fmt, "crs": f"{EPSG}32751"})
    assert response.status_code == 400
    assert response.json()["description"].startswith(f"crs: f={fmt} is always in CRS84")
    assert http.get(url, params={"f": fmt, "crs": CRS84}).status_code == 200


def test_the_html_map_of_a_geojson_page_in_utm_is_linked_in_crs84(
    http: requests.Session, server_url: str, hospital: Facility
) -> None:
    body = _items(http, server_url, "facilities", crs=f"{EPSG}32751", nama=HOSPITAL)
    html_link = next(link["href"] for link in body["links"] if link["type"] == "text/html")
    assert "crs=" not in html_link
    page = http.get(html_link)
    assert page.status_code == 200
    data = json.loads(re.search(r"var geojson_data = (\[.*?\]);\n", page.text).group(1))
    assert data[0]["geometry"]["coordinates"] == pytest.approx(  # Leaflet's data, in degrees
        [hospital.geometry.x, hospital.geometry.y], abs=1e-7)


def _ids_text_and_json(http: requests.Session, url: str, collection: str, text: str,
                       document: dict, **params: Any) -> list[int]:
    by_text = _items(http, url, collection, filter=text, limit=1000, **params)
    by_json = _items(http, url, collection, filter=json.dumps(document),
                     **{"filter-lang": "cql2-json"}, limit=1000, **params)
    ids = [f["id"] for f in by_text["features"]]
    assert ids == [f["id"] for f in by_json["features"]]
    assert by_text["numberMatched"] == by_json["numberMatched"] == len(ids)
    return ids


def _prop(name: str) -> dict[str, str]:
    return {"property": name}


def _box(minx: float, miny: float, maxx: float, maxy: float) -> str:
    return f"POLYGON(({minx} {miny}, {maxx} {miny}, {maxx} {maxy}, {minx} {maxy}, {minx} {miny}))"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("collection", "text", "document", "expected"),
    [
        ("facilities", "kategori = 'rumah_sakit' AND nama LIKE 'RS%'",
         {"op": "and", "args": [{"op": "=", "args": [_prop("kategori"), "rumah_sakit"]},
                                {"op": "like", "args": [_prop("nama"), "RS%"]}]},
         Q(category="rumah_sakit", name__startswith="RS")),
        ("projects", "pagu BETWEEN 500000000 AND 2000000000 OR status IN ('completed')",
         {"op": "or", "args": [{"op": "between", "args": [_prop("pagu"), 500000000,
                                                          2000000000]},
                               {"op": "in", "args": [_prop("status"), ["completed"]]}]},
         Q(budget__gte=500000000, budget__lte=2000000000) | Q(status="completed")),
        ("facilities", "NOT (kategori = 'rumah_sakit') AND kode_opd IS NULL",
         {"op": "and", "args": [{"op": "not", "args": [{"op": "=", "args": [
             _prop("kategori"), "rumah_sakit"]}]}, {"op": "isNull", "args": [_prop("kode_opd")]}]},
         ~Q(category="rumah_sakit") & Q(agency__isnull=True)),
        ("facilities", "S_INTERSECTS(geometry, POLYGON((123.55 -10.2, 123.6 -10.2, 123.6 -10.15,"
         " 123.55 -10.15, 123.55 -10.2)))",
         {"op": "s_intersects", "args": [_prop("geometry"), {"type": "Polygon", "coordinates": [[
             [123.55, -10.2], [123.6, -10.2], [123.6, -10.15], [123.55, -10.15],
             [123.55, -10.2]]]}]},
         Q(geometry__intersects="POLYGON((123.55 -10.2, 123.6 -10.2, 123.6 -10.15, "
                                "123.55 -10.15, 123.55 -10.2))")),
        ("projects", "T_INTERSECTS(mulai, INTERVAL('2025-01-01','2025-06-30'))",
         {"op": "t_intersects", "args": [_prop("mulai"), {"interval": ["2025-01-01",
                                                                       "2025-06-30"]}]},
         Q(planned_start__gte="2025-01-01", planned_start__lte="2025-06-30")),
        # CQL2 JSON writes a bbox [minx, miny, maxx, maxy], as BBOX(...) in text does.
        ("facilities", "S_INTERSECTS(geometry, BBOX(123.5,-10.3,123.7,-10.1))",
         {"op": "s_intersects", "args": [_prop("geometry"),
                                         {"bbox": [123.5, -10.3, 123.7, -10.1]}]},
         Q(geometry__intersects=_box(123.5, -10.3, 123.7, -10.1))),
        ("facilities", "S_WITHIN(geometry, BBOX(123.55,-10.2,123.6,-10.15))",
         {"op": "s_within", "args": [_prop("geometry"), {"bbox": [123.55, -10.2, 123.6, -10.15]}]},
         Q(geometry__within=_box(123.55, -10.2, 123.6, -10.15))),
        ("facilities", "S_INTERSECTS(geometry, BBOX(123.55,-10.2,0,123.6,-10.15,100))",
         {"op": "s_intersects", "args": [_prop("geometry"),
                                         {"bbox": [123.55, -10.2, 0, 123.6, -10.15, 100]}]},
         Q(geometry__intersects=_box(123.55, -10.2, 123.6, -10.15))),
        ("projects", "T_INTERSECTS(INTERVAL(mulai, selesai), INTERVAL('2025-01-01', '..'))",
         {"op": "t_intersects", "args": [{"interval": [_prop("mulai"), _prop("selesai")]},
                                         {"interval": ["2025-01-01", ".."]}]},
         Q(planned_end__gte="2025-01-01")),
    ],
    ids=["like-and", "between-or-in", "not-isnull", "s_intersects", "t_intersects",
         "bbox-city", "bbox-within", "bbox-6", "interval-of-properties"],
)
def test_cql2_text_and_json_select_the_same_features_as_the_orm(
    http: requests.Session, server_url: str, collection: str, text: str, document: dict,
    expected: Q,
) -> None:
    model = Facility if collection == "facilities" else ProjectSite
    ids = _ids_text_and_json(http, server_url, collection, text, document)
    assert ids == list(model.objects.filter(expected).order_by("id").values_list("id", flat=True))
    assert ids, "the filter should select something"


@pytest.mark.django_db
def test_t_intersects_on_the_project_period_selects_projects_running_in_2025(
    http: requests.Session, server_url: str
) -> None:
    body = _items(http, server_url, "projects", limit=100,
                  filter="T_INTERSECTS(INTERVAL(mulai, selesai), "
                         "INTERVAL('2025-01-01T00:00:00Z', '2025-12-31T00:00:00Z'))")
    expected = ProjectSite.objects.filter(planned_start__lte="2025-12-31",
                                          planned_end__gte="2025-01-01")
    assert sorted(f["id"] for f in body["features"]) == sorted(expected.values_list("id",
                                                                                     flat=True))
    by_datetime = _items(http, server_url, "projects", limit=100, datetime="2025-01-01/2025-12-31")
    assert by_datetime["numberMatched"] == body["numberMatched"] == expected.count() > 0


def test_s_within_a_bbox_given_in_epsg_4326_filter_crs_is_read_lat_lon(
    http: requests.Session, server_url: str
) -> None:
    lon_lat = _items(http, server_url, "facilities", filter="S_WITHIN(geometry, "
                     "BBOX(123.55,-10.2,123.6,-10.15))")
    lat_lon = _items(http, server_url, "facilities", filter="S_WITHIN(geometry, "
                     "BBOX(-10.2,123.55,-10.15,123.6))", **{"filter-crs": f"{EPSG}4326"})
    assert lon_lat["numberMatched"] == lat_lon["numberMatched"] > 0


@pytest.mark.django_db
@pytest.mark.parametrize(("sortby", "ordering"), [("-pagu", "-budget"), ("+nama", "name"),
                                                 (" nama", "name")])
def test_sortby_orders_every_page_with_ties_broken_by_id(
    http: requests.Session, server_url: str, sortby: str, ordering: str
) -> None:
    ids: list[int] = []
    body = _items(http, server_url, "projects", sortby=sortby, limit=15)
    ids += [f["id"] for f in body["features"]]
    while next_link := next((lk for lk in body["links"] if lk["rel"] == "next"), None):
        assert "offset=" in next_link["href"]
        body = http.get(next_link["href"]).json()
        ids += [f["id"] for f in body["features"]]
    assert ids == list(ProjectSite.objects.order_by(ordering, "id").values_list("id", flat=True))


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"filter": "kategori = 'gereja"}, "line 1, column 12"),
        ({"filter": "nama LIKE 'x' AND"}, "at line 1, column 15"),
        ({"filter": "tinggi > 3"}, "unknown property 'tinggi'"),
        ({"filter": "pagu = 'mahal'"}, "pagu holds integer values"),
        ({"filter": "nama LIKE 3"}, "LIKE needs a quoted pattern"),
        ({"filter": "{\"op\": \"=\", \"args\": [", "filter-lang": "cql2-json"}, "invalid JSON at"),
        ({"filter": "{\"op\": \"zzz\"}", "filter-lang": "cql2-json"},
         "unknown or unsupported operator 'zzz'"),
        ({"filter": "a=1", "filter-lang": "ecql"}, "filter-lang"),
        ({"filter": "S_INTERSECTS(geometry, POLYGON((1 2, 3 4)))"}, "invalid geometry"),
        ({"filter": "S_INTERSECTS(geometry, LINESTRING(1 2))"}, "invalid geometry literal"),
        ({"filter": "S_INTERSECTS(geometry, POLYGON((0 0, 1 1, 1 0, 0 1, 0 0)))"},
         "Self-intersection"),
        ({"filter": "S_INTERSECTS(geometry, POINT(1e40 1e40))", "filter-crs": f"{EPSG}32751"},
         "outside the area"),
        ({"filter": "nama LIKE 'x\\'"}, "must not end with a lone"),
        ({"bbox": "0,0,1,1", "bbox-crs": f"{EPSG}23840"}, "bbox: lies outside the area"),
        ({"limit": "1001"}, "limit: must be between 1 and 1000"),
        ({"after": "abc"}, "after: 'abc' is not an integer"),
        ({"after": "3", "sortby": "nama"}, "after"),
        ({"properties": "nama,tinggi"}, "properties: unknown tinggi"),
        ({"datetime": "2025-13-45"}, "datetime"),
        ({"f": "xml"}, "f: 'xml'"),
    ],
)
def test_bad_filters_and_parameters_are_400s_that_say_what_and_where(
    http: requests.Session, server_url: str, params: dict[str, str], fragment: str
) -> None:
    assert fragment in _error(http, server_url, "projects", **params)


def test_a_huge_projected_bbox_is_clipped_to_the_crs_area_not_a_server_error(
    http: requests.Session, server_url: str
) -> None:
    body = _items(http, server_url, "projects", bbox="-1e30,-1e30,1e30,1e30",
                  **{"bbox-crs": f"{EPSG}32751"})
    assert body["numberMatched"] == 40


def test_datetime_on_a_layer_without_time_is_a_400_with_the_reason(
    http: requests.Session, server_url: str
) -> None:
    message = _error(http, server_url, "kelurahan", datetime="2025-01-01")
    assert "kelurahan has no temporal property" in message


def test_queryables_are_a_json_schema_with_titles_types_enums_and_geometry(
    http: requests.Session, server_url: str
) -> None:
    response = http.get(f"{server_url}/ogc/collections/projects/queryables")
    assert response.headers["Content-Type"].startswith("application/schema+json")
    body = response.json()
    assert body["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert body["$id"] == f"{server_url}/ogc/collections/projects/queryables"
    props = body["properties"]
    assert props["geometry"]["format"] == "geometry-any"
    assert props["pagu"] == {"title": "Pagu (Rp)", "type": "integer"}
    assert props["mulai"] == {"title": "Rencana mulai", "type": "string", "format": "date"}
    assert "completed" in props["status"]["enum"]
    english = http.get(f"{server_url}/ogc/collections/projects/queryables?lang=en").json()
    assert english["properties"]["pagu"]["title"] == "Budget (IDR)"


def test_properties_and_skip_geometry_trim_each_feature(
    http: requests.Session, server_url: str
) -> None:
    body = _items(http, server_url, "projects", properties="nama,pagu", skipGeometry="true",
                  limit=3)
    for feature in body["features"]:
        assert list(feature["properties"]) == ["nama", "pagu"]
        assert feature["geometry"] is None


@pytest.mark.django_db
def test_csv_html_and_geojson_apply_the_same_filter_and_datetime(
    http: requests.Session, server_url: str
) -> None:
    params = {"filter": "T_INTERSECTS(mulai, INTERVAL('2025-01-01','..'))", "sortby": "-pagu",
              "properties": "nama,pagu", "limit": 100}
    geojson = _items(http, server_url, "projects", **params)
    csv = http.get(f"{server_url}/ogc/collections/projects/items", params={**params, "f": "csv"})
    rows = csv.text.strip().splitlines()
    assert rows[0] == "nama,pagu"
    assert [int(r.rsplit(",", 1)[1]) for r in rows[1:]] == [
        f["properties"]["pagu"] for f in geojson["features"]
    ] == list(ProjectSite.objects.filter(planned_start__gte="2025-01-01")
              .order_by("-budget", "id").values_list("budget", flat=True))
    html = http.get(f"{server_url}/ogc/collections/projects/items",
                    params={"f": "html", "datetime": "2099-01-01"})
    assert html.status_code == 200  # outside the extent: an empty page, in every format


_AREA = "POLYGON((123.56 -10.19, 123.61 -10.19, 123.61 -10.15, 123.56 -10.15, 123.56 -10.19))"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("function", "lookup"),
    [("S_INTERSECTS", "intersects"), ("S_WITHIN", "within"), ("S_CONTAINS", "contains"),
     ("S_DISJOINT", "disjoint"), ("S_TOUCHES", "touches"), ("S_CROSSES", "crosses"),
     ("S_OVERLAPS", "overlaps"), ("S_EQUALS", "equals")],
)
def test_every_spatial_function_selects_what_geodjango_selects(
    http: requests.Session, server_url: str, function: str, lookup: str
) -> None:
    from layers.models import Kelurahan

    body = _items(http, server_url, "kelurahan", filter=f"{function}(geometry, {_AREA})",
                  limit=100, skipGeometry="true")
    expected = Kelurahan.objects.filter(**{f"geometry__{lookup}": _AREA}).order_by("id")
    assert [f["id"] for f in body["features"]] == list(expected.values_list("id", flat=True))
