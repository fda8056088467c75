"""The distance-to-care coverage follows health facilities edited through the write API.

The coverage is built from published hospitals, puskesmas and clinics, so a
walidata moving a published puskesmas rebuilds it when the write commits
(``layers.raster_triggers``), and an editor's draft changes nothing. The
``committed`` fixture rebuilds it again without the test's rows afterwards.
"""

from __future__ import annotations

import rasterio
import requests
from django.contrib.gis.geos import Point

from layers.health_distance import health_distance_path
from tests.write_api_support import Api, committed_facility, items_path

COVERAGE = "/ogc/collections/jarak-faskes/coverage"
EPSG_32751 = "http://www.opengis.net/def/crs/EPSG/0/32751"
#: In Kelurahan Kolhua (Maulafa), 2.8 km from the nearest health facility in the fixtures.
FAR_FROM_CARE = (123.6000, -10.2000)
HALF_DIAGONAL_M = 35.36


def _distance_at(http: requests.Session, server_url: str, lon: float, lat: float) -> float:
    point = Point(lon, lat, srid=4326).transform(32751, clone=True)
    x, y = (point.x // 50) * 50 + 25, (point.y // 50) * 50 + 25
    body = http.get(f"{server_url}{COVERAGE}", params={
        "f": "json", "subset": f"E({x}),N({y})", "subset-crs": EPSG_32751}).json()
    return body["ranges"]["jarak_m"]["values"][0]


def _built() -> str:
    with rasterio.open(health_distance_path()) as src:
        return src.tags()["BUILT"] + str(health_distance_path().stat().st_mtime_ns)


def _move(write_api: Api, who: str, fid: int, point: tuple[float, float]) -> None:
    tag = write_api.get(who, items_path(fid=fid)).headers["ETag"]
    response = write_api.call(who, "PATCH", items_path(fid=fid), headers={"If-Match": tag},
                              json={"geometry": {"type": "Point", "coordinates": list(point)}})
    assert response.status_code == 200, response.text


def test_moving_a_published_puskesmas_rebuilds_the_coverage_around_it(
        write_api: Api, committed, http: requests.Session, server_url: str) -> None:
    assert _distance_at(http, server_url, *FAR_FROM_CARE) > 2000
    fid = committed_facility(committed, "Puskesmas Pindah", "published")
    _move(write_api, "walidata", fid, FAR_FROM_CARE)
    assert _distance_at(http, server_url, *FAR_FROM_CARE) <= HALF_DIAGONAL_M


def test_a_draft_puskesmas_leaves_the_coverage_as_it_was(
        write_api: Api, committed, http: requests.Session, server_url: str) -> None:
    built = _built()
    fid = committed_facility(committed, "Puskesmas Draf Pindah", "draft")
    _move(write_api, "editor-a", fid, FAR_FROM_CARE)
    assert _built() == built
    assert _distance_at(http, server_url, *FAR_FROM_CARE) > 2000
