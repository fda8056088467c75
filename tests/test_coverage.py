"""The raster coverage ``jarak-faskes`` (OGC API - Coverages), over real HTTP.

The raster is built by the session set-up (tests/conftest.py) into a temporary
TAKSI_RASTER_DIR from the Kupang data; its values are checked against
distances PostGIS computes on the spheroid.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import rasterio
import requests
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection
from owslib.ogcapi.coverages import Coverages
from rasterio.io import MemoryFile

from layers import health_distance
from layers.health_distance import (
    HEALTH_CATEGORIES,
    RasterBuildError,
    health_distance_path,
    rebuild_health_distance,
)
from layers.models import Facility

COVERAGE = "/ogc/collections/jarak-faskes/coverage"
EPSG_32751 = "http://www.opengis.net/def/crs/EPSG/0/32751"
#: A cell centre is at most half a diagonal of a 50 m cell from any point in it.
HALF_DIAGONAL_M = 35.36
HOSPITAL = "RSUD W. Z. Johannes"


def _utm(lon: float, lat: float) -> tuple[float, float]:
    point = Point(lon, lat, srid=4326).transform(32751, clone=True)
    return point.x, point.y


def _cell_centre(x: float, y: float) -> tuple[float, float]:
    """Centre of the 50 m cell holding (x, y); the grid is aligned on multiples of 50 m."""
    return (x // 50) * 50 + 25, (y // 50) * 50 + 25


def _value_at(http: requests.Session, url: str, x: float, y: float) -> float | None:
    params = {"f": "json", "subset": f"E({x}),N({y})", "subset-crs": EPSG_32751}
    body = http.get(f"{url}{COVERAGE}", params=params).json()
    assert body["ranges"]["jarak_m"]["shape"] == [1, 1]
    return body["ranges"]["jarak_m"]["values"][0]


def test_collection_describes_a_50_m_grid_with_geotiff_and_coveragejson_links(
    http: requests.Session, server_url: str
) -> None:
    body = http.get(f"{server_url}/ogc/collections/jarak-faskes?f=json&lang=en").json()
    assert body["title"] == "Distance to health facility"
    with rasterio.open(health_distance_path()) as src:
        width, height = src.width, src.height
    assert body["extent"]["spatial"]["grid"] == [
        {"cellsCount": width, "resolution": 50.0}, {"cellsCount": height, "resolution": 50.0},
    ]
    types = {link["type"] for link in body["links"] if link["rel"].endswith("/coverage")}
    assert {"image/tiff; application=geotiff", "application/vnd.cov+json"} <= types


def test_each_coverage_link_answers_with_the_media_type_it_names(
    http: requests.Session, server_url: str
) -> None:
    body = http.get(f"{server_url}/ogc/collections/jarak-faskes?f=json").json()
    links = [link for link in body["links"] if link["rel"].endswith("/coverage")]
    assert len(links) == 3
    for link in links:
        response = http.get(link["href"], params={"bbox": "123.58,-10.17,123.59,-10.16"})
        assert response.status_code == 200, link
        assert response.headers["Content-Type"].split(";")[0] == link["type"].split(";")[0]


def test_the_collection_gives_its_utm_extent_as_storage_crs_bbox(
    http: requests.Session, server_url: str
) -> None:
    """Coverages /req/core/collection-description D: storageCrs is not CRS84."""
    body = http.get(f"{server_url}/ogc/collections/jarak-faskes?f=json").json()
    assert body["storageCrs"] == EPSG_32751
    with rasterio.open(health_distance_path()) as src:
        assert body["extent"]["spatial"]["storageCrsBbox"] == [list(src.bounds)]
    assert body["layerDataType"] == "Coverage" and "itemType" not in body


def test_geotiff_is_utm_51s_with_50_m_cells_and_the_hospital_cell_near_zero(
    http: requests.Session, server_url: str
) -> None:
    response = http.get(f"{server_url}{COVERAGE}", params={"f": "GTiff"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/tiff; application=geotiff"
    hospital = Facility.objects.get(name=HOSPITAL)
    with MemoryFile(response.content) as memfile, memfile.open() as src:
        assert src.crs.to_epsg() == 32751
        assert src.res == (50.0, 50.0)
        assert src.nodata == -9999.0
        assert src.descriptions == ("jarak_m",)
        # Cloud-Optimized: 256 px tiles and overviews, served as stored.
        assert src.block_shapes == [(256, 256)] and src.overviews(1)
        value = next(src.sample([_utm(hospital.geometry.x, hospital.geometry.y)]))[0]
        corner = src.read(1)[0, 0]
    assert 0 <= value <= HALF_DIAGONAL_M
    assert corner == -9999.0  # the grid's corner lies outside the city outline


def test_cell_value_equals_the_postgis_geodesic_distance_to_the_nearest_health_facility(
    http: requests.Session, server_url: str
) -> None:
    x, y = _cell_centre(*_utm(123.6070, -10.1772))  # Kupang's centre, 2.3 km from care
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(ST_Distance(geometry::geography, "
            "  ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 32751), 4326)::geography)) "
            "FROM layers_facility WHERE category = ANY(%s)",
            [x, y, list(HEALTH_CATEGORIES)],
        )
        expected = cursor.fetchone()[0]  # on the WGS 84 spheroid
    value = _value_at(http, server_url, x, y)
    # UTM 51S scale error at 123.6° E is under 0.04 %; 1 m for rounding.
    assert abs(value - expected) <= 1 + 0.0005 * expected
    assert 2000 < value < 2600


def test_coveragejson_is_a_grid_with_cell_centre_axes_and_nulls_outside_the_city(
    http: requests.Session, server_url: str
) -> None:
    body = http.get(f"{server_url}{COVERAGE}?f=json").json()
    assert body["type"] == "Coverage"
    domain = body["domain"]
    assert domain["domainType"] == "Grid"
    assert domain["referencing"][0]["system"]["id"] == EPSG_32751
    x, y = domain["axes"]["x"], domain["axes"]["y"]
    values = body["ranges"]["jarak_m"]["values"]
    assert body["ranges"]["jarak_m"]["shape"] == [y["num"], x["num"]]
    assert len(values) == x["num"] * y["num"]
    assert x["start"] % 50 == 25 and y["start"] % 50 == 25
    assert (x["stop"] - x["start"]) == 50 * (x["num"] - 1)
    assert (y["start"] - y["stop"]) == 50 * (y["num"] - 1)
    assert values[0] is None
    assert body["parameters"]["jarak_m"]["unit"]["symbol"]["value"] == "m"


def test_bbox_in_utm_selects_exactly_the_cells_it_covers(
    http: requests.Session, server_url: str
) -> None:
    x, y = _cell_centre(*_utm(123.5858, -10.1681))
    west, south = x - 25 - 500, y - 25 - 300
    params = {"f": "json", "bbox": f"{west},{south},{west + 1100},{south + 600}",
              "bbox-crs": EPSG_32751}
    body = http.get(f"{server_url}{COVERAGE}", params=params).json()
    assert body["ranges"]["jarak_m"]["shape"] == [12, 22]
    assert body["domain"]["axes"]["x"]["start"] == west + 25
    assert body["domain"]["axes"]["y"]["start"] == south + 600 - 25


def test_bbox_in_crs84_returns_a_smaller_geotiff_around_the_hospital(
    http: requests.Session, server_url: str
) -> None:
    params = {"f": "GTiff", "bbox": "123.58,-10.17,123.59,-10.165"}
    response = http.get(f"{server_url}{COVERAGE}", params=params)
    assert response.status_code == 200
    with MemoryFile(response.content) as memfile, memfile.open() as src:
        assert (src.width, src.height) == (23, 12)
        hospital = Facility.objects.get(name=HOSPITAL).geometry
        assert next(src.sample([_utm(hospital.x, hospital.y)]))[0] <= HALF_DIAGONAL_M


@pytest.mark.parametrize(("query", "named"), [
    ("bbox=1,2,3", "bbox"),
    ("bbox=123.6,-10.1,123.5,-10.2", "bbox"),
    ("bbox=nan,1,2,3", "bbox"),
    ("subset=z(1:2)", "subset"),
    ("subset=Lon(123.7:123.6)", "subset: Lon low must not be above high"),
    ("subset=E(563500:564000)", "subset: 'E(563500:564000)' is not"),
    ("subset=Lon(123.6:123.7)&subset-crs=http://www.opengis.net/def/crs/EPSG/0/32751",
     "with axis E or N"),
    ("subset=Lon(1:2)&bbox=1,2,3,4", "subset: cannot be combined with bbox"),
    ("subset-crs=http://www.opengis.net/def/crs/EPSG/0/3857", "subset-crs"),
    ("bbox-crs=EPSG:9999&bbox=1,2,3,4", "bbox-crs"),
    ("f=png", "f:"),
    ("properties=nilai", "properties"),
    ("datetime=2024-01-01", "datetime"),
])
def test_bad_coverage_parameters_are_a_400_naming_the_parameter(
    http: requests.Session, server_url: str, query: str, named: str
) -> None:
    response = http.get(f"{server_url}{COVERAGE}?{query}")
    assert response.status_code == 400
    assert named in response.json()["description"]


@pytest.mark.parametrize("query", [
    "bbox=10,10,11,11",
    "subset=Lon(120:121)",
    f"subset=E(100000:200000)&subset-crs={EPSG_32751}",
])
def test_a_region_outside_the_coverage_is_a_404(
    http: requests.Session, server_url: str, query: str
) -> None:
    response = http.get(f"{server_url}{COVERAGE}?{query}")
    assert response.status_code == 404
    assert "outside the coverage" in response.json()["description"]


def test_a_subset_in_lon_lat_keeps_exactly_the_cells_it_touches(
    http: requests.Session, server_url: str
) -> None:
    response = http.get(f"{server_url}{COVERAGE}?subset=Lon(123.6:123.61),Lat(-10.18:-10.17)")
    west, south, east, north = map(float, response.headers["Content-Bbox"].split(","))
    corners = [_utm(lon, lat) for lon in (123.6, 123.61) for lat in (-10.18, -10.17)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    # Covers every corner, and one cell less on any side would not (/req/subsetting-spatial).
    assert west <= min(xs) < west + 50 and east - 50 < max(xs) <= east
    assert south <= min(ys) < south + 50 and north - 50 < max(ys) <= north
    shape = response.json()["ranges"]["jarak_m"]["shape"]
    assert shape == [round((north - south) / 50), round((east - west) / 50)]


def test_subset_given_once_per_axis_selects_what_one_comma_separated_subset_does(
    http: requests.Session, server_url: str
) -> None:
    """/req/subsetting-spatial/multiple-subset (only the last subset used to count)."""
    combined = http.get(f"{server_url}{COVERAGE}?subset=Lon(123.6:123.61),Lat(-10.18:-10.17)")
    separate = http.get(f"{server_url}{COVERAGE}?subset=Lon(123.6:123.61)"
                        "&subset=Lat(-10.18:-10.17)")
    assert separate.status_code == combined.status_code == 200
    assert separate.headers["Content-Bbox"] == combined.headers["Content-Bbox"]
    assert separate.json()["ranges"] == combined.json()["ranges"]
    twice = http.get(f"{server_url}{COVERAGE}?subset=Lon(123.6:123.61)&subset=Lon(123.5:123.7)")
    assert twice.status_code == 400 and "axis Lon given twice" in twice.json()["description"]


def test_an_open_ended_subset_runs_to_the_edge_of_the_coverage(
    http: requests.Session, server_url: str
) -> None:
    body = http.get(f"{server_url}{COVERAGE}?subset=Lon(123.6:123.61),Lat(*:-10.29)").json()
    with rasterio.open(health_distance_path()) as src:
        bottom = src.bounds.bottom
    y = body["domain"]["axes"]["y"]
    assert y["stop"] == bottom + 25
    top = max(_utm(lon, -10.29)[1] for lon in (123.6, 123.61))
    assert y["start"] - 25 < top <= y["start"] + 25  # the cell row holding latitude -10.29


def test_coverage_responses_say_their_crs_bbox_and_media_type(
    http: requests.Session, server_url: str
) -> None:
    x, y = _cell_centre(*_utm(123.5858, -10.1681))
    params = {"subset": f"E({x - 25}:{x + 75}),N({y - 25}:{y + 25})", "subset-crs": EPSG_32751}
    covjson = http.get(f"{server_url}{COVERAGE}", params=params)
    tiff = http.get(f"{server_url}{COVERAGE}", params=params,
                    headers={"Accept": "image/tiff; application=geotiff"})
    bbox = f"{x - 25:.0f},{y - 25:.0f},{x + 75:.0f},{y + 25:.0f}"
    assert covjson.headers["Content-Type"] == "application/vnd.cov+json"
    assert tiff.headers["Content-Type"] == "image/tiff; application=geotiff"
    for response in (covjson, tiff):
        assert response.headers["Content-Crs"] == f"<{EPSG_32751}>"
        assert response.headers["Content-Bbox"] == bbox


def test_the_schema_lists_the_one_field_with_its_unit(
    http: requests.Session, server_url: str
) -> None:
    body = http.get(f"{server_url}/ogc/collections/jarak-faskes/schema?f=json").json()
    field = body["properties"]["jarak_m"]
    assert field["type"] == "number" and field["x-ogc-unit"] == "m"
    assert field["x-ogc-propertySeq"] == 1
    assert field["title"].startswith("Jarak ke fasilitas kesehatan")


def test_a_missing_raster_is_a_503_that_says_run_build_rasters(
    http: requests.Session, server_url: str
) -> None:
    path = health_distance_path()
    hidden = path.with_suffix(".hidden")
    path.rename(hidden)
    try:
        response = http.get(f"{server_url}{COVERAGE}?f=json")
    finally:
        hidden.rename(path)
    assert response.status_code == 503
    assert "build_rasters" in response.json()["description"]


@pytest.mark.parametrize("path", ["/items", "/items/1"])
def test_a_coverage_has_no_items(http: requests.Session, server_url: str, path: str) -> None:
    response = http.get(f"{server_url}/ogc/collections/jarak-faskes{path}")
    assert response.status_code == 404


def test_owslib_lists_and_reads_the_coverage(server_url: str) -> None:
    client = Coverages(f"{server_url}/ogc/")
    assert client.coverages() == ["jarak-faskes"]
    data = client.coverage("jarak-faskes", subset={"Lon": [123.6, 123.61], "Lat": [-10.18, -10.17]})
    body = json.loads(data.read())
    rows, cols = body["ranges"]["jarak_m"]["shape"]
    assert 22 <= rows <= 24 and 22 <= cols <= 24  # 0.01° is about 1.1 km, cells are 50 m
    assert len(body["ranges"]["jarak_m"]["values"]) == rows * cols


@pytest.mark.skipif(shutil.which("gdallocationinfo") is None, reason="needs gdal-bin")
def test_gdal_reads_the_geotiff_straight_from_the_api(server_url: str) -> None:
    url = f"/vsicurl_streaming/{server_url}{COVERAGE}?f=GTiff"
    hospital = Facility.objects.get(name=HOSPITAL).geometry
    result = subprocess.run(
        ["gdallocationinfo", "-valonly", "-wgs84", url, str(hospital.x), str(hospital.y)],
        capture_output=True, text=True, timeout=120, check=True,
    )
    with rasterio.open(health_distance_path()) as src:
        stored = next(src.sample([_utm(hospital.x, hospital.y)]))[0]
    assert float(result.stdout) == pytest.approx(stored, abs=0.01)
    assert float(result.stdout) <= HALF_DIAGONAL_M


@pytest.mark.django_db
def test_the_build_refuses_a_city_without_health_facilities_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "jarak.tif"
    target.write_bytes(b"previous raster")
    # Kupang's open data has no puskesmas or klinik yet: a real city without them.
    # (Deleting the hospitals instead would disturb other tests' table statistics.)
    monkeypatch.setattr(health_distance, "HEALTH_CATEGORIES", ("puskesmas", "klinik"))
    assert not Facility.objects.filter(category__in=("puskesmas", "klinik")).exists()
    with pytest.raises(RasterBuildError, match="no health facility"):
        rebuild_health_distance(target)
    assert target.read_bytes() == b"previous raster"


@pytest.mark.django_db
def test_build_rasters_dry_run_reports_the_grid_without_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "dry.tif"
    call_command("build_rasters", "--dry-run", "--output", str(target))
    out = capsys.readouterr().out
    assert "would write" in out and "12 health facilities" in out
    assert not target.exists()
    assert Path(settings.TAKSI_RASTER_DIR) != Path(settings.BASE_DIR) / ".data" / "rasters"
