"""OGC API - Processes: locate, nearest-facilities, kelurahan-summary, over real HTTP.

Expected answers come from the database the server reads: the kelurahan the
spatial join gave each hospital, distances PostGIS computes on the spheroid,
and sums over the sample projects.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from django.db import connection
from django.db.models import Count, Sum
from owslib.ogcapi.processes import Processes

from layers.models import Facility, Kelurahan, ProjectSite

PROCESSES = ("locate", "nearest-facilities", "kelurahan-summary")


def _execute(http: requests.Session, url: str, process: str, inputs: dict[str, Any]
             ) -> requests.Response:
    return http.post(f"{url}/ogc/processes/{process}/execution", json={"inputs": inputs})


def test_the_three_processes_are_listed_and_described_with_inputs_outputs_and_example(
    http: requests.Session, server_url: str
) -> None:
    listed = http.get(f"{server_url}/ogc/processes?f=json").json()["processes"]
    assert [p["id"] for p in listed] == list(PROCESSES)
    for process_id in PROCESSES:
        body = http.get(f"{server_url}/ogc/processes/{process_id}?f=json&lang=en").json()
        assert body["jobControlOptions"] == ["sync-execute"]
        assert body["inputs"] and body["outputs"] and body["example"]["inputs"]
        assert any(link["rel"].endswith("/execute") for link in body["links"])
    assert body["title"] == "Kelurahan summary"


def test_each_example_input_executes(http: requests.Session, server_url: str) -> None:
    for process_id in PROCESSES:
        example = http.get(f"{server_url}/ogc/processes/{process_id}?f=json").json()["example"]
        response = _execute(http, server_url, process_id, example["inputs"])
        assert response.status_code == 200, (process_id, response.text)


def test_locate_puts_every_hospital_in_the_kelurahan_the_spatial_join_gave_it(
    http: requests.Session, server_url: str
) -> None:
    hospitals = Facility.objects.filter(category="rumah_sakit").select_related(
        "kelurahan__kecamatan")
    assert hospitals.count() == 12
    for hospital in hospitals:
        body = _execute(http, server_url, "locate",
                        {"lon": hospital.geometry.x, "lat": hospital.geometry.y}).json()
        assert body == {
            "kelurahan": {"kode": hospital.kelurahan.kode, "nama": hospital.kelurahan.nama},
            "kecamatan": {"kode": hospital.kelurahan.kecamatan.kode,
                          "nama": hospital.kelurahan.kecamatan.nama},
        }


def test_locate_a_known_hospital_gives_oetete_in_oebobo(
    http: requests.Session, server_url: str
) -> None:
    body = _execute(http, server_url, "locate",
                    {"lon": 123.58578843996008, "lat": -10.168121004087805}).json()
    assert body == {"kelurahan": {"kode": "53.71.04.1008", "nama": "Oetete"},
                    "kecamatan": {"kode": "53.71.04", "nama": "Oebobo"}}


def test_locate_in_the_sea_gives_null_and_a_message(
    http: requests.Session, server_url: str
) -> None:
    response = _execute(http, server_url, "locate", {"lon": 123.60, "lat": -10.05})
    assert response.status_code == 200
    body = response.json()
    assert body["kelurahan"] is None and body["kecamatan"] is None
    assert "di luar Kota Kupang" in body["message"]


def test_qualified_input_values_are_accepted(http: requests.Session, server_url: str) -> None:
    body = _execute(http, server_url, "locate",
                    {"lon": {"value": 123.5858}, "lat": {"value": -10.1681}}).json()
    assert body["kelurahan"]["kode"] == "53.71.04.1008"


def _nearest_in_postgis(lon: float, lat: float, categories: list[str], n: int) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ST_Distance(geometry::geography, "
            "  ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography) AS d "
            "FROM layers_facility WHERE category = ANY(%s) ORDER BY d, id LIMIT %s",
            [lon, lat, categories, n],
        )
        return cursor.fetchall()


@pytest.mark.parametrize(("category", "n", "categories"), [
    (None, None, None),
    ("kesehatan", 3, ["rumah_sakit", "puskesmas", "klinik"]),
    ("gereja", 50, ["gereja"]),
])
def test_nearest_facilities_match_a_full_geodesic_sort_in_postgis(
    http: requests.Session, server_url: str, category: str | None, n: int | None,
    categories: list[str] | None,
) -> None:
    inputs: dict[str, Any] = {"lon": 123.6070, "lat": -10.1772}
    if category:
        inputs["category"] = category
    if n:
        inputs["n"] = n
    facilities = _execute(http, server_url, "nearest-facilities", inputs).json()["facilities"]
    all_categories = list(Facility.objects.values_list("category", flat=True).distinct())
    expected = _nearest_in_postgis(123.6070, -10.1772, categories or all_categories, n or 5)
    assert [f["id"] for f in facilities] == [row[0] for row in expected]
    for facility, (_, distance) in zip(facilities, expected, strict=True):
        assert facility["distance_m"] == pytest.approx(distance, abs=0.06)
    assert len(facilities) == min(n or 5, 55 if category == "gereja" else 67)
    first = Facility.objects.get(pk=facilities[0]["id"])
    assert facilities[0]["nama"] == first.name and facilities[0]["kategori"] == first.category
    assert facilities[0]["lon"] == pytest.approx(first.geometry.x, abs=1e-6)


def test_kelurahan_summary_counts_what_the_database_holds(
    http: requests.Session, server_url: str
) -> None:
    busiest = (Kelurahan.objects.annotate(n=Count("projects")).order_by("-n", "kode").first())
    body = _execute(http, server_url, "kelurahan-summary", {"kode": busiest.kode}).json()
    projects = ProjectSite.objects.filter(kelurahan=busiest).aggregate(
        n=Count("id"), pagu=Sum("budget"), realisasi=Sum("spent"))
    assert body["kelurahan"] == {"kode": busiest.kode, "nama": busiest.nama}
    assert body["kecamatan"]["kode"] == busiest.kecamatan.kode
    assert body["proyek"] == {"jumlah": projects["n"], "pagu": projects["pagu"],
                              "realisasi": projects["realisasi"], "data_contoh": projects["n"]}
    assert projects["n"] >= 2
    assert body["luas_km2"] == pytest.approx(busiest.luas_km2, abs=0.001)
    assert body["jumlah_fasilitas"] == Facility.objects.filter(kelurahan=busiest).count()


def test_kelurahan_summary_of_oetete_has_its_hospital_and_church(
    http: requests.Session, server_url: str
) -> None:
    body = _execute(http, server_url, "kelurahan-summary", {"kode": "53.71.04.1008"}).json()
    assert body["fasilitas"]["rumah_sakit"] == 1 and body["fasilitas"]["gereja"] == 1
    assert body["jumlah_fasilitas"] == 2
    assert len(body["fasilitas"]) == 14  # every category, zeros included


@pytest.mark.parametrize(("process", "inputs", "named"), [
    ("locate", {"lat": -10.17}, "'lon': is required"),
    ("locate", {"lon": "123.6", "lat": -10.17}, "'lon': must be a number"),
    ("locate", {"lon": True, "lat": -10.17}, "'lon': must be a number"),
    ("locate", {"lon": 123.6, "lat": -91}, "'lat': -91 is out of range"),
    ("locate", {"lon": 123.6, "lat": -10.1, "radius": 5}, "'radius': unknown input"),
    ("nearest-facilities", {"lon": 123.6, "lat": -10.1, "n": 51}, "'n': 51 is out of range"),
    ("nearest-facilities", {"lon": 123.6, "lat": -10.1, "n": 0}, "'n': 0 is out of range"),
    ("nearest-facilities", {"lon": 123.6, "lat": -10.1, "n": 2.5}, "'n': must be a whole"),
    ("nearest-facilities", {"lon": 123.6, "lat": -10.1, "category": "bar"}, "'category'"),
    ("kelurahan-summary", {"kode": "53.71.04.9999"}, "no kelurahan has code 53.71.04.9999"),
    ("kelurahan-summary", {"kode": "Oetete"}, "'kode': 'Oetete' is not"),
    ("kelurahan-summary", {}, "'kode': is required"),
])
def test_bad_inputs_are_a_400_naming_the_input(
    http: requests.Session, server_url: str, process: str, inputs: dict, named: str
) -> None:
    response = _execute(http, server_url, process, inputs)
    assert response.status_code == 400
    assert named in response.json()["description"]


@pytest.mark.parametrize(("body", "headers", "named"), [
    ("{not json", {"Content-Type": "application/json"}, "not valid JSON"),
    ("[1, 2]", {"Content-Type": "application/json"}, "must be a JSON object"),
    ('{"inputs": 5}', {"Content-Type": "application/json"}, "inputs"),
    ("lon=1&lat=2", {"Content-Type": "application/x-www-form-urlencoded"}, "Content-Type"),
])
def test_a_bad_execute_request_body_is_a_400(
    http: requests.Session, server_url: str, body: str, headers: dict, named: str
) -> None:
    response = http.post(f"{server_url}/ogc/processes/locate/execution", data=body,
                         headers=headers)
    assert response.status_code == 400
    assert named in response.json()["description"]


def test_unknown_process_and_job_are_404_and_execution_is_post_only(
    http: requests.Session, server_url: str
) -> None:
    assert _execute(http, server_url, "buffer", {}).status_code == 404
    assert http.get(f"{server_url}/ogc/processes/buffer").status_code == 404
    assert http.get(f"{server_url}/ogc/jobs/123").status_code == 404
    assert http.get(f"{server_url}/ogc/processes/locate/execution").status_code == 405
    assert http.post(f"{server_url}/ogc/processes/locate").status_code == 405


def test_owslib_lists_describes_and_executes_the_processes(server_url: str) -> None:
    client = Processes(f"{server_url}/ogc/")
    assert [p["id"] for p in client.processes()] == list(PROCESSES)
    assert client.process("locate")["inputs"]["lon"]["schema"]["type"] == "number"
    result = client.execute("nearest-facilities",
                            inputs={"lon": 123.5858, "lat": -10.1681, "category": "rumah_sakit",
                                    "n": 1})
    assert result["facilities"][0]["nama"] == "RSUD W. Z. Johannes"
    assert result["facilities"][0]["distance_m"] < 10


def test_openapi_declares_the_process_and_coverage_endpoints(
    http: requests.Session, server_url: str
) -> None:
    paths = http.get(f"{server_url}/ogc/openapi?f=json").json()["paths"]
    for process_id in PROCESSES:
        assert "get" in paths[f"/processes/{process_id}"]
        assert "post" in paths[f"/processes/{process_id}/execution"]
    assert "get" in paths["/collections/jarak-faskes/coverage"]


def test_an_execute_body_over_the_limit_is_a_413_naming_the_limit(
    http: requests.Session, server_url: str
) -> None:
    from django.conf import settings

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = '{"inputs": {"lon": 123.59, "lat": -10.17, "x": "' + "x" * limit + '"}}'
    response = requests.post(f"{server_url}/ogc/processes/locate/execution", data=body,
                             headers={"Content-Type": "application/json",
                                      "Connection": "close"}, timeout=60)
    assert response.status_code == 413
    assert response.json()["code"] == "ContentTooLarge"
    assert f"{limit} bytes" in response.json()["description"]


def test_outputs_may_name_only_declared_outputs(http: requests.Session, server_url: str) -> None:
    url = f"{server_url}/ogc/processes/locate/execution"
    point = {"lon": 123.5858, "lat": -10.1681}
    unknown = http.post(url, json={"inputs": point, "outputs": {"x": {}}})
    assert unknown.status_code == 400
    assert unknown.json()["description"].startswith("outputs: unknown output(s) 'x'; locate has ")
    assert http.post(url, json={"inputs": point, "outputs": []}).status_code == 400
    declared = http.get(f"{server_url}/ogc/processes/locate?f=json").json()["outputs"]
    chosen = http.post(url, json={"inputs": point, "outputs": {next(iter(declared)): {}}})
    assert chosen.status_code == 200, chosen.text
